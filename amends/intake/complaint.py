"""The one value every channel turns a complaint into, and its validation at the edge.

A web form post, an e-mail, an API call, an imported file and a call logged by staff all
become a `Complaint`; `amends.intake.services.receive` takes it from there. Validation here is
the same for every channel, so no channel can let in what another refuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from amends.cases.models import Channel, CustomerKind, Language

MAX_TEXT_CHARS = 100_000
MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# What customers send as evidence: photos, scans, documents. No executables, no archives.
ALLOWED_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "image/heic",
        "text/plain",
        "text/csv",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "message/rfc822",
    }
)
# Which country's law applies when the customer does not say: the language's home market.
JURISDICTION_BY_LANGUAGE = {"pl": "PL", "bg": "BG", "fi": "FI"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class IncomingAttachment:
    filename: str
    content_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Complaint:
    """A complaint as it arrived, from any channel. Only `channel` and `text` are required."""

    channel: str
    text: str
    subject: str = ""
    sender_name: str = ""
    sender_email: str = ""
    sender_phone: str = ""
    language: str = ""
    jurisdiction: str = ""
    customer_kind: str = ""
    order_reference: str = ""
    requested_remedy: str = ""
    subject_kind: str = ""
    public_url: str = ""
    attachments: tuple[IncomingAttachment, ...] = ()
    message_id: str = ""
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    received_at: datetime | None = None
    # Identifies the source item so offering it twice stores it once, e.g.
    # "imap:<mailbox>:<uidvalidity>:<uid>", "import:<sha256>", "form:<token>".
    source_key: str = ""


def clean_text(value: str) -> str:
    """Text as we store it: control characters (NUL included) removed, newlines unified."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def validate(complaint: Complaint) -> None:
    """Raise ValidationError with every problem at once; change nothing."""
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if complaint.channel not in Channel.values:
        refuse("channel", _("Unknown channel: %(value)s.") % {"value": complaint.channel})
    text = clean_text(complaint.text)
    if not text:
        refuse("text", _("Please describe what happened."))
    elif len(text) > MAX_TEXT_CHARS:
        refuse(
            "text",
            _("The description is too long (at most %(limit)s characters).")
            % {"limit": MAX_TEXT_CHARS},
        )
    if not (complaint.sender_name.strip() or complaint.sender_email.strip()):
        refuse("sender_name", _("Please give your name or e-mail address."))
    if len(complaint.sender_name) > 200:
        refuse("sender_name", _("The name is too long."))
    if complaint.sender_email:
        try:
            validate_email(complaint.sender_email.strip())
        except ValidationError:
            refuse("sender_email", _("Enter a valid e-mail address."))
    if len(complaint.sender_phone) > 40:
        refuse("sender_phone", _("The phone number is too long."))
    if len(complaint.order_reference) > 100:
        refuse("order_reference", _("The order or contract reference is too long."))
    if complaint.language and complaint.language not in Language.values:
        refuse("language", _("Unknown language: %(value)s.") % {"value": complaint.language})
    if complaint.customer_kind and complaint.customer_kind not in CustomerKind.values:
        refuse(
            "customer_kind",
            _("Unknown kind of customer: %(value)s.") % {"value": complaint.customer_kind},
        )
    if complaint.subject_kind and complaint.subject_kind not in ("goods", "service"):
        refuse("subject_kind", _("Say whether the complaint is about goods or a service."))
    if complaint.jurisdiction and not re.fullmatch(r"[A-Za-z]{2}", complaint.jurisdiction):
        refuse("jurisdiction", _("A country is a two-letter code such as PL, BG or FI."))
    if complaint.public_url:
        try:
            URLValidator(schemes=["http", "https"])(complaint.public_url)
        except ValidationError:
            refuse("public_url", _("Enter a valid web address (http or https)."))
    if complaint.received_at is not None and complaint.received_at.tzinfo is None:
        refuse("received_at", _("The time of receipt needs a time zone."))
    if len(complaint.attachments) > MAX_ATTACHMENTS:
        refuse(
            "attachments",
            _("At most %(limit)s attachments.") % {"limit": MAX_ATTACHMENTS},
        )
    for attachment in complaint.attachments:
        if len(attachment.data) > MAX_ATTACHMENT_BYTES:
            refuse(
                "attachments",
                _("%(name)s is larger than %(limit)s MB.")
                % {"name": attachment.filename, "limit": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            )
        if attachment.content_type.lower() not in ALLOWED_TYPES:
            refuse(
                "attachments",
                _("%(name)s: files of type %(type)s are not accepted.")
                % {"name": attachment.filename, "type": attachment.content_type},
            )
    if errors:
        raise ValidationError(errors)
