"""Rebuild every dossier rollup from the dossiers (after a bulk correction or a restore)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from services import rollups


class Command(BaseCommand):
    help = "Rebuild the dossier rollups (counts per agency, unit, procedure, month and channel) from the dossiers."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        made = rollups.recompute()
        self.stdout.write(f"{made} rollup rows rebuilt in {time.perf_counter() - started:.1f} s.")
