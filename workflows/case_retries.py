"""How often the case workflow's activities are tried (workflows/case.py): a person's step briefly, inside the
update the person waits on; the workflow's own work (escalation, the monthly review) a bounded number of times,
after which the case is marked blocked and waits for a supervisor's retry."""

from __future__ import annotations

from datetime import timedelta

from temporalio.common import RetryPolicy

STEP_RETRY = RetryPolicy(initial_interval=timedelta(milliseconds=200), maximum_attempts=6)
BACKGROUND_ATTEMPTS = 5
BACKGROUND_RETRY = RetryPolicy(initial_interval=timedelta(seconds=2), backoff_coefficient=2.0,
                               maximum_interval=timedelta(minutes=1), maximum_attempts=BACKGROUND_ATTEMPTS)
# Marking a case blocked must get through eventually: no attempt limit.
MARK_RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), maximum_interval=timedelta(minutes=10))
