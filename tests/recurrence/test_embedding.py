"""The vector of a case: computed after intake, by the backfill command, once per text."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from amends.intake.complaint import Complaint
from amends.intake.services import receive
from amends.recurrence import tasks
from amends.recurrence.models import CaseEmbedding
from tests.recurrence.conftest import BILLING, WASHER


def test_a_received_complaint_is_embedded_once_its_transaction_commits(
    db, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        received = receive(
            Complaint(
                channel="web_form",
                subject=WASHER["en"][0],
                text=WASHER["en"][1],
                sender_name="John Smith",
                sender_email="john@example.com",
            )
        )
    stored = CaseEmbedding.objects.get(case=received.case)
    assert len(bytes(stored.vector)) == 384 * 4


def test_the_task_is_idempotent(complaint, customer_pl) -> None:
    case = complaint(customer_pl, WASHER["pl"], embed=False)
    assert tasks.embed_case.call(case.pk) is True
    first = CaseEmbedding.objects.get(case=case)
    assert tasks.embed_case.call(case.pk) is False, "same text: nothing to do"
    again = CaseEmbedding.objects.get(case=case)
    assert (again.updated_at, bytes(again.vector)) == (first.updated_at, bytes(first.vector))


def test_the_task_skips_a_case_that_no_longer_exists(db) -> None:
    assert tasks.embed_case.call(999_999) is False


def test_a_changed_description_is_embedded_again(complaint, customer_pl) -> None:
    case = complaint(customer_pl, WASHER["pl"])
    before = bytes(CaseEmbedding.objects.get(case=case).vector)
    case.description = BILLING[1]
    case.save(update_fields=["description"])
    assert tasks.embed_case.call(case.pk) is True
    assert bytes(CaseEmbedding.objects.get(case=case).vector) != before


def test_the_backfill_embeds_missing_cases_and_is_idempotent(
    complaint, customer_pl, customer_en
) -> None:
    complaint(customer_pl, WASHER["pl"])
    complaint(customer_en, WASHER["en"], embed=False)
    complaint(customer_en, BILLING, embed=False)

    def backfill(*args: str) -> str:
        out = StringIO()
        call_command("embed_cases", *args, stdout=out)
        return out.getvalue().strip()

    assert backfill() == "2 of 2 cases embedded."
    assert CaseEmbedding.objects.count() == 3
    assert backfill() == "0 of 0 cases embedded."
    assert backfill("--all") == "0 of 3 cases embedded."
