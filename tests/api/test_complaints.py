"""POST /api/complaints: the web form's fields and rules over JSON, safe to retry."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from amends.accounts.models import User
from amends.cases.models import Case, Customer
from amends.deadlines.engine import zone_for
from amends.intake.complaint import MAX_TEXT_CHARS
from amends.intake.models import Attachment, Direction, Message

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
URL = "/api/complaints"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def body(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Jan Kowalski",
        "email": "jan.kowalski@example.pl",
        "phone": "+48 600 100 200",
        "order_reference": "ZAM-2024-0042",
        "country": "PL",
        "customer_kind": "consumer",
        "subject_kind": "goods",
        "description": "Pralka przyjechała z pękniętą obudową i nie da się jej zamknąć.",
        "requested_remedy": "Wymiana pralki na nową.",
        "language": "pl",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


@pytest.fixture
def client(api_as: Callable[[User | None], Any], ania: User, boryana: User) -> Any:
    return api_as(ania)


@pytest.fixture
def nothing_stored(unchanged: Callable[[], Any]) -> Callable[[], None]:
    before = unchanged()

    def check() -> None:
        assert unchanged() == before
        assert Customer.objects.count() == 0
        assert Message.objects.count() == 0
        assert Attachment.objects.count() == 0

    return check


def test_a_complaint_opens_a_case_and_returns_its_owner_and_next_step(
    client: Any, ania: User
) -> None:
    response = client.post(
        URL,
        body(
            attachments=[
                {"filename": "paragon.pdf", "content_type": "application/pdf", "data": b64(PDF)}
            ]
        ),
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    case = Case.objects.get()
    assert data["reference"] == case.reference
    assert data["owner"] == "Ania Nowak"
    due = timezone.localtime(case.commitment_due, zone_for("PL")).date()
    assert data["next_step_due"] == due.isoformat()
    assert (data["created"], data["duplicate"], data["linked"]) == (True, False, False)
    assert data["links"]["case"] == f"/api/cases/{case.reference}"
    assert case.channel == "api"
    assert case.requested_remedy == "Wymiana pralki na nową."
    assert case.order_reference == "ZAM-2024-0042"
    assert (case.customer.jurisdiction, case.customer.kind) == ("PL", "consumer")
    attachment = Attachment.objects.get()
    assert attachment.size == len(PDF)
    message = Message.objects.get(direction=Direction.IN)
    assert message.author == ania


def test_the_language_and_country_are_worked_out_when_omitted(client: Any, boryana: User) -> None:
    text = "Поръчаният хладилник пристигна с вдлъбната врата и не затваря добре."
    response = client.post(URL, body(language=None, country=None, description=text))
    assert response.status_code == 201
    case = Case.objects.get()
    assert (case.language, case.customer.jurisdiction) == ("bg", "BG")
    assert response.json()["owner"] == "Boryana Petrova"


def test_a_replayed_idempotency_key_returns_the_same_case_with_200(client: Any) -> None:
    headers = {"Idempotency-Key": "order-42-complaint-1"}
    first = client.post(URL, body(), headers=headers)
    again = client.post(URL, body(), headers=headers)

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["reference"] == first.json()["reference"]
    assert again.json()["duplicate"] is True
    assert Case.objects.count() == 1
    assert Message.objects.filter(direction=Direction.IN).count() == 1
    assert Message.objects.get(direction=Direction.IN).source_key.endswith(":order-42-complaint-1")


def test_an_idempotency_key_reused_for_another_complaint_is_a_conflict(client: Any) -> None:
    headers = {"Idempotency-Key": "k-1"}
    client.post(URL, body(), headers=headers)
    response = client.post(URL, body(description="Zupełnie inna sprawa: faktura."), headers=headers)
    assert response.status_code == 409
    assert "Idempotency-Key" in response.json()["error"]
    assert Case.objects.count() == 1


def test_keys_belong_to_their_caller(
    api_as: Callable[[User | None], Any], ania: User, marta: User
) -> None:
    """Another caller's key never returns someone else's case."""
    headers = {"Idempotency-Key": "same-key"}
    mine = api_as(ania).post(URL, body(), headers=headers)
    theirs = api_as(marta).post(
        URL, body(email="ewa@example.pl", name="Ewa", order_reference="X-1"), headers=headers
    )
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["reference"] != theirs.json()["reference"]


def test_without_a_key_a_repeat_about_the_same_order_is_linked(client: Any) -> None:
    first = client.post(URL, body())
    again = client.post(URL, body(description="Nadal czekam na odpowiedź w sprawie pralki."))
    assert again.status_code == 201
    assert again.json()["reference"] == first.json()["reference"]
    assert (again.json()["created"], again.json()["linked"]) == (False, True)
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    "key",
    ["", "x" * 201, "klucz z spacjami", "zażółć"],
    ids=["empty", "long", "spaces", "non-ascii"],
)
def test_a_malformed_idempotency_key_gets_422(client: Any, nothing_stored: Any, key: str) -> None:
    response = client.post(URL, body(), headers={"Idempotency-Key": key.encode().decode("latin-1")})
    assert response.status_code == 422
    nothing_stored()


@pytest.mark.parametrize("missing", ["name", "description"])
def test_missing_fields_get_422(client: Any, nothing_stored: Any, missing: str) -> None:
    values = body()
    del values[missing]
    response = client.post(URL, values)
    assert response.status_code == 422
    details = response.json()["details"]
    assert details[0]["loc"][-1] == missing
    assert details[0]["type"] == "missing"
    nothing_stored()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", 42),
        ("description", ["a", "list"]),
        ("attachments", "paragon.pdf"),
        ("customer_kind", "alien"),
        ("subject_kind", "both"),
        ("language", "de"),
        ("country", "Poland"),
        ("email", "not-an-address"),
        ("received_at", "2024-03-01T10:00:00"),
    ],
)
def test_wrong_types_and_values_get_422(
    client: Any, nothing_stored: Any, field: str, value: Any
) -> None:
    response = client.post(URL, body(**{field: value}))
    assert response.status_code == 422, response.json()
    assert response.json()["error"] == "invalid request"
    assert field in response.json()["details"][0]["loc"]
    nothing_stored()


def test_unknown_fields_get_422(client: Any, nothing_stored: Any) -> None:
    response = client.post(URL, body(priority="urgent"))
    assert response.status_code == 422
    assert response.json()["details"][0]["type"] == "extra_forbidden"
    nothing_stored()


def test_unknown_fields_in_an_attachment_get_422(client: Any, nothing_stored: Any) -> None:
    item = {
        "filename": "a.pdf",
        "content_type": "application/pdf",
        "data": b64(PDF),
        "path": "/etc",
    }
    response = client.post(URL, body(attachments=[item]))
    assert response.status_code == 422
    nothing_stored()


def test_huge_text_gets_422(client: Any, nothing_stored: Any) -> None:
    response = client.post(URL, body(description="a" * (MAX_TEXT_CHARS + 1)))
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"][-1] == "description"
    nothing_stored()


def test_a_blank_description_gets_422(client: Any, nothing_stored: Any) -> None:
    response = client.post(URL, body(description="   \x00\x01  "))
    assert response.status_code == 422
    nothing_stored()


@pytest.mark.parametrize(
    "data", ["not base64!", "QUJD=", "QUJ"], ids=["garbage", "bad-padding", "short"]
)
def test_bad_base64_gets_422(client: Any, nothing_stored: Any, data: str) -> None:
    item = {"filename": "a.pdf", "content_type": "application/pdf", "data": data}
    response = client.post(URL, body(attachments=[item]))
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"][-1] == "data"
    nothing_stored()


@pytest.mark.parametrize(
    ("content_type", "data", "message"),
    [
        (
            "application/x-msdownload",
            EXE,
            "files of type application/x-msdownload are not accepted",
        ),
        ("application/pdf", EXE, "the file's content is not a application/pdf file"),
        ("image/png", PDF, "the file's content is not a image/png file"),
    ],
    ids=["not-accepted", "exe-as-pdf", "pdf-as-png"],
)
def test_a_wrong_content_type_gets_422(
    client: Any, nothing_stored: Any, content_type: str, data: bytes, message: str
) -> None:
    item = {"filename": "file.bin", "content_type": content_type, "data": b64(data)}
    response = client.post(URL, body(attachments=[item]))
    assert response.status_code == 422
    detail = response.json()["details"][0]
    assert "attachments" in detail["loc"]
    assert message in detail["msg"]
    nothing_stored()


def test_a_content_type_with_parameters_is_understood(client: Any) -> None:
    item = {
        "filename": "list.txt",
        "content_type": "Text/Plain; charset=utf-8",
        "data": b64(b"1 2 3"),
    }
    assert client.post(URL, body(attachments=[item])).status_code == 201
    assert Attachment.objects.get().content_type == "text/plain"


def test_a_file_of_unknown_type_is_told_by_its_content_as_on_the_web_form(client: Any) -> None:
    item = {"filename": "scan0001", "content_type": "application/octet-stream", "data": b64(PDF)}
    assert client.post(URL, body(attachments=[item])).status_code == 201
    assert Attachment.objects.get().content_type == "application/pdf"


def test_a_disguised_file_is_refused_at_its_own_place_in_the_list(
    client: Any, nothing_stored: Any
) -> None:
    good = {"filename": "a.pdf", "content_type": "application/pdf", "data": b64(PDF)}
    bad = {"filename": "b.pdf", "content_type": "application/octet-stream", "data": b64(EXE)}
    response = client.post(URL, body(attachments=[good, bad]))
    assert response.status_code == 422
    assert response.json()["details"] == [
        {
            "loc": ["body", "payload", "attachments", 1, "data"],
            "msg": "b.pdf: files of type application/octet-stream are not accepted.",
            "type": "value_error",
        }
    ]
    nothing_stored()


def test_too_many_attachments_get_422(client: Any, nothing_stored: Any) -> None:
    item = {"filename": "a.pdf", "content_type": "application/pdf", "data": b64(PDF)}
    response = client.post(URL, body(attachments=[item] * 11))
    assert response.status_code == 422
    nothing_stored()


def test_a_refusal_from_the_shared_rules_points_at_the_api_field(
    client: Any, nothing_stored: Any
) -> None:
    response = client.post(URL, body(order_reference="", description="\x07\x08"))
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["body", "payload", "description"]
    nothing_stored()


def test_malformed_json_gets_400(client: Any, nothing_stored: Any) -> None:
    response = client.post(URL, raw='{"name": "Jan"')
    assert response.status_code == 400
    nothing_stored()


def test_without_credentials_gets_401(api_as: Callable[[User | None], Any], db: None) -> None:
    response = api_as(None).post(URL, body())
    assert response.status_code == 401
    assert Case.objects.count() == 0


def test_the_endpoint_is_in_the_openapi_schema(client: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"][URL]["post"]
    assert {"201", "200", "409", "422"} <= set(operation["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"])
    assert schema["components"]["schemas"]["ComplaintIn"]["additionalProperties"] is False
