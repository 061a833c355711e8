"""Read a plan document from the command line, and save it as a draft plan of an agency.

    manage.py import_plan FILE --dry-run --json        # the contract's JSON, nothing saved
    manage.py import_plan FILE --agency sngv-binhphuoc # saved as a draft; prints a summary
    manage.py import_plan FILE --agency SNgV --json    # saved; the JSON with "plan_id"

A file that cannot be read stops with exit status 1 and one line on standard error.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q

from accounts.models import Agency, User
from documents import importer
from documents.import_forms import max_upload_bytes
from documents.reader.source import Unreadable
from plans.actions import ActionError


class Command(BaseCommand):
    help = "Read a plan (.docx, .pdf, .txt, .md) and print what was read, or save it as a draft plan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The document to read.")
        parser.add_argument("--dry-run", action="store_true", help="Only read the document; save nothing.")
        parser.add_argument("--json", action="store_true", help="Print only the JSON of what was read.")
        parser.add_argument("--agency", help="The agency the plan is saved for: its code or abbreviation.")
        parser.add_argument("--user", help="The username recorded as the one who imported the plan.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        # A file the reader trips on is logged with its traceback for the developers; here
        # the one line on standard error is enough, unless asked for more (-v 2).
        quiet = options["verbosity"] < 2
        log = logging.getLogger("documents.importer")
        disabled, log.disabled = log.disabled, quiet
        try:
            self.run(path, options)
        finally:
            log.disabled = disabled

    def run(self, path: Path, options: dict[str, Any]) -> None:
        agency = user = None
        if not options["dry_run"]:
            if not options["agency"]:
                raise CommandError("Give --agency (its code or abbreviation) to save the plan, or use --dry-run.")
            agency = find_agency(options["agency"])
            user = find_user(options["user"]) if options["user"] else None
        data = read_file(path)
        if agency is None:
            try:
                result, _source = importer.read(path.name, data)
            except Unreadable as error:
                raise CommandError(one_line(f"{path.name}: {error}")) from error
            self.print_result(result, options["json"])
            return
        # One transaction: a document that cannot be saved leaves nothing behind.
        with transaction.atomic():
            try:
                plan_import = importer.start_import(agency, user, path.name, data)
            except Unreadable as error:
                raise CommandError(one_line(f"{path.name}: {error}")) from error
            result = plan_import.result
            edited = importer.normalise(result)
            if not edited["document"]["title"]:
                # A plan needs a title; the file's name says which document it came from.
                edited["document"]["title"] = path.stem
                self.stderr.write(f"No title was read; the plan is titled “{path.stem}”.")
            try:
                plan = importer.save_plan(plan_import, edited, plan_import.unit_map, user)
            except ActionError as error:
                raise CommandError(one_line(str(error))) from error
        if options["json"]:
            self.print_result({**result, "plan_id": plan.pk}, True)
            return
        self.print_result(result, False)
        self.stdout.write(f"Saved draft plan {plan.pk}: {plan.title} ({agency.short_name}).")

    def print_result(self, result: dict[str, Any], as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        document = result["document"]
        lines = [
            f"Type: {document['type'] or '-'}   Number: {document['symbol'] or '-'}   Date: {document['date'] or '-'}",
            f"Title: {document['title'] or '-'}",
            f"Year: {document['year'] or '-'}   Issuer: {document['issuer'] or '-'}",
            f"Legal bases: {len(result['legal_bases'])}   Sections: {count_sections(result['sections'])}   "
            f"Tasks: {len(result['tasks'])}   Targets: {len(result['targets'])}",
        ]
        self.stdout.write("\n".join(lines))


def count_sections(sections: list[dict[str, Any]]) -> int:
    return sum(1 + count_sections(section["children"]) for section in sections)


def one_line(text: str) -> str:
    return " ".join(text.split())


def read_file(path: Path) -> bytes:
    limit = max_upload_bytes()
    try:
        if path.is_file() and path.stat().st_size > limit:
            raise CommandError(f"{path}: larger than {limit / 1024 / 1024:g} MB (PLAN_IMPORT_MAX_MB), not read.")
        return path.read_bytes()
    except FileNotFoundError as error:
        raise CommandError(f"{path}: no such file.") from error
    except IsADirectoryError as error:
        raise CommandError(f"{path}: is a folder, not a file.") from error
    except OSError as error:
        raise CommandError(one_line(f"{path}: cannot be read ({error.strerror or error}).")) from error


def find_agency(value: str) -> Agency:
    agencies = list(Agency.objects.current().filter(Q(code__iexact=value) | Q(abbreviation__iexact=value))[:3])
    exact = [agency for agency in agencies if agency.code.lower() == value.lower()]
    if exact:
        return exact[0]
    if not agencies:
        raise CommandError(f"No agency in force has the code or abbreviation “{value}”.")
    if len(agencies) > 1:
        raise CommandError(f"Several agencies use the abbreviation “{value}”: give the agency's code.")
    return agencies[0]


def find_user(username: str) -> User:
    user = User.objects.filter(username__iexact=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user is called “{username}”.")
    return user
