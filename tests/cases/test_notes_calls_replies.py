"""Notes, phone calls and replies recorded from the case page."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from amends.cases.models import EventKind


def test_the_owner_adds_an_internal_note(login, ania, ania_case) -> None:
    response = login(ania).post(
        reverse("cases:add-note", args=[ania_case.reference]), {"text": "Asked the warehouse"}
    )
    assert response.status_code == 302
    note = ania_case.events.get(kind=EventKind.NOTE)
    assert note.data["text"] == "Asked the warehouse"
    assert not note.is_customer_visible


def test_an_empty_note_is_rejected(login, ania, ania_case) -> None:
    response = login(ania).post(reverse("cases:add-note", args=[ania_case.reference]), {"text": ""})
    assert response.status_code == 400
    assert not ania_case.events.filter(kind=EventKind.NOTE).exists()


def test_the_owner_logs_a_phone_call(login, ania, ania_case) -> None:
    data = {"direction": "outbound", "minutes": "7", "summary": "Agreed a technician visit"}
    response = login(ania).post(reverse("cases:log-call", args=[ania_case.reference]), data)
    assert response.status_code == 302
    call = ania_case.events.get(kind=EventKind.PHONE_CALL)
    assert call.data == {
        "summary": "Agreed a technician visit",
        "direction": "outbound",
        "minutes": 7,
    }


def test_a_call_of_impossible_length_is_rejected(login, ania, ania_case) -> None:
    data = {"direction": "inbound", "minutes": "9999", "summary": "Long"}
    response = login(ania).post(reverse("cases:log-call", args=[ania_case.reference]), data)
    assert response.status_code == 400
    assert not ania_case.events.filter(kind=EventKind.PHONE_CALL).exists()


def test_a_substantive_reply_with_a_next_step_stops_the_statutory_clock(
    login, ania, ania_case
) -> None:
    day = timezone.localdate() + timedelta(days=2)
    data = {
        "text": "We will replace the washer.",
        "next_step": day.isoformat(),
        "substantive": "on",
    }
    response = login(ania).post(reverse("cases:record-reply", args=[ania_case.reference]), data)
    assert response.status_code == 302
    ania_case.refresh_from_db()
    assert ania_case.answered_at is not None
    assert timezone.localtime(ania_case.commitment_due).date() == day
    reply = ania_case.events.get(kind=EventKind.REPLY)
    assert reply.data["text"] == "We will replace the washer."
    assert reply.data["substantive"] is True
    # The coach's score of what was sent: no apology, no understanding, no named owner.
    assert reply.data["coach_score"] <= 60
    assert reply.is_customer_visible


def test_a_reply_promising_a_date_after_the_statutory_deadline_changes_nothing(
    login, ania, ania_case
) -> None:
    day = timezone.localtime(ania_case.statutory_due).date() + timedelta(days=5)
    data = {"text": "We will answer later.", "next_step": day.isoformat()}
    response = login(ania).post(reverse("cases:record-reply", args=[ania_case.reference]), data)
    assert response.status_code == 400
    assert "cannot fall after the statutory deadline" in response.content.decode()
    assert not ania_case.events.filter(kind=EventKind.REPLY).exists()
