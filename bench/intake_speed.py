"""E-mail intake speed and correctness: Amends against django-helpdesk 2.6.1 on the same files.

Generates N complaint .eml files (bench/intake/gen_eml.py: pl/bg/fi/en, the baseline corpus's
charsets and encodings, ~7 % follow-ups), then, each on a fresh SQLite database in its own
directory, one process each:

- Amends: `amends import MAIL_DIR --quiet` (parse -> triage -> case -> acknowledgement queued);
- django-helpdesk 2.6.1 in its own virtual environment, configured as the baseline describes
  (queue with email_box_type='local', file e-mail backend, email_box_last_check set):
  `manage.py get_email`.

Times are of the whole command, start-up included, as in the baseline; the median of --runs.

    .venv/bin/python bench/intake_speed.py [--n 2000] [--seed 42] [--runs 3] [--skip-helpdesk]
        [--profile]

Scratch files (corpus, virtual environment, databases) go to $BENCH or var/bench; the helpdesk
virtual environment is created on the first run (pip needs the package index) and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench" / "intake"))

import gen_eml  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
HDPROJ = ROOT / "bench" / "intake" / "hdproj"
HELPDESK = ("django-helpdesk==2.6.1", "Django>=5.2,<5.3")
AGENTS = """
from amends.accounts.models import Role, Team, User
team = Team.objects.create(name="Reklamacje")
for username, first, langs in [
    ("ania", "Ania", ["pl", "en"]), ("piotr", "Piotr", ["pl"]), ("boryana", "Boryana", ["bg", "en"]),
    ("aino", "Aino", ["fi", "en"]), ("emma", "Emma", ["en"]),
]:
    User.objects.create_user(username, email=username + "@sklep.example", password="bench-" + username,
        first_name=first, last_name="Bench", role=Role.AGENT, team=team, languages=langs)
"""
HD_SETUP = """
import os
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from helpdesk.models import Queue
User = get_user_model()
User.objects.create_superuser("admin", "admin@sklep.example", "bench-admin")
for i in range(5):
    User.objects.create_user(f"agent{i}", f"agent{i}@sklep.example", "bench", is_staff=True)
Queue.objects.create(
    title="Reklamacje", slug="rekl", email_box_type="local",
    email_box_local_dir=os.environ["HD_MAIL"], allow_email_submission=True, email_box_interval=0,
    logging_type="warn", logging_dir=os.environ["HD_LOGS"],
    # helpdesk only sets it itself for queues without a logging_dir (see the baseline doc)
    email_box_last_check=timezone.now() - timedelta(hours=1),
)
"""


@dataclass
class Run:
    wall: float
    cpu: float
    rss_kb: int
    status: int
    cases: int = 0
    messages: int = 0
    threaded: int = 0
    merged: int = 0
    subject_ok: int = 0
    body_ok: int = 0
    acks: str = ""
    left: int = 0
    notes: list[str] = field(default_factory=list)


def timed(cmd: list[str], *, env: dict[str, str], cwd: Path | None = None) -> tuple[Run, str]:
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    out = proc.stdout.read() if proc.stdout else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    run = Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode)
    return run, out


def check(cmd: list[str], *, env: dict[str, str], cwd: Path | None = None) -> None:
    result = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stdout}\n{result.stderr}")


def corpus(bench: Path, n: int, seed: int) -> tuple[Path, list[dict]]:
    where = bench / f"corpus-n{n}-s{seed}"
    if not (where / "manifest.jsonl").exists():
        shutil.rmtree(where, ignore_errors=True)
        print(gen_eml.describe(gen_eml.generate(where, n, seed)))
    manifest = [json.loads(line) for line in (where / "manifest.jsonl").open(encoding="utf-8")]
    return where / "mail", manifest


def _norm(text: str) -> str:
    return " ".join(text.split())


def verify(run: Run, rows: dict[str, tuple[int, str, str]], manifest: list[dict]) -> None:
    """rows: Message-ID -> (case or ticket id, subject, body) as the system stored them."""
    firsts = [m for m in manifest if not m["follow_up_of"]]
    follow = [m for m in manifest if m["follow_up_of"]]
    run.messages = sum(1 for m in manifest if m["message_id"] in rows)
    run.threaded = sum(
        1
        for m in follow
        if m["message_id"] in rows
        and m["follow_up_of"] in rows
        and rows[m["message_id"]][0] == rows[m["follow_up_of"]][0]
    )
    owners = Counter(rows[m["message_id"]][0] for m in firsts if m["message_id"] in rows)
    run.merged = sum(count - 1 for count in owners.values() if count > 1)
    for m in firsts:
        if m["message_id"] not in rows:
            continue
        _case, subject, body = rows[m["message_id"]]
        run.subject_ok += _norm(subject) == _norm(m["subject"])
        run.body_ok += _norm(m["problem"]) in _norm(body)


# --- Amends ------------------------------------------------------------------------------


def amends_env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TASKS_BACKEND")}
    env.update(AMENDS_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="amends.settings")
    return env


def amends_template(bench: Path) -> Path:
    template = bench / "amends-template"
    shutil.rmtree(template, ignore_errors=True)
    env = amends_env(template)
    check([str(PYTHON), "-m", "amends", "migrate", "--no-input", "-v", "0"], env=env)
    check([str(PYTHON), "-m", "amends", "shell", "-c", AGENTS], env=env)
    return template


def amends_run(bench: Path, template: Path, mail: Path, manifest: list[dict], profile: bool) -> Run:
    data = bench / "amends-run"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(template, data)
    cmd = [str(PYTHON), "-m", "amends", "import", str(mail), "--quiet"]
    if profile:
        cmd[1:2] = ["-m", "cProfile", "-o", str(bench / "amends-import.prof"), "-m"]
    run, out = timed(cmd, env=amends_env(data))
    if run.status not in (0, 1):
        sys.exit(f"amends import failed ({run.status}):\n{out}")
    run.notes = [line.strip() for line in out.splitlines() if line.strip()]
    db = sqlite3.connect(data / "amends.sqlite3")
    run.cases = db.execute("select count(*) from cases_case").fetchone()[0]
    rows = {
        mid: (case, subject, body)
        for mid, case, subject, body in db.execute(
            "select message_id, case_id, subject, body from intake_message where direction = 'in'"
        )
    }
    acks = db.execute(
        "select delivery, count(*) from intake_message where direction = 'out' "
        "and purpose = 'acknowledgement' group by delivery order by delivery"
    ).fetchall()
    run.acks = ", ".join(f"{n} {d}" for d, n in acks)
    db.close()
    verify(run, rows, manifest)
    return run


# --- django-helpdesk ---------------------------------------------------------------------


def helpdesk_python(bench: Path) -> Path:
    venv = bench / "helpdesk-venv"
    python = venv / "bin" / "python"
    marker = venv / ".installed-2.6.1"
    if not marker.exists():
        print(f"creating {venv} and installing {' '.join(HELPDESK)} (once)")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *HELPDESK], check=True)
        marker.touch()
    return python


def hd_env(run_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HD_DB=str(run_dir / "helpdesk.sqlite3"),
        HD_MEDIA=str(run_dir / "media"),
        HD_OUTBOX=str(run_dir / "outbox"),
        HD_MAIL=str(run_dir / "mail"),
        HD_LOGS=str(run_dir / "logs"),
        DJANGO_SETTINGS_MODULE="hdproj.settings",
    )
    return env


def helpdesk_template(bench: Path, python: Path) -> Path:
    # The queue stores its mail directory, so every run uses the same run directory.
    run_dir = bench / "helpdesk-run"
    template = bench / "helpdesk-template.sqlite3"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    env = hd_env(run_dir)
    check([str(python), "manage.py", "migrate", "--no-input", "-v", "0"], env=env, cwd=HDPROJ)
    check([str(python), "manage.py", "shell", "-c", HD_SETUP], env=env, cwd=HDPROJ)
    shutil.copy(run_dir / "helpdesk.sqlite3", template)
    return template


def helpdesk_run(
    bench: Path, python: Path, template: Path, mail: Path, manifest: list[dict]
) -> Run:
    run_dir = bench / "helpdesk-run"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    for sub in ("media", "outbox", "logs"):
        (run_dir / sub).mkdir()
    shutil.copy(template, run_dir / "helpdesk.sqlite3")
    shutil.copytree(mail, run_dir / "mail")  # helpdesk deletes each file it imports
    run, out = timed([str(python), "manage.py", "get_email"], env=hd_env(run_dir), cwd=HDPROJ)
    run.notes = [line.strip() for line in out.splitlines() if line.strip()][-5:]
    db = sqlite3.connect(run_dir / "helpdesk.sqlite3")
    run.cases = db.execute("select count(*) from helpdesk_ticket").fetchone()[0]
    rows: dict[str, tuple[int, str, str]] = {}
    for mid, ticket, title, description in db.execute(
        "select f.message_id, f.ticket_id, t.title, t.description from helpdesk_followup f "
        "join helpdesk_ticket t on t.id = f.ticket_id where f.message_id is not null"
    ):
        rows.setdefault(mid.strip().strip("<>"), (ticket, title, description))
    db.close()
    run.left = sum(1 for _ in (run_dir / "mail").iterdir())
    run.acks = f"{sum(1 for _ in (run_dir / 'outbox').iterdir())} auto-reply files"
    verify(run, rows, manifest)
    return run


# --- report ------------------------------------------------------------------------------


def median_run(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda r: r.wall)[len(runs) // 2]


def table(results: dict[str, list[Run]], manifest: list[dict]) -> None:
    firsts = sum(1 for m in manifest if not m["follow_up_of"])
    follow = len(manifest) - firsts
    print()
    print(
        f"{'system':<22} {'wall s':>7} {'CPU s':>6} {'cases/s':>8} {'msgs/s':>8} {'RSS MB':>7} "
        f"{'cases':>6} {'threaded':>9} {'merged':>7} {'subject':>8} {'body':>6} {'exit':>4}"
    )
    for name, runs in results.items():
        r = median_run(runs)
        print(
            f"{name:<22} {r.wall:7.2f} {r.cpu:6.2f} {r.cases / r.wall:8.1f} {r.messages / r.wall:8.1f} "
            f"{r.rss_kb / 1024:7.1f} {r.cases:6d} {r.threaded:>4d}/{follow:<4d} {r.merged:7d} "
            f"{r.subject_ok:>8d} {r.body_ok:>6d} {r.status:>4d}"
        )
    print(
        f"expected: {firsts} cases from {len(manifest)} mails; {follow} follow-ups to thread; "
        f"subject/body checked on the {firsts} first mails"
    )
    if len(results) == 2:
        (a_name, a), (h_name, h) = results.items()
        ra, rh = median_run(a), median_run(h)
        print(
            f"ratio {a_name} / {h_name}: {(ra.cases / ra.wall) / (rh.cases / rh.wall):.1f}x cases/s, "
            f"{(ra.messages / ra.wall) / (rh.messages / rh.wall):.1f}x messages/s (goal >= 20x)"
        )
    for name, runs in results.items():
        walls = ", ".join(f"{r.wall:.2f}" for r in runs)
        r = median_run(runs)
        print(f"{name}: runs {walls} s; acknowledgements: {r.acks}; left in dir: {r.left}")
        for note in r.notes[-6:]:
            print(f"    {note}")


def profile_report(bench: Path) -> None:
    import pstats

    stats = pstats.Stats(str(bench / "amends-import.prof"))
    stats.sort_stats("cumulative").print_stats(45)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-helpdesk", action="store_true")
    parser.add_argument("--profile", action="store_true", help="One Amends run under cProfile.")
    args = parser.parse_args(argv)
    bench = Path(os.environ.get("BENCH") or ROOT / "var" / "bench").resolve()
    bench.mkdir(parents=True, exist_ok=True)
    mail, manifest = corpus(bench, args.n, args.seed)
    print(f"Intake benchmark: {len(manifest)} .eml files (seed {args.seed}) in {bench}")
    results: dict[str, list[Run]] = {"Amends": []}
    template = amends_template(bench)
    if args.profile:
        amends_run(bench, template, mail, manifest, profile=True)
        profile_report(bench)
        return 0
    for _ in range(args.runs):
        results["Amends"].append(amends_run(bench, template, mail, manifest, profile=False))
        print(f"  Amends run: {results['Amends'][-1].wall:.2f} s")
    if not args.skip_helpdesk:
        python = helpdesk_python(bench)
        hd_template = helpdesk_template(bench, python)
        results["django-helpdesk 2.6.1"] = []
        for _ in range(args.runs):
            results["django-helpdesk 2.6.1"].append(
                helpdesk_run(bench, python, hd_template, mail, manifest)
            )
            print(f"  helpdesk run: {results['django-helpdesk 2.6.1'][-1].wall:.2f} s")
    table(results, manifest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
