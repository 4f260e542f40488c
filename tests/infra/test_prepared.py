"""Statements compiled once and run with each call's values (infra.db.Prepared), and the stuck view's use of them:
no value of one request can ride along into the next (no database needed)."""

from __future__ import annotations

import itertools
import uuid
from datetime import date

import pytest
from sqlalchemy import bindparam, select

from api.supervision_query import StuckFilter, _statements, _values
from infra.db import Prepared
from models.payloads.actor import Actor
from models.tables import CASES
from policy.workdays import calendar
from vocabulary.case import Role, Step
from vocabulary.deadlines import StuckReason as Reason


def test_only_named_parameters_vary_and_anything_else_must_be_a_listed_constant() -> None:
    c = CASES.c
    with pytest.raises(ValueError, match="neither named nor a listed constant"):
        Prepared(select(c.id).where(c.county_code == "341702"))  # a request's value compared anonymously
    prepared = Prepared(select(c.id).where(c.status == "open", c.county_code == bindparam("scope", "341702",
                                                                                           type_=c.county_code.type)),
                        constants={"open"})
    assert prepared.args({"scope": "341721"}) == ["open", "341721"]
    with pytest.raises(KeyError):
        prepared.args({})


def _actors() -> list[Actor]:
    user = uuid.uuid4()
    return [Actor(user_id=user, role=Role.COUNTY_OFFICER, jurisdiction="341702"),
            Actor(user_id=user, role=Role.TOWNSHIP_WORKER, jurisdiction="341702001"),
            Actor(user_id=user, role=Role.AUDITOR, jurisdiction="3417")]


@pytest.mark.parametrize("reason", list(Reason))
def test_every_form_of_the_stuck_view_compiles_and_runs_with_each_callers_own_scope(reason: Reason) -> None:
    cal, today = calendar(), date(2026, 3, 10)
    for actor, given in itertools.product(_actors(), itertools.product((None, "341723"), (None, "341723005"),
                                                                       (None, Step.SURVEY), (None, uuid.uuid4()))):
        f = StuckFilter(reason, 3, *given)
        values = {**_values(actor, f, cal, today), "limit": 50, "offset": 0}
        page, count = _statements(actor, f, cal, today, values)
        other = actor.model_copy(update={"jurisdiction": actor.jurisdiction[:-1] + "9"})
        theirs = {**_values(other, f, cal, today), "limit": 7, "offset": 14}
        assert page is _statements(other, f, cal, today, theirs)[0]  # one statement for the form
        for prepared in (page, count):
            args = prepared.args(theirs)
            assert other.jurisdiction in args and actor.jurisdiction not in args
        assert {7, 14} <= set(page.args(theirs))
