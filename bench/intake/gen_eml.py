"""A deterministic corpus of complaint e-mails in pl/bg/fi/en, standard library only.

The mix follows the django-helpdesk baseline corpus (shared/reference/django-helpdesk-baseline.md):
Polish 40 %, Bulgarian 20 %, Finnish 20 %, English 20 %; utf-8 as base64, quoted-printable
and 8bit, iso-8859-2, windows-1250, windows-1251 and iso-8859-15 as QP or base64, us-ascii
7bit; RFC 2047 subjects and names; about 30 % multipart/alternative, 5 % with a small PDF
whose RFC 2231 file name has diacritics, 5 % Importance: high, 3 % Cc; senders Zipf-like;
about 7 % follow-ups quoting their original with In-Reply-To/References.

    python bench/intake/gen_eml.py OUT_DIR [--n 2000] [--seed 42]

Writes OUT_DIR/mail/*.eml and OUT_DIR/manifest.jsonl (one line per mail: what it should become).
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import quopri
import random
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.header import Header
from email.utils import format_datetime
from pathlib import Path

TOPICS = ("damaged", "refund", "double_charge", "late", "rude", "wrong_item")

# Per language: subjects and problem paragraphs per topic, plus the pieces around them.
TEXT: dict[str, dict[str, object]] = {
    "pl": {
        "subject": {
            "damaged": [
                "Uszkodzona sofa w dostawie",
                "Reklamacja - zniszczony towar",
                "Pęknięta szyba w lodówce",
            ],
            "refund": [
                "Brak zwrotu pieniędzy",
                "Gdzie jest mój zwrot?",
                "Zwrot środków po odstąpieniu od umowy",
            ],
            "double_charge": ["Podwójne obciążenie karty", "Dwa razy pobrana płatność"],
            "late": ["Opóźniona dostawa zamówienia", "Zamówienie nie dotarło na czas"],
            "rude": ["Skarga na obsługę w sklepie", "Niegrzeczny kurier"],
            "wrong_item": ["Otrzymałem inny produkt", "Zły rozmiar w paczce"],
        },
        "problem": {
            "damaged": [
                "Sofa dostarczona w czwartek ma rozdartą tapicerkę na lewym podłokietniku i złamaną nogę. Kurier nie pozwolił mi sprawdzić paczki przy odbiorze.",
                "Lodówka przyszła z pękniętą szybą w drzwiach i wgnieceniem na boku. Zdjęcia uszkodzeń załączam do wiadomości.",
            ],
            "refund": [
                "Odstąpiłem od umowy w terminie i odesłałem ekspres do kawy ponad trzy tygodnie temu, a pieniądze wciąż nie wróciły na moje konto.",
                "Sklep potwierdził przyjęcie zwrotu butów, ale od dwudziestu dni nie otrzymałam przelewu. Infolinia odsyła mnie od jednej osoby do drugiej.",
            ],
            "double_charge": [
                "Za jedno zamówienie moja karta została obciążona dwukrotnie tą samą kwotą. Bank potwierdza obie transakcje.",
                "Płatność za odkurzacz pobrano dwa razy, a w historii zamówień widzę tylko jedno zamówienie.",
            ],
            "late": [
                "Zamówienie miało dotrzeć w ciągu trzech dni roboczych, a minęły już dwa tygodnie. Status przesyłki od tygodnia się nie zmienia.",
                "Pralka miała być dostarczona w sobotę, wziąłem wolne z pracy, a kurier się nie pojawił i nikt mnie nie uprzedził.",
            ],
            "rude": [
                "Pracownik przy kasie podniósł na mnie głos, gdy poprosiłem o fakturę, i powiedział, że to nie jego problem.",
                "Kurier rzucił paczkę pod drzwi, a gdy zwróciłam mu uwagę, był niegrzeczny i odjechał bez potwierdzenia odbioru.",
            ],
            "wrong_item": [
                "Zamówiłem czarną kurtkę w rozmiarze M, a w paczce była niebieska w rozmiarze XL.",
                "Zamiast blendera otrzymałam toster innej firmy. Numer na paragonie nie zgadza się z zawartością paczki.",
            ],
        },
        "greeting": ["Dzień dobry,", "Szanowni Państwo,", "Witam,"],
        "demand": [
            "Proszę o wymianę towaru na nowy albo zwrot pieniędzy w ciągu 14 dni.",
            "Oczekuję zwrotu całej kwoty na moje konto.",
            "Proszę o pilny kontakt i wyjaśnienie sprawy.",
        ],
        "closing": ["Z poważaniem,", "Pozdrawiam,"],
        "follow_up": [
            "Minął tydzień, a nadal nie dostałem odpowiedzi na moją reklamację. Czy są jakieś wieści?",
            "Przypominam o mojej reklamacji. Proszę o informację, na jakim etapie jest sprawa.",
        ],
        "order": "Numer zamówienia: {n}.",
        "names": [
            ("Jan Kowalski", "jan.kowalski"),
            ("Anna Wiśniewska", "anna.wisniewska"),
            ("Piotr Wójcik", "piotr.wojcik"),
            ("Małgorzata Kamińska", "malgorzata.kaminska"),
            ("Łukasz Lewandowski", "lukasz.lewandowski"),
            ("Katarzyna Zielińska", "katarzyna.zielinska"),
            ("Grzegorz Szymański", "grzegorz.szymanski"),
            ("Agnieszka Woźniak", "agnieszka.wozniak"),
            ("Michał Dąbrowski", "michal.dabrowski"),
            ("Ewa Kozłowska", "ewa.kozlowska"),
            ("Tomasz Jankowski", "tomasz.jankowski"),
            ("Joanna Mazur", "joanna.mazur"),
        ],
        "domains": ["wp.pl", "onet.pl", "gmail.com", "interia.pl", "o2.pl"],
        "charsets": [("utf-8", 0.62), ("iso-8859-2", 0.25), ("windows-1250", 0.13)],
        "pdf": "paragon_zakupu_łódź.pdf",
    },
    "bg": {
        "subject": {
            "damaged": [
                "Повреден диван при доставката",
                "Рекламация - счупена стока",
                "Пукнато стъкло на хладилника",
            ],
            "refund": ["Не са ми върнати парите", "Къде е възстановената сума?"],
            "double_charge": ["Двойно таксуване на картата", "Плащането е взето два пъти"],
            "late": ["Забавена доставка на поръчката", "Поръчката не пристигна навреме"],
            "rude": ["Оплакване от обслужването в магазина", "Груб куриер"],
            "wrong_item": ["Получих друг продукт", "Грешен размер в пратката"],
        },
        "problem": {
            "damaged": [
                "Диванът, доставен в четвъртък, е с разкъсана дамаска на лявата облегалка и счупен крак. Куриерът не ми позволи да проверя пратката.",
                "Хладилникът пристигна с пукнато стъкло на вратата и вдлъбнатина отстрани. Прилагам снимки на повредите.",
            ],
            "refund": [
                "Отказах се от договора в срок и върнах кафемашината преди повече от три седмици, но парите все още не са постъпили по сметката ми.",
                "Магазинът потвърди, че е получил върнатите обувки, но от двадесет дни няма превод. На телефона ме прехвърлят от човек на човек.",
            ],
            "double_charge": [
                "За една поръчка картата ми беше таксувана два пъти с една и съща сума. Банката потвърждава и двете трансакции.",
                "Плащането за прахосмукачката беше взето два пъти, а в историята на поръчките виждам само една поръчка.",
            ],
            "late": [
                "Поръчката трябваше да пристигне до три работни дни, а минаха вече две седмици. Статусът на пратката не се е променил от седмица.",
                "Пералнята трябваше да бъде доставена в събота, взех си почивен ден, а куриерът не дойде и никой не ме предупреди.",
            ],
            "rude": [
                "Служителят на касата ми повиши тон, когато поисках фактура, и каза, че това не е негов проблем.",
                "Куриерът хвърли пакета пред вратата и когато му направих забележка, беше груб и си тръгна без да потвърди доставката.",
            ],
            "wrong_item": [
                "Поръчах черно яке размер M, а в пакета имаше синьо яке размер XL.",
                "Вместо блендер получих тостер от друга марка. Номерът на касовата бележка не съответства на съдържанието.",
            ],
        },
        "greeting": ["Здравейте,", "Уважаеми господа,", "Добър ден,"],
        "demand": [
            "Моля да замените стоката с нова или да ми възстановите сумата в срок от един месец.",
            "Очаквам да ми бъде върната цялата сума.",
            "Моля за спешен отговор и обяснение.",
        ],
        "closing": ["С уважение,", "Поздрави,"],
        "follow_up": [
            "Мина седмица, а все още нямам отговор на рекламацията си. Има ли новини?",
            "Напомням за моята рекламация. Моля, кажете ми докъде е стигнала.",
        ],
        "order": "Номер на поръчката: {n}.",
        "names": [
            ("Иван Петров", "ivan.petrov"),
            ("Мария Иванова", "maria.ivanova"),
            ("Георги Димитров", "georgi.dimitrov"),
            ("Елена Георгиева", "elena.georgieva"),
            ("Николай Стоянов", "nikolay.stoyanov"),
            ("Десислава Николова", "desislava.nikolova"),
            ("Димитър Тодоров", "dimitar.todorov"),
            ("Цветелина Атанасова", "tsvetelina.atanasova"),
        ],
        "domains": ["abv.bg", "mail.bg", "gmail.com", "dir.bg"],
        "charsets": [("utf-8", 0.56), ("windows-1251", 0.44)],
        "pdf": "касова_бележка_№15.pdf",
    },
    "fi": {
        "subject": {
            "damaged": [
                "Vaurioitunut sohva toimituksessa",
                "Reklamaatio - rikkinäinen tuote",
                "Jääkaapin lasi haljennut",
            ],
            "refund": ["Rahoja ei ole palautettu", "Missä on hyvitykseni?"],
            "double_charge": ["Kortilta veloitettu kahdesti", "Maksu veloitettiin kaksi kertaa"],
            "late": ["Tilauksen toimitus myöhässä", "Tilaus ei saapunut ajallaan"],
            "rude": ["Valitus myymälän palvelusta", "Epäkohtelias kuriiri"],
            "wrong_item": ["Sain väärän tuotteen", "Väärä koko paketissa"],
        },
        "problem": {
            "damaged": [
                "Torstaina toimitetun sohvan verhoilu on revennyt vasemmasta käsinojasta ja yksi jalka on poikki. Kuljettaja ei antanut minun tarkistaa pakettia.",
                "Jääkaappi saapui oven lasi haljenneena ja kyljessä on lommo. Liitän kuvat vaurioista.",
            ],
            "refund": [
                "Peruin kaupan määräajassa ja palautin kahvinkeittimen yli kolme viikkoa sitten, mutta rahoja ei ole vieläkään palautettu tililleni.",
                "Kauppa vahvisti saaneensa palautetut kengät, mutta hyvitystä ei ole tullut kahteenkymmeneen päivään. Asiakaspalvelu siirtää minua henkilöltä toiselle.",
            ],
            "double_charge": [
                "Yhdestä tilauksesta korttiani veloitettiin kahdesti sama summa. Pankki vahvistaa molemmat tapahtumat.",
                "Pölynimurin maksu veloitettiin kahteen kertaan, vaikka tilaushistoriassa näkyy vain yksi tilaus.",
            ],
            "late": [
                "Tilauksen piti saapua kolmessa arkipäivässä, mutta nyt on kulunut jo kaksi viikkoa. Lähetyksen tila ei ole muuttunut viikkoon.",
                "Pesukone piti toimittaa lauantaina, otin vapaapäivän töistä, mutta kuljettaja ei tullut eikä kukaan ilmoittanut minulle.",
            ],
            "rude": [
                "Kassan työntekijä korotti ääntään, kun pyysin kuittia, ja sanoi, ettei se ole hänen ongelmansa.",
                "Kuriiri heitti paketin oven eteen ja oli töykeä, kun huomautin asiasta, ja lähti kuittaamatta toimitusta.",
            ],
            "wrong_item": [
                "Tilasin mustan takin kokoa M, mutta paketissa oli sininen takki kokoa XL.",
                "Tehosekoittimen sijaan sain toisen merkin leivänpaahtimen. Kuitin tuotenumero ei vastaa paketin sisältöä.",
            ],
        },
        "greeting": ["Hei,", "Hyvä asiakaspalvelu,", "Päivää,"],
        "demand": [
            "Pyydän vaihtamaan tuotteen uuteen tai palauttamaan rahat kahden viikon kuluessa.",
            "Odotan koko summan palauttamista tililleni.",
            "Pyydän teitä ottamaan minuun yhteyttä pikaisesti.",
        ],
        "closing": ["Ystävällisin terveisin,", "Terveisin,"],
        "follow_up": [
            "Viikko on kulunut, enkä ole vieläkään saanut vastausta reklamaatiooni. Onko asiassa uutta?",
            "Muistutan reklamaatiostani. Kertokaa, missä vaiheessa asia on.",
        ],
        "order": "Tilausnumero: {n}.",
        "names": [
            ("Matti Virtanen", "matti.virtanen"),
            ("Aino Mäkinen", "aino.makinen"),
            ("Jukka Nieminen", "jukka.nieminen"),
            ("Sanna Hämäläinen", "sanna.hamalainen"),
            ("Päivi Järvinen", "paivi.jarvinen"),
            ("Ville Heikkinen", "ville.heikkinen"),
            ("Liisa Koskinen", "liisa.koskinen"),
            ("Mikko Lehtonen", "mikko.lehtonen"),
        ],
        "domains": ["gmail.com", "elisanet.fi", "kolumbus.fi", "outlook.com"],
        "charsets": [("utf-8", 0.62), ("iso-8859-15", 0.12), ("iso-8859-2", 0.26)],
        "pdf": "kuitti_äänentoisto.pdf",
    },
    "en": {
        "subject": {
            "damaged": [
                "Damaged sofa on delivery",
                "Complaint - broken item",
                "Cracked glass on my fridge",
            ],
            "refund": ["Refund not received", "Where is my refund?"],
            "double_charge": ["Card charged twice", "Payment taken twice"],
            "late": ["Order delivery delayed", "My order did not arrive on time"],
            "rude": ["Complaint about staff in your shop", "Rude courier"],
            "wrong_item": ["I received a different product", "Wrong size in the parcel"],
        },
        "problem": {
            "damaged": [
                "The sofa delivered on Thursday has torn upholstery on the left armrest and a broken leg. The driver did not let me check the parcel.",
                "The fridge arrived with a cracked glass door and a dent on the side. I attach photos of the damage.",
            ],
            "refund": [
                "I cancelled within the deadline and sent the coffee machine back more than three weeks ago, but the money is still not in my account.",
                "You confirmed receiving the returned shoes, but twenty days later there is no refund. Your hotline passes me from one person to another.",
            ],
            "double_charge": [
                "My card was charged twice for one order, the same amount both times. My bank confirms both transactions.",
                "The payment for the vacuum cleaner was taken twice, but my order history shows only one order.",
            ],
            "late": [
                "The order should have arrived within three working days, and it has now been two weeks. The tracking status has not changed for a week.",
                "The washing machine was due on Saturday, I took a day off work, and the driver never came and nobody told me.",
            ],
            "rude": [
                "The cashier raised his voice when I asked for an invoice and said it was not his problem.",
                "The courier threw the parcel at my door, was rude when I said something, and left without a delivery confirmation.",
            ],
            "wrong_item": [
                "I ordered a black jacket in size M and the parcel contained a blue one in size XL.",
                "Instead of a blender I received a toaster of another brand. The product number on the receipt does not match the parcel.",
            ],
        },
        "greeting": ["Hello,", "Dear Sir or Madam,", "Hi,"],
        "demand": [
            "Please replace the item or refund me within 14 days.",
            "I expect a full refund to my account.",
            "Please contact me urgently and explain what happened.",
        ],
        "closing": ["Kind regards,", "Best wishes,"],
        "follow_up": [
            "A week has passed and I still have no answer to my complaint. Is there any news?",
            "This is a reminder about my complaint. Please tell me where things stand.",
        ],
        "order": "Order number: {n}.",
        "names": [
            ("John Smith", "john.smith"),
            ("Emily Clarke", "emily.clarke"),
            ("David O'Brien", "david.obrien"),
            ("Sarah Taylor", "sarah.taylor"),
            ("James Wilson", "james.wilson"),
            ("Olivia Brown", "olivia.brown"),
        ],
        "domains": ["gmail.com", "outlook.com", "yahoo.co.uk", "btinternet.com"],
        "charsets": [("utf-8", 0.88), ("us-ascii", 0.12)],
        "pdf": "receipt_café_Zoë.pdf",
    },
}
LANGUAGES = (("pl", 0.40), ("bg", 0.20), ("fi", 0.20), ("en", 0.20))
FOLLOW_UP_SHARE = 0.07
ZIPF = 0.65
OFFSETS = {"pl": 1, "bg": 2, "fi": 2, "en": 0}
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
START = datetime(2026, 9, 1, 7, 0, tzinfo=UTC)


@dataclass
class Mail:
    file: str
    message_id: str
    lang: str
    charset: str
    encoding: str
    sender: str
    subject: str
    problem: str
    at: str
    multipart: bool = False
    pdf: bool = False
    follow_up_of: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def pick(
    rng: random.Random, weighted: list[tuple[str, float]] | tuple[tuple[str, float], ...]
) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def encode_header(value: str, charset: str) -> str:
    if charset == "us-ascii" or value.isascii():
        return value
    return Header(value, charset, maxlinelen=76, header_name="Subject").encode()


def encode_body(text: str, charset: str, encoding: str) -> bytes:
    if encoding == "quoted-printable":
        return quopri.encodestring(text.encode(charset)).replace(b"\n", b"\r\n")
    data = text.replace("\n", "\r\n").encode(charset)
    if encoding == "base64":
        return base64.encodebytes(data).replace(b"\n", b"\r\n")
    return data


def text_part(text: str, subtype: str, charset: str, encoding: str) -> bytes:
    head = (
        f'Content-Type: text/{subtype}; charset="{charset}"\r\n'
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
    ).encode()
    body = encode_body(text, charset, encoding)
    return head + body + (b"" if body.endswith(b"\r\n") else b"\r\n")


def pdf_part(name: str) -> bytes:
    quoted = "".join(
        c
        if c.isascii() and (c.isalnum() or c in "._-")
        else "".join(f"%{b:02X}" for b in c.encode())
        for c in name
    )
    return (
        f"Content-Type: application/pdf; name*=utf-8''{quoted}\r\n"
        f"Content-Disposition: attachment; filename*=utf-8''{quoted}\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode() + base64.encodebytes(PDF).replace(b"\n", b"\r\n")


def multipart(subtype: str, parts: list[bytes], boundary: str) -> bytes:
    out = [f'Content-Type: multipart/{subtype}; boundary="{boundary}"\r\n\r\n'.encode()]
    out.append(b"This is a multi-part message in MIME format.\r\n")
    for part in parts:
        out.append(f"--{boundary}\r\n".encode() + part)
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)


def as_html(text: str) -> str:
    paragraphs = "".join(
        f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in text.split("\n\n")
    )
    return f"<html><body>{paragraphs}</body></html>"


def generate(out: Path, n: int, seed: int) -> list[Mail]:
    rng = random.Random(seed)
    mail_dir = out / "mail"
    mail_dir.mkdir(parents=True, exist_ok=True)
    # Senders per language, Zipf-like: a few write often, most once.
    senders: dict[str, list[tuple[str, str]]] = {}
    for lang, _w in LANGUAGES:
        pool = TEXT[lang]
        people = []
        for i in range(int(n * 0.9)):
            display, login = rng.choice(pool["names"])  # type: ignore[arg-type]
            people.append((display, f"{login}{i if i else ''}@{rng.choice(pool['domains'])}"))  # type: ignore[arg-type]
        senders[lang] = people
    zipf = [1 / (k + 1) ** ZIPF for k in range(int(n * 0.9))]
    firsts: list[Mail] = []
    topics_by_sender: dict[str, list[str]] = {}
    mails: list[Mail] = []
    n_follow = round(n * FOLLOW_UP_SHARE)
    at = START
    step = (datetime(2026, 11, 15, tzinfo=UTC) - START) / n
    for i in range(n):
        at = at + step * rng.uniform(0.2, 1.8)
        is_follow = (
            i >= 20
            and len(mails) - len(firsts) < n_follow
            and rng.random() < FOLLOW_UP_SHARE * 1.15
        )
        if is_follow:
            original = rng.choice(firsts[-200:])
            lang = original.lang
        else:
            original = None
            lang = pick(rng, LANGUAGES)
        pool = TEXT[lang]
        charset = original.charset if original else pick(rng, pool["charsets"])  # type: ignore[arg-type]
        if charset == "utf-8":
            encoding = pick(rng, (("base64", 0.40), ("quoted-printable", 0.39), ("8bit", 0.21)))
        elif charset == "us-ascii":
            encoding = "7bit"
        else:
            encoding = pick(rng, (("quoted-printable", 0.67), ("base64", 0.33)))
        if original is not None:
            display, address = original.extra["display"], original.sender
            topic = original.extra["topic"]
            subject = "Re: " + original.subject
            problem = rng.choice(pool["follow_up"])  # type: ignore[arg-type]
            quoted = "\n".join("> " + line for line in original.extra["body"].split("\n"))
            body = f"{rng.choice(pool['greeting'])}\n\n{problem}\n\n{rng.choice(pool['closing'])}\n{display}\n\n{quoted}\n"  # type: ignore[index]
        else:
            display, address = rng.choices(senders[lang], zipf)[0]
            used = topics_by_sender.setdefault(address, [])
            fresh = [t for t in TOPICS if t not in used] or list(TOPICS)
            topic = rng.choice(fresh)
            used.append(topic)
            subject = rng.choice(pool["subject"][topic])  # type: ignore[index]
            problem = rng.choice(pool["problem"][topic])  # type: ignore[index]
            order = pool["order"].format(n=rng.randint(100000, 999999))  # type: ignore[attr-defined]
            body = (
                f"{rng.choice(pool['greeting'])}\n\n{problem} {order}\n\n"  # type: ignore[index]
                f"{rng.choice(pool['demand'])}\n\n{rng.choice(pool['closing'])}\n{display}\n"  # type: ignore[index]
            )
        if charset == "us-ascii":
            subject, body, display = (
                s.encode("ascii", "ignore").decode() for s in (subject, body, display)
            )
            problem = problem.encode("ascii", "ignore").decode()
        token = f"{rng.getrandbits(64):016x}"
        message_id = f"{token}.{i}@{address.split('@')[1]}"
        mail = Mail(
            file=f"{token}.eml",
            message_id=message_id,
            lang=lang,
            charset=charset,
            encoding=encoding,
            sender=address,
            subject=subject,
            problem=problem,
            at=at.isoformat(),
            multipart=rng.random() < 0.31,
            pdf=original is None and rng.random() < 0.05,
            follow_up_of=original.message_id if original else None,
            extra={"display": display, "topic": topic, "body": body},
        )
        headers = [
            f"From: {encode_header(display, charset)} <{address}>",
            "To: reklamacje@sklep.example",
            f"Subject: {encode_header(subject, charset)}",
            f"Date: {format_datetime(at.astimezone(timezone(timedelta(hours=OFFSETS[lang]))))}",
            f"Message-ID: <{message_id}>",
            "MIME-Version: 1.0",
        ]
        if original is not None:
            headers += [
                f"In-Reply-To: <{original.message_id}>",
                f"References: <{original.message_id}>",
            ]
        if rng.random() < 0.05:
            headers.append("Importance: high")
        if rng.random() < 0.03:
            headers.append(f"Cc: {rng.choice(senders[lang])[1]}")
        plain = text_part(body, "plain", charset, encoding)
        content = plain
        if mail.multipart:
            content = multipart(
                "alternative",
                [plain, text_part(as_html(body), "html", charset, encoding)],
                f"alt-{token}",
            )
        if mail.pdf:
            content = multipart("mixed", [content, pdf_part(str(pool["pdf"]))], f"mix-{token}")
        raw = "\r\n".join(headers).encode() + b"\r\n" + content
        (mail_dir / mail.file).write_bytes(raw)
        mails.append(mail)
        if original is None:
            firsts.append(mail)
    with (out / "manifest.jsonl").open("w", encoding="utf-8") as manifest:
        for mail in mails:
            row = asdict(mail)
            row["topic"] = row.pop("extra")["topic"]
            manifest.write(json.dumps(row, ensure_ascii=False) + "\n")
    return mails


def describe(mails: list[Mail]) -> str:
    from collections import Counter

    langs = Counter(m.lang for m in mails)
    enc = Counter(f"{m.charset}/{m.encoding}" for m in mails)
    return (
        f"{len(mails)} mails; languages {dict(langs)}; {sum(m.multipart for m in mails)} multipart/alternative; "
        f"{sum(m.pdf for m in mails)} with a PDF; {sum(1 for m in mails if m.follow_up_of)} follow-ups; "
        f"{len({m.sender for m in mails})} senders\n  charsets: "
        + ", ".join(f"{k} {v}" for k, v in sorted(enc.items()))
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    print(describe(generate(args.out, args.n, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
