"""Where Amends' intake time goes: each stage of receive() timed (inclusive; CPU time of this
process, and wall) and its SQL statements counted, in-process, on a copy of the benchmark's
template database. CPU time is the number to compare between runs when other work shares the
cores; wall time includes waiting for the disk and for the CPU.

    .venv/bin/python bench/intake/breakdown.py [--n 2000]    (after bench/intake_speed.py)
    .venv/bin/python bench/intake/breakdown.py --profile FILE  (cProfile of the receive loop,
        without the stage timers; read it with `python -m pstats FILE`)
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
cpu: dict[str, float] = defaultdict(float)
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
        start, start_cpu = time.perf_counter(), time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            totals[label] += time.perf_counter() - start
            cpu[label] += time.process_time() - start_cpu
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
    parser.add_argument("--profile", metavar="FILE", help="cProfile the receive loop into FILE.")
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

    for module_name, name, label in STAGES if not args.profile else []:
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
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start, start_cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count_query):
        for item in items:
            services.receive(item.build())
    total = time.perf_counter() - start
    total_cpu = time.process_time() - start_cpu
    if args.profile:
        profiler.disable()
        profiler.dump_stats(args.profile)
        print(f"{len(items)} mails in {total:.2f} s under cProfile; stats in {args.profile}")
        return 0
    n = len(items)
    print(f"{n} mails; listing + hashing + Date sort {listing:.2f} s; lingua load {warm:.2f} s")
    print(
        f"receive loop {total:.2f} s wall = {n / total:.1f} mails/s; CPU {total_cpu:.2f} s = "
        f"{1000 * total_cpu / n:.2f} ms a mail; SQL statements {queries['(all)']} "
        f"({queries['(all)'] / n:.1f} per mail)"
    )
    print(
        f"{'stage (inclusive)':<42} {'calls':>6} {'CPU s':>7} {'CPU ms/mail':>12} {'share':>6} "
        f"{'wall ms/mail':>13} {'SQL/mail':>9}"
    )
    for label in dict.fromkeys(label for _m, _n, label in STAGES):
        print(
            f"{label:<42} {calls[label]:>6} {cpu[label]:>7.2f} {1000 * cpu[label] / n:>12.2f} "
            f"{100 * cpu[label] / total_cpu:>5.1f}% {1000 * totals[label] / n:>13.2f} "
            f"{queries[label] / n:>9.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
