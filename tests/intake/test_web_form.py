"""The public complaint form: no account, the browser's language, one case per form, and a
confirmation only its submitter can open."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import formats, timezone, translation

from amends.accounts.models import User
from amends.cases.models import Case, Customer
from amends.deadlines.engine import zone_for
from amends.intake import forms as intake_forms
from amends.intake.models import Attachment, Direction, Message

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 32
PL_TEXT = (
    "Zamówiona pralka przyjechała z pękniętą obudową i nie da się jej zamknąć. "
    "Kurier nie chciał spisać protokołu szkody."
)
BG_TEXT = (
    "Поръчаният хладилник пристигна с вдлъбната врата и не затваря добре. "
    "Куриерът отказа да състави протокол."
)


@pytest.fixture(autouse=True)
def _clear_rate_counters() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def agents(ania: User, boryana: User) -> dict[str, User]:
    return {"pl": ania, "bg": boryana}


def _open_form(client: Client, lang: str = "pl") -> str:
    """GET the form as a browser asking for `lang`; return its one-time token."""
    response = client.get("/complain/", headers={"accept-language": lang})
    assert response.status_code == 200
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match is not None
    return match.group(1)


def _data(token: str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "token": token,
        "name": "Jan Kowalski",
        "email": "jan.kowalski@example.pl",
        "phone": "+48 600 100 200",
        "country": "PL",
        "customer_kind": "consumer",
        "subject_kind": "goods",
        "order_reference": "ZAM-2024-0042",
        "text": PL_TEXT,
        "requested_remedy": "Wymiana pralki na nową.",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _post(client: Client, data: dict[str, Any], lang: str = "pl", **extra: Any) -> Any:
    return client.post("/complain/", data, headers={"accept-language": lang}, **extra)


def _pdf(name: str = "paragon.pdf", data: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_the_form_opens_in_the_browsers_language_with_a_switch_and_no_staff_data(
    client: Client, db: None
) -> None:
    response = client.get("/complain/", headers={"accept-language": "pl-PL,pl;q=0.9,en;q=0.5"})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="pl">' in page
    assert 'action="/i18n/setlang/"' in page
    for code in ("en", "pl", "bg", "fi"):
        assert f'<option value="{code}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "/cases/" not in page
    assert "/admin/" not in page


@pytest.mark.parametrize(("lang", "country"), [("pl", "PL"), ("bg", "BG"), ("fi", "FI")])
def test_the_country_defaults_from_the_language(
    client: Client, db: None, lang: str, country: str
) -> None:
    page = client.get("/complain/", headers={"accept-language": lang}).content.decode()
    assert re.search(rf'<option value="{country}" selected>', page)


def test_english_defaults_to_another_country(client: Client, db: None) -> None:
    page = client.get("/complain/", headers={"accept-language": "en"}).content.decode()
    assert '<option value="other" selected>' in page


def test_the_language_switch_changes_the_page_language(client: Client, db: None) -> None:
    response = client.post("/i18n/setlang/", {"language": "bg", "next": "/complain/"})
    assert response.status_code == 302
    assert response["Location"] == "/complain/"
    page = client.get("/complain/", headers={"accept-language": "pl"}).content.decode()
    assert '<html lang="bg">' in page


def test_the_public_pages_send_a_strict_content_security_policy(client: Client, db: None) -> None:
    response = client.get("/complain/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src" not in policy  # none at all: the form works without JavaScript
    assert "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_a_polish_consumer_complaint_opens_a_case_and_shows_the_confirmation(
    client: Client, agents: dict[str, User]
) -> None:
    token = _open_form(client, "pl")
    response = _post(client, _data(token, attachments=[_pdf()]))

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.channel == "web_form"
    assert case.language == "pl"
    assert case.owner == agents["pl"]
    assert case.order_reference == "ZAM-2024-0042"
    assert case.requested_remedy == "Wymiana pralki na nową."
    assert case.customer.jurisdiction == "PL"
    assert case.customer.kind == "consumer"
    assert case.customer.phone == "+48 600 100 200"
    message = Message.objects.get(direction=Direction.IN)
    assert message.source_key.startswith("form:")
    attachment = Attachment.objects.get()
    assert (attachment.filename, attachment.content_type) == ("paragon.pdf", "application/pdf")

    page = client.get(response["Location"], headers={"accept-language": "pl"})
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "default-src 'none'" in page["Content-Security-Policy"]
    html = page.content.decode()
    assert case.reference in html
    assert "Ania Nowak" in html
    next_step = timezone.localtime(case.commitment_due, zone_for("PL")).date()
    with translation.override("pl"):
        assert formats.date_format(next_step, "DATE_FORMAT") in html
    # Nothing else about the case or the desk is shown.
    assert PL_TEXT not in html
    assert "jan.kowalski@example.pl" not in html
    assert "/cases/" not in html


def test_a_bulgarian_business_in_finland_is_stored_as_such(
    client: Client, agents: dict[str, User]
) -> None:
    token = _open_form(client, "bg")
    response = _post(
        client,
        _data(token, text=BG_TEXT, country="FI", customer_kind="business", subject_kind="service"),
        lang="bg",
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.language, case.customer.jurisdiction, case.customer.kind) == (
        "bg",
        "FI",
        "business",
    )
    assert case.owner == agents["bg"]


def test_another_country_gets_no_statutory_rule_of_ours(
    client: Client, agents: dict[str, User]
) -> None:
    token = _open_form(client, "en")
    _post(client, _data(token, country="other", text="My parcel never arrived."), lang="en")
    case = Case.objects.get()
    assert case.customer.jurisdiction == intake_forms.OTHER_COUNTRY
    assert case.statutory_due is None
    assert case.language == "en"


@pytest.mark.parametrize(
    ("lang", "required"),
    [("pl", "To pole jest wymagane."), ("bg", "Това поле е задължително.")],
)
def test_validation_errors_are_shown_in_the_page_language_and_nothing_is_stored(
    client: Client, agents: dict[str, User], lang: str, required: str
) -> None:
    token = _open_form(client, lang)
    response = _post(client, _data(token, name="", text="", email="nie-email"), lang=lang)

    assert response.status_code == 400
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert html.count(required) >= 2
    assert 'role="alert"' in html
    # What the customer typed is kept, and the same token carries on.
    assert "ZAM-2024-0042" in html
    assert f'name="token" value="{token}"' in html
    assert Case.objects.count() == 0
    assert Customer.objects.count() == 0


def test_consent_is_required(client: Client, agents: dict[str, User]) -> None:
    token = _open_form(client)
    response = _post(client, _data(token, consent=None), lang="en")
    assert response.status_code == 400
    assert "Please agree, or we cannot handle your complaint." in response.content.decode()
    assert Case.objects.count() == 0


def test_the_remedy_is_required_as_iso_10002_asks(client: Client, agents: dict[str, User]) -> None:
    token = _open_form(client)
    response = _post(client, _data(token, requested_remedy=""), lang="en")
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_a_double_submit_opens_one_case(client: Client, agents: dict[str, User]) -> None:
    token = _open_form(client)
    # The confirmation link is signed with the time: both posts in the same second, however
    # slow the machine, so the two links can be compared as strings.
    with time_machine.travel(timezone.now(), tick=False):
        first = _post(client, _data(token, attachments=[_pdf()]))
        second = _post(client, _data(token, attachments=[_pdf()]))

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1
    assert Message.objects.filter(direction=Direction.IN).count() == 1
    assert Attachment.objects.count() == 1


def test_two_forms_are_two_complaints(client: Client, agents: dict[str, User]) -> None:
    _post(client, _data(_open_form(client), order_reference="A-1"))
    _post(
        client, _data(_open_form(client), order_reference="B-2", text="Inna sprawa: zła faktura.")
    )
    assert Case.objects.count() == 2


def test_a_forged_or_expired_form_token_stores_nothing_and_offers_a_fresh_one(
    client: Client, agents: dict[str, User]
) -> None:
    response = _post(client, _data("my-own-token"), lang="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert "This form was open too long" in html
    assert 'name="token" value="my-own-token"' not in html
    assert Case.objects.count() == 0

    token = _open_form(client)
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        response = _post(client, _data(token), lang="en")
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_a_filled_honeypot_pretends_success_and_stores_nothing(
    client: Client, agents: dict[str, User]
) -> None:
    token = _open_form(client)
    response = _post(client, _data(token, website="http://spam.example"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/complain/thanks/"
    assert Case.objects.count() == 0
    assert Customer.objects.count() == 0
    assert Message.objects.count() == 0


def test_the_rate_limit_refuses_a_flood_from_one_address_with_a_clear_429(
    client: Client, agents: dict[str, User], settings: Any
) -> None:
    settings.AMENDS_FORM_RATE_LIMIT = "2/hour"
    for n in range(2):
        _post(client, _data(_open_form(client), order_reference=f"R-{n}", text=f"Sprawa {n}."))
    # A forged X-Forwarded-For does not buy a fresh allowance.
    response = _post(client, _data(_open_form(client)), lang="en", HTTP_X_FORWARDED_FOR="10.9.9.9")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many complaints sent from your connection" in response.content.decode()
    assert Case.objects.count() == 2

    other = _post(client, _data(_open_form(client)), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_the_rate_limit_resets_with_the_next_window(
    client: Client, agents: dict[str, User], settings: Any
) -> None:
    settings.AMENDS_FORM_RATE_LIMIT = "1/hour"
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    with time_machine.travel(start, tick=False):
        _post(client, _data(_open_form(client)))
        assert _post(client, _data(_open_form(client))).status_code == 429
    with time_machine.travel(start + timedelta(hours=1, minutes=1), tick=False):
        token = _open_form(client)
        response = _post(client, _data(token, order_reference="X-9", text="Nowa sprawa."))
        assert response.status_code == 302


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("invoice.pdf", EXE, content_type="application/pdf"),
            "invoice.pdf: the file&#x27;s content is not a application/pdf file.",
        ),
        (
            SimpleUploadedFile("photo.png", PDF, content_type="image/png"),
            "photo.png: the file&#x27;s content is not a image/png file.",
        ),
        (
            SimpleUploadedFile("setup.exe", EXE, content_type="application/x-msdownload"),
            "setup.exe: files of type application/x-msdownload are not accepted.",
        ),
        (
            SimpleUploadedFile("random.bin", EXE, content_type="application/octet-stream"),
            "random.bin: files of type application/octet-stream are not accepted.",
        ),
    ],
    ids=["exe-as-pdf", "pdf-as-png", "exe", "unknown-binary"],
)
def test_attachments_whose_type_or_content_is_wrong_are_refused(
    client: Client, agents: dict[str, User], upload: Any, message: str
) -> None:
    token = _open_form(client)
    response = _post(client, _data(token, attachments=[_pdf(), upload]), lang="en")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Case.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_an_attachment_over_the_size_limit_is_refused(
    client: Client, agents: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake_forms, "MAX_ATTACHMENT_BYTES", 1024 * 1024)
    token = _open_form(client)
    big = _pdf("scan.pdf", PDF + b"0" * (1024 * 1024))
    response = _post(client, _data(token, attachments=[big]), lang="en")
    assert response.status_code == 400
    assert "scan.pdf is larger than 1 MB." in response.content.decode()
    assert Case.objects.count() == 0


def test_too_many_attachments_are_refused(client: Client, agents: dict[str, User]) -> None:
    token = _open_form(client)
    files = [_pdf(f"page-{n}.pdf") for n in range(11)]
    response = _post(client, _data(token, attachments=files), lang="en")
    assert response.status_code == 400
    assert "At most 10 attachments." in response.content.decode()
    assert Case.objects.count() == 0


def test_several_files_are_stored_and_an_untyped_pdf_is_recognised(
    client: Client, agents: dict[str, User]
) -> None:
    token = _open_form(client)
    files = [
        _pdf(),
        SimpleUploadedFile("zdjecie.png", PNG, content_type="image/png"),
        _pdf("skan", PDF, "application/octet-stream"),
    ]
    assert _post(client, _data(token, attachments=files)).status_code == 302
    stored = sorted(Attachment.objects.values_list("filename", "content_type"))
    assert stored == [
        ("paragon.pdf", "application/pdf"),
        ("skan", "application/pdf"),
        ("zdjecie.png", "image/png"),
    ]


def test_the_confirmation_needs_its_signed_link(client: Client, agents: dict[str, User]) -> None:
    response = _post(client, _data(_open_form(client)))
    link = response["Location"]
    case = Case.objects.get()

    stranger = Client()
    assert stranger.get(link).status_code == 200  # the link itself is the key
    tampered = link.rstrip("/")[:-3] + "abc/"
    assert stranger.get(tampered).status_code == 404
    guessed = f"/complain/received/{case.pk}/"
    assert stranger.get(guessed).status_code == 404
    assert case.reference not in stranger.get(guessed).content.decode()


def test_the_confirmation_link_expires(client: Client, agents: dict[str, User]) -> None:
    link = _post(client, _data(_open_form(client)))["Location"]
    case = Case.objects.get()
    with time_machine.travel(timezone.now() + timedelta(days=4), tick=False):
        response = client.get(link, headers={"accept-language": "en"})
    assert response.status_code == 404
    assert case.reference not in response.content.decode()
    assert "This confirmation link has expired" in response.content.decode()


def test_a_repeat_about_an_open_case_does_not_reveal_that_case(
    client: Client, agents: dict[str, User]
) -> None:
    """Whoever knows a customer's e-mail and order number must not learn their case from us."""
    _post(client, _data(_open_form(client)))
    case = Case.objects.get()
    intruder = Client()
    link = _post(intruder, _data(_open_form(intruder), name="Ktoś Inny"))["Location"]

    assert Case.objects.count() == 1
    html = intruder.get(link).content.decode()
    assert case.reference not in html
    assert "Ania Nowak" not in html
    assert "added this to your open complaint" in html


def test_the_form_needs_the_csrf_token(agents: dict[str, User]) -> None:
    client = Client(enforce_csrf_checks=True)
    token = _open_form(client)
    response = client.post("/complain/", _data(token))
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_other_methods_are_refused(client: Client, db: None) -> None:
    assert client.put("/complain/").status_code == 405
    assert client.post("/complain/thanks/").status_code == 405
