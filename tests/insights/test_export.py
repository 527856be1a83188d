"""GET /insights/export/<figure>.csv: the figure's table as CSV, with the dashboard's filters."""

from __future__ import annotations

import csv
import io

import pytest

from tests.insights.conftest import logged_in

pytestmark = pytest.mark.django_db


def _get(user, path):
    return logged_in(user).get(path)


def _rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_a_figure_exports_as_csv_with_its_headers_and_plain_numbers(desk, marta, now):
    response = _get(marta, "/insights/export/reserve.csv?start=2026-03-01&end=2026-03-31")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="reserve-2026-03-01-2026-03-31.csv"' in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[0][0] == "Product or service line"
    assert rows[2] == ["Washers", "100.00", "50.00", "230.00", "380.00", "10000.00", "3.80", ""]


def test_the_filters_apply_to_the_export(desk, marta, now):
    response = _get(
        marta, "/insights/export/volume-language.csv?start=2026-03-01&end=2026-03-31&language=fi"
    )
    assert _rows(response)[1:] == [["Finnish", "1", "0"]]


def test_an_agent_exports_only_their_own_cases(desk, ania, now):
    response = _get(ania, "/insights/export/volume-category.csv?start=2026-03-01&end=2026-03-31")
    assert _rows(response)[1:] == [["Billing", "2", "0"], ["Leaks", "1", "1"]]


def test_an_agent_cannot_export_the_let_go_list(desk, ania, now):
    assert _get(ania, "/insights/export/let-go.csv").status_code == 404


def test_an_unknown_figure_is_404(desk, marta):
    assert _get(marta, "/insights/export/nonsense.csv").status_code == 404


def test_bad_filters_are_400_with_the_reason(desk, marta):
    response = _get(marta, "/insights/export/pareto.csv?start=2026-03-31&end=2026-03-01")
    assert response.status_code == 400
    assert "ends before it starts" in response.content.decode()
