"""One rule for attachments on every channel (complaint.validate): a type we accept, and content
that really is that type. The web form's and the API's own tests check their pages; here the
shared rule, e-mail (quarantined whole, like any mail we cannot take), import and staff logging."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from amends.accounts.models import User
from amends.cases.models import Case, Channel
from amends.intake.complaint import (
    Complaint,
    IncomingAttachment,
    attachment_problems,
    declared_type,
    validate,
)
from amends.intake.mail.imap import _store
from amends.intake.mail.quarantine import retry
from amends.intake.models import Attachment, Mailbox, QuarantinedMail
from amends.intake.services import receive

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
DISGUISED = "invoice.pdf: the file's content is not a application/pdf file."
PL_TEXT = (
    "Dzień dobry, kupiłem pralkę w Waszym sklepie w marcu i od tygodnia przecieka. "
    "Proszę o naprawę albo wymianę na nową."
)


@pytest.fixture
def agents(ania: User, boryana: User) -> None:
    return None


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    # The messages are compared in English, whatever language an earlier test left active.
    with translation.override("en"):
        yield


def _complaint(channel: str, *attachments: IncomingAttachment) -> Complaint:
    return Complaint(
        channel=channel,
        text=PL_TEXT,
        sender_name="Jan Kowalski",
        sender_email="jan@example.pl",
        attachments=attachments,
    )


def _nothing_stored() -> None:
    assert Case.objects.count() == 0
    assert Attachment.objects.count() == 0


# --- the shared rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attachment", "problem"),
    [
        (IncomingAttachment("invoice.pdf", "application/pdf", EXE), DISGUISED),
        (
            IncomingAttachment("photo.png", "image/png", PDF),
            "photo.png: the file's content is not a image/png file.",
        ),
        (
            IncomingAttachment("setup.exe", "application/x-msdownload", EXE),
            "setup.exe: files of type application/x-msdownload are not accepted.",
        ),
        (
            IncomingAttachment("note.txt", "text/plain", b"text\x00with a NUL"),
            "note.txt: the file's content is not a text/plain file.",
        ),
        (IncomingAttachment("paragon.pdf", "application/pdf", PDF), None),
        (IncomingAttachment("photo.png", "image/png", PNG), None),
    ],
    ids=["exe-as-pdf", "pdf-as-png", "exe", "binary-as-text", "pdf", "png"],
)
def test_a_file_is_judged_by_its_type_and_its_content(
    attachment: IncomingAttachment, problem: str | None
) -> None:
    assert attachment_problems(attachment) == ([problem] if problem else [])


@pytest.mark.parametrize(
    ("declared", "data", "checked_as"),
    [
        ("application/octet-stream", PDF, "application/pdf"),
        ("", PNG, "image/png"),
        ("application/octet-stream", EXE, "application/octet-stream"),
        ("Application/PDF; name=x.pdf", EXE, "application/pdf"),
    ],
)
def test_an_unknown_declared_type_is_told_by_the_content_and_a_known_one_is_kept(
    declared: str, data: bytes, checked_as: str
) -> None:
    assert declared_type(declared, data) == checked_as


@pytest.mark.parametrize(
    "channel", [Channel.EMAIL, Channel.API, Channel.IMPORT, Channel.PHONE, Channel.WEB_FORM]
)
def test_a_disguised_file_is_refused_on_every_channel_and_changes_nothing(
    channel: str, agents: None
) -> None:
    disguised = IncomingAttachment("invoice.pdf", "application/pdf", EXE)
    complaint = _complaint(
        channel, IncomingAttachment("paragon.pdf", "application/pdf", PDF), disguised
    )

    with pytest.raises(ValidationError) as refused:
        receive(complaint)

    assert refused.value.message_dict["attachments"] == [DISGUISED]
    _nothing_stored()


# --- e-mail ------------------------------------------------------------------------------


def _mail(*attachments: tuple[bytes, str, str, str]) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Jan Kowalski <jan@example.pl>"
    msg["To"] = "reklamacje@desk.example"
    msg["Subject"] = "Reklamacja pralki"
    msg["Date"] = "Wed, 12 Mar 2025 10:15:00 +0100"
    msg["Message-ID"] = "<attachments@example.pl>"
    msg.set_content(PL_TEXT)
    for data, maintype, subtype, filename in attachments:
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(msg)


@pytest.fixture
def mailbox(db: None) -> Mailbox:
    return Mailbox.objects.create(name="complaints", host="127.0.0.1", username="desk")


def test_a_mail_with_a_disguised_file_is_quarantined_whole_with_the_reason(
    agents: None, mailbox: Mailbox
) -> None:
    raw = _mail(
        (PDF, "application", "pdf", "paragon.pdf"), (EXE, "application", "pdf", "invoice.pdf")
    )

    outcome = _store(raw, source_key="imap:1:1:7", mailbox=mailbox)

    # Nothing is lost: the mail is kept byte for byte for a manager, with the file named.
    assert outcome == "quarantined"
    item = QuarantinedMail.objects.get()
    assert item.reason == DISGUISED
    assert item.raw.read() == raw
    _nothing_stored()
    # A retry judges it by the same rule, so it stays where a manager deals with it by hand.
    with pytest.raises(ValidationError):
        retry(item, actor=None)
    item.refresh_from_db()
    assert (item.reason, item.resolved_at) == (DISGUISED, None)


def test_a_mail_file_of_unknown_type_and_name_is_told_by_its_content(
    agents: None, mailbox: Mailbox
) -> None:
    raw = _mail((PDF, "application", "octet-stream", "scan0001"))

    assert _store(raw, source_key="imap:1:1:8", mailbox=mailbox) == "received"

    attachment = Attachment.objects.get()
    assert (attachment.filename, attachment.content_type) == ("scan0001", "application/pdf")


def test_a_mail_file_named_pdf_but_holding_something_else_is_quarantined(
    agents: None, mailbox: Mailbox
) -> None:
    raw = _mail((b"\x00\x01 not a pdf", "application", "octet-stream", "Faktura.pdf"))
    assert _store(raw, source_key="imap:1:1:9", mailbox=mailbox) == "quarantined"
    assert "Faktura.pdf: the file's content is not a application/pdf file." in (
        QuarantinedMail.objects.get().reason
    )
    _nothing_stored()


# --- import ------------------------------------------------------------------------------


def test_an_imported_mail_with_a_disguised_file_is_refused_alone(
    agents: None, tmp_path: Path
) -> None:
    (tmp_path / "a-good.eml").write_bytes(_mail((PDF, "application", "pdf", "paragon.pdf")))
    bad = _mail((EXE, "application", "pdf", "invoice.pdf")).replace(
        b"<attachments@example.pl>", b"<bad@example.pl>"
    )
    (tmp_path / "b-bad.eml").write_bytes(bad)
    out = StringIO()

    with pytest.raises(CommandError) as failed:
        call_command("import_complaints", str(tmp_path), stdout=out, stderr=StringIO())

    assert failed.value.returncode == 1
    assert f"b-bad.eml: {DISGUISED}" in out.getvalue()
    assert Case.objects.count() == 1
    assert list(Attachment.objects.values_list("filename", flat=True)) == ["paragon.pdf"]


def test_a_dry_run_import_reports_a_disguised_file_too(agents: None, tmp_path: Path) -> None:
    (tmp_path / "bad.eml").write_bytes(_mail((EXE, "image", "jpeg", "photo.jpg")))
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_complaints", str(tmp_path), "--dry-run", stdout=out, stderr=StringIO())
    assert "bad.eml: photo.jpg: the file's content is not a image/jpeg file." in out.getvalue()
    _nothing_stored()


# --- staff logging a complaint taken by phone ------------------------------------------------


def test_staff_logging_a_call_gets_the_same_refusal(client: Client, ania: User) -> None:
    client.force_login(ania)
    page = client.get("/intake/log/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page)
    assert token is not None
    data: dict[str, Any] = {
        "token": token.group(1),
        "channel": Channel.PHONE,
        "name": "Jan Kowalski",
        "phone": "+48 600 100 200",
        "customer_kind": "consumer",
        "subject_kind": "goods",
        "text": PL_TEXT,
        "attachments": [SimpleUploadedFile("invoice.pdf", EXE, content_type="application/pdf")],
    }

    response = client.post("/intake/log/", data)

    assert response.status_code == 400
    assert "invoice.pdf: the file&#x27;s content is not a application/pdf file." in (
        response.content.decode()
    )
    _nothing_stored()


def test_validate_alone_refuses_what_receive_refuses() -> None:
    complaint = _complaint(Channel.API, IncomingAttachment("invoice.pdf", "application/pdf", EXE))
    with pytest.raises(ValidationError):
        validate(complaint)
