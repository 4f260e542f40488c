"""Neighbour help's objects of a jurisdiction (mode 6), made through the API by its own people: a trained helper of
the case's village, its pairing with the case, a service the village recorded and the township approved, and the
township's yearly statement that pays it. A fixed past year (2019) that no other test settles, with the county's
subsidy standard for that year only (setting the same standard again is the same standard)."""

from __future__ import annotations

from tests.matrix.oversight_objects import Caller, People

YEAR = 2019


async def neighbour_objects(maker: Caller, who: People, tag: str) -> dict[str, str]:
    await maker.ok("POST", "/neighbour/rates", who.officer, {
        "valid_from": f"{YEAR}-01-01", "valid_to": f"{YEAR}-12-31", "basis": "per_service", "amount": "30.00"})
    helper = (await maker.ok("POST", "/neighbour/helpers", who.worker, {
        "name": "邻里互助员", "village_code": who.village, "trained_on": f"{YEAR - 1}-12-01",
        "certificate_no": f"PX-matrix-{tag}", "account_name": "邻里互助员", "account_no": "6222020000009999",
        "bank_name": "池州农商银行"}))["id"]
    pairing = (await maker.ok("POST", f"/neighbour/helpers/{helper}/pairings", who.worker, {
        "case_id": who.case, "content": "助餐、助洁", "started_on": f"{YEAR}-01-01"}))["id"]
    record = (await maker.ok("POST", f"/neighbour/pairings/{pairing}/records", who.assistant, {
        "served_on": f"{YEAR}-03-05", "content": "上门助洁", "count": 1, "minutes": 60}))["id"]
    await maker.ok("POST", f"/neighbour/records/{record}/review", who.worker, {"approve": True})
    run = await maker.ok("POST", "/neighbour-settlements", who.worker, {"year": YEAR})
    (statement,) = run["statements"]
    return {"neighbour_helper": helper, "helper_pairing": pairing, "neighbour_record": record,
            "year_statement": statement}
