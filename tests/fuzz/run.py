"""Schemathesis over the OpenAPI document, against a running API: every operation with a token of each role, then
the stateful phase along the document's links (POST /cases → the case's steps, ...). A finding is a 5xx, a
response the document does not describe (status, content type, body schema, headers), or a refusal without a
machine code and a Chinese message.

    python -m tests.fuzz --examples 25 --steps 60     # a bigger run than CI's (tests/fuzz/__main__.py)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

_CJK = re.compile(r"[\u4e00-\u9fff]")


def refusal_in_chinese(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx carries a machine code and a message a case worker reads (Chinese)."""
    if 400 <= response.status_code < 500 and response.headers.get("content-type", [""])[0].startswith(
            "application/json"):
        body = response.json()
        if not isinstance(body, dict) or not body.get("code") or not _CJK.search(str(body.get("message", ""))):
            raise AssertionError(f"refusal without a code and a Chinese message: {response.text[:200]}")
    return None


CHECKS: list[Callable[..., Any]] = [not_a_server_error, status_code_conformance, content_type_conformance,
                                    response_schema_conformance, response_headers_conformance]


@dataclass
class Report:
    operations: int = 0
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    findings: dict[str, str] = field(default_factory=dict)  # "METHOD path as role" -> first finding
    stateful_steps: int = 0


def _settings(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                    suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])


def fuzz(base_url: str, tokens: dict[str, str], examples: int, steps: int) -> Report:
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    report = Report()
    # Logging out revokes the token it is called with: that operation goes last, after each role's token served
    # every other operation.
    ops = sorted((r.ok() for r in schema.get_all_operations()), key=lambda o: o.path == "/auth/logout")
    for op in ops:
        report.operations += 1
        for role, token in tokens.items():
            _operation(op, role, {"Authorization": f"Bearer {token}"}, base_url, examples, report)
    if steps:
        _stateful(schema, tokens, base_url, steps, report)
    return report


def _operation(op: Any, role: str, headers: dict[str, str], base_url: str, examples: int, report: Report) -> None:
    where = f"{op.method.upper()} {op.path} as {role}"

    @_settings(examples)
    @given(case=op.as_strategy())
    def run(case: Any) -> None:
        response = case.call(base_url=base_url, headers=headers, timeout=60)
        report.requests += 1
        report.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, additional_checks=[refusal_in_chinese])
        except Exception as failure:
            report.findings.setdefault(where, f"{response.status_code} {str(failure)[:600]}")

    try:
        run()
    except Exception as failure:
        report.findings.setdefault(where, str(failure)[:800])


def _stateful(schema: Any, tokens: dict[str, str], base_url: str, steps: int, report: Report) -> None:
    """Chains along the links, as a township worker (who may open cases and take most steps)."""
    machine = schema.as_state_machine()
    token = tokens.get("jiedao") or next(iter(tokens.values()))

    class Walk(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"base_url": base_url, "headers": {"Authorization": f"Bearer {token}"}, "timeout": 60}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            report.stateful_steps += 1
            report.requests += 1
            report.statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=CHECKS, additional_checks=[refusal_in_chinese])
            except Exception as failure:
                where = f"{case.operation.method.upper()} {case.operation.path} (stateful)"
                report.findings.setdefault(where, f"{response.status_code} {str(failure)[:600]}")

    try:
        Walk.run(settings=settings(max_examples=max(1, steps // 6), stateful_step_count=6, deadline=None,
                                   database=None, derandomize=True,
                                   suppress_health_check=list(HealthCheck)))
    except Exception as failure:
        report.findings.setdefault("stateful", str(failure)[:800])
