"""The facts checklist, the root cause and the fault (B-1, A-3): internal, one Event each."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from amends.cases.models import EventKind, Visibility
from amends.resolution import services
from amends.resolution.models import Cause, FactKind, Fault, Investigation


def test_a_fact_with_evidence_is_added_and_recorded_internally(case, ania) -> None:
    receipt = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    fact = services.add_fact(
        case, actor=ania, kind=FactKind.OUR_RECORDS, text="Delivered 3 March.", evidence=receipt
    )
    assert fact.evidence.name.endswith(".pdf")
    assert fact.evidence.read() == b"%PDF-1.4 receipt"
    event = case.events.get(kind=EventKind.INVESTIGATED)
    assert event.visibility == Visibility.INTERNAL
    assert event.data == {
        "change": "fact_added",
        "fact_id": fact.pk,
        "kind": "our_records",
        "evidence": True,
    }


@pytest.mark.parametrize(
    ("name", "size", "content_type", "message"),
    [
        ("run.exe", 2, "application/x-msdownload", "type we do not accept"),
        ("big.pdf", 10 * 1024 * 1024 + 1, "application/pdf", "larger than 10 MB"),
    ],
)
def test_evidence_of_a_wrong_type_or_size_is_refused(
    case, ania, name, size, content_type, message
) -> None:
    upload = SimpleUploadedFile(name, b"0" * size, content_type=content_type)
    with pytest.raises(ValidationError, match=message):
        services.add_fact(case, actor=ania, kind=FactKind.DOCUMENT, text="Scan", evidence=upload)
    assert not case.facts.exists()
    assert not case.events.filter(kind=EventKind.INVESTIGATED).exists()


def test_an_empty_fact_or_unknown_kind_is_refused(case, ania) -> None:
    with pytest.raises(ValidationError, match="Describe the fact"):
        services.add_fact(case, actor=ania, kind=FactKind.CUSTOMER_SAYS, text="  ")
    with pytest.raises(ValidationError, match="Unknown kind"):
        services.add_fact(case, actor=ania, kind="rumour", text="Heard it")


def test_checking_a_fact_is_recorded_once(case, ania) -> None:
    fact = services.add_fact(case, actor=ania, kind=FactKind.CUSTOMER_SAYS, text="It leaks.")
    services.set_fact_checked(fact, actor=ania, checked=True)
    services.set_fact_checked(fact, actor=ania, checked=True)
    fact.refresh_from_db()
    assert fact.checked
    assert case.events.filter(kind=EventKind.INVESTIGATED, data__change="fact_checked").count() == 1


def test_another_teams_agent_cannot_add_facts_or_set_the_fault(case, boryana, cause) -> None:
    with pytest.raises(PermissionDenied):
        services.add_fact(case, actor=boryana, kind=FactKind.CUSTOMER_SAYS, text="x")
    with pytest.raises(PermissionDenied):
        services.set_fault(case, actor=boryana, fault=Fault.OURS)
    with pytest.raises(PermissionDenied):
        services.set_root_cause(case, actor=boryana, cause=cause)
    assert not Investigation.objects.filter(case=case, fault=Fault.OURS).exists()


def test_a_manager_may_investigate_any_case(case, marta) -> None:
    services.set_fault(case, actor=marta, fault=Fault.THIRD_PARTY, findings="Courier damage.")
    investigation = services.investigation_for(case)
    assert investigation.fault == Fault.THIRD_PARTY
    assert investigation.findings == "Courier damage."
    assert investigation.updated_by == marta


def test_the_root_cause_must_be_active(case, ania, cause) -> None:
    retired = Cause.objects.create(name="Old", parent=cause.parent, active=False)
    with pytest.raises(ValidationError, match="active cause"):
        services.set_root_cause(case, actor=ania, cause=retired)
    investigation = services.set_root_cause(case, actor=ania, cause=cause)
    assert investigation.root_cause == cause
    event = case.events.get(kind=EventKind.INVESTIGATED, data__change="root_cause")
    assert event.data["cause"] == "Documentation › Unclear assembly instructions"
    assert event.visibility == Visibility.INTERNAL


def test_the_fault_is_internal_and_each_change_recorded(case, ania) -> None:
    services.set_fault(case, actor=ania, fault=Fault.CUSTOMER)
    services.set_fault(case, actor=ania, fault=Fault.CUSTOMER)  # no change, no event
    services.set_fault(case, actor=ania, fault=Fault.OURS, findings="Our installer's setting.")
    events = case.events.filter(kind=EventKind.INVESTIGATED, data__change="fault")
    assert [(e.data["from"], e.data["to"]) for e in events] == [
        ("undetermined", "customer"),
        ("customer", "ours"),
    ]
    assert not case.events.for_customer().filter(kind=EventKind.INVESTIGATED).exists()
    with pytest.raises(ValidationError, match="Unknown fault"):
        services.set_fault(case, actor=ania, fault="gremlins")
