"""All cases: what the user may see, filtered, counted and paginated."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amends.cases import services
from amends.cases.models import Customer
from tests.resolution.helpers import make_resolvable

URL = reverse("cases:case-list")


@pytest.fixture
def customer_fi(db) -> Customer:
    return Customer.objects.create(
        name="Matti Virtanen", language="fi", jurisdiction="FI", kind="consumer"
    )


@pytest.fixture
def desk(make_case, customer_pl, customer_fi, ania, piotr, boryana):
    """A small desk: cases of Ania and Piotr (team Poland) and one of Boryana (team Bulgaria)."""
    now = timezone.now()
    return {
        "ania_old": make_case(
            customer_pl, owner=ania, subject="Overdue washer", received_at=now - timedelta(days=9)
        ),
        "ania_phone": make_case(customer_pl, owner=ania, subject="Phoned in", channel="phone"),
        "piotr_fi": make_case(
            customer_fi, owner=piotr, subject="Finnish sauna heater", language="fi"
        ),
        "boryana": make_case(customer_pl, owner=boryana, subject="Bulgarian team case"),
    }


def subjects(response) -> set[str]:
    return {row.case.subject for row in response.context["rows"]}


def test_an_agent_sees_own_and_team_cases(login, ania, desk) -> None:
    response = login(ania).get(URL)
    assert response.status_code == 200
    assert subjects(response) == {"Overdue washer", "Phoned in", "Finnish sauna heater"}
    assert response.context["counts"]["total"] == 3


def test_a_manager_sees_every_case(login, marta, desk) -> None:
    assert len(subjects(login(marta).get(URL))) == 4


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"state": "received"}, {"Overdue washer", "Phoned in", "Finnish sauna heater"}),
        ({"state": "closed"}, set()),
        ({"state": "open"}, {"Overdue washer", "Phoned in", "Finnish sauna heater"}),
        ({"language": "fi"}, {"Finnish sauna heater"}),
        ({"channel": "phone"}, {"Phoned in"}),
        ({"overdue": "yes"}, {"Overdue washer"}),
        ({"overdue": "no"}, {"Phoned in", "Finnish sauna heater"}),
        ({"jurisdiction": "FI"}, {"Finnish sauna heater"}),
        ({"jurisdiction": "PL", "channel": "email"}, {"Overdue washer"}),
        ({"state": "no-such-state"}, {"Overdue washer", "Phoned in", "Finnish sauna heater"}),
    ],
)
def test_filters_narrow_the_list(login, ania, desk, filters, expected) -> None:
    assert subjects(login(ania).get(URL, filters)) == expected


def test_the_owner_filter(login, ania, piotr, desk) -> None:
    assert subjects(login(ania).get(URL, {"owner": piotr.pk})) == {"Finnish sauna heater"}


def test_counts_show_overdue_cases_among_the_filtered(login, ania, desk) -> None:
    response = login(ania).get(URL, {"jurisdiction": "PL"})
    assert response.context["counts"] == {"total": 2, "overdue": 1, "due_soon": 0}


def test_the_list_is_paginated_and_keeps_the_filters(login, marta, make_case, customer_pl) -> None:
    for n in range(30):
        make_case(customer_pl, owner=marta, subject=f"Case {n}", channel="phone")
    client = login(marta)
    first = client.get(URL, {"channel": "phone"})
    assert len(first.context["rows"]) == 25
    assert "channel=phone&amp;page=2" in first.content.decode()
    second = client.get(URL, {"channel": "phone", "page": 2})
    assert len(second.context["rows"]) == 5


def test_the_list_needs_few_queries_however_long_it_is(
    login, marta, ania, piotr, make_case, customer_pl, django_assert_max_num_queries
) -> None:
    for n in range(30):
        make_case(customer_pl, owner=ania if n % 2 else piotr, subject=f"Case {n}")
    client = login(marta)
    client.get(URL)
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"state": "open", "overdue": "no"})
    assert len(response.context["rows"]) == 25


def test_the_list_is_get_only(login, ania) -> None:
    assert login(ania).post(URL).status_code == 405


def test_anonymous_users_are_sent_to_the_login_page(client, db) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_another_teams_agent_does_not_see_the_case(login, boryana, ania_case) -> None:
    response = login(boryana).get(URL)
    assert ania_case not in [row.case for row in response.context["rows"]]


def test_a_closed_case_is_not_counted_as_overdue(login, ania, make_case, customer_pl) -> None:
    case = make_case(customer_pl, owner=ania, received_at=timezone.now() - timedelta(days=20))
    make_resolvable(case, ania)
    for state in ("acknowledged", "investigating", "resolution_proposed", "resolved", "closed"):
        case = services.change_state(case, to=state, actor=ania)
    response = login(ania).get(URL, {"overdue": "no"})
    assert [row.case for row in response.context["rows"]] == [case]
    assert response.context["counts"]["overdue"] == 0
