"""Similar open and past cases for a case, as its viewer may see them, with what resolved them.

The stored vectors are held in memory as one matrix (refreshed incrementally when rows change)
and searched exactly: e5 gives a shortlist of POOL, the character n-grams re-rank it. At about
100,000 cases an exact search costs ~10 ms; past that an HNSW index takes its place (see
docs/benchmarks.md, "Recurring problems").
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from django.db.models import Count, Max

from amends.cases.access import visible_cases
from amends.cases.models import Case
from amends.recurrence import similar
from amends.recurrence.models import CaseEmbedding
from amends.resolution.models import Cause, Decision, Investigation, RemedyOption

# The e5 shortlist that the lexical score re-ranks.
POOL = 50


@dataclass
class _Index:
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    matrix: np.ndarray = field(
        default_factory=lambda: np.zeros((0, similar.DIMENSIONS), dtype=np.float32)
    )
    stamp: tuple[int, datetime | None] = (0, None)


_index = _Index()
# Re-entrant: when rows were deleted, vectors() starts over by calling itself under the lock.
_lock = threading.RLock()


def clear_index() -> None:
    """Forget the in-memory vectors (tests; a changed model)."""
    global _index
    with _lock:
        _index = _Index()


def vectors() -> tuple[np.ndarray, np.ndarray]:
    """The case ids and their vectors (rows of a matrix), current as of this call."""
    global _index
    rows = CaseEmbedding.objects.filter(model=similar.MODEL_NAME)
    stats = rows.aggregate(n=Count("pk"), last=Max("updated_at"))
    stamp = (int(stats["n"]), stats["last"])
    with _lock:
        index = _index
        if stamp == index.stamp:
            return index.ids, index.matrix
        last = index.stamp[1]
        fresh = rows if last is None else rows.filter(updated_at__gt=last)
        new_ids, new_vectors = [], []
        for case_id, vector in fresh.values_list("case_id", "vector").iterator(chunk_size=2000):
            new_ids.append(case_id)
            new_vectors.append(similar.from_bytes(bytes(vector)))
        ids, matrix = index.ids, index.matrix
        if new_ids:
            added = np.array(new_ids, dtype=np.int64)
            keep = ~np.isin(ids, added)
            ids = np.concatenate([ids[keep], added])
            matrix = np.vstack([matrix[keep], np.vstack(new_vectors)])
        if len(ids) != stamp[0]:
            # Rows were deleted (or the clock went back): start over.
            _index = _Index()
            return vectors()
        _index = _Index(ids=ids, matrix=matrix, stamp=stamp)
        return ids, matrix


def vector_of(case: Case) -> np.ndarray | None:
    stored = CaseEmbedding.objects.filter(case=case, model=similar.MODEL_NAME).first()
    return None if stored is None else similar.from_bytes(bytes(stored.vector))


@dataclass(frozen=True)
class SimilarCase:
    case: Case
    score: float
    root_cause: Cause | None
    remedies: list[RemedyOption]  # the options the customer accepted

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def similar_cases(case: Case, *, user: Any, k: int = 5) -> list[SimilarCase] | None:
    """The k cases most like `case` that `user` may see, best first; None if not embedded yet."""
    query = vector_of(case)
    if query is None:
        return None
    ids, matrix = vectors()
    if not len(ids):
        return []
    scores = matrix @ query
    scores[ids == case.pk] = -np.inf
    allowed = visible_cases(user).exclude(pk=case.pk)
    # Widen the shortlist until enough of it is visible to this user (an agent sees a team).
    wanted = min(POOL, len(ids))
    shortlist: list[int] = []
    seen = 0
    while True:
        take = min(max(wanted * 4, seen * 8), len(ids))
        top = np.argpartition(-scores, take - 1)[:take] if take < len(ids) else np.arange(len(ids))
        top = top[np.argsort(-scores[top], kind="stable")]
        top = top[np.isfinite(scores[top])]
        candidates = [int(i) for i in ids[top]]
        visible = set(allowed.filter(pk__in=candidates).values_list("pk", flat=True))
        shortlist = [c for c in candidates if c in visible][:wanted]
        if len(shortlist) >= wanted or take >= len(ids):
            break
        seen = take
    if not shortlist:
        return []
    found = {
        c.pk: c
        for c in Case.objects.filter(pk__in=shortlist).select_related(
            "customer", "owner", "investigation__root_cause__parent"
        )
    }
    order = [c for c in shortlist if c in found]
    position = {int(i): n for n, i in enumerate(ids)}
    ranked = similar.rank(
        query,
        similar.complaint_text(case.subject, case.description),
        matrix[[position[c] for c in order]],
        [similar.complaint_text(found[c].subject, found[c].description) for c in order],
        k=k,
    )
    chosen = [found[order[r.index]] for r in ranked]
    remedies: dict[int, list[RemedyOption]] = {c.pk: [] for c in chosen}
    for option in RemedyOption.objects.filter(
        proposal__case__in=chosen, decision=Decision.ACCEPTED
    ).select_related("proposal"):
        remedies[option.proposal.case_id].append(option)
    return [
        SimilarCase(
            case=found[order[r.index]],
            score=r.score,
            root_cause=_root_cause(found[order[r.index]]),
            remedies=remedies[order[r.index]],
        )
        for r in ranked
    ]


def _root_cause(case: Case) -> Cause | None:
    try:
        investigation: Investigation = case.investigation
    except Investigation.DoesNotExist:
        return None
    return investigation.root_cause
