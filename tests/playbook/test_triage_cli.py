"""`amends triage` as a process and as main(argv): JSON shape, readable output, errors."""

import io
import json
import subprocess
import sys
from pathlib import Path

from amends.__main__ import main as amends_main
from amends.playbook.triage_cli import main

COMPLAINT = "TO JEST SKANDAL!!! Jesteście oszustami. Po raz trzeci piszę i zgłoszę do UOKiK."


def run(*args, stdin=None, env_lang="en_US.UTF-8"):
    return subprocess.run(
        [sys.executable, "-m", "amends", "triage", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={"LANG": env_lang, "PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )


def test_json_output_has_the_documented_shape(tmp_path):
    complaint = tmp_path / "complaint.txt"
    complaint.write_text(COMPLAINT, encoding="utf-8")
    done = run(str(complaint), "--json", "--channel", "social")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {
        "language",
        "irritation",
        "exposure",
        "category",
        "priority",
        "advice",
        "reasons",
    } <= set(data)
    assert data["language"] == "pl"
    assert data["priority"] == "urgent"
    assert data["irritation"] >= 0.6
    assert data["exposure"] >= 0.5
    assert {"call_customer", "direct_channel", "legal_deadline"} <= {
        a["kind"] for a in data["advice"]
    }
    legal = next(r for r in data["reasons"] if r["kind"] == "threat_legal")
    assert COMPLAINT[legal["span"][0] : legal["span"][1]] == legal["text"]
    assert next(a for a in data["advice"] if a["kind"] == "call_customer")["text"].startswith(
        "Klient"
    )


def test_readable_output_from_stdin_in_the_ui_language():
    done = run("-", "--lang", "pl", stdin=COMPLAINT, env_lang="fi_FI.UTF-8")
    assert done.returncode == 0, done.stderr
    assert "Ärtymys:" in done.stdout
    assert "Soita" in done.stdout or "soita" in done.stdout
    assert "(pl) Klient jest bardzo zdenerwowany" in done.stdout


def test_main_reads_a_file_and_prints_json(tmp_path, capsys):
    complaint = tmp_path / "c.txt"
    complaint.write_text("The charger caught fire in the kitchen.", encoding="utf-8")
    assert amends_main(["triage", str(complaint), "--lang", "en", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["priority"] == "urgent"
    assert [a["kind"] for a in data["advice"]] == ["safety"]


def test_missing_file_and_empty_text_fail_cleanly(tmp_path, monkeypatch, capsys):
    assert main([str(tmp_path / "nope.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO("  \n"))
    assert main(["-"]) == 2
    assert "empty" in capsys.readouterr().err
    assert main(["--lang", "xx", "-"]) == 2


def test_triage_never_imports_django():
    code = "import sys, amends.playbook.triage_cli; sys.exit('django' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], check=False
    )
    assert done.returncode == 0
