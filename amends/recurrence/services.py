"""Embedding cases: after intake (a task, enqueued on commit) and in bulk (`amends embed_cases`).

Both are idempotent: a case whose text and model are unchanged is not embedded again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import transaction

from amends.cases.models import Case
from amends.recurrence import similar
from amends.recurrence.models import CaseEmbedding


def text_hash(case: Case) -> str:
    text = similar.complaint_text(case.subject, case.description)
    key = f"{similar.MODEL_NAME}\n{case.language}\n{text}"
    return hashlib.sha256(key.encode()).hexdigest()


def queue_embedding(case: Case) -> None:
    """Embed the case in the background once the transaction that opened it commits."""
    from amends.recurrence.tasks import embed_case

    case_id = case.pk
    transaction.on_commit(lambda: embed_case.enqueue(case_id))


def embed_case(case: Case) -> bool:
    """Store the case's vector; False when it was already current (nothing written)."""
    return embed_cases([case]) == 1


def embed_cases(cases: Iterable[Case]) -> int:
    """Embed the cases whose stored vector is missing or stale, in one model call; the count."""
    cases = list(cases)
    hashes = {case.pk: text_hash(case) for case in cases}
    current = set(
        CaseEmbedding.objects.filter(case_id__in=hashes, model=similar.MODEL_NAME).values_list(
            "case_id", "text_hash"
        )
    )
    stale = [case for case in cases if (case.pk, hashes[case.pk]) not in current]
    if not stale:
        return 0
    # The model runs outside any transaction: it takes ~0.1 s a case and holds no rows.
    vectors = similar.embed(
        [similar.complaint_text(c.subject, c.description) for c in stale],
        languages=[c.language for c in stale],
    )
    with transaction.atomic():
        for case, vector in zip(stale, vectors, strict=True):
            CaseEmbedding.objects.update_or_create(
                case_id=case.pk,
                defaults={
                    "model": similar.MODEL_NAME,
                    "text_hash": hashes[case.pk],
                    "vector": similar.to_bytes(vector),
                },
            )
    return len(stale)
