"""The `amends` command: serve, worker, demo, deadline, coach, and every Django management command."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "coach":
        # The coach is pure Python: no Django start-up, no database.
        from amends.playbook.cli import main as coach_main

        return coach_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amends.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["amends", *(args or ["help"])])
    return 0


if __name__ == "__main__":
    sys.exit(main())
