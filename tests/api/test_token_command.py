"""`amends token create|list|revoke`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from amends.accounts.models import ApiToken


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_a_working_key_once(ania):
    out, err = run("create", "ania", "--name", "shop integration")
    key = out.strip()
    assert key.startswith("am_")
    assert "shown once" in err
    token = ApiToken.objects.get()
    assert token.name == "shop integration"
    assert token.user == ania
    assert key not in token.digest
    assert Client().get("/api/cases", headers={"Authorization": f"Bearer {key}"}).status_code == 200


def test_create_for_an_unknown_user_fails(db):
    with pytest.raises(CommandError, match="No user"):
        run("create", "nobody", "--name", "x")


def test_list_shows_tokens_without_keys(ania, piotr):
    run("create", "ania", "--name", "one")
    run("create", "piotr", "--name", "two")
    out, _ = run("list")
    assert "ania" in out
    assert "piotr" in out
    assert "one" in out
    out, _ = run("list", "piotr")
    assert "ania" not in out


def test_revoke_by_id_and_by_prefix(ania):
    key1 = run("create", "ania", "--name", "one")[0].strip()
    key2 = run("create", "ania", "--name", "two")[0].strip()
    first = ApiToken.objects.get(name="one")
    out, _ = run("revoke", str(first.pk))
    assert "Revoked" in out
    run("revoke", key2[:8])
    assert ApiToken.objects.count() == 0
    assert (
        Client().get("/api/cases", headers={"Authorization": f"Bearer {key1}"}).status_code == 401
    )


def test_revoke_an_unknown_token_fails(db):
    with pytest.raises(CommandError):
        run("revoke", "999")
