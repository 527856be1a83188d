"""The complaint-cost reserve (B-3): (compensation + goodwill + handling cost) / revenue, in %."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from amends.cases import services as cases
from amends.cases.models import Customer, ProductLine
from amends.insights.costs import reserve_percent, revenue_by_line
from amends.insights.metrics import Filters
from amends.insights.models import RevenueEntry
from amends.resolution import services as resolution
from amends.resolution.models import ResolutionSettings
from tests.insights.conftest import at, figure_of

pytestmark = pytest.mark.django_db

APRIL = Filters(start=date(2026, 4, 1), end=date(2026, 4, 30))


def test_the_formula():
    assert reserve_percent(Decimal(200), Decimal(100), Decimal("26.67"), Decimal(1000)) == Decimal(
        "32.67"
    )
    assert reserve_percent(Decimal(0), Decimal(0), Decimal(0), Decimal(500)) == Decimal("0.00")


def test_no_revenue_gives_no_reserve_rather_than_a_division_by_zero():
    assert reserve_percent(Decimal(10), Decimal(0), Decimal(0), Decimal(0)) is None


def test_revenue_straddling_the_period_counts_by_days(db):
    line = ProductLine.objects.create(name="Dryers")
    RevenueEntry.objects.create(
        product_line=line,
        period_start=date(2026, 3, 17),
        period_end=date(2026, 4, 15),
        amount=Decimal(3000),
    )
    # 15 of its 30 days fall in April.
    assert revenue_by_line([APRIL], None, "EUR") == ({(line.pk, 0): Decimal("1500.00")}, 0)


def _dryer_case(ania, line, *, currency="EUR"):
    """An April case: a refund of 200 and goodwill of 100 paid in `currency`; 100 minutes of work."""
    customer = Customer.objects.create(
        name="Eero Virtanen", email="eero@example.fi", language="fi", jurisdiction="FI"
    )
    with at("2026-04-03 08:00"):
        case = cases.open_case(
            customer=customer,
            subject="Kuivain ei lämpene",
            description="Kuivain ei lämpene.",
            channel="email",
            owner=ania,
            product_line=line,
        )
        cases.acknowledge(case, actor=ania)
        cases.record_reply(case, actor=ania, text="Korjaamme sen.", substantive=True)
        cases.add_note(case, actor=ania, text="Varaosa tilattu.")
        refund = resolution.propose_compensation(
            case, actor=ania, kind="refund", amount="200", currency=currency
        )
        gift = resolution.propose_compensation(
            case, actor=ania, kind="goodwill", amount="100", currency=currency
        )
        for comp in (refund, gift):
            resolution.approve_compensation(comp, actor=ania)
            resolution.mark_paid(comp, actor=ania)


def test_one_case_with_compensation_goodwill_and_handling_over_revenue(ania, marta):
    line = ProductLine.objects.create(name="Dryers")
    _dryer_case(ania, line)
    RevenueEntry.objects.create(
        product_line=line, period_start=APRIL.start, period_end=APRIL.end, amount=Decimal(2000)
    )
    # Handling: base 15 + reply 20 + note 5 + 6 ledger events x 10 = 100 min = 1.67 h x 40 = 66.67.
    # Reserve: (200 + 100 + 66.67) / 2,000 = 18.33 %.
    [row] = figure_of(marta, "reserve", APRIL).rows
    assert row == [
        "Dryers",
        Decimal(200),
        Decimal(100),
        Decimal("66.67"),
        Decimal("366.67"),
        Decimal("2000.00"),
        Decimal("18.33"),
        None,
    ]
    assert figure_of(marta, "reserve", APRIL).summary == []


def test_money_in_another_currency_is_left_out_and_counted(ania, marta):
    settings = ResolutionSettings.current()
    settings.currency = "PLN"
    settings.save()
    line = ProductLine.objects.create(name="Dryers")
    _dryer_case(ania, line, currency="EUR")  # paid in euro: not added to złoty
    for amount, currency, end in ((8000, "PLN", APRIL.end), (2000, "EUR", date(2026, 4, 15))):
        RevenueEntry.objects.create(
            product_line=line,
            period_start=APRIL.start,
            period_end=end,
            amount=Decimal(amount),
            currency=currency,
        )

    reserve = figure_of(marta, "reserve", APRIL)

    # Only the handling (66.67 PLN at the hourly rate) over the złoty revenue: 0.83 %.
    [row] = reserve.rows
    assert row[1:7] == [
        Decimal(0),
        Decimal(0),
        Decimal("66.67"),
        Decimal("66.67"),
        Decimal("8000.00"),
        Decimal("0.83"),
    ]
    assert "PLN" in reserve.description
    assert reserve.summary == [
        ("Compensation lines in another currency, left out", 2),
        ("Revenue entries in another currency, left out", 1),
    ]
    assert figure_of(marta, "reserve-trend", APRIL).summary == reserve.summary


def test_the_organisation_currency_is_a_three_letter_code(db):
    settings = ResolutionSettings.current()
    for wrong in ("zł", "pln", "EURO"):
        settings.currency = wrong
        with pytest.raises(ValidationError):
            settings.full_clean()
