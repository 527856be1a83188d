"""POST /api/cases: open a case for a customer named inline."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from amends.cases.models import Case, Category, Customer, Event, EventKind

URL = "/api/cases"


def payload(**overrides):
    body = {
        "customer": {
            "name": "Jan Kowalski",
            "email": "jan@example.pl",
            "language": "pl",
            "jurisdiction": "PL",
            "kind": "consumer",
        },
        "subject": "Pralka przecieka",
        "description": "Pralka kupiona w marcu przecieka od tygodnia.",
    }
    body.update(overrides)
    return body


def test_creating_a_case_returns_201_with_the_case(api_as, ania):
    response = api_as(ania).post(URL, payload(priority="high", disputed_amount="1299.00"))
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert body["reference"] == case.reference
    assert body["state"] == "received"
    assert body["channel"] == "api"
    assert body["language"] == "pl"
    assert body["priority"] == "high"
    assert body["customer"]["email"] == "jan@example.pl"
    assert body["allowed_transitions"] == ["acknowledged"]
    assert body["links"]["self"] == f"/api/cases/{case.reference}"
    assert body["links"]["html"] == f"/cases/{case.reference}/"
    assert Event.objects.filter(case=case, kind=EventKind.RECEIVED, actor=ania).exists()


def test_a_known_customer_is_found_by_email(api_as, ania, customer_pl):
    response = api_as(ania).post(
        URL,
        payload(customer={"name": "J. Kowalski", "email": "JAN@example.pl", "jurisdiction": "PL"}),
    )
    assert response.status_code == 201, response.content
    assert Customer.objects.count() == 1
    assert response.json()["customer"]["id"] == customer_pl.pk
    assert Case.objects.get().customer == customer_pl


def test_a_new_customers_address_is_stored_lower_cased(api_as, ania):
    response = api_as(ania).post(
        URL, payload(customer={"name": "Ewa Nowak", "email": "Ewa.Nowak@Example.PL"})
    )
    assert response.status_code == 201
    assert response.json()["customer"]["email"] == "ewa.nowak@example.pl"
    assert Customer.objects.get().email == "ewa.nowak@example.pl"


def test_a_new_email_creates_a_customer(api_as, ania, customer_pl):
    response = api_as(ania).post(
        URL, payload(customer={"name": "Ewa Nowak", "email": "ewa@example.pl", "language": "pl"})
    )
    assert response.status_code == 201
    assert Customer.objects.count() == 2
    assert Customer.objects.get(email="ewa@example.pl").name == "Ewa Nowak"


@time_machine.travel(datetime(2026, 3, 5, 9, 0, tzinfo=ZoneInfo("Europe/Warsaw")), tick=False)
def test_a_polish_consumer_case_gets_its_14_day_statutory_deadline(api_as, ania):
    response = api_as(ania).post(URL, payload(received_at="2026-03-02T10:00:00+01:00"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["statutory_rule"].startswith("PL")
    due = datetime.fromisoformat(body["statutory_due"]).astimezone(ZoneInfo("Europe/Warsaw"))
    # Day of receipt not counted: 2 March + 14 days = 16 March, end of day.
    assert due.date().isoformat() == "2026-03-16"
    assert body["deadline_status"]["statutory"] == "on_track"


def test_category_is_found_by_name(api_as, ania):
    Category.objects.create(name="Delivery")
    response = api_as(ania).post(URL, payload(category="delivery"))
    assert response.status_code == 201
    assert response.json()["category"] == "Delivery"


def test_an_unknown_category_is_refused_and_nothing_is_created(api_as, ania, unchanged):
    before = unchanged()
    response = api_as(ania).post(URL, payload(category="Nope"))
    assert response.status_code == 400
    assert response.json()["error"] == "Unknown category: Nope."
    assert unchanged() == before
    assert Customer.objects.count() == 0


def test_a_naive_received_at_is_refused(api_as, ania, unchanged):
    before = unchanged()
    response = api_as(ania).post(URL, payload(received_at="2026-03-02T10:00:00"))
    assert response.status_code == 422
    assert response.json()["error"] == "invalid request"
    assert response.json()["details"][0]["loc"][-1] == "received_at"
    assert unchanged() == before


def test_a_future_received_at_is_refused(api_as, ania, unchanged):
    before = unchanged()
    response = api_as(ania).post(URL, payload(received_at="2999-01-01T10:00:00+00:00"))
    assert response.status_code == 400
    assert "future" in response.json()["error"]
    assert unchanged() == before
    assert Customer.objects.count() == 0


def test_an_invalid_email_is_refused(api_as, ania, unchanged):
    before = unchanged()
    body = payload(customer={"name": "X", "email": "not-an-email"})
    response = api_as(ania).post(URL, body)
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"][-1] == "email"
    assert unchanged() == before


def test_an_unknown_channel_is_refused(api_as, ania, unchanged):
    before = unchanged()
    response = api_as(ania).post(URL, payload(channel="pigeon"))
    assert response.status_code == 422
    assert unchanged() == before


def test_an_empty_subject_is_refused(api_as, ania, unchanged):
    before = unchanged()
    response = api_as(ania).post(URL, payload(subject="   "))
    assert response.status_code == 422
    assert unchanged() == before
