"""`amends embed-cases [--all] [--rebuild-index]`: embed the cases that have no current vector
(every case's text checked with --all), then optionally rebuild the similar-case HNSW index."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from amends.cases.models import Case
from amends.recurrence import lookup, services, similar
from amends.recurrence.models import CaseEmbedding

BATCH = 32


class Command(BaseCommand):
    help = (
        "Compute the similarity vectors of cases (missing or stale ones; --all checks every case)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="Check every case, not only those without a vector (re-embeds changed texts).",
        )
        parser.add_argument(
            "--rebuild-index",
            action="store_true",
            help="Then build the similar-case index from every stored vector and save it "
            "under the data directory (used from AMENDS_SIMILAR_INDEX_MIN vectors on).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cases = Case.objects.order_by("pk").only("pk", "subject", "description", "language")
        if not options["all"]:
            cases = cases.exclude(
                pk__in=CaseEmbedding.objects.filter(model=similar.MODEL_NAME).values("case_id")
            )
        done = seen = 0
        batch: list[Case] = []
        for case in cases.iterator(chunk_size=500):
            batch.append(case)
            if len(batch) == BATCH:
                done += services.embed_cases(batch)
                seen += len(batch)
                batch = []
        if batch:
            done += services.embed_cases(batch)
            seen += len(batch)
        self.stdout.write(f"{done} of {seen} cases embedded.")
        if options["rebuild_index"]:
            count = lookup.rebuild_index()
            self.stdout.write(
                f"Similar-case index rebuilt: {count} vectors in {lookup.index_dir()}."
            )
