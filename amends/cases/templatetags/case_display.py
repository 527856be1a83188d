"""Display helpers for cases: deadline badges and human-readable, translated timeline entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from amends.cases.models import Channel, DeadlineStatus, Event, EventKind, Priority, State

register = template.Library()


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _date(value: str | None) -> str:
    parsed = parse_datetime(value) if value else None
    if parsed is None:
        return "—"
    return formats.date_format(timezone.localtime(parsed), "DATE_FORMAT")


@register.filter
def status_label(value: str) -> str:
    """The translated label of a DeadlineStatus value."""
    return _label(DeadlineStatus, value)


@register.filter
def days_left(due: datetime | None) -> str:
    """'due today', 'in 3 days', '2 days overdue', counted in calendar days of the active time zone."""
    if due is None:
        return ""
    today = timezone.localdate()
    days = (timezone.localtime(due).date() - today).days
    if days == 0:
        return _("due today") if due >= timezone.now() else _("overdue since today")
    if days == 1:
        return _("due tomorrow")
    if days > 1:
        return ngettext("in %(count)d day", "in %(count)d days", days) % {"count": days}
    late = -days
    return ngettext("%(count)d day overdue", "%(count)d days overdue", late) % {"count": late}


def _alert_target(data: dict[str, Any]) -> str:
    due = _date(data.get("due"))
    if data.get("deadline") == "statutory":
        return _("the statutory deadline of %(date)s") % {"date": due}
    return _("the next step due on %(date)s") % {"date": due}


@register.filter
def event_summary(event: Event) -> str:
    """One translated sentence saying what happened."""
    data: dict[str, Any] = event.data or {}
    kind = event.kind
    if kind == EventKind.RECEIVED:
        return _("Complaint received via %(channel)s.") % {
            "channel": _label(Channel, data.get("channel"))
        }
    if kind == EventKind.OWNER_ASSIGNED:
        if data.get("automatic"):
            return _("Assigned automatically to %(name)s.") % {"name": data.get("owner_name", "")}
        return _("%(name)s became the owner.") % {"name": data.get("owner_name", "")}
    if kind == EventKind.HANDED_OVER:
        if data.get("from_name"):
            return _("Handed over from %(previous)s to %(name)s.") % {
                "previous": data["from_name"],
                "name": data.get("owner_name", ""),
            }
        return _("Handed over to %(name)s.") % {"name": data.get("owner_name", "")}
    if kind == EventKind.ACKNOWLEDGED:
        return _("Receipt of the complaint acknowledged.")
    if kind == EventKind.STATE_CHANGED:
        return _("State changed from %(previous)s to %(state)s.") % {
            "previous": _label(State, data.get("from")),
            "state": _label(State, data.get("to")),
        }
    if kind == EventKind.REOPENED:
        return _("Reopened (it was %(previous)s).") % {"previous": _label(State, data.get("from"))}
    if kind == EventKind.NOTE:
        return _("Internal note.")
    if kind == EventKind.PHONE_CALL:
        minutes = data.get("minutes")
        if data.get("direction") == "outbound":
            if minutes is None:
                return _("We called the customer.")
            return ngettext(
                "We called the customer (%(count)d minute).",
                "We called the customer (%(count)d minutes).",
                minutes,
            ) % {"count": minutes}
        if minutes is None:
            return _("The customer called.")
        return ngettext(
            "The customer called (%(count)d minute).",
            "The customer called (%(count)d minutes).",
            minutes,
        ) % {"count": minutes}
    if kind == EventKind.REPLY:
        if data.get("substantive"):
            return _("Substantive answer sent to the customer.")
        return _("Reply sent to the customer.")
    if kind == EventKind.COMMITMENT_SET:
        return _("Next step promised for %(date)s.") % {"date": _date(data.get("to"))}
    if kind == EventKind.STATUTORY_EXTENDED:
        return _("Statutory deadline extended to %(date)s.") % {"date": _date(data.get("to"))}
    if kind == EventKind.PRIORITY_CHANGED:
        return _("Priority changed from %(previous)s to %(priority)s.") % {
            "previous": _label(Priority, data.get("from")),
            "priority": _label(Priority, data.get("to")),
        }
    if kind == EventKind.DEADLINE_AT_RISK:
        return _("Warning: %(deadline)s is close.") % {"deadline": _alert_target(data)}
    if kind == EventKind.DEADLINE_MISSED:
        return _("Missed: %(deadline)s has passed.") % {"deadline": _alert_target(data)}
    return _intake_summary(kind, data)


def _intake_summary(kind: str, data: dict[str, Any]) -> str:
    if kind == EventKind.CUSTOMER_MESSAGE:
        return _("The customer wrote again via %(channel)s.") % {
            "channel": _label(Channel, data.get("channel"))
        }
    if kind == EventKind.REPEAT_CONTACT:
        if data.get("repeat_of_reference"):
            return _("The customer complains again about what case %(reference)s was about.") % {
                "reference": data["repeat_of_reference"]
            }
        return _("The customer repeated the complaint; it was added to this case.")
    if kind == EventKind.MESSAGE_SENT:
        return _("E-mail sent to the customer: %(subject)s") % {"subject": data.get("subject", "")}
    if kind == EventKind.MESSAGE_FAILED:
        return _("An e-mail to the customer could not be delivered.")
    if kind == EventKind.REGISTERED:
        return _("Entered in the complaint register under number %(number)s.") % {
            "number": data.get("number", "")
        }
    return _label(EventKind, kind)


# What each triage reason and advice kind is called on the staff pages (amends.playbook.triage).
SIGNAL_LABELS = {
    "insult": gettext_lazy("insults or profanity"),
    "outrage": gettext_lazy("outrage"),
    "threat_leave": gettext_lazy("threatens to leave"),
    "threat_public": gettext_lazy("threatens to go public"),
    "threat_legal": gettext_lazy("threatens a lawyer, court or regulator"),
    "repeated_contact": gettext_lazy("has written before"),
    "waiting": gettext_lazy("has been waiting"),
    "capitals": gettext_lazy("writes in capitals"),
    "exclamation": gettext_lazy("exclamation marks"),
    "irritation": gettext_lazy("high irritation"),
    "exposure": gettext_lazy("high exposure"),
    "public_mention": gettext_lazy("mentions social media, reviews or the press"),
    "public_channel": gettext_lazy("wrote on a public channel"),
    "public_url": gettext_lazy("posted publicly"),
    "safety": gettext_lazy("possible safety risk"),
    "no_rush": gettext_lazy("says there is no rush"),
    "high_value": gettext_lazy("high-value customer"),
    "deadline": gettext_lazy("deadline close"),
}
ADVICE_LABELS = {
    "call_customer": gettext_lazy("Call the customer rather than write (D-1)."),
    "direct_channel": gettext_lazy("Move the conversation to a direct channel (D-1)."),
    "legal_deadline": gettext_lazy("Check the statutory deadline and keep the tone factual."),
    "safety": gettext_lazy("Treat as urgent and check product safety."),
}


@register.filter
def signal_label(kind: str) -> str:
    return str(SIGNAL_LABELS.get(kind, kind.replace("_", " ")))


@register.filter
def advice_label(advice: dict[str, Any]) -> str:
    label = ADVICE_LABELS.get(advice.get("kind", ""))
    return str(label) if label is not None else str(advice.get("text_ui", ""))


@register.filter
def percent(value: float | None) -> int:
    return round((value or 0) * 100)


@register.filter
def event_detail(event: Event) -> str:
    """The free text that goes with an event (a note, a reply, a reason), if any."""
    data: dict[str, Any] = event.data or {}
    for key in ("text", "summary", "reason", "note"):
        value = data.get(key)
        if value:
            return str(value)
    return ""


@register.filter
def event_detail_is_internal(event: Event) -> bool:
    """A hand-over's reason stays internal even though the hand-over itself is shown to the customer."""
    return event.kind == EventKind.HANDED_OVER or not event.is_customer_visible
