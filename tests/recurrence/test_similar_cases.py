"""Similar cases across languages, with their cause and accepted remedy, as the viewer may see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from amends.cases import services as case_services
from amends.recurrence import similar
from amends.recurrence.clusters import CLUSTER_THRESHOLD
from amends.recurrence.lookup import similar_cases
from amends.resolution import services as resolution_services
from amends.resolution.models import Decision
from tests.recurrence.conftest import BILLING, WASHER
from tests.resolution.helpers import cause


def test_a_polish_and_an_english_complaint_about_one_washing_machine_are_neighbours(
    complaint, customer_pl, customer_en, marta
) -> None:
    polish = complaint(customer_pl, WASHER["pl"], language="pl")
    english = complaint(customer_en, WASHER["en"], language="en")
    billing = complaint(customer_en, BILLING, language="en")

    found = similar_cases(polish, user=marta)

    assert [s.case for s in found] == [english, billing]
    washer, bill = found
    assert washer.score > bill.score
    assert washer.case.pk != polish.pk, "a case is never its own neighbour"


def test_the_washing_machine_in_four_languages_is_one_problem_and_billing_another(
    complaint, customer_pl, customer_en
) -> None:
    languages = ["pl", "en", "fi", "bg"]
    texts = [similar.complaint_text(*WASHER[lang]) for lang in languages]
    washers = similar.embed(texts, languages=languages)
    bill = similar.embed_one(similar.complaint_text(*BILLING), language="en")
    pairs = washers @ washers.T
    assert pairs.min() >= CLUSTER_THRESHOLD, pairs
    assert (washers @ bill).max() < CLUSTER_THRESHOLD


def test_a_similar_case_shows_its_root_cause_and_the_remedy_the_customer_accepted(
    complaint, customer_pl, customer_en, ania, marta
) -> None:
    past = complaint(customer_en, WASHER["en"], language="en", owner=ania)
    case_services.acknowledge(past, actor=ania)
    resolution_services.set_root_cause(past, actor=ania, cause=cause("Faulty door seal", "Product"))
    due = timezone.localdate() + timedelta(days=7)
    proposal = resolution_services.propose(
        past,
        actor=ania,
        message="I am sorry about the leaking washing machine. I am Ania and I will see this through.",
        options=[
            {"kind": "repair", "description": "New door seal fitted at home", "due": due},
            {"kind": "refund", "description": "Full refund", "due": due},
        ],
    )
    repair, refund = proposal.options.all()
    resolution_services.decide_option(repair, decision=Decision.ACCEPTED, via="phone", actor=ania)
    resolution_services.decide_option(refund, decision=Decision.DECLINED, via="phone", actor=ania)
    new = complaint(customer_pl, WASHER["pl"], language="pl")

    (found,) = similar_cases(new, user=marta)

    assert found.case == past
    assert str(found.root_cause) == "Product › Faulty door seal"
    assert [o.description for o in found.remedies] == ["New door seal fitted at home"]


def test_another_teams_case_is_not_shown_to_an_agent(
    complaint, customer_pl, customer_en, ania, boryana, marta
) -> None:
    ours = complaint(customer_pl, WASHER["pl"], language="pl", owner=ania)
    theirs = complaint(customer_en, WASHER["en"], language="en", owner=boryana)
    team_mates = complaint(customer_en, BILLING, language="en", owner=ania)

    assert [s.case for s in similar_cases(ours, user=ania)] == [team_mates]
    assert theirs in [s.case for s in similar_cases(ours, user=marta)], "a manager sees all"


def test_a_case_not_embedded_yet_says_so(complaint, customer_pl, marta) -> None:
    case = complaint(customer_pl, WASHER["pl"], embed=False)
    assert similar_cases(case, user=marta) is None


@pytest.mark.parametrize("k", [1, 2])
def test_at_most_k_cases_are_returned(complaint, customer_pl, customer_en, marta, k) -> None:
    case = complaint(customer_pl, WASHER["pl"])
    for lang in ("en", "fi", "bg"):
        complaint(customer_en, WASHER[lang])
    assert len(similar_cases(case, user=marta, k=k)) == k


@pytest.mark.django_db(transaction=True)
def test_removed_embeddings_leave_the_vectors_at_the_next_reconciliation_without_a_deadlock(
    complaint, customer_en
) -> None:
    import threading

    import time_machine
    from django.db import connection

    from amends.recurrence import lookup
    from amends.recurrence.models import CaseEmbedding

    washer = complaint(customer_en, WASHER["en"])
    billing = complaint(customer_en, BILLING)
    assert sorted(lookup.vectors()[0]) == sorted([washer.pk, billing.pk])
    CaseEmbedding.objects.filter(case=washer).delete()
    # A lookup only checks the newest updated_at: a deletion waits for the reconciliation
    # (candidates are filtered against the cases anyway).
    assert sorted(lookup.vectors()[0]) == sorted([washer.pk, billing.pk])
    seen: dict[str, list[int]] = {}

    def look() -> None:
        try:
            seen["ids"] = [int(i) for i in lookup.vectors()[0]]
        finally:
            connection.close()

    later = timezone.now() + timedelta(seconds=lookup.RECONCILE_SECONDS + 1)
    with time_machine.travel(later, tick=True):
        worker = threading.Thread(target=look, daemon=True)
        worker.start()
        worker.join(timeout=30)

    assert not worker.is_alive(), "vectors() deadlocked while reconciling"
    assert seen["ids"] == [billing.pk]
