"""The message box: through intake's receive, on this case, with every channel's file rules."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from amends.accounts.models import User
from amends.cases.models import Case, Channel, EventKind
from amends.intake.forms import new_form_token
from amends.intake.models import Attachment, Direction, Message
from amends.portal.links import portal_token
from tests.portal.conftest import move_to, page

PDF = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


def _write(client: Client, case: Case, text: str, *files: Any, token: str = "") -> Any:
    url = reverse("portal:write", kwargs={"token": portal_token(case)})
    data: dict[str, Any] = {"text": text, "token": token or new_form_token(), "lang": "pl"}
    if files:
        data["attachments"] = list(files)
    return client.post(url, data)


def _portal_messages(case: Case) -> Any:
    return Message.objects.filter(case=case, direction=Direction.IN, channel=Channel.PORTAL)


def test_a_message_lands_on_the_case_with_its_attachment(client: Client, ania_case: Case) -> None:
    pdf = SimpleUploadedFile("paragon.pdf", PDF, content_type="application/pdf")
    response = _write(client, ania_case, "Przesyłam paragon, proszę o szybką odpowiedź.", pdf)
    assert response.status_code == 302
    assert response["Location"].endswith("#conversation")
    (message,) = _portal_messages(ania_case)
    assert message.sender_email == "jan@example.pl"
    assert Attachment.objects.get(message=message).filename == "paragon.pdf"
    assert ania_case.events.filter(kind=EventKind.CUSTOMER_MESSAGE).count() == 1
    assert "Przesyłam paragon" in page(client, ania_case).content.decode()


def test_sending_the_same_form_twice_stores_one_message(client: Client, ania_case: Case) -> None:
    token = new_form_token()
    _write(client, ania_case, "Dzień dobry, czy są już wieści?", token=token)
    _write(client, ania_case, "Dzień dobry, czy są już wieści?", token=token)
    assert _portal_messages(ania_case).count() == 1


def test_a_refused_file_stores_nothing(client: Client, ania_case: Case) -> None:
    exe = SimpleUploadedFile("faktura.exe", b"MZ\x90\x00", content_type="application/x-msdownload")
    fake = SimpleUploadedFile("zdjecie.jpg", b"MZ\x90\x00", content_type="image/jpeg")
    for upload in (exe, fake):
        response = _write(client, ania_case, "W załączniku plik.", upload)
        assert response.status_code == 400
        assert b"form-errors" in response.content
    assert not _portal_messages(ania_case).exists()


def test_an_empty_message_is_refused(client: Client, ania_case: Case) -> None:
    assert _write(client, ania_case, "   ").status_code == 400
    assert not _portal_messages(ania_case).exists()


def test_a_message_on_a_closed_case_opens_a_linked_case_as_every_channel_does(
    client: Client, ania_case: Case, ania: User
) -> None:
    closed = move_to(ania_case, "closed", ania)
    response = _write(client, closed, "Pralka znowu przecieka, naprawa nie pomogła.")
    assert response.status_code == 302
    new = Case.objects.exclude(pk=closed.pk).get()
    assert new.repeat_of == closed
    assert new.reference in client.get(response["Location"]).content.decode()
