"""Malformed requests get a clear JSON error and change nothing."""

from __future__ import annotations

import pytest

from amends.cases.models import Customer


@pytest.fixture
def client(api_as, ania):
    return api_as(ania)


@pytest.mark.parametrize("raw", ['{"subject": ', "not json", "\xff\xfe", '{"to": "acknowledged",}'])
def test_malformed_json_gets_400(client, ania_case, unchanged, raw):
    before = unchanged()
    response = client.post(f"/api/cases/{ania_case.reference}/transitions", raw=raw)
    assert response.status_code == 400
    assert response.json() == {"error": "The request body is not valid JSON."}
    assert unchanged() == before


def test_malformed_json_on_create_gets_400(client, unchanged):
    before = unchanged()
    response = client.post("/api/cases", raw='{"customer": {"name": "Jan"')
    assert response.status_code == 400
    assert unchanged() == before
    assert Customer.objects.count() == 0


@pytest.mark.parametrize("raw", ["[]", "null", "42", '"acknowledged"', ""])
def test_a_body_that_is_not_an_object_gets_422(client, ania_case, unchanged, raw):
    before = unchanged()
    response = client.post(f"/api/cases/{ania_case.reference}/transitions", raw=raw)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid request"
    assert unchanged() == before


def test_extra_fields_get_422(client, ania_case, unchanged):
    before = unchanged()
    response = client.post(
        f"/api/cases/{ania_case.reference}/transitions", {"to": "acknowledged", "owner": "ania"}
    )
    assert response.status_code == 422
    details = response.json()["details"]
    assert details[0]["type"] == "extra_forbidden"
    assert details[0]["loc"][-1] == "owner"
    assert unchanged() == before


def test_extra_fields_in_the_inline_customer_get_422(client, unchanged):
    before = unchanged()
    body = {
        "customer": {"name": "Jan", "email": "jan@example.pl", "vip": True},
        "subject": "S",
        "description": "D",
    }
    response = client.post("/api/cases", body)
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"][-2:] == ["customer", "vip"]
    assert unchanged() == before


def test_wrong_types_get_422(client, ania_case, unchanged):
    before = unchanged()
    response = client.post(f"/api/cases/{ania_case.reference}/notes", {"text": ["a", "b"]})
    assert response.status_code == 422
    assert unchanged() == before


def test_overlong_text_gets_422(client, ania_case, unchanged):
    before = unchanged()
    response = client.post(f"/api/cases/{ania_case.reference}/notes", {"text": "x" * 20001})
    assert response.status_code == 422
    assert unchanged() == before


@pytest.mark.parametrize("amount", ["-1", "1.001", "1e20", "abc"])
def test_bad_amounts_get_422(client, unchanged, amount):
    before = unchanged()
    body = {
        "customer": {"name": "Jan"},
        "subject": "S",
        "description": "D",
        "disputed_amount": amount,
    }
    assert client.post("/api/cases", body).status_code == 422
    assert unchanged() == before


def test_unknown_paths_get_404(client):
    assert client.get("/api/nothing-here").status_code == 404


def test_nul_characters_get_422(client, ania_case, unchanged):
    before = unchanged()
    response = client.post(f"/api/cases/{ania_case.reference}/notes", {"text": "a\x00b"})
    assert response.status_code == 422
    assert unchanged() == before
    assert client.get("/api/cases", {"q": "a\x00"}).status_code == 422
