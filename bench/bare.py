"""The floors: bare workflows whose only work is a no-op update, with or without a no-op local activity in it.

`BareWorkflow`'s update bumps a counter: no activities, no payload models, no search attributes — what one
Workflow Update costs on this server, SDK and data converter, and nothing more. `LocalBareWorkflow`'s update
also runs a no-op local activity, as every step of a case runs its write: with the step's own SQL sent bare
(bench.floor_sql) it is the honest floor of a step. Imports only temporalio (the sandbox re-imports this module).

    python -m bench.bare --task-queue Q      # a worker for both, as its own process (bench.compare starts it)
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import activity, workflow


@activity.defn
async def noop() -> None:
    return None


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


@workflow.defn
class LocalBareWorkflow(BareWorkflow):
    @workflow.run
    async def run(self) -> int:
        return await super().run()

    @workflow.update
    async def bump(self) -> int:
        await workflow.execute_local_activity(noop, start_to_close_timeout=timedelta(seconds=10))
        self._count += 1
        return self._count


def main() -> None:
    import argparse
    import asyncio

    from temporalio.worker import Worker

    from infra.temporal import connect
    from models.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m bench.bare", description="a worker for the bare floors")
    parser.add_argument("--task-queue", required=True)
    args = parser.parse_args()

    async def serve() -> None:
        settings = Settings()  # TEMPORAL_ADDRESS and PAYLOAD_KEY, as the real worker reads them
        client = await connect(settings.temporal_address, settings.temporal_namespace, settings.payload_key)
        async with Worker(client, task_queue=args.task_queue, workflows=[BareWorkflow, LocalBareWorkflow],
                          activities=[noop]):
            print(f"worker listening on task queue {args.task_queue}", flush=True)
            await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
