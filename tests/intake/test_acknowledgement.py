"""The acknowledgement (PRODUCT.md C a-d) as the customer receives it from a real SMTP server,
in their language, threaded to their complaint; and the rules that hold it for the owner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from amends.accounts.models import Role, User
from amends.cases import services as case_services
from amends.cases.models import Case, Category, Customer, EventKind, State
from amends.intake import acknowledgement, outbound
from amends.intake.complaint import Complaint
from amends.intake.models import AckAction, AcknowledgementRule, Delivery, Direction, Message
from amends.intake.services import Received, receive
from tests.intake.smtp_server import SmtpServer, smtp_server_fixture  # noqa: F401

pytestmark = pytest.mark.mail

TEXTS = {
    "pl": "Dzień dobry, kupiłem pralkę w Waszym sklepie w marcu i od tygodnia przecieka. "
    "Proszę o naprawę albo wymianę na nową.",
    "bg": "Здравейте, купих хладилник от вашия магазин преди месец и той спря да работи. "
    "Моля за ремонт или замяна.",
    "fi": "Hei, ostin teiltä astianpesukoneen viime kuussa ja se vuotaa vettä lattialle. "
    "Pyydän korjausta tai uutta konetta.",
    "en": "Hello, I bought a coffee machine from your shop last month and it stopped working "
    "after two weeks. I would like a replacement.",
}
# What only the acknowledgement in that language says, and who signs it.
EXPECTED = {
    "pl": ("Bardzo przepraszam, że tak się stało.", "Nazywam się Ania Nowak", "Reklamacja"),
    "bg": ("Съжалявам, че това се случи.", "Казвам се Boryana Petrova", "Рекламация"),
    "fi": ("Pahoittelen, että näin pääsi käymään.", "Nimeni on Aino Virtanen", "Reklamaationne"),
    "en": ("I'm sorry this happened.", "My name is Ania Nowak", "Your complaint"),
}
REGISTER_LINES = {
    "bg": "Входящ номер в регистъра на рекламациите: 1.",
    "en": "Complaint register number: 1.",
}


@pytest.fixture
def agents(ania: User, boryana: User) -> dict[str, User]:
    aino = User.objects.create_user(
        "aino",
        password="x",
        first_name="Aino",
        last_name="Virtanen",
        role=Role.AGENT,
        languages=["fi", "en"],
    )
    return {"pl": ania, "bg": boryana, "fi": aino, "en": ania}


@pytest.fixture
def complain(django_capture_on_commit_callbacks: Any) -> Callable[..., Received]:
    """Receive a complaint by e-mail and run what its commit starts (the sending task)."""

    def make(lang: str = "pl", **kwargs: Any) -> Received:
        values: dict[str, Any] = {
            "channel": "email",
            "text": TEXTS[lang],
            "sender_name": "Kim Customer",
            "sender_email": f"kim.{lang}@example.eu",
            "message_id": f"complaint-{lang}@mail.example.eu",
            "references": (f"earlier-{lang}@mail.example.eu",),
        }
        values.update(kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            return receive(Complaint(**values))

    return make


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_the_customer_receives_the_acknowledgement_in_their_language_threaded_to_the_complaint(
    lang: str,
    agents: dict[str, User],
    smtp_server: SmtpServer,
    complain: Callable[..., Received],
) -> None:
    case = complain(lang).case

    (received,) = smtp_server.received
    sent = received.message
    ack = case.messages.get(direction=Direction.OUT)
    apology, introduction, subject_start = EXPECTED[lang]
    assert sent["Message-ID"] == f"<{ack.message_id}>"
    assert sent["In-Reply-To"] == f"<complaint-{lang}@mail.example.eu>"
    assert sent["References"] == (
        f"<earlier-{lang}@mail.example.eu> <complaint-{lang}@mail.example.eu>"
    )
    assert sent["Auto-Submitted"] == "auto-replied"
    assert sent["From"] == "Amends Desk <complaints@desk.example>"
    assert sent["To"] == f"kim.{lang}@example.eu"
    # Django folds an encoded Subject onto a continuation line; readers drop the blank.
    assert sent["Subject"].strip().startswith(subject_start)
    assert case.reference in sent["Subject"]
    assert apology in received.text
    assert introduction in received.text
    assert case.reference in received.text
    assert ("регистъра" in received.text) == (lang == "bg")
    case.refresh_from_db()
    assert case.state == State.ACKNOWLEDGED
    assert case.acknowledged_at is not None
    acknowledged = case.events.get(kind=EventKind.ACKNOWLEDGED)
    assert acknowledged.actor == agents[lang]
    assert case.events.filter(kind=EventKind.MESSAGE_SENT).count() == 1


def test_a_bulgarian_consumer_gets_the_register_number_line(
    agents: dict[str, User], smtp_server: SmtpServer, complain: Callable[..., Received]
) -> None:
    case = complain("bg").case

    assert case.register_entry.number == 1
    assert REGISTER_LINES["bg"] in smtp_server.received[0].text


def test_a_bulgarian_consumer_writing_in_english_gets_the_register_line_in_english(
    agents: dict[str, User], smtp_server: SmtpServer, complain: Callable[..., Received]
) -> None:
    complain("en", jurisdiction="BG")

    assert REGISTER_LINES["en"] in smtp_server.received[0].text


def test_a_bulgarian_business_gets_no_register_line(
    agents: dict[str, User], smtp_server: SmtpServer, complain: Callable[..., Received]
) -> None:
    case = complain("bg", customer_kind="business").case

    assert not hasattr(case, "register_entry")
    assert "регистъра" not in smtp_server.received[0].text


def test_a_reply_to_the_acknowledgement_threads_back_into_the_case(
    agents: dict[str, User], smtp_server: SmtpServer, complain: Callable[..., Received]
) -> None:
    case = complain("pl").case
    sent = smtp_server.received[0].message

    answer = complain(
        "pl",
        text="Dziękuję. Pralka cieknie spod drzwi, zdjęcia w załączniku.",
        message_id="answer-pl@mail.example.eu",
        in_reply_to=sent["Message-ID"].strip("<>"),
        references=tuple(r.strip("<>") for r in sent["References"].split())
        + (sent["Message-ID"].strip("<>"),),
    )

    assert answer.case == case
    assert not answer.created
    assert len(smtp_server.received) == 1  # an answer is not acknowledged again


def test_when_the_server_refuses_the_case_waits_and_is_acknowledged_once_it_is_sent(
    agents: dict[str, User], smtp_server: SmtpServer, complain: Callable[..., Received]
) -> None:
    smtp_server.refuse("451 4.7.1 Greylisted, try again later")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        case = complain("pl").case

    ack = case.messages.get(direction=Direction.OUT)
    assert ack.delivery == Delivery.QUEUED
    assert ack.attempts == 1
    assert "Greylisted" in ack.last_error
    case.refresh_from_db()
    assert case.state == State.RECEIVED

    smtp_server.accept()
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert outbound.retry_due() == 1

    case.refresh_from_db()
    assert case.state == State.ACKNOWLEDGED
    assert len(smtp_server.received) == 1


def test_an_acknowledgement_that_never_goes_out_leaves_the_case_received_with_a_failure_event(
    agents: dict[str, User], smtp_server: SmtpServer, complain: Callable[..., Received]
) -> None:
    smtp_server.down()
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        case = complain("fi").case
    for delay in outbound.ATTEMPT_DELAYS:
        now += delay
        with time_machine.travel(now, tick=False):
            outbound.retry_due()

    case.refresh_from_db()
    assert case.state == State.RECEIVED
    assert case.messages.get(direction=Direction.OUT).delivery == Delivery.FAILED
    assert case.events.filter(kind=EventKind.MESSAGE_FAILED).count() == 1


def test_a_held_acknowledgement_waits_until_the_owner_sends_it(
    agents: dict[str, User],
    ania: User,
    smtp_server: SmtpServer,
    complain: Callable[..., Received],
    django_capture_on_commit_callbacks: Any,
) -> None:
    AcknowledgementRule.objects.create(channel="email", action=AckAction.HOLD)
    case = complain("pl").case

    draft = case.messages.get(direction=Direction.OUT)
    assert draft.delivery == Delivery.DRAFT
    assert smtp_server.received == []
    case.refresh_from_db()
    assert case.state == State.RECEIVED

    with django_capture_on_commit_callbacks(execute=True):
        outbound.release(
            draft,
            actor=ania,
            subject=draft.subject,
            body=draft.body.replace("Dzień dobry,", "Szanowny Panie,"),
        )

    (received,) = smtp_server.received
    assert received.text.startswith("Szanowny Panie,")
    assert received.message["In-Reply-To"] == "<complaint-pl@mail.example.eu>"
    case.refresh_from_db()
    assert case.state == State.ACKNOWLEDGED


def test_a_hold_rule_for_another_channel_does_not_hold(
    agents: dict[str, User], smtp_server: SmtpServer, complain: Callable[..., Received]
) -> None:
    AcknowledgementRule.objects.create(channel="web_form", action=AckAction.HOLD)

    complain("pl")

    assert len(smtp_server.received) == 1


def test_a_category_rule_holds_complaints_triaged_into_it(
    agents: dict[str, User], smtp_server: SmtpServer, complain: Callable[..., Received]
) -> None:
    leaks = Category.objects.create(name="Leaks", keywords="przeciek*\nleak*")
    AcknowledgementRule.objects.create(category=leaks, action=AckAction.HOLD)

    case = complain("pl").case

    assert case.category == leaks
    assert case.messages.get(direction=Direction.OUT).delivery == Delivery.DRAFT
    assert smtp_server.received == []


@pytest.fixture
def leaks(db: None) -> Category:
    return Category.objects.create(name="Leaks")


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ([], AckAction.SEND),
        ([("", None, AckAction.HOLD)], AckAction.HOLD),
        ([("", None, AckAction.HOLD), ("email", None, AckAction.SEND)], AckAction.SEND),
        ([("email", None, AckAction.SEND), ("", "leaks", AckAction.HOLD)], AckAction.HOLD),
        ([("", "leaks", AckAction.HOLD), ("email", "leaks", AckAction.SEND)], AckAction.SEND),
        ([("web_form", "leaks", AckAction.HOLD)], AckAction.SEND),
    ],
)
def test_the_most_specific_rule_decides(
    rules: list[tuple[str, str | None, str]],
    expected: str,
    leaks: Category,
    make_case: Callable[..., Case],
    customer_pl: Customer,
    ania: User,
) -> None:
    for channel, category, action in rules:
        AcknowledgementRule.objects.create(
            channel=channel, category=leaks if category else None, action=action
        )
    case = make_case(customer_pl, owner=ania, category=leaks)

    assert acknowledgement.policy_for(case) == expected


def test_no_acknowledgement_is_drafted_for_a_customer_without_e_mail(
    agents: dict[str, User], smtp_server: SmtpServer, complain: Callable[..., Received]
) -> None:
    case = complain("pl", channel="phone", sender_email="", sender_phone="+48 600 100 200").case

    assert not Message.objects.filter(case=case, direction=Direction.OUT).exists()
    assert smtp_server.received == []


def test_acknowledgement_rules_are_edited_in_the_admin(admin_client: Any, leaks: Category) -> None:
    response = admin_client.post(
        "/admin/intake/acknowledgementrule/add/",
        {"channel": "email", "category": leaks.pk, "action": AckAction.HOLD},
    )

    assert response.status_code == 302
    rule = AcknowledgementRule.objects.get()
    assert (rule.channel, rule.category, rule.action) == ("email", leaks, AckAction.HOLD)
    assert admin_client.get("/admin/intake/acknowledgementrule/").status_code == 200


def test_messages_are_read_only_in_the_admin(
    admin_client: Any, agents: dict[str, User], complain: Callable[..., Received]
) -> None:
    message = complain("pl").message

    assert admin_client.get("/admin/intake/message/").status_code == 200
    page = admin_client.get(f"/admin/intake/message/{message.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    response = admin_client.post(
        f"/admin/intake/message/{message.pk}/change/", {"subject": "changed"}
    )
    assert response.status_code == 403
    assert admin_client.get("/admin/intake/message/add/").status_code == 403


def test_a_held_acknowledgement_sent_after_the_owner_acknowledged_by_phone_changes_no_state(
    agents: dict[str, User],
    ania: User,
    smtp_server: SmtpServer,
    complain: Callable[..., Received],
    django_capture_on_commit_callbacks: Any,
) -> None:
    AcknowledgementRule.objects.create(channel="email", action=AckAction.HOLD)
    case = complain("pl").case
    case_services.acknowledge(case, actor=ania)
    draft = case.messages.get(direction=Direction.OUT)

    with django_capture_on_commit_callbacks(execute=True):
        outbound.release(draft, actor=ania, subject=draft.subject, body=draft.body)

    draft.refresh_from_db()
    assert draft.delivery == Delivery.SENT
    assert case.events.filter(kind=EventKind.ACKNOWLEDGED).count() == 1
    assert len(smtp_server.received) == 1
