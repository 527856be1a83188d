"""POST /api/activity: one purchase, renewal or cancellation, idempotent on its source key."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from amends.accounts.models import ApiToken
from amends.cases.models import Customer
from amends.insights.models import CustomerActivity

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(ania):
    cache.clear()  # the rate limit counts in the cache
    _token, key = ApiToken.issue(ania, "crm")
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def jan(db):
    return Customer.objects.create(name="Jan Kowalski", email="jan@example.pl", language="pl")


BODY = {
    "customer_email": "JAN@example.pl",
    "date": "2026-03-20",
    "kind": "renewal",
    "amount": "99.00",
    "source": "crm",
    "source_key": "crm-1",
}


def test_an_activity_is_stored_once(api, jan):
    first = api.post("/api/activity", BODY, content_type="application/json")
    assert first.status_code == 201, first.content
    assert first.json()["customer_id"] == jan.pk
    again = api.post("/api/activity", BODY, content_type="application/json")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert CustomerActivity.objects.count() == 1


def test_an_unknown_customer_is_404_and_nothing_is_stored(api, jan):
    response = api.post(
        "/api/activity",
        {**BODY, "customer_email": "nobody@example.com"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["error"] == "No customer has this e-mail address."
    assert not CustomerActivity.objects.exists()


@pytest.mark.parametrize(
    "change",
    [{"kind": "refund"}, {"date": "yesterday"}, {"amount": "-1"}, {"source_key": ""}, {"extra": 1}],
)
def test_bad_input_is_422_and_nothing_is_stored(api, jan, change):
    response = api.post("/api/activity", {**BODY, **change}, content_type="application/json")
    assert response.status_code == 422
    assert "error" in response.json()
    assert not CustomerActivity.objects.exists()


def test_without_credentials_it_is_401(jan):
    assert Client().post("/api/activity", BODY, content_type="application/json").status_code == 401
