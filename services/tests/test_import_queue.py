from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from unittest import mock

from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from reports import scheduler
from services import import_queue
from services.models import Dossier, DossierImport, ImportStatus
from services.tests.base import ServicesTestCase

HEADER = "code,procedure_code,agency_code,channel,received_at,due_at,finished_at,status"
ROWS = [
    "Q-1,1.001234,SNgV,online,07/02/2024 09:30,,16/02/2024 15:00,processed",
    "Q-2,1.001234,SNgV,direct,08/02/2024 10:00,,,received",
    "Q-3,1.001234,SNgV,fax,08/02/2024 10:00,,,received",
]
CONTENT = "\n".join([HEADER, *ROWS]) + "\n"


@override_settings(DOSSIER_IMPORT_INLINE_BYTES=64)
class ImportQueueTestCase(ServicesTestCase):
    def setUp(self) -> None:
        super().setUp()
        media = tempfile.mkdtemp(prefix="cchc-media-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        self.enterContext(override_settings(MEDIA_ROOT=media))
        self.media = Path(media)
        caches["progress"].clear()

    def upload(self) -> SimpleUploadedFile:
        return SimpleUploadedFile("ho-so.csv", CONTENT.encode(), content_type="text/csv")

    def queue_through_the_page(self) -> DossierImport:
        self.login(self.coordinator)
        response = self.client.post(
            reverse("services:dossier_import"), {"agency": self.agency.pk, "file": self.upload()}
        )
        run = DossierImport.objects.latest("pk")
        self.assertRedirects(
            response, reverse("services:dossier_import_detail", args=[run.pk]), fetch_redirect_response=False
        )
        return run

    def test_a_large_upload_is_queued_with_its_file_and_the_page_shows_it_waiting(self) -> None:
        run = self.queue_through_the_page()
        self.assertEqual(run.status, ImportStatus.QUEUED)
        self.assertEqual(run.size, len(CONTENT.encode()))
        self.assertEqual(run.created_by, self.coordinator)
        stored = self.media / run.upload.name
        self.assertEqual(stored.read_text(), CONTENT)
        self.assertNotIn("ho-so", run.upload.name)  # stored under a random name
        self.assertFalse(Dossier.objects.filter(code__startswith="Q-").exists())
        page = self.client.get(reverse("services:dossier_import_detail", args=[run.pk]))
        self.assertContains(page, "It is imported in the background")
        self.assertContains(page, "Waiting for the importer to start")
        self.assertContains(page, reverse("services:dossier_import_progress", args=[run.pk]))
        poll = self.client.get(reverse("services:dossier_import_progress", args=[run.pk]))
        self.assertEqual(poll.status_code, 200)
        self.assertContains(poll, "Waiting for the importer to start")

    def test_the_scheduler_imports_it_deletes_the_file_and_the_page_reloads_to_the_report(self) -> None:
        run = self.queue_through_the_page()
        stored = self.media / run.upload.name
        result = scheduler.tick()
        self.assertEqual(result.imports, 1)
        run.refresh_from_db()
        self.assertEqual(run.status, ImportStatus.DONE)
        self.assertEqual((run.rows, run.created_count, run.rejected_count), (3, 2, 1))
        self.assertEqual(run.errors[0]["line"], 4)
        self.assertEqual(run.upload.name, "")
        self.assertFalse(stored.exists())
        self.assertEqual(
            set(Dossier.objects.filter(code__startswith="Q-").values_list("code", flat=True)), {"Q-1", "Q-2"}
        )
        poll = self.client.get(reverse("services:dossier_import_progress", args=[run.pk]))
        self.assertEqual(poll.status_code, 204)
        self.assertEqual(poll["HX-Refresh"], "true")
        page = self.client.get(reverse("services:dossier_import_detail", args=[run.pk]))
        self.assertNotContains(page, "import-progress")
        self.assertContains(page, "Rejected rows")
        self.assertEqual(import_queue.run_queued(), 0)

    def test_progress_is_the_share_of_bytes_read_written_while_reading(self) -> None:
        run = self.queue_through_the_page()
        claimed = import_queue.claim_next()
        assert claimed is not None
        self.assertEqual(claimed.pk, run.pk)
        self.assertIsNone(import_queue.claim_next())  # nobody else gets it
        seen: list[int] = []
        original_set = caches["progress"].set

        def spy(key: str, value: int, timeout: int) -> None:
            seen.append(value)
            original_set(key, value, timeout)

        with mock.patch.object(import_queue, "PROGRESS_EVERY", 0), mock.patch.object(caches["progress"], "set", spy):
            import_queue.process(claimed)
        self.assertEqual(seen[-1], len(CONTENT.encode()))
        # While running, the page reads what the importer wrote.
        DossierImport.objects.filter(pk=run.pk).update(status=ImportStatus.RUNNING)
        run.refresh_from_db()
        size = len(CONTENT.encode())
        caches["progress"].set(f"dossier-import-progress:{run.pk}", size // 2, 60)
        figures = import_queue.progress(run)
        self.assertEqual(figures["percent"], size // 2 * 100 // size)
        self.assertFalse(figures["reading_done"])
        poll = self.client.get(reverse("services:dossier_import_progress", args=[run.pk]))
        self.assertContains(poll, f"Reading the file: {size // 2 * 100 // size}%")
        caches["progress"].set(f"dossier-import-progress:{run.pk}", len(CONTENT.encode()), 60)
        poll = self.client.get(reverse("services:dossier_import_progress", args=[run.pk]))
        self.assertContains(poll, "File read. Checking and storing the rows")

    def test_a_lost_stored_file_fails_the_run_with_its_reason(self) -> None:
        run = self.queue_through_the_page()
        (self.media / run.upload.name).unlink()
        import_queue.run_queued()
        run.refresh_from_db()
        self.assertEqual(run.status, ImportStatus.FAILED)
        self.assertIn("nothing of this file was stored", run.message)

    def test_a_small_upload_is_still_imported_at_once(self) -> None:
        self.login(self.coordinator)
        with override_settings(DOSSIER_IMPORT_INLINE_BYTES=1024 * 1024):
            self.client.post(reverse("services:dossier_import"), {"agency": self.agency.pk, "file": self.upload()})
        run = DossierImport.objects.latest("pk")
        self.assertEqual(run.status, ImportStatus.DONE)
        self.assertEqual(run.upload.name, "")

    def test_only_those_who_import_see_the_progress(self) -> None:
        run = self.queue_through_the_page()
        for persona, status in ((self.staff, 403), (self.outsider, 404), (self.admin, 200)):
            self.login(persona)
            response = self.client.get(reverse("services:dossier_import_progress", args=[run.pk]))
            self.assertEqual(response.status_code, status, persona)

    def test_a_run_whose_worker_died_is_queued_again_after_hours(self) -> None:
        from datetime import timedelta

        from django.utils import timezone

        run = self.queue_through_the_page()
        claimed = import_queue.claim_next()  # … and the worker dies here
        assert claimed is not None
        self.assertIsNone(import_queue.claim_next())
        DossierImport.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(hours=5))
        self.assertEqual(import_queue.requeue_stale(), 0)  # maybe only slow
        DossierImport.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(hours=7))
        self.assertEqual(import_queue.run_queued(), 1)
        run.refresh_from_db()
        self.assertEqual((run.status, run.created_count), (ImportStatus.DONE, 2))
