"""The API reads bodies up to AMENDS_API_MAX_BODY_MB (JSON 413 beyond); the web pages keep
Django's DATA_UPLOAD_MAX_MEMORY_SIZE."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from amends.accounts.models import User
from amends.api.body import MB, default_max_body_mb, max_body_bytes
from amends.cases.models import Case, Customer
from amends.intake.complaint import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_TEXT_CHARS
from amends.intake.models import Attachment, Message

URL = "/api/complaints"


def _complaint(data: bytes, **extra: Any) -> dict[str, Any]:
    return {
        "name": "Jan Kowalski",
        "email": "jan.kowalski@example.pl",
        "country": "PL",
        "description": "Pralka przyjechała z pękniętą obudową; zdjęcia i protokół w załączniku.",
        "language": "pl",
        "attachments": [
            {
                "filename": "protokol.pdf",
                "content_type": "application/pdf",
                "data": base64.b64encode(data).decode(),
            }
        ],
        **extra,
    }


def _body_of_size(size: int) -> tuple[bytes, bytes]:
    """A real complaint whose JSON body is exactly `size` bytes, and its attachment's bytes."""
    data = b"%PDF-1.7\n" + os.urandom(3 * (size // 4) - 9 - 3000)
    body = json.dumps(_complaint(data)).encode()
    assert len(body) <= size
    return body + b" " * (size - len(body)), data  # JSON allows trailing white space


def _post(client: Client, token: str, body: bytes, lang: str = "en") -> Any:
    return client.post(
        URL,
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": lang},
    )


@pytest.fixture
def token(ania: User, boryana: User) -> str:
    from amends.accounts.models import ApiToken

    _token, key = ApiToken.issue(ania, "tests")
    return key


def _nothing_stored() -> None:
    assert Case.objects.count() == 0
    assert Customer.objects.count() == 0
    assert Message.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_a_body_just_under_the_limit_is_received_with_its_attachment_intact(
    client: Client, token: str, settings: Any
) -> None:
    settings.AMENDS_API_MAX_BODY_MB = 3  # above Django's 2.5 MB for form posts
    body, data = _body_of_size(3 * MB)
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = _post(client, token, body)

    assert response.status_code == 201, response.content[:500]
    attachment = Attachment.objects.get()
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("lang", "limit_text"),
    [
        ("en", "at most 3 MB"),
        ("pl", "maksymalnie 3 MB"),
        ("bg", "най-много 3 MB"),
        ("fi", "enintään 3 Mt"),
    ],
)
def test_a_body_just_over_the_limit_gets_a_json_413_and_changes_nothing(
    client: Client, token: str, settings: Any, lang: str, limit_text: str
) -> None:
    settings.AMENDS_API_MAX_BODY_MB = 3
    body, _data = _body_of_size(3 * MB + 1)

    response = _post(client, token, body, lang=lang)

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json; charset=utf-8"
    # Written in the caller's language.
    assert response["Content-Language"] == lang
    assert limit_text in response.json()["error"]
    _nothing_stored()


def test_a_limit_below_djangos_form_limit_is_kept_too(
    client: Client, token: str, settings: Any
) -> None:
    settings.AMENDS_API_MAX_BODY_MB = 1
    body, _data = _body_of_size(MB + 1)
    response = _post(client, token, body)
    assert response.status_code == 413
    assert "at most 1 MB" in response.json()["error"]
    _nothing_stored()


def test_by_default_a_largest_attachment_the_intake_accepts_gets_through(
    client: Client, token: str
) -> None:
    assert settings.AMENDS_API_MAX_BODY_MB is None  # the derived default
    data = b"%PDF-1.7\n" + os.urandom(MAX_ATTACHMENT_BYTES - 9)

    response = _post(client, token, json.dumps(_complaint(data)).encode())

    assert response.status_code == 201, response.content[:500]
    assert Attachment.objects.get().size == MAX_ATTACHMENT_BYTES


def test_the_default_has_room_for_everything_the_intake_accepts() -> None:
    one = len(base64.b64encode(b"x" * MAX_ATTACHMENT_BYTES))
    attachment = {"filename": "f" * 255, "content_type": "application/pdf", "data": ""}
    envelope = _complaint(b"", description="\u0007" * MAX_TEXT_CHARS)  # \u0007: 6 bytes in JSON
    envelope["requested_remedy"] = "\u0007" * 10_000
    envelope["attachments"] = [attachment] * MAX_ATTACHMENTS
    largest = len(json.dumps(envelope).encode()) + MAX_ATTACHMENTS * one

    assert max_body_bytes() == default_max_body_mb() * MB >= largest
    assert default_max_body_mb() == 135  # the figure docs/operators.md gives


def test_without_credentials_a_big_body_gets_401_and_changes_nothing(
    client: Client, db: None, settings: Any
) -> None:
    settings.AMENDS_API_MAX_BODY_MB = 3
    body, _data = _body_of_size(3 * MB - 10)
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 401
    _nothing_stored()


def test_the_limit_covers_every_api_write(
    api_as: Callable[[User | None], Any], ania: User, ania_case: Case, settings: Any
) -> None:
    settings.AMENDS_API_MAX_BODY_MB = 1
    response = api_as(ania).post(
        f"/api/cases/{ania_case.reference}/notes", raw=json.dumps({"text": "x" * MB})
    )
    assert response.status_code == 413
    assert not ania_case.events.filter(kind="note").exists()


def test_the_public_form_keeps_djangos_limit(client: Client, db: None) -> None:
    big = "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post("/complain/", {"text": big})
    assert response.status_code == 400
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("lots", "AMENDS_API_MAX_BODY_MB must be a whole number"),
        ("-5", "AMENDS_API_MAX_BODY_MB must be at least 1"),
    ],
)
def test_a_wrong_limit_stops_the_start_up(tmp_path: Any, value: str, message: str) -> None:
    from tests.project.test_settings import load_settings

    result = load_settings(tmp_path, AMENDS_API_MAX_BODY_MB=value)
    assert result.returncode != 0
    assert message in result.stderr
