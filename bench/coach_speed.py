"""Speed of the reply coach on one core: replies/s and p50/p99 latency for ~200-word replies,
after the lexicons (and, for the detection run, lingua's models) are loaded; plus peak RSS.
Wall-clock and CPU-time figures side by side: on a shared machine trust the CPU columns.

    .venv/bin/python bench/coach_speed.py [--n 2000]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from amends.playbook import Context, check_reply  # noqa: E402
from amends.playbook.language import preload  # noqa: E402
from amends.playbook.templates import CaseFacts, fill_template  # noqa: E402

# Filler an agent adds around the skeleton: facts of the case, steps taken, a closing line.
FILLER = {
    "en": "I checked the order history, the delivery notes and the photos you sent, and I spoke with the team that packed the parcel. "
    "The sofa left our warehouse on Tuesday and the damage is visible on the left armrest. We will collect it at no cost to you and bring a new one. "
    "If any other part of the order is missing, write to me and I will add it to the same delivery. ",
    "pl": "Sprawdziłam historię zamówienia, dokumenty dostawy i przesłane zdjęcia oraz rozmawiałam z zespołem, który pakował przesyłkę. "
    "Sofa opuściła nasz magazyn we wtorek, a uszkodzenie widać na lewym podłokietniku. Odbierzemy ją bezpłatnie i dostarczymy nową. "
    "Jeśli brakuje innej części zamówienia, proszę do mnie napisać, a dodam ją do tej samej dostawy. ",
    "bg": "Проверих историята на поръчката, документите за доставка и снимките, които изпратихте, и говорих с екипа, който опакова пратката. "
    "Диванът напусна склада ни във вторник, а повредата се вижда на лявата облегалка. Ще го вземем безплатно и ще доставим нов. "
    "Ако липсва друга част от поръчката, пишете ми и ще я добавя към същата доставка. ",
    "fi": "Tarkistin tilaushistorian, toimitusasiakirjat ja lähettämänne kuvat sekä keskustelin pakkauksen tehneen tiimin kanssa. "
    "Sohva lähti varastostamme tiistaina, ja vaurio näkyy vasemmassa käsinojassa. Noudamme sen maksutta ja tuomme uuden tilalle. "
    "Jos tilauksesta puuttuu jotain muuta, kirjoittakaa minulle, niin lisään sen samaan toimitukseen. ",
}


def reply_of(lang: str, words: int = 200) -> str:
    facts = CaseFacts("Maria", "Anna", "AM-2026-0042", date(2026, 11, 27))
    text = fill_template("acknowledgement", lang, facts).body
    while len(text.split()) < words:
        text = (
            text.replace("\n\n", "\n\n" + FILLER[lang], 1)
            if len(text.split()) + len(FILLER[lang].split()) <= words + 20
            else text + " " + FILLER[lang].split(". ")[0] + "."
        )
    return text


def measure(texts: list[str], langs: list[str | None], n: int) -> dict[str, float]:
    """Replies/s and p50/p99 latency, by the wall clock and by this process's CPU time (other
    work on the machine inflates the first, hardly the second)."""
    ctx = Context(today=date(2026, 11, 23), owner="Anna")
    for text, lang in zip(texts, langs, strict=True):  # warm-up: lexicons, regex caches
        check_reply(text, lang, ctx)
    wall: list[float] = []
    cpu: list[float] = []
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    for i in range(n):
        w0, c0 = time.perf_counter(), time.process_time()
        check_reply(texts[i % len(texts)], langs[i % len(langs)], ctx)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    wall_total = time.perf_counter() - wall_start
    cpu_total = time.process_time() - cpu_start
    wall.sort()
    cpu.sort()
    p99 = int(n * 0.99) - 1
    return {
        "rate": n / wall_total,
        "cpu_rate": n / cpu_total,
        "p50": statistics.median(wall) * 1000,
        "p99": wall[p99] * 1000,
        "cpu_p50": statistics.median(cpu) * 1000,
        "cpu_p99": cpu[p99] * 1000,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4000)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    langs = ["en", "pl", "bg", "fi"]
    texts = [reply_of(lang) for lang in langs]
    words = [len(t.split()) for t in texts]
    t0 = time.perf_counter()
    preload()
    load_s = time.perf_counter() - t0
    print(
        f"Reply coach speed: {args.n} checks of {min(words)}-{max(words)}-word replies (en/pl/bg/fi), one core"
    )
    print(f"  language models loaded in {load_s:.1f} s")
    print(f"  {'':32} {'wall clock':^28} {'CPU time':^28}")
    print(f"  {'run':32}" + f" {'replies/s':>10} {'p50 ms':>8} {'p99 ms':>8}" * 2)
    for label, run_langs in (
        ("language given", list(langs)),
        ("language detected (lingua)", [None] * 4),
    ):
        r = measure(texts, run_langs, args.n)
        print(
            f"  {label:32} {r['rate']:10.0f} {r['p50']:8.3f} {r['p99']:8.3f}"
            f" {r['cpu_rate']:10.0f} {r['cpu_p50']:8.3f} {r['cpu_p99']:8.3f}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS {peak:.0f} MB (lingua restricted to 13 languages + four lexicons)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
