"""Speed of the insights dashboard on a large PostgreSQL database (bench/scale_generate.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/amends_scale \\
        .venv/bin/python bench/dashboard_scale.py [--repeat 5] [--days 365] [--explain 3]
        [--skip let-go] [--pages-only] [--snapshots-only] [--refresh [--refresh-language en]]

For the last --days days, with a warm-up run first and then --repeat timed runs of each row:
the whole /insights/ page through Django's test Client, logged in (everything a user waits for
except the network: middleware, every figure's queries, the template), as a manager, as a
manager filtering language=pl, and as an agent (the figures of their own cases); then each
figure function alone in the same three ways. Prints p50 and max of the wall time and the
p50 of this process's CPU time (the rest is PostgreSQL, working on the other core) and the
number of queries. With --explain N, prints EXPLAIN (ANALYZE, BUFFERS) of the N slowest queries
of the manager's page. PostgreSQL runs with its default configuration.

The live page rows delete the dashboard snapshots before each request, so they time the live
computation; the "from a snapshot" rows time the same page read from the snapshot the warm-up
stored (amends/insights/snapshots.py). With --refresh, times one refresh_snapshots(): the views
in use (the pages this script opened, and the managers' in the default language), or with
--refresh-everyone the whole desk (every active agent and the managers, the two standard
periods, the languages given by --refresh-language or all four).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The test settings: the same app, with static files served without collectstatic's manifest.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from amends.accounts.models import User  # noqa: E402
from amends.insights import figures  # noqa: E402
from amends.insights.metrics import Filters  # noqa: E402
from amends.insights.models import DashboardSnapshot  # noqa: E402
from amends.insights.snapshots import refresh_snapshots, views_in_use  # noqa: E402


def measure(fn: Callable[[], Any], repeat: int) -> tuple[list[float], list[float], int]:
    fn()  # warm-up: caches, the first connection, PostgreSQL's buffers
    walls, cpus = [], []
    queries = 0
    for _i in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        queries = len(captured.captured_queries)
    return walls, cpus, queries


def page(user: User, query: str, *, live: bool = True) -> Callable[[], Any]:
    client = Client()
    client.force_login(user)

    def get() -> None:
        if live:
            DashboardSnapshot.objects.all().delete()
        response = client.get(f"/insights/?{query}")
        assert response.status_code == 200, response.status_code
        # The warm-up of a "from a snapshot" row computes live and stores the snapshot.
        assert live or b"Figures as of" in response.content or b"just now" in response.content

    return get


def one_figure(user: User, key: str, filters: Filters) -> Callable[[], Any]:
    return lambda: figures.figure(key, figures.context(user, filters))


def explain(user: User, query: str, count: int) -> None:
    """EXPLAIN ANALYZE the `count` slowest queries of one page view."""
    timings: list[tuple[float, str, Any]] = []

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - started, sql, params))

    get = page(user, query)
    with connection.execute_wrapper(timer):
        get()
    for seconds, sql, params in sorted(timings, key=lambda t: -t[0])[:count]:
        print(f"\n--- {seconds * 1000:.0f} ms\n{sql[:1500]}\n")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n".join(row[0] for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--manager", default="manager1")
    parser.add_argument("--agent", default="agent01")
    parser.add_argument("--explain", type=int, default=0, metavar="N")
    parser.add_argument("--skip", action="append", default=[], help="a figure key to leave out")
    parser.add_argument("--pages-only", action="store_true")
    parser.add_argument("--snapshots-only", action="store_true", help="no live rows")
    parser.add_argument("--refresh", action="store_true", help="time refresh_snapshots()")
    parser.add_argument("--refresh-language", action="append", default=[])
    parser.add_argument(
        "--refresh-everyone",
        action="store_true",
        help="refresh every scope in every language (default: the views in use)",
    )
    args = parser.parse_args()

    assert connection.vendor == "postgresql", "set DATABASE_URL to the scale database"
    manager = User.objects.get(username=args.manager)
    agent = User.objects.get(username=args.agent)
    end = timezone.localdate()
    start = end - timedelta(days=args.days - 1)
    base = f"start={start.isoformat()}&end={end.isoformat()}"
    scenarios = [
        ("manager", manager, base, Filters(start=start, end=end)),
        (
            "manager, pl",
            manager,
            base + "&language=pl",
            Filters(start=start, end=end, language="pl"),
        ),
        ("agent", agent, base, Filters(start=start, end=end)),
    ]
    skipped = set(args.skip)
    if skipped:
        # The page leaves the skipped figures out too, so the page rows stay comparable.
        for key in skipped:
            figures.FIGURES.pop(key, None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        cases = cursor.fetchone()[0]
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'cases_event'")
        events = cursor.fetchone()[0]
    print(
        f"{connection.settings_dict['NAME']}: {cases:,} cases, ~{events:,} events; "
        f"period {start} to {end}; {args.repeat} runs after a warm-up; "
        f"load {os.getloadavg()[0]:.2f}"
    )
    if skipped:
        print(f"left out: {', '.join(sorted(skipped))}")
    header = f"{'row':44} {'p50 ms':>9} {'max ms':>9} {'CPU p50':>9} {'queries':>8}"
    print(header)
    print("-" * len(header))

    def row(label: str, fn: Callable[[], Any]) -> None:
        walls, cpus, queries = measure(fn, args.repeat)
        print(
            f"{label:44} {statistics.median(walls) * 1000:9.0f} {max(walls) * 1000:9.0f} "
            f"{statistics.median(cpus) * 1000:9.0f} {queries:8d}",
            flush=True,
        )

    if not args.snapshots_only:
        for label, user, query, _filters in scenarios:
            row(f"page /insights/ ({label})", page(user, query))
    for label, user, query, _filters in scenarios:
        row(f"page /insights/ ({label}), from a snapshot", page(user, query, live=False))
    if args.refresh:
        people = views_in_use(everyone=args.refresh_everyone)
        wall, cpu = time.perf_counter(), time.process_time()
        stored = refresh_snapshots(
            languages=args.refresh_language or None, everyone=args.refresh_everyone
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"refresh_snapshots(): {stored} snapshots ({len(people)} scopes and languages) "
            f"in {wall:.0f} s "
            f"wall, {cpu:.0f} s CPU of this process; load {os.getloadavg()[0]:.2f}",
            flush=True,
        )
    if not args.pages_only and not args.snapshots_only:
        for label, user, _query, filters in scenarios:
            for key in figures.keys_for(user):
                row(f"  {key} ({label})", one_figure(user, key, filters))
    if args.explain:
        explain(manager, base, args.explain)


if __name__ == "__main__":
    main()
