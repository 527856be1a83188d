"""Whether complaints of a cause fell after its prevention action was done."""

from __future__ import annotations

import pytest

from amends.insights.causes import BEFORE_AFTER_DAYS
from tests.insights.conftest import figure_of, utc

pytestmark = pytest.mark.django_db


def test_complaints_of_the_cause_per_30_days_before_and_after_the_action(desk, marta):
    # Done 4 March 12:00. Before (90 days): E (10 Feb) and A (2 Mar) -> 2 x 30/90 = 0.67.
    # After: B (5 Mar) in the 41 whole days up to 15 April -> 30/41 = 0.73.
    [row] = figure_of(marta, "prevention").rows
    assert row[:3] == [
        "Repairs › Seal not fitted",
        "Fit the new seal on every repair",
        desk.action.done_at.date(),
    ]
    assert row[3:5] == [0.67, 0.73]
    assert row[5] == pytest.approx(9.0)


def test_after_a_full_window_the_after_rate_is_over_the_whole_window(desk, marta):
    later = utc("2026-09-01 00:00")
    [row] = figure_of(marta, "prevention", now=later).rows
    assert row[4] == round(1 * 30 / BEFORE_AFTER_DAYS, 2)


def test_an_action_not_done_is_not_shown(desk, marta):
    from amends.resolution.models import PreventionAction

    PreventionAction.objects.filter(pk=desk.action.pk).update(done_at=None)
    assert figure_of(marta, "prevention").rows == []
