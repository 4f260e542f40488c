"""The OpenAPI document describes what the API really answers (clients, the console's typed client and the fuzzer
rely on it): files are declared as files, every refusal has the error body, creating operations link onwards."""

from __future__ import annotations

from api.main import create_app

DOC = create_app().openapi()
OPS = [(path, method, spec) for path, item in DOC["paths"].items() for method, spec in item.items()
       if method in ("get", "post", "put", "patch", "delete")]


def test_no_success_is_declared_as_json_without_a_schema() -> None:
    empty = [f"{m.upper()} {p}" for p, m, spec in OPS for status, r in spec["responses"].items()
             if status.startswith("2") and r.get("content", {}).get("application/json", {}).get("schema") == {}]
    assert not empty, f"declare what these answer (a model, or responses=EXPORT_RESPONSES for a file): {empty}"


def test_every_operation_documents_its_refusals_with_the_error_body() -> None:
    for path, method, spec in OPS:
        for status in ("401", "404", "422", "503"):
            declared = spec["responses"][status]
            # the error body, or what the route itself says it answers (readiness: its checks)
            assert declared == {"$ref": f"#/components/responses/Error{status}"} or (
                status != "422" and declared["content"]["application/json"]["schema"]), (method, path)
    assert "HTTPValidationError" not in DOC["components"]["schemas"]  # never sent: 422 is the error body


def test_creating_a_case_links_to_its_steps() -> None:
    links = DOC["paths"]["/cases"]["post"]["responses"]["201"]["links"]
    assert any(link["parameters"] == {"case_id": "$response.body#/id"} for link in links.values())
    assert len(links) >= 15
