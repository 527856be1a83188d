"""The browser test: an agent logs in, opens a case from the queue, acknowledges it and hands it over.

It drives Debian's Chromium (never a downloaded browser) against pytest-django's live server and
saves the case page as the README's screenshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from amends.accounts.models import User
from amends.cases import services
from amends.cases.models import Case, Category, Customer, ProductLine
from tests.e2e.browser import MARKS, SCREENSHOTS

playwright_sync = pytest.importorskip("playwright.sync_api")

SCREENSHOT = SCREENSHOTS / "case-page.png"

pytestmark = MARKS


@pytest.fixture
def page(browser: Any) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    yield context.new_page()
    context.close()


def _washing_machine_case(ania: User) -> Case:
    """A realistic Polish consumer complaint with some history, received six days ago."""
    customer = Customer.objects.create(
        name="Katarzyna Wójcik",
        email="k.wojcik@example.pl",
        phone="+48 601 234 567",
        language="pl",
        jurisdiction="PL",
        kind="consumer",
        annual_value=2840,
        currency="PLN",
    )
    received = timezone.now() - timedelta(days=6)
    case = services.open_case(
        customer=customer,
        subject="Pralka cieknie po naprawie gwarancyjnej",
        description=(
            "Dzień dobry,\n\npralka AquaLine 7 kupiona 12 lutego cieknie od dnia naprawy gwarancyjnej. "
            "Woda zbiera się pod urządzeniem po każdym praniu, a w łazience zniszczyła już panele.\n\n"
            "Proszę o wymianę pralki na nową albo zwrot pieniędzy oraz pokrycie kosztu paneli.\n\n"
            "Katarzyna Wójcik"
        ),
        channel="email",
        received_at=received,
        owner=ania,
        category=Category.objects.create(name="Product defect"),
        product_line=ProductLine.objects.create(name="Home appliances"),
        disputed_amount=1899,
        currency="PLN",
        priority="high",
    )
    services.log_phone_call(
        case,
        actor=ania,
        summary="Customer called to check we got the e-mail. Photos of the leak promised by tomorrow.",
        direction="inbound",
        minutes=6,
    )
    services.add_note(
        case,
        actor=ania,
        text="Service report from the first repair shows the drain pump was replaced.",
    )
    return case


def test_an_agent_acknowledges_a_case_from_the_queue_and_hands_it_over(
    live_server, page, ania: User, piotr: User, marta: User
) -> None:
    expect = playwright_sync.expect
    case = _washing_machine_case(ania)

    page.goto(live_server.url + "/cases/")
    expect(page.get_by_role("heading", name="Log in to Amends")).to_be_visible()
    page.get_by_label("Username").fill("ania")
    page.get_by_label("Password").fill("password-ania")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="My cases")).to_be_visible()
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", name=case.subject)).to_be_visible()

    page.get_by_role("button", name="Acknowledge receipt").click()
    expect(page.get_by_role("status").filter(has_text="Receipt acknowledged.")).to_be_visible()
    expect(page.locator(".case-head .state")).to_have_text("Acknowledged")

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    hand_over = page.locator("#form-handover")
    hand_over.get_by_text("Hand over", exact=True).first.click()
    hand_over.get_by_label("New owner").select_option(label="Piotr Wiśniewski (Team Poland)")
    hand_over.get_by_label("Reason").fill(
        "Piotr handled the first repair and knows the service partner."
    )
    hand_over.get_by_role("button", name="Hand over").click()

    expect(
        page.get_by_role("status").filter(has_text="Handed over to Piotr Wiśniewski.")
    ).to_be_visible()
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Handed over from Ania Nowak to Piotr Wiśniewski.")
    expect(page.locator(".case-head__meta")).to_contain_text("Piotr Wiśniewski")

    case.refresh_from_db()
    assert case.owner == piotr
    assert case.state == "acknowledged"
