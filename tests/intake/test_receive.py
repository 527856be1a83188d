"""receive(): every channel's complaint becomes one case, once, threaded and linked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from amends.accounts.models import Role, User
from amends.cases import services as case_services
from amends.cases.models import Case, Customer, EventKind, State
from amends.intake.complaint import Complaint, IncomingAttachment
from amends.intake.models import (
    AckAction,
    AcknowledgementRule,
    Delivery,
    Direction,
    Message,
    RegisterEntry,
)
from amends.intake.services import receive
from tests.resolution.helpers import make_resolvable

PL_TEXT = (
    "Dzień dobry, kupiłem pralkę w Waszym sklepie w marcu i od tygodnia przecieka. "
    "Proszę o naprawę albo wymianę na nową."
)
BG_TEXT = (
    "Здравейте, купих хладилник от вашия магазин преди месец и той спря да работи. "
    "Моля за ремонт или замяна."
)
FI_TEXT = (
    "Hei, ostin teiltä astianpesukoneen viime kuussa ja se vuotaa vettä lattialle. "
    "Pyydän korjausta tai uutta konetta."
)
EN_TEXT = (
    "Hello, I bought a coffee machine from your shop last month and it stopped working "
    "after two weeks. I would like a replacement."
)


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
def complaint() -> Callable[..., Complaint]:
    def make(**kwargs: Any) -> Complaint:
        values: dict[str, Any] = {
            "channel": "email",
            "text": PL_TEXT,
            "subject": "Pralka przecieka",
            "sender_name": "Jan Kowalski",
            "sender_email": "jan@example.pl",
        }
        values.update(kwargs)
        return Complaint(**values)

    return make


def _receive(capture: Any, item: Complaint, **kwargs: Any) -> Any:
    with capture(execute=True):
        return receive(item, **kwargs)


@pytest.mark.parametrize(
    ("lang", "text", "greeting"),
    [
        ("pl", PL_TEXT, "Nazywam się Ania Nowak"),
        ("bg", BG_TEXT, "Boryana Petrova"),
        ("fi", FI_TEXT, "Aino Virtanen"),
        ("en", EN_TEXT, "Ania Nowak"),
    ],
)
def test_a_new_complaint_opens_a_case_with_an_owner_and_an_acknowledgement(
    lang: str,
    text: str,
    greeting: str,
    agents: dict[str, User],
    complaint: Callable[..., Complaint],
    django_capture_on_commit_callbacks: Any,
) -> None:
    result = _receive(
        django_capture_on_commit_callbacks,
        complaint(text=text, subject="", message_id=f"first-{lang}@mail.example"),
    )

    case = result.case
    assert result.created
    assert not result.duplicate
    assert case.language == lang
    assert case.owner == agents[lang]
    assert case.messages.get(direction=Direction.IN).body == text
    ack = case.messages.get(direction=Direction.OUT)
    assert ack.purpose == "acknowledgement"
    assert ack.delivery == Delivery.SENT
    assert ack.in_reply_to == f"first-{lang}@mail.example"
    assert case.reference in ack.subject
    assert greeting in ack.body
    (sent,) = mail.outbox
    assert sent.to == ["jan@example.pl"]
    assert sent.extra_headers["In-Reply-To"] == f"<first-{lang}@mail.example>"
    case.refresh_from_db()
    assert case.state == State.ACKNOWLEDGED


def test_the_same_item_offered_twice_is_stored_once(
    agents: dict[str, User], complaint: Callable[..., Complaint]
) -> None:
    first = receive(complaint(source_key="imap:1:7:42"))
    again = receive(complaint(source_key="imap:1:7:42"))

    assert again.duplicate
    assert not again.created
    assert again.case == first.case
    assert Case.objects.count() == 1
    assert Message.objects.filter(direction=Direction.IN).count() == 1


def test_the_same_message_id_from_two_mailboxes_is_stored_once(
    agents: dict[str, User], complaint: Callable[..., Complaint]
) -> None:
    receive(complaint(source_key="imap:1:7:42", message_id="abc@mail.example"))
    again = receive(complaint(source_key="imap:2:9:3", message_id="abc@mail.example"))

    assert again.duplicate
    assert Case.objects.count() == 1


def test_an_answer_to_our_message_threads_to_its_case(
    agents: dict[str, User],
    complaint: Callable[..., Complaint],
    django_capture_on_commit_callbacks: Any,
) -> None:
    first = _receive(django_capture_on_commit_callbacks, complaint(message_id="q1@mail.example"))
    ack = first.case.messages.get(direction=Direction.OUT)

    reply = receive(
        complaint(
            text="Dziękuję, zdjęcia wyślę jutro.",
            subject="Re: " + ack.subject,
            message_id="q2@mail.example",
            in_reply_to=ack.message_id,
            references=("q1@mail.example", ack.message_id),
        )
    )

    assert reply.case == first.case
    assert not reply.created
    assert Case.objects.count() == 1
    assert first.case.events.filter(kind=EventKind.CUSTOMER_MESSAGE).count() == 1


def test_our_reference_threads_only_for_the_cases_own_customer(
    agents: dict[str, User], complaint: Callable[..., Complaint]
) -> None:
    case = receive(complaint()).case
    text = f"W sprawie {case.reference}: nadal czekam na odpowiedź."

    own = receive(complaint(text=text, subject=f"Re: {case.reference}"))
    stranger = receive(
        complaint(text=text, subject=f"Re: {case.reference}", sender_email="eve@example.com")
    )

    assert own.case == case
    assert stranger.created
    assert stranger.case != case
    assert stranger.case.customer.email == "eve@example.com"


def test_a_repeated_complaint_about_the_same_order_is_linked_not_doubled(
    agents: dict[str, User], complaint: Callable[..., Complaint]
) -> None:
    first = receive(complaint(order_reference="ZAM-1001"))
    again = receive(
        complaint(
            text="Piszę znowu, bo nikt nie odpowiada w sprawie cieknącej pralki!",
            order_reference="zam-1001",
            subject="Ponownie: pralka",
        )
    )

    assert again.linked
    assert again.case == first.case
    assert Case.objects.count() == 1
    assert first.case.events.filter(kind=EventKind.REPEAT_CONTACT).count() == 1


def test_a_complaint_about_another_order_opens_its_own_case(
    agents: dict[str, User], complaint: Callable[..., Complaint]
) -> None:
    receive(complaint(order_reference="ZAM-1001"))
    other = receive(complaint(order_reference="ZAM-2002"))

    assert other.created
    assert Case.objects.count() == 2


def test_the_same_complaint_after_closing_opens_a_new_case_linked_to_the_old(
    agents: dict[str, User], complaint: Callable[..., Complaint], ania: User
) -> None:
    old = receive(complaint()).case
    case_services.acknowledge(old, actor=ania)
    make_resolvable(old, ania)
    for state in ("investigating", "resolution_proposed", "resolved", "closed"):
        case_services.change_state(old, to=state, actor=ania)

    new = receive(complaint(text=PL_TEXT + " To już drugi raz."))

    assert new.created
    assert new.case != old
    assert new.case.repeat_of == old
    assert new.case.events.filter(kind=EventKind.REPEAT_CONTACT).exists()


def test_bulgarian_consumers_get_consecutive_register_numbers(
    agents: dict[str, User],
    complaint: Callable[..., Complaint],
    django_capture_on_commit_callbacks: Any,
) -> None:
    first = _receive(
        django_capture_on_commit_callbacks,
        complaint(
            text=BG_TEXT,
            sender_email="ivan@example.bg",
            sender_name="Иван Петров",
            requested_remedy="Замяна",
            attachments=(IncomingAttachment("касова бележка.pdf", "application/pdf", b"%PDF-1.4"),),
        ),
    )
    second = receive(complaint(text=BG_TEXT + " Втори", sender_email="maria@example.bg"))
    business = receive(
        complaint(text=BG_TEXT, sender_email="firma@example.bg", customer_kind="business")
    )

    entry = RegisterEntry.objects.get(case=first.case)
    assert entry.number == 1
    assert entry.consumer_name == "Иван Петров"
    assert entry.documents == "касова бележка.pdf"
    assert entry.requested_remedy == "Замяна"
    assert entry.accepted_by == "Boryana Petrova"
    assert RegisterEntry.objects.get(case=second.case).number == 2
    assert not RegisterEntry.objects.filter(case=business.case).exists()
    ack = first.case.messages.get(direction=Direction.OUT)
    assert "Входящ номер в регистъра на рекламациите: 1." in ack.body


def test_attachments_are_stored_with_their_digest(
    agents: dict[str, User], complaint: Callable[..., Complaint]
) -> None:
    pdf = b"%PDF-1.4 receipt"
    result = receive(
        complaint(attachments=(IncomingAttachment("../../paragon.pdf", "application/pdf", pdf),))
    )

    (attachment,) = result.message.attachments.all()
    assert attachment.filename == "paragon.pdf"
    assert attachment.size == len(pdf)
    assert attachment.file.read() == pdf


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": "   "}, "text"),
        ({"sender_name": "", "sender_email": ""}, "sender_name"),
        ({"sender_email": "not-an-address"}, "sender_email"),
        ({"channel": "pigeon"}, "channel"),
        ({"language": "de"}, "language"),
        (
            {"attachments": (IncomingAttachment("x.exe", "application/x-msdownload", b"MZ"),)},
            "attachments",
        ),
        ({"public_url": "javascript:alert(1)"}, "public_url"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    changes: dict[str, Any],
    field: str,
    agents: dict[str, User],
    complaint: Callable[..., Complaint],
) -> None:
    with pytest.raises(ValidationError) as refused:
        receive(complaint(**changes))

    assert field in refused.value.message_dict
    assert Case.objects.count() == 0
    assert Customer.objects.count() == 0


def test_a_held_acknowledgement_waits_for_the_owner(
    agents: dict[str, User],
    complaint: Callable[..., Complaint],
    django_capture_on_commit_callbacks: Any,
) -> None:
    AcknowledgementRule.objects.create(channel="email", action=AckAction.HOLD)

    result = _receive(django_capture_on_commit_callbacks, complaint())

    ack = result.case.messages.get(direction=Direction.OUT)
    assert ack.delivery == Delivery.DRAFT
    assert mail.outbox == []
    result.case.refresh_from_db()
    assert result.case.state == State.RECEIVED


def test_no_acknowledgement_without_an_e_mail_address(
    agents: dict[str, User], complaint: Callable[..., Complaint]
) -> None:
    result = receive(complaint(channel="phone", sender_email="", sender_phone="+48 600 100 200"))

    assert result.created
    assert not result.case.messages.filter(direction=Direction.OUT).exists()
