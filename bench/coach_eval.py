"""Precision, recall and F1 of the reply coach per element, flag and language, plus next-step
date accuracy and language-detection accuracy, on the hand-written replies of tests/data/coach_eval.

Splits (see tests/data/coach_eval/README.md):
- ``dev`` (tuning): {en,pl,bg,fi}.jsonl, every line, and dev_extra/{en,pl,bg,fi}.jsonl;
- ``test`` (held out, never read while tuning): holdout/{en,pl,bg,fi}.jsonl;
- ``all``: both.
The even-numbered lines of {lang}.jsonl were the held-out split until 2026-11-23; measured
twice, they became tuning data and the larger holdout/ took their place.

    .venv/bin/python bench/coach_eval.py [--lang pl] [--split dev|test|all] [--errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from amends.playbook import Context, Fault, check_reply  # noqa: E402
from amends.playbook.language import detect_language  # noqa: E402
from amends.playbook.lexicon import ELEMENTS, FLAGS  # noqa: E402

DATA = ROOT / "tests" / "data" / "coach_eval"
DEV_EXTRA = DATA / "dev_extra"
HOLDOUT = DATA / "holdout"
LANGS = ("en", "pl", "bg", "fi")
GOAL = 0.90


def _date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def context_of(case: dict[str, object]) -> Context:
    raw = case.get("context") or {}
    assert isinstance(raw, dict)
    fault = raw.get("fault")
    return Context(
        owner=raw.get("owner"),
        customer=raw.get("customer"),
        commitment_due=_date(raw.get("commitment_due")),
        statutory_due=_date(raw.get("statutory_due")),
        fault=Fault(fault) if fault else None,
        channel=raw.get("channel"),
        today=_date(case.get("today")),
    )


def f1(tp: int, fp: int, fn: int) -> tuple[float | None, float | None, float | None]:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    if p is None and r is None:
        return None, None, None  # nothing to find and nothing found: no score
    p = 1.0 if p is None else p
    r = 1.0 if r is None else r
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def split_files(lang: str, split: str) -> list[Path]:
    """The files of one language in a split."""
    dev = [DATA / f"{lang}.jsonl", DEV_EXTRA / f"{lang}.jsonl"]
    test = [HOLDOUT / f"{lang}.jsonl"]
    return {"dev": dev, "test": test, "all": dev + test}[split]


def cases_of(lang: str, split: str) -> list[tuple[dict[str, Any], bool]]:
    """The replies of one language in a split, each with whether it comes from dev_extra."""
    out: list[tuple[dict[str, Any], bool]] = []
    for path in split_files(lang, split):
        if not path.exists():
            print(f"missing {path}", file=sys.stderr)
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        out.extend((json.loads(line), path.parent == DEV_EXTRA) for line in lines if line.strip())
    return out


def fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:5.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=LANGS, action="append")
    parser.add_argument("--errors", action="store_true", help="print every disagreement")
    parser.add_argument(
        "--split",
        choices=("all", "dev", "test"),
        default="all",
        help="dev: {lang}.jsonl and dev_extra/, used while tuning lexicons; test: holdout/, held out",
    )
    args = parser.parse_args(argv)
    langs = tuple(args.lang or LANGS)

    counts: Counter[tuple[str, str, str]] = Counter()  # (lang, kind, tp|fp|fn)
    dates: Counter[tuple[str, str]] = Counter()
    detected: Counter[tuple[str, str]] = Counter()
    sizes: Counter[str] = Counter()
    extra: Counter[str] = Counter()
    for lang in langs:
        for case, is_extra in cases_of(lang, args.split):
            sizes[lang] += 1
            extra[lang] += is_extra
            review = check_reply(case["text"], case["lang"], context_of(case))
            gold = {k for k, v in case["elements"].items() if v} | set(case.get("flags", []))
            found = {k for k, e in review.elements.items() if e.present} | review.flag_kinds()
            for kind in ELEMENTS + FLAGS:
                outcome = (
                    ("tp" if kind in found else "fn")
                    if kind in gold
                    else ("fp" if kind in found else None)
                )
                if outcome:
                    counts[(lang, kind, outcome)] += 1
                    counts[("all", kind, outcome)] += 1
                if args.errors and outcome in ("fp", "fn"):
                    ev = (
                        review.elements[kind].evidence
                        if kind in ELEMENTS
                        else [f for f in review.flags if f.kind == kind]
                    )
                    shown = "; ".join(e.text for e in ev)
                    print(f"{case['id']} {outcome} {kind}: {shown!r} | {case['text'][:300]!r}")
            gold_date = case.get("next_step_date")
            if gold_date:
                ok = (
                    review.next_step_date is not None
                    and review.next_step_date.isoformat() == gold_date
                )
                dates[(lang, "ok" if ok else "bad")] += 1
                if args.errors and not ok:
                    print(
                        f"{case['id']} date: got {review.next_step_date} want {gold_date} | {case['text'][:200]!r}"
                    )
            detected[(lang, "ok" if detect_language(case["text"]).served == lang else "bad")] += 1

    columns = (*langs, "all")
    print(
        f"Reply coach evaluation: {sum(sizes.values())} replies ({', '.join(f'{k} {v}' for k, v in sizes.items())})"
    )
    if args.split == "dev":
        print(
            f"  of which dev_extra: {sum(extra.values())} ({', '.join(f'{k} {extra[k]}' for k in sizes)})"
        )
    print()
    header = f"{'kind':16}" + "".join(f"| {c:^23}" for c in columns)
    print(header)
    print(f"{'':16}" + "| P     R     F1    n   " * len(columns))
    print("-" * len(header))
    below: list[str] = []
    for kind in ELEMENTS + FLAGS:
        row = f"{kind:16}"
        for col in columns:
            tp, fp, fn = (counts[(col, kind, o)] for o in ("tp", "fp", "fn"))
            p, r, f = f1(tp, fp, fn)
            row += f"| {fmt(p)} {fmt(r)} {fmt(f)} {tp + fn:3d} "
            if f is not None and f < GOAL and col != "all":
                below.append(f"{kind}/{col}={f:.2f}")
        print(row)
    print("-" * len(header))
    row = f"{'next_step date':16}"
    for col in columns:
        ok = sum(dates[(c, "ok")] for c in (langs if col == "all" else (col,)))
        total = ok + sum(dates[(c, "bad")] for c in (langs if col == "all" else (col,)))
        row += f"| {ok / total if total else 0:5.2f} ({ok}/{total}){'':{max(0, 13 - len(f'({ok}/{total})'))}}"
    print(row + "   (exact date, where the gold has one)")
    row = f"{'language id':16}"
    for col in columns:
        ok = sum(detected[(c, "ok")] for c in (langs if col == "all" else (col,)))
        total = ok + sum(detected[(c, "bad")] for c in (langs if col == "all" else (col,)))
        row += f"| {ok / total if total else 0:5.2f} ({ok}/{total}){'':{max(0, 13 - len(f'({ok}/{total})'))}}"
    print(row)
    print()
    print(f"Below the F1 goal of {GOAL:.2f}: {', '.join(below) if below else 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
