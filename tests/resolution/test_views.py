"""The resolution panels of the case page: each POST view's success, its validation error shown
next to the form, the wrong method, another team's agent, and approval limits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amends.accounts.models import User
from amends.cases import services as case_services
from amends.cases.models import Case, State
from amends.resolution import services
from amends.resolution.models import (
    ActionItem,
    Cause,
    Compensation,
    CompensationStatus,
    Decision,
    Fact,
    Fault,
    ImprovementTask,
    InternalReview,
    PreventionAction,
    Proposal,
    ProposalStatus,
)
from tests.resolution.helpers import make_resolvable

PROPOSAL_MESSAGE = (
    "Przepraszam za kłopot z pralką. Nazywam się Ania Nowak i zajmę się tą sprawą do końca. "
    "Proponuję wymianę pralki na nową do 4 grudnia."
)


@pytest.fixture
def proposed(case: Case, ania: User) -> Case:
    """A case with a resolution proposed: the state from which it can be resolved."""
    return case_services.change_state(case, to=State.RESOLUTION_PROPOSED, actor=ania)


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def as_user(user: User) -> Client:
        client.force_login(user)
        return client

    return as_user


def url(name: str, case: Case, *args: Any) -> str:
    return reverse(f"resolution:{name}", args=[case.reference, *args])


def page(case: Case) -> str:
    return reverse("cases:case-detail", args=[case.reference])


def assert_back_on_the_case(response: Any, case: Case) -> None:
    assert response.status_code == 302
    assert response.url == page(case)


def option_data(soon: date, **extra: Any) -> dict[str, Any]:
    data = {
        "option-TOTAL_FORMS": "3",
        "option-INITIAL_FORMS": "0",
        "option-MIN_NUM_FORMS": "1",
        "option-MAX_NUM_FORMS": "6",
        "option-0-kind": "replacement",
        "option-0-description": "Nowa pralka tego samego modelu.",
        "option-0-cost": "1899",
        "option-0-currency": "PLN",
        "option-0-due": soon.isoformat(),
        "option-1-cost": "0",
        "option-1-currency": "PLN",
        "option-2-cost": "0",
        "option-2-currency": "PLN",
    }
    data.update(extra)
    return data


# -- The page ------------------------------------------------------------------------------


def test_the_case_page_shows_the_panels_with_fault_marked_internal(login, ania, case) -> None:
    html = login(ania).get(page(case)).content.decode()
    assert "Investigation" in html
    assert "Internal: never shown to the customer" in html
    assert "Proposal to the customer" in html
    assert "Joint actions" in html
    assert "Compensation ledger" in html
    assert "The root cause is not recorded." in html
    assert "Concession advisor" in html


def test_reviews_appear_once_the_case_is_resolved(login, ania, proposed) -> None:
    case = proposed
    assert "Internal review" not in login(ania).get(page(case)).content.decode()
    make_resolvable(case, ania)
    services.resolve(case, actor=ania)
    assert "Internal review" in login(ania).get(page(case)).content.decode()


def test_a_colleague_who_cannot_work_on_the_case_sees_no_forms(
    login, ania, marta, piotr, case
) -> None:
    case_services.hand_over(case, to=marta, actor=ania, reason="Holiday")
    html = login(piotr).get(page(case)).content.decode()
    assert "Investigation" in html
    assert "Add a fact" not in html
    assert "Propose compensation" not in html


# -- Investigation -------------------------------------------------------------------------


def test_a_fact_is_added_with_its_evidence(login, ania, case) -> None:
    photo = SimpleUploadedFile("leak.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "image/png")
    response = login(ania).post(
        url("add-fact", case),
        {
            "kind": "customer_says",
            "text": "Water under the machine after each wash.",
            "evidence": photo,
        },
    )
    assert_back_on_the_case(response, case)
    fact = Fact.objects.get(case=case)
    assert fact.evidence
    download = login(ania).get(url("download-evidence", case, fact.pk))
    assert download.status_code == 200
    assert download["Content-Security-Policy"] == "sandbox"


def test_an_empty_fact_is_refused_next_to_the_form(login, ania, case) -> None:
    response = login(ania).post(url("add-fact", case), {"kind": "customer_says", "text": ""})
    assert response.status_code == 400
    assert response.context["failed"] == "fact"
    assert response.context["resolution"]["forms"]["fact"].errors["text"]
    assert not Fact.objects.exists()


def test_a_fact_is_checked_and_unchecked(login, ania, case) -> None:
    fact = services.add_fact(case, actor=ania, kind="our_records", text="Service report.")
    client = login(ania)
    assert_back_on_the_case(client.post(url("check-fact", case, fact.pk), {"checked": "on"}), case)
    fact.refresh_from_db()
    assert fact.checked
    response = client.post(url("check-fact", case, fact.pk), {}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    fact.refresh_from_db()
    assert not fact.checked


def test_the_root_cause_is_chosen_from_the_two_level_taxonomy(login, ania, case, cause) -> None:
    html = login(ania).get(page(case)).content.decode()
    assert f'<optgroup label="{cause.parent.name}">' in html
    response = login(ania).post(url("set-root-cause", case), {"cause": cause.pk})
    assert_back_on_the_case(response, case)
    assert services.investigation_for(case).root_cause == cause


def test_an_inactive_cause_is_refused(login, ania, case, cause) -> None:
    Cause.objects.filter(pk=cause.pk).update(active=False)
    response = login(ania).post(url("set-root-cause", case), {"cause": cause.pk})
    assert response.status_code == 400
    assert response.context["resolution"]["forms"]["cause"].errors["cause"]


def test_the_fault_is_recorded_with_findings(login, ania, case) -> None:
    response = login(ania).post(
        url("set-fault", case), {"fault": Fault.OURS, "findings": "The pump was fitted wrongly."}
    )
    assert_back_on_the_case(response, case)
    investigation = services.investigation_for(case)
    assert investigation.fault == Fault.OURS
    assert investigation.findings == "The pump was fitted wrongly."
    html = login(ania).get(page(case)).content.decode()
    assert "The next reply must admit it and apologise" in html


def test_an_unknown_fault_is_refused(login, ania, case) -> None:
    response = login(ania).post(url("set-fault", case), {"fault": "martians"})
    assert response.status_code == 400
    assert response.context["resolution"]["forms"]["fault"].errors["fault"]


def test_unclear_information_gets_an_improvement_task_listed_for_managers(
    login, ania, marta, case, soon
) -> None:
    services.set_fault(case, actor=ania, fault=Fault.UNCLEAR_INFO)
    response = login(ania).post(
        url("add-improvement", case),
        {
            "information": "Drain hose length",
            "location": "Manual p. 12",
            "owner": marta.pk,
            "due": soon,
        },
    )
    assert_back_on_the_case(response, case)
    task = ImprovementTask.objects.get(case=case)

    listing = login(marta).get(reverse("resolution:improvements"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Drain hose length" in html
    assert "Marta Zielińska" in html
    assert case.reference in html

    done = login(marta).post(
        url("complete-improvement", case, task.pk), {"next": reverse("resolution:improvements")}
    )
    assert done.status_code == 302
    assert done.url == reverse("resolution:improvements")
    task.refresh_from_db()
    assert task.done_at is not None


def test_an_improvement_due_in_the_past_is_refused(login, ania, marta, case) -> None:
    services.set_fault(case, actor=ania, fault=Fault.UNCLEAR_INFO)
    past = timezone.localdate() - timedelta(days=3)
    response = login(ania).post(
        url("add-improvement", case),
        {"information": "Hose", "location": "Manual", "owner": marta.pk, "due": past},
    )
    assert response.status_code == 400
    assert response.context["resolution"]["forms"]["improvement"].non_field_errors()


def test_agents_do_not_see_the_improvement_list(login, ania) -> None:
    assert login(ania).get(reverse("resolution:improvements")).status_code == 403


def test_the_improvement_list_is_in_the_header_for_managers(login, ania, marta) -> None:
    assert (
        reverse("resolution:improvements")
        in login(marta).get(reverse("cases:my-cases")).content.decode()
    )
    assert (
        reverse("resolution:improvements")
        not in login(ania).get(reverse("cases:my-cases")).content.decode()
    )


# -- The proposal and joint actions --------------------------------------------------------


def test_a_proposal_with_an_option_is_sent(login, ania, case, soon) -> None:
    response = login(ania).post(
        url("propose", case), {"message": PROPOSAL_MESSAGE, **option_data(soon)}
    )
    assert_back_on_the_case(response, case)
    proposal = Proposal.objects.get(case=case)
    assert [o.kind for o in proposal.options.all()] == ["replacement"]
    html = login(ania).get(page(case)).content.decode()
    assert "Nowa pralka tego samego modelu." in html
    assert "Waiting for the customer" in html


def test_a_proposal_without_any_option_is_refused(login, ania, case, soon) -> None:
    data = option_data(
        soon, **{"option-0-kind": "", "option-0-description": "", "option-0-due": ""}
    )
    data["option-0-cost"] = "0"
    response = login(ania).post(url("propose", case), {"message": PROPOSAL_MESSAGE, **data})
    assert response.status_code == 400
    assert response.context["failed"] == "proposal"
    assert not Proposal.objects.exists()


def test_a_proposal_the_coach_flags_is_refused_with_the_reason(login, ania, case, soon) -> None:
    message = PROPOSAL_MESSAGE + " Powinien Pan był przeczytać instrukcję."
    response = login(ania).post(url("propose", case), {"message": message, **option_data(soon)})
    assert response.status_code == 400
    assert response.context["resolution"]["forms"]["proposal"].non_field_errors()
    assert not Proposal.objects.exists()


def test_staff_record_the_customers_decision_and_withdraw(login, ania, case, soon) -> None:
    login(ania).post(url("propose", case), {"message": PROPOSAL_MESSAGE, **option_data(soon)})
    option = Proposal.objects.get().options.get()
    response = login(ania).post(
        url("decide-option", case, option.pk), {"decision": "accepted", "via": "phone"}
    )
    assert_back_on_the_case(response, case)
    option.refresh_from_db()
    assert option.decision == Decision.ACCEPTED
    assert option.decided_via == "phone"
    assert Proposal.objects.get().status == ProposalStatus.AGREED
    assert "via Phone" in login(ania).get(page(case)).content.decode()

    refused = login(ania).post(url("withdraw-proposal", case, option.proposal_id), {"reason": "x"})
    assert refused.status_code == 400  # agreed, no longer open


def test_an_open_proposal_is_withdrawn_with_a_reason(login, ania, case, soon) -> None:
    login(ania).post(url("propose", case), {"message": PROPOSAL_MESSAGE, **option_data(soon)})
    proposal = Proposal.objects.get()
    assert (
        login(ania).post(url("withdraw-proposal", case, proposal.pk), {"reason": ""}).status_code
        == 400
    )
    response = login(ania).post(
        url("withdraw-proposal", case, proposal.pk), {"reason": "A better offer follows."}
    )
    assert_back_on_the_case(response, case)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


def test_a_joint_action_is_added_and_done(login, ania, case, soon) -> None:
    response = login(ania).post(
        url("add-action-item", case),
        {"title": "Send photos of the leak", "party": "customer", "due": soon},
    )
    assert_back_on_the_case(response, case)
    item = ActionItem.objects.get()
    assert_back_on_the_case(login(ania).post(url("complete-action-item", case, item.pk)), case)
    item.refresh_from_db()
    assert item.done_at is not None


def test_our_joint_action_needs_an_owner(login, ania, case, soon) -> None:
    response = login(ania).post(
        url("add-action-item", case), {"title": "Visit", "party": "us", "due": soon}
    )
    assert response.status_code == 400
    assert response.context["resolution"]["forms"]["action_item"].non_field_errors()


# -- Compensation ledger -------------------------------------------------------------------


def test_compensation_is_proposed_approved_and_paid_within_the_limit(login, ania, case) -> None:
    response = login(ania).post(
        url("propose-compensation", case), {"kind": "discount", "amount": "150", "currency": "pln"}
    )
    assert_back_on_the_case(response, case)
    comp = Compensation.objects.get()
    assert comp.currency == "PLN"
    html = login(ania).get(page(case)).content.decode()
    assert reverse("resolution:approve-compensation", args=[case.reference, comp.pk]) in html

    assert_back_on_the_case(login(ania).post(url("approve-compensation", case, comp.pk)), case)
    assert_back_on_the_case(login(ania).post(url("pay-compensation", case, comp.pk)), case)
    comp.refresh_from_db()
    assert comp.status == CompensationStatus.PAID
    assert comp.approved_by == ania


def test_a_negative_compensation_is_refused(login, ania, case) -> None:
    response = login(ania).post(
        url("propose-compensation", case), {"kind": "discount", "amount": "-5", "currency": "PLN"}
    )
    assert response.status_code == 400
    assert response.context["resolution"]["forms"]["compensation"].errors["amount"]


def test_an_agent_cannot_approve_above_the_limit_and_sees_needs_a_manager(
    login, ania, marta, case
) -> None:
    comp = services.propose_compensation(
        case, actor=ania, kind="refund", amount=Decimal(900), currency="PLN"
    )
    html = login(ania).get(page(case)).content.decode()
    assert "needs a manager" in html
    assert reverse("resolution:approve-compensation", args=[case.reference, comp.pk]) not in html

    assert login(ania).post(url("approve-compensation", case, comp.pk)).status_code == 403
    comp.refresh_from_db()
    assert comp.status == CompensationStatus.PROPOSED

    assert_back_on_the_case(login(marta).post(url("approve-compensation", case, comp.pk)), case)
    comp.refresh_from_db()
    assert comp.status == CompensationStatus.APPROVED
    assert comp.approved_by == marta


def test_compensation_is_cancelled_with_a_reason(login, ania, case) -> None:
    comp = services.propose_compensation(
        case, actor=ania, kind="goodwill", amount=Decimal(20), currency="PLN"
    )
    missing = login(ania).post(url("cancel-compensation", case, comp.pk), {"reason": ""})
    assert missing.status_code == 400
    assert missing.context["failed"] == f"cancel-{comp.pk}"
    response = login(ania).post(url("cancel-compensation", case, comp.pk), {"reason": "Duplicate."})
    assert_back_on_the_case(response, case)
    comp.refresh_from_db()
    assert comp.status == CompensationStatus.CANCELLED


def test_paying_a_proposed_compensation_is_refused_at_the_top(login, ania, case) -> None:
    comp = services.propose_compensation(
        case, actor=ania, kind="goodwill", amount=Decimal(20), currency="PLN"
    )
    response = login(ania).post(url("pay-compensation", case, comp.pk), follow=True)
    assert "This compensation is proposed." in response.content.decode()


# -- Resolving and reviews -----------------------------------------------------------------


def test_resolving_needs_cause_and_fault(login, ania, proposed) -> None:
    case = proposed
    response = login(ania).post(url("resolve-case", case), {})
    assert response.status_code == 400
    assert "The root cause is not recorded." in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.RESOLUTION_PROPOSED


def test_a_resolvable_case_is_resolved(login, ania, proposed) -> None:
    case = proposed
    make_resolvable(case, ania)
    assert_back_on_the_case(login(ania).post(url("resolve-case", case), {}), case)
    case.refresh_from_db()
    assert case.state == State.RESOLVED


def test_a_manager_resolves_without_cause_with_a_reason(login, marta, proposed) -> None:
    case = proposed
    response = login(marta).post(
        url("resolve-case", case), {"override_reason": "Customer withdrew."}
    )
    assert_back_on_the_case(response, case)
    case.refresh_from_db()
    assert case.state == State.RESOLVED


def test_an_agent_cannot_override(login, ania, proposed) -> None:
    case = proposed
    response = login(ania).post(url("resolve-case", case), {"override_reason": "Please."})
    assert response.status_code == 403


def test_the_change_state_action_goes_through_the_resolution_guard(
    login, ania, marta, case
) -> None:
    change = reverse("cases:change-state", args=[case.reference])
    case = case_services.change_state(case, to=State.RESOLUTION_PROPOSED, actor=ania)
    assert login(ania).post(change, {"to": "resolved"}).status_code == 400
    response = login(marta).post(change, {"to": "resolved", "reason": "Settled by phone."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.RESOLVED


@pytest.fixture
def resolved(proposed, ania) -> Case:
    make_resolvable(proposed, ania)
    return services.resolve(proposed, actor=ania)


def test_the_reviews_are_written_after_resolution(login, ania, marta, resolved, soon) -> None:
    client = login(ania)
    today = timezone.localdate().isoformat()
    response = client.post(
        url("write-customer-review", resolved),
        {"held_on": today, "notes": "We went through the installation together."},
    )
    assert_back_on_the_case(response, resolved)
    response = client.post(
        url("write-internal-review", resolved),
        {
            "what_happened": "The pump was refitted without the new seal.",
            "contributing_causes": "The repair checklist has no seal step.",
        },
    )
    assert_back_on_the_case(response, resolved)
    assert InternalReview.objects.filter(case=resolved).exists()
    response = client.post(
        url("add-prevention-action", resolved),
        {"title": "Add the seal to the checklist", "owner": marta.pk, "due": soon},
    )
    assert_back_on_the_case(response, resolved)
    action = PreventionAction.objects.get()
    assert action.cause is not None  # the root cause by default
    assert_back_on_the_case(
        client.post(url("complete-prevention-action", resolved, action.pk)), resolved
    )


def test_an_internal_review_that_names_a_culprit_is_refused(login, ania, resolved) -> None:
    response = login(ania).post(
        url("write-internal-review", resolved),
        {
            "what_happened": "Kurier zgubił paczkę.",
            "contributing_causes": "To wina magazynu.",
        },
    )
    assert response.status_code == 400
    assert response.context["resolution"]["forms"]["internal_review"].non_field_errors()
    assert not InternalReview.objects.exists()


# -- Method and permissions ----------------------------------------------------------------


def _posts(case: Case, soon: date, ania: User) -> list[tuple[str, dict[str, Any]]]:
    fact = services.add_fact(case, actor=ania, kind="our_records", text="Report.")
    comp = services.propose_compensation(
        case, actor=ania, kind="goodwill", amount=10, currency="PLN"
    )
    return [
        (url("add-fact", case), {"kind": "customer_says", "text": "x"}),
        (url("check-fact", case, fact.pk), {"checked": "on"}),
        (url("set-fault", case), {"fault": "ours"}),
        (url("propose-compensation", case), {"kind": "refund", "amount": "5", "currency": "PLN"}),
        (url("approve-compensation", case, comp.pk), {}),
        (url("cancel-compensation", case, comp.pk), {"reason": "x"}),
        (url("add-action-item", case), {"title": "x", "party": "customer", "due": soon}),
        (url("resolve-case", case), {}),
    ]


def test_another_teams_agent_gets_404_everywhere(login, ania, boryana, case, soon) -> None:
    client = login(boryana)
    for target, data in _posts(case, soon, ania):
        assert client.post(target, data).status_code == 404, target
    assert Fact.objects.count() == 1


def test_a_team_mate_who_does_not_own_the_case_gets_403(login, ania, piotr, case, soon) -> None:
    client = login(piotr)
    for target, data in _posts(case, soon, ania):
        assert client.post(target, data).status_code == 403, target


def test_the_actions_are_post_only(login, ania, case) -> None:
    client = login(ania)
    for name in (
        "add-fact",
        "set-root-cause",
        "set-fault",
        "propose",
        "propose-compensation",
        "resolve-case",
    ):
        assert client.get(url(name, case)).status_code == 405


def test_anonymous_users_are_sent_to_the_login_page(client, case) -> None:
    response = client.post(url("add-fact", case), {"kind": "customer_says", "text": "x"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_improvement_list_needs_few_queries_however_long(
    login, ania, marta, case, soon, django_assert_max_num_queries
) -> None:
    services.set_fault(case, actor=ania, fault=Fault.UNCLEAR_INFO)
    for n in range(15):
        services.add_improvement(
            case, actor=ania, information=f"Leaflet {n}", location="Box", owner=marta, due=soon
        )
    client = login(marta)
    client.get(reverse("resolution:improvements"))
    # Session, user, the header's counts (4) and one for the tasks with their cases and owners.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("resolution:improvements"))
    assert len(response.context["rows"]) == 15


def _fill(case: Case, ania: User, marta: User, soon: date, n: int) -> None:
    for i in range(n):
        services.add_fact(case, actor=ania, kind="our_records", text=f"Record {i}")
        services.add_action_item(
            case, actor=ania, title=f"Step {i}", party="us", owner=marta, due=soon
        )
        services.propose_compensation(
            case, actor=ania, kind="goodwill", amount=Decimal(10 + i), currency="PLN"
        )
        services.add_improvement(
            case, actor=ania, information=f"Leaflet {i}", location="Box", owner=marta, due=soon
        )


def test_the_panels_cost_the_same_queries_however_full(
    login, ania, marta, case, soon, django_assert_num_queries
) -> None:
    services.set_fault(case, actor=ania, fault=Fault.UNCLEAR_INFO)
    services.propose(
        case,
        actor=ania,
        message=PROPOSAL_MESSAGE,
        options=[
            {"kind": "refund", "description": "Zwrot", "cost": 1, "currency": "PLN", "due": soon},
            {"kind": "repair", "description": "Naprawa", "cost": 1, "currency": "PLN", "due": soon},
        ],
    )
    _fill(case, ania, marta, soon, 1)
    client = login(ania)
    client.get(page(case))
    with CaptureQueriesContext(connection) as one:
        client.get(page(case))
    _fill(case, ania, marta, soon, 6)
    with django_assert_num_queries(len(one)):
        html = client.get(page(case)).content.decode()
    assert html.count('<li class="res-fact') == 7


def test_an_acknowledged_case_is_resolved_from_the_side_bar(login, ania, case) -> None:
    make_resolvable(case, ania)
    assert url("resolve-case", case) in login(ania).get(page(case)).content.decode()
    assert_back_on_the_case(login(ania).post(url("resolve-case", case), {}), case)
    case.refresh_from_db()
    assert case.state == State.RESOLVED
