"""The manager's let-go decision (E-4) and the respectful parting letter that closes it.

The let-go advisor only recommends (amends.resolution.history.let_go_candidates); a manager
decides here. Letting go with a case sends the playbook's "parting" letter, in the case's
language and checked by the coach, to the customer and records it on that case.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amends.cases.events import record_event
from amends.cases.models import Case, Customer, EventKind, OrganisationSettings, Visibility
from amends.deadlines.engine import zone_for
from amends.playbook import review as coach_review
from amends.playbook.coach import check_reply
from amends.playbook.lexicon import load_lexicon
from amends.playbook.templates import CaseFacts, FilledTemplate, TemplateError, fill_template
from amends.resolution.history import let_go_advice
from amends.resolution.models import LetGoDecision

PURPOSE = "parting"


def _require_manager(actor: Any) -> None:
    if not getattr(actor, "is_manager", False):
        raise PermissionDenied(_("Only a manager can decide to let a customer go."))


def _today(customer: Customer) -> date:
    return timezone.localtime(timezone.now(), zone_for(customer.jurisdiction)).date()


def default_settle_by(customer: Customer) -> date:
    """The final settlement is promised within the organisation's usual commitment."""
    return _today(customer) + timedelta(days=OrganisationSettings.current().default_commitment_days)


def parting_letter(case: Case, *, actor: Any, settlement: str, settle_by: date) -> FilledTemplate:
    """The playbook's parting letter for `case`, signed by `actor`; refused when the coach flags it."""
    settlement = (settlement or "").strip()
    if not settlement:
        raise ValidationError(
            _("Describe the final settlement, in the customer's language, for the letter.")
        )
    if settle_by < _today(case.customer):
        raise ValidationError(_("The settlement date cannot be in the past."))
    facts = CaseFacts(
        customer_name=case.customer.name,
        owner_name=actor.display_name,
        case_ref=case.reference,
        answer_date=settle_by,
        remedy=settlement,
    )
    try:
        letter = fill_template(PURPOSE, case.language, facts)
    except TemplateError as exc:
        raise ValidationError(str(exc)) from exc
    context = coach_review.Context(
        owner=actor.display_name,
        customer=case.customer.name,
        commitment_due=settle_by,
        channel=case.channel,
        today=_today(case.customer),
        purpose=PURPOSE,
    )
    review = check_reply(
        letter.body, case.language, context, ui_lang=translation.get_language() or "en"
    )
    labels = load_lexicon(review.ui_language).ui
    problems = [
        _("%(label)s: “%(text)s”.") % {"label": labels.get(f.kind, f.kind), "text": f.text}
        for f in review.flags
    ]
    problems += [
        _("The letter lacks: %(element)s.") % {"element": labels.get(kind, kind)}
        for kind, element in review.elements.items()
        if element.required and not element.present
    ]
    if problems:
        raise ValidationError(problems)
    return letter


def decide_let_go(
    customer: Customer,
    *,
    actor: Any,
    outcome: str,
    reason: str,
    case: Case | None = None,
    settlement: str = "",
    settle_by: date | None = None,
) -> LetGoDecision:
    """Record a manager's decision on the let-go recommendation, with the evidence seen.

    Letting go with a case sends the parting letter on that case (e-mailed when the customer
    has an address) and records it on the case's timeline.
    """
    _require_manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the decision."))
    if outcome not in LetGoDecision.Outcome.values:
        raise ValidationError(_("Unknown decision: %(value)s.") % {"value": outcome})
    if case is not None and case.customer_id != customer.pk:
        raise ValidationError(_("The case is not this customer's."))
    letter = None
    if outcome == LetGoDecision.Outcome.LET_GO and case is not None:
        letter = parting_letter(
            case,
            actor=actor,
            settlement=settlement,
            settle_by=settle_by or default_settle_by(customer),
        )
    with transaction.atomic():
        decision = LetGoDecision.objects.create(
            customer=customer,
            outcome=outcome,
            reason=reason,
            evidence=let_go_advice(customer).to_json(),
            decided_by=actor,
            case=case if letter is not None else None,
        )
        if case is not None and letter is not None:
            _send_parting(case, letter=letter, actor=actor, decision=decision)
    return decision


def _send_parting(
    case: Case, *, letter: FilledTemplate, actor: Any, decision: LetGoDecision
) -> None:
    # Intake owns e-mail (as in amends.cases.services._email_reply).
    from amends.intake import outbound

    message_id = None
    if case.customer.email:
        message = outbound.compose(
            case, subject=letter.subject, body=letter.body, purpose=PURPOSE, author=actor
        )
        message_id = message.pk
    record_event(
        case,
        kind=EventKind.REPLY,
        actor=actor,
        visibility=Visibility.CUSTOMER,
        data={
            "text": letter.body,
            "substantive": False,
            "purpose": PURPOSE,
            "let_go_decision": decision.pk,
            "message_id": message_id,
        },
    )
