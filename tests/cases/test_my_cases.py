"""The "My cases" queue: the user's open cases, the nearest deadline first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amends.cases import services
from tests.resolution.helpers import make_resolvable

URL = reverse("cases:my-cases")


def test_the_queue_lists_my_open_cases_with_their_deadlines(login, ania, ania_case) -> None:
    response = login(ania).get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert ania_case.reference in content
    assert ania_case.subject in content
    assert "Jan Kowalski" in content


def test_the_queue_is_ordered_by_the_nearest_deadline(login, ania, make_case, customer_pl) -> None:
    now = timezone.now()
    later = make_case(
        customer_pl, owner=ania, subject="Received yesterday", received_at=now - timedelta(days=1)
    )
    sooner = make_case(
        customer_pl, owner=ania, subject="Received 5 days ago", received_at=now - timedelta(days=5)
    )
    middle = make_case(
        customer_pl, owner=ania, subject="Received 3 days ago", received_at=now - timedelta(days=3)
    )

    rows = login(ania).get(URL).context["rows"]
    assert [row.case for row in rows] == [sooner, middle, later]

    # Promising the newest case for tomorrow moves it to the top.
    services.set_commitment(later, due=timezone.localdate() + timedelta(days=1), actor=ania)
    rows = login(ania).get(URL).context["rows"]
    assert [row.case for row in rows][0] == later


def test_the_queue_marks_overdue_and_due_soon_cases(login, ania, make_case, customer_pl) -> None:
    now = timezone.now()
    overdue = make_case(customer_pl, owner=ania, subject="Old", received_at=now - timedelta(days=9))
    soon = make_case(customer_pl, owner=ania, subject="Soon", received_at=now - timedelta(days=6))
    calm = make_case(customer_pl, owner=ania, subject="Calm", received_at=now)

    response = login(ania).get(URL)
    rows = {row.case: row for row in response.context["rows"]}
    assert rows[overdue].overdue
    assert rows[soon].due_soon
    assert not rows[calm].overdue
    assert not rows[calm].due_soon
    content = response.content.decode()
    assert 'class="badge badge--overdue"' in content
    assert 'class="badge badge--due_soon"' in content
    assert response.context["desk_overdue"] == 1
    assert response.context["desk_due_soon"] == 1


def test_the_queue_leaves_out_closed_cases_and_other_peoples_cases(
    login, ania, piotr, make_case, customer_pl
) -> None:
    mine = make_case(customer_pl, owner=ania)
    theirs = make_case(customer_pl, owner=piotr)
    done = make_case(customer_pl, owner=ania)
    make_resolvable(done, ania)
    for state in ("acknowledged", "investigating", "resolution_proposed", "resolved"):
        done = services.change_state(done, to=state, actor=ania)
    cases = [row.case for row in login(ania).get(URL).context["rows"]]
    assert cases == [mine]
    assert theirs not in cases


def test_the_queue_is_paginated(login, ania, make_case, customer_pl) -> None:
    for n in range(27):
        make_case(customer_pl, owner=ania, subject=f"Case {n}")
    client = login(ania)
    assert len(client.get(URL).context["rows"]) == 25
    assert len(client.get(URL, {"page": 2}).context["rows"]) == 2


def test_the_queue_needs_few_queries_however_long_it_is(
    login, ania, make_case, customer_pl, django_assert_max_num_queries
) -> None:
    for n in range(30):
        make_case(customer_pl, owner=ania, subject=f"Case {n}")
    client = login(ania)
    client.get(URL)  # warm the organisation settings row
    with django_assert_max_num_queries(9):
        response = client.get(URL)
    assert response.status_code == 200


def test_the_queue_is_get_only(login, ania) -> None:
    assert login(ania).post(URL).status_code == 405


def test_anonymous_users_are_sent_to_the_login_page(client, db) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", ["0", "x", "99"])
def test_a_bad_page_number_falls_back_to_a_real_page(login, ania, ania_case, page: str) -> None:
    response = login(ania).get(URL, {"page": page})
    assert response.status_code == 200
    assert [row.case for row in response.context["rows"]] == [ania_case]
