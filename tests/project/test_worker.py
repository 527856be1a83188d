"""`amends worker` records deadline warnings and stops when asked."""

from __future__ import annotations

import threading

import pytest
import time_machine
from django.core.management import call_command

from amends.cases.management.commands.worker import run_worker
from amends.cases.models import Case, EventKind
from tests.conftest import aware


@pytest.fixture
def overdue_case(make_case, customer_pl, ania) -> Case:
    with time_machine.travel(aware("2026-03-02T10:00"), tick=False):
        return make_case(customer_pl, owner=ania, received_at=aware("2026-03-02T10:00"))


def test_worker_once_runs_the_deadline_sweep(overdue_case: Case, capsys) -> None:
    with time_machine.travel(aware("2026-03-20T10:00"), tick=False):
        call_command("worker", "--once")
    assert "statutory_missed': 1" in capsys.readouterr().out
    assert overdue_case.events.filter(kind=EventKind.DEADLINE_MISSED).count() == 2


@pytest.mark.django_db(transaction=True)
def test_worker_loop_sweeps_then_stops_when_asked(overdue_case: Case) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=run_worker, args=(stop,), kwargs={"interval": 0.05})
    thread.start()
    for _ in range(200):
        if overdue_case.events.filter(kind=EventKind.DEADLINE_MISSED).exists():
            break
        stop.wait(0.05)
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert overdue_case.events.filter(kind=EventKind.DEADLINE_MISSED).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("every", "refreshed"), [(600.0, False), (0.1, True)])
def test_a_starting_worker_waits_its_interval_before_refreshing_the_insights(
    monkeypatch, every: float, refreshed: bool
) -> None:
    """A restart does not recompute every dashboard snapshot at once (minutes at a large desk):
    the first refresh comes one interval after the start."""
    from amends.cases.management.commands import worker

    calls: list[int] = []
    monkeypatch.setattr(worker, "_refresh_insights_thread", lambda stop: calls.append(1))
    stop = threading.Event()
    thread = threading.Thread(
        target=run_worker, args=(stop,), kwargs={"interval": 0.05, "insights_every": every}
    )
    thread.start()
    stop.wait(0.6)
    stop.set()
    thread.join(timeout=10)
    assert bool(calls) is refreshed
