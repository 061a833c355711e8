"""Import a file of dossiers (canonical CSV/XLSX or a mapped export) for one agency.

    manage.py import_dossiers ho-so.csv --agency so-ngoai-vu
    manage.py import_dossiers export.xlsx --agency SNgV --mapping "Cổng DVC tỉnh" --user admin

The file is streamed, so there is no size limit. Exit code 0 when every row was
imported, 1 when rows were rejected (they are listed with their line numbers),
2 when the file could not be imported at all (nothing of it was stored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from accounts.models import Agency, User
from services import dossier_import
from services.models import ColumnMapping, ImportStatus, MappingTarget


class Command(BaseCommand):
    help = "Import dossiers from a CSV or XLSX file (canonical columns or a saved column mapping)."
    # A data command run file after file: the system checks (about a second each time) belong to deploys.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .csv or .xlsx file.")
        parser.add_argument("--agency", help="The agency's code or abbreviation (required when there are several).")
        parser.add_argument("--mapping", help="The name of a saved column mapping for dossiers.")
        parser.add_argument("--user", help="The username recorded as the person who imported.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}", returncode=2)
        agency = self.agency(options["agency"])
        mapping = None
        if options["mapping"]:
            mapping = ColumnMapping.objects.filter(target=MappingTarget.DOSSIERS, name=options["mapping"]).first()
            if mapping is None:
                names = ", ".join(
                    ColumnMapping.objects.filter(target=MappingTarget.DOSSIERS).values_list("name", flat=True)
                )
                raise CommandError(
                    f"No dossier mapping named {options['mapping']!r}. Saved: {names or '—'}.", returncode=2
                )
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.", returncode=2)
        with path.open("rb") as file:
            run = dossier_import.run_import(file, path.name, agency, mapping=mapping, user=user)
        if run.status == ImportStatus.FAILED:
            raise CommandError(f"Nothing imported: {run.message}", returncode=2)
        self.stdout.write(
            f"{run.rows} rows read: {run.created_count} created, {run.updated_count} updated, "
            f"{run.rejected_count} rejected (import #{run.pk})."
        )
        if run.new_procedures:
            self.stdout.write(f"Unknown procedure codes, created as unclassified: {', '.join(run.new_procedures)}")
        for error in run.errors:
            self.stderr.write(f"line {error['line']}: {error['reason']}")
        if run.rejected_count > len(run.errors):
            self.stderr.write(f"… and {run.rejected_count - len(run.errors)} more rejected rows.")
        if run.rejected_count:
            raise CommandError(f"{run.rejected_count} rows rejected.", returncode=1)

    def agency(self, code: str | None) -> Agency:
        if not code:
            agencies = list(Agency.objects.all()[:2])
            if len(agencies) == 1:
                return agencies[0]
            raise CommandError("Name the agency with --agency CODE.", returncode=2)
        found = list(Agency.objects.current().filter(Q(code__iexact=code) | Q(abbreviation__iexact=code))[:2])
        if len(found) != 1:
            raise CommandError(f"No single agency with the code or abbreviation {code!r}.", returncode=2)
        return found[0]
