"""The `amends` command: serve, worker, demo, deadline, coach, triage, and every Django management command."""

from __future__ import annotations

import os
import sys

# Commands whose names cannot be Python module names live under another name.
ALIASES = {
    "import": "import_complaints",
    "register-export": "register_export",
    "poll-mail": "poll_mail",
    "embed-cases": "embed_cases",
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "coach":
        # The coach is pure Python: no Django start-up, no database.
        from amends.playbook.cli import main as coach_main

        return coach_main(args[1:])
    if args and args[0] == "triage":
        from amends.playbook.triage_cli import main as triage_main

        return triage_main(args[1:])
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    elif args[:1] == ["help"] and len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amends.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["amends", *(args or ["help"])])
    return 0


if __name__ == "__main__":
    sys.exit(main())
