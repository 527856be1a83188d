"""Bearer tokens and staff sessions: who may call the API at all."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from amends.accounts.models import ApiToken
from amends.cases.models import Case


def test_no_token_gets_401_with_a_json_error(api_as, db):
    response = api_as(None).get("/api/cases")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Bearer" in response.json()["error"]


@pytest.mark.parametrize(
    "header", ["Bearer am_nonsense", "Bearer ", "Token am_x", "Basic YWxhZGRpbjpvcGVu"]
)
def test_an_invalid_token_gets_401(db, header):
    response = Client().get("/api/cases", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["error"]


def test_a_post_with_an_invalid_token_gets_401_not_a_csrf_error(db, unchanged):
    before = unchanged()
    response = Client(enforce_csrf_checks=True).post(
        "/api/cases",
        "{}",
        content_type="application/json",
        headers={"Authorization": "Bearer am_bad"},
    )
    assert response.status_code == 401
    assert unchanged() == before


def test_a_revoked_token_gets_401(ania):
    token, key = ApiToken.issue(ania, "ci")
    token.delete()
    assert Client().get("/api/cases", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_a_deactivated_users_token_gets_401(ania):
    _token, key = ApiToken.issue(ania, "ci")
    ania.is_active = False
    ania.save(update_fields=["is_active"])
    assert Client().get("/api/cases", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_a_valid_token_works_and_records_its_last_use_once_a_minute(ania):
    token, key = ApiToken.issue(ania, "ci")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert client.get("/api/cases").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get("/api/cases")
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get("/api/cases")
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(seconds=61)


def test_a_token_acts_as_its_user(api_as, ania, ania_case, boryana):
    assert api_as(ania).get(f"/api/cases/{ania_case.reference}").status_code == 200
    assert api_as(boryana).get(f"/api/cases/{ania_case.reference}").status_code == 404


def test_a_logged_in_session_can_read(ania, ania_case):
    client = Client()
    client.force_login(ania)
    response = client.get(f"/api/cases/{ania_case.reference}")
    assert response.status_code == 200


def test_a_session_post_without_csrf_token_is_refused(ania, ania_case, unchanged):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ania)
    before = unchanged()
    response = client.post(
        f"/api/cases/{ania_case.reference}/notes", {"text": "hi"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]
    assert unchanged() == before


def test_a_session_post_with_csrf_token_works(ania, ania_case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ania)
    client.get("/api/docs")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/api/cases/{ania_case.reference}/notes",
        {"text": "From the docs page."},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content


def test_an_anonymous_session_gets_401(db):
    client = Client()
    client.get("/api/docs")
    assert client.get("/api/cases").status_code == 401
    assert Case.objects.count() == 0
