"""Background tasks of intake. Tasks take ids and call a service."""

from __future__ import annotations

from django_tasks import task

from amends.intake import outbound


@task()
def send_message(message_pk: int) -> str:
    """Send one queued e-mail to the customer (retried by the worker loop on failure)."""
    return outbound.deliver(message_pk)
