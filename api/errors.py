"""Every refusal answers with a machine code and a Chinese message a case worker understands; never a 500
with a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from policy.accounts import Refusal

log = logging.getLogger(__name__)

# Status for each refusal code raised by the case workflow or its activities.
STATUS_OF_CODE: dict[str, int] = {
    "wrong_role": 403,
    "out_of_jurisdiction": 403,
    "not_assigned_provider": 403,
    "not_own_case": 403,
    "case_not_found": 404,
    "not_eligible": 422,
    "unknown_item": 422,
    "duplicate_service": 422,
    "unknown_provider": 422,
    "item_not_approved": 422,
    "plan_exceeds_approval": 422,
    "unknown_file": 422,
    "system_unavailable": 503,
}

# Status of each refusal of the account rules (policy/accounts.py); any other is 422.
STATUS_OF_REFUSAL: dict[str, int] = {
    "wrong_role": 403, "role_not_allowed": 403, "lead_not_allowed": 403, "out_of_jurisdiction": 403,
    "not_self": 403, "user_not_found": 404, "provider_not_found": 404,
}

_FIELD_ZH = {
    "missing": "缺少必填项",
    "extra_forbidden": "不允许的字段",
    "string_too_short": "内容不能为空",
    "string_too_long": "内容过长",
    "string_pattern_mismatch": "格式不正确",
    "enum": "取值不在允许范围内",
    "too_short": "数量不足",
    "too_long": "数量过多",
    "value_error": "内容不符合要求",
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(code)
        self.status, self.code, self.message, self.details = status, code, message, details


def _body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details}


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
        kind = str(err.get("type", "value_error"))
        reason = str(err.get("msg", "")).removeprefix("Value error, ")
        # The input is not echoed back: it may be an ID number.
        out.append({"field": loc, "problem": _FIELD_ZH.get(kind, "内容不符合要求"), "type": kind, "reason": reason})
    return out


def install(app: FastAPI) -> None:
    from api.metrics import REFUSALS  # counted here, where every refusal becomes a response

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        REFUSALS.labels(exc.code, str(exc.status)).inc()
        return JSONResponse(_body(exc.code, exc.message, exc.details), status_code=exc.status,
                            headers={"WWW-Authenticate": "Bearer"} if exc.status == 401 else None)

    @app.exception_handler(Refusal)
    async def _refusal(_: Request, exc: Refusal) -> JSONResponse:
        status = STATUS_OF_REFUSAL.get(exc.code, 422)
        REFUSALS.labels(exc.code, str(status)).inc()
        return JSONResponse(_body(exc.code, exc.message), status_code=status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = _field_errors(exc)
        names = "、".join(f"{f['field'] or '请求'}({f['problem']})" for f in fields[:5])
        REFUSALS.labels("invalid_input", "422").inc()
        return JSONResponse(_body("invalid_input", f"填写内容有误：{names}", fields), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 413:  # api.upload_limit: a body past the upload cap, with its Chinese message
            return JSONResponse(_body("bad_file_size", str(exc.detail)), status_code=413)
        message = {404: "请求的资源不存在", 405: "不支持该请求方式"}.get(exc.status_code, "请求无法处理")
        return JSONResponse(_body(f"http_{exc.status_code}", message), status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The traceback stays in the server log; ID numbers never reach SQL or payloads (only their hash), so
        # no exception text can carry one.
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path, exc_info=exc)
        return JSONResponse(_body("internal_error", "系统内部错误，请稍后重试或联系管理员"), status_code=500)
