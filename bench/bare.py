"""The floor for bench.walk: a bare workflow whose only work is a no-op update bumping a counter.

No activities, no payload models, no search attributes: what one Workflow Update costs on this server, this
SDK and this data converter, and nothing more. Imports only temporalio (the sandbox re-imports this module).
"""

from __future__ import annotations

from temporalio import workflow


@workflow.defn
class BareWorkflow:
    def __init__(self) -> None:
        self._count = 0
        self._done = False

    @workflow.run
    async def run(self) -> int:
        await workflow.wait_condition(lambda: self._done)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._count

    @workflow.update
    async def bump(self) -> int:
        self._count += 1
        return self._count

    @workflow.signal
    def done(self) -> None:
        self._done = True
