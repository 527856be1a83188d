"""A real SMTP server for tests: aiosmtpd on a loopback port inside the test process.

`smtp_server` points Django's SMTP backend at it; tests read what it received as bytes and as
parsed messages, and can make it refuse (`refuse("451 ...")`) or go away (`down()`).

Use it from a test module with
`from tests.intake.smtp_server import smtp_server_fixture  # noqa: F401`.
"""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        return parsed

    @property
    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain",))
        assert body is not None
        return str(body.get_content())


class Recorder:
    """The aiosmtpd handler: keeps what it accepts, or answers with the reply it was given."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.reply: str | None = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.reply is not None:
            return self.reply
        with self.lock:
            self.received.append(
                Received(
                    mail_from=envelope.mail_from,
                    rcpt_tos=tuple(envelope.rcpt_tos),
                    data=bytes(envelope.original_content or envelope.content),
                )
            )
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, settings: Any) -> None:
        self.recorder = Recorder()
        self.port = free_port()
        self.controller = Controller(self.recorder, hostname=HOST, port=self.port)
        self._settings = settings

    @property
    def received(self) -> list[Received]:
        with self.recorder.lock:
            return list(self.recorder.received)

    def refuse(self, reply: str) -> None:
        """Answer every DATA with `reply`, e.g. "451 4.3.0 Try again later"."""
        self.recorder.reply = reply

    def accept(self) -> None:
        self.recorder.reply = None

    def down(self) -> None:
        """Point Django at a port where nothing listens: connection refused."""
        self._settings.EMAIL_PORT = free_port()

    def up(self) -> None:
        self._settings.EMAIL_PORT = self.port


@pytest.fixture(name="smtp_server")
def smtp_server_fixture(settings: Any) -> Iterator[SmtpServer]:
    server = SmtpServer(settings)
    server.controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = HOST
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "Amends Desk <complaints@desk.example>"
    try:
        yield server
    finally:
        server.controller.stop()
