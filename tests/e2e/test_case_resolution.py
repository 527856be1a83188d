"""The browser test of the resolution work on a case: the live coach in the reply composer, then
the root cause, the fault and a proposal to the customer.

It drives Debian's Chromium (never a downloaded browser) against pytest-django's live server,
with the vendored htmx, and saves the case page as a screenshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from amends.accounts.models import User
from amends.cases import services
from amends.cases.models import Case, Customer
from amends.resolution.models import Fault, Proposal
from tests.e2e.browser import MARKS, SCREENSHOTS
from tests.resolution.helpers import cause as make_cause

playwright_sync = pytest.importorskip("playwright.sync_api")

SCREENSHOT = SCREENSHOTS / "case-resolution.png"

pytestmark = MARKS

PROPOSAL = (
    "I am sorry the washer is still leaking. My name is Ania Nowak and I will handle your case "
    "until it is solved. We will replace the washer with a new one within 7 days."
)


@pytest.fixture
def page(browser: Any) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 1600}, locale="en-GB")
    yield context.new_page()
    context.close()


def _leaking_washer_case(ania: User) -> Case:
    customer = Customer.objects.create(
        name="Helen Carter",
        email="helen.carter@example.com",
        language="en",
        jurisdiction="FI",
        kind="consumer",
        annual_value=1200,
        currency="EUR",
    )
    case = services.open_case(
        customer=customer,
        subject="Washer leaks after the warranty repair",
        description=(
            "The AquaLine 7 washer I bought in February has leaked since the warranty repair. "
            "Water collects under it after every wash and has damaged the floor. "
            "Please replace it or refund me."
        ),
        channel="email",
        received_at=timezone.now() - timedelta(days=2),
        owner=ania,
        disputed_amount=649,
        currency="EUR",
    )
    return services.acknowledge(case, actor=ania)


def test_an_agent_sees_the_live_coach_then_records_cause_and_fault_and_proposes_a_remedy(
    live_server, page, ania: User
) -> None:
    expect = playwright_sync.expect
    case = _leaking_washer_case(ania)
    cause = make_cause("Drain pump fitted without the new seal", group="Repairs")

    page.goto(live_server.url + f"/cases/{case.reference}/")
    page.get_by_label("Username").fill("ania")
    page.get_by_label("Password").fill("password-ania")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=case.subject)).to_be_visible()

    # The live coach: typing is enough, no button.
    page.get_by_role("heading", name="Reply to the customer").click()
    reply = page.get_by_label("Your reply")
    reply.press_sequentially("You should have read the manual")
    coach = page.locator("#coach-reply")
    flag = coach.locator('[data-kind="blame_customer"]')
    expect(flag).to_be_visible(timeout=10_000)
    expect(flag).to_contain_text("You should have")
    expect(coach.get_by_label("Send it anyway")).to_be_visible()
    expect(coach.locator(".coach__score-value")).not_to_have_text("100")

    # Rewriting the reply updates the coach again.
    reply.fill("")
    reply.press_sequentially("I'm sorry this happened. I will call you tomorrow.")
    expect(flag).to_have_count(0, timeout=10_000)
    expect(coach.locator('[data-kind="apology"].coach__element--ok')).to_be_visible()

    # The root cause, from the two-level taxonomy.
    investigation = page.locator("#investigation")
    investigation.get_by_text("Record the root cause").click()
    investigation.get_by_label("Root cause").select_option(label=cause.name)
    investigation.get_by_role("button", name="Save root cause").click()
    expect(page.get_by_role("status").filter(has_text="Root cause recorded.")).to_be_visible()

    # The fault: internal, never shown to the customer.
    investigation = page.locator("#investigation")
    expect(investigation).to_contain_text("Internal: never shown to the customer")
    investigation.get_by_text("Attribute the fault").click()
    investigation.get_by_label("Fault").select_option(value=Fault.OURS)
    investigation.get_by_label("Findings").fill("The seal was not replaced at the first repair.")
    investigation.get_by_role("button", name="Save fault").click()
    expect(page.get_by_role("status").filter(has_text="Fault recorded (internal).")).to_be_visible()
    expect(page.locator(".res-side .fault")).to_have_text("Ours")

    # A proposal with one remedy option, its message checked by the coach as typed.
    proposal = page.locator("#proposal")
    proposal.get_by_text("Propose a resolution").click()
    proposal.get_by_label("Message to the customer").fill(PROPOSAL)
    expect(proposal.locator("#coach-proposal .coach__score-value")).to_be_visible(timeout=10_000)
    first = proposal.locator("fieldset").first
    first.get_by_label("Remedy").select_option(label="Replacement")
    first.get_by_label("What we offer").fill("A new AquaLine 7, delivered and installed.")
    first.get_by_label("Cost to us").fill("649")
    first.get_by_label("Currency").fill("EUR")
    first.get_by_label("By").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    proposal.get_by_role("button", name="Send the proposal").click()

    expect(
        page.get_by_role("status").filter(has_text="Proposal sent to the customer.")
    ).to_be_visible()
    expect(page.locator(".res-option")).to_contain_text(
        "A new AquaLine 7, delivered and installed."
    )
    expect(page.locator(".case-head .state")).to_have_text("Resolution proposed")

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    offered = Proposal.objects.get(case=case)
    assert [o.kind for o in offered.options.all()] == ["replacement"]
