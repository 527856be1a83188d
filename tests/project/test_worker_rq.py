"""With TASKS_BACKEND=rq, tasks go through Redis (RQ) and `amends worker` runs them."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.core import mail
from django.test import override_settings

from amends.cases.management.commands.worker import drain_queue
from amends.intake.complaint import Complaint
from amends.intake.models import Delivery, Direction
from amends.intake.services import receive

redis = pytest.importorskip("redis")

RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


@pytest.fixture
def rq_queue(settings) -> Iterator[None]:
    import django_rq

    connection = django_rq.get_connection("default")
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis is not running on loopback")
    connection.flushdb()
    with override_settings(TASKS=RQ_TASKS, TASKS_BACKEND="rq"):
        yield
    connection.flushdb()


@pytest.mark.django_db(transaction=True)
def test_the_acknowledgement_waits_in_redis_until_the_worker_runs(rq_queue, ania) -> None:
    case = receive(
        Complaint(
            channel="email",
            text="Dzień dobry, pralka przecieka od tygodnia. Proszę o naprawę.",
            sender_name="Jan Kowalski",
            sender_email="jan@example.pl",
        )
    ).case
    ack = case.messages.get(direction=Direction.OUT)
    assert ack.delivery == Delivery.QUEUED
    assert mail.outbox == []

    drain_queue("test-worker")

    ack.refresh_from_db()
    assert ack.delivery == Delivery.SENT
    assert [m.to for m in mail.outbox] == [["jan@example.pl"]]
