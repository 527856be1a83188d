"""Polling IMAP mailboxes: every new message becomes a case message or a quarantined mail.

The order of steps is what makes it safe to kill the worker at any moment:
1. fetch with BODY.PEEK (fetching changes nothing on the server);
2. `receive()` commits the case, or `quarantine()` commits the raw mail;
3. only then the message is flagged \\Seen plus our keyword, or moved to the processed
   folder, and `last_uid` advances.
A kill before 3 means the message is fetched again next time, and `receive()`, idempotent
on the source key and the Message-ID, stores it once.

`last_uid` only advances over an unbroken run of handled UIDs: a message that hit a passing
database error is retried next poll, while the messages after it are still handled now (and
skipped next time by their keyword or their source key). When the server's UIDVALIDITY
changes, `last_uid` starts again from 0; the keyword and Message-ID dedupe keep that from
importing anything twice.
"""

from __future__ import annotations

import logging
import os
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.utils import timezone
from django.utils.translation import gettext as _
from imapclient import IMAPClient

from amends.intake import services
from amends.intake.mail.parse import MailParseError, parse_email
from amends.intake.mail.quarantine import quarantine, reason_of
from amends.intake.models import Mailbox

logger = logging.getLogger("amends.mail")

# Set on every message we have handled, next to \Seen: a person reading the mailbox also sets
# \Seen, so only this keyword tells us a message is already a case (or quarantined).
PROCESSED_KEYWORD = b"$AmendsProcessed"
SEEN = b"\\Seen"
# Fetch bodies in batches of at most this many messages or bytes.
BATCH_MESSAGES = 25
BATCH_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 60.0


class MailboxError(Exception):
    """The mailbox cannot be polled at all (configuration, login, network)."""


@dataclass
class PollResult:
    mailbox: str
    fetched: int = 0
    received: int = 0  # new case messages (new cases and replies)
    duplicates: int = 0  # already stored: a re-fetch after a kill, or the same Message-ID
    quarantined: int = 0
    skipped: int = 0  # carried our keyword already
    retry_later: list[int] = field(default_factory=list)  # UIDs left for the next poll
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def password_for(mailbox: Mailbox) -> str:
    name = mailbox.password_env.strip()
    password = os.environ.get(name, "") if name else ""
    if not password:
        raise MailboxError(
            _(
                "The password of mailbox %(mailbox)s is read from the environment variable "
                "%(name)s, which is not set."
            )
            % {"mailbox": mailbox.name, "name": name or "?"}
        )
    return password


def poll(mailbox: Mailbox, *, stop: threading.Event | None = None) -> PollResult:
    """Take every new message of `mailbox`; errors end up in the result and on the mailbox."""
    result = PollResult(mailbox=mailbox.name)
    try:
        password = password_for(mailbox)
        with _connect(mailbox) as client:
            client.login(mailbox.username, password)
            _poll_folder(client, mailbox, result, stop)
    except MailboxError as exc:
        result.error = str(exc)
    except Exception as exc:  # network, TLS, login, protocol: the next poll tries again
        logger.warning("polling mailbox %s failed: %s", mailbox.name, exc)
        result.error = f"{type(exc).__name__}: {exc}"
    if not result.error and result.retry_later:
        result.error = _("Left for the next poll after a database error: UIDs %(uids)s.") % {
            "uids": ", ".join(str(u) for u in result.retry_later)
        }
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_polled_at=timezone.now(), last_error=result.error
    )
    mailbox.last_error = result.error
    return result


def poll_all(*, stop: threading.Event | None = None, name: str | None = None) -> list[PollResult]:
    """Poll every active mailbox (or the one called `name`), one after the other."""
    mailboxes = Mailbox.objects.filter(active=True).order_by("name")
    if name is not None:
        mailboxes = Mailbox.objects.filter(name=name)
    results = []
    for mailbox in mailboxes:
        if stop is not None and stop.is_set():
            break
        results.append(poll(mailbox, stop=stop))
    return results


def _connect(mailbox: Mailbox) -> IMAPClient:
    client = IMAPClient(
        mailbox.host, port=mailbox.port, ssl=mailbox.use_ssl, timeout=TIMEOUT_SECONDS
    )
    if not mailbox.use_ssl and client.has_capability("STARTTLS"):
        # Never send the password in the clear when the server offers TLS.
        client.starttls(ssl.create_default_context())
    return client


def _poll_folder(
    client: IMAPClient, mailbox: Mailbox, result: PollResult, stop: threading.Event | None
) -> None:
    selected = client.select_folder(mailbox.folder)
    uidvalidity = int(selected[b"UIDVALIDITY"])
    # Servers that cannot keep our keyword only get \\Seen (and rely on last_uid and dedupe).
    keyword = b"\\*" in selected.get(b"PERMANENTFLAGS", ())
    if mailbox.uidvalidity != uidvalidity:
        if mailbox.uidvalidity is not None:
            logger.warning(
                "mailbox %s: UIDVALIDITY changed from %s to %s; reading it again from the start",
                mailbox.name,
                mailbox.uidvalidity,
                uidvalidity,
            )
        mailbox.uidvalidity, mailbox.last_uid = uidvalidity, 0
        mailbox.save(update_fields=["uidvalidity", "last_uid"])
    if mailbox.processed_folder and not client.folder_exists(mailbox.processed_folder):
        client.create_folder(mailbox.processed_folder)
    # "n:*" always matches the highest UID, even one below n: filter again.
    uids = sorted(
        u for u in client.search(["UID", f"{mailbox.last_uid + 1}:*"]) if u > mailbox.last_uid
    )
    if not uids:
        return
    sizes = client.fetch(uids, ["RFC822.SIZE", "FLAGS"])
    watermark = mailbox.last_uid
    blocked = False  # a UID before this one is left for the next poll
    for batch in _batches([u for u in uids if u in sizes], sizes):
        if stop is not None and stop.is_set():
            break
        bodies = client.fetch(batch, ["BODY.PEEK[]"])
        for uid in batch:
            if stop is not None and stop.is_set():
                break
            done = _take(
                client, mailbox, keyword, uidvalidity, uid, sizes[uid], bodies.get(uid), result
            )
            if not done:
                blocked = True
                result.retry_later.append(uid)
            elif not blocked:
                watermark = uid
                mailbox.last_uid = uid
                mailbox.save(update_fields=["last_uid"])
        if result.retry_later and _database_down():
            break
    logger.info(
        "mailbox %s: %s new, %s duplicate, %s quarantined, last UID %s",
        mailbox.name,
        result.received,
        result.duplicates,
        result.quarantined,
        watermark,
    )


def _batches(uids: list[int], sizes: dict[int, dict[bytes, object]]) -> Iterator[list[int]]:
    batch: list[int] = []
    total = 0
    for uid in uids:
        size = sizes[uid].get(b"RFC822.SIZE")
        size = size if isinstance(size, int) else 0
        if batch and (len(batch) >= BATCH_MESSAGES or total + size > BATCH_BYTES):
            yield batch
            batch, total = [], 0
        batch.append(uid)
        total += size
    if batch:
        yield batch


def _take(
    client: IMAPClient,
    mailbox: Mailbox,
    keyword: bool,
    uidvalidity: int,
    uid: int,
    meta: dict[bytes, object],
    fetched: dict[bytes, object] | None,
    result: PollResult,
) -> bool:
    """Handle one message; True when it is stored (or was before) and flagged or moved,
    False when a passing database error leaves it for the next poll."""
    flags = meta.get(b"FLAGS")
    if isinstance(flags, tuple | list) and PROCESSED_KEYWORD in flags:
        result.skipped += 1
        if mailbox.processed_folder:
            _done(client, mailbox, uid, keyword=keyword)
        return True
    raw = fetched.get(b"BODY[]") if fetched is not None else None
    if not isinstance(raw, bytes):
        return True  # expunged by someone else between the two fetches: nothing to take
    result.fetched += 1
    source_key = f"imap:{mailbox.pk}:{uidvalidity}:{uid}"
    try:
        outcome = _store(raw, source_key=source_key, mailbox=mailbox)
    except (OperationalError, InterfaceError):
        logger.exception("mailbox %s UID %s: database error; retrying next poll", mailbox.name, uid)
        return False
    except Exception:  # even the quarantine failed: leave it, but go on with the others
        logger.exception(
            "mailbox %s UID %s could not be stored; retrying next poll", mailbox.name, uid
        )
        return False
    setattr(result, outcome, getattr(result, outcome) + 1)
    # Committed: from here on a kill only means a duplicate on the next poll.
    _done(client, mailbox, uid, keyword=keyword)
    return True


def _store(raw: bytes, *, source_key: str, mailbox: Mailbox) -> str:
    """Receive the message or quarantine it; the name of the PollResult counter to raise."""
    try:
        received = services.receive(parse_email(raw, source_key=source_key))
    except (MailParseError, ValidationError) as exc:
        quarantine(raw, source_key=source_key, reason=reason_of(exc), mailbox=mailbox)
        return "quarantined"
    except (OperationalError, InterfaceError):
        raise  # passing: the database is busy or gone, the message is fine
    except Exception as exc:  # a bug must not block the mailbox: keep the mail for a retry
        logger.exception("%s could not be received", source_key)
        quarantine(raw, source_key=source_key, reason=reason_of(exc), mailbox=mailbox)
        return "quarantined"
    return "duplicates" if received.duplicate else "received"


def _done(client: IMAPClient, mailbox: Mailbox, uid: int, *, keyword: bool) -> None:
    client.add_flags([uid], [SEEN, PROCESSED_KEYWORD] if keyword else [SEEN], silent=True)
    if not mailbox.processed_folder:
        return
    if client.has_capability("MOVE"):
        client.move([uid], mailbox.processed_folder)
        return
    client.copy([uid], mailbox.processed_folder)
    client.delete_messages([uid], silent=True)
    if client.has_capability("UIDPLUS"):
        # Without UIDPLUS an EXPUNGE would also remove what others marked deleted: the copy
        # left behind is skipped by its keyword instead.
        client.uid_expunge([uid])


def _database_down() -> bool:
    from django.db import connection

    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return True
    return False
