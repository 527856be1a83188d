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

# The first bytes of each accepted type. A file whose content does not match the type it
# claims is refused: a renamed executable must not reach an agent as "photo.jpg".
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    # Office Open XML and OpenDocument files are zip archives; the old Office formats are OLE2.
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "application/vnd.oasis.opendocument.text": (b"PK\x03\x04",),
    "application/vnd.oasis.opendocument.spreadsheet": (b"PK\x03\x04",),
    "application/msword": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "application/vnd.ms-excel": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}
_TEXT_TYPES = frozenset({"text/plain", "text/csv", "message/rfc822"})
# What a sender declares when it does not know the type; we then go by the content alone.
UNKNOWN_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
_SNIFFABLE = ("application/pdf", "image/png", "image/jpeg", "image/gif")


def content_matches(content_type: str, data: bytes) -> bool:
    """Whether the file's first bytes are what `content_type` says they are."""
    content_type = content_type.lower()
    head = data[:8192]
    if content_type in _SIGNATURES:
        return head.startswith(_SIGNATURES[content_type])
    if content_type == "image/webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if content_type == "image/heic":
        return head[4:8] == b"ftyp"
    if content_type in _TEXT_TYPES:
        return b"\x00" not in head
    return False


def sniffed_type(data: bytes) -> str:
    """The type of a PDF, PNG, JPEG or GIF told by its first bytes; "" for anything else."""
    return next((t for t in _SNIFFABLE if data.startswith(_SIGNATURES[t])), "")


def declared_type(content_type: str, data: bytes) -> str:
    """The type a file is checked against: the declared one, lower-cased without parameters;
    when the sender did not know it (empty, application/octet-stream), the type its first
    bytes show, if they show one."""
    declared = content_type.split(";")[0].strip().lower()
    if declared in UNKNOWN_TYPES:
        return sniffed_type(data) or declared
    return declared


@dataclass(frozen=True)
class IncomingAttachment:
    filename: str
    content_type: str
    data: bytes = field(repr=False)


def attachment_problems(attachment: IncomingAttachment) -> list[str]:
    """Why a file is refused, whichever channel brought it: size, type, content not the type."""
    problems = []
    if len(attachment.data) > MAX_ATTACHMENT_BYTES:
        problems.append(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": attachment.filename, "limit": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
        )
    content_type = attachment.content_type.lower()
    if content_type not in ALLOWED_TYPES:
        problems.append(
            _("%(name)s: files of type %(type)s are not accepted.")
            % {"name": attachment.filename, "type": attachment.content_type or "?"}
        )
    elif not content_matches(content_type, attachment.data):
        problems.append(
            _("%(name)s: the file's content is not a %(type)s file.")
            % {"name": attachment.filename, "type": attachment.content_type}
        )
    return problems


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
        for problem in attachment_problems(attachment):
            refuse("attachments", problem)
    if errors:
        raise ValidationError(errors)
