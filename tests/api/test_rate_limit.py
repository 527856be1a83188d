"""The API's rate limit: per token, from settings.AMENDS_API_RATE_LIMIT."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from amends.api.throttle import parse_rate


@override_settings(AMENDS_API_RATE_LIMIT="3/m")
def test_the_fourth_call_in_a_minute_gets_429(api_as, ania):
    client = api_as(ania)
    assert [client.get("/api/cases").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/cases")
    assert response.status_code == 429
    assert "Too many requests" in response.json()["error"]
    assert int(response["Retry-After"]) >= 1


@override_settings(AMENDS_API_RATE_LIMIT="2/m")
def test_each_token_has_its_own_allowance(api_as, ania, piotr):
    first, second = api_as(ania), api_as(piotr)
    assert [first.get("/api/cases").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get("/api/cases").status_code == 200


@override_settings(AMENDS_API_RATE_LIMIT="1/m")
def test_a_throttled_write_changes_nothing(api_as, ania, ania_case, unchanged):
    client = api_as(ania)
    client.get("/api/cases")
    before = unchanged()
    response = client.post(f"/api/cases/{ania_case.reference}/notes", {"text": "hello"})
    assert response.status_code == 429
    assert unchanged() == before


@override_settings(AMENDS_API_RATE_LIMIT="")
def test_an_empty_limit_means_no_limit(api_as, ania):
    client = api_as(ania)
    assert {client.get("/api/cases").status_code for _ in range(5)} == {200}


@pytest.mark.parametrize(
    ("rate", "parsed"), [("600/m", (600, 60)), ("10/s", (10, 1)), ("5000/hour", (5000, 3600))]
)
def test_rates_parse(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["600", "x/m", "10/fortnight"])
def test_a_bad_rate_is_a_configuration_error(rate):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(rate)
