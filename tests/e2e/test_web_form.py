"""The browser test of the public form: a customer whose browser speaks Polish or Bulgarian fills
it in, attaches a PDF, sends it and sees the confirmation with the reference, owner and date.

It drives Debian's Chromium (never a downloaded browser) against pytest-django's live server, as
tests/e2e/test_case_flow.py does, and saves each confirmation page as a screenshot.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import formats, timezone, translation

from amends.accounts.models import User
from amends.cases.models import Case
from amends.deadlines.engine import zone_for
from amends.intake.models import Attachment
from tests.e2e.browser import MARKS, SCREENSHOTS

playwright_sync = pytest.importorskip("playwright.sync_api")

PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)

CUSTOMERS = {
    "pl": {
        "locale": "pl-PL",
        "name": "Katarzyna Wójcik",
        "email": "k.wojcik@example.pl",
        "phone": "+48 601 234 567",
        "country": "PL",
        "order_reference": "ZAM-2025-03-1187",
        "text": (
            "Dzień dobry, pralka AquaLine 7 dostarczona 12 marca ma pękniętą obudowę bębna "
            "i przecieka przy każdym praniu. Kurier nie chciał spisać protokołu szkody."
        ),
        "remedy": "Proszę o wymianę pralki na nową albo zwrot pieniędzy.",
        "file": "protokol-odbioru.pdf",
    },
    "bg": {
        "locale": "bg-BG",
        "name": "Мария Иванова",
        "email": "maria.ivanova@example.bg",
        "phone": "+359 88 123 4567",
        "country": "BG",
        "order_reference": "ПОР-2025-0419",
        "text": (
            "Здравейте, хладилникът, доставен на 3 април, не охлажда и вратата не се затваря "
            "плътно. Куриерът отказа да състави протокол."
        ),
        "remedy": "Моля за замяна на хладилника или връщане на парите.",
        "file": "kasova-belezhka.pdf",
    },
}

pytestmark = MARKS


@pytest.mark.parametrize("lang", ["pl", "bg"])
def test_a_customer_complains_in_their_language_and_sees_the_confirmation(
    live_server, browser, tmp_path: Path, ania: User, boryana: User, lang: str
) -> None:
    expect = playwright_sync.expect
    customer = CUSTOMERS[lang]
    attachment = tmp_path / customer["file"]
    attachment.write_bytes(PDF)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale=customer["locale"]
    )
    page = context.new_page()

    page.goto(live_server.url + "/complain/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("#language-select")).to_have_value(lang)
    expect(page.locator('[name="country"]')).to_have_value(customer["country"])

    page.locator('[name="name"]').fill(customer["name"])
    page.locator('[name="email"]').fill(customer["email"])
    page.locator('[name="phone"]').fill(customer["phone"])
    page.locator('input[name="customer_kind"][value="consumer"]').check()
    page.locator('input[name="subject_kind"][value="goods"]').check()
    page.locator('[name="order_reference"]').fill(customer["order_reference"])
    page.locator('[name="text"]').fill(customer["text"])
    page.locator('[name="requested_remedy"]').fill(customer["remedy"])
    page.locator('[name="attachments"]').set_input_files(str(attachment))
    page.locator('[name="consent"]').check()
    page.locator(".intake__submit").click()

    expect(page.locator(".receipt__ref")).to_be_visible()
    case = Case.objects.select_related("owner", "customer").get()
    owner = {"pl": ania, "bg": boryana}[lang]
    next_step = timezone.localtime(case.commitment_due, zone_for(customer["country"])).date()
    with translation.override(lang):
        date_text = formats.date_format(next_step, "DATE_FORMAT")
    expect(page.locator(".receipt__ref")).to_have_text(case.reference)
    expect(page.locator(".receipt__facts")).to_contain_text(owner.display_name)
    expect(page.locator(".receipt__facts time")).to_have_text(date_text)
    expect(page.locator("html")).to_have_attribute("lang", lang)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"web-form-{lang}.png"), full_page=True)

    assert case.owner == owner
    assert (case.channel, case.language) == ("web_form", lang)
    assert case.customer.name == customer["name"]
    assert case.order_reference == customer["order_reference"]
    stored = Attachment.objects.get()
    assert (stored.filename, stored.content_type, stored.size) == (
        customer["file"],
        "application/pdf",
        len(PDF),
    )

    # Reloading the confirmation, or going back and sending the form again, opens no new case.
    page.reload()
    expect(page.locator(".receipt__ref")).to_have_text(case.reference)
    page.go_back()
    page.locator(".intake__submit").click()
    expect(page.locator(".receipt, .form-errors").first).to_be_visible()
    assert Case.objects.count() == 1
    context.close()


def test_the_form_fits_a_phone_screen(live_server, browser, db: None) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="fi-FI", device_scale_factor=2
    )
    page = context.new_page()
    page.goto(live_server.url + "/complain/")
    page.locator(".intake__submit").click()  # empty: every required field says so
    playwright_sync.expect(page.locator(".form-errors")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "web-form-mobile.png"), full_page=True)
    context.close()
