"""The Messages panel of the case page: the conversation, attachments, held drafts, retries and
replies e-mailed to the customer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amends.accounts.models import User
from amends.cases.models import Case, EventKind, State
from amends.intake import outbound
from amends.intake.complaint import Complaint, IncomingAttachment
from amends.intake.models import AckAction, AcknowledgementRule, Delivery, Direction, Message
from amends.intake.services import receive
from tests.intake.smtp_server import SmtpServer, smtp_server_fixture  # noqa: F401

TEXT = (
    "Dzień dobry, kupiłem pralkę w Waszym sklepie w marcu i od tygodnia przecieka. "
    "Proszę o naprawę albo wymianę na nową."
)
PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def complain(ania: User, django_capture_on_commit_callbacks: Any) -> Callable[..., Case]:
    """A complaint received by e-mail, owned by Ania; the commit's tasks run."""

    def make(**kwargs: Any) -> Case:
        User.objects.exclude(pk=ania.pk).update(takes_new_cases=False)
        values: dict[str, Any] = {
            "channel": "email",
            "text": TEXT,
            "subject": "Pralka przecieka",
            "sender_name": "Jan Kowalski",
            "sender_email": "jan@example.pl",
            "message_id": "complaint-1@mail.example.pl",
            "attachments": (IncomingAttachment("pralka.png", "image/png", PHOTO),),
        }
        values.update(kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            case = receive(Complaint(**values)).case
        assert case.owner == ania
        return case

    return make


@pytest.fixture
def held(complain: Callable[..., Case]) -> Case:
    AcknowledgementRule.objects.create(channel="email", action=AckAction.HOLD)
    return complain()


def page(case: Case) -> str:
    return reverse("cases:case-detail", args=[case.reference])


def download_url(case: Case, attachment_pk: int) -> str:
    return reverse("cases:download-attachment", args=[case.reference, attachment_pk])


def send_url(case: Case, message: Message) -> str:
    return reverse("cases:send-draft", args=[case.reference, message.pk])


def retry_url(case: Case, message: Message) -> str:
    return reverse("cases:retry-message", args=[case.reference, message.pk])


def _draft(case: Case) -> Message:
    return case.messages.get(direction=Direction.OUT, delivery=Delivery.DRAFT)


# The conversation


def test_the_conversation_shows_the_complaint_then_the_sent_acknowledgement(
    login: Callable[[User], Client], ania: User, complain: Callable[..., Case]
) -> None:
    case = complain()

    response = login(ania).get(page(case))

    assert response.status_code == 200
    content = response.content.decode()
    rows = response.context["conversation"]
    assert [row.message.direction for row in rows] == [Direction.IN, Direction.OUT]
    assert "From Jan Kowalski via E-mail" in content
    assert "To jan@example.pl" in content
    assert 'class="delivery delivery--sent">Sent<' in content
    assert "Bardzo przepraszam, że tak się stało." in content
    assert content.index("From Jan Kowalski") < content.index("To jan@example.pl")


def test_a_case_without_messages_says_so(
    login: Callable[[User], Client], ania: User, ania_case: Case
) -> None:
    assert "No messages yet." in login(ania).get(page(ania_case)).content.decode()


def test_the_page_needs_few_queries_however_long_the_conversation(
    login: Callable[[User], Client],
    ania: User,
    complain: Callable[..., Case],
    django_assert_max_num_queries: Any,
) -> None:
    case = complain()
    for n in range(10):
        receive(
            Complaint(
                channel="email",
                text=f"Jeszcze jedno zdjęcie numer {n}.",
                sender_email="jan@example.pl",
                message_id=f"more-{n}@mail.example.pl",
                in_reply_to="complaint-1@mail.example.pl",
                attachments=(IncomingAttachment(f"zdjecie-{n}.png", "image/png", PHOTO),),
            )
        )
    client = login(ania)
    client.get(page(case))

    # 16 for the case core and the conversation, 8 for the resolution panels.
    with django_assert_max_num_queries(24):
        response = client.get(page(case))

    assert len(response.context["conversation"]) == 12


# Attachments


@pytest.mark.parametrize("persona", ["ania", "piotr", "marta"])
def test_staff_who_see_the_case_download_its_attachments(
    persona: str,
    request: pytest.FixtureRequest,
    login: Callable[[User], Client],
    complain: Callable[..., Case],
) -> None:
    case = complain()
    user = request.getfixturevalue(persona)
    attachment = case.messages.get(direction=Direction.IN).attachments.get()

    response = login(user).get(download_url(case, attachment.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PHOTO
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="pralka.png"'
    assert response["Content-Security-Policy"] == "sandbox"


def test_the_case_page_links_the_attachment(
    login: Callable[[User], Client], ania: User, complain: Callable[..., Case]
) -> None:
    case = complain()
    attachment = case.messages.get(direction=Direction.IN).attachments.get()

    content = login(ania).get(page(case)).content.decode()

    assert f'href="{download_url(case, attachment.pk)}"' in content
    assert "pralka.png" in content


def test_another_teams_agent_cannot_download_an_attachment(
    login: Callable[[User], Client], boryana: User, complain: Callable[..., Case]
) -> None:
    case = complain()
    attachment = case.messages.get(direction=Direction.IN).attachments.get()

    assert login(boryana).get(download_url(case, attachment.pk)).status_code == 404


def test_an_attachment_is_served_only_under_its_own_case(
    login: Callable[[User], Client],
    ania: User,
    ania_case: Case,
    complain: Callable[..., Case],
) -> None:
    case = complain()
    attachment = case.messages.get(direction=Direction.IN).attachments.get()

    response = login(ania).get(download_url(ania_case, attachment.pk))

    assert response.status_code == 404


def test_downloading_is_get_only(
    login: Callable[[User], Client], ania: User, complain: Callable[..., Case]
) -> None:
    case = complain()
    attachment = case.messages.get(direction=Direction.IN).attachments.get()

    assert login(ania).post(download_url(case, attachment.pk)).status_code == 405


def test_anonymous_users_cannot_download(client: Client, complain: Callable[..., Case]) -> None:
    case = complain()
    attachment = case.messages.get(direction=Direction.IN).attachments.get()

    response = client.get(download_url(case, attachment.pk))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# Held drafts


def test_the_owner_sees_the_held_acknowledgement_as_an_editable_draft(
    login: Callable[[User], Client], ania: User, held: Case
) -> None:
    draft = _draft(held)

    response = login(ania).get(page(held))

    content = response.content.decode()
    assert 'class="delivery delivery--draft">Held for the owner<' in content
    assert f'action="{send_url(held, draft)}"' in content
    assert f'id="draft-{draft.pk}-body"' in content
    assert "Bardzo przepraszam" in content


def test_a_team_mate_sees_the_draft_without_the_form(
    login: Callable[[User], Client], piotr: User, held: Case
) -> None:
    draft = _draft(held)

    content = login(piotr).get(page(held)).content.decode()

    assert send_url(held, draft) not in content
    assert "Bardzo przepraszam" in content


def test_the_owner_sends_the_edited_draft_and_the_case_is_acknowledged(
    login: Callable[[User], Client],
    ania: User,
    held: Case,
    django_capture_on_commit_callbacks: Any,
) -> None:
    draft = _draft(held)
    body = draft.body.replace("Dzień dobry,", "Szanowny Panie Janie,")

    with django_capture_on_commit_callbacks(execute=True):
        response = login(ania).post(
            send_url(held, draft), {"subject": "Pańska reklamacja", "body": body}
        )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.delivery == Delivery.SENT
    assert draft.author == ania
    (sent,) = mail.outbox
    assert sent.subject == "Pańska reklamacja"
    assert sent.body.startswith("Szanowny Panie Janie,")
    held.refresh_from_db()
    assert held.state == State.ACKNOWLEDGED


def test_a_manager_may_send_the_draft(
    login: Callable[[User], Client],
    marta: User,
    held: Case,
    django_capture_on_commit_callbacks: Any,
) -> None:
    draft = _draft(held)

    with django_capture_on_commit_callbacks(execute=True):
        response = login(marta).post(send_url(held, draft), {"subject": "S", "body": "B"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_an_empty_draft_is_refused_and_stays_held(
    login: Callable[[User], Client], ania: User, held: Case
) -> None:
    draft = _draft(held)

    response = login(ania).post(send_url(held, draft), {"subject": "S", "body": ""})

    assert response.status_code == 400
    assert f'id="draft-{draft.pk}-body"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.delivery == Delivery.DRAFT


def test_a_draft_sent_twice_goes_out_once(
    login: Callable[[User], Client],
    ania: User,
    held: Case,
    django_capture_on_commit_callbacks: Any,
) -> None:
    draft = _draft(held)
    client = login(ania)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(send_url(held, draft), {"subject": "S", "body": "B"})

    response = client.post(send_url(held, draft), {"subject": "S", "body": "B"})

    assert response.status_code == 400
    assert "no longer a draft" in response.content.decode()
    assert len(mail.outbox) == 1


def test_sending_a_draft_is_post_only(
    login: Callable[[User], Client], ania: User, held: Case
) -> None:
    assert login(ania).get(send_url(held, _draft(held))).status_code == 405


def test_another_teams_agent_cannot_send_a_draft(
    login: Callable[[User], Client], boryana: User, held: Case
) -> None:
    draft = _draft(held)

    response = login(boryana).post(send_url(held, draft), {"subject": "S", "body": "B"})

    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.delivery == Delivery.DRAFT


def test_a_team_mate_cannot_send_the_owners_draft(
    login: Callable[[User], Client], piotr: User, held: Case
) -> None:
    draft = _draft(held)

    response = login(piotr).post(send_url(held, draft), {"subject": "S", "body": "B"})

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.delivery == Delivery.DRAFT


def test_a_draft_of_another_case_is_not_found(
    login: Callable[[User], Client], ania: User, ania_case: Case, held: Case
) -> None:
    response = login(ania).post(send_url(ania_case, _draft(held)), {"subject": "S", "body": "B"})

    assert response.status_code == 404


def test_sending_a_draft_needs_the_csrf_token(ania: User, held: Case) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(ania)

    response = client.post(send_url(held, _draft(held)), {"subject": "S", "body": "B"})

    assert response.status_code == 403
    assert _draft(held).delivery == Delivery.DRAFT


# Failed messages


@pytest.fixture
def failed(
    complain: Callable[..., Case], smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> Case:
    """A case whose acknowledgement could not be delivered after every attempt."""
    smtp_server.refuse("550 5.1.1 <jan@example.pl>: Recipient address rejected")
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        case = complain()
    for delay in outbound.ATTEMPT_DELAYS:
        now += delay
        with time_machine.travel(now, tick=False):
            outbound.retry_due()
    assert case.messages.get(direction=Direction.OUT).delivery == Delivery.FAILED
    return case


@pytest.mark.mail
def test_a_failed_message_shows_its_error_and_attempts_and_a_retry_button(
    login: Callable[[User], Client], ania: User, failed: Case
) -> None:
    message = failed.messages.get(direction=Direction.OUT)

    content = login(ania).get(page(failed)).content.decode()

    assert 'class="delivery delivery--failed">Failed<' in content
    assert "Delivery failed after 6 attempts." in content
    assert "Recipient address rejected" in content
    assert f'action="{retry_url(failed, message)}"' in content


@pytest.mark.mail
def test_a_message_being_retried_shows_the_next_attempt(
    login: Callable[[User], Client],
    ania: User,
    complain: Callable[..., Case],
    smtp_server: SmtpServer,
) -> None:
    smtp_server.refuse("451 4.3.0 Try again later")
    case = complain()

    content = login(ania).get(page(case)).content.decode()

    assert 'class="delivery delivery--queued">Retrying<' in content
    assert "Delivery failed after 1 attempt." in content
    assert "Next attempt:" in content


@pytest.mark.mail
def test_the_owner_retries_a_failed_message(
    login: Callable[[User], Client],
    ania: User,
    failed: Case,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    message = failed.messages.get(direction=Direction.OUT)
    smtp_server.accept()

    with django_capture_on_commit_callbacks(execute=True):
        response = login(ania).post(retry_url(failed, message))

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.delivery == Delivery.SENT
    assert len(smtp_server.received) == 1
    failed.refresh_from_db()
    assert failed.state == State.ACKNOWLEDGED


@pytest.mark.mail
def test_retrying_is_post_only_and_only_for_those_who_work_the_case(
    login: Callable[[User], Client], ania: User, piotr: User, boryana: User, failed: Case
) -> None:
    message = failed.messages.get(direction=Direction.OUT)

    assert login(ania).get(retry_url(failed, message)).status_code == 405
    assert login(boryana).post(retry_url(failed, message)).status_code == 404
    assert login(piotr).post(retry_url(failed, message)).status_code == 403
    message.refresh_from_db()
    assert message.delivery == Delivery.FAILED


def test_a_message_that_did_not_fail_cannot_be_retried(
    login: Callable[[User], Client], ania: User, complain: Callable[..., Case]
) -> None:
    case = complain()
    sent = case.messages.get(direction=Direction.OUT)

    response = login(ania).post(retry_url(case, sent), follow=True)

    assert "Only a message that could not be delivered can be retried." in (
        response.content.decode()
    )
    assert len(mail.outbox) == 1


# Replies


@pytest.mark.mail
def test_a_reply_is_e_mailed_to_the_customer_threaded_to_their_last_message(
    login: Callable[[User], Client],
    ania: User,
    complain: Callable[..., Case],
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = complain()
    day = timezone.localdate() + timedelta(days=3)

    with django_capture_on_commit_callbacks(execute=True):
        response = login(ania).post(
            reverse("cases:record-reply", args=[case.reference]),
            {"text": "Technik przyjedzie w czwartek.", "next_step": day.isoformat()},
        )

    assert response.status_code == 302
    ack, reply = smtp_server.received
    assert reply.message["To"] == "jan@example.pl"
    assert reply.message["In-Reply-To"] == "<complaint-1@mail.example.pl>"
    assert reply.message["Subject"].strip() == f"Re: Pralka przecieka [{case.reference}]"
    lines = [line for line in reply.text.splitlines() if line.strip()]
    assert lines[0] == "Technik przyjedzie w czwartek."
    assert "/portal/" in lines[-1]
    (event,) = case.events.filter(kind=EventKind.REPLY)
    assert 0 <= event.data["coach_score"] < 100
    message = case.messages.get(direction=Direction.OUT, purpose="reply")
    assert message.delivery == Delivery.SENT
    assert message.author == ania
    assert case.events.filter(kind=EventKind.REPLY).count() == 1
    assert case.events.filter(kind=EventKind.MESSAGE_SENT).count() == 2


def test_the_composer_says_the_reply_is_e_mailed(
    login: Callable[[User], Client], ania: User, ania_case: Case
) -> None:
    content = login(ania).get(page(ania_case)).content.decode()

    assert "It is e-mailed to jan@example.pl" in content
    assert "Send reply" in content


def test_a_reply_to_a_customer_without_e_mail_is_only_recorded(
    login: Callable[[User], Client],
    ania: User,
    ania_case: Case,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ania_case.customer.email = ""
    ania_case.customer.save(update_fields=["email"])

    with django_capture_on_commit_callbacks(execute=True):
        response = login(ania).post(
            reverse("cases:record-reply", args=[ania_case.reference]), {"text": "Oddzwonię jutro."}
        )

    assert response.status_code == 302
    assert not Message.objects.exists()
    assert mail.outbox == []
    assert ania_case.events.filter(kind=EventKind.REPLY).count() == 1
    assert "Record reply" in login(ania).get(page(ania_case)).content.decode()


def test_a_refused_reply_sends_nothing(
    login: Callable[[User], Client],
    ania: User,
    ania_case: Case,
    django_capture_on_commit_callbacks: Any,
) -> None:
    late = timezone.localtime(ania_case.statutory_due).date() + timedelta(days=5)

    with django_capture_on_commit_callbacks(execute=True):
        response = login(ania).post(
            reverse("cases:record-reply", args=[ania_case.reference]),
            {"text": "Później.", "next_step": late.isoformat()},
        )

    assert response.status_code == 400
    assert not Message.objects.exists()
    assert mail.outbox == []
