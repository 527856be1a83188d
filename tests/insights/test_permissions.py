"""Managers see every case's figures; an agent sees the figures of the cases they own."""

from __future__ import annotations

import pytest

from amends.insights import figures
from tests.insights.conftest import rows_of

pytestmark = pytest.mark.django_db


def test_an_agent_counts_only_the_cases_they_own(desk, ania):
    # Ania owns A, C and D in March (not Boryana's B nor her team mate Piotr's F), and E before.
    assert rows_of(ania, "volume-channel") == [["API", 1, 0], ["E-mail", 1, 1], ["Phone", 1, 0]]
    assert rows_of(ania, "improvements") == []
    assert rows_of(ania, "pareto") == [
        ["Billing › Invoice template wrong", 1, 50.0, 50.0],
        ["Repairs › Seal not fitted", 1, 50.0, 100.0],
    ]


def test_an_agent_on_another_team_sees_their_own(desk, boryana):
    assert rows_of(boryana, "volume-language") == [["Bulgarian", 1, 0]]
    assert rows_of(boryana, "statutory-at-risk") == []


def test_the_let_go_list_is_for_managers_only(desk, ania, marta):
    assert "let-go" in figures.keys_for(marta)
    assert "let-go" not in figures.keys_for(ania)
    with pytest.raises(KeyError):
        rows_of(ania, "let-go")
