"""Settings come from the environment with safe defaults; a wrong value stops the start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")
    }
    clean.update({"AMENDS_DATA_DIR": str(tmp_path), **env})
    code = "import amends.settings as s; print(s.DEBUG, s.SECRET_KEY, s.DATABASES['default']['ENGINE'])"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_defaults_are_safe_and_the_secret_key_is_generated_once(tmp_path: Path) -> None:
    first = load_settings(tmp_path)
    assert first.returncode == 0, first.stderr
    debug, key, engine = first.stdout.split()
    assert debug == "False"
    assert engine == "django.db.backends.sqlite3"
    assert len(key) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0, "the key file is private"
    second = load_settings(tmp_path)
    assert second.stdout.split()[1] == key, "the same key on every start"


def test_secret_key_and_database_from_the_environment(tmp_path: Path) -> None:
    result = load_settings(
        tmp_path, SECRET_KEY="s" * 60, DATABASE_URL="postgres://u@127.0.0.1:5432/amends"
    )
    assert result.returncode == 0, result.stderr
    _, key, engine = result.stdout.split()
    assert key == "s" * 60
    assert engine == "django.db.backends.postgresql"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be true or false"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be a whole number"),
        ("DATABASE_URL", "nosuchdb://x", "DATABASE_URL is not valid"),
    ],
)
def test_a_wrong_value_is_a_clear_start_up_error(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    result = load_settings(tmp_path, **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def _setting(tmp_path: Path, expression: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "EMAIL_HOST", "EMAIL_BACKEND", "TASKS_BACKEND", "REDIS_URL")
    }
    clean.update({"AMENDS_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "-c", f"import amends.settings as s; print({expression})"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_a_mail_server_mail_is_kept_as_files(tmp_path: Path) -> None:
    unset = _setting(tmp_path, "s.EMAIL_BACKEND, s.EMAIL_FILE_PATH")
    configured = _setting(tmp_path, "s.EMAIL_BACKEND", EMAIL_HOST="smtp.example.com")

    assert unset.stdout.split() == [
        "django.core.mail.backends.filebased.EmailBackend",
        str(tmp_path / "outbox"),
    ], unset.stderr
    assert configured.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"


def test_the_rq_task_backend_needs_redis(tmp_path: Path) -> None:
    without_redis = _setting(tmp_path, "s.TASKS", TASKS_BACKEND="rq")
    with_redis = _setting(
        tmp_path,
        "s.TASKS['default']['BACKEND']",
        TASKS_BACKEND="rq",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    unknown = _setting(tmp_path, "s.TASKS", TASKS_BACKEND="celery")

    assert "TASKS_BACKEND=rq needs REDIS_URL" in without_redis.stderr
    assert with_redis.stdout.strip() == "django_tasks_rq.RQBackend", with_redis.stderr
    assert "TASKS_BACKEND must be db or rq" in unknown.stderr
