"""Checks shared by the resolution verbs: who may act, text, dates, money."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.cases.access import can_work_on
from amends.cases.models import Case
from amends.deadlines.engine import zone_for
from amends.resolution.models import RemedyKind

User = get_user_model()

# Evidence files: the same limits as attachments arriving with a complaint.
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
BLAME_FLAGS = ("blame_customer", "blame_others")
# Remedies whose cost is money paid or taken off to the customer, so the offer names it.
MONEY_REMEDIES = (RemedyKind.REFUND, RemedyKind.PRICE_REDUCTION)


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def _require_work(actor: Any, case: Case) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Only the case's owner or a manager can change it."))
    if not can_work_on(actor, case):
        raise PermissionDenied(_("Only the case's owner or a manager can change it."))


def _lock(case: Case) -> Case:
    return (
        Case.objects.select_related("customer", "owner")
        .select_for_update(of=("self",))
        .get(pk=case.pk)
    )


def _today(case: Case) -> date:
    return timezone.localtime(timezone.now(), zone_for(case.customer.jurisdiction)).date()


def _future_day(case: Case, day: Any, message: str) -> date:
    if not isinstance(day, date):
        raise ValidationError(_("Give a date."))
    if day < _today(case):
        raise ValidationError(message)
    return day


def _staff(user: Any) -> Any:
    if user is None or not isinstance(user, User) or not user.is_active:
        raise ValidationError(_("The owner must be an active staff member."))
    return user


def _money(value: Any, *, positive: bool) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Give the amount as a number.")) from None
    if not amount.is_finite() or amount < 0 or (positive and amount == 0):
        raise ValidationError(
            _("The amount must be more than zero.")
            if positive
            else _("The amount cannot be negative.")
        )
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(_("Give the amount to at most two decimal places."))
    if abs(amount) >= Decimal(10) ** 12:
        raise ValidationError(_("The amount is too large."))
    return amount.quantize(Decimal("0.01"))


def _currency(value: str) -> str:
    code = (value or "").strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise ValidationError(_("Give the currency as a three-letter code, e.g. EUR or PLN."))
    return code
