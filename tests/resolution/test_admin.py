"""Managers edit the cause taxonomy and the approval limits; the ledger is read-only there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amends.accounts.models import Role
from amends.accounts.services import set_role
from amends.resolution import services
from amends.resolution.models import Cause, ResolutionSettings


@pytest.fixture
def manager(client, marta):
    client.force_login(set_role(marta, Role.MANAGER))
    return client


def test_a_manager_adds_a_cause_to_a_group(manager, cause) -> None:
    url = reverse("admin:resolution_cause_add")
    response = manager.post(
        url,
        {
            "name": "Missing parts",
            "parent": cause.parent.pk,
            "active": "on",
            "children-TOTAL_FORMS": "0",
            "children-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert str(Cause.objects.get(name="Missing parts")) == "Documentation › Missing parts"


def test_only_groups_are_offered_as_parents(manager, cause) -> None:
    form = manager.get(reverse("admin:resolution_cause_add")).context["adminform"].form
    assert list(form.fields["parent"].queryset) == [cause.parent]


def test_a_manager_changes_the_approval_limits(manager) -> None:
    org = ResolutionSettings.current()
    response = manager.get(reverse("admin:resolution_resolutionsettings_change", args=[org.pk]))
    assert response.status_code == 200


def test_the_ledger_is_read_only_for_managers(manager, case, ania) -> None:
    comp = services.propose_compensation(case, actor=ania, kind="refund", amount=5, currency="EUR")
    assert manager.get(reverse("admin:resolution_compensation_changelist")).status_code == 200
    change = reverse("admin:resolution_compensation_change", args=[comp.pk])
    page = manager.get(change)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert manager.get(reverse("admin:resolution_compensation_add")).status_code == 403
    assert manager.get(reverse("admin:resolution_investigation_changelist")).status_code == 200


def test_an_agent_has_no_admin(client, ania) -> None:
    client.force_login(ania)
    response = client.get(reverse("admin:resolution_cause_changelist"))
    assert response.status_code == 302
