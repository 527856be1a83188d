"""`amends poll-mail [--once] [--mailbox NAME] [--every SECONDS]`: poll the IMAP mailboxes.

`amends worker` already polls every minute; this command is for trying a new mailbox
(`--once --mailbox NAME`) or for running the poll on its own. It stops gracefully on
SIGTERM/SIGINT after the message in hand. With --once the exit status is 1 when a mailbox
could not be polled.
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils.translation import gettext as _

from amends.intake.mail.imap import PollResult, poll_all
from amends.intake.models import Mailbox


class Command(BaseCommand):
    help = "Poll the IMAP mailboxes: new mail becomes cases and replies, unreadable mail is quarantined."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Poll once and exit.")
        parser.add_argument("--mailbox", help="Only the mailbox with this name (even if inactive).")
        parser.add_argument(
            "--every", type=float, default=60.0, help="Seconds between polls (default 60)."
        )

    def handle(
        self, *args: Any, once: bool, mailbox: str | None, every: float, **opts: Any
    ) -> None:
        if mailbox is not None and not Mailbox.objects.filter(name=mailbox).exists():
            raise CommandError(_("No mailbox is called %(name)s.") % {"name": mailbox})
        stop = threading.Event()
        if once:
            results = poll_all(stop=stop, name=mailbox)
            self._report(results)
            if any(not r.ok for r in results):
                sys.exit(1)
            return

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        while not stop.is_set():
            close_old_connections()
            self._report(poll_all(stop=stop, name=mailbox))
            stop.wait(every)

    def _report(self, results: list[PollResult]) -> None:
        for r in results:
            line = _(
                "%(mailbox)s: %(received)s new, %(duplicates)s already stored, "
                "%(quarantined)s quarantined"
            ) % {
                "mailbox": r.mailbox,
                "received": r.received,
                "duplicates": r.duplicates,
                "quarantined": r.quarantined,
            }
            if r.ok:
                self.stdout.write(line)
            else:
                self.stderr.write(f"{line}. {r.error}")
