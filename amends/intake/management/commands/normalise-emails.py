"""`amends normalise-emails`: lower-case customers' e-mail addresses stored in mixed case.

Intake stores and matches addresses lower-cased (amends.intake.customers). Migration 0004 of
intake did this once on upgrade; run it again after addresses were typed in mixed case in the
admin, so those customers are found by their next complaint. Safe to run any time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from amends.intake.customers import normalise_stored_emails


class Command(BaseCommand):
    help = "Lower-case customers' e-mail addresses, so every complaint finds its customer."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = normalise_stored_emails()
        self.stdout.write(
            ngettext(
                "%(count)s customer's e-mail address lower-cased.",
                "%(count)s customers' e-mail addresses lower-cased.",
                changed,
            )
            % {"count": changed}
        )
