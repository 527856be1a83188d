"""Where Amends' intake time goes: each stage of receive() timed (wall, inclusive) and its SQL
statements counted, in-process, on a copy of the benchmark's template database.

    .venv/bin/python bench/intake/breakdown.py [--n 2000]    (after bench/intake_speed.py)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
BENCH = Path(os.environ.get("BENCH") or ROOT / "var" / "bench").resolve()

totals: dict[str, float] = defaultdict(float)
calls: dict[str, int] = defaultdict(int)
queries: dict[str, int] = defaultdict(int)
stack: list[str] = []

STAGES = [
    ("amends.intake.mail.parse", "parse_email", "parse the .eml"),
    ("amends.intake.services", "_already_received", "receive: already received?"),
    ("amends.intake.services", "_language_of", "receive: detect language (lingua)"),
    ("amends.intake.services", "_thread", "receive: thread by Message-ID/reference"),
    ("amends.intake.services", "_customer", "receive: find or make customer"),
    (
        "amends.intake.services",
        "_open_case_about_same_thing",
        "receive: open case about same thing?",
    ),
    ("amends.intake.services", "_closed_case_about_same_thing", "receive: closed case repeated?"),
    ("amends.intake.services", "_open", "receive: open the case"),
    ("amends.cases.services", "pick_owner", "  open_case: pick owner"),
    ("amends.cases.services", "statutory_for", "  open_case: statutory deadline"),
    ("amends.intake.services", "_store_message", "receive: store the message"),
    ("amends.intake.services", "store_message", "receive: store the message"),
    ("amends.intake.services", "record_event", "receive: timeline events (intake)"),
    ("amends.intake.signals", "refresh", "receive: triage and store signals"),
    ("amends.intake.signals", "triage", "  refresh: playbook.triage()"),
    ("amends.intake.services", "_register", "receive: BG register entry"),
    ("amends.intake.acknowledgement", "queue", "receive: acknowledgement"),
    ("amends.intake.acknowledgement", "fill_template", "  ack: fill template"),
    ("amends.intake.acknowledgement", "check_reply", "  ack: coach check"),
    ("amends.intake.outbound", "compose", "  ack: compose + queue"),
    ("amends.intake.services", "receive", "receive() in all (incl. commit)"),
]


def timed(label: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        stack.append(label)
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            totals[label] += time.perf_counter() - start
            calls[label] += 1
            stack.pop()

    return wrapper


def count_query(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
) -> Any:
    for label in stack:
        queries[label] += 1
    queries["(all)"] += 1
    return execute(sql, params, many, context)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    data = BENCH / "amends-breakdown"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(BENCH / "amends-template", data)
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(AMENDS_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="amends.settings")
    import django

    django.setup()
    import importlib

    from django.db import connection

    from amends.intake.management.importing import eml_items, eml_paths

    for module_name, name, label in STAGES:
        module = importlib.import_module(module_name)
        if hasattr(module, name):  # the modules change; time what is there
            setattr(module, name, timed(label, getattr(module, name)))
    services = importlib.import_module("amends.intake.services")
    mail = BENCH / f"corpus-n2000-s{args.seed}" / "mail"
    t0 = time.perf_counter()
    items = eml_items(eml_paths(mail))[: args.n]
    listing = time.perf_counter() - t0
    from amends.playbook.language import detect_language

    t0 = time.perf_counter()
    detect_language("Dzień dobry, to jest rozgrzewka modeli językowych.")
    warm = time.perf_counter() - t0
    start = time.perf_counter()
    with connection.execute_wrapper(count_query):
        for item in items:
            services.receive(item.build())
    total = time.perf_counter() - start
    n = len(items)
    print(f"{n} mails; listing + hashing + Date sort {listing:.2f} s; lingua load {warm:.2f} s")
    print(
        f"receive loop {total:.2f} s = {n / total:.1f} mails/s; SQL statements {queries['(all)']} "
        f"({queries['(all)'] / n:.1f} per mail)"
    )
    print(
        f"{'stage (inclusive)':<42} {'calls':>6} {'total s':>8} {'ms/mail':>8} {'share':>6} {'SQL/mail':>9}"
    )
    for label in dict.fromkeys(label for _m, _n, label in STAGES):
        print(
            f"{label:<42} {calls[label]:>6} {totals[label]:>8.2f} {1000 * totals[label] / n:>8.2f} "
            f"{100 * totals[label] / total:>5.1f}% {queries[label] / n:>9.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
