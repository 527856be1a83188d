"""The concession (D-5) and let-go (E-4) advisors as pure functions: the source's three
examples, the boundaries of each rule, fault and repeats."""

from __future__ import annotations

from decimal import Decimal

import pytest

from amends.resolution.advisors import (
    CaseRecord,
    ConcessionInput,
    CustomerHistory,
    LetGoInput,
    Recommendation,
    Thresholds,
    advise_concession,
    advise_let_go,
)

D = Decimal
DEFAULTS = Thresholds()  # the ResolutionSettings defaults: 1 %, 5 %, 3 repeats, 3 unfounded
RATE = D(40)


def concession(
    disputed: int | str,
    annual: int | str,
    *,
    hours: str = "2",
    fault: str = "customer",
    history: CustomerHistory | None = None,
    margin_rate: str | None = None,
) -> ConcessionInput:
    return ConcessionInput(
        disputed_amount=D(disputed),
        annual_value=D(annual),
        handling_hours=D(hours),
        hourly_rate=RATE,
        fault=fault,
        history=history or CustomerHistory(),
        margin_rate=D(margin_rate) if margin_rate is not None else None,
    )


# --- the source's examples (PRODUCT.md D-5) ---------------------------------------------------


def test_a_customer_worth_a_million_disputing_1000_is_conceded_to():
    advice = advise_concession(concession(1_000, 1_000_000), DEFAULTS)
    assert advice.recommendation == Recommendation.CONCEDE
    assert advice.decisive.code == "share_small"
    assert advice.numbers["share"] == D("0.0010")


def test_a_customer_paying_10000_disputing_1000_is_persuaded_politely():
    advice = advise_concession(concession(1_000, 10_000), DEFAULTS)
    assert advice.recommendation == Recommendation.PERSUADE
    assert advice.decisive.code == "share_large"
    assert advice.numbers["share"] == D("0.1000")
    assert advice.numbers["fight_cost"] == D("80.00")


def test_the_same_dispute_repeating_from_the_same_customer_is_let_go():
    history = CustomerHistory(complaints=3, unfounded=3, same_dispute_repeats=3)
    advice = advise_concession(concession(1_000, 10_000, history=history), DEFAULTS)
    assert advice.recommendation == Recommendation.LET_GO
    assert advice.decisive.code == "dispute_repeats"
    assert advice.decisive.params == {"repeats": 3, "limit": 3}


def test_repeats_let_go_even_for_a_valuable_customer():
    history = CustomerHistory(same_dispute_repeats=3)
    advice = advise_concession(concession(1_000, 1_000_000, history=history), DEFAULTS)
    assert advice.recommendation == Recommendation.LET_GO


# --- boundaries -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("disputed", "expected"),
    [
        (1_000, Recommendation.CONCEDE),  # exactly 1 %: concede
        (1_001, Recommendation.COMPROMISE),  # just above
        (4_999, Recommendation.COMPROMISE),  # just under 5 %
        (5_000, Recommendation.PERSUADE),  # exactly 5 %: persuade
    ],
)
def test_share_boundaries_are_inclusive(disputed, expected):
    advice = advise_concession(concession(disputed, 100_000), DEFAULTS)
    assert advice.recommendation == expected


@pytest.mark.parametrize(
    ("repeats", "expected"),
    [(2, Recommendation.PERSUADE), (3, Recommendation.LET_GO), (4, Recommendation.LET_GO)],
)
def test_let_go_starts_at_the_repeat_limit(repeats, expected):
    history = CustomerHistory(same_dispute_repeats=repeats)
    assert (
        advise_concession(concession(1_000, 10_000, history=history), DEFAULTS).recommendation
        == expected
    )


def test_fighting_that_costs_more_than_the_dispute_concedes():
    # 10 % of the annual value would be persuaded, but 30 hours at 40 cost 1,200 > 1,000.
    advice = advise_concession(concession(1_000, 10_000, hours="30"), DEFAULTS)
    assert advice.recommendation == Recommendation.CONCEDE
    assert advice.decisive.code == "fight_costs_more"
    assert advice.numbers["fight_cost"] == D("1200.00")


def test_fight_cost_equal_to_the_dispute_concedes():
    advice = advise_concession(concession(1_000, 10_000, hours="25"), DEFAULTS)
    assert advice.recommendation == Recommendation.CONCEDE


def test_thresholds_are_the_organisations():
    strict = Thresholds(concede_share=D("0.0001"), persuade_share=D("0.5"), repeat_limit=5)
    advice = advise_concession(concession(1_000, 1_000_000), strict)
    assert advice.recommendation == Recommendation.COMPROMISE


# --- fault ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["ours", "unclear_info"])
def test_our_fault_concedes_whatever_the_share(fault):
    advice = advise_concession(concession(1_000, 10_000, fault=fault), DEFAULTS)
    assert advice.recommendation == Recommendation.CONCEDE
    assert advice.decisive.code == "fault_ours"


def test_our_fault_concedes_even_when_the_dispute_repeats():
    # A dispute that keeps coming back because of us is ours to fix, not a reason to part.
    history = CustomerHistory(same_dispute_repeats=5)
    advice = advise_concession(concession(1_000, 10_000, fault="ours", history=history), DEFAULTS)
    assert advice.recommendation == Recommendation.CONCEDE


@pytest.mark.parametrize("fault", ["customer", "none"])
def test_a_large_share_is_persuaded_when_the_fault_is_not_ours(fault):
    assert advise_concession(concession(1_000, 10_000, fault=fault), DEFAULTS).recommendation == (
        Recommendation.PERSUADE
    )


@pytest.mark.parametrize("fault", ["third_party", "undetermined"])
def test_a_large_share_is_a_compromise_when_the_fault_is_not_the_customers(fault):
    advice = advise_concession(concession(1_000, 10_000, fault=fault), DEFAULTS)
    assert advice.recommendation == Recommendation.COMPROMISE
    codes = [r.code for r in advice.reasons]
    assert ("fault_undetermined" if fault == "undetermined" else "fault_third_party") in codes


# --- history ----------------------------------------------------------------------------------


def test_compensation_already_given_counts_in_the_share():
    history = CustomerHistory(compensation_given=D(9_500))
    advice = advise_concession(concession(1_000, 1_000_000, history=history), DEFAULTS)
    assert advice.numbers["dispute_share"] == D("0.0010")
    assert advice.numbers["share"] == D("0.0105")
    assert advice.recommendation == Recommendation.COMPROMISE
    assert "compensation_counted" in [r.code for r in advice.reasons]


def test_a_record_of_unfounded_complaints_tips_the_middle_to_persuasion():
    history = CustomerHistory(complaints=3, unfounded=3)
    advice = advise_concession(concession(2_000, 100_000, history=history), DEFAULTS)
    assert advice.recommendation == Recommendation.PERSUADE
    assert advice.decisive.code == "unfounded_history"


def test_mostly_founded_history_is_mentioned():
    history = CustomerHistory(complaints=3, founded=2, unfounded=1)
    advice = advise_concession(concession(2_000, 100_000, history=history), DEFAULTS)
    assert advice.recommendation == Recommendation.COMPROMISE
    assert "mostly_founded" in [r.code for r in advice.reasons]


def test_unknown_annual_value_skips_the_share_rules():
    advice = advise_concession(concession(1_000, 0), DEFAULTS)
    assert advice.numbers["share"] is None
    assert advice.recommendation == Recommendation.COMPROMISE
    assert "value_unknown" in [r.code for r in advice.reasons]


def test_margin_at_stake_is_shown_and_explained():
    advice = advise_concession(concession(1_000, 10_000, margin_rate="0.05"), DEFAULTS)
    assert advice.numbers["margin_at_stake"] == D("500.00")
    assert "exceeds_margin" in [r.code for r in advice.reasons]


def test_exactly_one_reason_decides():
    advice = advise_concession(concession(1_000, 10_000, fault="ours"), DEFAULTS)
    assert [r.decisive for r in advice.reasons].count(True) == 1
    assert advice.reasons[0].decisive


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        advise_concession(concession(-1, 10_000), DEFAULTS)


# --- let go -----------------------------------------------------------------------------------


def let_go(*cases: CaseRecord, annual: int = 10_000) -> LetGoInput:
    return LetGoInput(annual_value=D(annual), hourly_rate=RATE, cases=cases)


def case(
    ref: str, fault: str = "undetermined", hours: str = "1", abusive: bool = False
) -> CaseRecord:
    return CaseRecord(ref, fault=fault, handling_hours=D(hours), abusive=abusive)


def test_repeated_unfounded_complaints_suggest_letting_go():
    advice = advise_let_go(
        let_go(case("AM-1", "customer"), case("AM-2", "none"), case("AM-3", "customer")), DEFAULTS
    )
    assert advice.recommended
    unfounded = advice.evidence[0]
    assert (unfounded.code, unfounded.met, unfounded.references) == (
        "unfounded",
        True,
        ("AM-1", "AM-2", "AM-3"),
    )


def test_two_unfounded_complaints_are_not_yet_a_pattern():
    advice = advise_let_go(let_go(case("AM-1", "customer"), case("AM-2", "none")), DEFAULTS)
    assert not advice.recommended
    assert advice.score == 27  # 40 x 2/3


def test_founded_complaints_never_count_as_unfounded():
    advice = advise_let_go(
        let_go(
            *(case(f"AM-{i}", f) for i, f in enumerate(["ours", "unclear_info", "third_party"]))
        ),
        DEFAULTS,
    )
    assert not advice.recommended
    assert advice.evidence[0].references == ()


def test_abuse_in_two_cases_suggests_letting_go_but_one_bad_day_does_not():
    one = advise_let_go(let_go(case("AM-1", abusive=True), case("AM-2")), DEFAULTS)
    two = advise_let_go(let_go(case("AM-1", abusive=True), case("AM-2", abusive=True)), DEFAULTS)
    assert not one.recommended
    assert two.recommended
    assert two.evidence[1].references == ("AM-1", "AM-2")


def test_costly_customer_is_flagged_only_with_an_unfounded_or_abusive_case():
    costly_founded = let_go(case("AM-1", "ours", hours="200"), annual=5_000)
    costly_unfounded = let_go(case("AM-1", "customer", hours="200"), annual=5_000)
    founded = advise_let_go(costly_founded, DEFAULTS)
    unfounded = advise_let_go(costly_unfounded, DEFAULTS)
    assert founded.evidence[2].met
    assert not founded.recommended
    assert unfounded.recommended
    assert unfounded.evidence[2].params["cost"] == D("8000.00")


def test_let_go_score_adds_the_signals():
    advice = advise_let_go(
        let_go(
            *(case(f"AM-{i}", "customer", hours="100", abusive=True) for i in range(3)),
            annual=1_000,
        ),
        DEFAULTS,
    )
    assert advice.score == 100


def test_let_go_evidence_serialises_for_the_decision_record():
    advice = advise_let_go(let_go(case("AM-1", "customer")), DEFAULTS)
    data = advice.to_json()
    assert data["evidence"][0] == {
        "code": "unfounded",
        "references": ["AM-1"],
        "params": {"count": "1", "limit": "3"},
        "met": False,
    }


def test_unknown_annual_value_raises_no_cost_signal():
    advice = advise_let_go(let_go(case("AM-1", "customer", hours="50"), annual=0), DEFAULTS)
    assert not advice.evidence[2].met
    assert not advice.recommended
