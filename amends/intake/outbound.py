"""E-mail to the customer: composed in the case's transaction, sent by a background task.

Each message gets its Message-ID when it is composed, with In-Reply-To and References to the
conversation, so the customer's answer threads back to the case. A failed send is retried
with backoff (ATTEMPT_DELAYS) and then marked failed on the case; `retry_due` runs in the
worker loop.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from amends.cases import services as case_services
from amends.cases.events import record_event
from amends.cases.models import Case, Channel, EventKind, State, Visibility
from amends.intake.models import Delivery, Direction, Message

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


def _bare(message_id: str) -> str:
    return message_id.strip().strip("<>")


def new_message_id() -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "amends.invalid"
    return _bare(make_msgid(domain=domain))


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
    if answering is None:
        answering = case.messages.filter(direction=Direction.IN).order_by("-at", "-pk").first()
    chain = [m.message_id for m in case.messages.order_by("at", "pk") if m.message_id]
    message = Message.objects.create(
        case=case,
        direction=Direction.OUT,
        channel=Channel.EMAIL,
        purpose=purpose,
        message_id=new_message_id(),
        in_reply_to=answering.message_id if answering is not None else "",
        references=" ".join(chain[-20:]),
        recipient_email=case.customer.email,
        subject=subject,
        body=body,
        at=timezone.now(),
        author=author if getattr(author, "pk", None) else None,
        delivery=delivery,
        next_attempt_at=timezone.now() if delivery == Delivery.QUEUED else None,
    )
    if delivery == Delivery.QUEUED:
        schedule(message)
    return message


def schedule(message: Message) -> None:
    from amends.intake.tasks import send_message

    transaction.on_commit(lambda: send_message.enqueue(message.pk))


def release(message: Message, *, actor: Any, subject: str, body: str) -> Message:
    """Send a held draft (the owner may have edited it)."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.delivery != Delivery.DRAFT:
            return message
        message.subject, message.body = subject, body
        message.author = actor
        message.delivery = Delivery.QUEUED
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["subject", "body", "author", "delivery", "next_attempt_at"])
        schedule(message)
    return message


def _claim(pk: int, now: datetime) -> bool:
    """Take the message for sending, so two workers never send it at the same time."""
    return bool(
        Message.objects.filter(pk=pk, delivery=Delivery.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + CLAIM_LEASE)
    )


def _headers(message: Message) -> dict[str, str]:
    headers = {"Message-ID": f"<{message.message_id}>"}
    if message.in_reply_to:
        headers["In-Reply-To"] = f"<{message.in_reply_to}>"
    if message.references:
        headers["References"] = " ".join(f"<{r}>" for r in message.references.split())
    headers["Auto-Submitted"] = "auto-replied" if message.purpose == "acknowledgement" else "no"
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
        to=[message.recipient_email],
        headers=_headers(message),
    )
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # any SMTP or network failure: retry later, never lose it
        logger.warning("sending message %s failed: %s", pk, exc)
        return _failed(message, f"{type(exc).__name__}: {exc}")
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
        if (
            message.purpose == "acknowledgement"
            and Case.objects.filter(pk=case.pk, state=State.RECEIVED).exists()
        ):
            case_services.acknowledge(case, actor=message.author)


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
                data={"message_id": message.pk, "error": error, "attempts": attempts},
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
