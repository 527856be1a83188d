"""`amends serve`: the production WSGI server (waitress) with static files by whitenoise.

By default it also runs the background worker in a thread, so one command runs a small desk;
larger installs run `amends serve --no-worker` and one or more `amends worker` processes.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from waitress import serve

from amends.cases.management.commands.worker import run_worker
from amends.wsgi import application


class Command(BaseCommand):
    help = "Serve Amends with a production-grade server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not run the background worker here."
        )

    def handle(
        self, *args: Any, host: str, port: int, threads: int, no_worker: bool, **options: Any
    ) -> None:
        stop = threading.Event()
        if settings.TASKS_BACKEND == "rq" and not no_worker:
            # RQ's worker needs a process's main thread (signal handlers): run `amends worker`.
            self.stdout.write("TASKS_BACKEND=rq: run `amends worker` beside this server.")
            no_worker = True
        if not no_worker:
            threading.Thread(
                target=run_worker, args=(stop,), name="amends-worker", daemon=True
            ).start()
        self.stdout.write(f"Amends is serving on http://{host}:{port}/ (Ctrl+C to stop)")
        try:
            serve(application, host=host, port=port, threads=threads, ident="Amends")
        finally:
            stop.set()
