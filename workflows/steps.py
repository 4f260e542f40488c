"""The ten steps of a service-assistance case (池州方案 四、服务流程), declared once, in order.

Everything else refers to a step through `Step`; nobody spells a step name as a free string.

Steps 1-5 run once, in order. From step 6 the case is in service: it waits in `ARCHIVING` until the
provider has built the one-person file, then in `DYNAMIC_MANAGEMENT` (monthly review) until services stop.
`SETTLEMENT` and `OVERSIGHT` are not places a single case waits in: they act on many cases at once
(a monthly run per provider; notices and spot checks), so no case transitions into them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    APPLICANT = "applicant"
    VILLAGE_ASSISTANT = "village_assistant"
    TOWNSHIP_WORKER = "township_worker"
    COUNTY_OFFICER = "county_officer"
    PROVIDER = "provider"
    AUDITOR = "auditor"


class Step(StrEnum):
    APPLICATION = "application"
    REGISTRATION = "registration"
    SURVEY = "survey"
    REVIEW = "review"
    REFERRAL = "referral"
    SERVICE = "service"
    ARCHIVING = "archiving"
    SETTLEMENT = "settlement"
    DYNAMIC_MANAGEMENT = "dynamic_management"
    OVERSIGHT = "oversight"


@dataclass(frozen=True)
class StepSpec:
    number: int
    step: Step
    zh: str
    # Who must act while a case waits in this step.
    actors: frozenset[Role]
    # Key of the county's deadline rule for this step; None where nobody waits on a person.
    deadline_rule: str | None
    next_steps: tuple[Step, ...]
    # False for the steps that act on many cases at once instead of holding one.
    holds_cases: bool = True


_T, _V, _P = Role.TOWNSHIP_WORKER, Role.VILLAGE_ASSISTANT, Role.PROVIDER

STEPS: tuple[StepSpec, ...] = (
    StepSpec(1, Step.APPLICATION, "个人申请或主动发现",
             frozenset({Role.APPLICANT, _V, _T}), None, (Step.REGISTRATION,)),
    StepSpec(2, Step.REGISTRATION, "受理登记", frozenset({_T}), "registration", (Step.SURVEY,)),
    StepSpec(3, Step.SURVEY, "入户调查", frozenset({_T, _V}), "survey", (Step.REVIEW,)),
    StepSpec(4, Step.REVIEW, "审核确认", frozenset({_T}), "review", (Step.REFERRAL,)),
    StepSpec(5, Step.REFERRAL, "转介服务", frozenset({_T, _P}), "referral", (Step.SERVICE,)),
    StepSpec(6, Step.SERVICE, "开展服务", frozenset({_P}), "service_plan", (Step.ARCHIVING,)),
    StepSpec(7, Step.ARCHIVING, "建立档案", frozenset({_P}), "archiving", (Step.DYNAMIC_MANAGEMENT,)),
    # Timed per statement (the township's or county's approval), not per case.
    StepSpec(8, Step.SETTLEMENT, "资金结算", frozenset({_T, Role.COUNTY_OFFICER}), "settlement_approval", (),
             holds_cases=False),
    StepSpec(9, Step.DYNAMIC_MANAGEMENT, "动态管理", frozenset({_T}), None, ()),
    StepSpec(10, Step.OVERSIGHT, "监督管理", frozenset({Role.COUNTY_OFFICER, _V}), None, (),
             holds_cases=False),
)

SPEC: dict[Step, StepSpec] = {s.step: s for s in STEPS}

# Steps in which services are being delivered and recorded.
IN_SERVICE: frozenset[Step] = frozenset({Step.ARCHIVING, Step.DYNAMIC_MANAGEMENT})
# Steps before the review decision, in which a case may still be withdrawn.
BEFORE_DECISION: frozenset[Step] = frozenset({Step.REGISTRATION, Step.SURVEY, Step.REVIEW})


def zh(step: Step) -> str:
    return SPEC[step].zh


def can_advance(current: Step, target: Step) -> bool:
    return target in SPEC[current].next_steps
