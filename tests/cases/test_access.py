"""Roles: an agent sees own and team cases and changes only what they own; managers see all."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from amends.cases import access
from amends.cases.models import Case, Customer


@pytest.fixture
def bg_case(make_case, boryana) -> Case:
    customer = Customer.objects.create(name="Мария", language="bg", jurisdiction="BG")
    return make_case(
        customer, owner=boryana, subject="Грешна сметка", description="Таксуваха ме два пъти."
    )


def test_an_agent_sees_own_and_team_cases_only(
    ania_case: Case, bg_case: Case, ania, piotr, boryana
) -> None:
    assert set(access.visible_cases(ania)) == {ania_case}
    assert set(access.visible_cases(piotr)) == {ania_case}, "team mate sees the team's case"
    assert set(access.visible_cases(boryana)) == {bg_case}


def test_managers_and_admins_see_every_case(ania_case: Case, bg_case: Case, marta, alex) -> None:
    assert set(access.visible_cases(marta)) == {ania_case, bg_case}
    assert set(access.visible_cases(alex)) == {ania_case, bg_case}


def test_another_teams_agent_gets_404_not_403(ania_case: Case, boryana) -> None:
    with pytest.raises(Http404):
        access.case_for_user(boryana, ania_case.reference)


def test_a_team_mate_may_read_but_not_change_a_colleagues_case(ania_case: Case, piotr) -> None:
    assert access.case_for_user(piotr, ania_case.reference) == ania_case
    with pytest.raises(PermissionDenied):
        access.case_for_user(piotr, ania_case.reference, write=True)


def test_the_owner_and_a_manager_may_change_the_case(ania_case: Case, ania, marta) -> None:
    assert access.case_for_user(ania, ania_case.reference, write=True) == ania_case
    assert access.case_for_user(marta, ania_case.reference, write=True) == ania_case


def test_only_the_owner_or_a_manager_may_hand_over(ania_case: Case, ania, piotr, marta) -> None:
    assert access.can_hand_over(ania, ania_case)
    assert access.can_hand_over(marta, ania_case)
    with pytest.raises(PermissionDenied):
        access.require_hand_over(piotr, ania_case)


def test_inactive_and_anonymous_users_see_nothing(ania_case: Case, ania) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not access.visible_cases(AnonymousUser()).exists()
    ania.is_active = False
    assert not access.visible_cases(ania).exists()


def test_malformed_references_are_404(ania, ania_case: Case) -> None:
    for ref in ("", "AM-", "AM-xyz", "123456789012345", "../etc/passwd"):
        with pytest.raises(Http404):
            access.case_for_user(ania, ref)
