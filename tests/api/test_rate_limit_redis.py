"""With REDIS_URL the rate-limit counters live in Redis, shared by every server process."""

from __future__ import annotations

import os

import pytest
import redis
from django.test import override_settings

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_db():
    client = redis.Redis.from_url(REDIS)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not running at {REDIS}")
    client.flushdb()
    yield client
    client.flushdb()


def test_the_limit_is_counted_in_redis(api_as, ania, redis_db) -> None:
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    }
    with override_settings(CACHES=caches, AMENDS_API_RATE_LIMIT="2/m"):
        client = api_as(ania)
        assert [client.get("/api/cases").status_code for _ in range(3)] == [200, 200, 429]
    keys = [key.decode() for key in redis_db.keys("*amends:api-rate:token:*")]
    assert len(keys) == 1, "another process reading this Redis sees the same counter"
    assert int(redis_db.get(keys[0])) == 3
