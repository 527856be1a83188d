"""The Bulgarian complaint register (ЗЗП art. 127): numbers at intake, the KZP export."""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable
from datetime import datetime
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from amends.__main__ import main
from amends.accounts.models import User
from amends.intake import register
from amends.intake.complaint import Complaint, IncomingAttachment
from amends.intake.models import RegisterEntry
from amends.intake.services import receive

SOFIA = ZoneInfo("Europe/Sofia")
BG_TEXT = "Здравейте, купих хладилник преди месец и той спря да работи. Моля за ремонт."
HEADINGS = [
    "№ по ред",
    "Дата и час на предявяване",
    "Име и адрес за контакт на потребителя",
    "Описание на рекламацията",
    "Приложени документи",
    "Претенция на потребителя",
    "Стока или услуга",
    "Име на лицето, приело рекламацията",
    "Подпис на потребителя",
]


@pytest.fixture
def complaint() -> Callable[..., Complaint]:
    def make(n: int = 1, **kwargs: Any) -> Complaint:
        values: dict[str, Any] = {
            "channel": "email",
            "text": f"{BG_TEXT} Поръчка {n}.",
            "sender_name": f"Иван Петров {n}",
            "sender_email": f"ivan{n}@example.bg",
            "language": "bg",
            "order_reference": f"BG-{n}",
        }
        values.update(kwargs)
        return Complaint(**values)

    return make


def numbers() -> list[int]:
    return list(RegisterEntry.objects.order_by("number").values_list("number", flat=True))


def test_bulgarian_consumer_complaints_get_the_next_numbers(
    boryana: User, complaint: Callable[..., Complaint]
) -> None:
    cases = [receive(complaint(n)).case for n in (1, 2, 3)]

    assert [c.register_entry.number for c in cases] == [1, 2, 3]


def test_other_countries_and_businesses_get_no_number(
    boryana: User, ania: User, complaint: Callable[..., Complaint]
) -> None:
    receive(complaint(1))
    receive(complaint(2, customer_kind="business"))
    receive(complaint(3, jurisdiction="PL"))
    receive(
        complaint(
            4,
            language="pl",
            text="Pralka przecieka od tygodnia, proszę o naprawę.",
            sender_email="jan@example.pl",
        )
    )
    receive(complaint(5))

    assert numbers() == [1, 2]


def test_a_follow_up_gets_no_second_number(
    boryana: User, complaint: Callable[..., Complaint]
) -> None:
    first = receive(complaint(1, message_id="one@example.bg"))
    receive(
        complaint(
            1, text="Има ли новини?", message_id="two@example.bg", in_reply_to="one@example.bg"
        )
    )

    assert numbers() == [1]
    assert first.case.register_entry.number == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_get_consecutive_numbers(complaint: Callable[..., Complaint]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's in-memory test database has one writer")
    per_thread = 8
    failures: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for n in range(offset, offset + per_thread):
                receive(complaint(n))
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(k * 100,)) for k in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert numbers() == list(range(1, 2 * per_thread + 1))


@pytest.fixture
def entries(boryana: User, complaint: Callable[..., Complaint]) -> list[RegisterEntry]:
    first = receive(
        complaint(
            1,
            requested_remedy="Замяна",
            received_at=datetime(2025, 12, 31, 23, 30, tzinfo=SOFIA),
            attachments=(
                IncomingAttachment("касова бележка.pdf", "application/pdf", b"%PDF-1.4"),
                IncomingAttachment("снимка.jpg", "image/jpeg", b"\xff\xd8\xff\xe0"),
            ),
        )
    )
    second = receive(
        complaint(
            2,
            subject_kind="service",
            received_at=datetime(2026, 1, 1, 0, 15, tzinfo=SOFIA),
        )
    )
    return [first.case.register_entry, second.case.register_entry]


def read(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(StringIO(text[1:])))


def test_the_export_has_the_kzp_columns_in_bulgarian(entries: list[RegisterEntry]) -> None:
    out = StringIO(newline="")

    written = register.write_csv(out, register.entries())

    rows = read(out.getvalue())
    assert written == 2
    assert rows[0] == HEADINGS
    assert rows[1] == [
        "1",
        "31.12.2025 23:30",
        "Иван Петров 1, ivan1@example.bg",
        f"{BG_TEXT} Поръчка 1.",
        "касова бележка.pdf; снимка.jpg",
        "Замяна",
        "стока",
        "Boryana Petrova",
        "",
    ]
    assert rows[2][0] == "2"
    assert rows[2][1] == "01.01.2026 00:15"
    assert rows[2][6] == "услуга"


def test_a_year_is_a_calendar_year_in_sofia(entries: list[RegisterEntry]) -> None:
    assert [e.number for e in register.entries(2025)] == [1]
    assert [e.number for e in register.entries(2026)] == [2]


def test_managers_download_the_register(marta: User, entries: list[RegisterEntry]) -> None:
    client = Client()
    client.force_login(marta)

    response = client.get(reverse("intake:export-register"), {"year": "2026"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="register-reklamacii-2026.csv"' in response["Content-Disposition"]
    rows = read(response.content.decode("utf-8"))
    assert rows[0] == HEADINGS
    assert [row[0] for row in rows[1:]] == ["2"]


def test_agents_may_not_download_the_register(boryana: User) -> None:
    client = Client()
    client.force_login(boryana)

    assert client.get(reverse("intake:export-register")).status_code == 403


def test_the_register_needs_a_login(db: None) -> None:
    response = Client().get(reverse("intake:export-register"))

    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_the_register_is_only_read(marta: User) -> None:
    client = Client()
    client.force_login(marta)

    assert client.post(reverse("intake:export-register")).status_code == 405


def test_a_bad_year_is_refused(marta: User) -> None:
    client = Client()
    client.force_login(marta)

    response = client.get(reverse("intake:export-register"), {"year": "20x6"})

    assert response.status_code == 400


def test_the_command_writes_the_register_to_a_file(
    entries: list[RegisterEntry], tmp_path: Path
) -> None:
    target = tmp_path / "register.csv"

    call_command("register_export", "--year", "2025", "--output", str(target), stderr=StringIO())

    rows = read(target.read_text(encoding="utf-8"))
    assert [row[0] for row in rows] == [HEADINGS[0], "1"]


def test_the_command_writes_to_standard_output(entries: list[RegisterEntry]) -> None:
    out = StringIO()

    call_command("register_export", stdout=out)

    assert [row[0] for row in read(out.getvalue())[1:]] == ["1", "2"]


def test_amends_register_export_is_the_command_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", calls.append)

    assert main(["register-export", "--year", "2026"]) == 0

    assert calls == [["amends", "register_export", "--year", "2026"]]


def test_the_command_refuses_a_bad_year(db: None) -> None:
    with pytest.raises(CommandError, match="Give a year"):
        call_command("register_export", "--year", "1066", stdout=StringIO())
