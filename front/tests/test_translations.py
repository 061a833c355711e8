import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

ROOT = Path(settings.BASE_DIR)
SKIP = shutil.ignore_patterns(".venv", ".git", "media", "staticfiles", "test-artifacts", "*.sqlite3*", "__pycache__")


def entries(po: Path, *flags: str) -> list[str]:
    out = subprocess.run(["msgattrib", *flags, "--no-obsolete", str(po)], capture_output=True, text=True, check=True)
    return [line for line in out.stdout.splitlines() if line.startswith("msgid ")][1:]  # [0] is the header


class TranslationsTestCase(SimpleTestCase):
    def test_it_translates_every_string_of_the_code(self) -> None:
        """Extract the strings again, in a copy of the tree, and check the Vietnamese catalogue covers them."""
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "src"
            shutil.copytree(ROOT, copy, ignore=SKIP)
            env = {**os.environ, "DEBUG": "1"}
            subprocess.run(
                [
                    sys.executable,
                    "manage.py",
                    "makemessages",
                    "-l",
                    "vi",
                    "--no-obsolete",
                    "-v",
                    "0",
                    "--ignore=*/tests/*",
                    "--ignore=bench",
                ],
                cwd=copy,
                env=env,
                check=True,
            )
            po = copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"
            self.assertEqual(entries(po, "--untranslated"), [], "Run `make messages` and translate these")
            self.assertEqual(entries(po, "--only-fuzzy"), [], "Review these fuzzy translations")
