"""Triage signals on the case: computed by amends.playbook.triage from what the customer wrote,
refreshed each time they write again."""

from __future__ import annotations

from django.utils import timezone

from amends.cases import events
from amends.cases.models import Case, Category, OrganisationSettings, Priority
from amends.intake.models import Direction
from amends.playbook.triage import CategoryHint, triage

PRIORITY_ORDER = (Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT)


def refresh(
    case: Case,
    *,
    text: str,
    channel: str,
    public_url: str = "",
    initial: bool = False,
    contacts: int | None = None,
    org: OrganisationSettings | None = None,
) -> None:
    """Triage the latest message and store the signals. A new case takes triage's priority;
    later messages only ever raise it, so a priority a person set is never lowered.

    `contacts` (the customer's messages on the case) and `org` save a caller that knows them
    the queries."""
    known = {c.name: c for c in Category.objects.filter(active=True).exclude(keywords="")}
    categories = [CategoryHint(name=c.name, keywords=c.keyword_list()) for c in known.values()]
    now = timezone.now()
    deadlines = [d for d in (case.commitment_due, case.statutory_due) if d is not None]
    days_to_deadline = min((d - now).days for d in deadlines) if deadlines else None
    if contacts is None:
        contacts = case.messages.filter(direction=Direction.IN).count()
    if org is None:
        org = OrganisationSettings.current()
    result = triage(
        text,
        lang=case.language,
        channel=channel,
        subject=case.subject,
        categories=categories,
        customer_value=float(case.customer.annual_value),
        high_value_threshold=float(org.high_value_customer),
        days_to_deadline=days_to_deadline,
        previous_contacts=max(contacts - 1, 0),
        public_url=public_url,
    )
    case.irritation = result.irritation
    case.exposure = result.exposure
    case.signals = result.to_dict()
    fields = ["irritation", "exposure", "signals", "updated_at"]
    previous = case.priority
    raised = PRIORITY_ORDER.index(Priority(result.priority)) > PRIORITY_ORDER.index(
        Priority(previous)
    )
    if initial:
        case.priority = result.priority
        fields.append("priority")
        raised = False
    elif raised:
        case.priority = result.priority
        fields.append("priority")
    if case.category_id is None and result.category is not None:
        # Triage names one of the categories above (names are unique): no second lookup.
        case.category = (
            known.get(result.category) or Category.objects.filter(name=result.category).first()
        )
        fields.append("category")
    case.save(update_fields=fields)
    if raised:
        events.priority_changed(case, actor=None, previous=previous)
