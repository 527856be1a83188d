"""A complaint finds its customer by e-mail address in any case, on the indexed column: addresses
are stored lower-cased and matched exactly (no UPPER() or LIKE, which no index serves)."""

from __future__ import annotations

import importlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amends.accounts.models import User
from amends.cases.models import Case, Customer, normalise_email
from amends.cases.services import known_customer
from amends.intake.complaint import Complaint
from amends.intake.customers import normalise_stored_emails
from amends.intake.services import receive

PL_TEXT = (
    "Dzień dobry, kupiłem pralkę w Waszym sklepie w marcu i od tygodnia przecieka. "
    "Proszę o naprawę albo wymianę na nową."
)
FI_TEXT = "Astianpesukone vuotaa vettä lattialle joka kerta, kun sitä käytetään. Korjatkaa se."


@pytest.fixture
def agents(ania: User, boryana: User) -> None:
    return None


def _complaint(email: str, text: str = PL_TEXT, **extra: Any) -> Complaint:
    return Complaint(
        channel="email", text=text, sender_name="Jan Kowalski", sender_email=email, **extra
    )


def _legacy(email: str, name: str = "Jan Kowalski") -> Customer:
    """A customer stored before addresses were normalised on save (written past save())."""
    customer = Customer.objects.create(name=name, language="pl", jurisdiction="PL")
    Customer.objects.filter(pk=customer.pk).update(email=email)
    customer.refresh_from_db()
    return customer


def test_an_address_typed_in_capitals_by_staff_is_stored_as_intake_matches_it(
    agents: None,
) -> None:
    typed = Customer.objects.create(name="Jan Kowalski", email=" Jan@Example.PL", jurisdiction="PL")
    assert typed.email == "jan@example.pl"
    assert receive(_complaint("JAN@example.pl")).case.customer == typed


def test_a_new_customers_address_is_stored_lower_cased(agents: None) -> None:
    case = receive(_complaint("  Jan.Kowalski@Example.PL ")).case
    assert case.customer.email == "jan.kowalski@example.pl"


def test_the_same_address_in_another_case_finds_the_same_customer(agents: None) -> None:
    first = receive(_complaint("Jan.Kowalski@Example.PL")).case
    second = receive(
        _complaint("JAN.KOWALSKI@example.pl", text=FI_TEXT, order_reference="Z-2")
    ).case
    assert second.customer == first.customer
    assert Customer.objects.count() == 1
    assert Case.objects.count() == 2


def test_non_ascii_letters_match_in_any_case_on_every_database(agents: None) -> None:
    # An internationalised domain (Django accepts non-ASCII letters only there).
    first = receive(_complaint("Jan@PRZYKŁAD.PL")).case
    assert first.customer.email == "jan@przykład.pl"
    assert known_customer("JAN@Przykład.pl") == first.customer


def test_the_look_up_is_an_exact_match_on_the_indexed_column(agents: None) -> None:
    customer = receive(_complaint("jan@example.pl")).case.customer
    with CaptureQueriesContext(connection) as queries:
        assert known_customer("Jan@Example.pl") == customer
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert '"cases_customer"."email" = ' in sql
    assert "UPPER" not in sql.upper().replace('"CASES_CUSTOMER"', "")
    assert " LIKE " not in sql.upper()


def test_the_database_answers_the_look_up_from_the_index(agents: None) -> None:
    receive(_complaint("jan@example.pl"))
    queryset = Customer.objects.filter(email=normalise_email("Jan@Example.pl")).order_by("pk")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A handful of rows would be read whole; ask whether the index can answer at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = queryset.explain()
    assert "cases_customer_email" in plan, plan  # the index Django made for db_index=True


def test_existing_mixed_case_addresses_are_normalised_once_by_the_command(agents: None) -> None:
    older = _legacy("Jan.Kowalski@Example.PL")
    _legacy("ewa@example.pl", name="Ewa Nowak")
    _legacy("", name="Phone Only")
    out = StringIO()

    call_command("normalise-emails", stdout=out)

    assert "1" in out.getvalue()
    older.refresh_from_db()
    assert older.email == "jan.kowalski@example.pl"
    assert receive(_complaint("JAN.KOWALSKI@EXAMPLE.PL")).case.customer == older
    again = StringIO()
    call_command("normalise-emails", stdout=again)
    assert "0" in again.getvalue()


def test_of_two_old_customers_differing_only_in_case_the_oldest_is_found_as_before(
    agents: None,
) -> None:
    oldest = _legacy("JAN@example.pl")
    _legacy("jan@EXAMPLE.pl")

    assert normalise_stored_emails() == 2

    assert known_customer("Jan@Example.pl") == oldest
    assert receive(_complaint("jan@example.pl")).case.customer == oldest


def test_upgrading_lower_cases_the_addresses_already_stored(agents: None) -> None:
    from django.apps import apps

    migration = importlib.import_module("amends.intake.migrations.0004_lower_case_customer_emails")
    stored = _legacy("Ewa.Nowak@Example.PL", name="Ewa Nowak")

    migration.lower_case(apps, None)

    stored.refresh_from_db()
    assert stored.email == "ewa.nowak@example.pl"
