"""GET /insights/: the filters, every figure with its chart data, table and CSV link."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from amends.cases.models import Customer
from amends.insights import figures
from tests.insights.conftest import NOW, logged_in

pytestmark = pytest.mark.django_db

URL = "/insights/?start=2026-03-01&end=2026-03-31"


def test_a_manager_sees_every_figure_with_chart_table_and_csv_link(desk, marta, now):
    response = logged_in(marta).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for key in figures.FIGURES:
        assert f'id="figure-{key}"' in html
        assert (
            reverse("insights:export", args=[key]) + "?start=2026-03-01&amp;end=2026-03-31" in html
        )
    chart = json.loads(
        re.search(
            r'<script id="chart-volume-channel" type="application/json">(.*?)</script>', html
        ).group(1)
    )
    assert chart["labels"] == ["E-mail", "API", "Phone", "Web form"]
    assert chart["datasets"][0]["data"] == [2, 1, 1, 1]
    assert "vendor/chart.umd.min.js" in html
    assert '<th scope="row">Repairs › Seal not fitted</th>' in html


def test_an_agent_sees_their_own_figures_and_no_let_go_list(desk, ania, now):
    response = logged_in(ania).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="figure-let-go"' not in html
    assert "The figures count the cases you own." in html


def test_the_page_is_in_the_readers_language_with_local_number_formats(desk, marta, now):
    client = logged_in(marta)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="pl")
    html = response.content.decode()
    assert '<html lang="pl">' in html
    assert "3,80" in html, "the reserve of Washers, with a decimal comma"


def test_no_period_given_means_the_last_30_days(desk, marta, now):
    response = logged_in(marta).get("/insights/")
    assert response.status_code == 200
    assert response.context["filters"].days == 30


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-03-31&end=2026-03-01",
        "start=yesterday&end=2026-03-01",
        "start=2020-01-01&end=2026-03-01",
        "start=2026-03-01&end=2026-03-31&channel=pigeon",
        "start=2026-03-01&end=2026-03-31&jurisdiction=POL",
        "start=2026-03-01&end=2026-03-31&team=999999",
    ],
)
def test_bad_filters_get_the_form_back_with_400(desk, marta, query):
    response = logged_in(marta).get("/insights/?" + query)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert "items" not in response.context


def test_post_is_not_allowed(marta):
    assert logged_in(marta).post(URL).status_code == 405


def test_anonymous_is_sent_to_log_in(db):
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_query_count_does_not_grow_with_the_cases(
    desk, marta, now, django_assert_max_num_queries
):
    client = logged_in(marta)
    client.get(URL)  # warm the per-process caches (settings rows, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from amends.insights.models import DashboardSnapshot

    # Both counts are of the live computation (a fresh snapshot would be read instead).
    DashboardSnapshot.objects.all().delete()
    with CaptureQueriesContext(connection) as first:
        client.get(URL)
    # Ten more complaints in the period change no query count.
    from amends.cases import services

    customer = Customer.objects.create(
        name="Extra", email="x@example.com", language="en", jurisdiction="FI"
    )
    for n in range(10):
        services.open_case(
            customer=customer,
            subject=f"Extra {n}",
            description="More.",
            channel="email",
            received_at=NOW.replace(month=3, day=20),
        )
    DashboardSnapshot.objects.all().delete()
    with CaptureQueriesContext(connection) as second:
        client.get(URL)
    assert len(second) == len(first)
    assert len(first) <= 60


def test_a_wide_table_gets_the_cards_width_below_its_chart(desk, marta, now):
    html = logged_in(marta).get(URL).content.decode()

    def body_of(key: str) -> str:
        section = re.search(rf'id="figure-{key}".*?</section>', html, re.S)
        assert section is not None
        return re.search(r'class="insights-figure__body[^"]*"', section.group(0)).group(0)

    assert "--chart" in body_of("volume-channel"), "three columns: beside the chart"
    assert "--chart" not in body_of("reserve"), "eight columns: below the chart"
