"""The OpenAPI schema and the interactive docs."""

from __future__ import annotations

from django.test import Client


def test_the_openapi_schema_is_served_without_login(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Amends API"
    assert "Bearer" in schema["info"]["description"]
    assert {"name": "cases", "description": "Complaint cases and their timeline."} in schema["tags"]
    paths = schema["paths"]
    assert {
        "/api/cases",
        "/api/cases/{reference}",
        "/api/cases/{reference}/transitions",
        "/api/cases/{reference}/hand-over",
        "/api/cases/{reference}/commitment",
        "/api/cases/{reference}/events",
        "/api/cases/{reference}/notes",
    } <= set(paths)
    assert set(paths["/api/cases"]) == {"get", "post"}
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_input_enums_come_from_the_models(db):
    schema = Client().get("/api/openapi.json").json()
    components = schema["components"]["schemas"]
    assert components["State"]["enum"] == [
        "received",
        "acknowledged",
        "investigating",
        "resolution_proposed",
        "resolved",
        "closed",
    ]
    assert components["TransitionIn"]["additionalProperties"] is False


def test_the_docs_page_is_served(db):
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
