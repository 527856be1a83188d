"""Build resolution state through the services, for tests that need a resolvable case."""

from __future__ import annotations

from typing import Any

from amends.cases.models import Case
from amends.resolution import services
from amends.resolution.models import Cause, Fault


def cause(name: str = "Unclear assembly instructions", group: str = "Documentation") -> Cause:
    parent, _ = Cause.objects.get_or_create(name=group, parent=None)
    child, _ = Cause.objects.get_or_create(name=name, parent=parent)
    return child


def make_resolvable(case: Case, actor: Any, *, fault: str = Fault.NONE) -> Case:
    """Record a root cause and a fault, so the case may be resolved (B-1)."""
    services.set_root_cause(case, actor=actor, cause=cause())
    services.set_fault(case, actor=actor, fault=fault)
    return case
