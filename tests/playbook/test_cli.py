"""`amends coach` as a process: JSON shape, readable output, stdin and errors."""

import json
import subprocess
import sys
from pathlib import Path

from amends.playbook.cli import main

REPLY = (
    "Przepraszam za opóźnienie. Nazywam się Anna Nowak i zajmę się Pana sprawą. "
    "Odpowiem do piątku, 27 listopada. Powinien Pan był przeczytać regulamin."
)


def run(*args, stdin=None, env_lang="en_US.UTF-8"):
    return subprocess.run(
        [sys.executable, "-m", "amends.playbook.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={"LANG": env_lang, "PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )


def test_json_output_has_the_documented_shape(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text(REPLY, encoding="utf-8")
    done = run(str(reply), "--today", "2026-11-23", "--owner", "Anna Nowak", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["language"] == "pl"
    assert 0 <= data["score"] <= 100
    assert set(data["elements"]) == {"apology", "empathy", "ownership", "clarify", "next_step"}
    assert data["elements"]["apology"]["present"] is True
    assert data["elements"]["next_step"] == data["elements"]["next_step"] | {
        "present": True,
        "date": "2026-11-27",
    }
    (flag,) = data["flags"]
    assert flag["kind"] == "blame_customer"
    assert REPLY[flag["span"][0] : flag["span"][1]] == flag["text"]
    assert flag["advice"].startswith("Nie udowadniaj")
    assert flag["advice_ui"].startswith("Don't prove")


def test_readable_output_from_stdin_in_the_ui_language():
    done = run("-", "--lang", "pl", "--today", "2026-11-23", stdin=REPLY, env_lang="fi_FI.UTF-8")
    assert done.returncode == 0, done.stderr
    assert "Pisteet:" in done.stdout
    assert "Syyttää asiakasta" in done.stdout


def test_missing_file_and_bad_date_fail_cleanly(tmp_path, capsys):
    assert main([str(tmp_path / "nope.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["--today", "27.11.2026", "-"]) == 2


def test_empty_reply_is_an_error(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO("  \n"))
    assert main(["-"]) == 2
