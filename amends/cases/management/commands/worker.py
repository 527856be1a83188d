"""`amends worker`: runs queued background tasks, the periodic deadline sweep and IMAP polling.

One process, one scheduler: every `--sweep-every` seconds it runs the deadline sweep, every
`--poll-every` seconds it polls the mailboxes, every `--insights-every` seconds it refreshes the
insights dashboard's snapshots (in a thread), and in between it drains the database task
queue. Stops gracefully on SIGTERM/SIGINT (a poll stops after the message in hand).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from amends.cases import services

logger = logging.getLogger("amends.worker")


def run_worker(
    stop: threading.Event,
    *,
    interval: float = 1.0,
    sweep_every: float = 60.0,
    poll_every: float = 60.0,
    insights_every: float = 600.0,
) -> None:
    """The worker loop; `stop` ends it between two rounds."""
    worker_id = get_random_string(32)
    next_sweep = next_poll = 0.0
    # Snapshots are kept in the database, so a restarted worker does not recompute them at once
    # (minutes of load at a million cases); a page without a fresh one computes it live.
    next_insights = time.monotonic() + insights_every
    refresher: threading.Thread | None = None
    while not stop.is_set():
        close_old_connections()
        # The dashboard snapshots take minutes at a million cases: they are refreshed in a thread
        # of their own so the queue keeps draining, and never two refreshes at once.
        if time.monotonic() >= next_insights and (refresher is None or not refresher.is_alive()):
            refresher = threading.Thread(
                target=_refresh_insights_thread, args=(stop,), name="insights-refresh", daemon=True
            )
            refresher.start()
            next_insights = time.monotonic() + insights_every
        if time.monotonic() >= next_sweep:
            try:
                counts = services.sweep_deadlines()
                if any(counts.values()):
                    logger.info("deadline sweep: %s", counts)
            except Exception:
                logger.exception("deadline sweep failed; will retry")
            next_sweep = time.monotonic() + sweep_every
        poll_due = time.monotonic() >= next_poll
        _periodic(stop, poll_mail=poll_due)
        if poll_due:
            next_poll = time.monotonic() + poll_every
        try:
            drain_queue(worker_id)
        except Exception:
            logger.exception("task worker round failed; will retry")
        stop.wait(interval)


def refresh_insights(stop: threading.Event | None = None) -> None:
    """Recompute the insights dashboard's standard snapshots (amends.insights.snapshots)."""
    from amends.insights.snapshots import refresh_snapshots

    try:
        stored = refresh_snapshots(stop=stop)
        logger.info("insights snapshots refreshed: %s", stored)
    except Exception:
        logger.exception("refreshing the insights snapshots failed; will retry")


def _refresh_insights_thread(stop: threading.Event) -> None:
    try:
        refresh_insights(stop)
    finally:
        connection.close()  # this thread's own connection


def drain_queue(worker_id: str) -> None:
    """Run every queued task once, from the database queue or, with TASKS_BACKEND=rq, from RQ."""
    if settings.TASKS_BACKEND == "rq":
        import django_rq
        from django_tasks_rq import Job

        # A SimpleWorker runs jobs in this process (no fork), so it can share the loop; burst
        # mode returns when the queue is empty.
        worker = django_rq.get_worker("default", worker_class="rq.SimpleWorker", job_class=Job)
        worker.work(burst=True, with_scheduler=False)
        return
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()


def _periodic(stop: threading.Event | None = None, *, poll_mail: bool = False) -> None:
    """Every round: retry e-mail whose next attempt is due; when due, poll the mailboxes."""
    from amends.intake import outbound
    from amends.intake.mail import imap

    try:
        outbound.retry_due()
    except Exception:
        logger.exception("retrying outgoing mail failed; will retry")
    if not poll_mail or (stop is not None and stop.is_set()):
        return
    try:
        # Each mailbox records its own errors; nothing is flagged before its commit.
        imap.poll_all(stop=stop)
    except Exception:
        logger.exception("polling the mailboxes failed; will retry")


class Command(BaseCommand):
    help = "Run background tasks and the periodic deadline sweep."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between queue checks."
        )
        parser.add_argument(
            "--sweep-every", type=float, default=60.0, help="Seconds between deadline sweeps."
        )
        parser.add_argument(
            "--poll-every", type=float, default=60.0, help="Seconds between IMAP mailbox polls."
        )
        parser.add_argument(
            "--insights-every",
            type=float,
            default=600.0,
            help="Seconds between refreshes of the insights dashboard's snapshots.",
        )
        parser.add_argument(
            "--once", action="store_true", help="Run one sweep and drain the queue, then exit."
        )

    def handle(
        self,
        *args: Any,
        interval: float,
        sweep_every: float,
        poll_every: float,
        insights_every: float,
        once: bool,
        **options: Any,
    ) -> None:
        stop = threading.Event()
        if once:
            counts = services.sweep_deadlines()
            self.stdout.write(f"deadline sweep: {counts}")
            stop.set()
            return

        def on_signal(signum: int, frame: FrameType | None) -> None:
            logger.warning("worker stopping after this round")
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        self.stdout.write("Amends worker running (Ctrl+C to stop).")
        run_worker(
            stop,
            interval=interval,
            sweep_every=sweep_every,
            poll_every=poll_every,
            insights_every=insights_every,
        )
