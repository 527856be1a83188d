"""Polling IMAP against a real Dovecot: new complaints, replies, quarantine, idempotency,
UIDVALIDITY changes, and a worker killed at the worst moment losing nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amends.accounts.models import Role, User
from amends.accounts.services import set_role
from amends.cases.management.commands.worker import run_worker
from amends.cases.models import Case
from amends.intake import services
from amends.intake.mail import imap
from amends.intake.mail.imap import PROCESSED_KEYWORD, SEEN, poll, poll_all
from amends.intake.mail.quarantine import quarantine
from amends.intake.models import Direction, Mailbox, Message, QuarantinedMail
from tests.intake.imap_server import (  # noqa: F401
    PASSWORD,
    USER,
    ImapServer,
    dovecot_fixture,
    imap_server_fixture,
)


def imap_test(test: Callable[..., None]) -> Callable[..., None]:
    """Talks to the real Dovecot and needs real commits (the worker runs in threads)."""
    return pytest.mark.mail(pytest.mark.django_db(transaction=True)(test))


PASSWORD_ENV = "AMENDS_TEST_IMAP_PASSWORD"

PL_TEXT = (
    "Dzień dobry, kupiłem pralkę w Waszym sklepie w marcu i od tygodnia przecieka. "
    "Proszę o naprawę albo wymianę na nową."
)
EN_TEXT = (
    "Hello, I bought a coffee machine from your shop last month and it stopped working "
    "after two weeks. I would like a replacement."
)


def complaint_mail(
    *,
    sender: str = "Jan Kowalski <jan@example.pl>",
    subject: str = "Reklamacja pralki",
    text: str = PL_TEXT,
    message_id: str = "<first@example.pl>",
    in_reply_to: str = "",
    charset: str = "utf-8",
) -> bytes:
    msg = EmailMessage()
    if sender:
        msg["From"] = sender
    msg["To"] = "reklamacje@desk.example"
    msg["Subject"] = subject
    msg["Date"] = "Wed, 12 Mar 2025 10:15:00 +0100"
    msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    msg.set_content(text, charset=charset)
    return bytes(msg)


# No NUL byte: IMAP cannot carry one (Dovecot stores it as 0x80).
GARBAGE = b"\x01\x02\xff\xfe this is not an e-mail at all \x80\x81\r\n\r\n\xff"


@pytest.fixture
def mailbox(imap_server: ImapServer, monkeypatch: pytest.MonkeyPatch, ania: User) -> Mailbox:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    return Mailbox.objects.create(
        name="complaints",
        host="127.0.0.1",
        port=imap_server.port,
        use_ssl=False,
        username=USER,
        password_env=PASSWORD_ENV,
    )


def fresh(mailbox: Mailbox) -> Mailbox:
    mailbox.refresh_from_db()
    return mailbox


@imap_test
def test_a_new_complaint_opens_a_case_and_is_flagged_after_commit(
    imap_server: ImapServer, mailbox: Mailbox
) -> None:
    uid = imap_server.append(complaint_mail())

    result = poll(mailbox)

    assert (result.error, result.fetched, result.received) == ("", 1, 1)
    case = Case.objects.get()
    message = case.messages.get(direction=Direction.IN)
    uidvalidity = imap_server.uidvalidity()
    assert message.source_key == f"imap:{mailbox.pk}:{uidvalidity}:{uid}"
    assert message.message_id == "first@example.pl"
    assert message.sender_email == "jan@example.pl"
    assert case.customer.email == "jan@example.pl"
    assert {SEEN, PROCESSED_KEYWORD} <= imap_server.flags()[uid]
    mailbox = fresh(mailbox)
    assert (mailbox.uidvalidity, mailbox.last_uid, mailbox.last_error) == (uidvalidity, uid, "")
    assert mailbox.last_polled_at is not None
    assert len(mail.outbox) == 1  # the acknowledgement


@imap_test
def test_a_reply_to_our_message_threads_to_its_case(
    imap_server: ImapServer, mailbox: Mailbox
) -> None:
    imap_server.append(complaint_mail())
    poll(mailbox)
    case = Case.objects.get()
    ours = case.messages.get(direction=Direction.OUT)
    imap_server.append(
        complaint_mail(
            subject="Re: something else entirely",
            text="Dziękuję, czekam na kuriera.",
            message_id="<second@example.pl>",
            in_reply_to=f"<{ours.message_id}>",
        )
    )

    result = poll(mailbox)

    assert result.received == 1
    assert Case.objects.count() == 1
    assert case.messages.filter(direction=Direction.IN).count() == 2


@imap_test
def test_our_reference_in_the_subject_from_the_same_sender_threads_to_the_case(
    imap_server: ImapServer, mailbox: Mailbox
) -> None:
    imap_server.append(complaint_mail())
    poll(mailbox)
    case = Case.objects.get()
    imap_server.append(
        complaint_mail(
            subject=f"Pytanie o {case.reference}",
            text="Kiedy przyjedzie technik? To zupełnie nowe pytanie o coś innego.",
            message_id="<third@example.pl>",
        )
    )

    poll(mailbox)

    assert Case.objects.count() == 1
    assert case.messages.filter(direction=Direction.IN).count() == 2


@imap_test
def test_a_malformed_message_is_quarantined_and_the_rest_still_processed(
    imap_server: ImapServer, mailbox: Mailbox
) -> None:
    first = imap_server.append(complaint_mail())
    bad = imap_server.append(GARBAGE)
    refused = EmailMessage()
    refused["From"] = "ola@example.pl"
    refused["Subject"] = "Reklamacja"
    refused["Message-ID"] = "<zip@example.pl>"
    refused.set_content("W załączniku archiwum.")
    refused.add_attachment(b"PK\x03\x04", maintype="application", subtype="zip", filename="a.zip")
    invalid = imap_server.append(bytes(refused))
    last = imap_server.append(
        complaint_mail(sender="john@example.com", text=EN_TEXT, message_id="<en@example.com>")
    )

    result = poll(mailbox)

    assert (result.received, result.quarantined) == (2, 2)
    assert Case.objects.count() == 2
    garbage, zipped = QuarantinedMail.objects.order_by("source_key")
    uidvalidity = imap_server.uidvalidity()
    assert garbage.source_key == f"imap:{mailbox.pk}:{uidvalidity}:{bad}"
    assert "sender" in garbage.reason
    assert garbage.raw.read().replace(b"\r\n", b"\n") == GARBAGE.replace(b"\r\n", b"\n")
    assert zipped.source_key.endswith(f":{invalid}")
    assert "a.zip" in zipped.reason
    assert zipped.message_id == "zip@example.pl"
    flags = imap_server.flags()
    assert all(SEEN in flags[uid] for uid in (first, bad, invalid, last))
    assert fresh(mailbox).last_uid == last
    assert fresh(mailbox).last_error == ""


@imap_test
def test_a_second_poll_imports_nothing_twice(imap_server: ImapServer, mailbox: Mailbox) -> None:
    imap_server.append(complaint_mail())
    imap_server.append(GARBAGE)
    poll(mailbox)

    again = poll(mailbox)
    mailbox = fresh(mailbox)
    mailbox.last_uid = 0  # as if our record were lost: the keyword still says "done"
    mailbox.save(update_fields=["last_uid"])
    from_start = poll(mailbox)

    assert (again.fetched, again.received) == (0, 0)
    assert (from_start.fetched, from_start.skipped) == (0, 2)
    assert Message.objects.filter(direction=Direction.IN).count() == 1
    assert QuarantinedMail.objects.count() == 1


@imap_test
@pytest.mark.parametrize("keep_keywords", [True, False], ids=["keywords-kept", "keywords-lost"])
def test_a_changed_uidvalidity_imports_nothing_twice(
    imap_server: ImapServer, mailbox: Mailbox, keep_keywords: bool
) -> None:
    imap_server.append(complaint_mail())
    # Malformed (no sender) but with a Message-ID, which is what dedupes it without keywords.
    imap_server.append(complaint_mail(sender="", message_id="<bad@example.pl>"))
    imap_server.append(
        complaint_mail(sender="john@example.com", text=EN_TEXT, message_id="<en@example.com>")
    )
    poll(mailbox)
    old = fresh(mailbox).uidvalidity

    new = imap_server.renumber(keep_keywords=keep_keywords)
    imap_server.append(
        complaint_mail(
            sender="maija@example.fi",
            subject="Reklamaatio",
            text="Hei, ostin teiltä astianpesukoneen ja se vuotaa vettä lattialle.",
            message_id="<fi@example.fi>",
        )
    )
    result = poll(mailbox)

    assert new != old
    assert fresh(mailbox).uidvalidity == new
    assert result.received == 1  # only the new Finnish mail
    assert Case.objects.count() == 3
    assert Message.objects.filter(direction=Direction.IN).count() == 3
    assert QuarantinedMail.objects.count() == 1
    assert fresh(mailbox).last_uid == max(imap_server.uids())


def _kill_once(monkeypatch: pytest.MonkeyPatch, target: Any, name: str) -> list[int]:
    """Make `target.name` raise KeyboardInterrupt (a SIGINT, a kill) on its first call."""
    real = getattr(target, name)
    calls: list[int] = []

    def dying(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, dying)
    return calls


@imap_test
def test_a_worker_killed_inside_the_transaction_loses_nothing(
    imap_server: ImapServer, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    uid = imap_server.append(complaint_mail())
    # Killed after the case and message rows are written, before the commit.
    _kill_once(monkeypatch, services.acknowledgement, "queue")

    with pytest.raises(KeyboardInterrupt):
        poll(mailbox)

    assert Case.objects.count() == 0
    assert SEEN not in imap_server.flags()[uid]
    assert fresh(mailbox).last_uid == 0

    result = poll(fresh(mailbox))

    assert result.received == 1
    assert Case.objects.count() == 1
    assert SEEN in imap_server.flags()[uid]


@imap_test
def test_a_worker_killed_after_the_commit_but_before_flagging_stores_it_once(
    imap_server: ImapServer, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    uid = imap_server.append(complaint_mail())
    _kill_once(monkeypatch, imap, "_done")

    with pytest.raises(KeyboardInterrupt):
        poll(mailbox)

    assert Case.objects.count() == 1
    assert SEEN not in imap_server.flags()[uid]

    result = poll(fresh(mailbox))

    assert (result.received, result.duplicates) == (0, 1)
    assert Case.objects.count() == 1
    assert Message.objects.filter(direction=Direction.IN).count() == 1
    assert SEEN in imap_server.flags()[uid]


@imap_test
def test_the_message_is_unseen_while_it_is_being_received(
    imap_server: ImapServer, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    uid = imap_server.append(complaint_mail())
    seen: list[set[bytes]] = []
    real = services.receive

    def watching(*args: Any, **kwargs: Any) -> Any:
        seen.append(imap_server.flags()[uid])
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "receive", watching)

    poll(mailbox)

    assert seen == [set()]
    assert SEEN in imap_server.flags()[uid]


@imap_test
def test_stopping_finishes_the_current_message_and_leaves_the_rest(
    imap_server: ImapServer, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = imap_server.append(complaint_mail())
    second = imap_server.append(
        complaint_mail(sender="john@example.com", text=EN_TEXT, message_id="<en@example.com>")
    )
    stop = threading.Event()
    real = services.receive

    def then_sigterm(*args: Any, **kwargs: Any) -> Any:
        stop.set()  # SIGTERM arrives while the first message is being received
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "receive", then_sigterm)

    result = poll(mailbox, stop=stop)

    assert result.received == 1
    assert fresh(mailbox).last_uid == first
    assert SEEN in imap_server.flags()[first]
    assert SEEN not in imap_server.flags()[second]
    monkeypatch.setattr(services, "receive", real)
    assert poll(fresh(mailbox)).received == 1
    assert Case.objects.count() == 2


@imap_test
def test_a_database_error_leaves_the_message_for_the_next_poll_and_goes_on(
    imap_server: ImapServer, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = imap_server.append(complaint_mail())
    second = imap_server.append(
        complaint_mail(sender="john@example.com", text=EN_TEXT, message_id="<en@example.com>")
    )
    real = services.receive
    calls: list[int] = []

    def locked_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "receive", locked_once)

    result = poll(mailbox)

    assert (result.received, result.retry_later) == (1, [first])
    assert fresh(mailbox).last_uid == 0  # not past the message left behind
    assert str(first) in fresh(mailbox).last_error
    assert SEEN not in imap_server.flags()[first]
    assert SEEN in imap_server.flags()[second]

    again = poll(fresh(mailbox))

    assert (again.received, again.skipped) == (1, 1)
    assert fresh(mailbox).last_uid == second
    assert fresh(mailbox).last_error == ""
    assert Case.objects.count() == 2


@imap_test
def test_an_unexpected_error_quarantines_the_message_instead_of_blocking(
    imap_server: ImapServer, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    uid = imap_server.append(complaint_mail())

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "receive", broken)

    result = poll(mailbox)

    assert result.quarantined == 1
    assert "a bug" in QuarantinedMail.objects.get().reason
    assert fresh(mailbox).last_uid == uid


@imap_test
def test_processed_mail_is_moved_to_the_processed_folder(
    imap_server: ImapServer, mailbox: Mailbox
) -> None:
    mailbox.processed_folder = "Processed"
    mailbox.save(update_fields=["processed_folder"])
    imap_server.append(complaint_mail())
    imap_server.append(GARBAGE)

    result = poll(mailbox)

    assert (result.received, result.quarantined) == (1, 1)
    assert imap_server.uids() == []
    moved = imap_server.flags("Processed")
    assert len(moved) == 2
    assert all(SEEN in flags for flags in moved.values())


@imap_test
def test_a_missing_password_variable_is_a_clear_error(
    imap_server: ImapServer, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSWORD_ENV)
    imap_server.append(complaint_mail())

    result = poll(mailbox)

    assert PASSWORD_ENV in result.error
    assert PASSWORD_ENV in fresh(mailbox).last_error
    assert fresh(mailbox).last_polled_at is not None
    assert Case.objects.count() == 0


@imap_test
def test_a_wrong_password_is_recorded_on_the_mailbox(
    imap_server: ImapServer, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "wrong")

    result = poll(mailbox)

    assert result.error
    assert fresh(mailbox).last_error == result.error


@imap_test
def test_poll_all_polls_only_active_mailboxes(imap_server: ImapServer, mailbox: Mailbox) -> None:
    Mailbox.objects.create(
        name="old",
        host="127.0.0.1",
        port=1,
        use_ssl=False,
        username="x",
        password_env="X",
        active=False,
    )
    imap_server.append(complaint_mail())

    results = poll_all()

    assert [r.mailbox for r in results] == ["complaints"]
    assert Case.objects.count() == 1


@imap_test
def test_poll_mail_command_polls_once(
    imap_server: ImapServer, mailbox: Mailbox, capsys: pytest.CaptureFixture[str]
) -> None:
    imap_server.append(complaint_mail())

    call_command("poll_mail", once=True, mailbox="complaints")

    assert "complaints" in capsys.readouterr().out
    assert Case.objects.count() == 1


@imap_test
def test_the_worker_polls_the_mailboxes_and_stops_when_asked(
    imap_server: ImapServer, mailbox: Mailbox
) -> None:
    uid = imap_server.append(complaint_mail())
    stop = threading.Event()
    thread = threading.Thread(
        target=run_worker, args=(stop,), kwargs={"interval": 0.05, "poll_every": 0.05}
    )
    thread.start()
    # Watch the mailbox, not the database: the test database is SQLite in memory, where a read
    # from this thread would collide with the worker's write (table locks, no busy timeout).
    for _ in range(200):
        if SEEN in imap_server.flags()[uid]:
            break
        stop.wait(0.05)
    stop.set()
    thread.join(timeout=20)

    assert not thread.is_alive()
    assert SEEN in imap_server.flags()[uid]
    assert Case.objects.count() == 1


# --- admin ---------------------------------------------------------------------------------


@pytest.fixture
def manager(marta: User) -> User:
    return set_role(marta, Role.MANAGER)


@pytest.fixture
def quarantined(db: None) -> Callable[..., QuarantinedMail]:
    def make(
        raw: bytes = GARBAGE, reason: str = "The message has no sender address."
    ) -> QuarantinedMail:
        return quarantine(raw, source_key=f"imap:9:1:{len(raw)}", reason=reason)

    return make


def test_a_manager_sees_the_reason_and_downloads_the_original(
    client: Client, manager: User, quarantined: Callable[..., QuarantinedMail]
) -> None:
    item = quarantined()
    client.force_login(manager)

    listing = client.get(reverse("admin:intake_quarantinedmail_changelist"))
    download = client.get(reverse("admin:intake_quarantinedmail_raw", args=[item.pk]))

    assert listing.status_code == 200
    assert "The message has no sender address." in listing.content.decode()
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == GARBAGE  # type: ignore[attr-defined]
    assert "attachment" in download["Content-Disposition"]


def test_an_agent_cannot_download_quarantined_mail(
    client: Client, ania: User, quarantined: Callable[..., QuarantinedMail]
) -> None:
    item = quarantined()
    client.force_login(ania)

    response = client.get(reverse("admin:intake_quarantinedmail_raw", args=[item.pk]))

    assert response.status_code == 302  # to the admin login: agents are not staff


def test_retry_receives_a_mail_that_is_readable_now_and_resolves_it(
    client: Client, manager: User, ania: User, quarantined: Callable[..., QuarantinedMail]
) -> None:
    item = quarantined(complaint_mail(), reason="Unexpected error: RuntimeError: a bug since fixed")
    client.force_login(manager)

    response = client.post(
        reverse("admin:intake_quarantinedmail_changelist"),
        {"action": "retry", "_selected_action": [item.pk]},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.resolved_at is not None
    assert item.resolved_by == manager
    message = Message.objects.get(direction=Direction.IN)
    assert message.source_key == item.source_key
    assert Case.objects.count() == 1


def test_retry_of_mail_that_is_still_unreadable_keeps_it_with_the_reason(
    client: Client, manager: User, quarantined: Callable[..., QuarantinedMail]
) -> None:
    item = quarantined(reason="old reason")
    client.force_login(manager)

    client.post(
        reverse("admin:intake_quarantinedmail_changelist"),
        {"action": "retry", "_selected_action": [item.pk]},
    )

    item.refresh_from_db()
    assert item.resolved_at is None
    assert "sender" in item.reason
    assert Case.objects.count() == 0


def test_mark_resolved(
    client: Client, manager: User, quarantined: Callable[..., QuarantinedMail]
) -> None:
    item = quarantined()
    client.force_login(manager)

    client.post(
        reverse("admin:intake_quarantinedmail_changelist"),
        {"action": "mark_resolved", "_selected_action": [item.pk]},
    )

    item.refresh_from_db()
    assert item.resolved_by == manager


def test_quarantine_is_idempotent_on_the_source(
    quarantined: Callable[..., QuarantinedMail],
) -> None:
    assert quarantined() == quarantined()
    assert QuarantinedMail.objects.count() == 1


def test_the_mailbox_form_has_no_password_and_shows_the_last_error(
    client: Client, manager: User
) -> None:
    box = Mailbox.objects.create(
        name="complaints",
        host="imap.example.pl",
        username="desk",
        password_env="AMENDS_IMAP_PASSWORD",
        last_error="LoginError: authentication failed",
        last_polled_at=timezone.now(),
    )
    client.force_login(manager)

    page = client.get(reverse("admin:intake_mailbox_change", args=[box.pk])).content.decode()
    listing = client.get(reverse("admin:intake_mailbox_changelist")).content.decode()

    assert 'name="password"' not in page
    assert 'name="password_env"' in page
    assert "authentication failed" in page
    assert "authentication failed" in listing
