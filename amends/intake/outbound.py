"""E-mail to the customer: composed in the case's transaction, sent by a background task.

Each message gets its Message-ID when it is composed, with In-Reply-To and References to the
conversation, so the customer's answer threads back to the case. A failed send is retried
with backoff (ATTEMPT_DELAYS) and then marked failed on the case; `retry_due` runs in the
worker loop, and the owner can try a failed message again with `retry_now`.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amends.cases import services as case_services
from amends.cases.events import record_event
from amends.cases.models import Case, Channel, EventKind, State, Visibility
from amends.intake.models import Delivery, Direction, Message
from amends.portal.links import portal_url

logger = logging.getLogger("amends.mail")

# How long to wait before each retry; after the last one the message is marked failed.
ATTEMPT_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=4),
)
# A worker that claimed a message and died releases it after this long.
CLAIM_LEASE = timedelta(minutes=10)
# An SMTP conversation may not outlast the claim, or a second worker would send it again.
SMTP_TIMEOUT_SECONDS = 60
# Mail clients thread on References; a long conversation keeps its newest ids.
MAX_REFERENCES = 20


def _bare(message_id: str) -> str:
    return message_id.strip().strip("<>")


def new_message_id() -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "amends.invalid"
    return _bare(make_msgid(domain=domain))


def _references(case: Case, answering: Message | None) -> str:
    """The parent's References plus the parent (RFC 5322 3.6.4); the case's own ids otherwise."""
    if answering is not None and answering.message_id:
        chain = [*answering.references.split(), answering.message_id]
    else:
        chain = list(case.messages.order_by("at", "pk").values_list("message_id", flat=True))
    unique = list(dict.fromkeys(_bare(i) for i in chain if i.strip()))
    return " ".join(unique[-MAX_REFERENCES:])


def with_portal_link(case: Case, body: str) -> str:
    """The body with a last line, in the case's language, linking to the customer's view."""
    with translation.override(case.language):
        # Translators: the last line of every e-mail to the customer; the link opens their case.
        line = _("Your case online: %(url)s") % {"url": portal_url(case)}
    return f"{body.rstrip()}\n\n{line}\n"


def compose(
    case: Case,
    *,
    subject: str,
    body: str,
    purpose: str,
    author: Any,
    answering: Message | None = None,
    delivery: str = Delivery.QUEUED,
) -> Message:
    """Store an outgoing e-mail on the case; when queued, it is sent after the commit."""
    if not case.customer.email:
        raise ValidationError(_("The customer has no e-mail address to write to."))
    if delivery not in (Delivery.QUEUED, Delivery.DRAFT):
        raise ValueError(f"a new message is queued or held, not {delivery!r}")
    if answering is None:
        answering = case.messages.filter(direction=Direction.IN).order_by("-at", "-pk").first()
    now = timezone.now()
    message = Message.objects.create(
        case=case,
        direction=Direction.OUT,
        channel=Channel.EMAIL,
        purpose=purpose,
        message_id=new_message_id(),
        in_reply_to=_bare(answering.message_id) if answering is not None else "",
        references=_references(case, answering),
        recipient_email=case.customer.email,
        subject=subject,
        body=with_portal_link(case, body),
        at=now,
        author=author if getattr(author, "pk", None) else None,
        delivery=delivery,
        next_attempt_at=now if delivery == Delivery.QUEUED else None,
    )
    if delivery == Delivery.QUEUED:
        schedule(message)
    return message


def schedule(message: Message) -> None:
    from amends.intake.tasks import send_message

    pk = message.pk
    transaction.on_commit(lambda: send_message.enqueue(pk))


def _require_text(value: str, problem: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(problem)
    return value


def release(message: Message, *, actor: Any, subject: str, body: str) -> Message:
    """Send a held draft, as the owner edited it."""
    subject = _require_text(subject, _("The message needs a subject."))
    body = _require_text(body, _("The message cannot be empty."))
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.delivery != Delivery.DRAFT:
            raise ValidationError(_("This message is no longer a draft; it was sent already."))
        message.subject, message.body = subject[:300], body
        message.author = actor
        message.delivery = Delivery.QUEUED
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["subject", "body", "author", "delivery", "next_attempt_at"])
        schedule(message)
    return message


def retry_now(message: Message, *, actor: Any) -> Message:
    """Try a message that failed for good once more, with a fresh round of attempts."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        # Only FAILED: a queued message may be in a worker's hands right now (see _claim).
        if message.delivery != Delivery.FAILED:
            raise ValidationError(_("Only a message that could not be delivered can be retried."))
        message.delivery = Delivery.QUEUED
        message.attempts = 0
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["delivery", "attempts", "next_attempt_at"])
        logger.info("message %s queued again by %s", message.pk, getattr(actor, "pk", None))
        schedule(message)
    return message


def _claim(pk: int, now: datetime) -> bool:
    """Take the message for sending, so two workers never send it at the same time.

    A conditional UPDATE (healthchecks' sendalerts): only one caller moves next_attempt_at past
    now; everyone else sees it in the future and leaves the message alone.
    """
    return bool(
        Message.objects.filter(pk=pk, direction=Direction.OUT, delivery=Delivery.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + CLAIM_LEASE)
    )


def _headers(message: Message) -> dict[str, str]:
    headers = {"Message-ID": f"<{message.message_id}>"}
    if message.in_reply_to:
        headers["In-Reply-To"] = f"<{message.in_reply_to}>"
    if message.references:
        headers["References"] = " ".join(f"<{r}>" for r in message.references.split())
    # RFC 3834: an automatic acknowledgement says so, so auto-responders do not answer it.
    if message.purpose == "acknowledgement":
        headers["Auto-Submitted"] = "auto-replied"
    return headers


def deliver(pk: int) -> str:
    """Send one queued message now; returns its delivery state afterwards."""
    now = timezone.now()
    if not _claim(pk, now):
        return Message.objects.filter(pk=pk).values_list("delivery", flat=True).first() or ""
    message = Message.objects.select_related("case", "author").get(pk=pk)
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient_email] if message.recipient_email else [],
        headers=_headers(message),
        connection=get_connection(
            fail_silently=False,
            timeout=getattr(settings, "EMAIL_TIMEOUT", None) or SMTP_TIMEOUT_SECONDS,
        ),
    )
    try:
        if not email.send(fail_silently=False):
            raise ValueError("no recipient address")
    except Exception as exc:  # any SMTP or network failure: retry later, never lose it
        logger.warning("sending message %s failed: %s", pk, exc)
        return _failed(message, f"{type(exc).__name__}: {exc}"[:2000])
    _sent(message)
    return Delivery.SENT


def _sent(message: Message) -> None:
    with transaction.atomic():
        now = timezone.now()
        Message.objects.filter(pk=message.pk).update(
            delivery=Delivery.SENT,
            sent_at=now,
            attempts=message.attempts + 1,
            last_error="",
            next_attempt_at=None,
        )
        case = message.case
        record_event(
            case,
            kind=EventKind.MESSAGE_SENT,
            actor=message.author,
            visibility=Visibility.CUSTOMER,
            data={
                "message_id": message.pk,
                "purpose": message.purpose,
                "subject": message.subject,
                "to": message.recipient_email,
            },
        )
        if message.purpose == "acknowledgement":
            _acknowledge(case, actor=message.author)


def _acknowledge(case: Case, *, actor: Any) -> None:
    """The case is acknowledged once the acknowledgement has gone out."""
    if not Case.objects.filter(pk=case.pk, state=State.RECEIVED).exists():
        return
    try:
        case_services.acknowledge(case, actor=actor)
    except ValidationError:
        # Someone moved the case on meanwhile. The mail is out: recording that it was sent
        # matters more, or the message would be sent a second time.
        logger.info("case %s was not acknowledged after the acknowledgement was sent", case.pk)


def _failed(message: Message, error: str) -> str:
    attempts = message.attempts + 1
    with transaction.atomic():
        if attempts > len(ATTEMPT_DELAYS):
            Message.objects.filter(pk=message.pk).update(
                delivery=Delivery.FAILED, attempts=attempts, last_error=error, next_attempt_at=None
            )
            record_event(
                message.case,
                kind=EventKind.MESSAGE_FAILED,
                data={
                    "message_id": message.pk,
                    "purpose": message.purpose,
                    "subject": message.subject,
                    "to": message.recipient_email,
                    "error": error,
                    "attempts": attempts,
                },
            )
            return Delivery.FAILED
        Message.objects.filter(pk=message.pk).update(
            attempts=attempts,
            last_error=error,
            next_attempt_at=timezone.now() + ATTEMPT_DELAYS[attempts - 1],
        )
    return Delivery.QUEUED


def retry_due(now: datetime | None = None) -> int:
    """Send every queued message whose time has come (run by the worker loop)."""
    now = now or timezone.now()
    due = Message.objects.filter(
        direction=Direction.OUT, delivery=Delivery.QUEUED, next_attempt_at__lte=now
    ).values_list("pk", flat=True)[:200]
    return sum(1 for pk in list(due) if deliver(pk) == Delivery.SENT)
