"""The OpenAPI document says what the API really answers, so clients (and the fuzzer) can rely on it:

- every operation's refusals (401/403/404/409/422/429/503) with the one error body every refusal has
  ({code, message, details}), instead of FastAPI's `HTTPValidationError` that this API never sends;
- links (OpenAPI 3 `links`) from each creating operation to the operations on what it created, derived from the
  paths (POST /cases → /cases/{case_id}/...), so stateful clients and tests chain them without a list by hand.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_SCHEMA: dict[str, Any] = {
    "title": "ErrorOut", "type": "object", "required": ["code", "message"],
    "properties": {"code": {"type": "string", "description": "机器可读的错误代码"},
                   "message": {"type": "string", "description": "中文说明"},
                   "details": {"description": "字段错误等详细信息"}},
}
_ERRORS = {"400": "请求内容无法解析", "401": "未登录或登录已失效", "403": "无权办理",
           "404": "不存在（或不在您的管辖范围内）",
           "409": "与当前状态冲突", "413": "请求内容过大", "415": "不支持的请求内容类型",
           "422": "填写内容有误", "429": "尝试次数过多，请稍后再试", "503": "系统暂时不可用，请稍后重试"}
_REF = {"$ref": "#/components/schemas/ErrorOut"}


def _id_field(param: str) -> str:
    return "code" if param == "code" else "id"


def _links(paths: dict[str, Any]) -> None:
    """POST C (201) → every operation under C/{param}, with param taken from the created object."""
    for collection, item in paths.items():
        created = item.get("post", {}).get("responses", {}).get("201")
        if created is None:
            continue
        links: dict[str, Any] = {}
        for path, target in paths.items():
            rest = path.removeprefix(collection + "/")
            if rest == path or not rest.startswith("{"):
                continue
            param = rest[1:rest.index("}")]
            for method, spec in target.items():
                if method in ("get", "post", "put", "patch", "delete") and "operationId" in spec:
                    links[f"{spec['operationId']}"[:60]] = {
                        "operationId": spec["operationId"],
                        "parameters": {param: f"$response.body#/{_id_field(param)}"}}
        if links:
            created["links"] = links


def document(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(title=app.title, version=app.version, routes=app.routes, description=app.description)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["ErrorOut"] = ERROR_SCHEMA
    shared = doc["components"].setdefault("responses", {})
    for status, text in _ERRORS.items():
        shared[f"Error{status}"] = {"description": text, "content": {"application/json": {"schema": _REF}}}
    for item in doc.get("paths", {}).values():
        for method, spec in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = spec.setdefault("responses", {})
            for status in _ERRORS:
                if status in responses and status != "422":
                    continue  # the route says itself what it answers (e.g. readiness: its checks)
                responses[status] = {"$ref": f"#/components/responses/Error{status}"}
    _links(doc.get("paths", {}))
    app.openapi_schema = doc
    return doc


def install(app: FastAPI) -> None:
    app.openapi = lambda: document(app)  # type: ignore[method-assign]
