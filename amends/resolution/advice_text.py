"""The advisors' words: reason and evidence codes from amends.resolution.advisors as sentences
in the staff member's language, and the numbers as labelled rows for the templates."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from amends.resolution.advisors import (
    ConcessionAdvice,
    Evidence,
    LetGoAdvice,
    Reason,
    Recommendation,
)

RECOMMENDATION_LABELS = {
    Recommendation.CONCEDE: gettext_lazy("Concede"),
    Recommendation.COMPROMISE: gettext_lazy("Look for a compromise"),
    Recommendation.PERSUADE: gettext_lazy("Explain and persuade politely"),
    Recommendation.LET_GO: gettext_lazy("Let go"),
}
RECOMMENDATION_SUMMARIES = {
    Recommendation.CONCEDE: gettext_lazy(
        "Accept the customer's claim: it costs less than the dispute would."
    ),
    Recommendation.COMPROMISE: gettext_lazy(
        "Agree a solution both sides accept, e.g. meet the customer part of the way."
    ),
    Recommendation.PERSUADE: gettext_lazy(
        "Explain the details calmly and try to convince the customer, without proving them wrong."
    ),
    Recommendation.LET_GO: gettext_lazy(
        "The same dispute keeps coming back: consider ending the relationship (a manager decides)."
    ),
}


@dataclass(frozen=True)
class Row:
    label: str
    value: str


@dataclass(frozen=True)
class ConcessionView:
    """What the advisor partial shows: the recommendation, the numbers and the reasons."""

    recommendation: str
    label: str
    summary: str
    rows: list[Row]
    reasons: list[str]


@dataclass(frozen=True)
class EvidenceView:
    code: str
    met: bool
    text: str
    references: tuple[str, ...]


def money(value: Decimal | int | str | None) -> str:
    return "—" if value is None else number_format(Decimal(value), 2, use_l10n=True)


def percent(value: Decimal | int | str | None) -> str:
    if value is None:
        return "—"
    # Translators: a percentage, e.g. "0.10 %" (write it as your language does: "0,10%").
    return _("%(number)s %%") % {"number": number_format(Decimal(value) * 100, 2, use_l10n=True)}


def reason_text(reason: Reason) -> str:
    p = reason.params
    code = reason.code
    if code == "fault_ours":
        return _(
            "The problem was ours (or our information was unclear): admit it and put it right."
        )
    if code == "dispute_repeats":
        return ngettext(
            "The same dispute has come back %(repeats)s time (limit %(limit)s).",
            "The same dispute has come back %(repeats)s times (limit %(limit)s).",
            int(p["repeats"]),
        ) % {"repeats": p["repeats"], "limit": p["limit"]}
    if code == "share_small":
        return _(
            "What is at stake is %(share)s of the customer's annual value, at most %(limit)s."
        ) % {"share": percent(p["share"]), "limit": percent(p["limit"])}
    if code == "fight_costs_more":
        return _("Handling the dispute costs %(cost)s, at least the disputed %(amount)s.") % {
            "cost": money(p["cost"]),
            "amount": money(p["amount"]),
        }
    if code == "share_large":
        return _(
            "What is at stake is %(share)s of the customer's annual value, at least %(limit)s, "
            "and the fault is not ours."
        ) % {"share": percent(p["share"]), "limit": percent(p["limit"])}
    if code == "unfounded_history":
        return ngettext(
            "The customer has made %(count)s unfounded complaint before (limit %(limit)s).",
            "The customer has made %(count)s unfounded complaints before (limit %(limit)s).",
            int(p["unfounded"]),
        ) % {"count": p["unfounded"], "limit": p["limit"]}
    if code == "in_between":
        return _("The amount is neither small nor large for this customer.")
    if code == "value_unknown":
        return _("The customer's annual value is not known, so the share cannot be weighed.")
    if code == "compensation_counted":
        return _("Compensation already given this year (%(given)s) is counted in the share.") % {
            "given": money(p["given"])
        }
    if code == "fault_undetermined":
        return _("The fault is not determined yet: finish the investigation first.")
    if code == "fault_third_party":
        return _("A third party caused the problem: the complaint is founded, even if not ours.")
    if code == "exceeds_margin":
        return _("The disputed amount exceeds a year's margin from this customer (%(margin)s).") % {
            "margin": money(p["margin"])
        }
    if code == "mostly_founded":
        return _("%(founded)s of the customer's %(total)s earlier complaints were founded.") % {
            "founded": p["founded"],
            "total": p["total"],
        }
    return code


def concession_rows(advice: ConcessionAdvice) -> list[Row]:
    n = advice.numbers
    rows = [
        Row(_("Disputed amount"), money(n["disputed_amount"])),
        Row(_("Annual value"), money(n["annual_value"])),
        Row(_("Compensation given this year"), money(n["compensation_given"])),
        Row(_("Share of annual value"), percent(n["share"])),
        Row(_("Handling hours"), number_format(Decimal(n["handling_hours"] or 0), 1)),
        Row(_("Hourly rate"), money(n["hourly_rate"])),
        Row(_("Cost of fighting"), money(n["fight_cost"])),
    ]
    if n["margin_at_stake"] is not None:
        rows.append(Row(_("Yearly margin at stake"), money(n["margin_at_stake"])))
    rows.append(
        Row(
            _("Earlier complaints (founded / unfounded)"),
            f"{n['complaints']} ({n['founded']} / {n['unfounded']})",
        )
    )
    rows.append(Row(_("Same dispute before"), str(n["same_dispute_repeats"])))
    return rows


def present_concession(advice: ConcessionAdvice) -> ConcessionView:
    return ConcessionView(
        recommendation=str(advice.recommendation),
        label=str(RECOMMENDATION_LABELS[advice.recommendation]),
        summary=str(RECOMMENDATION_SUMMARIES[advice.recommendation]),
        rows=concession_rows(advice),
        reasons=[reason_text(r) for r in advice.reasons],
    )


def evidence_text(evidence: Evidence) -> str:
    p = evidence.params
    if evidence.code == "unfounded":
        return ngettext(
            "%(count)s unfounded complaint (limit %(limit)s).",
            "%(count)s unfounded complaints (limit %(limit)s).",
            int(p["count"]),
        ) % {"count": p["count"], "limit": p["limit"]}
    if evidence.code == "abusive":
        return ngettext(
            "Insults in %(count)s case (limit %(limit)s).",
            "Insults in %(count)s cases (limit %(limit)s).",
            int(p["count"]),
        ) % {"count": p["count"], "limit": p["limit"]}
    if evidence.code == "handling_cost":
        return _(
            "Handling cost %(cost)s (%(hours)s h at %(rate)s) against an annual value of %(value)s."
        ) % {
            "cost": money(p["cost"]),
            "hours": number_format(Decimal(p["hours"]), 1),
            "rate": money(p["rate"]),
            "value": money(p["annual_value"]),
        }
    return evidence.code


def present_let_go(advice: LetGoAdvice) -> list[EvidenceView]:
    return [EvidenceView(e.code, e.met, evidence_text(e), e.references) for e in advice.evidence]
