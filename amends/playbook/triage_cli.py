"""`amends triage [FILE|-] [--lang xx] [--channel C] [--subject S] [--json]`: triage one complaint
from a file or stdin and print the result, readable (in the staff UI language, taken from
AMENDS_UI_LANG or LANG) or as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from amends.playbook.cli import ui_language
from amends.playbook.language import SERVED
from amends.playbook.triage import Reason, Signal, Triage, load_triage_lexicon, triage


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="amends triage",
        description="Triage a complaint: irritation, public exposure, priority and advice.",
    )
    parser.add_argument(
        "file", nargs="?", default="-", help="complaint text file, or - for stdin (default)"
    )
    parser.add_argument(
        "--lang", choices=SERVED, help="language of the complaint (detected when omitted)"
    )
    parser.add_argument("--channel", help="channel it came in on (email, web, phone, social, ...)")
    parser.add_argument("--subject", default="", help="subject line of the complaint")
    parser.add_argument("--json", action="store_true", help="print the triage as JSON")
    return parser


def render(result: Triage) -> str:
    """The triage as text a person reads top to bottom, with every reason and its weight."""
    ui = load_triage_lexicon(result.ui_language).ui
    lines = [
        f"{ui['language']}: {result.language} ({result.language_confidence:.2f})    "
        f"{ui['priority']}: {ui.get(result.priority, result.priority)}",
    ]
    for signal, score in (
        (Signal.IRRITATION, result.irritation),
        (Signal.EXPOSURE, result.exposure),
    ):
        lines += ["", f"{ui[signal]}: {score:.2f}"]
        for reason in result.reasons_for(signal):
            lines.append(
                f"  +{reason.weight:.2f}  {ui.get(reason.kind, reason.kind)}{_where(reason)}"
            )
    lines += ["", f"{ui['category']}: {result.category or ui['none']}"]
    if result.category_match is not None:
        lines.append("  " + ", ".join(f'"{m.text}"' for m in result.category_match.evidence))
    lines += ["", f"{ui['priority']}: {ui.get(result.priority, result.priority)}"]
    for reason in result.reasons_for(Signal.PRIORITY):
        lines.append(f"  ! {ui.get(reason.kind, reason.kind)}{_where(reason)}")
    lines += ["", f"{ui['advice']}:"]
    if not result.advice:
        lines.append(f"  {ui['none']}")
    for advice in result.advice:
        lines.append(f"  -> {advice.text_ui}")
        if result.language != result.ui_language:
            lines.append(f"     ({result.language}) {advice.text}")
    return "\n".join(lines)


def _where(reason: Reason) -> str:
    match, detail = reason.match, reason.detail
    out = ""
    if match is not None:
        source = "" if match.source == "text" else f"{match.source} "
        out += f'  [{source}{match.start}-{match.end}] "{match.text}"'
    if detail:
        out += f"  ({detail})"
    return out


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed by argparse
        return int(exc.code or 0)
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        sys.stderr.write(f"amends triage: cannot read {args.file}: {exc}\n")
        return 2
    if not text.strip():
        sys.stderr.write("amends triage: the complaint is empty\n")
        return 2
    result = triage(
        text, lang=args.lang, channel=args.channel, subject=args.subject, ui_lang=ui_language()
    )
    if args.json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
