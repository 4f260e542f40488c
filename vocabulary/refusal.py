"""A refusal: a machine code for programs and a Chinese message for case workers.

Raised by a workflow's validator or handler, or by an activity, it is an `ApplicationError` that is not
retried; the API passes `type` on as the code and `message` as the message, and chooses the HTTP status.
"""

from __future__ import annotations

from temporalio.exceptions import ApplicationError


def refuse(code: str, message: str) -> ApplicationError:
    return ApplicationError(message, type=code, non_retryable=True)
