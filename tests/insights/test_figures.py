"""Each figure against values worked out by hand from the desk in conftest.py (March 2026)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from amends.cases import services as cases
from amends.insights.metrics import Filters, percentile
from amends.resolution.history import handling_hours
from tests.insights.conftest import MARCH, at, figure_of, rows_of

pytestmark = pytest.mark.django_db


def test_volume_by_channel_language_category_and_line_beside_the_previous_period(desk, marta):
    assert rows_of(marta, "volume-channel") == [
        ["E-mail", 2, 1],
        ["API", 1, 0],
        ["Phone", 1, 0],
        ["Web form", 1, 0],
    ]
    assert rows_of(marta, "volume-language") == [
        ["Polish", 2, 1],
        ["Bulgarian", 1, 0],
        ["English", 1, 0],
        ["Finnish", 1, 0],
    ]
    assert rows_of(marta, "volume-category") == [["Leaks", 3, 1], ["Billing", 2, 0]]
    assert rows_of(marta, "volume-product-line") == [["Washers", 3, 1], ["Software", 2, 0]]


def test_the_previous_period_is_as_long_and_ends_the_day_before():
    previous = MARCH.previous()
    assert (previous.start, previous.end) == (date(2026, 1, 29), date(2026, 2, 28))
    assert previous.days == MARCH.days == 31


def test_complaint_rate_is_complaints_per_customer_of_the_segment(desk, marta):
    # Consumers in PL: Jan, Helen, Anna, Ewa (4); March complaints A, D, F (3); February E (1).
    assert rows_of(marta, "complaint-rate") == [
        ["Business · FI", 1, 1, 1.0, 0.0],
        ["Consumer · BG", 1, 1, 1.0, 0.0],
        ["Consumer · PL", 4, 3, 0.75, 0.25],
    ]


def test_response_times_median_and_p90_in_hours(desk, marta):
    # Acknowledged after 2, 4 and 1 hours; answered after 48 and 24; resolved after 96 and 48.
    assert rows_of(marta, "response-times") == [
        ["Acknowledgement", 3, 2.0, 3.6, 8.0, 8.0],
        ["First substantive answer", 2, 36.0, 45.6, None, None],
        ["Resolution", 2, 72.0, 91.2, None, None],
    ]


def test_percentile_interpolates_like_percentile_cont():
    assert percentile([], 0.5) is None
    assert percentile([4.0, 1.0, 2.0], 0.5) == 2.0
    assert percentile([1.0, 2.0, 4.0], 0.9) == pytest.approx(3.6)
    assert percentile([7.0], 0.9) == 7.0


def test_commitments_are_kept_by_a_reply_or_forward_step_before_they_fall_due(desk, marta):
    # A and C were answered before their 7-day promise; B (acknowledged only), D and F were not.
    # E's promise fell due on 17 February without an answer.
    assert rows_of(marta, "commitments") == [
        ["This period", 5, 2, 3, 40.0],
        ["Previous period", 1, 0, 1, 0.0],
    ]


def test_a_commitment_not_yet_due_is_not_counted(desk, marta):
    # On 12 March only A's (9 March, kept) and D's (10 March, missed) promises had fallen due.
    figure = figure_of(marta, "commitments", now=_utc("2026-03-11 12:00"))
    assert figure.rows[0] == ["This period", 2, 1, 1, 50.0]


def _utc(text):
    from tests.insights.conftest import utc

    return utc(text)


def test_statutory_deadlines_met_missed_and_deemed_accepted_with_their_cost(desk, marta):
    # A answered within 14 days; D never answered, deemed accepted (Polish consumer law), 300
    # disputed. E (February) missed too; the sweep recorded it, without a disputed amount.
    assert rows_of(marta, "statutory") == [
        ["Met", 1, 0],
        ["Missed", 1, 1],
        ["Not due yet", 0, 0],
        ["Deemed accepted by law", 1, 1],
        ["Cost of those deemed accepted", Decimal("300"), Decimal("0")],
    ]


def test_statutory_deadlines_at_risk_nearest_first(desk, marta):
    rows = rows_of(marta, "statutory-at-risk")
    assert [r[0] for r in rows] == [desk.cases["G"].reference]
    assert rows[0][2:4] == ["Ewa Lis", "Ania Nowak"]


def test_fault_split_and_open_improvement_tasks(desk, marta):
    assert rows_of(marta, "fault") == [
        ["Not determined yet", 2, 0],
        ["The customer's", 1, 0],
        ["Ours", 1, 1],
        ["Unclear information from us", 1, 0],
    ]
    rows = rows_of(marta, "improvements")
    assert rows == [
        [
            "Инструкция за монтаж",
            "Ръководство",
            "Boryana Petrova",
            date(2026, 4, 30),
            desk.cases["B"].reference,
        ]
    ]


def test_compensation_and_goodwill_paid_by_kind_and_line(desk, marta):
    assert rows_of(marta, "compensation") == [
        ["Goodwill beyond the agreement", "Washers", "EUR", Decimal("50"), Decimal("0")],
        ["Refund", "Washers", "EUR", Decimal("100"), Decimal("0")],
    ]


def test_handling_cost_is_the_resolution_estimate_times_the_hourly_rate(desk, marta):
    # Washers: A 245 min (base 15, reply 20, 2 investigation 60, 2 reviews 60, proposal 30,
    # 6 ledger events 60), B 85 (15 + 60 + improvement 10), F 15: 345 min = 5.75 h x 40.
    # Software: C 95 (15 + 20 + 60), D 15: 110 min = 1.83 h.
    assert rows_of(marta, "handling-cost") == [
        ["Washers", Decimal("5.75"), Decimal("230.00"), Decimal("50.00")],
        ["Software", Decimal("1.83"), Decimal("73.33"), Decimal("0.00")],
    ]


def test_handling_hours_agree_with_the_resolution_estimate_over_all_time(desk, marta):
    everything = Filters(start=date(2026, 1, 1), end=date(2026, 4, 30))
    hours = handling_hours([c.pk for c in desk.cases.values()])
    washers = sum(hours[desk.cases[k].pk] for k in "ABEFG")
    software = sum(hours[desk.cases[k].pk] for k in "CD")
    rows = {r[0]: r[1] for r in rows_of(marta, "handling-cost", everything)}
    assert rows["Washers"] == pytest.approx(washers, abs=Decimal("0.02"))
    assert rows["Software"] == pytest.approx(software, abs=Decimal("0.02"))


def test_reserve_per_line_is_cost_over_the_lines_revenue(desk, marta):
    # Washers: (100 + 50 + 230.00) / 10,000 = 3.80 %. Software: 73.33 / 1,400 (14 of the 28
    # days of its 2,800 entry fall in March) = 5.24 %; in February 0 / 1,400 = 0 %.
    assert rows_of(marta, "reserve") == [
        [
            "Software",
            Decimal(0),
            Decimal(0),
            Decimal("73.33"),
            Decimal("73.33"),
            Decimal("1400.00"),
            Decimal("5.24"),
            Decimal("0.00"),
        ],
        [
            "Washers",
            Decimal(100),
            Decimal(50),
            Decimal("230.00"),
            Decimal("380.00"),
            Decimal("10000.00"),
            Decimal("3.80"),
            None,
        ],
    ]


def test_reserve_trend_covers_six_periods_oldest_first(desk, marta):
    figure = figure_of(marta, "reserve-trend")
    assert figure.headers[1:] == ["Software", "Washers"]
    assert len(figure.rows) == 6
    assert figure.rows[-1][1:] == [Decimal("5.24"), Decimal("3.80")]
    assert figure.rows[-2][1:] == [Decimal("0.00"), None]


def test_root_cause_pareto_with_cumulative_share(desk, marta):
    assert rows_of(marta, "pareto") == [
        ["Repairs › Seal not fitted", 2, 66.7, 66.7],
        ["Billing › Invoice template wrong", 1, 33.3, 100.0],
    ]


def test_retention_after_a_complaint_by_ending_and_by_fault(desk, marta):
    # Jan (A, agreed) bought again on 20 March; Ivan (B) cancelled on 1 April; Oy Pelti's
    # purchase on 1 March came before the complaint and does not count.
    assert rows_of(marta, "retention") == [
        ["A proposal agreed", 1, 1, 0, 100.0],
        ["No proposal decided", 4, 0, 1, 0.0],
    ]
    assert rows_of(marta, "retention-fault") == [
        ["Not determined yet", 2, 0, 0, 0.0],
        ["Ours", 1, 1, 0, 100.0],
        ["Unclear information from us", 1, 0, 1, 0.0],
        ["The customer's", 1, 0, 0, 0.0],
    ]


def test_satisfaction_after_closing_outcome_and_service_separately(desk, marta):
    figure = figure_of(marta, "satisfaction")
    assert figure.rows == [[1, 0, 0], [2, 1, 0], [3, 0, 0], [4, 1, 1], [5, 0, 1]]
    summary = dict(figure.summary)
    assert (summary["Ratings"], summary["Outcome, average"], summary["Service, average"]) == (
        2,
        3.0,
        4.5,
    )


def test_filters_narrow_every_figure(desk, marta):
    bulgarian = Filters(start=MARCH.start, end=MARCH.end, language="bg")
    assert rows_of(marta, "volume-channel", bulgarian) == [["Web form", 1, 0]]
    software = Filters(start=MARCH.start, end=MARCH.end, product_line_id=desk.software.pk)
    assert rows_of(marta, "pareto", software) == [
        ["Billing › Invoice template wrong", 1, 100.0, 100.0]
    ]
    finland = Filters(start=MARCH.start, end=MARCH.end, jurisdiction="FI")
    assert rows_of(marta, "response-times", finland)[0] == [
        "Acknowledgement",
        1,
        1.0,
        1.0,
        None,
        None,
    ]


def test_a_call_logged_without_minutes_costs_the_same_as_in_the_resolution_estimate(
    desk, marta, ania
):
    # A call without its length counts CALL_MINUTES (15) everywhere: the dashboard's SQL once
    # read the stored JSON null as 0 on SQLite.
    case = desk.cases["D"]
    everything = Filters(start=date(2026, 1, 1), end=date(2026, 4, 30))
    before = {r[0]: r[1] for r in rows_of(marta, "handling-cost", everything)}["Software"]
    with at("2026-03-20 10:00"):
        cases.log_phone_call(case, actor=ania, summary="Customer called about the licence.")
    after = {r[0]: r[1] for r in rows_of(marta, "handling-cost", everything)}["Software"]
    assert after - before == Decimal("0.25")
    assert handling_hours([case.pk])[case.pk] == Decimal("0.50")  # 15 base + 15 call


def test_the_let_go_figure_lists_the_highest_scores_and_counts_them_all(
    marta, ania, make_case, monkeypatch
):
    from amends.cases.models import Customer
    from amends.insights import causes
    from amends.resolution.models import Investigation

    monkeypatch.setattr(causes, "LET_GO_SHOWN", 2)
    for name, value in (("Alfa", 0), ("Beta", 900), ("Gamma", 300)):
        customer = Customer.objects.create(
            name=name, email=f"{name}@example.com", annual_value=value
        )
        for _ in range(3):
            Investigation.objects.create(case=make_case(customer, owner=ania), fault="customer")

    let_go = figure_of(marta, "let-go")

    # Three unfounded complaints each; the handling cost against a smaller annual value scores more.
    assert [row[0] for row in let_go.rows] == ["Gamma", "Beta"]
    assert let_go.summary == [("Customers flagged", 3)]


def test_the_lists_show_the_most_urgent_and_count_them_all(desk, marta, monkeypatch):
    from amends.insights import metrics
    from amends.resolution.models import ImprovementTask

    monkeypatch.setattr(metrics, "AT_RISK_LIMIT", 1)
    task = ImprovementTask.objects.get()
    ImprovementTask.objects.create(
        case=task.case,
        information="Karta gwarancyjna",
        location="Strona www",
        owner=task.owner,
        due=date(2026, 5, 15),
    )

    improvements = figure_of(marta, "improvements")

    assert [r[0] for r in improvements.rows] == ["Инструкция за монтаж"], "due soonest"
    assert improvements.summary == [("Open", 2)]
    assert figure_of(marta, "statutory-at-risk").summary == [("At risk", 1)]
