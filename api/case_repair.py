"""A case row whose workflow never opened (issue #11, defect 5): the open's activity wrote the row and its
audit row, then the worker died and the open update was lost. Every step would answer 404 for ever.

The repair sends the open update again, as the person who opened the case, from what our records hold; the
activity finds its audit row already written (idempotent on (case_id, 1)) and the workflow takes the state.
Only a case still at its first step can be in this state: any later step was written by the workflow itself.
"""

from __future__ import annotations

import logging
from uuid import UUID

from sqlalchemy import select

from api import workflow_calls
from api.deps import Resources
from api.errors import ApiError
from models.case_tables import Application
from models.payloads.actor import Actor
from models.payloads.forms import OpenForm
from models.tables import AUDIT, Case
from vocabulary.case import Channel, Role

log = logging.getLogger(__name__)
# What the workflow answers for a case it does not know (state None) or a workflow that is not there.
NOT_OPENED = frozenset({"case_not_found", "case_closed"})


async def repair_open(resources: Resources, case_id: UUID) -> bool:
    """True when the workflow was (re)opened from our records; False when there is nothing to repair."""
    async with resources.sessions() as session:
        case = await session.get(Case, case_id)
        application = await session.get(Application, case_id)
        opener = (await session.execute(select(AUDIT.c.actor_id, AUDIT.c.actor_role).where(
            AUDIT.c.case_id == case_id, AUDIT.c.seq == 1))).first()
    if case is None or application is None or opener is None or case.seq != 1 or case.status != "open":
        return False
    role = Role(opener.actor_role)
    actor = Actor(user_id=opener.actor_id, role=role, jurisdiction=case.village_code,
                  person_id=case.person_id if role is Role.APPLICANT else None)
    form = OpenForm(person_id=case.person_id, village_code=case.village_code, channel=Channel(case.channel),
                    need_description=application.need_description)
    log.warning("case %s: its workflow had not opened; opening it again from the records", case_id)
    try:
        await workflow_calls.open_case(resources, case_id, actor, form)
    except ApiError as err:
        if err.code != "already_open":  # repaired meanwhile by another request: fine
            raise
    return True
