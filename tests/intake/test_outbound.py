"""Outgoing e-mail against a real SMTP server: headers that thread, retries, failure, claims."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.mail.backends.smtp import EmailBackend
from django.utils import timezone

from amends.accounts.models import User
from amends.cases.models import Case, Channel, EventKind, Visibility
from amends.intake import outbound
from amends.intake.models import Delivery, Direction, Message
from tests.intake.smtp_server import SmtpServer, smtp_server_fixture  # noqa: F401

pytestmark = pytest.mark.mail

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _incoming(case: Case, **kwargs: Any) -> Message:
    values: dict[str, Any] = {
        "case": case,
        "direction": Direction.IN,
        "channel": Channel.EMAIL,
        "sender_email": case.customer.email,
        "subject": case.subject,
        "body": case.description,
        "at": timezone.now(),
    }
    values.update(kwargs)
    return Message.objects.create(**values)


def _reply(case: Case, author: User, capture: Any, **kwargs: Any) -> Message:
    values: dict[str, Any] = {
        "subject": "Odp: Pralka przecieka [AM]",
        "body": "Dzień dobry,\n\nprzepraszam za kłopot. Technik przyjedzie w czwartek.\n",
        "purpose": "reply",
        "author": author,
    }
    values.update(kwargs)
    with capture(execute=True):
        message = outbound.compose(case, **values)
    message.refresh_from_db()
    return message


def test_a_reply_reaches_the_server_with_headers_that_thread_back_to_the_case(
    ania: User, ania_case: Case, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    _incoming(
        ania_case,
        message_id="q2@mail.example.pl",
        references="q1@mail.example.pl",
    )

    message = _reply(ania_case, ania, django_capture_on_commit_callbacks)

    (received,) = smtp_server.received
    sent = received.message
    assert sent["Message-ID"] == f"<{message.message_id}>"
    assert message.message_id.endswith("@desk.example")
    assert sent["In-Reply-To"] == "<q2@mail.example.pl>"
    assert sent["References"] == "<q1@mail.example.pl> <q2@mail.example.pl>"
    assert sent["From"] == "Amends Desk <complaints@desk.example>"
    assert sent["To"] == "jan@example.pl"
    assert sent["Subject"] == "Odp: Pralka przecieka [AM]"
    assert "Auto-Submitted" not in sent
    assert "Technik przyjedzie w czwartek." in received.text
    assert received.rcpt_tos == ("jan@example.pl",)
    assert received.mail_from == "complaints@desk.example"
    assert message.delivery == Delivery.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    event = ania_case.events.get(kind=EventKind.MESSAGE_SENT)
    assert event.visibility == Visibility.CUSTOMER
    assert event.actor == ania
    assert event.data["message_id"] == message.pk


def test_without_a_customer_message_id_the_conversation_threads_on_our_own_ids(
    ania: User, ania_case: Case, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    _incoming(ania_case, channel=Channel.WEB_FORM, message_id="")
    first = _reply(ania_case, ania, django_capture_on_commit_callbacks)
    second = _reply(ania_case, ania, django_capture_on_commit_callbacks, body="Druga wiadomość.")

    assert first.in_reply_to == ""
    assert "In-Reply-To" not in smtp_server.received[0].message
    assert smtp_server.received[1].message["References"] == f"<{first.message_id}>"
    assert second.references == first.message_id


def test_a_customer_without_an_e_mail_address_cannot_be_written_to(
    ania: User, ania_case: Case
) -> None:
    ania_case.customer.email = ""
    ania_case.customer.save(update_fields=["email"])

    with pytest.raises(ValidationError):
        outbound.compose(ania_case, subject="S", body="B", purpose="reply", author=ania)

    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        ("451 4.3.0 Mailbox temporarily unavailable", "451"),
        ("550 5.7.1 Relaying denied", "550"),
    ],
)
def test_a_refused_message_stays_queued_with_its_error_and_next_attempt(
    reply: str,
    error: str,
    ania: User,
    ania_case: Case,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    smtp_server.refuse(reply)

    with time_machine.travel(T0, tick=False):
        message = _reply(ania_case, ania, django_capture_on_commit_callbacks)

    assert smtp_server.received == []
    assert message.delivery == Delivery.QUEUED
    assert message.attempts == 1
    assert error in message.last_error
    assert message.next_attempt_at == T0 + outbound.ATTEMPT_DELAYS[0]
    assert not ania_case.events.filter(kind=EventKind.MESSAGE_SENT).exists()


def test_a_server_that_is_down_leaves_the_message_queued(
    ania: User, ania_case: Case, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    smtp_server.down()

    with time_machine.travel(T0, tick=False):
        message = _reply(ania_case, ania, django_capture_on_commit_callbacks)

    assert message.delivery == Delivery.QUEUED
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at == T0 + outbound.ATTEMPT_DELAYS[0]


def test_retry_due_sends_the_message_when_its_time_comes_and_not_before(
    ania: User, ania_case: Case, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    smtp_server.down()
    with time_machine.travel(T0, tick=False):
        message = _reply(ania_case, ania, django_capture_on_commit_callbacks)
    smtp_server.up()

    with time_machine.travel(T0 + timedelta(seconds=59), tick=False):
        assert outbound.retry_due() == 0
    assert smtp_server.received == []

    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        assert outbound.retry_due() == 1

    message.refresh_from_db()
    assert len(smtp_server.received) == 1
    assert message.delivery == Delivery.SENT
    assert message.attempts == 2
    assert message.last_error == ""
    assert message.sent_at == T0 + timedelta(minutes=1)
    assert smtp_server.received[0].message["Message-ID"] == f"<{message.message_id}>"


def _fail_for_good(case: Case, author: User, server: SmtpServer, capture: Any) -> Message:
    server.refuse("451 4.3.0 Try again later")
    now = T0
    with time_machine.travel(now, tick=False):
        message = _reply(case, author, capture)
    for delay in outbound.ATTEMPT_DELAYS:
        now += delay
        with time_machine.travel(now, tick=False):
            assert outbound.retry_due() == 0
    message.refresh_from_db()
    return message


def test_after_the_last_attempt_the_message_fails_and_the_case_says_so(
    ania: User, ania_case: Case, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    message = _fail_for_good(ania_case, ania, smtp_server, django_capture_on_commit_callbacks)

    assert message.delivery == Delivery.FAILED
    assert message.attempts == len(outbound.ATTEMPT_DELAYS) + 1
    assert message.next_attempt_at is None
    assert "451" in message.last_error
    event = ania_case.events.get(kind=EventKind.MESSAGE_FAILED)
    assert event.visibility == Visibility.INTERNAL
    assert event.data["message_id"] == message.pk
    assert event.data["attempts"] == 6
    assert "451" in event.data["error"]
    # A failed message is left alone by the sweep.
    smtp_server.accept()
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        assert outbound.retry_due() == 0
    assert smtp_server.received == []


def test_a_failed_message_can_be_tried_again_by_hand(
    ania: User, ania_case: Case, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    message = _fail_for_good(ania_case, ania, smtp_server, django_capture_on_commit_callbacks)
    smtp_server.accept()

    with django_capture_on_commit_callbacks(execute=True):
        outbound.retry_now(message, actor=ania)

    message.refresh_from_db()
    assert message.delivery == Delivery.SENT
    assert message.attempts == 1
    assert len(smtp_server.received) == 1


def test_only_a_failed_message_can_be_tried_again(
    ania: User, ania_case: Case, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    message = _reply(ania_case, ania, django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError):
        outbound.retry_now(message, actor=ania)

    assert len(smtp_server.received) == 1


def test_a_held_draft_is_sent_as_the_owner_edited_it(
    ania: User, ania_case: Case, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    draft = _reply(ania_case, None, django_capture_on_commit_callbacks, delivery=Delivery.DRAFT)
    assert smtp_server.received == []
    assert draft.next_attempt_at is None

    with django_capture_on_commit_callbacks(execute=True):
        outbound.release(draft, actor=ania, subject="Nowy temat", body="Poprawiona treść.")

    draft.refresh_from_db()
    assert draft.delivery == Delivery.SENT
    assert draft.author == ania
    (received,) = smtp_server.received
    assert received.message["Subject"] == "Nowy temat"
    assert received.text.strip() == "Poprawiona treść."


def test_an_empty_draft_is_refused_and_stays_held(
    ania: User, ania_case: Case, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    draft = _reply(ania_case, ania, django_capture_on_commit_callbacks, delivery=Delivery.DRAFT)

    with pytest.raises(ValidationError):
        outbound.release(draft, actor=ania, subject="Temat", body="  ")

    draft.refresh_from_db()
    assert draft.delivery == Delivery.DRAFT
    assert smtp_server.received == []


def test_a_draft_is_released_only_once(
    ania: User, ania_case: Case, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    draft = _reply(ania_case, ania, django_capture_on_commit_callbacks, delivery=Delivery.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        outbound.release(draft, actor=ania, subject="Temat", body="Treść.")

    with pytest.raises(ValidationError):
        outbound.release(draft, actor=ania, subject="Temat", body="Treść.")

    assert len(smtp_server.received) == 1


def test_a_second_worker_arriving_mid_send_does_not_send_again(
    ania: User,
    ania_case: Case,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Queued, but its task has not run: the commit callbacks are not executed.
    message = outbound.compose(ania_case, subject="S", body="B", purpose="reply", author=ania)
    second: list[str] = []
    send_messages = EmailBackend.send_messages

    def while_sending(backend: EmailBackend, messages: Any) -> int:
        # The other worker (the task, or the retry sweep) picks the message up right now.
        second.append(outbound.deliver(message.pk))
        return send_messages(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", while_sending)

    assert outbound.deliver(message.pk) == Delivery.SENT

    assert second == [Delivery.QUEUED]
    assert len(smtp_server.received) == 1
    message.refresh_from_db()
    assert message.attempts == 1
    assert ania_case.events.filter(kind=EventKind.MESSAGE_SENT).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_in_parallel_send_the_message_once(
    ania: User, ania_case: Case, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection as main_connection

    if main_connection.vendor != "postgresql":
        # The shared in-memory test database refuses a second writer at once ("database table
        # is locked") instead of waiting as a file database with a busy timeout does.
        pytest.skip("needs PostgreSQL: SQLite's in-memory test database has one writer")
    # No task on commit: the two workers below race for the message instead.
    monkeypatch.setattr(outbound, "schedule", lambda message: None)
    message = outbound.compose(ania_case, subject="S", body="B", purpose="reply", author=ania)
    start = threading.Barrier(2)
    results: list[str] = []

    def worker() -> None:
        from django.db import connection

        start.wait()
        try:
            results.append(outbound.deliver(message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == [Delivery.QUEUED, Delivery.SENT]
    assert len(smtp_server.received) == 1


def test_a_message_claimed_by_a_worker_that_died_is_sent_after_the_lease(
    ania: User, ania_case: Case, smtp_server: SmtpServer
) -> None:
    with time_machine.travel(T0, tick=False):
        message = outbound.compose(ania_case, subject="S", body="B", purpose="reply", author=ania)
        # A worker claims the message and dies before sending it.
        assert outbound._claim(message.pk, timezone.now())

    with time_machine.travel(T0 + outbound.CLAIM_LEASE - timedelta(seconds=1), tick=False):
        assert outbound.retry_due() == 0
    with time_machine.travel(T0 + outbound.CLAIM_LEASE, tick=False):
        assert outbound.retry_due() == 1

    assert len(smtp_server.received) == 1
