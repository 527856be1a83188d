"""Fixtures for the customer's view: a case with a proposal, and closing a case."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from amends.accounts.models import User
from amends.cases import services as case_services
from amends.cases.models import Case, State
from amends.portal.links import portal_path
from amends.resolution.models import Proposal, RemedyOption
from tests.resolution.helpers import make_resolvable


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Rate-limit counters live in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def open_proposal(case: Case, actor: User) -> Proposal:
    """A proposal with two options, made directly (the coach-checked service is not the subject)."""
    proposal = Proposal.objects.create(
        case=case, message="Proponujemy wymianę albo zwrot pieniędzy.", created_by=actor
    )
    due = date.today() + timedelta(days=7)
    for kind, text in (("replacement", "Nowa pralka"), ("refund", "Zwrot 1999 zł")):
        RemedyOption.objects.create(
            proposal=proposal, kind=kind, description=text, cost=Decimal("987.65"), due=due
        )
    return proposal


def move_to(case: Case, state: str, actor: User) -> Case:
    """Walk the case through the services up to `state` (resolving needs a cause and a fault)."""
    path = [
        State.ACKNOWLEDGED,
        State.INVESTIGATING,
        State.RESOLUTION_PROPOSED,
        State.RESOLVED,
        State.CLOSED,
    ]
    case.refresh_from_db()
    start = path.index(case.state) + 1 if case.state in path else 0
    for step in path[start : path.index(state) + 1]:
        if step == State.RESOLVED:
            make_resolvable(case, actor)
        case = case_services.change_state(case, to=step, actor=actor)
    case.refresh_from_db()
    return case


def page(client: Client, case: Case, **params: str) -> Any:
    return client.get(portal_path(case), params)
