"""GET /api/cases: visible cases, filters and limit/offset pagination."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from amends.cases import services
from amends.cases.models import Customer
from tests.resolution.helpers import make_resolvable

URL = "/api/cases"


@pytest.fixture
def desk(make_case, customer_pl, ania, piotr, boryana):
    """Four cases: two of Ania's (one acknowledged), one of Piotr's, one Bulgarian one of Boryana's."""
    customer_bg = Customer.objects.create(
        name="Иван Петров",
        email="ivan@example.bg",
        language="bg",
        jurisdiction="BG",
        kind="consumer",
    )
    first = make_case(customer_pl, owner=ania, subject="Pralka przecieka")
    second = make_case(customer_pl, owner=ania, subject="Zwrot pieniędzy", channel="phone")
    services.acknowledge(second, actor=ania)
    third = make_case(customer_pl, owner=piotr, subject="Opóźniona dostawa", language="en")
    fourth = make_case(customer_bg, owner=boryana, subject="Счупен телефон", language="bg")
    return {"first": first, "second": second, "third": third, "fourth": fourth}


def refs(response):
    assert response.status_code == 200, response.content
    return {item["reference"] for item in response.json()["items"]}


def test_an_agent_lists_own_and_team_cases(api_as, ania, desk):
    response = api_as(ania).get(URL)
    assert refs(response) == {desk[k].reference for k in ("first", "second", "third")}
    assert response.json()["count"] == 3


def test_a_manager_lists_every_case(api_as, marta, desk):
    assert len(refs(api_as(marta).get(URL))) == 4


def test_another_team_agent_sees_only_their_team(api_as, boryana, desk):
    assert refs(api_as(boryana).get(URL)) == {desk["fourth"].reference}


def test_filter_by_state(api_as, marta, desk):
    assert refs(api_as(marta).get(URL, {"state": "acknowledged"})) == {desk["second"].reference}


def test_filter_by_owner_username(api_as, marta, desk):
    assert refs(api_as(marta).get(URL, {"owner": "piotr"})) == {desk["third"].reference}


def test_filter_by_language(api_as, marta, desk):
    assert refs(api_as(marta).get(URL, {"language": "bg"})) == {desk["fourth"].reference}


def test_filter_by_channel(api_as, marta, desk):
    assert refs(api_as(marta).get(URL, {"channel": "phone"})) == {desk["second"].reference}


def test_filter_by_jurisdiction(api_as, marta, desk):
    assert refs(api_as(marta).get(URL, {"jurisdiction": "bg"})) == {desk["fourth"].reference}


def test_filter_by_search_text(api_as, marta, desk):
    assert refs(api_as(marta).get(URL, {"q": "dostawa"})) == {desk["third"].reference}
    assert refs(api_as(marta).get(URL, {"q": "ivan@"})) == {desk["fourth"].reference}
    assert refs(api_as(marta).get(URL, {"q": desk["first"].reference})) == {desk["first"].reference}


def test_filter_overdue_true_and_false(api_as, marta, desk):
    soon = timezone.now() + timedelta(days=1)
    services.set_commitment(desk["third"], due=timezone.localdate(soon), actor=marta)
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        client = api_as(marta)
        overdue = refs(client.get(URL, {"overdue": "true"}))
        not_overdue = refs(client.get(URL, {"overdue": "false"}))
    assert overdue == {desk["third"].reference}
    assert desk["third"].reference not in not_overdue
    assert len(not_overdue) == 3


def test_pagination_with_limit_offset_and_total_count(api_as, marta, desk):
    client = api_as(marta)
    first = client.get(URL, {"limit": 3, "offset": 0}).json()
    second = client.get(URL, {"limit": 3, "offset": 3}).json()
    assert first["count"] == second["count"] == 4
    assert len(first["items"]) == 3
    assert len(second["items"]) == 1
    all_refs = {i["reference"] for i in first["items"]} | {i["reference"] for i in second["items"]}
    assert len(all_refs) == 4


@pytest.mark.parametrize(
    "params",
    [
        {"state": "lost"},
        {"limit": 0},
        {"limit": 1000},
        {"offset": -1},
        {"offset": 10**20},
        {"overdue": "maybe"},
    ],
)
def test_bad_filters_get_422(api_as, marta, desk, params):
    response = api_as(marta).get(URL, params)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid request"


def test_listing_takes_a_fixed_number_of_queries(
    api_as, marta, desk, django_assert_max_num_queries
):
    client = api_as(marta)
    client.get(URL)  # warm up: organisation settings row, token last_used_at
    with django_assert_max_num_queries(5):
        assert len(refs(client.get(URL))) == 4


def test_filter_by_open_state(api_as, marta, desk):
    services.change_state(desk["second"], to="resolution_proposed", actor=marta)
    make_resolvable(desk["second"], marta)
    services.change_state(desk["second"], to="resolved", actor=marta)
    assert desk["second"].reference not in refs(api_as(marta).get(URL, {"state": "open"}))


def test_an_unknown_owner_filter_gets_400(api_as, marta, desk):
    response = api_as(marta).get(URL, {"owner": "nobody"})
    assert response.status_code == 400
    assert response.json()["error"] == "No active staff member is called nobody."
