"""Every refusal answers with a machine code and a Chinese message a case worker understands; never a 500
with a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.faults import bad_value, transient
from api.field_errors import field_errors, summary
from policy.accounts import Refusal

log = logging.getLogger(__name__)

# Status for each refusal code raised by the case workflow or its activities.
STATUS_OF_CODE: dict[str, int] = {
    "wrong_role": 403,
    "case_not_found": 404,
    "not_eligible": 422,
    "unknown_item": 422,
    "duplicate_service": 422,
    "unknown_provider": 422,
    "item_not_approved": 422,
    "plan_exceeds_approval": 422,
    "item_not_purchased": 422,
    "unknown_file": 422,
    "system_unavailable": 503,
}
# A case the asker may not see answers exactly like a case that does not exist: existence is not revealed.
NOT_FOUND = ("case_not_found", "案件不存在")
FOREIGN_CODES = frozenset({"out_of_jurisdiction", "not_assigned_provider", "not_own_case", "case_not_found"})

# Status of each refusal of the account rules (policy/accounts.py); any other is 422.
STATUS_OF_REFUSAL: dict[str, int] = {
    "wrong_role": 403, "role_not_allowed": 403, "lead_not_allowed": 403, "out_of_jurisdiction": 403,
    "not_self": 403, "user_not_found": 404, "provider_not_found": 404,
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(code)
        self.status, self.code, self.message, self.details = status, code, message, details


def _body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details}


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
        fields = field_errors(exc)
        REFUSALS.labels("invalid_input", "422").inc()
        return JSONResponse(_body("invalid_input", summary(fields), fields), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 413:  # api.upload_limit: a body past the upload cap, with its Chinese message
            return JSONResponse(_body("bad_file_size", str(exc.detail)), status_code=413)
        message = {400: "请求内容无法解析（不是有效的 JSON 或表单）", 404: "请求的资源不存在", 405: "不支持该请求方式",
                   415: "不支持的请求内容类型"}.get(exc.status_code, "请求无法处理")
        return JSONResponse(_body(f"http_{exc.status_code}", message), status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        if bad_value(exc):  # e.g. an integer past the column's range in a path or `offset`
            return JSONResponse(_body("invalid_input", "填写的数值超出允许范围或格式不正确"), status_code=422)
        if transient(exc):  # the database or Temporal is down or restarting: nothing was recorded, retry later
            log.warning("unavailable: %s on %s %s", type(exc).__name__, request.method, request.url.path)
            return JSONResponse(_body("system_unavailable", "系统暂时不可用，请稍后重试"), status_code=503,
                                headers={"Retry-After": "5"})
        # The traceback stays in the server log; ID numbers never reach SQL or payloads (only their hash), so
        # no exception text can carry one.
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path, exc_info=exc)
        return JSONResponse(_body("internal_error", "系统内部错误，请稍后重试或联系管理员"), status_code=500)
