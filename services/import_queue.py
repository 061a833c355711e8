"""Large dossier files uploaded on the import page: queued, imported by the scheduler, progress shown.

A small file is imported while the page waits (`dossier_import.run_import`).
A larger one is stored (`DossierImport.upload`) with the status "queued"; the
scheduler's process claims it with a conditional update (queued → running, so
two schedulers never import the same file), imports it in one transaction as
always, and deletes the stored file (a run whose worker died is queued again
after `DOSSIER_IMPORT_STALE_HOURS`). While it runs, the bytes read so far are
written to the "progress" cache, shared across processes and outside the
import's transaction (which nobody else sees until it commits); the run's page
polls them.
"""

from __future__ import annotations

import io
import logging
import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from accounts.models import Agency, User
from services import dossier_import
from services.models import ColumnMapping, DossierImport, ImportStatus

logger = logging.getLogger(__name__)

# Progress is written at most this often (seconds), and kept this long after the last write.
PROGRESS_EVERY = 0.5
PROGRESS_TTL = 24 * 3600


def _key(run_pk: int) -> str:
    return f"dossier-import-progress:{run_pk}"


def enqueue(
    upload: UploadedFile, agency: Agency, *, mapping: ColumnMapping | None = None, user: User | None = None
) -> DossierImport:
    """Store the uploaded file and queue its import."""
    run = DossierImport(
        agency=agency,
        original_name=(upload.name or "")[:255],
        mapping=mapping,
        created_by=user,
        status=ImportStatus.QUEUED,
        size=upload.size or 0,
    )
    run.upload.save(upload.name or "dossiers", upload, save=False)
    run.save()
    return run


def progress(run: DossierImport) -> dict[str, Any]:
    """{"read": bytes read, "size": bytes, "percent": 0–100} of a queued or running import."""
    read = 0
    if run.status == ImportStatus.RUNNING:
        read = int(caches["progress"].get(_key(run.pk)) or 0)
    size = run.size or 0
    percent = min(100, int(read * 100 / size)) if size else 0
    return {"read": read, "size": size, "percent": percent, "reading_done": bool(size) and read >= size}


class _CountingReader(io.RawIOBase):
    """A binary stream over another that reports how far it has been read."""

    def __init__(self, raw: Any, run_pk: int) -> None:
        super().__init__()
        self._raw = raw
        self._key = _key(run_pk)
        self._last = 0.0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        count = len(data)
        buffer[:count] = data
        now = time.monotonic()
        if now - self._last >= PROGRESS_EVERY or count == 0:
            self._last = now
            caches["progress"].set(self._key, self._raw.tell(), PROGRESS_TTL)
        return count

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return int(self._raw.seek(offset, whence))

    def tell(self) -> int:
        return int(self._raw.tell())


def requeue_stale(now: datetime | None = None) -> int:
    """Queue again the runs whose worker stopped mid-import (running for hours, file still stored).

    Nothing of them was written (the import is one transaction) and the import is idempotent by
    (agency, code), so running a file again is safe even if its first worker were only slow.
    """
    cutoff = (now or timezone.now()) - timedelta(hours=settings.DOSSIER_IMPORT_STALE_HOURS)
    return (
        DossierImport.objects.filter(status=ImportStatus.RUNNING, started_at__lt=cutoff)
        .exclude(upload="")
        .update(status=ImportStatus.QUEUED)
    )


def claim_next() -> DossierImport | None:
    """The oldest queued import, claimed by this process (None when there is none or another took it)."""
    requeue_stale()
    for pk in DossierImport.objects.filter(status=ImportStatus.QUEUED).order_by("pk").values_list("pk", flat=True)[:5]:
        claimed = DossierImport.objects.filter(pk=pk, status=ImportStatus.QUEUED).update(
            status=ImportStatus.RUNNING, started_at=timezone.now()
        )
        if claimed:
            return DossierImport.objects.select_related("agency", "mapping", "created_by").get(pk=pk)
    return None


def process(run: DossierImport) -> DossierImport:
    """Import a claimed run's stored file; the stored file is deleted whatever the outcome."""
    try:
        with run.upload.open("rb") as stored:
            reader = io.BufferedReader(_CountingReader(stored, run.pk), buffer_size=1 << 20)
            done = dossier_import.run_import(
                reader, run.original_name, run.agency, mapping=run.mapping, user=run.created_by, size=run.size, run=run
            )
    except OSError as exc:
        logger.exception("dossier import %s: the stored file could not be read", run.pk)
        done = dossier_import.fail(run, str(exc))
    finally:
        caches["progress"].delete(_key(run.pk))
    run.upload.delete(save=False)
    DossierImport.objects.filter(pk=run.pk).update(upload="")
    return done


def run_queued(limit: int = 10) -> int:
    """Import queued files one after the other (at most `limit`); how many were imported."""
    count = 0
    while count < limit and (run := claim_next()) is not None:
        process(run)
        count += 1
    return count
