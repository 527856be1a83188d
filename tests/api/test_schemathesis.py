"""Property-based fuzzing of the whole API from its own OpenAPI schema: no input may cause a 5xx."""

from __future__ import annotations

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings

from amends.accounts.models import ApiToken

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402

MAX_EXAMPLES = 25


def operations():
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    return [result.ok() for result in schema.get_all_operations()]


@pytest.fixture(scope="module")
def api_operations(django_db_blocker):
    with django_db_blocker.unblock():
        return operations()


@pytest.fixture
def keep_test_connection():
    """Requests go through the real WSGI handler, which closes old connections around each request
    (ending the test's transaction on PostgreSQL); Django's test client avoids that the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.usefixtures("keep_test_connection")
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("real_case", [False, True], ids=["any-reference", "existing-case"])
@override_settings(AMENDS_API_RATE_LIMIT="")
def test_no_generated_request_causes_a_server_error(
    api_operations, marta, ania_case, mode, real_case
):
    _token, key = ApiToken.issue(marta, "fuzz")
    headers = {"Authorization": f"Bearer {key}"}
    for operation in api_operations:
        if real_case and "{reference}" not in operation.path:
            continue
        # Random references mostly miss; aim half the runs at a case that exists.
        path = {"reference": ania_case.reference} if real_case else None
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=path)

        @given(case=strategy)
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error], headers=headers)

        run()
