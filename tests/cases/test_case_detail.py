"""The case page: header, customer, both deadlines with the rule, the timeline and the action forms."""

from __future__ import annotations

from django.urls import reverse

from amends.cases import services


def url(case) -> str:
    return reverse("cases:case-detail", args=[case.reference])


def test_the_case_page_shows_the_case_customer_and_deadlines(login, ania, ania_case) -> None:
    response = login(ania).get(url(ania_case))
    assert response.status_code == 200
    content = response.content.decode()
    assert f"<h1>{ania_case.subject}</h1>" in content
    assert "Jan Kowalski" in content
    assert "jan@example.pl" in content
    assert "PL-CONSUMER-14D" in content
    assert "The complaint is deemed accepted" in content
    assert "Complaint received via E-mail." in content
    assert "Assigned automatically to Ania Nowak." in content
    assert 'action="/cases/AM-' in content


def test_the_timeline_describes_each_event_and_marks_internal_ones(
    login, ania, piotr, ania_case
) -> None:
    services.add_note(ania_case, actor=ania, text="Checked the order history.")
    services.log_phone_call(ania_case, actor=ania, summary="Customer sent photos.", minutes=4)
    services.acknowledge(ania_case, actor=ania)
    services.hand_over(ania_case, to=piotr, actor=ania, reason="Piotr knows this product.")
    content = login(ania).get(url(ania_case)).content.decode()
    assert "Internal note." in content
    assert "Checked the order history." in content
    assert "The customer called (4 minutes)." in content
    assert "Receipt of the complaint acknowledged." in content
    assert "Handed over from Ania Nowak to Piotr Wiśniewski." in content
    assert "Reason (internal)" in content
    assert "Customer sees this" in content
    assert 'class="visibility visibility--internal"' in content


def test_a_team_mate_reads_the_case_without_action_forms(login, piotr, ania_case) -> None:
    response = login(piotr).get(url(ania_case))
    assert response.status_code == 200
    assert response.context["can_work"] is False
    assert "Acknowledge receipt" not in response.content.decode()


def test_the_owner_sees_the_actions_but_only_allowed_transitions(login, ania, ania_case) -> None:
    response = login(ania).get(url(ania_case))
    content = response.content.decode()
    assert "Acknowledge receipt" in content
    assert 'id="form-handover"' in content
    # A received case can only be acknowledged, which has its own button.
    assert not response.context["forms"]["state"].has_choices
    services.acknowledge(ania_case, actor=ania)
    choices = dict(login(ania).get(url(ania_case)).context["forms"]["state"].fields["to"].choices)
    assert set(choices) == {"investigating", "resolution_proposed"}


def test_the_page_needs_few_queries_however_long_the_timeline(
    login, ania, ania_case, django_assert_max_num_queries
) -> None:
    for n in range(20):
        services.add_note(ania_case, actor=ania, text=f"Note {n}")
    client = login(ania)
    client.get(url(ania_case))
    # 14 for the case core, 8 for the resolution panels (one per panel; amends.resolution.views).
    with django_assert_max_num_queries(22):
        assert client.get(url(ania_case)).status_code == 200


def test_the_case_page_is_get_only(login, ania, ania_case) -> None:
    assert login(ania).post(url(ania_case)).status_code == 405


def test_another_teams_agent_gets_404(login, boryana, ania_case) -> None:
    assert login(boryana).get(url(ania_case)).status_code == 404


def test_an_unknown_reference_is_404(login, ania, db) -> None:
    assert login(ania).get(reverse("cases:case-detail", args=["AM-999999"])).status_code == 404
    assert login(ania).get(reverse("cases:case-detail", args=["nonsense"])).status_code == 404


def test_anonymous_users_are_sent_to_the_login_page(client, ania_case) -> None:
    response = client.get(url(ania_case))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
