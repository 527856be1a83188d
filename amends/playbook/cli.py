"""`amends coach [FILE|-] [--lang xx] [--owner NAME] [--today YYYY-MM-DD] [--json]`: check one
reply from a file or stdin and print the review, readable (in the staff UI language, taken
from AMENDS_UI_LANG or LANG) or as JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from amends.playbook.coach import check_reply
from amends.playbook.language import SERVED
from amends.playbook.lexicon import load_lexicon
from amends.playbook.review import Context, Review


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from exc


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="amends coach",
        description="Check a reply against the complaint-handling playbook.",
    )
    parser.add_argument(
        "file", nargs="?", default="-", help="reply text file, or - for stdin (default)"
    )
    parser.add_argument(
        "--lang", choices=SERVED, help="language of the reply (detected when omitted)"
    )
    parser.add_argument("--owner", help="name of the case owner, who should sign the reply")
    parser.add_argument(
        "--today", type=_iso_date, help="date the reply is written (default: today)"
    )
    parser.add_argument("--json", action="store_true", help="print the review as JSON")
    return parser


def ui_language() -> str:
    """The staff user's language for labels and advice: AMENDS_UI_LANG, then LANG, then en."""
    for name in ("AMENDS_UI_LANG", "LC_ALL", "LANG"):
        code = os.environ.get(name, "")[:2].lower()
        if code in SERVED:
            return code
    return "en"


def render(review: Review) -> str:
    """The review as text a person reads top to bottom."""
    ui = load_lexicon(review.ui_language).ui
    lines = [
        f"{ui['language']}: {review.language} ({review.language_confidence:.2f})    "
        f"{ui['score']}: {review.score}/100",
        "",
        f"{ui['elements']}:",
    ]
    for kind, element in review.elements.items():
        mark = "[x]" if element.present else ("[ ]" if element.required else "[-]")
        line = f"  {mark} {ui.get(kind, kind)}"
        if element.present:
            if element.date is not None:
                line += f"  {ui['date']} {element.date.isoformat()}"
            line += f'  "{element.evidence[0].text}"'
        lines.append(line)
        if not element.present and element.required:
            lines.extend(_advice_lines(element.advice_ui, element.advice, review))
    for title, findings in ((ui["flags"], review.flags), (ui["checks"], review.checks)):
        lines += ["", f"{title}:"]
        if not findings:
            lines.append(f"  {ui['none']}")
        for finding in findings:
            where = f'  [{finding.start}-{finding.end}] "{finding.text}"' if finding.end else ""
            lines.append(f"  ! {ui.get(finding.kind, finding.kind)}{where}")
            lines.extend(_advice_lines(finding.advice_ui, finding.advice, review))
    if review.deductions:
        parts = " ".join(f"- {d.points} ({ui.get(d.kind, d.kind)})" for d in review.deductions)
        lines += ["", f"{ui['score']}: 100 {parts} = {review.score}"]
    return "\n".join(lines)


def _advice_lines(advice_ui: str | None, advice: str | None, review: Review) -> list[str]:
    lines = [f"      -> {advice_ui}"] if advice_ui else []
    if advice and review.language != review.ui_language:
        lines.append(f"      ({review.language}) {advice}")
    return lines


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed by argparse
        return int(exc.code or 0)
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"amends coach: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    if not text.strip():
        print("amends coach: the reply is empty", file=sys.stderr)
        return 2
    context = Context(owner=args.owner, today=args.today)
    review = check_reply(text, args.lang, context, ui_lang=ui_language())
    if args.json:
        print(json.dumps(review.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render(review))
    return 0


if __name__ == "__main__":
    sys.exit(main())
