"""How a case appears in Temporal: its workflow id and its search attributes. Codes and dates only, never
personal data: visibility stores them in plain text, and the Temporal UI shows them to operators."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from uuid import UUID

from temporalio.common import SearchAttributeKey, SearchAttributeUpdate, TypedSearchAttributes

from models.payloads.case import CaseState
from vocabulary.china import CHINA

SA_STEP = SearchAttributeKey.for_keyword("AssistStep")
SA_COUNTY = SearchAttributeKey.for_keyword("AssistCounty")
SA_TOWNSHIP = SearchAttributeKey.for_keyword("AssistTownship")
SA_DUE = SearchAttributeKey.for_datetime("AssistDue")
SA_PROVISIONAL = SearchAttributeKey.for_bool("AssistProvisional")
SEARCH_ATTRIBUTES: tuple[SearchAttributeKey[Any], ...] = (SA_STEP, SA_COUNTY, SA_TOWNSHIP, SA_DUE, SA_PROVISIONAL)


def case_workflow_id(case_id: UUID) -> str:
    """The case's random id only: nothing personal ever appears in a workflow id."""
    return f"case-{case_id}"


def case_id_of(workflow_id: str) -> UUID:
    return UUID(workflow_id.removeprefix("case-"))


def search_attributes(state: CaseState) -> list[SearchAttributeUpdate[Any]]:
    """The case's visibility record, kept in step with the PostgreSQL projection."""
    p, plan = state.position, state.deadline
    code = state.village_code
    due = None if plan is None else datetime.combine(plan.due_on, time(0), tzinfo=CHINA)
    return [
        SA_STEP.value_set(p.step.value if p.outcome is None else "closed"),
        SA_COUNTY.value_set(code[:6]),
        SA_TOWNSHIP.value_set(code[:9]),
        SA_DUE.value_set(due) if due else SA_DUE.value_unset(),
        SA_PROVISIONAL.value_set(bool(plan and plan.provisional)),
    ]


def changed_search_attributes(
    state: CaseState, current: TypedSearchAttributes
) -> list[SearchAttributeUpdate[Any]]:
    """Only the attributes whose value differs from what the run holds (`workflow.info()`, kept current by the
    SDK on every upsert and carried across continue-as-new): each upsert is a history event and server work."""
    return [u for u in search_attributes(state) if current.get(u.key) != u.value]
