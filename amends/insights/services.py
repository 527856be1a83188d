"""Writing the insights ledgers: revenue per product line and customer activity.

Every import is all-or-nothing: each row is checked first, and one bad row refuses the whole
file with the row numbers and reasons, so a half-imported file never skews the reserve.
Re-importing the same file changes nothing (revenue is keyed on line and period, activity on
its source key).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from amends.cases.models import Customer, ProductLine, normalise_email
from amends.insights.models import ActivityKind, CustomerActivity, RevenueEntry

REVENUE_COLUMNS = ("product_line", "period_start", "period_end", "amount", "currency")
ACTIVITY_COLUMNS = ("customer_email", "date", "kind", "amount", "source", "source_key")
REQUIRED_ACTIVITY = ("customer_email", "date", "kind")


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def _date(value: str, label: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            _("%(field)s is not a date (YYYY-MM-DD): %(value)s.") % {"field": label, "value": value}
        ) from None


def _amount(value: str, *, required: bool) -> Decimal | None:
    value = value.strip()
    if not value:
        if required:
            raise ValidationError(_("The amount is missing."))
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValidationError(
            _("The amount is not a number: %(value)s.") % {"value": value}
        ) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(_("The amount cannot be negative: %(value)s.") % {"value": value})
    if amount.as_tuple().exponent < -2 or abs(amount) >= Decimal(10) ** 14:  # type: ignore[operator]
        raise ValidationError(_("The amount has too many digits: %(value)s.") % {"value": value})
    return amount


def _currency(value: str) -> str:
    value = (value or "EUR").strip().upper()
    if len(value) != 3 or not value.isascii() or not value.isalpha():
        raise ValidationError(_("A currency is a three-letter code: %(value)s.") % {"value": value})
    return value


def read_csv(
    text: str, columns: tuple[str, ...], required: tuple[str, ...]
) -> list[dict[str, str]]:
    """The rows of a CSV with a header; refuses a header without the required columns."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    try:
        # Excel in Polish, Bulgarian and Finnish saves with semicolons.
        dialect: Any = csv.Sniffer().sniff(lines[0] if lines else "", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(lines, dialect=dialect)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in required if name not in header]
    if missing:
        raise ValidationError(
            _("The header lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    reader.fieldnames = header
    return [{k: (v or "").strip() for k, v in row.items() if k in columns} for row in reader]


def _row_errors(rows: Iterable[Mapping[str, str]], check: Any) -> tuple[list[Any], list[str]]:
    cleaned: list[Any] = []
    errors: list[str] = []
    # Row 1 is the header, so the first data row is row 2, as a spreadsheet numbers it.
    for number, row in enumerate(rows, start=2):
        try:
            cleaned.append(check(row))
        except ValidationError as exc:
            errors += [
                _("Row %(row)s: %(error)s") % {"row": number, "error": m} for m in exc.messages
            ]
    return cleaned, errors


def _clean_revenue(row: Mapping[str, str], lines: dict[str, ProductLine]) -> RevenueEntry:
    name = row.get("product_line", "")
    line = lines.get(name.casefold())
    if line is None:
        raise ValidationError(
            _("No product or service line is called %(value)s.") % {"value": name}
        )
    start = _date(row.get("period_start", ""), "period_start")
    end = _date(row.get("period_end", ""), "period_end")
    if end < start:
        raise ValidationError(_("The period ends before it starts."))
    amount = _amount(row.get("amount", ""), required=True)
    assert amount is not None
    return RevenueEntry(
        product_line=line,
        period_start=start,
        period_end=end,
        amount=amount,
        currency=_currency(row.get("currency", "")),
    )


def import_revenue(rows: list[dict[str, str]], *, source: str = "") -> ImportResult:
    """Store revenue rows; a row for a line and period already stored replaces its amount."""
    lines = {line.name.casefold(): line for line in ProductLine.objects.all()}
    entries, errors = _row_errors(rows, lambda row: _clean_revenue(row, lines))
    keys = [(e.product_line_id, e.period_start, e.period_end) for e in entries]
    if len(set(keys)) != len(keys):
        errors.append(_("The file has the same line and period twice."))
    if errors:
        raise ValidationError(errors)
    created = updated = unchanged = 0
    with transaction.atomic():
        for entry in entries:
            existing = (
                RevenueEntry.objects.select_for_update()
                .filter(
                    product_line=entry.product_line,
                    period_start=entry.period_start,
                    period_end=entry.period_end,
                )
                .first()
            )
            if existing is None:
                entry.source = source[:200]
                entry.save()
                created += 1
            elif (existing.amount, existing.currency) == (entry.amount, entry.currency):
                unchanged += 1
            else:
                existing.amount, existing.currency = entry.amount, entry.currency
                existing.save(update_fields=["amount", "currency"])
                updated += 1
    return ImportResult(created, updated, unchanged)


def _customer(email: str, customers: dict[str, Customer]) -> Customer:
    customer = customers.get(normalise_email(email))
    if customer is None:
        raise ValidationError(_("No customer has the e-mail %(value)s.") % {"value": email})
    return customer


def _clean_activity(row: Mapping[str, str], customers: dict[str, Customer]) -> CustomerActivity:
    customer = _customer(row.get("customer_email", ""), customers)
    kind = row.get("kind", "").lower()
    if kind not in ActivityKind.values:
        raise ValidationError(
            _("Unknown kind %(value)s: use purchase, renewal or cancellation.") % {"value": kind}
        )
    day = _date(row.get("date", ""), "date")
    key = row.get("source_key", "")
    if not key:
        # Without a key of its own, the row's content is its key: the same row is the same fact.
        content = "|".join(row.get(c, "") for c in ACTIVITY_COLUMNS)
        key = "csv:" + hashlib.sha256(content.encode()).hexdigest()
    if len(key) > 300:
        raise ValidationError(_("The source key is longer than 300 characters."))
    return CustomerActivity(
        customer=customer,
        date=day,
        kind=kind,
        amount=_amount(row.get("amount", ""), required=False),
        source=row.get("source", "")[:100],
        source_key=key,
    )


def _customers_by_email(emails: Iterable[str]) -> dict[str, Customer]:
    """The customers of these addresses, keyed by the normalised address (one indexed query)."""
    wanted = {normalise_email(e) for e in emails} - {""}
    found: dict[str, Customer] = {}
    # The oldest customer with the address wins (later rows overwrite: newest first).
    for customer in Customer.objects.filter(email__in=wanted).order_by("-pk"):
        found[customer.email] = customer
    return found


def import_activity(rows: list[dict[str, str]]) -> ImportResult:
    """Store activity rows; a row whose source key is stored already is left as it is."""
    customers = _customers_by_email(row.get("customer_email", "") for row in rows)
    records, errors = _row_errors(rows, lambda row: _clean_activity(row, customers))
    if errors:
        raise ValidationError(errors)
    keys = {r.source_key for r in records}
    stored = set(
        CustomerActivity.objects.filter(source_key__in=keys).values_list("source_key", flat=True)
    )
    fresh = {r.source_key: r for r in records if r.source_key not in stored}
    with transaction.atomic():
        CustomerActivity.objects.bulk_create(fresh.values(), ignore_conflicts=True)
    return ImportResult(created=len(fresh), updated=0, unchanged=len(records) - len(fresh))


def record_activity(
    customer: Customer,
    *,
    day: date,
    kind: str,
    source_key: str,
    amount: Decimal | None = None,
    source: str = "",
) -> tuple[CustomerActivity, bool]:
    """One activity (the API's verb). Returns it and whether it was new; a known key changes nothing."""
    if kind not in ActivityKind.values:
        raise ValidationError(
            _("Unknown kind %(value)s: use purchase, renewal or cancellation.") % {"value": kind}
        )
    if not source_key.strip():
        raise ValidationError(_("The source key is missing."))
    if amount is not None:
        _amount(str(amount), required=False)
    existing = CustomerActivity.objects.filter(source_key=source_key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            activity = CustomerActivity.objects.create(
                customer=customer,
                date=day,
                kind=kind,
                amount=amount,
                source=source[:100],
                source_key=source_key,
            )
    except IntegrityError:
        # The same key stored a moment ago by another request: theirs stands.
        return CustomerActivity.objects.get(source_key=source_key), False
    return activity, True
