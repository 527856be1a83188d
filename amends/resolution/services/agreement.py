"""The resolution agreed with the customer (B-4): proposals, their options, joint actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from amends.cases import services as case_services
from amends.cases.access import can_work_on
from amends.cases.models import Case, Channel, State
from amends.playbook import review as coach_review
from amends.playbook.coach import check_reply
from amends.playbook.lexicon import load_lexicon
from amends.resolution import events
from amends.resolution.models import (
    ActionItem,
    Decision,
    Party,
    Proposal,
    ProposalStatus,
    RemedyKind,
    RemedyOption,
)
from amends.resolution.services.common import (
    MONEY_REMEDIES,
    _currency,
    _future_day,
    _lock,
    _money,
    _require_work,
    _staff,
    _text,
)
from amends.resolution.services.investigation import coach_context

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
        "description": option.description.strip().rstrip(".!;,"),
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
