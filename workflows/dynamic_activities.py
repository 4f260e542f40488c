"""What the roster import's workflow (workflows/dynamic.py) asks of the activities layer, called by reference;
the bodies are in activities/dynamic/roster.py."""

from __future__ import annotations

from temporalio import activity

from models.payloads.dynamic import RosterDone, RosterEvents, RosterPage, RosterStart

_NOT_HERE = "implemented in activities/"


class DynamicActivities:
    @activity.defn
    async def roster_import(self, start: RosterStart) -> RosterDone:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def roster_pending(self, page: RosterPage) -> RosterEvents:
        raise NotImplementedError(_NOT_HERE)
