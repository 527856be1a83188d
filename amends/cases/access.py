"""Who may see and change which case. The only way views and the API get hold of a case."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from amends.cases.models import Case, CaseQuerySet


def visible_cases(user: Any) -> CaseQuerySet:
    """Managers and admins see every case; an agent sees their own and their team's."""
    cases = Case.objects.all()
    if not user.is_authenticated or not user.is_active:
        return cases.none()
    if user.is_manager:
        return cases
    team_cases = Q(team_id=user.team_id) if user.team_id else Q(pk__in=[])
    return cases.filter(Q(owner=user) | team_cases)


def case_for_user(user: Any, reference: str | int, *, write: bool = False) -> Case:
    """The case if `user` may see it (and change it, with write=True); 404 otherwise.

    An agent may change cases they own and unowned cases of their team; a manager any case.
    """
    pk = reference if isinstance(reference, int) else Case.pk_from_reference(str(reference))
    if pk is None:
        raise Http404("No such case")
    case = visible_cases(user).select_related("customer", "owner", "team").filter(pk=pk).first()
    if case is None:
        raise Http404("No such case")
    if write and not can_work_on(user, case):
        raise PermissionDenied("Only the case's owner or a manager can change it.")
    return case


def can_work_on(user: Any, case: Case) -> bool:
    if user.is_manager:
        return True
    if case.owner_id == user.pk:
        return True
    return case.owner_id is None and case.team_id is not None and case.team_id == user.team_id


def can_hand_over(user: Any, case: Case) -> bool:
    """The owner may pass their case to a colleague; managers may move any case."""
    return bool(user.is_manager) or case.owner_id == user.pk


def require_hand_over(user: Any, case: Case) -> None:
    if not can_hand_over(user, case):
        raise PermissionDenied("Only the owner or a manager can hand a case over.")
