"""Mail we could not turn into a case, kept byte for byte with the reason, until a manager
retries it (after a fix) or marks it resolved. Nothing accepted from a mailbox is ever lost:
it is either a case's message or a quarantined mail.
"""

from __future__ import annotations

import logging
from email import policy
from email.parser import BytesHeaderParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.intake import services
from amends.intake.mail.parse import MailParseError, parse_email
from amends.intake.models import Mailbox, QuarantinedMail

logger = logging.getLogger("amends.mail")


def reason_of(error: Exception) -> str:
    """A reason a manager can read, for a MailParseError, a ValidationError or anything else."""
    if isinstance(error, MailParseError):
        return error.reason
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return _("Unexpected error: %(error)s") % {"error": f"{type(error).__name__}: {error}"}


def message_id_of(raw: bytes) -> str:
    try:
        value = BytesHeaderParser(policy=policy.compat32).parsebytes(raw).get("Message-ID")
    except Exception:
        return ""
    return str(value or "").strip().strip("<>")[:500]


def quarantine(
    raw: bytes, *, source_key: str, reason: str, mailbox: Mailbox | None = None
) -> QuarantinedMail:
    """Keep `raw` with its reason; offering the same source again returns the first one.

    The same Message-ID from the same mailbox is the same mail too: after a UIDVALIDITY change
    every message comes with a new source key.
    """
    message_id = message_id_of(raw)
    found = QuarantinedMail.objects.filter(source_key=source_key).first()
    if found is None and message_id:
        found = QuarantinedMail.objects.filter(mailbox=mailbox, message_id=message_id).first()
    if found is not None:
        return found
    item = QuarantinedMail(
        mailbox=mailbox, source_key=source_key, message_id=message_id, reason=reason
    )
    try:
        with transaction.atomic():
            item.raw.save(_file_name(source_key), ContentFile(raw), save=False)
            item.save()
    except IntegrityError:
        # Another worker quarantined it a moment ago.
        return QuarantinedMail.objects.get(source_key=source_key)
    logger.warning("quarantined %s: %s", source_key, reason)
    return item


def _file_name(source_key: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in source_key)[:150] + ".eml"


def retry(item: QuarantinedMail, *, actor: Any) -> services.Received:
    """Parse and receive the quarantined mail again; resolved when it becomes a case message.

    On failure the new reason is stored and the error raised again.
    """
    with item.raw.open("rb") as handle:
        raw = handle.read()
    try:
        received = services.receive(parse_email(raw, source_key=item.source_key))
    except (MailParseError, ValidationError) as exc:
        item.reason = reason_of(exc)
        item.save(update_fields=["reason"])
        raise
    resolve(item, actor=actor)
    return received


def resolve(item: QuarantinedMail, *, actor: Any) -> QuarantinedMail:
    """Mark the mail dealt with (received on retry, or handled by hand)."""
    if item.resolved_at is None:
        item.resolved_at = timezone.now()
        item.resolved_by = actor if getattr(actor, "pk", None) else None
        item.save(update_fields=["resolved_at", "resolved_by"])
    return item
