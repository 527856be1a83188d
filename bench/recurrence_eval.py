"""Recurring problems: how often the nearest past complaint is about the same thing, and how
long a lookup takes.

Data: the CFPB complaint narratives in ../shared/eval-data/cfpb-product-ibm-sample (700 train,
300 test, 5 product labels). For each test complaint we rank the train complaints and ask
whether the nearest one has the test complaint's product (P@1) and whether the majority of the
five nearest do (P@5 majority). The weight W of e5 in the combination is tuned leave-one-out
on the train split only, then reported on test.

    .venv/bin/python bench/recurrence_eval.py            # accuracy table + lookup timings
    .venv/bin/python bench/recurrence_eval.py --no-speed # accuracy only

Embeddings are cached in var/bench-cache/ (about 3 minutes to compute on two cores).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from amends.recurrence import similar  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "eval-data" / "cfpb-product-ibm-sample"
CACHE = ROOT / "var" / "bench-cache"
RERANK_POOL = 50  # as amends.recurrence.lookup.POOL


def narrative(item: dict[str, str]) -> str:
    text = item["input"]
    for marker in ("Narrative:", "Comment:"):
        if marker in text:
            text = text.split(marker, 1)[1]
    return text.replace("Product:", "").strip()


def load() -> tuple[list[str], list[str], list[str], list[str]]:
    train = json.loads((DATA / "cfpb_train.json").read_text())
    test = json.loads((DATA / "cfpb_test.json").read_text())
    return (
        [narrative(i) for i in train],
        [i["output"] for i in train],
        [narrative(i) for i in test],
        [i["output"] for i in test],
    )


def cached_embeddings(name: str, texts: list[str], *, query: bool) -> np.ndarray:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"cfpb-{name}-{'query' if query else 'passage'}.npy"
    if path.exists():
        vectors = np.load(path)
        if len(vectors) == len(texts):
            return vectors
    started = time.perf_counter()
    vectors = np.vstack(
        [similar.embed(texts[i : i + 16], query=query) for i in range(0, len(texts), 16)]
    )
    print(f"  embedded {len(texts)} {name} texts in {time.perf_counter() - started:.0f} s")
    np.save(path, vectors)
    return vectors


def precision(
    rankings: list[np.ndarray], truth: list[str], labels: list[str]
) -> tuple[float, float]:
    """P@1 and P@5-majority of rankings (each an array of train indices, best first)."""
    p1 = p5 = 0
    for order, label in zip(rankings, truth, strict=True):
        p1 += labels[order[0]] == label
        top = Counter(labels[i] for i in order[:5]).most_common()
        # A tie for the majority counts as a miss unless the right label is the sole leader.
        p5 += top[0][0] == label and (len(top) == 1 or top[1][1] < top[0][1])
    return p1 / len(truth), p5 / len(truth)


def top(scores: np.ndarray, k: int = 5, exclude: int | None = None) -> np.ndarray:
    if exclude is not None:
        scores = scores.copy()
        scores[exclude] = -np.inf
    order = np.argpartition(-scores, k)[:k]
    return order[np.argsort(-scores[order], kind="stable")]


def rerank(
    e5: np.ndarray, query_text: str, texts: list[str], w: float, exclude: int | None = None
) -> np.ndarray:
    """As the app: e5 shortlist of RERANK_POOL, then the combined score, idf over the pool."""
    pool = top(e5, RERANK_POOL, exclude)
    lexical = similar.char_similarities(
        lexical_text(query_text), [lexical_text(texts[i]) for i in pool]
    )
    score = similar.combine(e5[pool], lexical, w)
    return pool[np.argsort(-score, kind="stable")]


def lexical_text(text: str) -> str:
    """What the app re-ranks on: the start of the complaint text (similar.lexical_text)."""
    return similar.lexical_text("", text)


def accuracy(args: argparse.Namespace) -> dict[str, float]:
    train, train_y, test, test_y = load()
    print(f"CFPB sample: {len(train)} train, {len(test)} test complaints, 5 products")
    q_train = cached_embeddings("train", train, query=True)
    q_test = cached_embeddings("test", test, query=True)
    p_train = cached_embeddings("train", train, query=False)

    word = similar.Tfidf(similar.word_tokens).fit(train)
    char = similar.Tfidf(similar.char_ngrams).fit(train)
    word_scores = np.vstack([word.scores(t) for t in test])
    char_scores = np.vstack([char.scores(t) for t in test])
    char_train = np.vstack([char.scores(t) for t in train])  # for leave-one-out tuning
    e5_raw = q_test @ q_train.T
    e5_asym = q_test @ p_train.T
    # As the app stores them: centred on the language's mean (all CFPB texts are English).
    c_train = similar.centre(q_train, ["en"] * len(train))
    c_test = similar.centre(q_test, ["en"] * len(test))
    e5_sym = c_test @ c_train.T
    e5_train = c_train @ c_train.T

    # Tune W leave-one-out on train: each train complaint against the other 699.
    grid = [round(x, 2) for x in np.arange(0.0, 1.01, 0.1)]
    tuning = {}
    for w in grid:
        combined = similar.combine(e5_train, char_train, w)
        rankings = [top(combined[i], 5, exclude=i) for i in range(len(train))]
        tuning[w] = precision(rankings, train_y, train_y)
    best_w = max(grid, key=lambda w: (tuning[w][0] + tuning[w][1], w))
    # The re-rank costs ~50 ms a query in pure Python: tune it on 200 train complaints.
    sample = list(range(0, len(train), len(train) // 200))[:200]
    tuning_rr = {}
    for w in grid:
        rankings = [rerank(e5_train[i], train[i], train, w, exclude=i) for i in sample]
        tuning_rr[w] = precision(rankings, [train_y[i] for i in sample], train_y)
    best_rr = max(grid, key=lambda w: (tuning_rr[w][0] + tuning_rr[w][1], w))
    print("\nW tuning (leave-one-out on train), P@1 / P@5-majority:")
    print("  W    exact combination   e5 shortlist + char rerank (as the app, 200 sampled)")
    for w in grid:
        print(
            f"  {w:.1f}  {tuning[w][0]:.3f} / {tuning[w][1]:.3f}       "
            f"{tuning_rr[w][0]:.3f} / {tuning_rr[w][1]:.3f}"
        )
    print(f"  best W: exact {best_w}, as the app {best_rr} (the app uses W_E5 = {similar.W_E5})")

    methods = {
        "word TF-IDF (unigrams)": [top(s) for s in word_scores],
        "char TF-IDF (3-5, char_wb)": [top(s) for s in char_scores],
        "e5 passage (query: / passage:)": [top(s) for s in e5_asym],
        "e5 symmetric (query: / query:)": [top(s) for s in e5_raw],
        "e5 symmetric, language-centred (as stored)": [top(s) for s in e5_sym],
        f"e5 + char, exact, W={best_w}": [
            top(similar.combine(e5_sym[i], char_scores[i], best_w)) for i in range(len(test))
        ],
        f"e5 + char, as the app (W={similar.W_E5})": [
            rerank(e5_sym[i], test[i], train, similar.W_E5) for i in range(len(test))
        ],
    }
    print(f"\n| method | P@1 | P@5 majority |  (n = {len(test)} test complaints)")
    print("|---|---|---|")
    results = {}
    for name, rankings in methods.items():
        p1, p5 = precision(rankings, test_y, train_y)
        results[name] = p1
        print(f"| {name} | {p1:.3f} | {p5:.3f} |")

    # Cluster threshold: the e5 cosine above which two complaints share their product this
    # often (train pairs). The CFPB products are broad, so this is a floor, not a target.
    iu = np.triu_indices(len(train), 1)
    cos = e5_train[iu]
    same = np.array(train_y)[iu[0]] == np.array(train_y)[iu[1]]
    print("\nPairs of train complaints above a centred e5 cosine, and how many share the product:")
    for t in (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6):
        above = cos >= t
        n = int(above.sum())
        share = float(same[above].mean()) if n else float("nan")
        print(f"  >= {t:.2f}: {n:6d} pairs ({n / len(cos):.2%}), same product {share:.3f}")
    return results


def percentiles(samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {q[49]:7.2f} ms  p95 {q[94]:7.2f} ms"


def speed(args: argparse.Namespace) -> None:
    train, _, test, _ = load()
    rng = np.random.default_rng(6)
    print("\nLookup for one new complaint (single process, OMP_NUM_THREADS=1):")
    texts = [f"{s}. {d}" for s, d in zip(test[:40], test[40:80], strict=True)]
    similar.embed_one("warm up")
    embed_ms = []
    for text in texts:
        t = time.perf_counter()
        similar.embed_one(similar.complaint_text("", text))
        embed_ms.append((time.perf_counter() - t) * 1000)
    print(
        f"  embed (mean {statistics.mean(len(t) for t in texts):.0f} chars): {percentiles(embed_ms)}"
    )
    for n in args.sizes:
        vectors = rng.standard_normal((n, similar.DIMENSIONS), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        search_ms, rerank_ms = [], []
        for i in range(100):
            q = vectors[rng.integers(n)] + 0.1 * rng.standard_normal(similar.DIMENSIONS).astype(
                np.float32
            )
            q /= np.linalg.norm(q)
            t = time.perf_counter()
            scores = vectors @ q
            pool = np.argpartition(-scores, RERANK_POOL)[:RERANK_POOL]
            t2 = time.perf_counter()
            similar.char_similarities(test[i % len(test)], [train[j % len(train)] for j in pool])
            t3 = time.perf_counter()
            search_ms.append((t2 - t) * 1000)
            rerank_ms.append((t3 - t2) * 1000)
        total = [a + b for a, b in zip(search_ms, rerank_ms, strict=True)]
        print(f"  N={n:>9,}  exact e5 search: {percentiles(search_ms)}")
        print(f"  N={n:>9,}  char rerank of {RERANK_POOL}: {percentiles(rerank_ms)}")
        print(f"  N={n:>9,}  search + rerank: {percentiles(total)}  (stored vector, no embedding)")
        hnsw(vectors, rng)


def hnsw(vectors: np.ndarray, rng: np.random.Generator) -> None:
    """usearch's HNSW on random vectors (the worst case): build time, latency, recall@10.

    The app's index and its recall on realistic vectors: bench/similar_scale.py.
    """
    try:
        from usearch.index import Index
    except ImportError:
        print("  (usearch not installed: pip install usearch to measure HNSW)")
        return
    n = len(vectors)
    index = Index(ndim=vectors.shape[1], metric="cos", dtype="i8", connectivity=16)
    t = time.perf_counter()
    index.add(np.arange(n), vectors, threads=2)
    build = time.perf_counter() - t
    lat, recall = [], []
    for _ in range(200):
        q = vectors[rng.integers(n)] + 0.1 * rng.standard_normal(vectors.shape[1]).astype(
            np.float32
        )
        q /= np.linalg.norm(q)
        t = time.perf_counter()
        found = index.search(q, RERANK_POOL, threads=1)
        lat.append((time.perf_counter() - t) * 1000)
        exact = set(np.argpartition(-(vectors @ q), 10)[:10].tolist())
        recall.append(len(exact & set(found.keys[:10].tolist())) / 10)
    print(
        f"  N={n:>9,}  usearch HNSW (i8, M=16): build {build:.1f} s, {percentiles(lat)}, "
        f"recall@10 {statistics.mean(recall):.3f}, memory {index.memory_usage / 2**20:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument(
        "--lexical-chars", type=int, help="try another similar.LEXICAL_CHARS (the app row)"
    )
    parser.add_argument("--pool", type=int, help="try another re-rank pool (lookup.POOL)")
    parser.add_argument("--no-accuracy", action="store_true")
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    args = parser.parse_args()
    global RERANK_POOL
    if args.lexical_chars:
        similar.LEXICAL_CHARS = args.lexical_chars
    if args.pool:
        RERANK_POOL = args.pool
    print(f"lexical text: {similar.LEXICAL_CHARS} characters, re-rank pool {RERANK_POOL}")
    print(f"{platform.node()} {platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    if not args.no_accuracy:
        accuracy(args)
    if not args.no_speed:
        speed(args)


if __name__ == "__main__":
    main()
