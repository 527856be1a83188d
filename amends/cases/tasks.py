"""Background tasks of the case core. Tasks take ids or nothing, and call a service."""

from __future__ import annotations

from django_tasks import task

from amends.cases import services


@task()
def sweep_deadlines() -> dict[str, int]:
    """Record at-risk and missed deadline events (scheduled by `amends worker` every minute)."""
    return services.sweep_deadlines()
