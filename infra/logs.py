"""Structured logs: one JSON object per line on stderr, with the request id and the case id of what is being
done, and never personal data.

Nothing here logs a request body, a query string or SQL parameters (the engine hides them), and no log call in
this code base passes a name, an ID number, a phone number or an address. As a second line of defence the
formatter masks anything shaped like an ID number or a mobile phone number, and PostgreSQL's error details
(which quote the failing row), before the line is written.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
CASE_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("case_id", default=None)

# 18-character ID numbers (GB 11643) and mainland mobile numbers, wherever they appear in a message.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
# PostgreSQL's error detail quotes the row or key that failed ("Failing row contains (…)", "Key (…)=(…)"):
# values a person typed. Statement parameters are already hidden by the engine (hide_parameters).
_PG_DETAIL = re.compile(r"DETAIL:[^\n]*")
_CASE_WORKFLOW = re.compile(r"^case-([0-9a-f-]{36})$")
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def mask(text: str) -> str:
    text = _PG_DETAIL.sub("DETAIL: [已隐藏]", text)
    return _MOBILE.sub("[手机号已隐藏]", _ID_NUMBER.sub("[身份证号已隐藏]", text))


def _temporal_case_id() -> str | None:
    """Inside an activity or a workflow, the case its workflow id names (never personal: a random id)."""
    try:
        from temporalio import activity, workflow

        if activity.in_activity():
            found = _CASE_WORKFLOW.match(activity.info().workflow_id or "")
            return found.group(1) if found else None
        if workflow.in_workflow():
            found = _CASE_WORKFLOW.match(workflow.info().workflow_id)
            return found.group(1) if found else None
    except Exception:  # logging must never fail the caller
        return None
    return None


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "msg": mask(record.getMessage()),
        }
        request_id, case_id = REQUEST_ID.get(), CASE_ID.get() or _temporal_case_id()
        if request_id:
            line["request_id"] = request_id
        if case_id:
            line["case_id"] = case_id
        for key, value in vars(record).items():  # fields passed with `extra=`
            if key not in _STANDARD and not key.startswith("_") and key not in line:
                line[key] = value if isinstance(value, int | float | bool) or value is None else mask(str(value))
        if record.exc_info:
            line["error"] = mask(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


def configure(service: str, level: str = "INFO", stream: Any = None) -> logging.Handler:
    """Route every logger (uvicorn's included) through one JSON handler; uvicorn's access log is replaced by the
    API's own request line, which names the route template and never the query string."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "temporalio"):
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True
    logging.getLogger("uvicorn.access").disabled = True
    return handler
