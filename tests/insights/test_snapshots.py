"""Dashboard snapshots: the page and the CSV read from a fresh snapshot exactly what a live
computation shows; a stale one is recomputed; an agent never reads another scope's snapshot."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from amends.insights import figures, snapshots
from amends.insights.metrics import Figure
from amends.insights.models import DashboardSnapshot
from tests.insights.conftest import MARCH, NOW, logged_in

pytestmark = pytest.mark.django_db

URL = "/insights/?start=2026-03-01&end=2026-03-31"
LANGUAGES = ["en", "pl", "bg", "fi"]


def _sections(html: str) -> list[str]:
    return re.findall(r'<section class="card insights-figure".*?</section>', html, re.S)


def test_values_keep_their_type_through_the_database(desk, marta):
    figure = Figure(
        key="k",
        title="T",
        description="D",
        headers=["a", "b"],
        rows=[
            ["x", Decimal("3.80"), date(2026, 3, 1), datetime(2026, 3, 1, 8, 30, tzinfo=UTC)],
            [None, 1.5, 7, True],
        ],
        chart={"labels": ["x"], "$odd": {"$decimal": "1"}, "data": [Decimal("0.10")]},
        summary=[("Total", Decimal("150.00"))],
    )
    snapshots._store(marta, MARCH, "en", [figure], NOW)
    stored = DashboardSnapshot.objects.get()
    assert snapshots.decode_figures(stored.data) == [figure]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_figure_round_trips_through_a_snapshot(desk, marta, ania, language):
    for user in (marta, ania):
        with translation.override(language):
            live = figures.dashboard(figures.context(user, MARCH, NOW))
            snapshots._store(user, MARCH, language, live, NOW)
        stored = DashboardSnapshot.objects.get(scope=snapshots.scope_of(user), language=language)
        assert snapshots.decode_figures(stored.data) == live


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_from_a_snapshot_shows_the_same_tables_as_live(desk, marta, now, language):
    client = logged_in(marta)
    live = client.get(URL, HTTP_ACCEPT_LANGUAGE=language)
    assert live.context["source"].from_snapshot is False
    from_snapshot = client.get(URL, HTTP_ACCEPT_LANGUAGE=language)
    assert from_snapshot.context["source"].from_snapshot is True
    assert [i["figure"] for i in from_snapshot.context["items"]] == [
        i["figure"] for i in live.context["items"]
    ]
    live_sections = _sections(live.content.decode())
    assert len(live_sections) == len(figures.FIGURES)
    assert _sections(from_snapshot.content.decode()) == live_sections


def test_the_page_says_where_the_figures_come_from(desk, marta, ania, now):
    client = logged_in(marta)
    assert "Figures computed just now." in client.get(URL).content.decode()
    html = client.get(URL).content.decode()
    # NOW is 10:00 UTC, 12:00 in Warsaw; AMENDS_INSIGHTS_MAX_AGE is 900 s by default.
    assert "Figures as of 12:00 (refreshed every 15 minutes)." in html
    assert "Recompute now" in html
    logged_in(ania).get(URL)
    assert "Recompute now" not in logged_in(ania).get(URL).content.decode()


def _mark(scope: str, title: str) -> None:
    snapshot = DashboardSnapshot.objects.get(scope=scope, language="en")
    snapshot.data[0]["title"] = title
    snapshot.data[0]["rows"][0][1] = 999
    snapshot.save(update_fields=["data"])


def test_a_stale_snapshot_is_recomputed(desk, marta, now, settings):
    client = logged_in(marta)
    client.get(URL)
    _mark("managers", "From the snapshot")
    assert "From the snapshot" in client.get(URL).content.decode()
    with time_machine.travel(NOW + timedelta(seconds=settings.AMENDS_INSIGHTS_MAX_AGE + 1)):
        response = client.get(URL)
    assert response.context["source"].from_snapshot is False
    assert "From the snapshot" not in response.content.decode()
    snapshot = DashboardSnapshot.objects.get(scope="managers", language="en")
    assert snapshot.computed_at > NOW
    assert snapshot.data[0]["title"] == "Complaints by channel"


def test_an_agent_never_sees_another_agents_or_the_managers_snapshot(desk, marta, ania, piotr, now):
    logged_in(marta).get(URL)
    logged_in(piotr).get(URL)
    _mark("managers", "Managers' figures")
    _mark(f"agent:{piotr.pk}", "Piotr's figures")
    response = logged_in(ania).get(URL)
    html = response.content.decode()
    assert response.context["source"].from_snapshot is False
    assert "Managers' figures" not in html
    assert "Piotr's figures" not in html
    assert 'id="figure-let-go"' not in html
    assert DashboardSnapshot.objects.filter(scope=f"agent:{ania.pk}").count() == 1
    csv = logged_in(ania).get("/insights/export/volume-channel.csv?start=2026-03-01&end=2026-03-31")
    assert "999" not in csv.content.decode()


def test_the_csv_reads_the_same_snapshot_as_the_page(desk, marta, now):
    client = logged_in(marta)
    client.get(URL)
    _mark("managers", "From the snapshot")
    csv = client.get("/insights/export/volume-channel.csv?start=2026-03-01&end=2026-03-31")
    assert csv.status_code == 200
    assert ",999," in csv.content.decode()


def test_a_manager_recomputes_now(desk, marta, now):
    client = logged_in(marta)
    client.get(URL)
    _mark("managers", "From the snapshot")
    response = client.post("/insights/recompute/?start=2026-03-01&end=2026-03-31")
    assert response.status_code == 302
    assert response["Location"] == URL
    assert DashboardSnapshot.objects.get(language="en").data[0]["title"] == (
        "Complaints by channel"
    )


def test_recompute_is_for_managers_and_posts_only(desk, marta, ania, now):
    assert logged_in(ania).post("/insights/recompute/").status_code == 403
    assert logged_in(marta).get("/insights/recompute/").status_code == 405
    client = Client(enforce_csrf_checks=True)
    client.force_login(marta)
    assert client.post("/insights/recompute/").status_code == 403


def test_the_page_from_a_snapshot_reads_no_case_timeline(desk, marta, now):
    client = logged_in(marta)
    with CaptureQueriesContext(connection) as live:
        client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).context["source"].from_snapshot
    # What is left is the layout's (session, user, the navigation's counts) and the snapshot.
    assert len(captured.captured_queries) < len(live.captured_queries) - 10
    assert not [q for q in captured.captured_queries if "cases_event" in q["sql"]]


def test_refresh_stores_the_standard_views_of_the_scopes_and_languages_in_use(
    desk, marta, ania, piotr, boryana, now
):
    DashboardSnapshot.objects.create(
        scope="managers",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 1, 31),
        language="en",
        computed_at=NOW - timedelta(days=2),
    )
    # Nobody has opened the dashboard yet: the managers' view in the default language only.
    stored = snapshots.refresh_snapshots()
    assert stored == len(snapshots.STANDARD_DAYS)
    assert set(DashboardSnapshot.objects.values_list("scope", "language")) == {("managers", "en")}
    assert DashboardSnapshot.objects.count() == stored, "the old custom one is deleted"

    # Ania opens it in Finnish, Marta in Polish; Piotr and Boryana never do.
    logged_in(ania).get(URL, HTTP_ACCEPT_LANGUAGE="fi")
    logged_in(marta).get(URL, HTTP_ACCEPT_LANGUAGE="pl")
    DashboardSnapshot.objects.all().delete()
    stored = snapshots.refresh_snapshots()

    in_use = {("managers", "en"), ("managers", "pl"), (f"agent:{ania.pk}", "fi")}
    assert set(DashboardSnapshot.objects.values_list("scope", "language")) == in_use
    assert stored == len(in_use) * len(snapshots.STANDARD_DAYS)
    # The page the dashboard opens with is then read from a snapshot, for managers and agents.
    for user, language in ((marta, "pl"), (ania, "fi")):
        response = logged_in(user).get("/insights/", HTTP_ACCEPT_LANGUAGE=language)
        assert response.context["source"].from_snapshot is True


def _in_use() -> list[tuple[str, str]]:
    return [(snapshots.scope_of(user), lang) for user, lang in snapshots.views_in_use()]


def test_a_view_not_opened_for_two_weeks_is_no_longer_refreshed(desk, marta, ania, now):
    logged_in(ania).get(URL, HTTP_ACCEPT_LANGUAGE="bg")
    assert _in_use() == [(f"agent:{ania.pk}", "bg"), ("managers", "en")]
    with time_machine.travel(NOW + snapshots.VIEWED_WITHIN + timedelta(hours=1), tick=False):
        assert _in_use() == [("managers", "en")]


def test_a_scope_whose_agent_became_a_manager_is_dropped(desk, marta, ania, now):
    logged_in(ania).get(URL, HTTP_ACCEPT_LANGUAGE="pl")
    ania.role = "manager"
    ania.save()
    assert _in_use() == [("managers", "en")]


def test_everyone_refreshes_every_scope_in_every_language(desk, marta, ania, piotr, boryana, now):
    stored = snapshots.refresh_snapshots(everyone=True)
    agents = [u for u in (marta, ania, piotr, boryana) if not u.is_manager]
    assert stored == (1 + len(agents)) * len(snapshots.STANDARD_DAYS) * len(LANGUAGES)
    scopes = set(DashboardSnapshot.objects.values_list("scope", flat=True))
    assert scopes == {"managers", *(f"agent:{u.pk}" for u in agents)}


def test_the_insights_refresh_command_and_the_worker_refresh(desk, marta, ania, now):
    from amends.cases.management.commands import worker

    call_command("insights-refresh", language=["pl"], everyone=True)
    assert set(DashboardSnapshot.objects.values_list("language", flat=True)) == {"pl"}
    assert {"managers", f"agent:{ania.pk}"} <= set(
        DashboardSnapshot.objects.values_list("scope", flat=True)
    )
    DashboardSnapshot.objects.all().delete()
    logged_in(ania).get(URL, HTTP_ACCEPT_LANGUAGE="bg")
    DashboardSnapshot.objects.all().delete()
    worker.refresh_insights()
    assert set(DashboardSnapshot.objects.values_list("scope", "language")) == {
        ("managers", "en"),
        (f"agent:{ania.pk}", "bg"),
    }
