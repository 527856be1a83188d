"""Setting the dated next step promised to the customer."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from amends.cases.models import EventKind


def url(case) -> str:
    return reverse("cases:set-commitment", args=[case.reference])


def test_the_owner_sets_the_next_step(login, ania, ania_case) -> None:
    day = timezone.localdate() + timedelta(days=3)
    response = login(ania).post(
        url(ania_case), {"due": day.isoformat(), "note": "Technician visit"}
    )
    assert response.status_code == 302
    ania_case.refresh_from_db()
    assert timezone.localtime(ania_case.commitment_due).date() == day
    assert ania_case.events.get(kind=EventKind.COMMITMENT_SET).data["note"] == "Technician visit"


def test_a_next_step_after_the_statutory_date_is_rejected_inline(login, ania, ania_case) -> None:
    before = ania_case.commitment_due
    day = timezone.localtime(ania_case.statutory_due).date() + timedelta(days=1)
    response = login(ania).post(url(ania_case), {"due": day.isoformat()})
    assert response.status_code == 400
    form = response.context["forms"]["commitment"]
    assert "cannot fall after the statutory deadline" in form.errors["due"][0]
    assert "cannot fall after the statutory deadline" in response.content.decode()
    ania_case.refresh_from_db()
    assert ania_case.commitment_due == before
    assert not ania_case.events.filter(kind=EventKind.COMMITMENT_SET).exists()


def test_a_next_step_in_the_past_is_rejected(login, ania, ania_case) -> None:
    day = timezone.localdate() - timedelta(days=1)
    response = login(ania).post(url(ania_case), {"due": day.isoformat()})
    assert response.status_code == 400
    assert "in the past" in response.content.decode()


def test_a_malformed_date_is_rejected(login, ania, ania_case) -> None:
    response = login(ania).post(url(ania_case), {"due": "next tuesday"})
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
