"""Reading complaints from files for `amends import`: CSV rows and .eml files become items,
each with the source key that makes importing it twice a no-op.

An item is refused on its own (bad row, unreadable mail) and never stops the others.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amends.intake.complaint import Complaint

# The documented CSV header (docs/operators.md, "Import"); columns may come in any order.
CSV_COLUMNS = (
    "name",
    "email",
    "phone",
    "order_reference",
    "text",
    "subject",
    "requested_remedy",
    "language",
    "country",
    "customer_kind",
    "received_at",
    "channel",
)
CSV_REQUIRED = ("text", "received_at")
DEFAULT_CHANNEL = "import"
# Longer than any text we accept, so an overlong description gets our message, not csv's.
csv.field_size_limit(1_000_000)


class Refused(Exception):
    """An item that cannot be imported, with the reason to show the operator."""


@dataclass(frozen=True)
class Item:
    """One complaint to import: `label` names it in the summary ("rows.csv row 17")."""

    label: str
    source_key: str
    build: Callable[[], Complaint]  # raises Refused or ValidationError


def reason(error: ValidationError) -> str:
    """Every message of a ValidationError on one line."""
    if hasattr(error, "error_dict"):
        return " ".join(m for messages in error.message_dict.values() for m in messages)
    return " ".join(error.messages)


# --- CSV -------------------------------------------------------------------------------------


class BadFile(Exception):
    """A file that cannot be read at all (empty, wrong header); none of its rows is imported."""


def _delimiter(first_line: str) -> str:
    # Excel writes ";" where the decimal separator is a comma (pl, bg, fi locales).
    return max((",", ";", "\t"), key=first_line.count)


def _normalise(value: str) -> str:
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _header(row: list[str], name: str) -> list[str]:
    columns = [c.strip().lower() for c in row]
    unknown = [c for c in columns if c not in CSV_COLUMNS]
    if unknown:
        raise BadFile(
            _("%(file)s: unknown columns in the header: %(columns)s. Expected: %(expected)s.")
            % {"file": name, "columns": ", ".join(unknown), "expected": ", ".join(CSV_COLUMNS)}
        )
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise BadFile(
            _("%(file)s: columns named twice in the header: %(columns)s.")
            % {"file": name, "columns": ", ".join(repeated)}
        )
    missing = [c for c in CSV_REQUIRED if c not in columns]
    if "name" not in columns and "email" not in columns:
        missing.append("name/email")
    if missing:
        raise BadFile(
            _("%(file)s: the header lacks required columns: %(columns)s.")
            % {"file": name, "columns": ", ".join(missing)}
        )
    return columns


def _received_at(value: str) -> datetime:
    if not value:
        raise Refused(_("received_at is empty: give the date and time the complaint arrived."))
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise Refused(
            _("received_at is not an ISO 8601 date and time: %(value)s.") % {"value": value}
        ) from None
    if at.tzinfo is None:
        raise Refused(
            _("received_at needs a time zone, e.g. 2026-11-02T09:30:00+01:00: %(value)s.")
            % {"value": value}
        )
    return at


def _undecodable(values: dict[str, str]) -> tuple[str, int] | None:
    """The first column holding bytes the file's encoding could not decode, and the byte."""
    for column, value in values.items():
        for char in value:
            if "\udc80" <= char <= "\udcff":
                return column, ord(char) - 0xDC00
    return None


def _row_complaint(values: dict[str, str], source_key: str) -> Complaint:
    received_at = _received_at(values["received_at"])
    return Complaint(
        channel=values["channel"] or DEFAULT_CHANNEL,
        text=values["text"],
        subject=values["subject"],
        sender_name=values["name"],
        sender_email=values["email"],
        sender_phone=values["phone"],
        language=values["language"].lower(),
        jurisdiction=values["country"].upper(),
        customer_kind=values["customer_kind"].lower(),
        order_reference=values["order_reference"],
        requested_remedy=values["requested_remedy"],
        received_at=received_at,
        source_key=source_key,
    )


def _row_key(values: dict[str, str]) -> str:
    """The same complaint gives the same key whatever the column order, line endings or the
    way the time is written."""
    canonical = dict(values)
    canonical["channel"] = canonical["channel"] or DEFAULT_CHANNEL
    try:
        canonical["received_at"] = (
            datetime.fromisoformat(canonical["received_at"]).astimezone(UTC).isoformat()
        )
    except (ValueError, TypeError):
        pass  # refused later with its own message; the key only has to be stable
    digest = hashlib.sha256(
        json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")
    ).hexdigest()
    return f"import:csv:{digest}"


def csv_items(path: Path, *, encoding: str = "utf-8") -> list[Item]:
    """The rows of a CSV file as items. Row numbers count the header as row 1, as a
    spreadsheet shows them. Raises BadFile when the file cannot be read at all."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode(encoding, errors="surrogateescape")
    except LookupError:
        raise BadFile(_("Unknown encoding: %(value)s.") % {"value": encoding}) from None
    if not text.strip():
        raise BadFile(_("%(file)s is empty.") % {"file": path.name})
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]))
    items: list[Item] = []
    try:
        columns = _header(next(reader), path.name)
        for number, row in enumerate(reader, start=2):
            label = _("%(file)s row %(row)s") % {"file": path.name, "row": number}
            if not any(cell.strip() for cell in row):
                continue  # blank lines and the trailing ";;;;" rows spreadsheets write
            items.append(_row_item(label, columns, row, encoding))
    except csv.Error as exc:
        failed = _("row %(row)s: %(error)s") % {"row": reader.line_num, "error": exc}
        items.append(Item(path.name, "", _refuse(failed)))
    return items


def _row_item(label: str, columns: list[str], row: list[str], encoding: str) -> Item:
    if len(row) != len(columns):
        message = _("expected %(expected)s columns, found %(found)s.") % {
            "expected": len(columns),
            "found": len(row),
        }
        return Item(label, "", _refuse(message))
    values = dict.fromkeys(CSV_COLUMNS, "")
    values.update(zip(columns, (_normalise(cell) for cell in row), strict=True))
    bad = _undecodable(values)
    if bad is not None:
        message = _(
            "column %(column)s has bytes that are not %(encoding)s (0x%(byte)02X). "
            "Save the file as UTF-8 or name its encoding with --encoding."
        ) % {"column": bad[0], "encoding": encoding, "byte": bad[1]}
        return Item(label, "", _refuse(message))
    key = _row_key(values)
    return Item(label, key, lambda: _row_complaint(values, key))


def _refuse(message: str) -> Callable[[], Complaint]:
    def build() -> Complaint:
        raise Refused(message)

    return build


# --- .eml --------------------------------------------------------------------------------


def _sent_at(raw: bytes) -> datetime | None:
    # Headers only, leniently: this is just for ordering; parse_email judges the message.
    try:
        date = BytesHeaderParser(policy=compat32).parsebytes(raw).get("Date")
        at = parsedate_to_datetime(str(date)) if date else None
    except (TypeError, ValueError, IndexError):
        return None
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at


def eml_paths(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() == ".eml")


def eml_items(paths: list[Path], *, root: Path | None = None) -> list[Item]:
    """.eml files as items in Date order, then by name, so a follow-up comes after the
    message it answers and threads to its case (django-helpdesk imports in directory order
    and opens a second ticket for such follow-ups). Undated mail goes last."""
    far = datetime.max.replace(tzinfo=UTC)
    mails = []
    for path in paths:
        label = str(path.relative_to(root)) if root is not None else path.name
        raw = path.read_bytes()
        key = "import:" + hashlib.sha256(raw).hexdigest()
        mails.append((_sent_at(raw) or far, label, path, key))
    mails.sort(key=lambda m: (m[0], m[1]))
    return [Item(label, key, _eml_builder(path, key)) for _, label, path, key in mails]


def _eml_builder(path: Path, key: str) -> Callable[[], Complaint]:
    def build() -> Complaint:
        from amends.intake.mail.parse import parse_email

        raw = path.read_bytes()
        if "import:" + hashlib.sha256(raw).hexdigest() != key:
            raise Refused(_("The file changed while it was being imported."))
        try:
            complaint: Complaint = parse_email(raw, source_key=key)
            return complaint
        except ValidationError:
            raise
        except Exception as exc:  # any defect of the file refuses this file only
            raise Refused(str(exc) or type(exc).__name__) from exc

    return build


def items_for(path: Path, *, encoding: str) -> Iterator[Item]:
    """Items of one path given on the command line: a CSV file, an .eml file or a folder."""
    if path.is_dir():
        yield from eml_items(eml_paths(path), root=path)
    elif path.suffix.lower() == ".eml":
        yield from eml_items([path])
    else:
        yield from csv_items(path, encoding=encoding)
