"""Speed of complaint triage on one core: complaints/s and p50/p99 latency for ~150-word
complaints (en/pl/bg/fi), with the language given and detected (lingua); plus peak RSS.

    .venv/bin/python bench/triage_speed.py [--n 4000]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from amends.playbook.language import preload  # noqa: E402
from amends.playbook.triage import CategoryHint, load_triage_lexicon, triage  # noqa: E402

# An irritated complaint in each language: signals spread through ordinary sentences.
COMPLAINTS = {
    "en": "Hello, I ordered a washing machine three weeks ago and paid in advance. The courier came "
    "two days late, left the box in the rain and the drum is dented. I have been waiting for three "
    "weeks for someone to collect it. This is the third time I write and nobody answers. "
    "Your hotline keeps me on hold for forty minutes and then hangs up. THIS IS UNACCEPTABLE!!! "
    "I want a new machine delivered this week or my money back. If I do not hear from you by "
    "Friday I will write a review on Trustpilot and report you to trading standards. ",
    "pl": "Dzień dobry, trzy tygodnie temu zamówiłem pralkę i zapłaciłem z góry. Kurier przyjechał "
    "dwa dni później, zostawił karton na deszczu, a bęben jest wgnieciony. Od trzech tygodni czekam, "
    "aż ktoś ją odbierze. Po raz trzeci piszę i nikt nie odpowiada. Na infolinii czekam czterdzieści "
    "minut, a potem połączenie się rozłącza. TO JEST SKANDAL!!! Chcę nowej pralki w tym tygodniu "
    "albo zwrotu pieniędzy. Jeśli nie dostanę odpowiedzi do piątku, wystawię opinię na Ceneo "
    "i zgłoszę sprawę do UOKiK. ",
    "bg": "Здравейте, преди три седмици поръчах пералня и платих предварително. Куриерът дойде с два "
    "дни закъснение, остави кашона на дъжда и барабанът е смачкан. От три седмици чакам някой да я "
    "вземе. За трети път пиша и никой не отговаря. На горещата линия чакам четиридесет минути и "
    "после връзката прекъсва. ТОВА Е БЕЗОБРАЗИЕ!!! Искам нова пералня тази седмица или парите си "
    "обратно. Ако не получа отговор до петък, ще пиша във Фейсбук и ще подам жалба в КЗП. ",
    "fi": "Hei, tilasin pesukoneen kolme viikkoa sitten ja maksoin etukäteen. Kuriiri tuli kaksi "
    "päivää myöhässä, jätti laatikon sateeseen ja rumpu on lommolla. Olen odottanut kolme viikkoa, "
    "että joku hakisi sen. Kirjoitan jo kolmatta kertaa eikä kukaan vastaa. Asiakaspalvelussa "
    "jonotan neljäkymmentä minuuttia ja sitten puhelu katkeaa. TÄMÄ ON TÖRKEÄÄ!!! Haluan uuden "
    "koneen tällä viikolla tai rahani takaisin. Jos en saa vastausta perjantaihin mennessä, "
    "kirjoitan arvostelun ja vien asian kuluttajariitalautakuntaan. ",
}

# Calm detail customers add (order history, what they tried), to reach about 150 words.
DETAIL = {
    "en": "The order number is on the invoice I attached, together with photos of the drum and the "
    "box. I also tried the phone line on Monday and Wednesday, and the chat on your website "
    "closed my conversation without an answer. My neighbour bought the same model and had no "
    "problem, so I know it can be done properly. ",
    "pl": "Numer zamówienia jest na fakturze w załączniku, razem ze zdjęciami bębna i kartonu. "
    "Próbowałem też dzwonić w poniedziałek i w środę, a czat na stronie zamknął rozmowę bez "
    "odpowiedzi. Sąsiad kupił ten sam model i nie miał żadnego problemu, więc wiem, że da się to "
    "zrobić porządnie. Proszę o konkretną datę odbioru i dostawy. ",
    "bg": "Номерът на поръчката е във фактурата, която прикачих, заедно със снимки на барабана и "
    "кашона. Опитах и по телефона в понеделник и в сряда, а чатът на сайта затвори разговора без "
    "отговор. Съседът ми купи същия модел и нямаше проблем, така че знам, че може да се направи "
    "както трябва. Моля за конкретна дата за вземане и доставка. ",
    "fi": "Tilausnumero on liitteenä olevassa laskussa, samoin kuvat rummusta ja laatikosta. "
    "Yritin soittaa myös maanantaina ja keskiviikkona, ja verkkosivun chat sulki keskustelun "
    "ilman vastausta. Naapurini osti saman mallin eikä hänellä ollut ongelmia, joten tiedän, "
    "että sen voi hoitaa kunnolla. Pyydän tarkkaa päivämäärää noudolle ja toimitukselle. "
    "Toivon, että asia korjataan pian ja että saan vihdoin toimivan koneen kotiini. ",
}

CATEGORIES = [
    CategoryHint("Delivery", ("deliver*", "courier", "dostaw*", "kurier*", "доставк*", "куриер*", "toimitu*", "kuriiri*")),
    CategoryHint("Defective product", ("broken", "dented", "wgniecion*", "смачкан*", "lommo*")),
    CategoryHint("Billing", ("invoice*", "refund*", "faktur*", "zwrot*", "фактур*", "lasku*", "hyvit*")),
]  # fmt: skip


def measure(texts: list[str], langs: list[str | None], n: int) -> tuple[float, float, float]:
    for text, lang in zip(texts, langs, strict=True):  # warm-up: lexicons, regex caches
        triage(text, lang=lang, categories=CATEGORIES)
    timings = []
    start = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        triage(
            texts[i % len(texts)],
            lang=langs[i % len(langs)],
            categories=CATEGORIES,
            channel="email",
            previous_contacts=2,
        )
        timings.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    timings.sort()
    return (
        n / total,
        statistics.median(timings) * 1000,
        timings[int(len(timings) * 0.99) - 1] * 1000,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=4000)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    langs = ["en", "pl", "bg", "fi"]
    texts = [COMPLAINTS[lang] + DETAIL[lang] for lang in langs]
    words = [len(t.split()) for t in texts]
    t0 = time.perf_counter()
    for lang in langs:
        load_triage_lexicon(lang)
    lexicon_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    preload()
    load_s = time.perf_counter() - t0
    print(
        f"Triage speed: {args.n} complaints of {min(words)}-{max(words)} words (en/pl/bg/fi), one core"
    )
    print(f"  triage lexicons compiled in {lexicon_s:.2f} s, language models in {load_s:.1f} s")
    print(f"  {'run':32} {'complaints/s':>12} {'p50 ms':>8} {'p99 ms':>8}")
    for label, run_langs in (
        ("language given", list(langs)),
        ("language detected (lingua)", [None] * 4),
    ):
        rate, p50, p99 = measure(texts, run_langs, args.n)
        print(f"  {label:32} {rate:12.0f} {p50:8.3f} {p99:8.3f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS {peak:.0f} MB (lingua restricted to 13 languages + triage lexicons)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
