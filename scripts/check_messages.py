"""Fail when the translation catalogues are stale: a string in the code missing from a .po file,
an untranslated or fuzzy entry, or a .mo file older than its .po. Leaves the .po files unchanged."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "amends" / "locale"
LANGUAGES = ("pl", "bg", "fi")


def entries(po: Path) -> dict[str, tuple[bool, bool]]:
    """msgid (with context) -> (translated, fuzzy)."""
    text = po.read_text(encoding="utf-8")
    result: dict[str, tuple[bool, bool]] = {}
    for block in text.split("\n\n"):
        if "msgid" not in block or block.lstrip().startswith("#~"):
            continue
        fuzzy = "#, fuzzy" in block or ", fuzzy" in block
        ctx = "".join(re.findall(r'^msgctxt "(.*)"', block, re.M))
        msgid = "".join(_strings(block, "msgid"))
        if not msgid:
            continue
        strs = [
            s
            for key in ("msgstr", "msgstr[0]", "msgstr[1]", "msgstr[2]")
            for s in _strings(block, key)
        ]
        result[ctx + "\x04" + msgid] = ("".join(strs) != "", fuzzy)
    return result


def _strings(block: str, key: str) -> list[str]:
    lines = block.splitlines()
    out: list[str] = []
    active = False
    for line in lines:
        if line.startswith(key + " "):
            active = True
            out.append(line[len(key) + 1 :].strip()[1:-1])
        elif active and line.startswith('"'):
            out.append(line.strip()[1:-1])
        else:
            active = False if line.startswith("msg") else active
    return out


def main() -> int:
    if shutil.which("msgfmt") is None:
        print("check_messages: gettext is not installed (apt-get install gettext)", file=sys.stderr)
        return 1
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / "locale"
        shutil.copytree(LOCALE, saved)
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="amends.settings",
            AMENDS_DATA_DIR=str(Path(tmp) / "data"),
        )
        cmd = [sys.executable, "-m", "django", "makemessages", "--no-obsolete", "-v", "0"]
        cmd += [arg for lang in LANGUAGES for arg in ("-l", lang)]
        try:
            subprocess.run(cmd, cwd=ROOT / "amends", env=env, check=True)
            for lang in LANGUAGES:
                fresh = entries(LOCALE / lang / "LC_MESSAGES" / "django.po")
                committed = entries(saved / lang / "LC_MESSAGES" / "django.po")
                for key, (_translated, _fuzzy) in sorted(fresh.items()):
                    shown = key.split("\x04", 1)[1][:70]
                    if key not in committed:
                        problems.append(f"{lang}: not in the catalogue: {shown!r}")
                    elif not committed[key][0]:
                        problems.append(f"{lang}: untranslated: {shown!r}")
                    elif committed[key][1]:
                        problems.append(f"{lang}: fuzzy: {shown!r}")
        finally:
            shutil.rmtree(LOCALE)
            shutil.copytree(saved, LOCALE)
    for lang in LANGUAGES:
        po = LOCALE / lang / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        out = Path(tempfile.mkdtemp()) / "check.mo"
        subprocess.run(["msgfmt", "--check", "-o", str(out), str(po)], check=True)
        if not mo.exists() or mo.read_bytes() != out.read_bytes():
            problems.append(
                f"{lang}: {mo.relative_to(ROOT)} is not compiled from the current .po (run compilemessages)"
            )
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        print(f"check_messages: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("check_messages: catalogues complete for " + ", ".join(LANGUAGES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
