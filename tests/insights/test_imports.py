"""`amends import-revenue` and `amends import-activity`: all rows or none, safe to run twice."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amends.cases.models import Customer, ProductLine
from amends.insights.models import CustomerActivity, RevenueEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(db):
    return ProductLine.objects.create(name="Washers"), ProductLine.objects.create(name="Software")


@pytest.fixture
def customers(db):
    return (
        Customer.objects.create(name="Jan Kowalski", email="jan@example.pl", language="pl"),
        Customer.objects.create(
            name="Иван Петров", email="Ivan@Example.bg", language="bg", jurisdiction="BG"
        ),
    )


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    return path


REVENUE = """product_line,period_start,period_end,amount,currency
Washers,2026-03-01,2026-03-31,10000.00,EUR
software,2026-03-01,2026-03-31,2500,eur
"""


def test_revenue_is_imported_once_and_a_changed_amount_updates_it(tmp_path, lines, capsys):
    call_command("import-revenue", str(_file(tmp_path, REVENUE)))
    call_command("import-revenue", str(_file(tmp_path, REVENUE)))
    assert "0 new, 0 updated, 2 unchanged." in capsys.readouterr().out
    assert RevenueEntry.objects.count() == 2
    assert RevenueEntry.objects.get(product_line=lines[1]).currency == "EUR"
    call_command("import-revenue", str(_file(tmp_path, REVENUE.replace("10000.00", "12000"))))
    assert RevenueEntry.objects.get(product_line=lines[0]).amount == Decimal(12000)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("Dryers,2026-03-01,2026-03-31,100,EUR", "No product or service line is called Dryers."),
        ("Washers,2026-03-31,2026-03-01,100,EUR", "The period ends before it starts."),
        ("Washers,1 March,2026-03-31,100,EUR", "period_start is not a date"),
        ("Washers,2026-04-01,2026-04-30,-5,EUR", "cannot be negative"),
        ("Washers,2026-04-01,2026-04-30,lots,EUR", "not a number"),
        ("Washers,2026-04-01,2026-04-30,100,EURO", "three-letter code"),
    ],
)
def test_one_bad_revenue_row_refuses_the_whole_file(tmp_path, lines, capsys, row, reason):
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import-revenue", str(_file(tmp_path, REVENUE + row + "\n")))
    err = capsys.readouterr().err
    assert "Row 4:" in err
    assert reason in err
    assert RevenueEntry.objects.count() == 0


def test_a_file_without_the_columns_is_refused(tmp_path, lines, capsys):
    with pytest.raises(CommandError):
        call_command("import-revenue", str(_file(tmp_path, "line,amount\nWashers,5\n")))
    assert "period_start" in capsys.readouterr().err


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import-revenue", str(tmp_path / "nope.csv"))


ACTIVITY = """customer_email,date,kind,amount,source,source_key
jan@example.pl,2026-03-20,purchase,120.50,shop,order-1
ivan@example.bg,2026-04-01,cancellation,,crm,
"""


def test_activity_is_imported_once_by_source_key(tmp_path, customers, capsys):
    call_command("import-activity", str(_file(tmp_path, ACTIVITY)))
    call_command("import-activity", str(_file(tmp_path, ACTIVITY)))
    assert "0 new, 0 updated, 2 unchanged." in capsys.readouterr().out
    assert CustomerActivity.objects.count() == 2
    ivan = CustomerActivity.objects.get(kind="cancellation")
    assert ivan.customer == customers[1], "e-mail matched without regard to case"
    assert ivan.source_key.startswith("csv:")
    assert ivan.amount is None


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (
            "nobody@example.com,2026-03-20,purchase,,,k1",
            "No customer has the e-mail nobody@example.com.",
        ),
        ("jan@example.pl,2026-03-20,refund,,,k2", "Unknown kind refund"),
        ("jan@example.pl,20.03.2026,purchase,,,k3", "date is not a date"),
    ],
)
def test_one_bad_activity_row_refuses_the_whole_file(tmp_path, customers, capsys, row, reason):
    with pytest.raises(CommandError):
        call_command("import-activity", str(_file(tmp_path, ACTIVITY + row + "\n")))
    assert reason in capsys.readouterr().err
    assert CustomerActivity.objects.count() == 0


def test_a_semicolon_file_with_a_byte_order_mark_is_read(tmp_path, lines):
    text = "\ufeffproduct_line;period_start;period_end;amount;currency\nWashers;2026-03-01;2026-03-31;100;EUR\n"
    call_command("import-revenue", str(_file(tmp_path, text)))
    assert RevenueEntry.objects.get().amount == Decimal(100)


def test_an_activity_row_finds_its_customer_whatever_the_case_of_the_address(
    tmp_path, customers, capsys
):
    text = "customer_email,date,kind,amount,source,source_key\n JAN@Example.PL ,2026-03-20,purchase,,shop,o-9\n"
    call_command("import-activity", str(_file(tmp_path, text)))
    assert CustomerActivity.objects.get().customer.email == "jan@example.pl"
