"""The concession (D-5) and let-go (E-4) advisors: pure functions over plain values.

No ORM and no translation here: amends.resolution.history gathers the inputs from the database,
amends.resolution.advice_text turns the reason codes into sentences. The advice is a
recommendation with its numbers and reasons, never an automatic decision.

The concession rule, first match wins (settings are ResolutionSettings):

1. fault ours or unclear information from us            -> concede   (B-2, A-4)
2. the same dispute has come back >= repeat_limit times  -> let go    (D-5 "if it keeps repeating")
3. share <= concede_share                                -> concede   (D-5 "worth one million")
4. cost of fighting >= disputed amount                   -> concede
5. share >= persuade_share, fault the customer's or none -> persuade politely (D-5 "paying 10,000")
6. in between, fault the customer's or none and at least
   unfounded_limit earlier unfounded complaints          -> persuade politely
7. otherwise                                             -> compromise

where share = (disputed amount + compensation already given this year) / annual value and the
cost of fighting = handling hours x hourly rate. With no annual value known the share is not
defined: rules 3 and 5 are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

ZERO = Decimal(0)

# Fault values as amends.resolution.models.Fault stores them (plain strings: no Django here).
FAULT_OURS = frozenset({"ours", "unclear_info"})
FAULT_NOT_OURS = frozenset({"customer", "none"})
FOUNDED = frozenset({"ours", "unclear_info", "third_party"})
UNFOUNDED = FAULT_NOT_OURS

# Let-go: abusive messages in this many cases are a pattern, not one bad day.
ABUSIVE_CASE_LIMIT = 2
# Let-go score: the weight of each signal, out of 100, reached in full when the signal is on.
SCORE_UNFOUNDED, SCORE_ABUSIVE, SCORE_COST = 40, 30, 30


class Recommendation(StrEnum):
    CONCEDE = "concede"
    COMPROMISE = "compromise"
    PERSUADE = "persuade"
    LET_GO = "let_go"


@dataclass(frozen=True)
class Thresholds:
    """The organisation's advisor settings (ResolutionSettings without the approval limits)."""

    concede_share: Decimal = Decimal("0.01")
    persuade_share: Decimal = Decimal("0.05")
    repeat_limit: int = 3
    unfounded_limit: int = 3


@dataclass(frozen=True)
class CustomerHistory:
    """The customer's earlier complaints (not counting the one being advised on)."""

    complaints: int = 0
    founded: int = 0
    unfounded: int = 0
    same_dispute_repeats: int = 0
    compensation_given: Decimal = ZERO


@dataclass(frozen=True)
class Reason:
    """Why: a code (advice_text words it), the numbers it quotes, and whether it decided."""

    code: str
    params: dict[str, str | int | Decimal] = field(default_factory=dict)
    decisive: bool = False


@dataclass(frozen=True)
class ConcessionInput:
    disputed_amount: Decimal
    annual_value: Decimal
    handling_hours: Decimal
    hourly_rate: Decimal
    fault: str = "undetermined"
    history: CustomerHistory = field(default_factory=CustomerHistory)
    # The customer's yearly margin as a share of the annual value, when known (0.2 = 20%).
    margin_rate: Decimal | None = None


@dataclass(frozen=True)
class ConcessionAdvice:
    recommendation: Recommendation
    numbers: dict[str, Decimal | int | None]
    reasons: list[Reason]

    @property
    def decisive(self) -> Reason:
        return next(r for r in self.reasons if r.decisive)


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    """The exact share (rules compare it); numbers show it rounded to 0.01 %."""
    return part / whole if whole > 0 else None


def _shown(share: Decimal | None) -> Decimal | None:
    return share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) if share is not None else None


def advise_concession(data: ConcessionInput, thresholds: Thresholds) -> ConcessionAdvice:
    """Concede, compromise, persuade politely or let go: the rule in the module docstring."""
    if data.disputed_amount < 0 or data.annual_value < 0 or data.handling_hours < 0:
        raise ValueError("amounts and hours cannot be negative")
    history = data.history
    fight_cost = _money(data.handling_hours * data.hourly_rate)
    at_stake = data.disputed_amount + history.compensation_given
    share = _share(at_stake, data.annual_value)
    dispute_share = _share(data.disputed_amount, data.annual_value)
    margin = _money(data.annual_value * data.margin_rate) if data.margin_rate is not None else None
    numbers: dict[str, Decimal | int | None] = {
        "disputed_amount": _money(data.disputed_amount),
        "annual_value": _money(data.annual_value),
        "dispute_share": _shown(dispute_share),
        "compensation_given": _money(history.compensation_given),
        "share": _shown(share),
        "concede_share": thresholds.concede_share,
        "persuade_share": thresholds.persuade_share,
        "handling_hours": data.handling_hours.quantize(Decimal("0.1")),
        "hourly_rate": _money(data.hourly_rate),
        "fight_cost": fight_cost,
        "margin_at_stake": margin,
        "complaints": history.complaints,
        "founded": history.founded,
        "unfounded": history.unfounded,
        "same_dispute_repeats": history.same_dispute_repeats,
        "repeat_limit": thresholds.repeat_limit,
    }
    reasons: list[Reason] = []
    ours = data.fault in FAULT_OURS
    not_ours = data.fault in FAULT_NOT_OURS
    decided: Recommendation | None = None

    def decide(code: str, recommendation: Recommendation, **params: str | int | Decimal) -> None:
        nonlocal decided
        if decided is None:
            decided = recommendation
            reasons.insert(0, Reason(code, params, decisive=True))

    if ours:
        decide("fault_ours", Recommendation.CONCEDE, fault=data.fault)
    if history.same_dispute_repeats >= thresholds.repeat_limit:
        decide(
            "dispute_repeats",
            Recommendation.LET_GO,
            repeats=history.same_dispute_repeats,
            limit=thresholds.repeat_limit,
        )
    if share is not None and share <= thresholds.concede_share:
        decide(
            "share_small",
            Recommendation.CONCEDE,
            share=_shown(share) or ZERO,
            limit=thresholds.concede_share,
        )
    if fight_cost >= data.disputed_amount:
        decide(
            "fight_costs_more",
            Recommendation.CONCEDE,
            cost=fight_cost,
            amount=_money(data.disputed_amount),
        )
    if share is not None and share >= thresholds.persuade_share and not_ours:
        decide(
            "share_large",
            Recommendation.PERSUADE,
            share=_shown(share) or ZERO,
            limit=thresholds.persuade_share,
        )
    if not_ours and history.unfounded >= thresholds.unfounded_limit:
        decide(
            "unfounded_history",
            Recommendation.PERSUADE,
            unfounded=history.unfounded,
            limit=thresholds.unfounded_limit,
        )
    decide("in_between", Recommendation.COMPROMISE)

    # Context the person deciding should see, whatever decided.
    if share is None:
        reasons.append(Reason("value_unknown"))
    elif history.compensation_given > 0:
        reasons.append(
            Reason("compensation_counted", {"given": _money(history.compensation_given)})
        )
    if data.fault == "undetermined":
        reasons.append(Reason("fault_undetermined"))
    elif data.fault == "third_party":
        reasons.append(Reason("fault_third_party"))
    if margin is not None and data.disputed_amount > margin:
        reasons.append(Reason("exceeds_margin", {"margin": margin}))
    if history.complaints and history.founded > history.unfounded:
        reasons.append(
            Reason("mostly_founded", {"founded": history.founded, "total": history.complaints})
        )
    assert decided is not None  # the last rule always decides
    return ConcessionAdvice(decided, numbers, reasons)


# --- let go (E-4) --------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRecord:
    """One of the customer's cases as the let-go advisor sees it."""

    reference: str
    fault: str = "undetermined"
    handling_hours: Decimal = ZERO
    abusive: bool = False  # triage found insults in what the customer wrote


@dataclass(frozen=True)
class LetGoInput:
    annual_value: Decimal
    hourly_rate: Decimal
    cases: tuple[CaseRecord, ...]


@dataclass(frozen=True)
class Evidence:
    """One signal: a code (advice_text words it), the cases behind it, the numbers, and on/off."""

    code: str
    references: tuple[str, ...]
    params: dict[str, str | int | Decimal]
    met: bool


@dataclass(frozen=True)
class LetGoAdvice:
    recommended: bool
    evidence: list[Evidence]
    score: int

    def to_json(self) -> dict[str, object]:
        """For LetGoDecision.evidence: what the manager saw when deciding."""
        return {
            "recommended": self.recommended,
            "score": self.score,
            "evidence": [
                {
                    "code": e.code,
                    "references": list(e.references),
                    "params": {k: str(v) for k, v in e.params.items()},
                    "met": e.met,
                }
                for e in self.evidence
            ],
        }


def advise_let_go(data: LetGoInput, thresholds: Thresholds) -> LetGoAdvice:
    """Suggest ending the relationship, with the evidence (E-4). Three signals:

    - unfounded: at least unfounded_limit complaints with fault the customer's or none;
    - abusive: insults in what the customer wrote, in at least ABUSIVE_CASE_LIMIT cases;
    - cost: handling all their cases (hours x rate) costs at least their annual value
      (when the annual value is known, i.e. not 0).

    Recommended when the unfounded or the abusive signal is on, or when the cost signal is on
    together with at least one unfounded or abusive case: a customer who costs more than they
    bring but whose complaints were founded is our problem to fix, not a customer to let go.
    The score (0-100) orders the candidates: each signal adds its weight in proportion to how
    close it is to its limit.
    """
    unfounded = tuple(c.reference for c in data.cases if c.fault in UNFOUNDED)
    abusive = tuple(c.reference for c in data.cases if c.abusive)
    hours = sum((c.handling_hours for c in data.cases), ZERO)
    cost = _money(hours * data.hourly_rate)
    limit = max(thresholds.unfounded_limit, 1)
    unfounded_on = len(unfounded) >= limit
    abusive_on = len(abusive) >= ABUSIVE_CASE_LIMIT
    # An annual value of 0 means "not known" (the field's default): no cost signal then.
    cost_on = data.annual_value > 0 and cost >= data.annual_value
    evidence = [
        Evidence("unfounded", unfounded, {"count": len(unfounded), "limit": limit}, unfounded_on),
        Evidence(
            "abusive", abusive, {"count": len(abusive), "limit": ABUSIVE_CASE_LIMIT}, abusive_on
        ),
        Evidence(
            "handling_cost",
            tuple(c.reference for c in data.cases),
            {
                "hours": hours.quantize(Decimal("0.1")),
                "rate": _money(data.hourly_rate),
                "cost": cost,
                "annual_value": _money(data.annual_value),
            },
            cost_on,
        ),
    ]
    recommended = unfounded_on or abusive_on or (cost_on and bool(unfounded or abusive))
    cost_part = min(Decimal(1), cost / data.annual_value) if data.annual_value > 0 else ZERO
    score = (
        SCORE_UNFOUNDED * min(Decimal(1), Decimal(len(unfounded)) / limit)
        + SCORE_ABUSIVE * min(Decimal(1), Decimal(len(abusive)) / ABUSIVE_CASE_LIMIT)
        + SCORE_COST * cost_part
    )
    return LetGoAdvice(recommended, evidence, int(score.to_integral_value(ROUND_HALF_UP)))
