"""A similar-case lookup costs a fixed, small number of queries, however many cases it shows.

Its own vector with the freshness check, the visible shortlist's texts and vectors (one query
per round), the shown cases with their customer, owner and root cause, and their accepted
remedies: four queries when the first round finds enough, no COUNT, and none ordered by the
Case model's default ordering.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amends.cases import services as case_services
from amends.recurrence import lookup
from amends.recurrence.lookup import similar_cases
from amends.resolution import services as resolution_services
from amends.resolution.models import Decision
from tests.recurrence.conftest import BILLING, WASHER
from tests.resolution.helpers import cause


def resolved(complaint, customer, text, owner):
    """A past case with a root cause and a remedy the customer accepted."""
    case = complaint(customer, text, owner=owner)
    case_services.acknowledge(case, actor=owner)
    resolution_services.set_root_cause(
        case, actor=owner, cause=cause("Faulty door seal", "Product")
    )
    proposal = resolution_services.propose(
        case,
        actor=owner,
        message="I am sorry about this. I am Ania and I will see this through to the end.",
        options=[
            {
                "kind": "repair",
                "description": "New door seal fitted at home",
                "due": timezone.localdate() + timedelta(days=7),
            }
        ],
    )
    (option,) = proposal.options.all()
    resolution_services.decide_option(option, decision=Decision.ACCEPTED, via="phone", actor=owner)
    return case


def looked_up(case, user):
    similar_cases(case, user=user)  # the first lookup of a process loads the vectors
    with CaptureQueriesContext(connection) as queries:
        found = similar_cases(case, user=user)
    return found, [q["sql"] for q in queries.captured_queries]


def test_a_lookup_costs_four_queries_for_a_manager_and_an_agent(
    complaint, customer_en, customer_pl, ania, marta
) -> None:
    for lang in ("en", "fi", "bg"):
        resolved(complaint, customer_en, WASHER[lang], ania)
    resolved(complaint, customer_en, BILLING, ania)
    new = complaint(customer_pl, WASHER["pl"], owner=ania)

    for user in (marta, ania):
        found, sql = looked_up(new, user)

        assert len(found) == 4
        assert all(s.remedies and s.root_cause for s in found)
        assert len(sql) == 4, sql
        assert not [q for q in sql if "COUNT(" in q.upper()]
        assert not [q for q in sql if "received_at" in q and "ORDER BY" in q]


def test_more_cases_shown_cost_no_more_queries(complaint, customer_en, customer_pl, ania, marta):
    new = complaint(customer_pl, WASHER["pl"], owner=ania)
    resolved(complaint, customer_en, WASHER["en"], ania)
    _, few = looked_up(new, marta)
    for lang in ("fi", "bg"):
        resolved(complaint, customer_en, WASHER[lang], ania)
    resolved(complaint, customer_en, BILLING, ania)

    found, many = looked_up(new, marta)

    assert len(found) == 4
    assert len(many) == len(few) == 4


def test_an_agent_whose_team_is_far_down_the_list_gets_its_cases_from_a_second_round(
    monkeypatch, complaint, customer_en, customer_pl, ania, boryana, marta
) -> None:
    # A shortlist of 2: the first round checks the 8 nearest, all another team's.
    monkeypatch.setattr(lookup, "POOL", 2)
    new = complaint(customer_pl, WASHER["pl"], owner=ania)
    for lang in ("en", "fi", "bg"):
        for _ in range(3):
            complaint(customer_en, WASHER[lang], owner=boryana)
    ours = [complaint(customer_en, BILLING, owner=ania) for _ in range(2)]

    found, sql = looked_up(new, ania)

    assert {s.case for s in found} == set(ours)
    assert len(sql) == 5, "one more round of the shortlist query"
    found, sql = looked_up(new, marta)
    assert len(found) == 2
    assert not set(ours) & {s.case for s in found}, "a manager sees the nearest two"
    assert len(sql) == 4


def test_the_panel_renders_the_cases_found_without_another_query(
    complaint, customer_en, customer_pl, ania, marta
):
    from django.template.loader import render_to_string

    for lang in ("en", "fi"):
        resolved(complaint, customer_en, WASHER[lang], ania)
    new = complaint(customer_pl, WASHER["pl"], owner=ania)
    found, _ = looked_up(new, marta)

    with CaptureQueriesContext(connection) as queries:
        html = render_to_string(
            "recurrence/partials/similar.html", {"similar": {"pending": False, "cases": found}}
        )

    assert queries.captured_queries == []
    assert "Product › Faulty door seal" in html
    assert "New door seal fitted at home" in html
    assert found[0].case.reference in html
