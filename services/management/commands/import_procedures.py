"""Import the procedure catalogue from a CSV or XLSX file, as the upload page does.

    manage.py import_procedures FILE                      # headers matched by name or usual alias
    manage.py import_procedures FILE --mapping "Cổng DVC tỉnh"
    manage.py import_procedures FILE --agency sngv-binhphuoc  # the agency of rows that name none

Prints the counts and every rejected row; exits with status 1 when a row was
rejected or the file could not be read.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from accounts.models import Agency
from services import procedure_import


class Command(BaseCommand):
    help = "Import procedures (upsert by national code) from a CSV or XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx or .csv file.")
        parser.add_argument("--mapping", help="The name of a saved column mapping for procedures.")
        parser.add_argument("--agency", help="Code or abbreviation of the agency for rows that name none.")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("en")
        path = Path(options["file"])
        agency = find_agency(options["agency"]) if options["agency"] else None
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            with path.open("rb") as file:
                table = procedure_import.read_table(file, path.name)
            if options["mapping"]:
                mapping = procedure_import.find_mapping(options["mapping"])
                if mapping is None:
                    raise CommandError(f"No saved procedure mapping is called “{options['mapping']}”.")
                columns, name = dict(mapping.columns), mapping.name
            else:
                columns, name = procedure_import.suggest(table.headers), ""
            result = procedure_import.import_rows(table, columns, None, default_agency=agency, mapping_name=name)
        except procedure_import.Rejected as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{len(result.rejected)} rejected."
        )
        for row in result.rejected:
            self.stdout.write(f"line {row.line}: {row.code or '—'}: {row.reason}")
        if result.rejected:
            sys.exit(1)


def find_agency(value: str) -> Agency:
    try:
        return procedure_import.Agencies().find(value)
    except procedure_import.RowError as error:
        raise CommandError(str(error)) from error
