"""Personas and helpers shared by the suite.

Ania is an agent on the Polish team and owns the case; Piotr is her team mate; Boryana is an
agent on another team (Bulgarian); Marta is a manager; Alex is an administrator.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from amends.accounts.models import Role, Team, User
from amends.cases import services
from amends.cases.models import Case, Customer


@pytest.fixture
def team_pl(db: None) -> Team:
    return Team.objects.create(name="Team Poland")


@pytest.fixture
def team_bg(db: None) -> Team:
    return Team.objects.create(name="Team Bulgaria")


def _user(
    username: str, first: str, last: str, *, role: str, team: Team | None, languages: list[str]
) -> User:
    return User.objects.create_user(
        username,
        email=f"{username}@amends.test",
        password="password-" + username,
        first_name=first,
        last_name=last,
        role=role,
        team=team,
        languages=languages,
    )


@pytest.fixture
def ania(team_pl: Team) -> User:
    return _user("ania", "Ania", "Nowak", role=Role.AGENT, team=team_pl, languages=["pl", "en"])


@pytest.fixture
def piotr(team_pl: Team) -> User:
    return _user("piotr", "Piotr", "Wiśniewski", role=Role.AGENT, team=team_pl, languages=["pl"])


@pytest.fixture
def boryana(team_bg: Team) -> User:
    return _user(
        "boryana", "Boryana", "Petrova", role=Role.AGENT, team=team_bg, languages=["bg", "en"]
    )


@pytest.fixture
def marta(team_pl: Team) -> User:
    return _user(
        "marta", "Marta", "Zielińska", role=Role.MANAGER, team=team_pl, languages=["pl", "en"]
    )


@pytest.fixture
def alex(db: None) -> User:
    return _user("alex", "Alex", "Admin", role=Role.ADMIN, team=None, languages=["en"])


@pytest.fixture
def customer_pl(db: None) -> Customer:
    return Customer.objects.create(
        name="Jan Kowalski",
        email="jan@example.pl",
        language="pl",
        jurisdiction="PL",
        kind="consumer",
    )


@pytest.fixture
def make_case(db: None) -> Callable[..., Case]:
    """Open a case through the service, as every channel does."""

    def make(customer: Customer, *, owner: User | None = None, **kwargs: Any) -> Case:
        values: dict[str, Any] = {
            "subject": "Pralka przecieka",
            "description": "Pralka kupiona w marcu przecieka od tygodnia.",
            "channel": "email",
        }
        values.update(kwargs)
        return services.open_case(customer=customer, owner=owner, **values)

    return make


@pytest.fixture
def ania_case(make_case: Callable[..., Case], customer_pl: Customer, ania: User) -> Case:
    return make_case(customer_pl, owner=ania)


def aware(text: str, tz: str = "Europe/Warsaw") -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded and received files go to a fresh folder per test, never into var/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
