"""parse_email: one raw message to one Complaint, in every charset and transfer encoding our
customers' clients use, with quotes and signatures cut and attachments kept."""

from __future__ import annotations

import base64
import quopri
import re
from datetime import UTC, datetime, timedelta
from email.header import Header
from email.message import EmailMessage
from email.utils import formataddr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amends.intake.complaint import validate
from amends.intake.mail.charsets import decode_bytes
from amends.intake.mail.parse import MailParseError, parse_email

TEXTS = {
    "pl": "Dzień dobry,\npralka kupiona w marcu przecieka. Zażółć gęślą jaźń, ŹDŹBŁO Śląsk.\nProszę o zwrot pieniędzy.",
    "bg": "Здравейте,\nпералнята, купена през март, тече. Искам да ми върнете парите.\nБлагодаря.",
    "fi": "Hei,\npesukone vuotaa edelleen. Häiriö on jatkunut viikon, Åke sanoi että öljyä €.\nPyydän hyvitystä.",
    "en": "Hello,\nthe washing machine I bought in March leaks. I want a refund.",
}
SUBJECTS = {
    "pl": "Reklamacja: pralka cieknie, żądam zwrotu",
    "bg": "Рекламация: пералнята тече",
    "fi": "Reklamaatio: pesukone vuotaa, hyvitys",
    "en": "Complaint: washing machine leaks",
}
NAMES = {"pl": "Paweł Łukasiewicz", "bg": "Иван Петров", "fi": "Äijä Möttönen", "en": "John Smith"}

# (language, charset, transfer encoding): the corpus of real mail, plus legacy 8-bit.
CHARSETS = [
    ("pl", "utf-8", "base64"),
    ("pl", "utf-8", "quoted-printable"),
    ("pl", "utf-8", "8bit"),
    ("bg", "utf-8", "base64"),
    ("fi", "utf-8", "8bit"),
    ("pl", "iso-8859-2", "quoted-printable"),
    ("pl", "iso-8859-2", "base64"),
    ("pl", "iso-8859-2", "8bit"),
    ("pl", "windows-1250", "quoted-printable"),
    ("pl", "windows-1250", "base64"),
    ("pl", "windows-1250", "8bit"),
    ("bg", "windows-1251", "quoted-printable"),
    ("bg", "windows-1251", "base64"),
    ("bg", "windows-1251", "8bit"),
    ("bg", "koi8-r", "quoted-printable"),
    ("bg", "koi8-r", "base64"),
    ("bg", "koi8-r", "8bit"),
    ("fi", "iso-8859-15", "quoted-printable"),
    ("fi", "iso-8859-15", "base64"),
    ("fi", "iso-8859-15", "8bit"),
    ("en", "us-ascii", "7bit"),
]


def single_part(
    body: bytes,
    *,
    label: str | None,
    cte: str,
    subject: str = "Reklamacja",
    sender: str = "jan@example.pl",
    headers: dict[str, str] | None = None,
    header_charset: str = "utf-8",
) -> bytes:
    """A text/plain mail with exactly these body bytes, label and transfer encoding."""
    if cte == "base64":
        encoded = base64.encodebytes(body)
    elif cte == "quoted-printable":
        encoded = quopri.encodestring(body)
    else:
        encoded = body
    content_type = "text/plain" + (f"; charset={label}" if label is not None else "")
    lines = [
        f"From: {sender}",
        "To: reklamacje@amends.test",
        f"Subject: {Header(subject, header_charset).encode()}",
        "Date: Wed, 12 Mar 2025 10:15:00 +0100",
        "Message-ID: <m1@example.pl>",
        "MIME-Version: 1.0",
        f"Content-Type: {content_type}",
        f"Content-Transfer-Encoding: {cte}",
        *(f"{k}: {v}" for k, v in (headers or {}).items()),
    ]
    return "\r\n".join(lines).encode("ascii") + b"\r\n\r\n" + encoded


def written(language: str, charset: str, cte: str) -> bytes:
    text = TEXTS[language]
    if charset == "us-ascii":
        text = TEXTS["en"]
    return single_part(
        text.encode(charset),
        label=charset,
        cte=cte,
        subject=SUBJECTS[language],
        sender=formataddr((NAMES[language], "customer@example.com"), charset=charset),
        header_charset=charset,
    )


def message(**fields: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = fields.get("sender", "Jan Kowalski <jan@example.pl>")
    msg["To"] = "reklamacje@amends.test"
    msg["Subject"] = fields.get("subject", "Reklamacja pralki")
    msg["Date"] = "Wed, 12 Mar 2025 10:15:00 +0100"
    msg["Message-ID"] = "<m1@example.pl>"
    return msg


@pytest.mark.parametrize(("language", "charset", "cte"), CHARSETS)
def test_text_subject_and_sender_survive_every_charset_and_transfer_encoding(
    language: str, charset: str, cte: str
) -> None:
    complaint = parse_email(written(language, charset, cte), source_key="test:1")

    expected = TEXTS["en"] if charset == "us-ascii" else TEXTS[language]
    assert complaint.text == expected.strip()
    assert complaint.subject == SUBJECTS[language]
    assert complaint.sender_name == NAMES[language]
    assert complaint.sender_email == "customer@example.com"
    assert complaint.channel == "email"
    assert complaint.source_key == "test:1"
    validate(complaint)


@pytest.mark.parametrize(
    ("language", "real", "label"),
    [
        ("pl", "windows-1250", "iso-8859-2"),  # the classic Polish mislabel
        ("pl", "iso-8859-2", None),  # no charset at all
        ("pl", "windows-1250", "us-ascii"),
        ("pl", "utf-8", "iso-8859-2"),
        ("pl", "utf-8", "us-ascii"),
        ("pl", "utf-8", "x-unknown-charset"),
        ("bg", "windows-1251", None),
        ("bg", "windows-1251", "unknown-8bit"),
        ("bg", "windows-1251", "windows-1250"),
        ("bg", "koi8-r", None),
        ("fi", "iso-8859-15", "utf-8"),
        ("fi", "utf-8", "iso-8859-15"),
    ],
)
@pytest.mark.parametrize("cte", ["8bit", "quoted-printable"])
def test_a_wrong_or_missing_charset_label_still_gives_the_text(
    language: str, real: str, label: str | None, cte: str
) -> None:
    raw = single_part(TEXTS[language].encode(real), label=label, cte=cte)

    assert parse_email(raw, source_key="k").text == TEXTS[language].strip()


def test_subject_sent_as_raw_8bit_is_decoded_like_the_body() -> None:
    raw = single_part(TEXTS["pl"].encode("iso-8859-2"), label="iso-8859-2", cte="8bit")
    raw = re.sub(
        rb"Subject: [^\r]*", "Subject: Pralka nie wiruje, żądam zwrotu".encode("iso-8859-2"), raw
    )

    assert parse_email(raw, source_key="k").subject == "Pralka nie wiruje, żądam zwrotu"


def test_undecodable_bytes_never_raise() -> None:
    assert isinstance(decode_bytes(bytes(range(256)), "utf-8"), str)
    assert isinstance(decode_bytes(b"\xff\xfe\x00\x81", "no-such-charset"), str)


def test_html_only_mail_becomes_text() -> None:
    msg = message()
    msg.set_content(
        "<html><head><style>p{color:red}</style></head><body><p>Dzień dobry,</p>"
        "<p>pralka <b>przecieka</b> od tygodnia.</p><script>alert(1)</script></body></html>",
        subtype="html",
    )

    complaint = parse_email(bytes(msg), source_key="k")

    assert "Dzień dobry," in complaint.text
    assert "pralka przecieka od tygodnia." in complaint.text
    assert "color" not in complaint.text
    assert "alert" not in complaint.text
    assert complaint.attachments == ()


def test_plain_text_is_preferred_and_the_html_alternative_is_no_attachment() -> None:
    msg = message()
    msg.set_content("Tekst z części text/plain.")
    msg.add_alternative("<p>Tekst z HTML.</p>", subtype="html")

    complaint = parse_email(bytes(msg), source_key="k")

    assert complaint.text == "Tekst z części text/plain."
    assert complaint.attachments == ()


def test_html_is_used_when_the_plain_part_is_empty() -> None:
    msg = message()
    msg.set_content("   \n")
    msg.add_alternative("<p>Tylko w HTML.</p>", subtype="html")

    assert parse_email(bytes(msg), source_key="k").text == "Tylko w HTML."


QUOTED = {
    "pl-outlook": (
        "Dzień dobry,\nnadal nie mam pieniędzy.\n\n"
        "Od: Ania Nowak <ania@amends.test>\nWysłano: wtorek, 11 marca 2025 09:00\n"
        "Do: jan@example.pl\nTemat: AM-000123\n\nDzień dobry, sprawdzamy."
    ),
    "pl-gmail": (
        "Dzień dobry,\nnadal nie mam pieniędzy.\n\n"
        "wt., 11 mar 2025 o 09:00 Ania Nowak <ania@amends.test> napisał(a):\n"
        "> Dzień dobry, sprawdzamy."
    ),
    "pl-thunderbird": (
        "Dzień dobry,\nnadal nie mam pieniędzy.\n\n"
        "W dniu 11.03.2025 o 09:00, Ania Nowak pisze:\n> Dzień dobry, sprawdzamy."
    ),
    "pl-dnia": (
        "Dzień dobry,\nnadal nie mam pieniędzy.\n\n"
        "Dnia 11.03.2025 o 09:00 Ania Nowak napisał(a):\n> Dzień dobry, sprawdzamy."
    ),
    "bg-gmail": (
        "Здравейте,\nвсе още нямам парите.\n\n"
        "На вт, 11.03.2025 г. в 9:00 ч. Ania Nowak <ania@amends.test> написа:\n> Проверяваме."
    ),
    "bg-thunderbird": (
        "Здравейте,\nвсе още нямам парите.\n\n"
        "На 11.03.2025 г. 9:00, Ania Nowak написа:\n> Проверяваме."
    ),
    "bg-outlook": (
        "Здравейте,\nвсе още нямам парите.\n\n"
        "От: Ania Nowak\nИзпратено: 11 март 2025 г. 9:00\nДо: ivan@example.bg\n"
        "Относно: AM-000123\n\nПроверяваме."
    ),
    "fi-gmail": (
        "Hei,\nrahoja ei ole vieläkään tullut.\n\n"
        "ti 11. maalisk. 2025 klo 9.00 Ania Nowak <ania@amends.test> kirjoitti:\n> Tarkistamme."
    ),
    "fi-thunderbird": (
        "Hei,\nrahoja ei ole vieläkään tullut.\n\n"
        "Ania Nowak kirjoitti 11.3.2025 klo 9.00:\n> Tarkistamme."
    ),
    "fi-outlook": (
        "Hei,\nrahoja ei ole vieläkään tullut.\n\n"
        "Lähettäjä: Ania Nowak\nLähetetty: tiistai 11. maaliskuuta 2025 9.00\n"
        "Vastaanottaja: matti@example.fi\nAihe: AM-000123\n\nTarkistamme."
    ),
    "en-gmail": (
        "Hello,\nstill no refund.\n\n"
        "On Tue, 11 Mar 2025 at 09:00, Ania Nowak <ania@amends.test> wrote:\n> We are checking."
    ),
    "en-outlook": (
        "Hello,\nstill no refund.\n\n"
        "From: Ania Nowak <ania@amends.test>\nSent: Tuesday, March 11, 2025 9:00 AM\n"
        "To: john@example.com\nSubject: AM-000123\n\nWe are checking."
    ),
}
OWN_WORDS = {
    "pl": "Dzień dobry,\nnadal nie mam pieniędzy.",
    "bg": "Здравейте,\nвсе още нямам парите.",
    "fi": "Hei,\nrahoja ei ole vieläkään tullut.",
    "en": "Hello,\nstill no refund.",
}


@pytest.mark.parametrize("kind", sorted(QUOTED))
def test_quoted_reply_is_cut_in_every_language(kind: str) -> None:
    msg = message(subject="Re: AM-000123")
    msg.set_content(QUOTED[kind])

    assert parse_email(bytes(msg), source_key="k").text == OWN_WORDS[kind[:2]]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Pralka cieknie.\n\nPozdrawiam\nJan Kowalski", "Pralka cieknie."),
        ("Pralka cieknie.\n\nZ poważaniem\nJan Kowalski\ntel. 600 100 200", "Pralka cieknie."),
        ("Пералнята тече.\n\nС уважение,\nИван Петров", "Пералнята тече."),
        ("Pesukone vuotaa.\n\nYstävällisin terveisin\nMatti Virtanen", "Pesukone vuotaa."),
        ("It leaks.\n\n-- \nJohn Smith\nACME Ltd", "It leaks."),
    ],
)
def test_signature_is_cut(body: str, expected: str) -> None:
    msg = message()
    msg.set_content(body)

    assert parse_email(bytes(msg), source_key="k").text == expected


@pytest.mark.parametrize(
    "body",
    [
        # A list, a sentence starting like a sign-off, "Data:/Do:" lines: all the customer's.
        "Problemy:\n- pralka cieknie\n- nie wiruje\nProszę o naprawę.",
        "Hello,\nThanks, but the refund never came and I have waited for three weeks now.\nHelp.",
        "Zakup:\nData: 12.03.2025\nDo: sklepu w Krakowie\nPralka przecieka.\nProszę o zwrot.",
    ],
)
def test_the_customers_own_text_is_never_taken_for_a_quote_or_signature(body: str) -> None:
    msg = message()
    msg.set_content(body)

    assert parse_email(bytes(msg), source_key="k").text == body


def test_a_forwarded_mail_is_kept_whole() -> None:
    body = (
        "Przesyłam odpowiedź sklepu.\n\n"
        "Od: Sklep <sklep@example.pl>\nWysłano: 1 marca 2025\nDo: jan@example.pl\n"
        "Temat: Odmowa\n\nNie uznajemy reklamacji."
    )
    msg = message(subject="PD: Odmowa")
    msg.set_content(body)

    assert "Nie uznajemy reklamacji." in parse_email(bytes(msg), source_key="k").text


def test_a_mail_that_is_only_a_quote_keeps_its_text() -> None:
    msg = message()
    msg.set_content("> stary tekst\n> jeszcze")

    assert parse_email(bytes(msg), source_key="k").text == "> stary tekst\n> jeszcze"


def test_attachments_keep_rfc2231_filenames_with_diacritics() -> None:
    msg = message()
    msg.set_content("W załączeniu paragon i zdjęcie.")
    msg.add_alternative("<p>W załączeniu paragon i zdjęcie.</p>", subtype="html")
    msg.add_attachment(
        b"%PDF-1.4 paragon", maintype="application", subtype="pdf", filename="Paragon – zażółć.pdf"
    )
    msg.add_attachment(
        b"\xff\xd8\xff jpeg", maintype="image", subtype="jpeg", filename="Pęknięta obudowa.jpg"
    )
    msg.add_attachment(
        b"%PDF-1.4 \xd0\xa4\xd0\xb0\xd0\xba\xd1\x82\xd1\x83\xd1\x80\xd0\xb0",
        maintype="application",
        subtype="octet-stream",
        filename="Фактура № 12.pdf",
    )
    raw = bytes(msg)
    assert b"filename*=" in raw  # really RFC 2231

    complaint = parse_email(raw, source_key="k")

    assert [(a.filename, a.content_type) for a in complaint.attachments] == [
        ("Paragon – zażółć.pdf", "application/pdf"),
        ("Pęknięta obudowa.jpg", "image/jpeg"),
        ("Фактура № 12.pdf", "application/pdf"),  # octet-stream: the name tells the type
    ]
    assert complaint.attachments[0].data == b"%PDF-1.4 paragon"
    assert complaint.text == "W załączeniu paragon i zdjęcie."
    validate(complaint)


def test_an_attached_mail_is_one_attachment_and_a_signature_part_is_skipped() -> None:
    inner = message(subject="Odmowa sklepu")
    inner.set_content("Nie uznajemy reklamacji.")
    msg = message()
    msg.set_content("Przesyłam odmowę.")
    msg.add_attachment(inner)
    msg.add_attachment(
        b"0\x82sig", maintype="application", subtype="pkcs7-signature", filename="smime.p7s"
    )

    complaint = parse_email(bytes(msg), source_key="k")

    assert [a.content_type for a in complaint.attachments] == ["message/rfc822"]
    assert b"Nie uznajemy reklamacji." in complaint.attachments[0].data
    assert complaint.text == "Przesyłam odmowę."


def test_an_empty_body_with_an_attached_letter_uses_the_subject() -> None:
    msg = message(subject="Reklamacja – pismo w załączniku")
    msg.set_content("")
    msg.add_attachment(b"%PDF", maintype="application", subtype="pdf", filename="pismo.pdf")

    complaint = parse_email(bytes(msg), source_key="k")

    assert complaint.text == "Reklamacja – pismo w załączniku"
    assert len(complaint.attachments) == 1


def test_threading_ids_are_bare() -> None:
    msg = message()
    msg.replace_header("Message-ID", "<new.1@example.pl>")
    msg["In-Reply-To"] = "<out.7@amends.test>"
    msg["References"] = "<first@example.pl> <out.7@amends.test>"
    msg.set_content("Dalej nic.")

    complaint = parse_email(bytes(msg), source_key="k")

    assert complaint.message_id == "new.1@example.pl"
    assert complaint.in_reply_to == "out.7@amends.test"
    assert complaint.references == ("first@example.pl", "out.7@amends.test")


def test_date_becomes_an_aware_received_at() -> None:
    msg = message()
    msg.set_content("x")

    received = parse_email(bytes(msg), source_key="k").received_at

    assert received == datetime(2025, 3, 12, 9, 15, tzinfo=UTC)
    assert received is not None
    assert received.tzinfo is not None


@pytest.mark.parametrize(
    "date", [None, "garbage", "Mon, 99 Foo 2025 99:99:99", "1 Jan 1970 00:00 +0000"]
)
def test_a_missing_or_broken_date_falls_back_to_now(date: str | None) -> None:
    msg = message()
    del msg["Date"]
    if date is not None:
        msg["Date"] = date
    msg.set_content("x")

    received = parse_email(bytes(msg), source_key="k").received_at

    assert received is not None
    assert abs(received - datetime.now(UTC)) < timedelta(minutes=1)


def test_a_date_without_zone_is_taken_as_utc() -> None:
    msg = message()
    msg.replace_header("Date", "Wed, 12 Mar 2025 10:15:00 -0000")
    msg.set_content("x")

    assert parse_email(bytes(msg), source_key="k").received_at == datetime(
        2025, 3, 12, 10, 15, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("sender", "name", "address"),
    [
        ('"Kowalski, Jan" <jan@example.pl>', "Kowalski, Jan", "jan@example.pl"),
        ("jan@example.pl", "", "jan@example.pl"),
        (
            "=?utf-8?b?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <ivan@example.bg>",
            "Иван Петров",
            "ivan@example.bg",
        ),
        ("=?iso-8859-2?q?Pawe=B3_=A3uk?= <pawel@example.pl>", "Paweł Łuk", "pawel@example.pl"),
        ("Broken <<jan@example.pl", "", "jan@example.pl"),
    ],
)
def test_sender_name_and_address(sender: str, name: str, address: str) -> None:
    raw = single_part(b"Tekst.", label="us-ascii", cte="7bit", sender=sender)

    complaint = parse_email(raw, source_key="k")

    assert (complaint.sender_name, complaint.sender_email) == (name, address)


def _without_from(raw: bytes) -> bytes:
    return b"\r\n".join(line for line in raw.split(b"\r\n") if not line.startswith(b"From:"))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"   \r\n", "empty"),
        (bytes(range(256)) * 4, "no sender"),
        (b"\x00\x01\x02 garbage \xff\xfe", "no sender"),
        (_without_from(single_part(b"Tekst.", label="us-ascii", cte="7bit")), "no sender"),
        (single_part(b"", label="us-ascii", cte="7bit", subject=""), "no text"),
        (
            single_part(
                b"Nieobecny.",
                label="us-ascii",
                cte="7bit",
                headers={"Auto-Submitted": "auto-replied"},
            ),
            "automatic",
        ),
    ],
    ids=["empty", "blank", "binary", "garbage", "no-from", "no-text", "auto-reply"],
)
def test_what_cannot_become_a_complaint_raises_with_a_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(MailParseError) as caught:
        parse_email(raw, source_key="k")

    assert caught.value.reason


def test_a_delivery_report_is_not_a_complaint() -> None:
    msg = message(sender="MAILER-DAEMON <mailer-daemon@example.pl>")
    msg.set_content("Delivery failed.")
    msg.make_mixed()
    msg.replace_header(
        "Content-Type", 'multipart/report; report-type=delivery-status; boundary="b"'
    )

    with pytest.raises(MailParseError):
        parse_email(bytes(msg), source_key="k")


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.sampled_from([written(*c) for c in CHARSETS]),
    st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 255)), max_size=12),
)
def test_damaged_mail_either_parses_or_raises_mailparseerror(
    raw: bytes, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(raw)
    for position, value in flips:
        if data:
            data[position % len(data)] = value
    try:
        complaint = parse_email(bytes(data), source_key="k")
    except MailParseError:
        return
    assert complaint.text
    assert complaint.sender_email
