"""The monthly settlement schedule: created (or brought up to date) at worker start, and backfilled by hand.

A calendar spec in Asia/Shanghai: day and hour (and minute) from Settings. The catch-up window is deliberate:
a Temporal server down over the run day still runs it within `settlement_catchup_days` of the nominal time;
anything older is a decision for a person (backfill), not a silent replay of a year of runs. Missed firings
(catch-up or backfill) run one after another, oldest first: each tick waits for its period's run, so every
month's records land on that month's statement, and a later month only ever sweeps up what is really late.

    python -m activities.settlement.schedule backfill 2026-01 2026-03
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime, timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleBackfill,
    ScheduleCalendarSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleRange,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from infra.temporal import connect
from models.settings import Settings, get_settings
from models.settlement.payloads import TickStart
from vocabulary.china import CHINA
from workflows import periods
from workflows.settlement import SettlementTickWorkflow

TIME_ZONE = "Asia/Shanghai"


def spec_for(settings: Settings, second: int = 0) -> ScheduleSpec:
    calendar = ScheduleCalendarSpec(
        second=(ScheduleRange(second),), minute=(ScheduleRange(settings.settlement_minute),),
        hour=(ScheduleRange(settings.settlement_hour),), day_of_month=(ScheduleRange(settings.settlement_day),),
        comment="每月结算服务费",
    )
    return ScheduleSpec(calendars=[calendar], time_zone_name=TIME_ZONE)


def schedule_for(settings: Settings, second: int = 0) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            SettlementTickWorkflow.run, TickStart(), id=f"{settings.settlement_schedule_id}-tick",
            task_queue=settings.task_queue,
        ),
        spec=spec_for(settings, second),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.BUFFER_ALL,
                              catchup_window=timedelta(days=settings.settlement_catchup_days)),
    )


async def ensure_schedule(client: Client, settings: Settings, second: int = 0) -> None:
    """Create the schedule, or make an existing one match the settings: safe at every worker start."""
    wanted = schedule_for(settings, second)
    try:
        await client.create_schedule(settings.settlement_schedule_id, wanted)
    except ScheduleAlreadyRunningError:
        def replace(current: ScheduleUpdateInput) -> ScheduleUpdate:
            # Keep the state (paused by an operator stays paused); take action, spec and policy from settings.
            return ScheduleUpdate(schedule=Schedule(action=wanted.action, spec=wanted.spec, policy=wanted.policy,
                                                    state=current.description.schedule.state))

        await client.get_schedule_handle(settings.settlement_schedule_id).update(replace)


def nominal_run_at(settings: Settings, period: str) -> datetime:
    """When the schedule settles `period`: its run day and hour in the following month, China time."""
    after = periods.first_day(periods.shift(period, 1))
    return datetime(after.year, after.month, settings.settlement_day, settings.settlement_hour,
                    settings.settlement_minute, tzinfo=CHINA)


async def backfill(client: Client, settings: Settings, first: str, last: str) -> list[str]:
    """Fire the schedule as it would have fired for the periods `first`..`last` (missed months)."""
    wanted = periods.between(first, last)
    if wanted:
        start = nominal_run_at(settings, wanted[0]) - timedelta(seconds=1)
        end = nominal_run_at(settings, wanted[-1]) + timedelta(seconds=1)
        await client.get_schedule_handle(settings.settlement_schedule_id).backfill(
            ScheduleBackfill(start_at=start, end_at=end, overlap=ScheduleOverlapPolicy.BUFFER_ALL))
    return wanted


async def _main() -> None:
    parser = argparse.ArgumentParser(prog="python -m activities.settlement.schedule")
    sub = parser.add_subparsers(dest="command", required=True)
    fill = sub.add_parser("backfill", help="run the missed months FIRST..LAST (YYYY-MM)")
    fill.add_argument("first")
    fill.add_argument("last")
    sub.add_parser("ensure", help="create or update the schedule from the settings")
    args = parser.parse_args()
    settings = get_settings()
    client = await connect(settings.temporal_address, settings.temporal_namespace, settings.payload_key)
    if args.command == "ensure":
        await ensure_schedule(client, settings)
    else:
        print("backfilled:", ", ".join(await backfill(client, settings, args.first, args.last)))


if __name__ == "__main__":
    asyncio.run(_main())
