"""`amends import`: CSV rows and .eml files become cases once, bad items are refused alone."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amends.__main__ import main
from amends.accounts.models import Role, User
from amends.cases.models import Case, Channel
from amends.intake.models import Direction, Message

HEADER = "name,email,phone,order_reference,text,subject,requested_remedy,language,country,customer_kind,received_at,channel"
ROWS = [
    'Jan Kowalski,jan@example.pl,,ZAM-1001,"Pralka przecieka od tygodnia, woda na podłodze.",Pralka przecieka,Naprawa,pl,PL,consumer,2026-11-02T09:30:00+01:00,',
    'Иван Петров,ivan@example.bg,+359888123456,,"Хладилникът спря да работи след месец.",,Замяна,bg,BG,consumer,2026-11-03T10:00:00+02:00,email',
    'Aino Virtanen,aino@example.fi,,,"Astianpesukone vuotaa vettä lattialle.",Vuoto,,fi,FI,,2026-11-04T08:15:00Z,',
]


@pytest.fixture
def agents(ania: User, boryana: User) -> None:
    User.objects.create_user(
        "aino", password="x", first_name="Aino", role=Role.AGENT, languages=["fi", "en"]
    )


def write(
    tmp_path: Path, lines: list[str], name: str = "complaints.csv", encoding: str = "utf-8"
) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_complaints", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> str:
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_complaints", *args, stdout=out, stderr=StringIO())
    assert failed.value.returncode == 1
    return out.getvalue()


def count(output: str, label: str) -> int:
    line = next(line for line in output.splitlines() if line.startswith(label))
    return int(line.split()[-1])


def test_each_csv_row_becomes_a_case_with_its_time_of_receipt(agents: None, tmp_path: Path) -> None:
    out, _err = run(str(write(tmp_path, [HEADER, *ROWS])), "--quiet")

    assert count(out, "Imported as new cases:") == 3
    assert count(out, "Refused:") == 0
    jan = Case.objects.get(customer__email="jan@example.pl")
    assert jan.channel == Channel.IMPORT
    assert jan.language == "pl"
    assert jan.order_reference == "ZAM-1001"
    assert jan.requested_remedy == "Naprawa"
    assert jan.received_at == datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
    ivan = Case.objects.get(customer__email="ivan@example.bg")
    assert ivan.channel == Channel.EMAIL  # the channel column, when given
    assert ivan.customer.jurisdiction == "BG"
    assert ivan.customer.phone == "+359888123456"
    assert ivan.register_entry.number == 1
    message = Message.objects.get(case=ivan, direction=Direction.IN)
    assert message.source_key.startswith("import:csv:")


def test_importing_the_same_file_again_stores_nothing_twice(agents: None, tmp_path: Path) -> None:
    path = write(tmp_path, [HEADER, *ROWS])
    run(str(path), "--quiet")

    out, _err = run(str(path), "--quiet")

    assert count(out, "Imported as new cases:") == 0
    assert count(out, "Already imported (skipped):") == 3
    assert Case.objects.count() == 3
    assert Message.objects.filter(direction=Direction.IN).count() == 3


def test_the_same_row_reordered_or_with_other_line_ends_is_still_the_same_row(
    agents: None, tmp_path: Path
) -> None:
    run(str(write(tmp_path, [HEADER, ROWS[0]])), "--quiet")
    columns = HEADER.split(",")
    reordered = ",".join(reversed(columns))
    values = next(csv.reader([ROWS[0]]))
    values[10] = "2026-11-02T08:30:00Z"  # the same instant, written in UTC
    buffer = StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([reordered.split(","), values[::-1]])
    again = tmp_path / "again.csv"
    again.write_bytes(buffer.getvalue().encode())

    out, _err = run(str(again), "--quiet")

    assert count(out, "Already imported (skipped):") == 1
    assert Case.objects.count() == 1


def test_a_row_repeated_in_one_file_is_stored_once(agents: None, tmp_path: Path) -> None:
    out, _err = run(str(write(tmp_path, [HEADER, ROWS[0], ROWS[1], ROWS[0]])), "--quiet")

    assert count(out, "Imported as new cases:") == 2
    assert count(out, "Already imported (skipped):") == 1
    assert Case.objects.count() == 2


def test_bad_rows_are_refused_with_their_row_number_and_the_rest_are_imported(
    agents: None, tmp_path: Path
) -> None:
    lines = [
        HEADER,
        ROWS[0],  # row 2
        'Anna,not-an-address,,,"Zepsuty toster.",,,pl,PL,,2026-11-02T09:30:00+01:00,',  # row 3
        'Anna,anna@example.pl,,,"Zepsuty toster.",,,pl,PL,,2026-11-02 09:30,',  # row 4
        'Anna,anna@example.pl,,,"Zepsuty toster.",,,pl,PL,,yesterday,',  # row 5
        "Anna,anna@example.pl,too,few",  # row 6
        'Anna,anna@example.pl,,,"",,,pl,PL,,2026-11-02T09:30:00+01:00,',  # row 7
        'Anna,anna@example.pl,,,"Zepsuty toster.",,,xx,PL,,2026-11-02T09:30:00+01:00,fax',  # 8
        ROWS[1],  # row 9
    ]

    out = refused(str(write(tmp_path, lines)), "--quiet")

    assert count(out, "Imported as new cases:") == 2
    assert count(out, "Refused:") == 6
    assert "complaints.csv row 3: Enter a valid e-mail address." in out
    assert "complaints.csv row 4: received_at needs a time zone" in out
    assert "complaints.csv row 5: received_at is not an ISO 8601 date and time: yesterday." in out
    assert "complaints.csv row 6: expected 12 columns, found 4." in out
    assert "complaints.csv row 7: Please describe what happened." in out
    assert "complaints.csv row 8: Unknown channel: fax. Unknown language: xx." in out
    assert Case.objects.count() == 2


def test_undecodable_bytes_refuse_only_their_row(agents: None, tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(
        "\n".join([HEADER, ROWS[0]]).encode("utf-8")
        + b'\nAnna,anna@example.pl,,,"Zepsuty \xbfelazko.",,,pl,PL,,2026-11-02T09:30:00+01:00,\n'
    )

    out = refused(str(path), "--quiet")

    assert count(out, "Imported as new cases:") == 1
    assert (
        "legacy.csv row 3: column text has bytes that are not utf-8 (0xBF). "
        "Save the file as UTF-8 or name its encoding with --encoding."
    ) in out


def test_a_windows_1250_file_imports_with_its_encoding_named(agents: None, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        (
            HEADER
            + "\nAnna Żak,anna@example.pl,,,Żelazko nie grzeje.,,,pl,PL,,2026-11-02T09:30:00+01:00,\n"
        ).encode("windows-1250")
    )

    out, _err = run(str(path), "--quiet", "--encoding", "windows-1250")

    assert count(out, "Imported as new cases:") == 1
    assert Case.objects.get().description == "Żelazko nie grzeje."


def test_a_semicolon_separated_file_with_a_byte_order_mark_is_read(
    agents: None, tmp_path: Path
) -> None:
    # What Excel writes in Polish, Bulgarian and Finnish locales ("CSV UTF-8").
    path = write(
        tmp_path,
        [
            "name;email;text;received_at",
            "Anna;anna@example.pl;Toster nie działa.;2026-11-02T09:30+01:00",
        ],
        encoding="utf-8-sig",
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    out, _err = run(str(path), "--quiet")

    assert count(out, "Imported as new cases:") == 1


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("name,e-mail,text,received_at", "unknown columns in the header: e-mail."),
        ("name,email,received_at", "the header lacks required columns: text."),
        ("phone,text,received_at", "the header lacks required columns: name/email."),
        ("name,text,text,received_at", "columns named twice in the header: text."),
    ],
)
def test_a_bad_header_refuses_the_whole_file(
    header: str, problem: str, agents: None, tmp_path: Path
) -> None:
    path = write(tmp_path, [header, "Anna,anna@example.pl,Toster,2026-11-02T09:30+01:00"])

    out = refused(str(path), "--quiet")

    assert f"complaints.csv: {problem}" in out
    assert Case.objects.count() == 0


def test_an_empty_file_and_a_missing_path_are_refused(agents: None, tmp_path: Path) -> None:
    empty = write(tmp_path, [""], name="empty.csv")

    out = refused(str(empty), str(tmp_path / "nowhere.csv"), "--quiet")

    assert "empty.csv is empty." in out
    assert "nowhere.csv: no such file or folder." in out


def test_a_dry_run_checks_everything_and_stores_nothing(agents: None, tmp_path: Path) -> None:
    lines = [HEADER, *ROWS, ROWS[0], 'Anna,bad,,,"Toster",,,pl,PL,,2026-11-02T09:30:00+01:00,']

    out = refused(str(write(tmp_path, lines)), "--dry-run", "--quiet")

    assert "Dry run: nothing was stored." in out
    assert count(out, "Would be imported:") == 3
    assert count(out, "Already imported (would be skipped):") == 1
    assert "complaints.csv row 6: Enter a valid e-mail address." in out
    assert Case.objects.count() == 0
    assert Message.objects.count() == 0


def test_amends_import_is_the_command_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", calls.append)

    assert main(["import", "complaints.csv", "--dry-run"]) == 0

    assert calls == [["amends", "import_complaints", "complaints.csv", "--dry-run"]]
    monkeypatch.undo()
    main(["help", "import"])
    assert "--dry-run" in capsys.readouterr().out


# --- .eml -------------------------------------------------------------------------------

ORIGINAL = """\
From: =?utf-8?q?Jan_Kowalski?= <jan@example.pl>
To: reklamacje@sklep.example
Subject: =?utf-8?q?Pralka_przecieka?=
Date: Mon, 02 Nov 2026 09:30:00 +0100
Message-ID: <first@example.pl>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Dzień dobry, pralka kupiona w marcu przecieka od tygodnia. Proszę o naprawę.
"""

FOLLOW_UP = """\
From: Jan Kowalski <jan@example.pl>
To: reklamacje@sklep.example
Subject: Re: Pralka przecieka
Date: Thu, 05 Nov 2026 12:00:00 +0100
Message-ID: <second@example.pl>
In-Reply-To: <first@example.pl>
References: <first@example.pl>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Czy są jakieś wieści w sprawie mojej pralki?
"""


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    pytest.importorskip("amends.intake.mail.parse")
    folder = tmp_path / "mail"
    folder.mkdir()
    # The follow-up's name sorts first: only ordering by Date threads it.
    (folder / "a-follow-up.eml").write_bytes(FOLLOW_UP.encode())
    (folder / "b-original.eml").write_bytes(ORIGINAL.encode())
    return folder


def test_mail_is_imported_in_date_order_so_follow_ups_thread(agents: None, mail_dir: Path) -> None:
    out, _err = run(str(mail_dir), "--quiet")

    assert count(out, "Imported as new cases:") == 1
    assert count(out, "Threaded or linked to existing cases:") == 1
    case = Case.objects.get()
    assert case.messages.filter(direction=Direction.IN).count() == 2
    assert Message.objects.get(message_id="first@example.pl").source_key.startswith("import:")


def test_mail_imported_again_is_skipped(agents: None, mail_dir: Path) -> None:
    run(str(mail_dir), "--quiet")

    out, _err = run(str(mail_dir), "--quiet")

    assert count(out, "Already imported (skipped):") == 2
    assert Case.objects.count() == 1


def test_an_unreadable_mail_is_refused_alone(agents: None, mail_dir: Path) -> None:
    (mail_dir / "c-empty.eml").write_bytes(b"")
    legacy = (
        ORIGINAL.replace("utf-8", "iso-8859-2")
        .replace("first@", "legacy@")
        .replace("jan@example.pl", "ewa@example.pl")
        .replace("pralka kupiona w marcu przecieka", "zmywarka nie grzeje wody")
    )
    (mail_dir / "d-legacy-8bit.eml").write_bytes(legacy.encode("iso-8859-2"))

    out = refused(str(mail_dir), "--quiet")

    assert count(out, "Imported as new cases:") == 2  # the original and the 8-bit legacy mail
    assert count(out, "Refused:") == 1
    assert "c-empty.eml: " in out
