"""The compensation ledger (B-3, B-5): proposed, approved within limits, paid or cancelled."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.cases.models import Case, Customer, ProductLine
from amends.resolution import events
from amends.resolution.models import (
    Compensation,
    CompensationKind,
    CompensationStatus,
    ResolutionSettings,
)
from amends.resolution.services.common import (
    _currency,
    _money,
    _require_work,
    _text,
)

# --- the compensation ledger (B-3, B-5) -----------------------------------------------------


def propose_compensation(
    case: Case, *, actor: Any, kind: str, amount: Any, currency: str, note: str = ""
) -> Compensation:
    _require_work(actor, case)
    if kind not in CompensationKind.values:
        raise ValidationError(_("Unknown kind of compensation: %(value)s.") % {"value": kind})
    value = _money(amount, positive=True)
    code = _currency(currency)
    with transaction.atomic():
        comp = Compensation.objects.create(
            case=case, kind=kind, amount=value, currency=code, note=note.strip(), proposed_by=actor
        )
        events.compensation(
            case,
            actor=actor,
            change="proposed",
            compensation_id=comp.pk,
            kind=kind,
            amount=str(value),
            currency=code,
        )
    return comp


def approval_limit(actor: Any) -> Decimal | None:
    """The most `actor` may approve: None means no limit (administrators; managers by default)."""
    if actor.is_admin_role:
        return None
    org = ResolutionSettings.current()
    if actor.is_manager:
        return org.manager_approval_limit
    return org.agent_approval_limit


def approve_compensation(comp: Compensation, *, actor: Any) -> Compensation:
    """Approve within the actor's limit; above it a manager (or an administrator) must."""
    _require_work(actor, comp.case)
    limit = approval_limit(actor)
    if limit is not None and comp.amount > limit:
        values = {"amount": comp.amount, "currency": comp.currency, "limit": limit}
        raise PermissionDenied(
            _(
                "%(amount)s %(currency)s is above your approval limit of %(limit)s; "
                "an administrator must approve it."
            )
            % values
            if actor.is_manager
            else _(
                "%(amount)s %(currency)s is above your approval limit of %(limit)s; "
                "a manager must approve it."
            )
            % values
        )
    with transaction.atomic():
        comp = _locked_comp(comp, CompensationStatus.PROPOSED)
        comp.status = CompensationStatus.APPROVED
        comp.approved_by = actor
        comp.approved_at = timezone.now()
        comp.save(update_fields=["status", "approved_by", "approved_at"])
        events.compensation(
            comp.case,
            actor=actor,
            change="approved",
            compensation_id=comp.pk,
            amount=str(comp.amount),
            currency=comp.currency,
        )
    return comp


def _locked_comp(comp: Compensation, *allowed: str) -> Compensation:
    comp = Compensation.objects.select_for_update().select_related("case").get(pk=comp.pk)
    if comp.status not in allowed:
        raise ValidationError(
            _("This compensation is %(status)s.")
            % {"status": CompensationStatus(comp.status).label.lower()}
        )
    return comp


def mark_paid(comp: Compensation, *, actor: Any) -> Compensation:
    _require_work(actor, comp.case)
    with transaction.atomic():
        comp = _locked_comp(comp, CompensationStatus.APPROVED)
        comp.status = CompensationStatus.PAID
        comp.paid_at = timezone.now()
        comp.save(update_fields=["status", "paid_at"])
        events.compensation(comp.case, actor=actor, change="paid", compensation_id=comp.pk)
    return comp


def cancel_compensation(comp: Compensation, *, actor: Any, reason: str) -> Compensation:
    _require_work(actor, comp.case)
    reason = _text(reason, _("Say why the compensation is cancelled."))
    with transaction.atomic():
        comp = _locked_comp(comp, CompensationStatus.PROPOSED, CompensationStatus.APPROVED)
        comp.status = CompensationStatus.CANCELLED
        comp.save(update_fields=["status"])
        events.compensation(
            comp.case, actor=actor, change="cancelled", compensation_id=comp.pk, reason=reason
        )
    return comp


def compensation_totals(
    *, customer: Customer | None = None, product_line: ProductLine | None = None
) -> dict[str, dict[str, Decimal]]:
    """Sums of the ledger as {currency: {status: total}}, for one customer or product line."""
    rows = Compensation.objects.all()
    if customer is not None:
        rows = rows.filter(case__customer=customer)
    if product_line is not None:
        rows = rows.filter(case__product_line=product_line)
    totals: dict[str, dict[str, Decimal]] = {}
    for row in rows.order_by().values("currency", "status").annotate(total=Sum("amount")):
        totals.setdefault(row["currency"], {})[row["status"]] = row["total"]
    return totals
