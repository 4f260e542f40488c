"""Field-level validation errors in Chinese: what is wrong with which field, for a case worker.

Pydantic's own messages are English ("Field required"); every reason a person reads here is Chinese. A custom
validator's message (raised as ValueError in Chinese) is kept as it is. The input is never echoed back: it
may be an ID number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi.exceptions import RequestValidationError

# The short problem (shown in the summary line) per pydantic error type.
PROBLEM: dict[str, str] = {
    "missing": "缺少必填项",
    "extra_forbidden": "不允许的字段",
    "string_too_short": "内容不能为空",
    "string_too_long": "内容过长",
    "string_pattern_mismatch": "格式不正确",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "too_short": "数量不足",
    "too_long": "数量过多",
    "value_error": "内容不符合要求",
    "json_invalid": "不是有效的 JSON",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "greater_than_equal": "数值过小",
    "greater_than": "数值过小",
    "less_than_equal": "数值过大",
    "less_than": "数值过大",
}


def _ctx(err: Mapping[str, Any], name: str) -> Any:
    return (err.get("ctx") or {}).get(name, "")


# The full reason per error type; formatted with the error's context (limits, allowed values).
_REASON: dict[str, Any] = {
    "missing": lambda e: "此项为必填项",
    "extra_forbidden": lambda e: "不允许填写此项（请核对字段名）",
    "string_too_short": lambda e: f"至少需要{_ctx(e, 'min_length')}个字符",
    "string_too_long": lambda e: f"不能超过{_ctx(e, 'max_length')}个字符",
    "string_pattern_mismatch": lambda e: "格式不正确",
    "string_type": lambda e: "应为文字，且不能为空值",
    "enum": lambda e: f"取值应为以下之一：{_ctx(e, 'expected')}",
    "literal_error": lambda e: f"取值应为以下之一：{_ctx(e, 'expected')}",
    "too_short": lambda e: f"至少需要{_ctx(e, 'min_length')}项",
    "too_long": lambda e: f"最多{_ctx(e, 'max_length')}项",
    "json_invalid": lambda e: "请求内容不是有效的 JSON",
    "int_parsing": lambda e: "应为整数",
    "int_type": lambda e: "应为整数，且不能为空值",
    "int_from_float": lambda e: "应为整数",
    "float_parsing": lambda e: "应为数字",
    "float_type": lambda e: "应为数字，且不能为空值",
    "decimal_parsing": lambda e: "应为金额数字",
    "decimal_type": lambda e: "应为金额数字，且不能为空值",
    "decimal_max_places": lambda e: f"小数不能超过{_ctx(e, 'decimal_places')}位",
    "decimal_max_digits": lambda e: f"数字不能超过{_ctx(e, 'max_digits')}位",
    "decimal_whole_digits": lambda e: f"整数部分不能超过{_ctx(e, 'whole_digits')}位",
    "bool_parsing": lambda e: "应为是或否（true/false）",
    "bool_type": lambda e: "应为是或否（true/false），且不能为空值",
    "greater_than_equal": lambda e: f"不能小于{_ctx(e, 'ge')}",
    "greater_than": lambda e: f"应大于{_ctx(e, 'gt')}",
    "less_than_equal": lambda e: f"不能大于{_ctx(e, 'le')}",
    "less_than": lambda e: f"应小于{_ctx(e, 'lt')}",
    "uuid_parsing": lambda e: "应为有效的编号（UUID）",
    "uuid_type": lambda e: "应为有效的编号（UUID）",
    "date_parsing": lambda e: "应为日期，格式如 2026-11-02",
    "date_from_datetime_parsing": lambda e: "应为日期，格式如 2026-11-02",
    "date_type": lambda e: "应为日期，格式如 2026-11-02",
    "datetime_parsing": lambda e: "应为时间，格式如 2026-11-02T09:00:00+08:00",
    "datetime_from_date_parsing": lambda e: "应为时间，格式如 2026-11-02T09:00:00+08:00",
    "datetime_type": lambda e: "应为时间，格式如 2026-11-02T09:00:00+08:00",
    "list_type": lambda e: "应为列表",
    "dict_type": lambda e: "应为对象",
    "model_type": lambda e: "应为对象",
    "model_attributes_type": lambda e: "应为对象",
    "none_required": lambda e: "此项应为空",
    "string_unicode": lambda e: "文字编码无效",
    "int_from_string": lambda e: "应为整数",
    "union_tag_invalid": lambda e: "类型不正确",
    "url_parsing": lambda e: "网址格式不正确",
}


def _field(loc: tuple[Any, ...], kind: str) -> str:
    # Malformed JSON reports the character offset as its location ("26"): that is no field a person knows.
    if kind == "json_invalid":
        return ""
    return ".".join(str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie"))


def reason(err: Mapping[str, Any]) -> str:
    kind = str(err.get("type", "value_error"))
    if kind in ("value_error", "assertion_error"):
        message = str(err.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        # Our validators speak Chinese; anything else (a library's English) is replaced.
        return message if any("\u4e00" <= ch <= "\u9fff" for ch in message) else "内容不符合要求"
    make = _REASON.get(kind)
    return str(make(err)) if make else "内容不符合要求"


def field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        kind = str(err.get("type", "value_error"))
        out.append({"field": _field(tuple(err.get("loc", ())), kind), "problem": PROBLEM.get(kind, "内容不符合要求"),
                    "type": kind, "reason": reason(err)})
    return out


def summary(fields: list[dict[str, Any]]) -> str:
    if any(f["type"] == "json_invalid" for f in fields):
        return "请求内容不是有效的 JSON，请检查格式"
    names = "、".join(f"{f['field'] or '请求'}({f['reason']})" for f in fields[:5])
    return f"填写内容有误：{names}"
