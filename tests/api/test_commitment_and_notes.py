"""POST /api/cases/{reference}/commitment and /notes."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from amends.cases.models import Event, EventKind

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))


@time_machine.travel(NOW, tick=False)
def test_the_owner_sets_a_commitment_before_the_statutory_date(
    api_as, ania, make_case, customer_pl
):
    ania_case = make_case(customer_pl, owner=ania)
    response = api_as(ania).post(
        f"/api/cases/{ania_case.reference}/commitment",
        {"due": "2026-03-06", "note": "Technician visit."},
    )
    assert response.status_code == 200, response.content
    due = datetime.fromisoformat(response.json()["commitment_due"]).astimezone(
        ZoneInfo("Europe/Warsaw")
    )
    assert due.date().isoformat() == "2026-03-06"
    event = Event.objects.filter(case=ania_case, kind=EventKind.COMMITMENT_SET).get()
    assert event.data["note"] == "Technician visit."


@time_machine.travel(NOW, tick=False)
def test_a_commitment_after_the_statutory_date_is_refused(
    api_as, ania, make_case, customer_pl, unchanged
):
    ania_case = make_case(customer_pl, owner=ania)
    before = unchanged()
    response = api_as(ania).post(
        f"/api/cases/{ania_case.reference}/commitment", {"due": "2026-04-30"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == (
        "The next step cannot fall after the statutory deadline of 2026-03-16."
    )
    assert unchanged() == before


def test_a_commitment_in_the_past_is_refused(api_as, ania, ania_case, unchanged):
    before = unchanged()
    yesterday = timezone.localdate() - timedelta(days=2)
    response = api_as(ania).post(
        f"/api/cases/{ania_case.reference}/commitment", {"due": yesterday.isoformat()}
    )
    assert response.status_code == 400
    assert unchanged() == before


def test_a_malformed_date_gets_422(api_as, ania, ania_case, unchanged):
    before = unchanged()
    response = api_as(ania).post(
        f"/api/cases/{ania_case.reference}/commitment", {"due": "next friday"}
    )
    assert response.status_code == 422
    assert unchanged() == before


def test_the_owner_adds_a_note(api_as, ania, ania_case):
    response = api_as(ania).post(
        f"/api/cases/{ania_case.reference}/notes", {"text": "Called the shop."}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "note"
    assert body["visibility"] == "internal"
    assert body["actor"]["username"] == "ania"
    assert body["data"] == {"text": "Called the shop."}


def test_an_empty_note_is_refused(api_as, ania, ania_case, unchanged):
    before = unchanged()
    response = api_as(ania).post(f"/api/cases/{ania_case.reference}/notes", {"text": "  "})
    assert response.status_code == 400
    assert response.json()["error"] == "A note cannot be empty."
    assert unchanged() == before


def test_another_team_cannot_add_a_note(api_as, boryana, ania_case, unchanged):
    before = unchanged()
    assert (
        api_as(boryana).post(f"/api/cases/{ania_case.reference}/notes", {"text": "Hi"}).status_code
        == 404
    )
    assert unchanged() == before
