"""The verbs that change cases. Each runs in one transaction and writes its Event.

UI views, API routers, commands and tasks all call these; none of them changes a case directly.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amends.accounts.models import Role
from amends.cases import events
from amends.cases.models import (
    OPEN_STATES,
    Case,
    Category,
    Channel,
    Customer,
    DeadlineRuleSetting,
    EventKind,
    Language,
    OrganisationSettings,
    Priority,
    ProductLine,
    State,
    normalise_email,
)
from amends.deadlines import engine

User = get_user_model()


def _require_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def _lock(case: Case) -> Case:
    """Re-read the case under a row lock, so two agents acting at once are serialised."""
    return Case.objects.select_for_update().get(pk=case.pk)


def statutory_for(customer: Customer, received_at: datetime) -> engine.Deadline:
    rule = engine.find_rule(customer.jurisdiction, customer.kind)
    choice = (
        DeadlineRuleSetting.objects.filter(rule_id=rule.id)
        .values_list("holiday_rollover", flat=True)
        .first()
    )
    return engine.statutory_deadline(
        jurisdiction=customer.jurisdiction,
        customer_kind=customer.kind,
        received_at=received_at,
        rule=rule,
        holiday_rollover=choice,
    )


def pick_owner(*, language: str) -> Any:
    """The least-loaded active agent who speaks `language`, else the least-loaded agent at all."""
    # Two plain queries (the agents with their teams, then their open cases counted from the
    # (owner, state) index) cost less than one annotated GROUP BY over the join: the ORM
    # compiles that one for ~1 ms, and _set_owner's team lookup comes for free.
    agents = list(
        User.objects.filter(
            is_active=True, takes_new_cases=True, role__in=[Role.AGENT, Role.MANAGER]
        ).select_related("team")
    )
    loads = dict(
        Case.objects.filter(owner__in=[agent.pk for agent in agents], state__in=OPEN_STATES)
        .order_by()
        .values_list("owner")
        .annotate(n=Count("*"))
    )
    agents.sort(key=lambda agent: (loads.get(agent.pk, 0), agent.pk))
    speakers = [agent for agent in agents if language in (agent.languages or [])]
    if speakers:
        return speakers[0]
    return agents[0] if agents else None


def known_customer(email: str) -> Customer | None:
    """The oldest customer with this address (in any case), or None; served by the index."""
    email = normalise_email(email)
    if not email:
        return None
    return Customer.objects.filter(email=email).order_by("pk").first()


def customer_for_intake(
    *,
    name: str,
    email: str = "",
    phone: str = "",
    language: str = Language.EN,
    jurisdiction: str = "PL",
    kind: str = "consumer",
    annual_value: Decimal = Decimal(0),
    currency: str = "EUR",
) -> Customer:
    """The customer with this e-mail if we know them, else a new unsaved one for `open_case` to save.

    A known customer is reused as recorded: intake never silently rewrites their details.
    """
    email = normalise_email(email)
    known = known_customer(email)
    if known is not None:
        return known
    return Customer(
        name=_require_text(name, _("A customer needs a name.")),
        email=email,
        phone=phone.strip(),
        language=language,
        jurisdiction=jurisdiction.strip().upper(),
        kind=kind,
        annual_value=annual_value,
        currency=currency.strip().upper(),
    )


def category_named(name: str) -> Category:
    category = Category.objects.filter(name__iexact=name.strip(), active=True).first()
    if category is None:
        raise ValidationError(_("Unknown category: %(value)s.") % {"value": name})
    return category


def product_line_named(name: str) -> ProductLine:
    line = ProductLine.objects.filter(name__iexact=name.strip(), active=True).first()
    if line is None:
        raise ValidationError(_("Unknown product or service line: %(value)s.") % {"value": name})
    return line


def staff_member(username: str) -> Any:
    """An active staff member by username, for hand-overs named by the caller."""
    user = User.objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(
            _("No active staff member is called %(value)s.") % {"value": username}
        )
    return user


def open_case(
    *,
    customer: Customer,
    subject: str,
    description: str,
    channel: str,
    language: str | None = None,
    received_at: datetime | None = None,
    actor: Any = None,
    category: Category | None = None,
    product_line: ProductLine | None = None,
    disputed_amount: Decimal | None = None,
    currency: str | None = None,
    priority: str = Priority.NORMAL,
    owner: Any = None,
    order_reference: str = "",
    requested_remedy: str = "",
    repeat_of: Case | None = None,
    org: OrganisationSettings | None = None,
) -> Case:
    """Open a case: compute both deadlines, record its receipt and give it an owner.

    `org` saves a caller that has the organisation settings at hand reading them again.
    """
    subject = _require_text(subject, _("A case needs a subject."))
    description = _require_text(description, _("A case needs a description of the complaint."))
    if channel not in Channel.values:
        raise ValidationError(_("Unknown channel: %(value)s.") % {"value": channel})
    language = language or customer.language
    if language not in Language.values:
        raise ValidationError(_("Unknown language: %(value)s.") % {"value": language})
    if priority not in Priority.values:
        raise ValidationError(_("Unknown priority: %(value)s.") % {"value": priority})
    now = timezone.now()
    received_at = received_at or now
    if timezone.is_naive(received_at):
        raise ValidationError(_("The time of receipt needs a time zone."))
    if received_at > now + timedelta(minutes=5):
        raise ValidationError(_("A complaint cannot be received in the future."))
    if disputed_amount is not None and disputed_amount < 0:
        raise ValidationError(_("The disputed amount cannot be negative."))

    org = org or OrganisationSettings.current()
    with transaction.atomic():
        if customer.pk is None:
            customer.full_clean()
            customer.save()
        statutory = statutory_for(customer, received_at)
        if owner is None and org.auto_assign:
            owner = pick_owner(language=language)
        # The owner is written with the case (one INSERT, not an INSERT and an UPDATE); the
        # events still say received, then assigned.
        case = Case.objects.create(
            customer=customer,
            subject=subject[:200],
            description=description,
            language=language,
            channel=channel,
            received_at=received_at,
            category=category,
            product_line=product_line,
            disputed_amount=disputed_amount,
            currency=currency or customer.currency,
            priority=priority,
            statutory_rule=statutory.rule.id,
            statutory_due=statutory.due_at,
            commitment_due=engine.commitment_deadline(
                jurisdiction=customer.jurisdiction,
                received_at=received_at,
                days=org.default_commitment_days,
                statutory_due_at=statutory.due_at,
            ),
            owner=owner,
            team=owner.team if owner is not None else None,
            order_reference=order_reference,
            requested_remedy=requested_remedy,
            repeat_of=repeat_of,
        )
        events.received(case, actor=actor)
        if owner is not None:
            events.owner_assigned(
                case, actor=actor, owner=owner, automatic=actor is None or owner != actor
            )
    return case


def _set_owner(case: Case, *, owner: Any, actor: Any, automatic: bool) -> None:
    case.owner = owner
    case.team = owner.team
    case.save(update_fields=["owner", "team", "updated_at"])
    events.owner_assigned(case, actor=actor, owner=owner, automatic=automatic)


def assign_owner(case: Case, *, owner: Any, actor: Any) -> Case:
    """Give an unowned case its owner. A case that has one changes hands only by `hand_over`."""
    with transaction.atomic():
        case = _lock(case)
        if case.owner_id is not None:
            raise ValidationError(_("This case already has an owner; hand it over instead."))
        if not owner.is_active:
            raise ValidationError(_("An inactive user cannot own a case."))
        _set_owner(case, owner=owner, actor=actor, automatic=False)
    return case


def hand_over(case: Case, *, to: Any, actor: Any, reason: str) -> Case:
    """Hand the case to a new owner. The reason is required; the customer is told the new name."""
    reason = _require_text(reason, _("A hand-over needs a reason."))
    with transaction.atomic():
        case = _lock(case)
        if not case.is_open:
            raise ValidationError(
                _("A closed or resolved case cannot be handed over; reopen it first.")
            )
        if not to.is_active:
            raise ValidationError(_("An inactive user cannot own a case."))
        if case.owner_id == to.pk:
            raise ValidationError(_("%(name)s already owns this case.") % {"name": to.display_name})
        previous = case.owner
        case.owner = to
        case.team = to.team
        case.save(update_fields=["owner", "team", "updated_at"])
        events.handed_over(case, actor=actor, previous=previous, owner=to, reason=reason)
    return case


def acknowledge(case: Case, *, actor: Any) -> Case:
    """Acknowledge receipt. The case must then have exactly one owner: the actor if nobody yet."""
    with transaction.atomic():
        case = _lock(case)
        _check_transition(case, State.ACKNOWLEDGED)
        if case.owner_id is None:
            _set_owner(case, owner=actor, actor=actor, automatic=False)
        previous = case.state
        case.state = State.ACKNOWLEDGED
        case.acknowledged_at = timezone.now()
        case.save(update_fields=["state", "acknowledged_at", "updated_at"])
        events.state_changed(
            case,
            actor=actor,
            previous=previous,
            reason="",
            kind=EventKind.ACKNOWLEDGED,
            at=case.acknowledged_at,
        )
    return case


def _check_transition(case: Case, to: str) -> None:
    if to not in State.values:
        raise ValidationError(_("Unknown state: %(value)s.") % {"value": to})
    if to not in case.allowed_transitions():
        raise ValidationError(
            _("A case cannot go from %(from)s to %(to)s.")
            % {"from": State(case.state).label, "to": State(to).label}
        )


def change_state(case: Case, *, to: str, actor: Any, reason: str = "") -> Case:
    """Move the case along its life: investigating, resolution proposed, resolved, closed, reopened.

    Resolving needs a root cause and a fault (B-1); `amends.resolution.services.resolve` is the
    only way past that, for a manager with a reason.
    """
    return _move(case, to=to, actor=actor, reason=reason, guard=True)


def _require_resolvable(case: Case) -> None:
    # Imported here: resolution builds on cases, so cases may not import it at load time.
    from amends.resolution.services import missing_for_resolution

    missing = missing_for_resolution(case)
    if missing:
        raise ValidationError(missing)


def _move(case: Case, *, to: str, actor: Any, reason: str, guard: bool) -> Case:
    """`change_state` without the resolution guard when guard=False (a recorded manager override)."""
    if to == State.ACKNOWLEDGED:
        return acknowledge(case, actor=actor)
    with transaction.atomic():
        case = _lock(case)
        _check_transition(case, to)
        if guard and to == State.RESOLVED:
            _require_resolvable(case)
        previous = case.state
        reopening = previous in (State.RESOLVED, State.CLOSED) and to == State.INVESTIGATING
        if reopening:
            reason = _require_text(reason, _("Reopening a case needs a reason."))
        now = timezone.now()
        case.state = to
        fields = ["state", "updated_at"]
        if to == State.RESOLVED:
            case.resolved_at = now
            fields.append("resolved_at")
        elif to == State.CLOSED:
            case.closed_at = now
            fields.append("closed_at")
        if to == State.RESOLUTION_PROPOSED and case.answered_at is None:
            # A proposal is a substantive answer: it stops the statutory clock.
            case.answered_at = now
            fields.append("answered_at")
        if reopening:
            # A reopened case needs a fresh dated next step (E-2: nothing waits without a date).
            case.resolved_at = None
            case.closed_at = None
            case.commitment_due = _default_commitment(case, from_time=now)
            case.commitment_alert = 0
            fields += ["resolved_at", "closed_at", "commitment_due", "commitment_alert"]
        case.save(update_fields=fields)
        kind = EventKind.REOPENED if reopening else EventKind.STATE_CHANGED
        events.state_changed(case, actor=actor, previous=previous, reason=reason, kind=kind, at=now)
    return case


def _default_commitment(case: Case, *, from_time: datetime) -> datetime:
    days = OrganisationSettings.current().default_commitment_days
    pending = case.statutory_due if case.answered_at is None else None
    return engine.commitment_deadline(
        jurisdiction=case.customer.jurisdiction,
        received_at=from_time,
        days=days,
        statutory_due_at=pending if pending and pending > from_time else None,
    )


def commitment_at(case: Case, day: date) -> datetime:
    """A promised day as the end of that day in the customer's jurisdiction."""
    return engine.end_of_day(day, engine.zone_for(case.customer.jurisdiction))


def _validate_commitment(case: Case, due: datetime) -> None:
    if due < timezone.now():
        raise ValidationError(_("The next step cannot be promised for a date in the past."))
    if case.statutory_pending() and case.statutory_due is not None and due > case.statutory_due:
        raise ValidationError(
            _("The next step cannot fall after the statutory deadline of %(date)s.")
            % {
                "date": timezone.localtime(
                    case.statutory_due, engine.zone_for(case.customer.jurisdiction)
                ).date()
            }
        )


def set_commitment(case: Case, *, due: date, actor: Any, note: str = "") -> Case:
    """Set the dated next step promised to the customer. It may never fall after the statutory date."""
    with transaction.atomic():
        case = _lock(case)
        if not case.is_open:
            raise ValidationError(_("A resolved or closed case has no next step to set."))
        at = commitment_at(case, due)
        _validate_commitment(case, at)
        previous = case.commitment_due
        case.commitment_due = at
        case.commitment_alert = 0
        case.save(update_fields=["commitment_due", "commitment_alert", "updated_at"])
        events.commitment_set(case, actor=actor, previous=previous, note=note.strip())
    return case


def add_note(case: Case, *, actor: Any, text: str) -> Case:
    text = _require_text(text, _("A note cannot be empty."))
    with transaction.atomic():
        events.note_added(case, actor=actor, text=text)
        Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    return case


def log_phone_call(
    case: Case, *, actor: Any, summary: str, direction: str = "inbound", minutes: int | None = None
) -> Case:
    summary = _require_text(summary, _("Describe what was said on the call."))
    if direction not in ("inbound", "outbound"):
        raise ValidationError(_("A call is inbound or outbound."))
    if minutes is not None and not 0 <= minutes <= 600:
        raise ValidationError(_("A call lasts between 0 and 600 minutes."))
    with transaction.atomic():
        events.phone_call_logged(
            case, actor=actor, summary=summary, direction=direction, minutes=minutes
        )
        Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    return case


def record_reply(
    case: Case,
    *,
    actor: Any,
    text: str,
    next_step: date | None = None,
    substantive: bool = False,
    coach_score: int | None = None,
) -> Case:
    """A customer-visible reply, e-mailed to the customer when they have an address.

    It may set a new dated next step. A substantive answer stops the statutory clock.
    """
    text = _require_text(text, _("A reply cannot be empty."))
    with transaction.atomic():
        case = _lock(case)
        fields = ["updated_at"]
        now = timezone.now()
        previous = case.commitment_due
        if next_step is not None:
            at = commitment_at(case, next_step)
            _validate_commitment(case, at)
            case.commitment_due = at
            case.commitment_alert = 0
            fields += ["commitment_due", "commitment_alert"]
        if substantive and case.answered_at is None:
            case.answered_at = now
            fields.append("answered_at")
        case.save(update_fields=fields)
        events.reply_recorded(
            case,
            actor=actor,
            text=text,
            substantive=substantive,
            coach_score=coach_score,
            at=now,
        )
        if next_step is not None:
            events.commitment_set(case, actor=actor, previous=previous, note="")
        if case.customer.email:
            _email_reply(case, actor=actor, text=text)
    return case


def _email_reply(case: Case, *, actor: Any, text: str) -> None:
    """Send the reply to the customer by e-mail; the task sends it after the commit."""
    # Intake owns e-mail; importing it here keeps the case core free of it at import time.
    from amends.intake import outbound

    with translation.override(case.language):
        # Translators: the subject of an e-mailed reply, e.g. "Re: Leaking washer [AM-000042]".
        subject = _("Re: %(subject)s [%(reference)s]") % {
            "subject": case.subject,
            "reference": case.reference,
        }
    outbound.compose(case, subject=subject, body=text, purpose="reply", author=actor)


def extend_statutory(case: Case, *, actor: Any, reason: str) -> Case:
    """Use a rule's extension (PL financial: 30 -> 60 days) with the reasoned notice sent in time."""
    reason = _require_text(reason, _("An extension needs the reason told to the client."))
    with transaction.atomic():
        case = _lock(case)
        rule = engine.rule_by_id(case.statutory_rule)
        if not rule.extension_days:
            raise ValidationError(_("The rule %(rule)s allows no extension.") % {"rule": rule.id})
        if case.statutory_extended:
            raise ValidationError(_("The statutory deadline was extended already."))
        if case.statutory_due is None or timezone.now() > case.statutory_due:
            raise ValidationError(
                _("The extension must be sent before the original deadline passes.")
            )
        deadline = statutory_for(case.customer, case.received_at)
        previous = case.statutory_due
        assert deadline.extended_due_date is not None
        case.statutory_due = engine.end_of_day(
            deadline.extended_due_date, engine.zone_for(case.customer.jurisdiction)
        )
        case.statutory_extended = True
        case.statutory_alert = 0
        case.save(
            update_fields=["statutory_due", "statutory_extended", "statutory_alert", "updated_at"]
        )
        events.statutory_extended(case, actor=actor, previous=previous, reason=reason)
    return case


def change_priority(case: Case, *, priority: str, actor: Any) -> Case:
    if priority not in Priority.values:
        raise ValidationError(_("Unknown priority: %(value)s.") % {"value": priority})
    with transaction.atomic():
        case = _lock(case)
        previous = case.priority
        if previous == priority:
            return case
        case.priority = priority
        case.save(update_fields=["priority", "updated_at"])
        events.priority_changed(case, actor=actor, previous=previous)
    return case


def _claim_alert(case_id: int, field: str, level: int) -> bool:
    """Raise a case's alert level once: a conditional UPDATE, so two sweeps never record twice."""
    return Case.objects.filter(pk=case_id, **{f"{field}__lt": level}).update(**{field: level}) == 1


def sweep_deadlines(now: datetime | None = None) -> dict[str, int]:
    """Record an Event when a deadline comes within reach and when it is missed. Idempotent."""
    now = now or timezone.now()
    org = OrganisationSettings.current()
    counts = {
        "statutory_at_risk": 0,
        "statutory_missed": 0,
        "commitment_missed": 0,
        "commitment_at_risk": 0,
    }
    open_cases = Case.objects.open().select_related("customer")

    statutory = open_cases.filter(
        answered_at__isnull=True,
        statutory_due__isnull=False,
        statutory_alert__lt=2,
        statutory_due__lt=now + timedelta(days=org.at_risk_days),
    )
    for case in statutory:
        assert case.statutory_due is not None
        missed = case.statutory_due < now
        level = 2 if missed else 1
        with transaction.atomic():
            if case.statutory_alert >= level or not _claim_alert(case.pk, "statutory_alert", level):
                continue
            rule = engine.rule_by_id(case.statutory_rule)
            events.deadline_alert(
                case,
                kind=EventKind.DEADLINE_MISSED if missed else EventKind.DEADLINE_AT_RISK,
                deadline="statutory",
                due=case.statutory_due,
                consequence=rule.consequence_in("en"),
            )
        counts["statutory_missed" if missed else "statutory_at_risk"] += 1

    commitments = open_cases.filter(
        commitment_alert__lt=2, commitment_due__lt=now + timedelta(days=org.due_soon_days)
    )
    for case in commitments:
        missed = case.commitment_due < now
        level = 2 if missed else 1
        with transaction.atomic():
            if case.commitment_alert >= level or not _claim_alert(
                case.pk, "commitment_alert", level
            ):
                continue
            events.deadline_alert(
                case,
                kind=EventKind.DEADLINE_MISSED if missed else EventKind.DEADLINE_AT_RISK,
                deadline="commitment",
                due=case.commitment_due,
            )
        counts["commitment_missed" if missed else "commitment_at_risk"] += 1
    return counts
