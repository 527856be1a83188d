"""Helpers for the staff-page tests: logged-in clients for each persona."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from amends.accounts.models import User


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    """Log the test client in as `user` and return it."""

    def as_user(user: User) -> Client:
        client.force_login(user)
        return client

    return as_user
