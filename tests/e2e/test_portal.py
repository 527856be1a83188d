"""The browser test of the customer's view: a Polish and a Bulgarian customer open the link from
their e-mail, see who handles the case, accept a proposed solution and, once the case is closed,
rate the outcome and our service.

It drives Debian's Chromium (never a downloaded browser) against pytest-django's live server, as
tests/e2e/test_web_form.py does, and saves the closed case's page as a screenshot.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from amends.accounts.models import User
from amends.cases import services as case_services
from amends.cases.models import Customer, State
from amends.portal.links import portal_path
from amends.portal.models import SatisfactionRating
from amends.resolution.models import Decision, Proposal, ProposalStatus, RemedyOption
from tests.e2e.browser import MARKS, SCREENSHOTS
from tests.portal.conftest import move_to

playwright_sync = pytest.importorskip("playwright.sync_api")


CUSTOMERS = {
    "pl": {
        "locale": "pl-PL",
        "name": "Katarzyna Wójcik",
        "email": "k.wojcik@example.pl",
        "country": "PL",
        "subject": "Pralka AquaLine 7 przecieka",
        "text": "Pralka dostarczona 12 marca ma pękniętą obudowę bębna i przecieka.",
        "proposal": "Przepraszamy za kłopot. Proponujemy jedno z dwóch rozwiązań:",
        "options": [
            ("replacement", "Nowa pralka AquaLine 7 z dostawą i wniesieniem."),
            ("refund", "Zwrot pełnej ceny pralki na Pani konto."),
        ],
    },
    "bg": {
        "locale": "bg-BG",
        "name": "Мария Иванова",
        "email": "maria.ivanova@example.bg",
        "country": "BG",
        "subject": "Хладилникът не охлажда",
        "text": "Хладилникът, доставен на 3 април, не охлажда и вратата не се затваря плътно.",
        "proposal": "Съжаляваме за неудобството. Предлагаме едно от двете решения:",
        "options": [
            ("replacement", "Нов хладилник с доставка до дома."),
            ("refund", "Връщане на пълната цена по сметката Ви."),
        ],
    },
}

pytestmark = MARKS


@pytest.mark.parametrize("lang", ["pl", "bg"])
def test_a_customer_accepts_a_proposal_and_rates_the_closed_case(
    live_server, browser, ania: User, boryana: User, lang: str
) -> None:
    expect = playwright_sync.expect
    data = CUSTOMERS[lang]
    owner = {"pl": ania, "bg": boryana}[lang]
    customer = Customer.objects.create(
        name=data["name"], email=data["email"], language=lang, jurisdiction=data["country"]
    )
    case = case_services.open_case(
        customer=customer,
        subject=data["subject"],
        description=data["text"],
        channel="web_form",
        owner=owner,
    )
    case = move_to(case, State.RESOLUTION_PROPOSED, owner)
    proposal = Proposal.objects.create(case=case, message=data["proposal"], created_by=owner)
    options = [
        RemedyOption.objects.create(
            proposal=proposal,
            kind=kind,
            description=text,
            cost=Decimal("1499.00"),
            due=date.today() + timedelta(days=10),
        )
        for kind, text in data["options"]
    ]

    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale=data["locale"])
    page = context.new_page()
    page.goto(live_server.url + portal_path(case))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator(".portal-owner")).to_have_text(owner.display_name)
    expect(page.locator(".portal-status__state")).to_be_visible()
    expect(page.locator(".portal-proposal")).to_contain_text(data["options"][0][1])
    expect(page.locator("body")).not_to_contain_text("1499")

    # Accept the first option, decline the second.
    page.locator(f"#option-{options[0].pk} button[value='accepted']").click()
    expect(page.locator(f"#option-{options[0].pk} .portal-decision--accepted")).to_be_visible()
    page.locator(f"#option-{options[1].pk} button[value='declined']").click()
    expect(page.locator(f"#option-{options[1].pk} .portal-decision--declined")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.AGREED
    assert [o.decision for o in proposal.options.all()] == [Decision.ACCEPTED, Decision.DECLINED]
    expect(page.locator("html")).to_have_attribute("lang", lang)

    # We put it right and close the case; the customer comes back through the same link.
    move_to(case, State.CLOSED, owner)
    page.reload()
    expect(page.locator(".portal-rating")).to_be_visible()
    page.locator("input[name='outcome'][value='5']").check()
    page.locator("input[name='service'][value='4']").check()
    page.locator("textarea[name='comment']").fill(data["options"][0][1])
    page.locator(".portal-rate").click()
    expect(page.locator(".portal-rating__given")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", lang)

    rating = SatisfactionRating.objects.get(case=case)
    assert (rating.outcome, rating.service) == (5, 4)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"portal-{lang}.png"), full_page=True)
    context.close()
