"""The advisors' ORM glue: a customer's history, handling hours, the advice for one case and
the let-go candidates."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from amends.cases import services as case_services
from amends.cases.models import Case, Category, Customer, ProductLine
from amends.intake import signals
from amends.resolution import history
from amends.resolution.advisors import Recommendation
from amends.resolution.models import (
    Compensation,
    CompensationStatus,
    Investigation,
    LetGoDecision,
    ResolutionSettings,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm(db):
    return Customer.objects.create(
        name="Budimex Sp. z o.o.",
        email="biuro@budimex.example",
        language="pl",
        kind="business",
        annual_value=Decimal(10_000),
    )


def open_case(make_case, customer, owner, *, days_ago=0, amount=None, **fields):
    case = make_case(
        customer,
        owner=owner,
        received_at=timezone.now() - timedelta(days=days_ago),
        disputed_amount=Decimal(amount) if amount is not None else None,
    )
    if fields:
        Case.objects.filter(pk=case.pk).update(**fields)
        case.refresh_from_db()
    return case


def fault(case, value):
    Investigation.objects.update_or_create(case=case, defaults={"fault": value})


def test_history_counts_founded_and_unfounded_complaints(make_case, firm, ania):
    cases = [open_case(make_case, firm, ania, days_ago=d) for d in (40, 30, 20, 10, 5)]
    for case, value in zip(
        cases, ["ours", "unclear_info", "third_party", "customer", "none"], strict=True
    ):
        fault(case, value)
    open_case(make_case, firm, ania)  # not investigated: neither
    h = history.customer_history(firm)
    assert (h.complaints, h.founded, h.unfounded) == (6, 3, 2)


def test_history_leaves_out_the_case_being_advised_on(make_case, firm, ania):
    earlier = open_case(make_case, firm, ania, days_ago=10)
    now = open_case(make_case, firm, ania)
    fault(earlier, "customer")
    fault(now, "customer")
    h = history.customer_history(firm, dispute_key=history.DisputeKey.of(now))
    assert (h.complaints, h.unfounded) == (1, 1)


def test_same_order_reference_within_a_year_is_the_same_dispute(make_case, firm, ania):
    for days in (400, 200, 100):  # the first is more than a year before
        open_case(make_case, firm, ania, days_ago=days, order_reference="FV/2026/118")
    open_case(make_case, firm, ania, days_ago=50, order_reference="FV/2026/999")
    now = open_case(make_case, firm, ania, order_reference="fv/2026/118")
    h = history.customer_history(firm, dispute_key=history.DisputeKey.of(now))
    assert h.same_dispute_repeats == 2


def test_same_category_and_product_line_is_the_same_dispute(make_case, firm, ania):
    billing = Category.objects.create(name="Billing")
    hosting = ProductLine.objects.create(name="Hosting")
    other = ProductLine.objects.create(name="Support")
    open_case(make_case, firm, ania, days_ago=60, category=billing, product_line=hosting)
    open_case(make_case, firm, ania, days_ago=30, category=billing, product_line=other)
    open_case(make_case, firm, ania, days_ago=20, category=billing)  # no product line: not enough
    now = open_case(make_case, firm, ania, category=billing, product_line=hosting)
    h = history.customer_history(firm, dispute_key=history.DisputeKey.of(now))
    assert h.same_dispute_repeats == 1


def test_a_linked_repeat_is_the_same_dispute(make_case, firm, ania):
    first = open_case(make_case, firm, ania, days_ago=30)
    now = open_case(make_case, firm, ania, repeat_of=first)
    assert (
        history.customer_history(firm, dispute_key=history.DisputeKey.of(now)).same_dispute_repeats
        == 1
    )


def test_another_customers_dispute_does_not_count(make_case, firm, customer_pl, ania):
    open_case(make_case, customer_pl, ania, days_ago=10, order_reference="FV/1")
    now = open_case(make_case, firm, ania, order_reference="FV/1")
    assert (
        history.customer_history(firm, dispute_key=history.DisputeKey.of(now)).same_dispute_repeats
        == 0
    )


def test_compensation_given_counts_approved_and_paid_this_year(make_case, firm, ania, marta):
    case = open_case(make_case, firm, ania, days_ago=30)
    now = timezone.now()
    for amount, status, approved in [
        (100, CompensationStatus.APPROVED, now),
        (50, CompensationStatus.PAID, now),
        (999, CompensationStatus.PROPOSED, None),
        (999, CompensationStatus.CANCELLED, None),
        (999, CompensationStatus.PAID, now - timedelta(days=400)),
    ]:
        Compensation.objects.create(
            case=case,
            kind="refund",
            amount=Decimal(amount),
            currency="PLN",
            status=status,
            proposed_by=ania,
            approved_by=marta if approved else None,
            approved_at=approved,
        )
    assert history.customer_history(firm).compensation_given == Decimal(150)


def test_handling_hours_add_calls_and_staff_actions(make_case, firm, ania):
    case = open_case(make_case, firm, ania)
    case_services.log_phone_call(case, actor=ania, summary="Rozmowa o fakturze", minutes=45)
    case_services.log_phone_call(case, actor=ania, summary="Oddzwonienie")  # no minutes: 15
    case_services.add_note(case, actor=ania, text="Sprawdzić umowę")  # 5
    # 15 base + 45 + 15 + 5 = 80 minutes
    assert history.handling_hours([case.pk]) == {case.pk: Decimal("1.33")}


def test_a_case_without_a_disputed_amount_gets_no_concession_advice(make_case, firm, ania):
    case = open_case(make_case, firm, ania)
    assert history.concession_for(case) is None
    assert history.advisor_context(case) == {"concession": None}


def test_concession_for_a_small_dispute_of_a_valuable_customer(make_case, firm, ania):
    firm.annual_value = Decimal(1_000_000)
    firm.save(update_fields=["annual_value"])
    case = open_case(make_case, firm, ania, amount=1_000)
    advice = history.concession_for(case)
    assert advice is not None
    assert advice.recommendation == Recommendation.CONCEDE
    assert advice.numbers["hourly_rate"] == Decimal("40.00")


def test_concession_for_a_large_dispute_where_the_customer_erred(make_case, firm, ania):
    case = open_case(make_case, firm, ania, amount=1_000)
    fault(case, "customer")
    advice = history.concession_for(case)
    assert advice is not None
    assert advice.recommendation == Recommendation.PERSUADE


def test_concession_for_the_same_dispute_coming_back(make_case, firm, ania):
    for days in (90, 60, 30):
        open_case(make_case, firm, ania, days_ago=days, order_reference="FV/7")
    case = open_case(make_case, firm, ania, amount=1_000, order_reference="FV/7")
    advice = history.concession_for(case)
    assert advice is not None
    assert advice.recommendation == Recommendation.LET_GO
    # The cost of fighting counts the earlier cases of the dispute too (4 x 15 minutes).
    assert advice.numbers["handling_hours"] == Decimal("1.0")


def test_concession_uses_the_organisations_settings(make_case, firm, ania):
    ResolutionSettings.objects.update_or_create(pk=1, defaults={"hourly_rate": Decimal(5_000)})
    case = open_case(make_case, firm, ania, amount=1_000)
    fault(case, "customer")
    advice = history.concession_for(case)
    assert advice is not None
    assert advice.recommendation == Recommendation.CONCEDE  # 0.25 h x 5,000 > 1,000
    assert advice.decisive.code == "fight_costs_more"


def test_advisor_context_is_worded_for_the_partial(make_case, firm, ania):
    case = open_case(make_case, firm, ania, amount=1_000)
    fault(case, "customer")
    with translation.override("en"):
        view = history.advisor_context(case)["concession"]
    assert view is not None
    assert view.recommendation == "persuade"
    assert view.label == "Explain and persuade politely"
    assert any("10.00 %" in r for r in view.reasons)


def test_insults_in_triage_signals_mark_a_case_abusive(make_case, firm, ania):
    case = open_case(make_case, firm, ania)
    signals.refresh(case, text="Jesteście bandą oszustów i złodziei!", channel="email")
    case.refresh_from_db()
    data = history.let_go_inputs([firm], hourly_rate=Decimal(40))[firm.pk]
    assert [c.abusive for c in data.cases] == [True]


def test_let_go_candidates_are_the_flagged_customers_best_first(
    make_case, firm, customer_pl, ania, django_assert_max_num_queries
):
    bigger = Customer.objects.create(name="Alfa", email="a@alfa.example", annual_value=500)
    for customer in (firm, bigger):
        for _ in range(3):
            fault(open_case(make_case, customer, ania), "customer")
    case_services.add_note(bigger.cases.first(), actor=ania, text="Kolejna reklamacja")
    for _ in range(2):
        fault(open_case(make_case, customer_pl, ania), "customer")  # two: not yet
    ResolutionSettings.current()
    # The settings, the customers, their cases, their faults, their events: not one per customer.
    with django_assert_max_num_queries(5):
        candidates = history.let_go_candidates()
    # Both are flagged for three unfounded complaints; Alfa's handling cost (50 minutes at 40)
    # is a larger part of its annual value, so it scores higher and comes first.
    assert [(c.name, a.recommended) for c, a in candidates] == [
        ("Alfa", True),
        (firm.name, True),
    ]


def test_a_decided_customer_is_not_flagged_again_until_a_new_case(make_case, firm, marta, ania):
    for _ in range(3):
        fault(open_case(make_case, firm, ania, days_ago=2), "customer")
    LetGoDecision.objects.create(
        customer=firm, outcome="keep", reason="Ważny klient", decided_by=marta
    )
    assert history.let_go_candidates() == []
    open_case(make_case, firm, ania)
    assert [c for c, _a in history.let_go_candidates()] == [firm]
