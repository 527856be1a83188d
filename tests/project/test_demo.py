"""`amends demo` gives a new user a living desk, and never touches a desk that has data."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from amends.accounts.models import User
from amends.cases.models import Case, State


@pytest.mark.django_db
def test_demo_covers_every_language_state_and_jurisdiction(tmp_path: Path, capsys) -> None:
    with override_settings(DATA_DIR=tmp_path):
        call_command("demo")
    out = capsys.readouterr().out
    assert "ania" in out
    assert "marta" in out
    assert "manager" in out
    assert (tmp_path / "demo-logins.txt").stat().st_mode & 0o077 == 0

    cases = Case.objects.select_related("customer")
    assert {c.language for c in cases} == {"en", "pl", "bg", "fi"}
    assert {c.state for c in cases} == set(State.values)
    assert {c.customer.jurisdiction for c in cases} >= {"PL", "BG", "FI"}
    assert {c.statutory_rule for c in cases} >= {
        "PL-CONSUMER-14D",
        "PL-FINANCIAL-30D",
        "BG-CONSUMER-1M",
        "NONE",
    }
    now = timezone.now()
    statuses = {c.worst_status(now) for c in cases}
    assert {"overdue", "due_soon", "on_track"} <= statuses
    assert all(c.owner_id for c in cases)

    # Each printed login works.
    for line in (tmp_path / "demo-logins.txt").read_text().splitlines():
        username, password, _role = line.split("\t")
        assert User.objects.get(username=username).check_password(password)


@pytest.mark.django_db
def test_demo_never_loads_into_a_desk_with_data(tmp_path: Path, ania_case: Case) -> None:
    with override_settings(DATA_DIR=tmp_path):
        with pytest.raises(CommandError, match="already has data"):
            call_command("demo")
        call_command("demo", "--if-empty")
    assert Case.objects.count() == 1
