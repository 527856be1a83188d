"""Past AMENDS_SIMILAR_INDEX_MIN stored vectors the shortlist comes from the HNSW index on disk:
the same neighbours as the exact search, new complaints found without a rebuild, and a
restarted process reading the saved index."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from amends.cases.models import Event
from amends.recurrence import lookup
from amends.recurrence.lookup import similar_cases
from amends.recurrence.models import CaseEmbedding
from tests.recurrence.conftest import BILLING, WASHER

OTHERS = [
    ("Parcel never arrived", "The courier marked my parcel as delivered but nothing came."),
    ("Paczka nie dotarła", "Kurier oznaczył paczkę jako doręczoną, ale nic nie przyszło."),
    ("Wrong size shoes", "I ordered size 42 running shoes and received size 38."),
    ("Rude staff", "The shop assistant was rude to me when I asked for help."),
    ("Internet outage", "My home internet has been down for three days without notice."),
    ("Brak internetu", "Od trzech dni nie mam internetu w domu, nikt nie uprzedził."),
    ("Late refund", "I returned the jacket a month ago and still have no refund."),
    ("Broken phone screen", "The new phone arrived with a cracked screen."),
    ("Flight delayed", "My flight was delayed by nine hours and nobody offered food."),
    ("Hotel room dirty", "The hotel room was dirty and the sheets were not changed."),
    ("Gym membership", "You keep charging my gym membership after I cancelled it."),
    ("Kettle stopped working", "The electric kettle stopped heating after two weeks."),
    ("Insurance claim", "My car insurance claim has been pending for two months."),
    ("Missing item", "The order came without the charger that was listed."),
    ("Lodówka nie chłodzi", "Nowa lodówka przestała chłodzić po tygodniu."),
    ("Password reset", "I cannot reset my account password, the e-mail never arrives."),
]
FRIDGE = ("Fridge not cooling", "The new fridge stopped cooling after a week.")
DISHWASHER = ("Noisy dishwasher", "The dishwasher makes a loud grinding noise during every wash.")


@pytest.fixture
def many(complaint, customer_pl, customer_en):
    """21 embedded cases: the washing machine in four languages, billing, and 16 others."""
    cases = [complaint(customer_pl, WASHER[lang], language=lang) for lang in WASHER]
    cases.append(complaint(customer_en, BILLING, language="en"))
    cases += [complaint(customer_en, text, language="en") for text in OTHERS]
    return cases


@pytest.fixture
def tiny_threshold(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.AMENDS_SIMILAR_INDEX_MIN = 20


def rebuild() -> str:
    out = StringIO()
    call_command("embed_cases", "--rebuild-index", stdout=out)
    return out.getvalue()


def erase(case) -> None:
    """Remove a case outright, as an administrator could in the database: no service deletes
    cases, and events are append-only (on PostgreSQL a trigger says so; replica mode skips it)."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET LOCAL session_replication_role = replica")
        Event.objects.filter(case=case)._raw_delete(using="default")
        case.delete()
        if postgres:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def found(case, user) -> list[tuple[int, float]]:
    return [(s.case.pk, round(s.score, 4)) for s in similar_cases(case, user=user, k=5)]


def test_the_index_gives_the_neighbours_of_the_exact_search(
    many, marta, ania, settings, tmp_path
) -> None:
    exact = {case.pk: (found(case, marta), found(case, ania)) for case in many}
    assert not lookup.uses_index()

    settings.DATA_DIR = tmp_path
    settings.AMENDS_SIMILAR_INDEX_MIN = 20
    assert "21 vectors" in rebuild()
    assert lookup.uses_index()
    assert {case.pk: (found(case, marta), found(case, ania)) for case in many} == exact


def test_past_the_threshold_with_no_index_built_the_search_stays_exact_and_says_so(
    many, marta, tiny_threshold, caplog
) -> None:
    assert len(similar_cases(many[0], user=marta, k=3)) == 3
    assert not lookup.uses_index()
    assert "amends embed-cases --rebuild-index" in caplog.text


def test_a_new_complaint_is_found_without_a_rebuild(
    many, complaint, customer_en, marta, tiny_threshold
) -> None:
    rebuild()
    files = sorted(lookup.index_dir().iterdir())
    fridge_pl = many[-2]
    assert lookup.uses_index()

    fridge_en = complaint(customer_en, FRIDGE, language="en")

    assert fridge_pl.subject == "Lodówka nie chłodzi"
    assert fridge_en in [s.case for s in similar_cases(fridge_pl, user=marta)]
    assert fridge_en.pk in lookup._current().hnsw
    assert sorted(lookup.index_dir().iterdir()) == files, "not rebuilt"


def test_a_restarted_process_reads_the_saved_index_and_catches_up(
    many, complaint, customer_en, marta, tiny_threshold
) -> None:
    rebuild()
    lookup.clear_index()  # as a new process
    dishwasher = complaint(customer_en, DISHWASHER, language="en")  # stored after the file

    store = lookup._current()

    assert store.hnsw is not None
    assert len(store.hnsw) == len(many) + 1
    assert dishwasher.pk in {int(k) for k in store.hnsw.keys}
    assert lookup.saved_index() is not None


def test_a_deleted_case_never_appears(many, marta, tiny_threshold, time_machine) -> None:
    rebuild()
    washer_pl, washer_en = many[0], many[1]
    assert washer_en in [s.case for s in similar_cases(washer_pl, user=marta)]
    gone = washer_en.pk

    erase(washer_en)

    assert gone not in [s.case.pk for s in similar_cases(washer_pl, user=marta)]
    assert not CaseEmbedding.objects.filter(case_id=gone).exists()
    time_machine.move_to(timezone.now() + timedelta(seconds=lookup.RECONCILE_SECONDS + 1))
    similar_cases(washer_pl, user=marta)
    assert gone not in {int(k) for k in lookup._current().hnsw.keys}
