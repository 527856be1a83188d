"""A real IMAP server for tests: a private Dovecot on a loopback port, one per test session.

It runs with its own configuration, run directory and Maildir under a temporary folder (see
/work/shared/reference/test-servers.md), so the machine's own Dovecot service is never used.
Outside CI the tests skip when Dovecot is not installed (`scripts/ensure-system-packages`
installs `dovecot-imapd`); in CI a missing Dovecot is a failure.

Use it from a test module with
`from tests.intake.imap_server import dovecot_fixture, imap_server_fixture  # noqa: F401`;
`imap_server` gives an empty INBOX for every test.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from imapclient import IMAPClient

HOST = "127.0.0.1"
USER = "desk"
PASSWORD = "desk-password"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

CONFIG = """\
protocols = imap
listen = {host}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = dovenull
default_internal_user = dovecot
default_internal_group = dovecot
first_valid_uid = {uid}
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/users
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {host}
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  inet_listener http {{
    port = 0
  }}
}}
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class ImapServer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.user = pwd.getpwnam("dovecot")
        self.home = root / "home"
        self.config = root / "dovecot.conf"

    @property
    def maildir(self) -> Path:
        return self.home / "Maildir"

    def start(self) -> None:
        for sub in ("run", "state", "home"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        os.chown(self.home, self.user.pw_uid, self.user.pw_gid)
        (self.root / "users").write_text(
            f"{USER}:{{PLAIN}}{PASSWORD}:{self.user.pw_uid}:{self.user.pw_gid}::{self.home}\n"
        )
        self.config.write_text(
            CONFIG.format(host=HOST, root=self.root, port=self.port, uid=self.user.pw_uid)
        )
        # Dovecot daemonizes and its daemon keeps any pipe open: no captured output here.
        subprocess.run(
            [DOVECOT, "-c", str(self.config)],
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Dovecot did not start: {self.log()}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        pid_file = self.root / "run" / "master.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def client(self) -> IMAPClient:
        client = IMAPClient(HOST, port=self.port, ssl=False, timeout=10)
        client.login(USER, PASSWORD)
        return client

    def append(self, raw: bytes, folder: str = "INBOX", flags: tuple[bytes, ...] = ()) -> int:
        """Deliver one message; returns its UID."""
        with self.client() as client:
            client.append(folder, raw, flags=flags)
            selected = client.select_folder(folder, readonly=True)
            return int(selected[b"UIDNEXT"]) - 1

    def uids(self, folder: str = "INBOX") -> list[int]:
        with self.client() as client:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            return sorted(client.search("ALL"))

    def flags(self, folder: str = "INBOX") -> dict[int, set[bytes]]:
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            return {uid: set(f) for uid, f in client.get_flags(client.search("ALL")).items()}

    def uidvalidity(self, folder: str = "INBOX") -> int:
        with self.client() as client:
            return int(client.folder_status(folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"])

    def empty(self) -> None:
        """Delete every folder's messages and the extra folders: a fresh mailbox."""
        with self.client() as client:
            for _flags, _sep, name in client.list_folders():
                if name != "INBOX":
                    client.delete_folder(name)
            client.select_folder("INBOX")
            uids = client.search("ALL")
            if uids:
                client.delete_messages(uids)
                client.expunge()

    def renumber(self, *, keep_keywords: bool = True) -> int:
        """Give INBOX a new UIDVALIDITY, as a server does after its index is rebuilt: every
        message keeps its content (and its keywords, unless told) and gets new UIDs.
        Returns the new UIDVALIDITY."""
        old = self.uidvalidity()
        for path in self.maildir.glob("dovecot*"):
            if path.is_file() and (path.name != "dovecot-keywords" or not keep_keywords):
                path.unlink()
        # Dovecot takes the time as the new UIDVALIDITY; make sure it differs from the old.
        while int(time.time()) <= old:
            time.sleep(0.1)
        return self.uidvalidity()


def _dovecot_missing() -> bool:
    try:
        pwd.getpwnam("dovecot")
        pwd.getpwnam("dovenull")
    except KeyError:
        return True
    return not (Path(DOVECOT).exists() and Path("/usr/lib/dovecot/imap").exists())


@pytest.fixture(scope="session", name="dovecot")
def dovecot_fixture() -> Iterator[ImapServer]:
    if _dovecot_missing():
        if os.environ.get("CI"):
            pytest.fail("Dovecot is required in CI (scripts/ensure-system-packages installs it)")
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("The Dovecot fixture runs as root (it hands its Maildir to dovecot)")
        pytest.skip("the Dovecot fixture needs root to hand its Maildir to the dovecot user")
    root = Path(tempfile.mkdtemp(prefix="amends-dovecot-"))
    os.chmod(root, 0o755)
    server = ImapServer(root)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(name="imap_server")
def imap_server_fixture(dovecot: ImapServer) -> ImapServer:
    dovecot.empty()
    return dovecot
