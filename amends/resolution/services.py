"""The verbs of investigation, resolution with the customer, the compensation ledger and reviews.

Each runs in one transaction, checks who may act (amends.cases.access) and writes its Event.
Fault and cause stay internal (PRODUCT.md 6); proposals, the customer's decisions and joint
actions are customer-visible (B-4).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from amends.cases import services as case_services
from amends.cases.access import can_work_on
from amends.cases.models import Case, Channel, Customer, ProductLine, State
from amends.deadlines.engine import zone_for
from amends.playbook import review as coach_review
from amends.playbook.coach import check_reply
from amends.playbook.lexicon import load_lexicon
from amends.resolution import events
from amends.resolution.models import (
    ActionItem,
    Cause,
    Compensation,
    CompensationKind,
    CompensationStatus,
    CustomerReview,
    Decision,
    Fact,
    FactKind,
    Fault,
    ImprovementTask,
    InternalReview,
    Investigation,
    Party,
    PreventionAction,
    Proposal,
    ProposalStatus,
    RemedyKind,
    RemedyOption,
    ResolutionSettings,
)

User = get_user_model()

# Evidence files: the same limits as attachments arriving with a complaint.
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
BLAME_FLAGS = ("blame_customer", "blame_others")
# Remedies whose cost is money paid or taken off to the customer, so the offer names it.
MONEY_REMEDIES = (RemedyKind.REFUND, RemedyKind.PRICE_REDUCTION)


# --- helpers -------------------------------------------------------------------------------


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def _require_work(actor: Any, case: Case) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Only the case's owner or a manager can change it."))
    if not can_work_on(actor, case):
        raise PermissionDenied(_("Only the case's owner or a manager can change it."))


def _lock(case: Case) -> Case:
    return Case.objects.select_related("customer", "owner").select_for_update().get(pk=case.pk)


def _today(case: Case) -> date:
    return timezone.localtime(timezone.now(), zone_for(case.customer.jurisdiction)).date()


def _future_day(case: Case, day: Any, message: str) -> date:
    if not isinstance(day, date):
        raise ValidationError(_("Give a date."))
    if day < _today(case):
        raise ValidationError(message)
    return day


def _staff(user: Any) -> Any:
    if user is None or not isinstance(user, User) or not user.is_active:
        raise ValidationError(_("The owner must be an active staff member."))
    return user


def _money(value: Any, *, positive: bool) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Give the amount as a number.")) from None
    if not amount.is_finite() or amount < 0 or (positive and amount == 0):
        raise ValidationError(
            _("The amount must be more than zero.")
            if positive
            else _("The amount cannot be negative.")
        )
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(_("Give the amount to at most two decimal places."))
    if abs(amount) >= Decimal(10) ** 12:
        raise ValidationError(_("The amount is too large."))
    return amount.quantize(Decimal("0.01"))


def _currency(value: str) -> str:
    code = (value or "").strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise ValidationError(_("Give the currency as a three-letter code, e.g. EUR or PLN."))
    return code


# --- investigation (B-1, A-3, A-4) ---------------------------------------------------------


def investigation_for(case: Case) -> Investigation:
    investigation, _created = Investigation.objects.get_or_create(case=case)
    return investigation


def _check_evidence(evidence: File) -> None:  # type: ignore[type-arg]
    name = evidence.name or ""
    size = evidence.size or 0
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": name, "limit": MAX_EVIDENCE_BYTES // (1024 * 1024)}
        )
    # Late import: intake is a sibling app that may import resolution in turn.
    from amends.intake.complaint import ALLOWED_TYPES

    content_type = getattr(evidence, "content_type", None) or mimetypes.guess_type(name)[0] or ""
    if content_type.lower() not in ALLOWED_TYPES:
        raise ValidationError(
            _("%(name)s is of a type we do not accept (%(type)s).")
            % {"name": name, "type": content_type or "?"}
        )


def add_fact(
    case: Case,
    *,
    actor: Any,
    kind: str,
    text: str,
    evidence: File | None = None,  # type: ignore[type-arg]
) -> Fact:
    """Add a line to the facts checklist: what the customer says, our records, a document."""
    _require_work(actor, case)
    if kind not in FactKind.values:
        raise ValidationError(_("Unknown kind of fact: %(value)s.") % {"value": kind})
    text = _text(text, _("Describe the fact."))
    if evidence is not None:
        _check_evidence(evidence)
    with transaction.atomic():
        fact = Fact(case=case, kind=kind, text=text, added_by=actor)
        if evidence is not None:
            fact.evidence.save(evidence.name or "evidence", evidence, save=False)
        fact.save()
        events.investigated(
            case,
            actor=actor,
            change="fact_added",
            fact_id=fact.pk,
            kind=kind,
            evidence=bool(fact.evidence),
        )
    return fact


def set_fact_checked(fact: Fact, *, actor: Any, checked: bool) -> Fact:
    _require_work(actor, fact.case)
    with transaction.atomic():
        fact = Fact.objects.select_for_update().select_related("case").get(pk=fact.pk)
        if fact.checked == checked:
            return fact
        fact.checked = checked
        fact.save(update_fields=["checked"])
        events.investigated(
            fact.case, actor=actor, change="fact_checked", fact_id=fact.pk, checked=checked
        )
    return fact


def _locked_investigation(case: Case) -> Investigation:
    investigation_for(case)
    return Investigation.objects.select_for_update().get(case=case)


def set_root_cause(case: Case, *, actor: Any, cause: Cause) -> Investigation:
    """Record the root cause from the organisation's taxonomy (A-3, B-1)."""
    _require_work(actor, case)
    if cause is None or not cause.active or (cause.parent is not None and not cause.parent.active):
        raise ValidationError(_("Choose an active cause."))
    with transaction.atomic():
        investigation = _locked_investigation(case)
        previous = investigation.root_cause
        if previous == cause:
            return investigation
        investigation.root_cause = cause
        investigation.updated_by = actor
        investigation.save(update_fields=["root_cause", "updated_by", "updated_at"])
        events.investigated(
            case,
            actor=actor,
            change="root_cause",
            from_cause=str(previous) if previous else None,
            cause_id=cause.pk,
            cause=str(cause),
        )
    return investigation


def set_fault(case: Case, *, actor: Any, fault: str, findings: str = "") -> Investigation:
    """Attribute the fault (internal only). Findings, when given, replace the previous ones.

    "unclear_info" needs an improvement task before the case can be resolved (A-4).
    """
    _require_work(actor, case)
    if fault not in Fault.values:
        raise ValidationError(_("Unknown fault attribution: %(value)s.") % {"value": fault})
    findings = (findings or "").strip()
    with transaction.atomic():
        investigation = _locked_investigation(case)
        previous = investigation.fault
        fields = ["updated_by", "updated_at"]
        if previous != fault:
            investigation.fault = fault
            fields.append("fault")
        if findings and findings != investigation.findings:
            investigation.findings = findings
            fields.append("findings")
        if len(fields) == 2:
            return investigation
        investigation.updated_by = actor
        investigation.save(update_fields=fields)
        events.investigated(
            case,
            actor=actor,
            change="fault",
            **{"from": previous, "to": fault, "findings": bool(findings)},
        )
    return investigation


def add_improvement(
    case: Case, *, actor: Any, information: str, location: str, owner: Any, due: date
) -> ImprovementTask:
    """Improve information of ours that was unclear (A-4): which, where it lives, who, by when."""
    _require_work(actor, case)
    information = _text(information, _("Say which information was unclear."))
    location = _text(location, _("Say where the information lives."))
    owner = _staff(owner)
    due = _future_day(case, due, _("The improvement cannot be due in the past."))
    with transaction.atomic():
        task = ImprovementTask.objects.create(
            case=case, information=information[:300], location=location[:300], owner=owner, due=due
        )
        events.improvement(
            case,
            actor=actor,
            change="added",
            task_id=task.pk,
            information=task.information,
            owner_id=owner.pk,
            due=due.isoformat(),
        )
    return task


def complete_improvement(task: ImprovementTask, *, actor: Any) -> ImprovementTask:
    if actor is None or not (task.owner_id == actor.pk or can_work_on(actor, task.case)):
        raise PermissionDenied(_("Only the task's owner, the case's owner or a manager can do it."))
    with transaction.atomic():
        task = ImprovementTask.objects.select_for_update().select_related("case").get(pk=task.pk)
        if task.done_at is not None:
            raise ValidationError(_("This improvement is done already."))
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
        events.improvement(task.case, actor=actor, change="done", task_id=task.pk)
    return task


def open_improvements() -> QuerySet[ImprovementTask]:
    """Improvement tasks not yet done, the most urgent first (the managers' list)."""
    return (
        ImprovementTask.objects.filter(done_at__isnull=True)
        .select_related("case", "case__customer", "owner")
        .order_by("due", "id")
    )


# --- the coach's view of the case -----------------------------------------------------------


def coach_context(
    case: Case, *, today: date | None = None, purpose: str = "reply"
) -> coach_review.Context:
    """What the coach should know about `case`: owner, customer, dates in the customer's zone,
    the fault (undetermined -> None) and the channel."""
    zone = zone_for(case.customer.jurisdiction)
    fault = (
        Investigation.objects.filter(case=case).values_list("fault", flat=True).first()
        or Fault.UNDETERMINED
    )
    statutory = (
        timezone.localtime(case.statutory_due, zone).date()
        if case.statutory_pending() and case.statutory_due is not None
        else None
    )
    return coach_review.Context(
        owner=case.owner.display_name if case.owner else None,
        customer=case.customer.name,
        commitment_due=timezone.localtime(case.commitment_due, zone).date(),
        statutory_due=statutory,
        fault=None if fault == Fault.UNDETERMINED else coach_review.Fault(fault),
        channel=case.channel,
        today=today or timezone.localtime(timezone.now(), zone).date(),
        purpose=purpose,
    )


# --- resolving (B-1: no resolution without the cause) ---------------------------------------


def missing_for_resolution(case: Case) -> list[str]:
    """What the case still needs before it can be resolved, as translated sentences."""
    investigation = Investigation.objects.filter(case=case).first()
    missing = []
    if investigation is None or investigation.root_cause_id is None:
        missing.append(_("The root cause is not recorded."))
    if investigation is None or investigation.fault == Fault.UNDETERMINED:
        missing.append(_("The fault is not determined."))
    elif (
        investigation.fault == Fault.UNCLEAR_INFO
        and not ImprovementTask.objects.filter(case=case).exists()
    ):
        missing.append(_("The unclear information needs an improvement task (A-4)."))
    return missing


def resolve(case: Case, *, actor: Any, override_reason: str = "") -> Case:
    """Resolve the case. Without a root cause and a fault only a manager may, with a reason.

    A case still being worked on (acknowledged, investigating) passes through "resolution
    proposed" first, each step recorded: resolving it is the substantive answer.
    """
    _require_work(actor, case)
    override_reason = (override_reason or "").strip()
    with transaction.atomic():
        case = _lock(case)
        missing = missing_for_resolution(case)
        if missing and not override_reason:
            raise ValidationError(missing)
        if missing and not actor.is_manager:
            raise PermissionDenied(
                _("Only a manager can resolve a case without its root cause and fault.")
            )
        if case.state in (State.ACKNOWLEDGED, State.INVESTIGATING):
            case = case_services.change_state(case, to=State.RESOLUTION_PROPOSED, actor=actor)
        if not missing:
            return case_services.change_state(case, to=State.RESOLVED, actor=actor)
        events.resolve_override(case, actor=actor, reason=override_reason, missing=missing)
        # The one caller allowed past the guard; a refused move rolls the override event back.
        return case_services._move(
            case, to=State.RESOLVED, actor=actor, reason=override_reason, guard=False
        )


# --- the proposal, agreed with the customer (B-4) ------------------------------------------


def _clean_option(case: Case, raw: dict[str, Any]) -> RemedyOption:
    kind = raw.get("kind", "")
    if kind not in RemedyKind.values:
        raise ValidationError(_("Unknown remedy: %(value)s.") % {"value": kind})
    url = (raw.get("knowledge_url") or "").strip()
    if url:
        URLValidator(schemes=["http", "https"])(url)
    return RemedyOption(
        kind=kind,
        description=_text(raw.get("description", ""), _("Describe what we offer.")),
        cost=_money(raw.get("cost", 0), positive=False),
        currency=_currency(raw.get("currency") or case.currency),
        due=_future_day(case, raw.get("due"), _("An option cannot be due in the past.")),
        knowledge_url=url,
    )


def _coach_refusals(case: Case, message: str, context: coach_review.Context) -> list[str]:
    ui = translation.get_language() or "en"
    review = check_reply(message, case.language, context, ui_lang=ui)
    labels = load_lexicon(review.ui_language).ui
    findings = [*review.flags]
    # B-2: when the fault is ours the proposal must apologise.
    findings += [c for c in review.checks if c.kind == "fault_ours_no_apology"]
    return [
        _("%(label)s: “%(text)s”. %(advice)s")
        % {"label": labels.get(f.kind, f.kind), "text": f.text, "advice": f.advice_ui}
        if f.text
        else _("%(label)s. %(advice)s")
        % {"label": labels.get(f.kind, f.kind), "advice": f.advice_ui}
        for f in findings
    ]


def propose(case: Case, *, actor: Any, message: str, options: list[dict[str, Any]]) -> Proposal:
    """Propose a resolution with one or more options the customer accepts or declines (B-4).

    The message is checked by the coach; a flagged message is refused with the reasons.
    """
    _require_work(actor, case)
    message = _text(message, _("Write a message to the customer with the proposal."))
    if not options:
        raise ValidationError(_("A proposal needs at least one option."))
    if not case.is_open:
        raise ValidationError(_("A resolved or closed case takes no new proposal; reopen it."))
    cleaned = [_clean_option(case, raw) for raw in options]
    refusals = _coach_refusals(case, message, coach_context(case, purpose="resolution_proposal"))
    if refusals:
        raise ValidationError(refusals)
    with transaction.atomic():
        case = _lock(case)
        if case.proposals.filter(status=ProposalStatus.OPEN).exists():
            raise ValidationError(
                _("The customer has not yet answered the open proposal; withdraw it first.")
            )
        proposal = Proposal.objects.create(case=case, message=message, created_by=actor)
        for option in cleaned:
            option.proposal = proposal
        RemedyOption.objects.bulk_create(cleaned)
        events.proposal(
            case,
            actor=actor,
            change="proposed",
            proposal_id=proposal.pk,
            options=[
                {"kind": o.kind, "description": o.description, "due": o.due.isoformat()}
                for o in cleaned
            ],
        )
        if State.RESOLUTION_PROPOSED in case.allowed_transitions():
            case = case_services.change_state(case, to=State.RESOLUTION_PROPOSED, actor=actor)
        if case.customer.email:
            _email_proposal(case, proposal=proposal, options=cleaned, actor=actor)
    return proposal


def _option_line(number: int, option: RemedyOption) -> str:
    values = {
        "n": number,
        "kind": RemedyKind(option.kind).label,
        "description": option.description,
        "due": formats.date_format(option.due, "DATE_FORMAT"),
        "amount": formats.number_format(option.cost, 2),
        "currency": option.currency,
    }
    if option.kind in MONEY_REMEDIES and option.cost:
        # Translators: one option of a proposal in an e-mail, e.g. "1. Refund: ... (120.00 EUR), by 3 March 2026".
        line = _("%(n)s. %(kind)s: %(description)s (%(amount)s %(currency)s), by %(due)s") % values
    else:
        # Translators: one option of a proposal in an e-mail, e.g. "2. Repair: ..., by 3 March 2026".
        line = _("%(n)s. %(kind)s: %(description)s, by %(due)s") % values
    if option.knowledge_url:
        line += "\n   " + option.knowledge_url
    return line


def _email_proposal(
    case: Case, *, proposal: Proposal, options: list[RemedyOption], actor: Any
) -> None:
    from amends.intake import outbound

    with translation.override(case.language):
        # Translators: subject of the e-mail with a proposed resolution, e.g. "Our proposal [AM-000042]".
        subject = _("Our proposal: %(subject)s [%(reference)s]") % {
            "subject": case.subject,
            "reference": case.reference,
        }
        heading = _("What we propose:")
        lines = "\n".join(_option_line(n, o) for n, o in enumerate(options, start=1))
        body = f"{proposal.message.rstrip()}\n\n{heading}\n{lines}\n"
    outbound.compose(case, subject=subject, body=body, purpose="proposal", author=actor)


def decide_option(
    option: RemedyOption, *, decision: str, via: str, actor: Any = None
) -> RemedyOption:
    """Record the customer's answer to one option, with time and channel.

    From the portal (via="portal", no actor) or staff recording an answer by phone, e-mail or
    in person. Once every option is decided, the proposal is agreed if any was accepted.
    """
    if decision not in (Decision.ACCEPTED, Decision.DECLINED):
        raise ValidationError(_("A decision is accepted or declined."))
    if via not in Channel.values:
        raise ValidationError(_("Unknown channel: %(value)s.") % {"value": via})
    if actor is None:
        if via != Channel.PORTAL:
            raise PermissionDenied(_("Staff record the customer's answer under their own name."))
    else:
        _require_work(actor, option.proposal.case)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=option.proposal_id)
        option = RemedyOption.objects.select_for_update().get(pk=option.pk)
        if proposal.status != ProposalStatus.OPEN:
            raise ValidationError(_("This proposal is no longer open."))
        if option.decision != Decision.PENDING:
            raise ValidationError(_("This option was decided already."))
        now = timezone.now()
        option.decision = decision
        option.decided_at = now
        option.decided_via = via
        option.save(update_fields=["decision", "decided_at", "decided_via"])
        decisions = list(proposal.options.values_list("decision", flat=True))
        if Decision.PENDING not in decisions:
            proposal.status = (
                ProposalStatus.AGREED if Decision.ACCEPTED in decisions else ProposalStatus.DECLINED
            )
            proposal.decided_at = now
            proposal.save(update_fields=["status", "decided_at"])
        events.proposal_decided(
            proposal.case,
            actor=actor,
            proposal_id=proposal.pk,
            option_id=option.pk,
            decision=decision,
            via=via,
            proposal_status=proposal.status,
        )
    return option


def withdraw_proposal(proposal: Proposal, *, actor: Any, reason: str) -> Proposal:
    """Withdraw an open proposal; the reason is shown to the customer with it."""
    _require_work(actor, proposal.case)
    reason = _text(reason, _("Say why the proposal is withdrawn."))
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("case").get(pk=proposal.pk)
        if proposal.status != ProposalStatus.OPEN:
            raise ValidationError(_("This proposal is no longer open."))
        proposal.status = ProposalStatus.WITHDRAWN
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["status", "decided_at"])
        events.proposal(
            proposal.case, actor=actor, change="withdrawn", proposal_id=proposal.pk, reason=reason
        )
    return proposal


# --- joint action items (B-4) ---------------------------------------------------------------


def add_action_item(
    case: Case, *, actor: Any, title: str, party: str, due: date, owner: Any = None
) -> ActionItem:
    """A joint action, ours or the customer's, visible to both. Ours needs a named owner."""
    _require_work(actor, case)
    title = _text(title, _("Describe the action."))
    if party not in Party.values:
        raise ValidationError(_("An action is ours or the customer's."))
    if party == Party.US:
        if owner is None:
            raise ValidationError(_("Our action needs an owner."))
        owner = _staff(owner)
    elif owner is not None:
        owner = _staff(owner)
    due = _future_day(case, due, _("An action cannot be due in the past."))
    with transaction.atomic():
        item = ActionItem.objects.create(
            case=case, title=title[:300], party=party, owner=owner, due=due
        )
        events.action_item(
            case,
            actor=actor,
            change="added",
            item_id=item.pk,
            title=item.title,
            party=party,
            due=due.isoformat(),
            owner_name=owner.display_name if owner else "",
        )
    return item


def complete_action_item(item: ActionItem, *, actor: Any = None, via: str = "staff") -> ActionItem:
    """Mark a joint action done: by staff, or by the customer from the portal for their own."""
    if via == Channel.PORTAL:
        if actor is not None:
            raise ValidationError(_("From the customer's view no staff member acts."))
        if item.party != Party.CUSTOMER:
            raise PermissionDenied(_("The customer can only complete their own actions."))
    elif via == "staff":
        if actor is None or not (item.owner_id == actor.pk or can_work_on(actor, item.case)):
            raise PermissionDenied(_("Only the case's owner or a manager can change it."))
    else:
        raise ValidationError(_("Unknown channel: %(value)s.") % {"value": via})
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().select_related("case").get(pk=item.pk)
        if item.done_at is not None:
            raise ValidationError(_("This action is done already."))
        item.done_at = timezone.now()
        item.save(update_fields=["done_at"])
        events.action_item(
            item.case, actor=actor, change="done", item_id=item.pk, title=item.title, via=via
        )
    return item


# --- the compensation ledger (B-3, B-5) -----------------------------------------------------


def propose_compensation(
    case: Case, *, actor: Any, kind: str, amount: Any, currency: str, note: str = ""
) -> Compensation:
    _require_work(actor, case)
    if kind not in CompensationKind.values:
        raise ValidationError(_("Unknown kind of compensation: %(value)s.") % {"value": kind})
    value = _money(amount, positive=True)
    code = _currency(currency)
    with transaction.atomic():
        comp = Compensation.objects.create(
            case=case, kind=kind, amount=value, currency=code, note=note.strip(), proposed_by=actor
        )
        events.compensation(
            case,
            actor=actor,
            change="proposed",
            compensation_id=comp.pk,
            kind=kind,
            amount=str(value),
            currency=code,
        )
    return comp


def approval_limit(actor: Any) -> Decimal | None:
    """The most `actor` may approve: None means no limit (administrators; managers by default)."""
    if actor.is_admin_role:
        return None
    org = ResolutionSettings.current()
    if actor.is_manager:
        return org.manager_approval_limit
    return org.agent_approval_limit


def approve_compensation(comp: Compensation, *, actor: Any) -> Compensation:
    """Approve within the actor's limit; above it a manager (or an administrator) must."""
    _require_work(actor, comp.case)
    limit = approval_limit(actor)
    if limit is not None and comp.amount > limit:
        values = {"amount": comp.amount, "currency": comp.currency, "limit": limit}
        raise PermissionDenied(
            _(
                "%(amount)s %(currency)s is above your approval limit of %(limit)s; "
                "an administrator must approve it."
            )
            % values
            if actor.is_manager
            else _(
                "%(amount)s %(currency)s is above your approval limit of %(limit)s; "
                "a manager must approve it."
            )
            % values
        )
    with transaction.atomic():
        comp = _locked_comp(comp, CompensationStatus.PROPOSED)
        comp.status = CompensationStatus.APPROVED
        comp.approved_by = actor
        comp.approved_at = timezone.now()
        comp.save(update_fields=["status", "approved_by", "approved_at"])
        events.compensation(
            comp.case,
            actor=actor,
            change="approved",
            compensation_id=comp.pk,
            amount=str(comp.amount),
            currency=comp.currency,
        )
    return comp


def _locked_comp(comp: Compensation, *allowed: str) -> Compensation:
    comp = Compensation.objects.select_for_update().select_related("case").get(pk=comp.pk)
    if comp.status not in allowed:
        raise ValidationError(
            _("This compensation is %(status)s.")
            % {"status": CompensationStatus(comp.status).label.lower()}
        )
    return comp


def mark_paid(comp: Compensation, *, actor: Any) -> Compensation:
    _require_work(actor, comp.case)
    with transaction.atomic():
        comp = _locked_comp(comp, CompensationStatus.APPROVED)
        comp.status = CompensationStatus.PAID
        comp.paid_at = timezone.now()
        comp.save(update_fields=["status", "paid_at"])
        events.compensation(comp.case, actor=actor, change="paid", compensation_id=comp.pk)
    return comp


def cancel_compensation(comp: Compensation, *, actor: Any, reason: str) -> Compensation:
    _require_work(actor, comp.case)
    reason = _text(reason, _("Say why the compensation is cancelled."))
    with transaction.atomic():
        comp = _locked_comp(comp, CompensationStatus.PROPOSED, CompensationStatus.APPROVED)
        comp.status = CompensationStatus.CANCELLED
        comp.save(update_fields=["status"])
        events.compensation(
            comp.case, actor=actor, change="cancelled", compensation_id=comp.pk, reason=reason
        )
    return comp


def compensation_totals(
    *, customer: Customer | None = None, product_line: ProductLine | None = None
) -> dict[str, dict[str, Decimal]]:
    """Sums of the ledger as {currency: {status: total}}, for one customer or product line."""
    rows = Compensation.objects.all()
    if customer is not None:
        rows = rows.filter(case__customer=customer)
    if product_line is not None:
        rows = rows.filter(case__product_line=product_line)
    totals: dict[str, dict[str, Decimal]] = {}
    for row in rows.order_by().values("currency", "status").annotate(total=Sum("amount")):
        totals.setdefault(row["currency"], {})[row["status"]] = row["total"]
    return totals


# --- reviews and prevention (D-4, E-3) ------------------------------------------------------


def _blameless(case: Case, texts: Iterable[str]) -> None:
    """Reviews name causes, not culprits (E-3): the coach's blame checks, in the case language."""
    problems = []
    for text in texts:
        if not text.strip():
            continue
        for flag in check_reply(text, case.language).flags:
            if flag.kind in BLAME_FLAGS:
                problems.append(
                    _(
                        "“%(phrase)s” names a culprit. Describe the causes instead: what made "
                        "the mistake possible and what will prevent it (E-3)."
                    )
                    % {"phrase": flag.text}
                )
    if problems:
        raise ValidationError(problems)


def write_customer_review(
    case: Case,
    *,
    actor: Any,
    held_on: date,
    notes: str,
    recommendations: str = "",
    changes: str = "",
) -> CustomerReview:
    """The review held with the customer after the resolution (D-4); written again to edit."""
    _require_work(actor, case)
    if case.state not in (State.RESOLVED, State.CLOSED):
        raise ValidationError(_("A review with the customer follows the resolution."))
    notes = _text(notes, _("Write the notes of the meeting."))
    if not isinstance(held_on, date) or held_on > _today(case):
        raise ValidationError(_("Give the day the review was held; it cannot be in the future."))
    _blameless(case, (notes, recommendations, changes))
    values = {
        "held_on": held_on,
        "notes": notes,
        "recommendations": recommendations.strip(),
        "changes": changes.strip(),
        "written_by": actor,
    }
    with transaction.atomic():
        review = CustomerReview.objects.select_for_update().filter(case=case).first()
        if review is None:
            review = CustomerReview.objects.create(case=case, **values)
            change = "customer_review"
        else:
            for name, value in values.items():
                setattr(review, name, value)
            review.save(update_fields=list(values))
            change = "customer_review_edited"
        events.review(case, actor=actor, change=change, held_on=held_on.isoformat())
    return review


def write_internal_review(
    case: Case, *, actor: Any, what_happened: str, contributing_causes: str
) -> InternalReview:
    """The blameless internal review (E-3); written again to edit."""
    _require_work(actor, case)
    what_happened = _text(what_happened, _("Describe what happened."))
    contributing_causes = _text(contributing_causes, _("Name the contributing causes."))
    _blameless(case, (what_happened, contributing_causes))
    with transaction.atomic():
        review, created = InternalReview.objects.select_for_update().get_or_create(
            case=case,
            defaults={
                "what_happened": what_happened,
                "contributing_causes": contributing_causes,
                "written_by": actor,
            },
        )
        if not created:
            review.what_happened = what_happened
            review.contributing_causes = contributing_causes
            review.written_by = actor
            review.save(
                update_fields=["what_happened", "contributing_causes", "written_by", "written_at"]
            )
        events.review(
            case, actor=actor, change="internal_review" if created else "internal_review_edited"
        )
    return review


def add_prevention_action(
    case: Case, *, actor: Any, title: str, owner: Any, due: date, cause: Cause | None = None
) -> PreventionAction:
    """What we change so the cause does not come back (A-3, A-6, E-3)."""
    _require_work(actor, case)
    title = _text(title, _("Describe the action."))
    owner = _staff(owner)
    due = _future_day(case, due, _("An action cannot be due in the past."))
    if cause is not None and not cause.active:
        raise ValidationError(_("Choose an active cause."))
    if cause is None:
        cause = investigation_for(case).root_cause
    with transaction.atomic():
        action = PreventionAction.objects.create(
            case=case, title=title[:300], owner=owner, due=due, cause=cause
        )
        events.review(
            case,
            actor=actor,
            change="prevention_action",
            action_id=action.pk,
            title=action.title,
            owner_id=owner.pk,
            due=due.isoformat(),
        )
    return action


def complete_prevention_action(action: PreventionAction, *, actor: Any) -> PreventionAction:
    if actor is None or not (action.owner_id == actor.pk or can_work_on(actor, action.case)):
        raise PermissionDenied(
            _("Only the action's owner, the case's owner or a manager can do it.")
        )
    with transaction.atomic():
        action = (
            PreventionAction.objects.select_for_update().select_related("case").get(pk=action.pk)
        )
        if action.done_at is not None:
            raise ValidationError(_("This action is done already."))
        action.done_at = timezone.now()
        action.save(update_fields=["done_at"])
        events.review(action.case, actor=actor, change="prevention_done", action_id=action.pk)
    return action
