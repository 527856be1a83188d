"""`amends serve` really serves: the production server, static files by whitenoise, safe headers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env["AMENDS_DATA_DIR"] = str(tmp_path)
    amends = [sys.executable, "-m", "amends"]
    for args in (["migrate", "--no-input", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"]):
        subprocess.run([*amends, *args], cwd=ROOT, env=env, check=True)
    port = free_port()
    proc = subprocess.Popen(
        [*amends, "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=5)
            break
        except urllib.error.HTTPError as error:
            proc.terminate()
            raise AssertionError(f"the server answered {error.code}") from None
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None:
                raise AssertionError(
                    proc.stdout.read().decode() if proc.stdout else "server died"
                ) from None
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def test_serve_answers_with_the_login_page_static_files_and_safe_headers(server: str) -> None:
    with urllib.request.urlopen(server + "/accounts/login/") as response:
        body = response.read().decode()
        headers = response.headers
    assert response.status == 200
    assert "csrfmiddlewaretoken" in body
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Server"] == "Amends"

    css = [
        part.split('"')[0]
        for part in body.split('href="/static/')[1:]
        if ".css" in part.split('"')[0]
    ]
    assert css, "the page links its stylesheet"
    with urllib.request.urlopen(server + "/static/" + css[0]) as response:
        assert response.status == 200
        assert "max-age" in response.headers["Cache-Control"]


def test_staff_pages_redirect_anonymous_visitors_to_login(server: str) -> None:
    with urllib.request.urlopen(server + "/cases/") as response:
        assert "/accounts/login/" in response.url


def test_unknown_host_is_refused(server: str) -> None:
    request = urllib.request.Request(server + "/accounts/login/", headers={"Host": "evil.example"})
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request)
    assert error.value.code == 400
