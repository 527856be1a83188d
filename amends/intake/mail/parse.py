"""One raw e-mail to one `Complaint`: sender, subject, threading ids, date, the customer's own
words and the attachments. Pure stdlib `email` (policy.default) plus inscriptis for HTML and
mail-parser-reply for quotes; no Django models, so it runs the same for IMAP and .eml imports.

Nothing here may crash on real mail: every charset problem falls back (see charsets.py), and
what cannot become a complaint raises `MailParseError` with a reason, for the quarantine.
"""

from __future__ import annotations

import functools
import mimetypes
import re
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address, BaseHeader
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from email.utils import parsedate_to_datetime

from django.utils.translation import gettext as _
from inscriptis import get_text

from amends.cases.models import Channel
from amends.intake.complaint import ALLOWED_TYPES, Complaint, IncomingAttachment, declared_type
from amends.intake.mail.charsets import decode_bytes, recover_header
from amends.intake.mail.quotes import latest_reply

# Types a client may give a file it does not know; the file name then tells the real type.
_GENERIC_TYPES = frozenset(
    {"application/octet-stream", "application/x-download", "binary/octet-stream"}
)
_TYPE_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "image/x-png": "image/png"}
# Parts that sign or wrap a message rather than carry anything the customer sent.
_SKIPPED_TYPES = frozenset(
    {
        "application/pkcs7-signature",
        "application/x-pkcs7-signature",
        "application/pgp-signature",
        "application/pgp-keys",
    }
)
_MSGID = re.compile(r"<([^<>\s]+)>")
_MAX_ID = 500
# Dates before this are a broken clock, not a complaint from the last millennium.
_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)


# MIME headers whose few distinct values recur in every mail.
_STRUCTURAL_HEADERS = frozenset(
    {"content-type", "content-transfer-encoding", "content-disposition"}
)


@functools.lru_cache(maxsize=2048)
def _parsed_header(name: str, value: str) -> BaseHeader:
    return policy.default.header_fetch_parse(name, value)  # type: ignore[no-any-return]


class _Policy(EmailPolicy):
    """policy.default, parsing each distinct MIME structure header value once per process.

    With policy.default the stdlib parses a part's Content-Type again on every
    get_content_type() or get_param() (17 times a mail on the benchmark corpus, two thirds of
    the parse time). The header objects are immutable, so sharing them changes no result.
    """

    def header_fetch_parse(self, name: str, value: str) -> str:
        if type(value) is str and name.lower() in _STRUCTURAL_HEADERS:
            return _parsed_header(name, value)
        return super().header_fetch_parse(name, value)  # type: ignore[no-any-return]


_POLICY = _Policy()


class MailParseError(Exception):
    """The message cannot become a complaint; `reason` says why, for the quarantine."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_email(raw: bytes, *, source_key: str) -> Complaint:
    """The complaint in `raw`, or MailParseError when there is none."""
    if not raw or not raw.strip():
        raise MailParseError(_("The message is empty."))
    message = BytesParser(policy=_POLICY).parsebytes(raw)
    hint = _charset_hint(message)
    if _is_automatic(message):
        raise MailParseError(_("An automatic reply or delivery report, not written by a person."))
    sender_name, sender_email = _sender(message, hint)
    if not sender_email:
        raise MailParseError(_("The message has no sender address."))
    subject = " ".join(_header(message, "subject", hint).split())
    plain, html = _body(message, "plain"), _body(message, "html")
    text = _text(plain, html, subject)
    attachments = tuple(_attachments(message, body_parts={id(p) for p in (plain, html) if p}))
    if not text:
        # A complaint sent as an attached letter with an empty body still has its subject.
        if not subject:
            raise MailParseError(_("The message has no text."))
        text = subject
    return Complaint(
        channel=Channel.EMAIL,
        text=text,
        subject=subject,
        sender_name=sender_name,
        sender_email=sender_email,
        attachments=attachments,
        # Ids and the date need no RFC 2047 decoding: raw is enough (and much cheaper).
        message_id=_first_id(_raw_header(message, "message-id")),
        in_reply_to=_first_id(_raw_header(message, "in-reply-to")),
        references=tuple(_ids(_raw_header(message, "references"))),
        received_at=_date(" ".join(_raw_header(message, "date").split())),
        source_key=source_key,
    )


def _raw_header(message: Message, name: str) -> str:
    for key, value in message.raw_items():
        if key.lower() == name:
            return str(value)
    return ""


def _header(message: Message, name: str, hint: str | None) -> str:
    """A header as text: 8-bit bytes decoded like the body, RFC 2047 words decoded."""
    raw = recover_header(_raw_header(message, name), hint)
    if not raw:
        return ""
    try:
        return str(policy.default.header_fetch_parse(name, raw))
    except Exception:  # the header parser has corner cases that raise on broken input
        return raw


def _charset_hint(message: Message) -> str | None:
    """The charset the message's text is declared in, for headers sent as raw 8-bit bytes."""
    for part in message.walk():
        if part.get_content_maintype() == "text":
            charset = part.get_param("charset")
            if isinstance(charset, str):
                return charset
    return None


def _is_automatic(message: Message) -> bool:
    auto = _raw_header(message, "auto-submitted").strip().lower()
    if auto and not auto.startswith("no"):
        return True
    if _raw_header(message, "x-autoreply") or _raw_header(message, "x-autorespond"):
        return True
    if _raw_header(message, "precedence").strip().lower() == "auto_reply":
        return True
    return message.get_content_type() == "multipart/report"


def _sender(message: Message, hint: str | None) -> tuple[str, str]:
    raw = recover_header(_raw_header(message, "from"), hint)
    if not raw:
        return "", ""
    try:
        header = policy.default.header_fetch_parse("from", raw)
        addresses: tuple[Address, ...] = getattr(header, "addresses", ())
    except Exception:
        addresses = ()
    for address in addresses:
        if address.username and address.domain:
            name = " ".join(address.display_name.split())
            return name[:200], f"{address.username}@{address.domain}"
    found = re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", raw)
    return ("", found.group(0)) if found else ("", "")


def _text(plain: Message | None, html: Message | None, subject: str) -> str:
    text = _part_text(plain) if plain is not None else ""
    if not text.strip() and html is not None:
        text = _html_text(html)
    return latest_reply(text, subject=subject) if text.strip() else ""


def _body(message: Message, kind: str) -> Message | None:
    if not isinstance(message, EmailMessage):
        return None
    try:
        return message.get_body(preferencelist=(kind,))
    except Exception:
        return None


def _part_text(part: Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if not isinstance(payload, bytes):
        payload = str(part.get_payload()).encode("utf-8", "surrogateescape")
    charset = part.get_param("charset")
    return decode_bytes(payload, charset if isinstance(charset, str) else None)


def _html_text(part: Message) -> str:
    html = _part_text(part)
    try:
        return str(get_text(html))
    except Exception:  # broken markup: strip the tags ourselves rather than lose the text
        return re.sub(r"<[^>]+>", " ", html)


def _attachments(message: Message, *, body_parts: set[int]) -> list[IncomingAttachment]:
    found: list[IncomingAttachment] = []
    _collect(message, body_parts, found)
    return found


def _collect(part: Message, body_parts: set[int], found: list[IncomingAttachment]) -> None:
    content_type = part.get_content_type()
    if content_type == "message/rfc822":
        # An attached mail is one attachment (the customer's evidence), not more parts.
        found.append(_attachment(part, content_type, _attached_mail(part), len(found)))
        return
    if part.is_multipart():
        for child in part.get_payload() or []:
            if isinstance(child, Message):
                _collect(child, body_parts, found)
        return
    if id(part) in body_parts or content_type in _SKIPPED_TYPES:
        return
    disposition = part.get_content_disposition()
    if (
        part.get_content_maintype() == "text"
        and disposition != "attachment"
        and not _filename(part)
    ):
        return  # another inline text part of the body, e.g. the HTML alternative
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if not isinstance(data, bytes):
        data = str(part.get_payload()).encode("utf-8", "surrogateescape")
    found.append(_attachment(part, content_type, data, len(found)))


def _attached_mail(part: Message) -> bytes:
    inner = part.get_payload()
    if isinstance(inner, list) and inner and isinstance(inner[0], Message):
        try:
            return inner[0].as_bytes(policy=policy.SMTP)
        except Exception:  # undecodable bytes in the attached mail: keep them as they came
            return str(inner[0]).encode("utf-8", "surrogateescape")
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _filename(part: Message) -> str:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if not name:
        return ""
    return " ".join(recover_header(str(name)).split())


def _attachment(part: Message, content_type: str, data: bytes, index: int) -> IncomingAttachment:
    filename = _filename(part)
    content_type = _TYPE_ALIASES.get(content_type, content_type)
    if filename and (content_type in _GENERIC_TYPES or content_type not in ALLOWED_TYPES):
        guessed, _encoding = mimetypes.guess_type(filename)
        if guessed in ALLOWED_TYPES:
            content_type = guessed
    # Still unknown: the first bytes may tell. Whether the content is what the type says is
    # complaint.validate's rule, the same for every channel.
    content_type = declared_type(content_type, data)
    if not filename:
        extension = mimetypes.guess_extension(content_type) or ".bin"
        if content_type == "message/rfc822":
            extension = ".eml"
        filename = f"attachment-{index + 1}{extension}"
    return IncomingAttachment(filename=filename, content_type=content_type, data=data)


def _ids(value: str) -> list[str]:
    bracketed = _MSGID.findall(value)
    ids = bracketed if bracketed else value.split()
    return [i.strip("<>")[:_MAX_ID] for i in ids if i.strip("<>")]


def _first_id(value: str) -> str:
    ids = _ids(value)
    return ids[0] if ids else ""


def _date(value: str) -> datetime:
    now = datetime.now(UTC)
    if not value.strip():
        return now
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return now
    if parsed.tzinfo is None:  # "-0000": the sender does not know its zone; RFC 5322 says UTC
        parsed = parsed.replace(tzinfo=UTC)
    if parsed < _EARLIEST:
        return now
    return parsed
