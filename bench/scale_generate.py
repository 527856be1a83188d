"""Build a large PostgreSQL database for the dashboard-at-scale benchmark (bench/dashboard_scale.py).

    .venv/bin/python bench/scale_generate.py [--db amends_scale] [--cases 1000000]
        [--events 10000000] [--seed 7]

The database is dropped, created and migrated with the project's own migrations, then filled with
COPY (psycopg 3, one open COPY stream per table), never through the ORM. The big tables' secondary
indexes, unique and foreign-key constraints are dropped before the load and re-created afterwards
from their own definitions (pg_get_indexdef / pg_get_constraintdef), so the final schema is exactly
the migrated one; then VACUUM ANALYZE, so the planner has statistics and index-only scans work.

The shape (seeded, reproducible: the same arguments give the same rows and ids):

- 5 teams, 30 staff: 24 agents (team of 5 or 4, each speaking en plus one or two of pl/bg/fi),
  5 managers ("manager1".."manager5"), 1 admin. The agents are "agent01".."agent24"; the bench
  logs in as manager1 and agent01. No passwords (unusable), as the bench uses force_login.
- Customers: cases / 5 (200,000 for 1M cases): 80 % consumers, 15 % businesses, 5 % financial-
  sector clients; country PL 55 %, BG 20 %, FI 15 %, other (DE) 10 %; language follows the
  country (pl/bg/fi, else en) with 10 % writing in English.
- 15 categories, 10 product lines, 5 root-cause groups of 4 causes each.
- Cases: received over the 3 years up to now, 30 % more per day at the end than at the start,
  with a weekly rhythm; 40 % e-mail, 25 % web form, 15 % phone, 8 % portal, 5 % API, the rest
  social, in person and import. Deadlines from amends.deadlines.engine (the real statutory rule of
  the customer's country and kind, and the 7-day default commitment), memoised per day.
- Each case's timeline is generated as the services write it (amends/cases/services.py,
  amends/resolution/services/*, amends/portal/services.py) and cut at "now", so recent cases are
  open in whatever state their timeline reached: RECEIVED (data: channel, statutory rule and
  dues), OWNER_ASSIGNED (automatic), ACKNOWLEDGED (from/to/reason) after ~3 h, STATE_CHANGED to
  investigating for 70 %, INVESTIGATED root cause and fault, internal NOTEs, PHONE_CALLs (minutes),
  CUSTOMER_MESSAGEs, a non-substantive REPLY with a COMMITMENT_SET (data.to) for 40 %, the
  substantive REPLY (data.substantive) after ~2.5 days for 60 % (the others are answered by the
  proposal), a PROPOSAL with STATE_CHANGED to resolution_proposed and PROPOSAL_DECIDED for 55 %,
  COMPENSATION proposed/approved/paid for 15 %, STATE_CHANGED to resolved and to closed, RATED
  for 25 % of closed cases, REOPENED (and resolved and closed again) for 1.5 %. 2 % are
  "stuck": no answer before the statutory deadline, with DEADLINE_AT_RISK and DEADLINE_MISSED
  (statutory, with the rule's consequence) events; half of them are answered late, the rest stay
  open. More NOTE, PHONE_CALL and CUSTOMER_MESSAGE events fill each case up to the average the
  --events total asks for (10 per case by default).
- The Case columns follow the events exactly as the services set them: acknowledged_at,
  answered_at (first substantive reply or move to resolution proposed), resolved_at and
  closed_at (cleared on reopening), commitment_due (the last promise; reset on reopening),
  statutory_due/_rule, statutory_alert/commitment_alert.
- Investigations (fault: ours 35 %, unclear information 8 %, the customer's 17 %, a third party's
  12 %, no fault 13 %, undetermined 15 %; root cause for all but undetermined) for every
  acknowledged case; proposals (agreed 80 %, declined 15 %, withdrawn 5 %; no remedy options
  rows); compensation lines; satisfaction ratings; improvement tasks for unclear information
  (done when the case closed); 40 prevention actions on the causes; monthly revenue per product
  line; ~1.5 purchases, renewals or cancellations per customer.
- No message, attachment or register rows: CUSTOMER_MESSAGE events carry message_id null.
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amends.settings")

from amends.deadlines import engine  # noqa: E402

SERVER = "postgres://postgres@127.0.0.1:5432"
YEARS = 3
CHUNK = 10_000
TEAMS = ["Warsaw desk", "Sofia desk", "Helsinki desk", "Business desk", "Escalations"]
CATEGORIES = [
    "Delivery",
    "Damaged goods",
    "Defect",
    "Billing",
    "Refund",
    "Warranty",
    "Installation",
    "Customer service",
    "Website",
    "Contract",
    "Pricing",
    "Returns",
    "Data protection",
    "Availability",
    "Other",
]
PRODUCT_LINES = [
    "Washers",
    "Dryers",
    "Fridges",
    "Ovens",
    "Dishwashers",
    "Small appliances",
    "Spare parts",
    "Service plans",
    "Software",
    "Financing",
]
CAUSE_GROUPS = {
    "Repairs": ["Seal not fitted", "Wrong part", "Technician late", "Repair incomplete"],
    "Logistics": ["Courier damage", "Late dispatch", "Wrong address", "Lost parcel"],
    "Billing": ["Invoice template wrong", "Double charge", "Price mismatch", "Refund delayed"],
    "Product": ["Manufacturing defect", "Design flaw", "Missing accessory", "Firmware bug"],
    "Communication": ["Unclear terms", "No reply", "Wrong information", "Rude contact"],
}
COUNTRIES = [("PL", 0.55, "pl"), ("BG", 0.20, "bg"), ("FI", 0.15, "fi"), ("DE", 0.10, "en")]
KINDS = [("consumer", 0.80), ("business", 0.15), ("financial_client", 0.05)]
CHANNELS = [
    ("email", 0.40),
    ("web_form", 0.25),
    ("phone", 0.15),
    ("portal", 0.08),
    ("api", 0.05),
    ("social", 0.03),
    ("in_person", 0.02),
    ("import", 0.02),
]
FAULTS = [
    ("ours", 0.35),
    ("unclear_info", 0.08),
    ("customer", 0.17),
    ("third_party", 0.12),
    ("none", 0.13),
    ("undetermined", 0.15),
]
COMPENSATION_KINDS = [
    ("refund", 0.4),
    ("discount", 0.2),
    ("credit_note", 0.15),
    ("free_service", 0.1),
    ("replacement", 0.05),
    ("goodwill", 0.1),
]
PRIORITIES = [("normal", 0.75), ("high", 0.15), ("low", 0.07), ("urgent", 0.03)]
SUBJECTS = {
    "pl": ["Pralka przecieka", "Faktura jest błędna", "Opóźniona dostawa", "Uszkodzony towar"],
    "bg": ["Пералнята тече", "Грешна фактура", "Забавена доставка", "Повредена стока"],
    "fi": ["Pesukone vuotaa", "Lasku on väärin", "Toimitus myöhässä", "Vaurioitunut tuote"],
    "en": ["Washer leaking", "Invoice is wrong", "Late delivery", "Damaged goods"],
}
COMMITMENT_DAYS = 7
AT_RISK_DAYS = 3
# The event tables are big: these are the tables whose secondary indexes and constraints are
# dropped during the load and re-created from their definitions afterwards.
BIG_TABLES = [
    "cases_customer",
    "cases_case",
    "cases_event",
    "resolution_investigation",
    "resolution_proposal",
    "resolution_compensation",
    "resolution_improvementtask",
    "portal_satisfactionrating",
    "insights_customeractivity",
]


def pick(rng: random.Random, table: list[tuple[Any, float]]) -> Any:
    x = rng.random()
    for value, weight in table:
        x -= weight
        if x < 0:
            return value
    return table[-1][0]


def lognormal_hours(rng: random.Random, median_hours: float, sigma: float = 0.9) -> float:
    return median_hours * 3600 * math.exp(rng.gauss(0, sigma))


def ts(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def q(text: str) -> str:
    """A value for COPY's text format (our generated texts never hold tabs or newlines)."""
    return text.replace("\\", "\\\\")


def jstr(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Copy:
    """One COPY ... FROM STDIN stream on its own connection, so all tables load at once."""

    def __init__(self, stack: ExitStack, url: str, table: str, columns: list[str]) -> None:
        self.conn = stack.enter_context(psycopg.connect(url))
        self.conn.execute("SET synchronous_commit = off")
        cursor = stack.enter_context(self.conn.cursor())
        self.copy = stack.enter_context(
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN")
        )
        self.buffer: list[str] = []
        self.rows = 0

    def row(self, *values: Any) -> None:
        self.buffer.append("\t".join(r"\N" if v is None else str(v) for v in values))
        self.rows += 1
        if len(self.buffer) >= 20_000:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.copy.write("\n".join(self.buffer) + "\n")
            self.buffer = []


class Deadlines:
    """The engine's statutory deadline and default commitment, memoised per country, kind, day."""

    def __init__(self) -> None:
        self.statutory = functools.lru_cache(maxsize=None)(self._statutory)
        self.commitment = functools.lru_cache(maxsize=None)(self._commitment)

    def _statutory(self, country: str, kind: str, day: date) -> tuple[str, float | None, str]:
        received = datetime.combine(day, datetime.min.time(), tzinfo=engine.zone_for(country))
        received += timedelta(hours=12)
        deadline = engine.statutory_deadline(
            jurisdiction=country, customer_kind=kind, received_at=received
        )
        due = deadline.due_at.timestamp() if deadline.due_at else None
        return deadline.rule.id, due, deadline.rule.consequence_in("en")

    def _commitment(self, country: str, day: date, statutory: float | None) -> float:
        received = datetime.combine(day, datetime.min.time(), tzinfo=engine.zone_for(country))
        received += timedelta(hours=12)
        statutory_at = datetime.fromtimestamp(statutory, UTC) if statutory else None
        return engine.commitment_deadline(
            jurisdiction=country,
            received_at=received,
            days=COMMITMENT_DAYS,
            statutory_due_at=statutory_at,
        ).timestamp()

    def local_day(self, country: str, seconds: float) -> date:
        return datetime.fromtimestamp(seconds, engine.zone_for(country)).date()


def run(cmd: list[str], env: dict[str, str]) -> None:
    subprocess.run(cmd, check=True, env={**os.environ, **env})


def recreate_database(db: str) -> str:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [db]
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{db}"')
        conn.execute(f'CREATE DATABASE "{db}"')
    url = f"{SERVER}/{db}"
    run([str(ROOT / ".venv/bin/amends"), "migrate", "-v0"], {"DATABASE_URL": url})
    return url


def drop_secondary(conn: psycopg.Connection) -> list[str]:
    """Drop the big tables' FKs, unique constraints and non-PK indexes; return how to restore them."""
    restore: list[str] = []
    tables = BIG_TABLES
    constraints = conn.execute(
        """SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
           FROM pg_constraint c
           WHERE c.contype IN ('f', 'u') AND (c.conrelid::regclass::text = ANY(%s)
                 OR (c.contype = 'f' AND c.confrelid::regclass::text = ANY(%s)))
           ORDER BY c.contype DESC, c.conname""",
        [tables, tables],
    ).fetchall()
    # Unique constraints first on restore (FKs may point at them), FKs last.
    for table, name, definition, _kind in sorted(constraints, key=lambda r: r[3] == "f"):
        restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for table, name, _definition, _kind in constraints:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    indexes = conn.execute(
        """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
           FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary""",
        [tables],
    ).fetchall()
    index_restore = [definition for _name, definition in indexes]
    for name, _definition in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    return index_restore + restore


def _same_meaning(definition: str) -> str:
    """An index definition without the casts and brackets PostgreSQL prints differently once
    the statement it printed is run again: `(ARRAY['a'::character varying])::text[]` and
    `ARRAY[('a'::character varying)::text]` are one condition."""
    return re.sub(r"::(character varying|text)(\[\])?|[()]", "", definition)


def schema_fingerprint(conn: psycopg.Connection) -> list[tuple[Any, ...]]:
    indexes = [
        (table, name, _same_meaning(definition))
        for table, name, definition in conn.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "ORDER BY 1, 2"
        ).fetchall()
    ]
    constraints = conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2"
    ).fetchall()
    return [*indexes, *constraints]


class Generator:
    def __init__(self, args: argparse.Namespace, url: str) -> None:
        self.args = args
        self.url = url
        self.rng = random.Random(args.seed)
        self.now = time.time()
        self.start = self.now - YEARS * 365 * 86400
        self.deadlines = Deadlines()
        self.counts: dict[str, int] = {}

    # --- small tables, through plain INSERTs ---

    def reference_data(self, conn: psycopg.Connection) -> None:
        rng = self.rng
        now = ts(self.now)
        self.team_ids = []
        for name in TEAMS:
            self.team_ids.append(
                conn.execute(
                    "INSERT INTO accounts_team (name) VALUES (%s) RETURNING id", [name]
                ).fetchone()[0]
            )
        user_sql = (
            "INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name,"
            " email, is_staff, is_active, date_joined, role, team_id, languages, takes_new_cases)"
            " VALUES ('!', %s, %s, %s, %s, %s, %s, true, %s, %s, %s, %s, %s) RETURNING id"
        )
        team_languages = [["en", "pl"], ["en", "bg"], ["en", "fi"], ["en", "pl", "fi"], ["en"]]
        self.agents: list[tuple[int, int, list[str]]] = []
        for i in range(24):
            team = i % 5
            langs = team_languages[team]
            uid = conn.execute(
                user_sql,
                [
                    False,
                    f"agent{i + 1:02d}",
                    f"Agent{i + 1:02d}",
                    "Scale",
                    f"agent{i + 1:02d}@example.com",
                    False,
                    now,
                    "agent",
                    self.team_ids[team],
                    Jsonb(langs),
                    True,
                ],
            ).fetchone()[0]
            self.agents.append((uid, self.team_ids[team], langs))
        self.managers = []
        for i in range(5):
            self.managers.append(
                conn.execute(
                    user_sql,
                    [
                        False,
                        f"manager{i + 1}",
                        f"Manager{i + 1}",
                        "Scale",
                        f"manager{i + 1}@example.com",
                        True,
                        now,
                        "manager",
                        self.team_ids[i],
                        Jsonb(["en"]),
                        False,
                    ],
                ).fetchone()[0]
            )
        conn.execute(
            user_sql,
            [
                True,
                "admin",
                "Admin",
                "Scale",
                "admin@example.com",
                True,
                now,
                "admin",
                None,
                Jsonb(["en"]),
                False,
            ],
        )
        self.agents_by_language: dict[str, list[tuple[int, int]]] = {}
        for uid, team, langs in self.agents:
            for lang in langs:
                self.agents_by_language.setdefault(lang, []).append((uid, team))
        self.category_ids = [
            conn.execute(
                "INSERT INTO cases_category (name, active, keywords) VALUES (%s, true, '') "
                "RETURNING id",
                [name],
            ).fetchone()[0]
            for name in CATEGORIES
        ]
        self.line_ids = [
            conn.execute(
                "INSERT INTO cases_productline (name, active) VALUES (%s, true) RETURNING id",
                [name],
            ).fetchone()[0]
            for name in PRODUCT_LINES
        ]
        self.cause_ids: list[tuple[int, str]] = []
        for group, names in CAUSE_GROUPS.items():
            parent = conn.execute(
                "INSERT INTO resolution_cause (name, active, parent_id) VALUES (%s, true, NULL) "
                "RETURNING id",
                [group],
            ).fetchone()[0]
            for name in names:
                cid = conn.execute(
                    "INSERT INTO resolution_cause (name, active, parent_id) VALUES (%s, true, %s) "
                    "RETURNING id",
                    [name, parent],
                ).fetchone()[0]
                self.cause_ids.append((cid, f"{group} › {name}"))
        # Skewed: a few causes make most complaints (the Pareto figure has something to show).
        self.cause_weights = [1 / (i + 1) ** 0.8 for i in range(len(self.cause_ids))]
        conn.execute(
            "INSERT INTO cases_organisationsettings (id, name, default_commitment_days, "
            "due_soon_days, at_risk_days, home_jurisdiction, high_value_customer, auto_assign) "
            "VALUES (1, 'Amends scale', %s, 2, %s, 'PL', 50000, true) ON CONFLICT (id) DO NOTHING",
            [COMMITMENT_DAYS, AT_RISK_DAYS],
        )
        for line in self.line_ids:
            base = rng.uniform(200_000, 2_000_000)
            month = datetime.fromtimestamp(self.start, UTC).date().replace(day=1)
            while month <= datetime.fromtimestamp(self.now, UTC).date():
                nxt = (month + timedelta(days=32)).replace(day=1)
                conn.execute(
                    "INSERT INTO insights_revenueentry (product_line_id, period_start, period_end,"
                    " amount, currency, source, created_at) VALUES (%s, %s, %s, %s, 'EUR',"
                    " 'scale', %s)",
                    [
                        line,
                        month,
                        nxt - timedelta(days=1),
                        round(base * rng.uniform(0.8, 1.2), 2),
                        now,
                    ],
                )
                self.counts["insights_revenueentry"] = (
                    self.counts.get("insights_revenueentry", 0) + 1
                )
                month = nxt

    # --- customers ---

    def customers(self, stack: ExitStack) -> None:
        n = max(self.args.cases // 5, 10)
        rng = self.rng
        out = Copy(
            stack,
            self.url,
            "cases_customer",
            [
                "id",
                "name",
                "email",
                "phone",
                "language",
                "jurisdiction",
                "kind",
                "annual_value",
                "currency",
                "notes",
                "created_at",
            ],
        )
        activity = Copy(
            stack,
            self.url,
            "insights_customeractivity",
            ["id", "customer_id", "date", "kind", "amount", "source", "source_key", "created_at"],
        )
        self.customer_info: list[tuple[str, str, str]] = [("", "", "")]  # 1-based
        created = ts(self.start)
        activity_id = 0
        for cid in range(1, n + 1):
            country, home = pick(rng, [((c, lang), w) for c, w, lang in COUNTRIES])
            language = home if rng.random() > 0.1 else "en"
            kind = pick(rng, KINDS)
            value = (
                round(rng.lognormvariate(7, 1.5), 2)
                if kind == "consumer"
                else round(rng.lognormvariate(10, 1.2), 2)
            )
            out.row(
                cid,
                f"Customer {cid}",
                f"customer{cid}@example.com",
                "",
                language,
                country,
                kind,
                value,
                "EUR",
                "",
                created,
            )
            self.customer_info.append((country, kind, language))
            for _i in range(rng.choices([0, 1, 2, 3], [0.3, 0.35, 0.2, 0.15])[0]):
                activity_id += 1
                day = datetime.fromtimestamp(rng.uniform(self.start, self.now), UTC).date()
                act = pick(rng, [("purchase", 0.6), ("renewal", 0.25), ("cancellation", 0.15)])
                activity.row(
                    activity_id,
                    cid,
                    day.isoformat(),
                    act,
                    r"\N" if act == "cancellation" else round(rng.uniform(20, 2000), 2),
                    "scale",
                    f"scale:{activity_id}",
                    created,
                )
        out.flush()
        activity.flush()
        self.customer_count = n
        self.counts["cases_customer"] = out.rows
        self.counts["insights_customeractivity"] = activity.rows

    # --- cases and their timelines ---

    def received_times(self) -> Iterator[float]:
        """Receipt times in order: a 30 % rise over the years and a weekly rhythm."""
        n = self.args.cases
        span = self.now - self.start
        rng = self.rng
        times = []
        for _i in range(n):
            # Inverse CDF of a density rising linearly from 1 to 1.3.
            u = rng.random()
            x = (-1 + math.sqrt(1 + 0.3 * 2 * u * 1.15)) / 0.3
            t = self.start + min(x, 1.0) * span
            if datetime.fromtimestamp(t, UTC).weekday() >= 5 and rng.random() < 0.5:
                t -= 2 * 86400  # weekends are quieter
            times.append(max(t, self.start))
        times.sort()
        yield from times

    def cases(self, stack: ExitStack) -> None:
        args, rng, now = self.args, self.rng, self.now
        case_out = Copy(
            stack,
            self.url,
            "cases_case",
            [
                "id",
                "customer_id",
                "subject",
                "description",
                "language",
                "channel",
                "received_at",
                "state",
                "owner_id",
                "team_id",
                "category_id",
                "product_line_id",
                "disputed_amount",
                "currency",
                "priority",
                "order_reference",
                "requested_remedy",
                "irritation",
                "exposure",
                "signals",
                "repeat_of_id",
                "commitment_due",
                "statutory_due",
                "statutory_rule",
                "statutory_extended",
                "answered_at",
                "acknowledged_at",
                "resolved_at",
                "closed_at",
                "statutory_alert",
                "commitment_alert",
                "created_at",
                "updated_at",
            ],
        )
        ev = Copy(
            stack,
            self.url,
            "cases_event",
            ["id", "case_id", "at", "actor_id", "kind", "visibility", "data"],
        )
        inv = Copy(
            stack,
            self.url,
            "resolution_investigation",
            ["id", "case_id", "root_cause_id", "fault", "findings", "updated_at", "updated_by_id"],
        )
        prop = Copy(
            stack,
            self.url,
            "resolution_proposal",
            ["id", "case_id", "message", "status", "created_by_id", "created_at", "decided_at"],
        )
        comp = Copy(
            stack,
            self.url,
            "resolution_compensation",
            [
                "id",
                "case_id",
                "kind",
                "amount",
                "currency",
                "status",
                "note",
                "proposed_by_id",
                "proposed_at",
                "approved_by_id",
                "approved_at",
                "paid_at",
            ],
        )
        rating = Copy(
            stack,
            self.url,
            "portal_satisfactionrating",
            ["id", "case_id", "outcome", "service", "comment", "rated_at", "changed_at"],
        )
        task = Copy(
            stack,
            self.url,
            "resolution_improvementtask",
            [
                "id",
                "case_id",
                "information",
                "location",
                "owner_id",
                "due",
                "done_at",
                "created_at",
            ],
        )
        self.prevention_candidates: dict[int, list[tuple[int, float, int]]] = {}
        ids = {"event": 0, "inv": 0, "prop": 0, "comp": 0, "rating": 0, "task": 0}
        per_case = args.events / max(args.cases, 1)
        started = time.time()

        def event(
            case_id: int, at: float, actor: int | None, kind: str, vis: str, data: str
        ) -> None:
            ids["event"] += 1
            ev.row(ids["event"], case_id, ts(at), actor, kind, vis, data)

        for case_id, t0 in enumerate(self.received_times(), start=1):
            cust = rng.randrange(1, self.customer_count + 1)
            country, kind, language = self.customer_info[cust]
            channel = pick(rng, CHANNELS)
            day = self.deadlines.local_day(country, t0)
            rule, statutory, consequence = self.deadlines.statutory(country, kind, day)
            commitment = self.deadlines.commitment(country, day, statutory)
            owner, team = rng.choice(
                self.agents_by_language.get(language) or self.agents_by_language["en"]
            )
            category = rng.choice(self.category_ids)
            line = rng.choice(self.line_ids)
            stuck = rng.random() < 0.02 and statutory is not None
            # The full timeline averages ~11.5 events; while the total is ahead of --events, a
            # case is "lean": no separate investigating step, no interim reply with a new next
            # step, and its root cause recorded in the same event as its fault.
            lean = ids["event"] > round(per_case * (case_id - 1))
            # The planned life of the case (seconds since epoch), cut at now below.
            timeline: list[tuple[float, int | None, str, str, str]] = []
            state_at: list[tuple[float, str]] = []
            vis_c, vis_i = "customer", "internal"

            def add(
                at: float, actor: int | None, k: str, vis: str, data: str, out: list[Any] = timeline
            ) -> None:
                out.append((at, actor, k, vis, data))

            def move(
                at: float,
                frm: str,
                to: str,
                k: str = "state_changed",
                reason: str = "",
                out: list[Any] = timeline,
                states: list[Any] = state_at,
                actor: int = owner,
            ) -> None:
                data = f'{{"from": "{frm}", "to": "{to}", "reason": {jstr(reason)}}}'
                out.append((at, actor, k, "customer", data))
                states.append((at, to))

            add(
                t0,
                None,
                "received",
                vis_c,
                f'{{"channel": "{channel}", "statutory_rule": "{rule}", "statutory_due": '
                f'{jstr(ts(statutory)) if statutory else "null"}, "commitment_due": {jstr(ts(commitment))}}}',
            )
            add(
                t0 + 1.5,
                None,
                "owner_assigned",
                vis_c,
                f'{{"owner_id": {owner}, "owner_name": "Agent", "automatic": true}}',
            )
            state_at.append((t0, "received"))
            t_ack = t0 + lognormal_hours(rng, 3, 1.0)
            move(t_ack, "received", "acknowledged", "acknowledged")
            t = t_ack
            state = "acknowledged"
            if not lean and rng.random() < 0.7:
                t += lognormal_hours(rng, 6)
                move(t, state, "investigating")
                state = "investigating"
            fault = pick(rng, FAULTS)
            cause = None
            if fault != "undetermined":
                cause = rng.choices(self.cause_ids, self.cause_weights)[0]
            t_inv = t + lognormal_hours(rng, 12)
            if cause is not None and not lean:
                add(
                    t_inv,
                    owner,
                    "investigated",
                    vis_i,
                    f'{{"change": "root_cause", "from_cause": null, "cause_id": {cause[0]}, '
                    f'"cause": {jstr(cause[1])}}}',
                )
            if cause is not None:
                extra = "" if not lean else f', "cause_id": {cause[0]}, "cause": {jstr(cause[1])}'
                add(
                    t_inv + 60,
                    owner,
                    "investigated",
                    vis_i,
                    f'{{"change": "fault", "from": "undetermined", "to": "{fault}", '
                    f'"findings": false{extra}}}',
                )
            commitments = [commitment]
            if not lean and rng.random() < 0.4:
                t_r = t + lognormal_hours(rng, 10)
                due = t_r + rng.choice([3, 5, 7]) * 86400
                if statutory is not None:
                    due = min(due, statutory)
                if due > t_r:
                    add(
                        t_r,
                        owner,
                        "reply",
                        vis_c,
                        '{"text": "We are looking into it.", "substantive": false}',
                    )
                    add(
                        t_r,
                        owner,
                        "commitment_set",
                        vis_c,
                        f'{{"from": {jstr(ts(commitments[-1]))}, "to": {jstr(ts(due))}, "note": ""}}',
                    )
                    commitments.append(due)
            # The substantive answer: a reply, or the proposal's move to resolution proposed.
            if stuck:
                assert statutory is not None
                t_answer = (
                    statutory + lognormal_hours(rng, 96) if rng.random() < 0.5 else now + 10**9
                )
                if statutory - AT_RISK_DAYS * 86400 > t0:
                    add(
                        statutory - AT_RISK_DAYS * 86400 + 300,
                        None,
                        "deadline_at_risk",
                        vis_i,
                        f'{{"deadline": "statutory", "due": {jstr(ts(statutory))}, "rule": "{rule}", "consequence": ""}}',
                    )
                add(
                    statutory + 600,
                    None,
                    "deadline_missed",
                    vis_i,
                    f'{{"deadline": "statutory", "due": {jstr(ts(statutory))}, "rule": "{rule}", "consequence": {jstr(consequence)}}}',
                )
            else:
                t_answer = t0 + lognormal_hours(rng, 60)
                t_answer = max(t_answer, t_ack + 600)
            answered_by_reply = rng.random() < 0.6
            if answered_by_reply:
                add(
                    t_answer,
                    owner,
                    "reply",
                    vis_c,
                    '{"text": "Here is what we found.", "substantive": true}',
                )
            t_prop = t_answer + (lognormal_hours(rng, 24) if answered_by_reply else 0)
            proposal = rng.random() < 0.55
            if proposal:
                ids["prop"] += 1
                pid = ids["prop"]
                add(
                    t_prop,
                    owner,
                    "proposal",
                    vis_c,
                    f'{{"change": "proposed", "proposal_id": {pid}, "options": []}}',
                )
            move(t_prop + 1, state, "resolution_proposed")
            state = "resolution_proposed"
            t_decided = t_prop + lognormal_hours(rng, 30)
            proposal_status = pick(rng, [("agreed", 0.8), ("declined", 0.15), ("withdrawn", 0.05)])
            if proposal:
                if proposal_status == "withdrawn":
                    add(
                        t_decided,
                        owner,
                        "proposal",
                        vis_c,
                        f'{{"change": "withdrawn", "proposal_id": {pid}, "reason": "Replaced."}}',
                    )
                else:
                    add(
                        t_decided,
                        None,
                        "proposal_decided",
                        vis_c,
                        f'{{"proposal_id": {pid}, "option_id": null, "decision": '
                        f'"{"accepted" if proposal_status == "agreed" else "declined"}", "via": "portal", '
                        f'"proposal_status": "{proposal_status}"}}',
                    )
            compensation = rng.random() < 0.15
            if compensation:
                ids["comp"] += 1
                comp_id = ids["comp"]
                comp_kind = pick(rng, COMPENSATION_KINDS)
                amount = round(rng.lognormvariate(4.5, 1.0), 2)
                t_cp = t_decided + 3600
                t_ca = t_cp + lognormal_hours(rng, 8)
                t_paid = t_ca + lognormal_hours(rng, 72)
                status = pick(rng, [("paid", 0.85), ("approved", 0.08), ("cancelled", 0.07)])
                add(
                    t_cp,
                    owner,
                    "compensation",
                    vis_i,
                    f'{{"change": "proposed", "compensation_id": {comp_id}, "kind": "{comp_kind}", "amount": "{amount}"}}',
                )
                if status != "cancelled":
                    add(
                        t_ca,
                        owner,
                        "compensation",
                        vis_i,
                        f'{{"change": "approved", "compensation_id": {comp_id}}}',
                    )
                if status == "paid":
                    add(
                        t_paid,
                        owner,
                        "compensation",
                        vis_i,
                        f'{{"change": "paid", "compensation_id": {comp_id}}}',
                    )
                else:
                    add(
                        t_ca,
                        owner,
                        "compensation",
                        vis_i,
                        f'{{"change": "cancelled", "compensation_id": {comp_id}, "reason": "Not due."}}',
                    )
            t_res = t_decided + lognormal_hours(rng, 48)
            move(t_res, state, "resolved")
            t_close = t_res + lognormal_hours(rng, 100)
            move(t_close, "resolved", "closed")
            t_end = t_close
            reopened = rng.random() < 0.015
            if reopened:
                t_re = t_close + lognormal_hours(rng, 240)
                move(t_re, "closed", "investigating", "reopened", "The customer wrote again.")
                t_p2 = t_re + lognormal_hours(rng, 48)
                move(t_p2, "investigating", "resolution_proposed")
                t_r2 = t_p2 + lognormal_hours(rng, 48)
                move(t_r2, "resolution_proposed", "resolved")
                t_c2 = t_r2 + lognormal_hours(rng, 100)
                move(t_c2, "resolved", "closed")
                t_end = t_c2
            rated = rng.random() < 0.25
            if rated:
                t_rated = t_close + lognormal_hours(rng, 72)
                outcome = rng.choices([1, 2, 3, 4, 5], [0.1, 0.1, 0.2, 0.3, 0.3])[0]
                service = min(5, max(1, outcome + rng.choice([-1, 0, 0, 1])))
                add(
                    t_rated,
                    None,
                    "rated",
                    vis_c,
                    f'{{"outcome": {outcome}, "service": {service}, "comment": "", "changed": false}}',
                )
            # Filler work up to the average number of events per case.
            wanted = round(per_case * case_id) - ids["event"] - len(timeline)
            span_end = max(min(t_end, now), t_ack + 3600)
            for _i in range(max(wanted, 0)):
                at = rng.uniform(t_ack, span_end)
                r = rng.random()
                if r < 0.55:
                    add(at, owner, "note", vis_i, '{"text": "Checked the order history."}')
                elif r < 0.8:
                    add(
                        at,
                        None,
                        "customer_message",
                        vis_c,
                        f'{{"message_id": null, "channel": "{channel}"}}',
                    )
                else:
                    add(
                        at,
                        owner,
                        "phone_call",
                        vis_i,
                        f'{{"summary": "Called the customer.", "direction": "outbound", "minutes": {rng.choice([5, 10, 15, 20])}}}',
                    )

            # Cut at now: what has happened so far.
            timeline.sort(key=lambda e: e[0])
            happened = [e for e in timeline if e[0] <= now]
            states = [s for s in sorted(state_at) if s[0] <= now]
            current = states[-1][1]
            acknowledged_at = answered_at = resolved_at = closed_at = None
            commitment_due = commitment
            statutory_alert = 0
            for at, _actor, k, _vis, data in happened:
                if k == "acknowledged":
                    acknowledged_at = at
                elif k == "reply" and '"substantive": true' in data and answered_at is None:
                    answered_at = at
                elif k == "commitment_set":
                    commitment_due = commitments[-1]
                elif k in ("state_changed", "reopened"):
                    if '"to": "resolution_proposed"' in data and answered_at is None:
                        answered_at = at
                    elif '"to": "resolved"' in data:
                        resolved_at = at
                    elif '"to": "closed"' in data:
                        closed_at = at
                    if k == "reopened":
                        resolved_at = closed_at = None
                        reopen_day = self.deadlines.local_day(country, at)
                        pending = (
                            statutory
                            if answered_at is None and statutory and statutory > at
                            else None
                        )
                        commitment_due = self.deadlines.commitment(country, reopen_day, pending)
                elif k == "deadline_at_risk":
                    statutory_alert = max(statutory_alert, 1)
                elif k == "deadline_missed":
                    statutory_alert = 2
            for at, actor, k, vis, data in happened:
                event(case_id, at, actor, k, vis, data)
            last = happened[-1][0]
            disputed = round(rng.lognormvariate(5, 1.2), 2) if rng.random() < 0.4 else None
            signals = (
                '{"reasons": [{"kind": "insult", "text": "idiots"}]}'
                if rng.random() < 0.003
                else "{}"
            )
            subject = rng.choice(SUBJECTS[language])
            case_out.row(
                case_id,
                cust,
                subject,
                q(subject + ". Please help."),
                language,
                channel,
                ts(t0),
                current,
                owner,
                team,
                category,
                line,
                disputed,
                "EUR",
                pick(rng, PRIORITIES),
                f"ORD-{rng.randrange(10**7):07d}" if rng.random() < 0.6 else "",
                "",
                round(rng.random(), 3),
                round(rng.random(), 3),
                signals,
                None,
                ts(commitment_due),
                ts(statutory) if statutory else None,
                rule,
                "f",
                ts(answered_at) if answered_at else None,
                ts(acknowledged_at) if acknowledged_at else None,
                ts(resolved_at) if resolved_at else None,
                ts(closed_at) if closed_at else None,
                statutory_alert,
                0,
                ts(t0),
                ts(last),
            )
            if acknowledged_at is not None:
                ids["inv"] += 1
                known = t_inv <= now
                inv.row(
                    ids["inv"],
                    case_id,
                    cause[0] if cause and known else None,
                    fault if known else "undetermined",
                    "",
                    ts(min(t_inv, now)),
                    owner,
                )
                if fault == "unclear_info" and known:
                    ids["task"] += 1
                    done = closed_at if closed_at else None
                    task.row(
                        ids["task"],
                        case_id,
                        "Installation leaflet",
                        "Product manual",
                        owner,
                        datetime.fromtimestamp(t_inv + 21 * 86400, UTC).date().isoformat(),
                        ts(done) if done else None,
                        ts(t_inv),
                    )
                if cause is not None and known:
                    self.prevention_candidates.setdefault(cause[0], []).append(
                        (case_id, t_inv, owner)
                    )
            if proposal and t_prop <= now:
                decided = t_decided <= now
                prop.row(
                    pid,
                    case_id,
                    "Please choose one of the options below.",
                    proposal_status if decided else "open",
                    owner,
                    ts(t_prop),
                    ts(t_decided) if decided else None,
                )
            if compensation and t_cp <= now:
                st = status
                if st == "paid" and t_paid > now:
                    st = "approved" if t_ca <= now else "proposed"
                elif st != "paid" and t_ca > now:
                    st = "proposed"
                comp.row(
                    comp_id,
                    case_id,
                    comp_kind,
                    amount,
                    "EUR",
                    st,
                    "",
                    owner,
                    ts(t_cp),
                    owner if st in ("approved", "paid") else None,
                    ts(t_ca) if st in ("approved", "paid") else None,
                    ts(t_paid) if st == "paid" else None,
                )
            if rated and t_rated <= now:
                ids["rating"] += 1
                rating.row(ids["rating"], case_id, outcome, service, "", ts(t_rated), None)
            if case_id % 50_000 == 0:
                rate = case_id / (time.time() - started)
                print(
                    f"  {case_id:,} cases, {ids['event']:,} events ({rate:,.0f} cases/s)",
                    flush=True,
                )
        for stream in (case_out, ev, inv, prop, comp, rating, task):
            stream.flush()
        self.counts |= {
            "cases_case": case_out.rows,
            "cases_event": ev.rows,
            "resolution_investigation": inv.rows,
            "resolution_proposal": prop.rows,
            "resolution_compensation": comp.rows,
            "portal_satisfactionrating": rating.rows,
            "resolution_improvementtask": task.rows,
        }

    def prevention(self, conn: psycopg.Connection) -> None:
        rng = self.rng
        n = 0
        for cause_id, _name in self.cause_ids[:20]:
            candidates = self.prevention_candidates.get(cause_id, [])
            if not candidates:
                continue
            for _i in range(2):
                case_id, at, owner = rng.choice(candidates)
                done = at + rng.uniform(7, 60) * 86400
                conn.execute(
                    "INSERT INTO resolution_preventionaction (title, due, done_at, case_id, "
                    "cause_id, owner_id) VALUES (%s, %s, %s, %s, %s, %s)",
                    [
                        "Fix the cause for good",
                        datetime.fromtimestamp(at + 30 * 86400, UTC).date(),
                        datetime.fromtimestamp(done, UTC) if done <= self.now else None,
                        case_id,
                        cause_id,
                        owner,
                    ],
                )
                n += 1
        self.counts["resolution_preventionaction"] = n


def timed(label: str, fn: Callable[[], Any]) -> Any:
    started = time.time()
    print(f"{label} ...", flush=True)
    result = fn()
    print(f"{label}: {time.time() - started:.1f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="amends_scale")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    began = time.time()
    url = timed(f"drop, create and migrate {args.db}", lambda: recreate_database(args.db))
    with psycopg.connect(url, autocommit=True) as conn:
        before = schema_fingerprint(conn)
        restore = drop_secondary(conn)
    gen = Generator(args, url)
    with psycopg.connect(url) as conn:
        gen.reference_data(conn)
    with ExitStack() as stack:
        timed("customers and their activity", lambda: gen.customers(stack))
    with ExitStack() as stack:
        timed("cases, events and ledgers (COPY)", lambda: gen.cases(stack))
    with psycopg.connect(url) as conn:
        gen.prevention(conn)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        for table in (
            "cases_case",
            "cases_customer",
            "resolution_proposal",
            "resolution_compensation",
            "portal_satisfactionrating",
            "resolution_investigation",
            "resolution_improvementtask",
            "insights_customeractivity",
            "cases_event",
        ):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT max(id) FROM {table}), 1))"
            )

        def rebuild() -> None:
            for statement in restore:
                t = time.time()
                conn.execute(statement)
                print(f"  {time.time() - t:6.1f} s  {statement[:110]}", flush=True)

        timed("indexes and constraints", rebuild)
        timed("VACUUM ANALYZE", lambda: conn.execute("VACUUM ANALYZE"))
        after = schema_fingerprint(conn)
        if sorted(before) != sorted(after):
            missing = set(before) ^ set(after)
            raise SystemExit(f"schema differs from the migrated one: {sorted(missing)[:5]}")
        size = conn.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database()))"
        ).fetchone()[0]
        print("\nrows:")
        for table in sorted(gen.counts):
            n = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            print(f"  {table:32} {n:>12,}")
    print(f"\nschema equals the migrated schema; database size {size}")
    print(f"total {time.time() - began:.0f} s")


if __name__ == "__main__":
    main()
