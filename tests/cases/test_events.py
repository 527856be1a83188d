"""The timeline is append-only: events are never edited or deleted."""

from __future__ import annotations

import pytest
from django.db.models.deletion import ProtectedError

from amends.cases.models import AppendOnlyError, Case, Event


def test_an_event_cannot_be_edited_or_deleted(ania_case: Case) -> None:
    event = ania_case.events.first()
    assert event is not None
    event.data = {"forged": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(case=ania_case).update(data={})
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(case=ania_case).delete()
    assert ania_case.events.first().data != {"forged": True}


def test_a_case_with_a_timeline_cannot_be_deleted(ania_case: Case) -> None:
    with pytest.raises(ProtectedError):
        ania_case.delete()


def test_the_database_itself_refuses_to_edit_an_event(ania_case: Case) -> None:
    from django.db import DatabaseError, connection, transaction

    event = ania_case.events.first()
    assert event is not None
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE cases_event SET kind = 'note' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.kind != "note"
