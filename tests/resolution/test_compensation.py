"""The compensation ledger (B-3, B-5): approval limits per role and totals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amends.cases.models import Customer, EventKind, ProductLine, Visibility
from amends.resolution import services
from amends.resolution.models import CompensationStatus, ResolutionSettings


@pytest.fixture
def limits(db) -> ResolutionSettings:
    org = ResolutionSettings.current()
    org.agent_approval_limit = Decimal(200)
    org.manager_approval_limit = Decimal(1000)
    org.save()
    return org


def test_an_agent_approves_within_the_limit(case, ania, limits) -> None:
    comp = services.propose_compensation(
        case, actor=ania, kind="discount", amount="150", currency="eur", note="Delay"
    )
    assert comp.currency == "EUR"
    assert comp.amount == Decimal("150.00")
    comp = services.approve_compensation(comp, actor=ania)
    assert comp.status == CompensationStatus.APPROVED
    assert comp.approved_by == ania
    assert comp.approved_at is not None
    changes = case.events.filter(kind=EventKind.COMPENSATION).values_list("data__change", flat=True)
    assert list(changes) == ["proposed", "approved"]
    assert not case.events.for_customer().filter(kind=EventKind.COMPENSATION).exists()


def test_an_agent_cannot_approve_above_the_limit(case, ania, marta, limits) -> None:
    comp = services.propose_compensation(
        case, actor=ania, kind="refund", amount=500, currency="EUR"
    )
    with pytest.raises(PermissionDenied, match="above your approval limit of 200.*a manager"):
        services.approve_compensation(comp, actor=ania)
    comp.refresh_from_db()
    assert comp.status == CompensationStatus.PROPOSED
    assert services.approve_compensation(comp, actor=marta).approved_by == marta


def test_above_the_managers_limit_an_administrator_approves(
    case, ania, marta, alex, limits
) -> None:
    comp = services.propose_compensation(
        case, actor=marta, kind="goodwill", amount="5000", currency="EUR"
    )
    with pytest.raises(PermissionDenied, match="an administrator"):
        services.approve_compensation(comp, actor=marta)
    assert services.approve_compensation(comp, actor=alex).status == CompensationStatus.APPROVED


def test_no_manager_limit_means_managers_approve_anything(case, marta) -> None:
    org = ResolutionSettings.current()
    assert org.manager_approval_limit is None
    comp = services.propose_compensation(
        case, actor=marta, kind="refund", amount="99999", currency="EUR"
    )
    assert services.approve_compensation(comp, actor=marta).status == CompensationStatus.APPROVED


def test_another_teams_agent_can_neither_propose_nor_approve(case, ania, boryana) -> None:
    with pytest.raises(PermissionDenied):
        services.propose_compensation(case, actor=boryana, kind="refund", amount=5, currency="EUR")
    comp = services.propose_compensation(case, actor=ania, kind="refund", amount=5, currency="EUR")
    with pytest.raises(PermissionDenied):
        services.approve_compensation(comp, actor=boryana)


def test_paid_only_after_approval_and_cancelled_with_a_reason(case, ania) -> None:
    comp = services.propose_compensation(case, actor=ania, kind="refund", amount=50, currency="EUR")
    with pytest.raises(ValidationError, match="is proposed"):
        services.mark_paid(comp, actor=ania)
    services.approve_compensation(comp, actor=ania)
    comp = services.mark_paid(comp, actor=ania)
    assert comp.status == CompensationStatus.PAID
    assert comp.paid_at is not None
    with pytest.raises(ValidationError, match="is paid"):
        services.cancel_compensation(comp, actor=ania, reason="Oops")
    other = services.propose_compensation(case, actor=ania, kind="refund", amount=5, currency="EUR")
    with pytest.raises(ValidationError, match="why"):
        services.cancel_compensation(other, actor=ania, reason=" ")
    other = services.cancel_compensation(other, actor=ania, reason="Customer declined it")
    assert other.status == CompensationStatus.CANCELLED
    with pytest.raises(ValidationError, match="is cancelled"):
        services.approve_compensation(other, actor=ania)
    event = case.events.filter(kind=EventKind.COMPENSATION).last()
    assert event.data["reason"] == "Customer declined it"
    assert event.visibility == Visibility.INTERNAL


@pytest.mark.parametrize(
    ("kind", "amount", "currency", "message"),
    [
        ("bribe", 10, "EUR", "Unknown kind"),
        ("refund", 0, "EUR", "more than zero"),
        ("refund", "-1", "EUR", "more than zero"),
        ("refund", "1.234", "EUR", "two decimal places"),
        ("refund", "NaN", "EUR", "more than zero"),
        ("refund", 10, "euro", "three-letter"),
    ],
)
def test_bad_ledger_lines_are_refused(case, ania, kind, amount, currency, message) -> None:
    with pytest.raises(ValidationError, match=message):
        services.propose_compensation(case, actor=ania, kind=kind, amount=amount, currency=currency)
    assert not case.compensations.exists()


def test_totals_per_customer_and_product_line(make_case, ania, marta, customer_pl) -> None:
    washers = ProductLine.objects.create(name="Washers")
    fridges = ProductLine.objects.create(name="Fridges")
    other = Customer.objects.create(name="Firma", language="pl", jurisdiction="PL")
    a = make_case(customer_pl, owner=ania, product_line=washers)
    b = make_case(customer_pl, owner=ania, product_line=fridges)
    c = make_case(other, owner=ania, product_line=washers)

    def line(case, amount, currency="EUR", *, approve=False, pay=False):
        comp = services.propose_compensation(
            case, actor=marta, kind="refund", amount=amount, currency=currency
        )
        if approve or pay:
            comp = services.approve_compensation(comp, actor=marta)
        if pay:
            services.mark_paid(comp, actor=marta)

    line(a, "100", pay=True)
    line(a, "20.50")
    line(b, "300", "PLN", approve=True)
    line(c, "40", pay=True)

    assert services.compensation_totals(customer=customer_pl) == {
        "EUR": {"paid": Decimal("100.00"), "proposed": Decimal("20.50")},
        "PLN": {"approved": Decimal("300.00")},
    }
    assert services.compensation_totals(product_line=washers) == {
        "EUR": {"paid": Decimal("140.00"), "proposed": Decimal("20.50")}
    }
    assert services.compensation_totals(customer=other, product_line=fridges) == {}
    assert services.compensation_totals()["EUR"]["paid"] == Decimal("140.00")
