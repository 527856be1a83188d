"""Similar open and past cases for a case, as its viewer may see them, with what resolved them.

The stored vectors give a shortlist of POOL by e5 cosine and the character n-grams re-rank it.
Below AMENDS_SIMILAR_INDEX_MIN stored vectors the shortlist comes from an exact search over
one in-memory matrix; from there on from an HNSW index (usearch) kept under the data
directory, built by `amends embed-cases --rebuild-index` and loaded once per process. Both are
refreshed incrementally: a lookup only asks for the newest `updated_at` (one indexed row) and
reads the rows changed since; a full reconciliation (counts, deleted rows) runs every
RECONCILE_SECONDS. A deleted case may linger until then, but candidates are always filtered
against the cases the viewer may see. See docs/benchmarks.md, "Similar-case lookup at scale".
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import F, Max, Subquery

from amends.cases.access import visible_cases
from amends.cases.models import Case
from amends.recurrence import similar
from amends.recurrence.models import CaseEmbedding
from amends.resolution.models import Cause, Decision, Investigation, RemedyOption

logger = logging.getLogger(__name__)

# The e5 shortlist that the lexical score re-ranks.
POOL = 50
# A full check (row count, deleted rows, rows committed late) at most this often per process.
RECONCILE_SECONDS = 300
# Rows are re-read from this long before the newest one applied: a transaction that stamped its
# rows earlier but committed later is still seen. Embedding transactions take well under this.
OVERLAP = timedelta(seconds=60)
# A process writes the index back to disk when it has applied this many changes since the file.
SAVE_AFTER = 1_000
# HNSW parameters: inner product on the stored L2-normalised vectors (= cosine), f16 storage,
# measured by bench/similar_scale.py for a shortlist recall >= 0.95 (top-POOL vs exact).
INDEX_DTYPE = "f16"
INDEX_CONNECTIVITY = 16
INDEX_EXPANSION_ADD = 128
INDEX_EXPANSION_SEARCH = 128


def index_min() -> int:
    """How many stored vectors switch the shortlist from the exact search to the HNSW index."""
    return int(settings.AMENDS_SIMILAR_INDEX_MIN)


def index_dir() -> Path:
    return Path(settings.DATA_DIR) / "similar-index"


def _index_prefix() -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", similar.MODEL_NAME).strip("-") + "@"


def _stamp_text(at: datetime | None) -> str:
    return "0" if at is None else at.strftime("%Y%m%dT%H%M%S%f%z")


def _stamp_of(path: Path) -> datetime | None:
    text = path.stem[len(_index_prefix()) :]
    return None if text == "0" else datetime.strptime(text, "%Y%m%dT%H%M%S%f%z")


def new_hnsw() -> Any:
    from usearch.index import Index

    return Index(
        ndim=similar.DIMENSIONS,
        metric="ip",
        dtype=INDEX_DTYPE,
        connectivity=INDEX_CONNECTIVITY,
        expansion_add=INDEX_EXPANSION_ADD,
        expansion_search=INDEX_EXPANSION_SEARCH,
    )


def saved_index() -> Path | None:
    """The newest index file for the current model; its name carries the stamp it covers."""
    files = sorted(index_dir().glob(f"{_index_prefix()}*.usearch"))
    return files[-1] if files else None


def save_index(hnsw: Any, stamp: datetime | None) -> Path:
    """Write the index as <model>@<stamp>.usearch (atomic rename) and drop older files."""
    folder = index_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_index_prefix()}{_stamp_text(stamp)}.usearch"
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    os.close(fd)
    try:
        hnsw.save(tmp)
        os.chmod(tmp, 0o644)  # mkstemp made it owner-only; other processes' users read it
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    for old in folder.glob(f"{_index_prefix()}*.usearch"):
        if old.name < path.name:
            old.unlink(missing_ok=True)
    return path


@dataclass
class _Store:
    """The vectors this process searches: a matrix (exact) or an HNSW index, and what they cover."""

    loaded: bool = False
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    matrix: np.ndarray = field(
        default_factory=lambda: np.zeros((0, similar.DIMENSIONS), dtype=np.float32)
    )
    hnsw: Any = None
    last: datetime | None = None  # the newest updated_at applied
    recent: dict[int, datetime] = field(default_factory=dict)  # applied within OVERLAP of last
    reconciled: float = 0.0  # time.time() of the last full check
    unsaved: int = 0  # changes applied to hnsw since its file

    @property
    def size(self) -> int:
        return len(self.hnsw) if self.hnsw is not None else len(self.ids)


_store = _Store()
# Re-entrant: a reconciliation may start the store over from inside a refresh.
_lock = threading.RLock()


def clear_index() -> None:
    """Forget the vectors held in memory (tests; a restart reads the index file again)."""
    global _store
    with _lock:
        _store = _Store()


def _rows(since: datetime | None = None, ids: np.ndarray | None = None) -> tuple[list[Any], ...]:
    """(case ids, vectors, updated_at) of the current model's rows, optionally filtered."""
    rows = CaseEmbedding.objects.filter(model=similar.MODEL_NAME)
    if since is not None:
        rows = rows.filter(updated_at__gte=since)
    if ids is not None:
        rows = rows.filter(case_id__in=[int(i) for i in ids])
    found: tuple[list[Any], ...] = ([], [], [])
    for case_id, vector, updated in rows.values_list("case_id", "vector", "updated_at").iterator(
        chunk_size=2000
    ):
        found[0].append(case_id)
        found[1].append(similar.from_bytes(bytes(vector)))
        found[2].append(updated)
    return found


def _apply(store: _Store, ids: list[int], vectors: list[np.ndarray]) -> None:
    """Insert or replace these rows in the store."""
    if not ids:
        return
    added = np.array(ids, dtype=np.int64)
    stacked = np.vstack(vectors).astype(np.float32)
    if store.hnsw is not None:
        present = added[np.asarray(store.hnsw.contains(added), dtype=bool).reshape(-1)]
        if len(present):
            store.hnsw.remove(present)
        store.hnsw.add(added, stacked)
        store.unsaved += len(added)
        return
    keep = ~np.isin(store.ids, added)
    store.ids = np.concatenate([store.ids[keep], added])
    store.matrix = np.vstack([store.matrix[keep], stacked])


def _catch_up(store: _Store, last: datetime | None) -> None:
    """Apply the rows stamped since the store's newest (with OVERLAP), skipping those seen."""
    if last is None:
        return
    since = None if store.last is None else store.last - OVERLAP
    ids, vectors, stamps = _rows(since)
    fresh = [
        n for n, (i, at) in enumerate(zip(ids, stamps, strict=True)) if store.recent.get(i) != at
    ]
    _apply(store, [ids[n] for n in fresh], [vectors[n] for n in fresh])
    newest = max(stamps, default=store.last)
    if newest is None:
        return
    store.last = newest if store.last is None else max(store.last, newest)
    seen = {**store.recent, **dict(zip(ids, stamps, strict=True))}
    store.recent = {i: at for i, at in seen.items() if at >= store.last - OVERLAP}


def _load(store: _Store, last: datetime | None) -> None:
    """First use in this process: the saved index when there are enough vectors, else the rows."""
    count = CaseEmbedding.objects.filter(model=similar.MODEL_NAME).count()
    path = saved_index() if count >= index_min() else None
    if count >= index_min() and path is None:
        logger.warning(
            "%s similar-case vectors and no index in %s: searching exactly; "
            "run `amends embed-cases --rebuild-index`.",
            count,
            index_dir(),
        )
    if path is not None:
        from usearch.index import Index

        hnsw: Any = Index.restore(str(path))
        hnsw.expansion_search = INDEX_EXPANSION_SEARCH
        store.hnsw = hnsw
        store.last = _stamp_of(path)
    store.loaded = True
    store.reconciled = time.time()
    _catch_up(store, last)


def _reconcile(store: _Store) -> None:
    """Every few minutes: drop rows deleted, add rows missed, switch search when crossing."""
    global _store
    store.reconciled = time.time()
    count = CaseEmbedding.objects.filter(model=similar.MODEL_NAME).count()
    if (store.hnsw is not None) != (count >= index_min() and saved_index() is not None):
        _store = _Store()  # crossed the threshold (or an index was built): start over
        return
    if count != store.size:
        in_db = np.fromiter(
            CaseEmbedding.objects.filter(model=similar.MODEL_NAME).values_list(
                "case_id", flat=True
            ),
            dtype=np.int64,
        )
        held = np.asarray(store.hnsw.keys, dtype=np.int64) if store.hnsw is not None else store.ids
        gone = np.setdiff1d(held, in_db)
        if len(gone) and store.hnsw is not None:
            store.hnsw.remove(gone)
            store.unsaved += len(gone)
        elif len(gone):
            keep = ~np.isin(store.ids, gone)
            store.ids, store.matrix = store.ids[keep], store.matrix[keep]
        missing = np.setdiff1d(in_db, held)
        for start in range(0, len(missing), 5000):  # a bounded IN list per query
            ids, vectors, _ = _rows(ids=missing[start : start + 5000])
            _apply(store, ids, vectors)
    if store.hnsw is not None and store.unsaved >= SAVE_AFTER:
        save_index(store.hnsw, store.last)
        store.unsaved = 0


def _newest() -> datetime | None:
    last: datetime | None = CaseEmbedding.objects.aggregate(last=Max("updated_at"))["last"]
    return last


def _current() -> _Store:
    """The store, brought up to date: one cheap query when nothing changed."""
    return _up_to(_newest())


def _up_to(last: datetime | None) -> _Store:
    """The store with every row stamped up to `last` (the newest `updated_at`) applied."""
    with _lock:
        store = _store
        if not store.loaded:
            _load(store, last)
        elif (last is not None and (store.last is None or last > store.last)) or (
            time.time() - store.reconciled > RECONCILE_SECONDS
        ):
            _catch_up(store, last)
        if time.time() - store.reconciled > RECONCILE_SECONDS:
            _reconcile(store)
            if _store is not store:
                return _up_to(last)
        return store


def vectors() -> tuple[np.ndarray, np.ndarray]:
    """The case ids and their vectors (exact search only: empty while the HNSW index serves)."""
    store = _current()
    return store.ids, store.matrix


def uses_index() -> bool:
    return _current().hnsw is not None


def rebuild_index(*, batch: int = 10_000) -> int:
    """Build the HNSW index from every stored vector and save it; the number of vectors."""
    last = _newest()
    hnsw = new_hnsw()
    rows = CaseEmbedding.objects.filter(model=similar.MODEL_NAME).values_list("case_id", "vector")
    ids: list[int] = []
    chunk: list[bytes] = []
    for case_id, vector in rows.iterator(chunk_size=batch):
        ids.append(case_id)
        chunk.append(bytes(vector))
        if len(ids) == batch:
            hnsw.add(np.array(ids), _matrix(chunk))
            ids, chunk = [], []
    if ids:
        hnsw.add(np.array(ids), _matrix(chunk))
    save_index(hnsw, last)
    clear_index()
    return len(hnsw)


def _matrix(blobs: list[bytes]) -> np.ndarray:
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), similar.DIMENSIONS)


def _nearest(store: _Store, query: np.ndarray, take: int, exclude: int) -> list[int]:
    """Up to `take` case ids by e5 cosine, best first, without `exclude` (the case itself)."""
    take = min(take, store.size)
    if store.hnsw is not None:
        with _lock:
            found = store.hnsw.search(query, take + 1, threads=1)
        return [int(k) for k in found.keys if int(k) != exclude][:take]
    with _lock:
        ids, matrix = store.ids, store.matrix
    scores = matrix @ query
    scores[ids == exclude] = -np.inf
    top = np.argpartition(-scores, take - 1)[:take] if take < len(ids) else np.arange(len(ids))
    top = top[np.argsort(-scores[top], kind="stable")]
    top = top[np.isfinite(scores[top])]
    return [int(i) for i in ids[top]]


def _next_take(wanted: int, found: int, checked: int) -> int:
    """How many more nearest cases to check, from the share of those checked that were usable.

    The expected number that yields the missing ones, half again for luck; at least 8 times
    as many as checked when none was usable (an agent whose team has few similar cases).
    """
    missing = wanted - found
    if not found:
        return max(checked * 8, missing * 4)
    return int(missing * checked / found * 1.5) + 8


def vector_of(case: Case) -> tuple[np.ndarray | None, datetime | None]:
    """The case's stored vector (None if not embedded yet) and the newest `updated_at` of all
    stored vectors, in one query: the lookup's own vector and the freshness check together."""
    newest = CaseEmbedding.objects.values("updated_at")
    rows = list(
        CaseEmbedding.objects.filter(case=case, model=similar.MODEL_NAME)
        .order_by()
        .annotate(newest=Subquery(newest.order_by("-updated_at")[:1]))
        .values_list("vector", "newest")[:1]
    )
    if not rows:
        return None, None
    return similar.from_bytes(bytes(rows[0][0])), rows[0][1]


# What the panel shows of a similar case (reference = pk, subject, state, language) and of its
# root cause (Cause.__str__: the group's name and its own).
SHOWN_FIELDS = (
    "subject",
    "state",
    "language",
    "investigation__root_cause__name",
    "investigation__root_cause__parent__name",
)


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
    # A fixed number of queries: own vector and freshness, the visible shortlist's texts and
    # vectors (one per round: one for a manager, usually two for an agent), the k shown cases,
    # their accepted remedies. The Case model's ordering is dropped everywhere: the ranking
    # orders them.
    query, last = vector_of(case)
    if query is None:
        return None
    store = _up_to(last)
    if not store.size:
        return []
    # The nearest cases that this user may see and that are embedded, with their texts and
    # vectors, in one query per round. A manager sees every case: one round of POOL (and a
    # few more for rows deleted since the index was loaded). An agent sees a team: the first
    # round checks four times POOL, the next only as many more as the share found suggests.
    allowed = visible_cases(user).exclude(pk=case.pk).order_by()
    wanted = min(POOL, store.size)
    take = wanted + 2 if user.is_manager else wanted * 4
    checked: list[int] = []
    rows: dict[int, tuple[str, str, bytes | memoryview]] = {}
    while True:
        seen = set(checked)  # a wider search may reorder its approximate top: skip by id
        nearest = _nearest(store, query, len(checked) + take, case.pk)
        candidates = [c for c in nearest if c not in seen]
        for pk, subject, description, vector in allowed.filter(
            pk__in=candidates, embedding__model=similar.MODEL_NAME
        ).values_list("pk", "subject", "description", "embedding__vector"):
            rows[pk] = (subject, description, vector)
        checked += candidates
        if len(rows) >= wanted or len(checked) >= store.size - 1 or not candidates:
            break
        take = _next_take(wanted, len(rows), len(checked))
    shortlist = [c for c in checked if c in rows][:wanted]
    if not shortlist:
        return []
    ranked = similar.rank(
        query,
        similar.lexical_text(case.subject, case.description),
        _matrix([bytes(rows[c][2]) for c in shortlist]),
        [similar.lexical_text(rows[c][0], rows[c][1]) for c in shortlist],
        k=k,
    )
    # Only the k shown are loaded as cases, with what resolved them, and only what the panel
    # (recurrence/partials/similar.html) shows: 40 columns of five tables cost more to compile,
    # send and read than the query costs PostgreSQL.
    found = {
        c.pk: c
        for c in Case.objects.filter(pk__in=[shortlist[r.index] for r in ranked])
        .order_by()
        .select_related("investigation__root_cause__parent")
        .only(*SHOWN_FIELDS)
    }
    ranked = [r for r in ranked if shortlist[r.index] in found]
    remedies: dict[int, list[RemedyOption]] = {pk: [] for pk in found}
    for option in (
        RemedyOption.objects.filter(proposal__case__in=list(found), decision=Decision.ACCEPTED)
        .annotate(case_pk=F("proposal__case_id"))
        .only("kind", "description")
    ):
        remedies[option.case_pk].append(option)
    return [
        SimilarCase(
            case=found[shortlist[r.index]],
            score=r.score,
            root_cause=_root_cause(found[shortlist[r.index]]),
            remedies=remedies[shortlist[r.index]],
        )
        for r in ranked
    ]


def _root_cause(case: Case) -> Cause | None:
    try:
        investigation: Investigation = case.investigation
    except Investigation.DoesNotExist:
        return None
    return investigation.root_cause
