"""Writing the timeline: one small function per event kind. Only services call these."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from amends.cases.models import Case, Event, EventKind, Visibility


def record_event(
    case: Case,
    *,
    kind: str,
    actor: Any = None,
    visibility: str = Visibility.INTERNAL,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Event:
    return Event.objects.create(
        case=case,
        kind=kind,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        visibility=visibility,
        data=data or {},
        at=at or timezone.now(),
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def received(case: Case, *, actor: Any) -> Event:
    return record_event(
        case,
        kind=EventKind.RECEIVED,
        actor=actor,
        visibility=Visibility.CUSTOMER,
        data={
            "channel": case.channel,
            "statutory_rule": case.statutory_rule,
            "statutory_due": _iso(case.statutory_due),
            "commitment_due": _iso(case.commitment_due),
        },
        at=case.received_at,
    )


def owner_assigned(case: Case, *, actor: Any, owner: Any, automatic: bool) -> Event:
    return record_event(
        case,
        kind=EventKind.OWNER_ASSIGNED,
        actor=actor,
        visibility=Visibility.CUSTOMER,
        data={"owner_id": owner.pk, "owner_name": owner.display_name, "automatic": automatic},
    )


def handed_over(case: Case, *, actor: Any, previous: Any, owner: Any, reason: str) -> Event:
    # The customer is told who owns the case now (C-b); the reason stays internal.
    return record_event(
        case,
        kind=EventKind.HANDED_OVER,
        actor=actor,
        visibility=Visibility.CUSTOMER,
        data={
            "from_id": previous.pk if previous else None,
            "from_name": previous.display_name if previous else "",
            "owner_id": owner.pk,
            "owner_name": owner.display_name,
            "reason": reason,
        },
    )


def state_changed(
    case: Case,
    *,
    actor: Any,
    previous: str,
    reason: str,
    kind: str,
    at: datetime | None = None,
) -> Event:
    """`at`: the instant the case's milestone column got, so column and event agree exactly."""
    return record_event(
        case,
        kind=kind,
        actor=actor,
        visibility=Visibility.CUSTOMER,
        data={"from": previous, "to": case.state, "reason": reason},
        at=at,
    )


def note_added(case: Case, *, actor: Any, text: str) -> Event:
    return record_event(case, kind=EventKind.NOTE, actor=actor, data={"text": text})


def phone_call_logged(
    case: Case, *, actor: Any, summary: str, direction: str, minutes: int | None
) -> Event:
    return record_event(
        case,
        kind=EventKind.PHONE_CALL,
        actor=actor,
        data={"summary": summary, "direction": direction, "minutes": minutes},
    )


def reply_recorded(
    case: Case,
    *,
    actor: Any,
    text: str,
    substantive: bool,
    coach_score: int | None = None,
    at: datetime | None = None,
) -> Event:
    data: dict[str, Any] = {"text": text, "substantive": substantive}
    if coach_score is not None:
        data["coach_score"] = coach_score
    return record_event(
        case, kind=EventKind.REPLY, actor=actor, visibility=Visibility.CUSTOMER, data=data, at=at
    )


def commitment_set(case: Case, *, actor: Any, previous: datetime | None, note: str) -> Event:
    return record_event(
        case,
        kind=EventKind.COMMITMENT_SET,
        actor=actor,
        visibility=Visibility.CUSTOMER,
        data={"from": _iso(previous), "to": _iso(case.commitment_due), "note": note},
    )


def statutory_extended(case: Case, *, actor: Any, previous: datetime | None, reason: str) -> Event:
    return record_event(
        case,
        kind=EventKind.STATUTORY_EXTENDED,
        actor=actor,
        visibility=Visibility.CUSTOMER,
        data={"from": _iso(previous), "to": _iso(case.statutory_due), "reason": reason},
    )


def priority_changed(case: Case, *, actor: Any, previous: str) -> Event:
    return record_event(
        case,
        kind=EventKind.PRIORITY_CHANGED,
        actor=actor,
        data={"from": previous, "to": case.priority},
    )


def deadline_alert(
    case: Case, *, kind: str, deadline: str, due: datetime, consequence: str = ""
) -> Event:
    return record_event(
        case,
        kind=kind,
        data={
            "deadline": deadline,
            "due": _iso(due),
            "rule": case.statutory_rule,
            "consequence": consequence,
        },
    )
