"""API helpers: a token per persona and a JSON client that sends it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from amends.accounts.models import ApiToken, User
from amends.cases.models import Case, Event


class ApiClient:
    """Django's test client speaking JSON with a bearer token, through the full middleware stack."""

    def __init__(self, key: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> Any:
        return self.client.get(path, params or {}, headers={**self.headers, **(headers or {})})

    def post(
        self,
        path: str,
        body: Any = None,
        *,
        raw: str | bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(
            path, data, content_type="application/json", headers={**self.headers, **(headers or {})}
        )


@pytest.fixture(autouse=True)
def _clear_rate_counters() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_as(db: None) -> Callable[[User | None], ApiClient]:
    def make(user: User | None) -> ApiClient:
        if user is None:
            return ApiClient(None)
        _token, key = ApiToken.issue(user, "tests")
        return ApiClient(key)

    return make


@pytest.fixture
def unchanged(db: None) -> Callable[[], Any]:
    """Snapshot counts of cases and events (and the cases' rows) to assert a refusal changed nothing."""

    def snapshot() -> tuple[int, int, list[tuple[Any, ...]]]:
        rows = list(
            Case.objects.order_by("pk").values_list(
                "pk", "state", "owner_id", "commitment_due", "statutory_due", "updated_at"
            )
        )
        return Case.objects.count(), Event.objects.count(), rows

    return snapshot
