"""From a `Complaint` to a case: idempotency, threading, linking repeats, triage, the BG
register entry and the acknowledgement, all in one transaction per complaint.

Every channel calls `receive`. Offering the same item twice (same source key or Message-ID)
changes nothing and returns what was stored the first time.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from amends.cases import services as case_services
from amends.cases.events import record_event
from amends.cases.models import (
    OPEN_STATES,
    Case,
    Customer,
    CustomerKind,
    EventKind,
    OrganisationSettings,
    Visibility,
)
from amends.intake import acknowledgement, signals
from amends.intake.complaint import (
    JURISDICTION_BY_LANGUAGE,
    Complaint,
    clean_text,
    validate,
)
from amends.intake.models import (
    Attachment,
    Delivery,
    Direction,
    Message,
    RegisterEntry,
    SubjectKind,
)
from amends.playbook.language import detect_language
from amends.recurrence.services import queue_embedding

# "AM-000123" in a subject or text: the customer answering about their case.
_REFERENCE = re.compile(r"\bAM-(\d{6,12})\b", re.IGNORECASE)
_WORD = re.compile(r"\w{3,}")
# Two complaints from one customer whose words overlap this much are about the same thing.
SAME_THING_SIMILARITY = 0.5
# A closed case this recent is linked as the one the new complaint repeats.
REPEAT_WINDOW = timedelta(days=180)


@dataclass(frozen=True)
class Received:
    case: Case
    message: Message
    created: bool  # a new case was opened
    duplicate: bool  # this item had been received before: nothing changed
    linked: bool  # a repeated complaint, added to the customer's open case about it


def receive(complaint: Complaint, *, actor: Any = None, case: Case | None = None) -> Received:
    """Store one complaint: open a case for it, or add it to the case it belongs to."""
    validate(complaint)
    earlier = _already_received(complaint)
    if earlier is not None:
        return Received(earlier.case, earlier, created=False, duplicate=True, linked=False)
    try:
        with transaction.atomic():
            return _receive(complaint, actor=actor, case=case)
    except IntegrityError:
        # Another worker stored the same item a moment ago: theirs stands, ours changes nothing.
        earlier = _already_received(complaint)
        if earlier is None:
            raise
        return Received(earlier.case, earlier, created=False, duplicate=True, linked=False)


def _already_received(complaint: Complaint) -> Message | None:
    """The message stored for this item before: by source key, else by incoming Message-ID."""
    match = Q()
    if complaint.source_key:
        match |= Q(source_key=complaint.source_key)
    if complaint.message_id:
        match |= Q(direction=Direction.IN, message_id=complaint.message_id)
    if not match:
        return None
    # One query for both: each is unique (source_key; direction + non-empty message_id), so
    # there are at most two rows, and the source key's wins.
    found = list(Message.objects.filter(match).order_by("pk")[:2])
    for message in found:
        if complaint.source_key and message.source_key == complaint.source_key:
            return message
    return found[0] if found else None


def _receive(complaint: Complaint, *, actor: Any, case: Case | None) -> Received:
    text = clean_text(complaint.text)
    language = complaint.language or _language_of(text)
    now = timezone.now()
    received_at = complaint.received_at or now
    if received_at > now:
        received_at = now  # a sender's clock in the future must not move our deadlines
    created = linked = False
    # Read once here and handed down: each read is a get_or_create.
    org = OrganisationSettings.current()
    if case is None:
        case = _thread(complaint)
    if case is not None and not case.is_open:
        repeat_of, case = case, None
    else:
        repeat_of = None
    if case is None:
        customer = _customer(complaint, language, org)
        if customer.pk is not None:
            open_case = _open_case_about_same_thing(customer, complaint, text)
            if open_case is not None:
                case, linked = open_case, True
            elif repeat_of is None:
                repeat_of = _closed_case_about_same_thing(customer, complaint, text, now)
    if case is None:
        case = _open(complaint, customer, text, language, received_at, actor, repeat_of, org)
        created = True
    message = store_message(case, complaint, actor=actor, text=text, received_at=received_at)
    if not created:
        record_event(
            case,
            kind=EventKind.REPEAT_CONTACT if linked else EventKind.CUSTOMER_MESSAGE,
            actor=actor,
            visibility=Visibility.CUSTOMER,
            data={"message_id": message.pk, "channel": complaint.channel},
            at=received_at,
        )
    signals.refresh(
        case,
        text=text,
        channel=complaint.channel,
        public_url=complaint.public_url,
        initial=created,
        # A new case has this one message from the customer; no need to count.
        contacts=1 if created else None,
        org=org,
    )
    if created:
        entry = (
            _register(case, complaint, text, actor, org) if _needs_register_entry(case) else None
        )
        acknowledgement.queue(case, answering=message, register_entry=entry)
        queue_embedding(case)
    return Received(case, message, created=created, duplicate=False, linked=linked)


def _language_of(text: str) -> str:
    # An undetermined or neighbour language is answered in the closest language we serve.
    return detect_language(text).served


def _thread(complaint: Complaint) -> Case | None:
    """The case this message answers: by our Message-IDs, then by our reference in the subject."""
    ids = [i for i in (complaint.in_reply_to, *complaint.references) if i]
    if ids:
        found = Message.objects.filter(message_id__in=ids).select_related("case").first()
        if found is not None:
            return found.case
    sender = complaint.sender_email.strip()
    if not sender:
        return None
    for match in _REFERENCE.finditer(f"{complaint.subject}\n{complaint.text[:2000]}"):
        case = Case.objects.filter(pk=int(match.group(1))).select_related("customer").first()
        # Only the case's own customer threads by reference; a stranger quoting a reference
        # gets a case of their own and never sees into someone else's.
        if case is not None and case.customer.email.lower() == sender.lower():
            return case
    return None


def _customer(complaint: Complaint, language: str, org: OrganisationSettings) -> Customer:
    phone = complaint.sender_phone.strip()
    if not complaint.sender_email.strip() and phone:
        known = Customer.objects.filter(phone=phone).order_by("pk").first()
        if known is not None:
            return known
    jurisdiction = complaint.jurisdiction.upper() or JURISDICTION_BY_LANGUAGE.get(
        language, org.home_jurisdiction
    )
    return case_services.customer_for_intake(
        name=complaint.sender_name.strip() or complaint.sender_email.strip(),
        email=complaint.sender_email,
        phone=phone,
        language=language,
        jurisdiction=jurisdiction,
        kind=complaint.customer_kind or CustomerKind.CONSUMER,
    )


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def similarity(a: str, b: str) -> float:
    """Word overlap of two texts (Jaccard of words of three letters or more), 0 to 1."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def _same_thing(case: Case, complaint: Complaint, text: str) -> bool:
    if complaint.order_reference and case.order_reference:
        return complaint.order_reference.strip().casefold() == case.order_reference.casefold()
    return similarity(text, case.description) >= SAME_THING_SIMILARITY


def _open_case_about_same_thing(customer: Customer, complaint: Complaint, text: str) -> Case | None:
    candidates = Case.objects.filter(customer=customer, state__in=OPEN_STATES).order_by(
        "-received_at"
    )[:20]
    return next((c for c in candidates if _same_thing(c, complaint, text)), None)


def _closed_case_about_same_thing(
    customer: Customer, complaint: Complaint, text: str, now: Any
) -> Case | None:
    candidates = (
        Case.objects.filter(customer=customer, received_at__gte=now - REPEAT_WINDOW)
        .exclude(state__in=OPEN_STATES)
        .order_by("-received_at")[:20]
    )
    return next((c for c in candidates if _same_thing(c, complaint, text)), None)


def _subject(complaint: Complaint, text: str) -> str:
    subject = clean_text(complaint.subject)
    if subject:
        return subject[:200]
    first_line = text.split("\n", 1)[0]
    return first_line[:80] + ("…" if len(first_line) > 80 else "")


def _open(
    complaint: Complaint,
    customer: Customer,
    text: str,
    language: str,
    received_at: Any,
    actor: Any,
    repeat_of: Case | None,
    org: OrganisationSettings,
) -> Case:
    case = case_services.open_case(
        customer=customer,
        subject=_subject(complaint, text),
        description=text,
        channel=complaint.channel,
        language=language,
        received_at=received_at,
        actor=actor,
        order_reference=complaint.order_reference.strip(),
        requested_remedy=clean_text(complaint.requested_remedy),
        repeat_of=repeat_of,
        org=org,
    )
    if repeat_of is not None:
        record_event(
            case,
            kind=EventKind.REPEAT_CONTACT,
            actor=actor,
            data={"repeat_of": repeat_of.pk, "repeat_of_reference": repeat_of.reference},
        )
    return case


def store_message(
    case: Case,
    complaint: Complaint,
    *,
    actor: Any,
    text: str | None = None,
    received_at: Any = None,
) -> Message:
    """Keep the customer's message and its attachments exactly as they came, on `case`."""
    text = clean_text(complaint.text) if text is None else text
    received_at = received_at or complaint.received_at or timezone.now()
    message = Message.objects.create(
        case=case,
        direction=Direction.IN,
        channel=complaint.channel,
        source_key=complaint.source_key or None,
        message_id=complaint.message_id,
        in_reply_to=complaint.in_reply_to,
        references=" ".join(complaint.references),
        sender_name=complaint.sender_name.strip()[:200],
        sender_email=complaint.sender_email.strip(),
        subject=clean_text(complaint.subject)[:300],
        body=text,
        public_url=complaint.public_url,
        at=received_at,
        author=actor if getattr(actor, "pk", None) else None,
        delivery=Delivery.RECEIVED,
    )
    for item in complaint.attachments:
        attachment = Attachment(
            message=message,
            filename=_safe_filename(item.filename),
            content_type=item.content_type.lower(),
            size=len(item.data),
            sha256=hashlib.sha256(item.data).hexdigest(),
        )
        attachment.file.save(attachment.filename, ContentFile(item.data), save=False)
        attachment.save()
    return message


def _safe_filename(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip(" .")
    return name[:200] or "attachment"


def _needs_register_entry(case: Case) -> bool:
    return case.customer.jurisdiction == "BG" and case.customer.kind == CustomerKind.CONSUMER


def _register(
    case: Case, complaint: Complaint, text: str, actor: Any, org: OrganisationSettings
) -> RegisterEntry:
    """Enter a BG consumer complaint in the register when it is made (ЗЗП art. 127)."""
    # The lock on the settings row serialises the numbering (on databases that lock rows).
    org = OrganisationSettings.objects.select_for_update().get(pk=org.pk)
    number = (RegisterEntry.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    accepted_by = actor if getattr(actor, "pk", None) else case.owner
    customer = case.customer
    entry = RegisterEntry.objects.create(
        number=number,
        case=case,
        made_at=case.received_at,
        consumer_name=customer.name,
        consumer_address=customer.email or customer.phone,
        description=text,
        documents="\n".join(a.filename for a in complaint.attachments),
        requested_remedy=clean_text(complaint.requested_remedy),
        subject_kind=complaint.subject_kind or SubjectKind.GOODS,
        accepted_by=accepted_by.display_name if accepted_by is not None else org.name,
    )
    record_event(
        case,
        kind=EventKind.REGISTERED,
        actor=actor,
        visibility=Visibility.CUSTOMER,
        data={"number": number},
    )
    return entry
