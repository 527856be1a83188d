"""The acknowledgement that sets the tone (PRODUCT.md C a-d), drafted at intake.

It is filled from the playbook template in the customer's language, checked by the coach,
and either queued for sending at once or held for the owner to edit, as the organisation's
acknowledgement rules say. It is written in the same transaction as the case, so a complaint
is never stored without its acknowledgement being on its way.
"""

from __future__ import annotations

from django.db.models import Q

from amends.cases.models import Case
from amends.deadlines.engine import zone_for
from amends.intake import outbound
from amends.intake.models import (
    AckAction,
    AcknowledgementRule,
    Delivery,
    Message,
    RegisterEntry,
)
from amends.playbook.coach import check_reply
from amends.playbook.review import Context
from amends.playbook.templates import CaseFacts, fill_template

PURPOSE = "acknowledgement"

# The register number the Bulgarian consumer is entitled to receive (ЗЗП art. 127).
_REGISTER_LINE = {
    "bg": "Входящ номер в регистъра на рекламациите: {number}.",
    "en": "Complaint register number: {number}.",
    "pl": "Numer w rejestrze reklamacji: {number}.",
    "fi": "Reklamaatiorekisterin numero: {number}.",
}


def policy_for(case: Case) -> str:
    """The most specific acknowledgement rule for the case's channel and category."""
    rules = AcknowledgementRule.objects.filter(
        Q(channel=case.channel) | Q(channel=""),
        Q(category=case.category) | Q(category__isnull=True),
    )
    best = max(
        rules,
        key=lambda rule: (rule.category_id is not None, rule.channel != ""),
        default=None,
    )
    return best.action if best is not None else AckAction.SEND


def draft(
    case: Case, *, register_entry: RegisterEntry | None
) -> tuple[str, str, int, tuple[str, ...]]:
    """Subject, body, coach score and coach flags of the acknowledgement for `case`, with the
    number of its register entry when it has one."""
    assert case.owner is not None
    zone = zone_for(case.customer.jurisdiction)
    answer_date = case.commitment_due.astimezone(zone).date()
    filled = fill_template(
        PURPOSE,
        case.language,
        CaseFacts(
            customer_name=case.customer.name,
            owner_name=case.owner.display_name,
            case_ref=case.reference,
            answer_date=answer_date,
        ),
    )
    body = filled.body
    if register_entry is not None:
        line = _REGISTER_LINE[case.language].format(number=register_entry.number)
        body = f"{body.rstrip()}\n\n{line}\n"
    review = check_reply(
        body,
        case.language,
        Context(
            owner=case.owner.display_name,
            customer=case.customer.name,
            commitment_due=answer_date,
            channel="email",
            today=case.received_at.astimezone(zone).date(),
            purpose=PURPOSE,
        ),
    )
    return filled.subject, body, review.score, tuple(sorted(review.flag_kinds()))


def queue(
    case: Case, *, answering: Message, register_entry: RegisterEntry | None
) -> Message | None:
    """Draft the acknowledgement of a new case; queue it, or hold it for the owner. None when it
    cannot go by e-mail (no address, or no owner yet to sign it).

    Intake passes what it has just stored (the customer's first message and the case's
    register entry, if any), so neither is read back."""
    if case.owner is None or not case.customer.email:
        return None
    subject, body, score, flags = draft(case, register_entry=register_entry)
    hold = policy_for(case) == AckAction.HOLD or bool(flags)
    return outbound.compose(
        case,
        subject=subject,
        body=body,
        purpose=PURPOSE,
        author=case.owner,
        answering=answering,
        delivery=Delivery.DRAFT if hold else Delivery.QUEUED,
    )
