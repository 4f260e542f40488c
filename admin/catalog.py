"""`assistflow service-list template|import`: the county's service list and fee standards from an XLSX sheet.

One row per item: code, name, category, unit, government- or socially funded, the benefits that already meet it,
and (optionally) a fee standard from a date. Items are added or corrected and fees added through the same
functions as the API's `/service-items` endpoints, so locked periods and overlapping fees are refused alike.
Idempotent: a row already in force is reported unchanged.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from admin.context import Admin, admin_actor, done, fail, run
from api.errors import ApiError
from api.routes.settlement import catalog
from models.service_list import DEFAULT_ITEMS
from models.settlement.schemas import FeeIn, ServiceItemIn, ServiceItemPatch
from models.settlement.tables import FEE_STANDARDS
from models.tables import SERVICE_ITEMS
from vocabulary.case import Benefit, NeedCategory
from vocabulary.settlement import FundingSource, ServiceUnit

app = typer.Typer(help="服务清单与收费标准 / service list and fee standards", no_args_is_help=True)
HEADERS = ("服务事项代码", "名称", "类别", "计量单位", "政府承担(是/否)", "已由其他保障满足(可多项，顿号分隔)",
           "单价(元)", "资金来源", "执行日期(YYYY-MM-DD)")
BENEFIT_ZH = {b.value: b.zh for b in Benefit}
CATEGORY_ZH = {c.value: c.zh for c in NeedCategory}
UNIT_ZH = {u.value: u.zh for u in ServiceUnit}
FUNDING_SOURCE_ZH = {s.value: s.zh for s in FundingSource}


def _lookup(table: dict[Any, str], value: str, what: str) -> str:
    value = value.strip()
    for code, label in table.items():
        if value in (str(code), label):
            return str(code)
    raise ValueError(f"{what}“{value}”不在可选范围内：{'、'.join(table.values())}")


def template_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "服务清单"
    sheet.append(HEADERS)
    for item in DEFAULT_ITEMS:
        sheet.append([item.code, item.name, CATEGORY_ZH[item.category], UNIT_ZH[item.unit],
                      "是" if item.government_funded else "否",
                      "、".join(BENEFIT_ZH[b] for b in item.overlaps_benefits), None, None, None])
    notes = book.create_sheet("填写说明")
    for line in ("每行一个服务事项；代码为小写字母和下划线。单价、资金来源、执行日期三项同时填写时登记收费标准。",
                 f"类别：{'、'.join(CATEGORY_ZH.values())}；计量单位：{'、'.join(UNIT_ZH.values())}",
                 f"资金来源：{'、'.join(FUNDING_SOURCE_ZH.values())}",
                 f"已由其他保障满足：{'、'.join(BENEFIT_ZH.values())}"):
        notes.append([line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parse_row(cells: list[Any]) -> tuple[ServiceItemIn, FeeIn | None]:
    code, name, category, unit, funded, overlaps, price, source, since = (list(cells) + [None] * 9)[:9]
    benefits = [_lookup(BENEFIT_ZH, b, "已由其他保障满足") for b in str(overlaps or "").replace(",", "、").split("、")
                if b.strip()]
    item = ServiceItemIn.model_validate({
        "code": str(code or "").strip(), "name": str(name or "").strip(),
        "category": _lookup(CATEGORY_ZH, str(category or ""), "类别"),
        "unit": _lookup(UNIT_ZH, str(unit or ""), "单位"),
        "government_funded": str(funded or "").strip() in ("是", "true", "True", "1"), "overlaps_benefits": benefits})
    if price in (None, "") and source in (None, "") and since in (None, ""):
        return item, None
    try:
        amount = Decimal(str(price)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(f"单价“{price}”不是金额") from None
    start = since.date() if isinstance(since, datetime) else since if isinstance(since, date) else \
        date.fromisoformat(str(since).strip())
    return item, FeeIn(valid_from=start, price=amount, funding_source=_lookup(FUNDING_SOURCE_ZH, str(source or ""),
                                                                               "资金来源"))


async def apply_row(a: Admin, county: str, item: ServiceItemIn, fee: FeeIn | None) -> str:
    """added / corrected / unchanged, plus "+fee" when a fee standard was added."""
    actor = admin_actor(county)
    async with a.sessions() as session:
        current = (await session.execute(select(SERVICE_ITEMS).where(
            SERVICE_ITEMS.c.county_code == county, SERVICE_ITEMS.c.code == item.code))).first()
        if current is None:
            await catalog.add_item(item, actor, session)
            outcome = "added"
        else:
            wanted = item.model_dump(mode="json", exclude={"code"})
            changes = {k: v for k, v in wanted.items() if getattr(current, k) != v}
            if changes:
                await catalog.edit_item(item.code, ServiceItemPatch.model_validate(changes), actor, session)
            outcome = "corrected" if changes else "unchanged"
    if fee is None:
        return outcome
    async with a.sessions() as session:
        f = FEE_STANDARDS.c
        same = (await session.execute(select(f.price, f.funding_source).where(
            f.county_code == county, f.item_code == item.code, f.valid_from == fee.valid_from))).first()
        if same is not None and (same.price, same.funding_source) == (fee.price, fee.funding_source.value):
            return outcome
        await catalog.add_fee(item.code, fee, actor, session)
    return f"{outcome}+fee"


@app.command("template")
def template(out: Annotated[Path, typer.Argument(help="写出的 XLSX 文件 / file to write")]) -> None:
    """写出服务清单导入模板（含默认服务事项） / write the import template (with the default items)."""
    out.write_bytes(template_bytes())
    done(f"已写出模板 {out}", f"template written to {out}")


@app.command("import")
def import_list(
    path: Annotated[Path, typer.Argument(help="XLSX 文件 / file", exists=True, dir_okay=False)],
    county: Annotated[str, typer.Option("--county", help="县级区划代码(6位) / county code")],
) -> None:
    """导入服务清单与收费标准 / import the service list and fee standards (idempotent)."""
    sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True) if r and r[0] not in (None, "")]

    async def work(a: Admin) -> None:
        tally: dict[str, int] = {}
        errors = 0
        for line, cells in enumerate(rows, start=2):
            try:
                item, fee = parse_row(cells)
                outcome = await apply_row(a, county, item, fee)
            except (ValueError, ApiError) as err:
                errors += 1
                message = err.message if isinstance(err, ApiError) else str(err).splitlines()[0]
                typer.echo(f"第{line}行 / row {line}: {message}", err=True)
                continue
            tally[outcome] = tally.get(outcome, 0) + 1
        summary = "，".join(f"{k} {v}" for k, v in sorted(tally.items())) or "无"
        done(f"导入完成：{summary}", f"imported: {summary}")
        if errors:
            fail(f"{errors} 行未导入，见上", f"{errors} rows not imported, see above", "rows_refused")

    run(work)
