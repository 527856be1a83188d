"""Staff log complaints they took by phone, on social media or in person: as a new case, or on
the case the customer already has."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from amends.accounts.models import User
from amends.cases import services as case_services
from amends.cases.models import Case, EventKind, State
from amends.intake.models import Attachment, Direction, Message
from tests.resolution.helpers import make_resolvable

LOG = "/intake/log/"
PDF = b"%PDF-1.4\n%%EOF\n"
TEXT = (
    "Klient zadzwonił: pralka po naprawie gwarancyjnej znów cieknie, woda zalała łazienkę. "
    "Jest bardzo zdenerwowany."
)


def _login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _token(client: Client, path: str = LOG) -> str:
    response = client.get(path)
    assert response.status_code == 200
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match is not None
    return match.group(1)


def _data(token: str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "token": token,
        "channel": "phone",
        "public_url": "",
        "received_at": "",
        "name": "Tomasz Lis",
        "email": "",
        "phone": "+48 601 222 333",
        "language": "pl",
        "country": "",
        "customer_kind": "consumer",
        "subject_kind": "goods",
        "order_reference": "",
        "text": TEXT,
        "requested_remedy": "Wymiana pralki.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff(client: Client, ania: User, boryana: User) -> Client:
    return _login(client, ania)


def test_the_page_needs_a_login(client: Client, db: None) -> None:
    response = client.get(LOG)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_staff_header_links_to_the_page(staff: Client) -> None:
    page = staff.get("/cases/").content.decode()
    assert f'href="{LOG}"' in page


def test_a_phone_complaint_opens_a_case_logged_by_the_agent(staff: Client, ania: User) -> None:
    response = staff.post(LOG, _data(_token(staff)))

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/"
    assert case.channel == "phone"
    assert case.language == "pl"
    assert case.customer.phone == "+48 601 222 333"
    assert case.customer.jurisdiction == "PL"
    assert case.requested_remedy == "Wymiana pralki."
    received = case.events.get(kind=EventKind.RECEIVED)
    assert received.actor == ania
    message = Message.objects.get(direction=Direction.IN)
    assert message.author == ania
    assert message.source_key.startswith("staff:")
    page = staff.get(response["Location"]).content.decode()
    assert f"Complaint logged as a new case, {case.reference}." in page


def test_a_social_media_complaint_needs_the_posts_address(staff: Client) -> None:
    token = _token(staff)
    response = staff.post(LOG, _data(token, channel="social"))
    assert response.status_code == 400
    assert "A social-media complaint needs the address of the post." in response.content.decode()
    assert Case.objects.count() == 0

    url = "https://www.facebook.com/shop/posts/123456"
    response = staff.post(LOG, _data(token, channel="social", public_url=url))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.channel == "social"
    assert Message.objects.get(direction=Direction.IN).public_url == url


def test_an_in_person_complaint_keeps_the_time_it_was_made(staff: Client) -> None:
    when = (timezone.localtime() - timedelta(days=2)).replace(second=0, microsecond=0)
    data = _data(
        _token(staff),
        channel="in_person",
        received_at=when.strftime("%Y-%m-%dT%H:%M"),
        attachments=[SimpleUploadedFile("protokol.pdf", PDF, content_type="application/pdf")],
    )
    assert staff.post(LOG, data).status_code == 302
    case = Case.objects.get()
    assert case.channel == "in_person"
    assert case.received_at == when
    assert Attachment.objects.get().filename == "protokol.pdf"


def test_a_complaint_cannot_be_received_in_the_future(staff: Client) -> None:
    later = timezone.localtime() + timedelta(days=1)
    data = _data(_token(staff), received_at=later.strftime("%Y-%m-%dT%H:%M"))
    response = staff.post(LOG, data)
    assert response.status_code == 400
    assert "A complaint cannot be received in the future." in response.content.decode()
    assert Case.objects.count() == 0


def test_the_customer_needs_a_name_and_a_way_to_answer(staff: Client) -> None:
    response = staff.post(LOG, _data(_token(staff), name="", phone="", email=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give an e-mail address or a phone number, so we can answer." in html
    assert Case.objects.count() == 0


def test_only_staff_channels_are_offered(staff: Client) -> None:
    response = staff.post(LOG, _data(_token(staff), channel="email"))
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_a_double_submit_logs_one_case(staff: Client) -> None:
    token = _token(staff)
    first = staff.post(LOG, _data(token))
    second = staff.post(LOG, _data(token), follow=True)
    assert Case.objects.count() == 1
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "This complaint was already logged as" in second.content.decode()


def test_a_further_complaint_is_added_to_the_existing_case(
    staff: Client, ania: User, ania_case: Case
) -> None:
    path = f"{LOG}{ania_case.reference}/"
    token = _token(staff, path)
    response = staff.post(path, {"token": token, "channel": "phone", "text": TEXT})

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{ania_case.reference}/"
    assert Case.objects.count() == 1
    message = Message.objects.get(case=ania_case, direction=Direction.IN, channel="phone")
    assert message.author == ania
    assert message.sender_name == ania_case.customer.name
    event = ania_case.events.get(kind=EventKind.CUSTOMER_MESSAGE)
    assert event.actor == ania
    assert event.data["channel"] == "phone"


def test_a_team_mate_covering_the_phone_may_log_on_the_case(
    client: Client, piotr: User, ania_case: Case
) -> None:
    _login(client, piotr)
    path = f"{LOG}{ania_case.reference}/"
    response = client.post(path, {"token": _token(client, path), "channel": "phone", "text": TEXT})
    assert response.status_code == 302
    assert ania_case.messages.filter(direction=Direction.IN, author=piotr).exists()


def test_another_teams_agent_gets_404_and_changes_nothing(
    client: Client, boryana: User, ania_case: Case
) -> None:
    _login(client, boryana)
    path = f"{LOG}{ania_case.reference}/"
    assert client.get(path).status_code == 404
    response = client.post(path, {"token": "x", "channel": "phone", "text": TEXT})
    assert response.status_code == 404
    assert not ania_case.messages.exists()


def test_a_social_post_on_a_case_needs_its_address(staff: Client, ania_case: Case) -> None:
    path = f"{LOG}{ania_case.reference}/"
    response = staff.post(path, {"token": _token(staff, path), "channel": "social", "text": TEXT})
    assert response.status_code == 400
    assert not ania_case.messages.exists()


def test_on_a_closed_case_it_opens_a_new_case_linked_as_a_repeat(
    staff: Client, ania: User, ania_case: Case
) -> None:
    case_services.acknowledge(ania_case, actor=ania)
    make_resolvable(ania_case, ania)
    for state in (State.RESOLUTION_PROPOSED, State.RESOLVED, State.CLOSED):
        case_services.change_state(ania_case, to=state, actor=ania)
    path = f"{LOG}{ania_case.reference}/"
    response = staff.post(
        path, {"token": _token(staff, path), "channel": "in_person", "text": TEXT}
    )

    new_case = Case.objects.exclude(pk=ania_case.pk).get()
    assert response["Location"] == f"/cases/{new_case.reference}/"
    assert new_case.repeat_of == ania_case
    assert new_case.channel == "in_person"


def test_other_methods_are_refused(staff: Client, ania_case: Case) -> None:
    assert staff.delete(LOG).status_code == 405
    assert staff.put(f"{LOG}{ania_case.reference}/").status_code == 405
