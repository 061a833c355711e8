from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.test import override_settings
from django.utils import translation

from accounts.models import Agency, User
from cchc.test import BaseTestCase
from files.models import Attachment
from files.tests import samples
from files.validation import check


class FilesTestCase(BaseTestCase):
    """Personas plus a throwaway MEDIA_ROOT, so that tests can look at what was stored."""

    media: Path

    def setUp(self) -> None:
        super().setUp()
        # Messages are asserted in English, whatever translations exist.
        self.client.cookies["django_language"] = "en"
        self.enterContext(translation.override("en"))
        self.media = Path(tempfile.mkdtemp(prefix="cchc-media-"))
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        settings_override = override_settings(MEDIA_ROOT=str(self.media))
        settings_override.enable()
        self.addCleanup(settings_override.disable)

    def stored_files(self) -> list[Path]:
        return [p for p in self.media.rglob("*") if p.is_file()]

    def attach(
        self, owner: Agency | object, name: str = "Kế hoạch.pdf", content: bytes = samples.PDF, by: User | None = None
    ) -> Attachment:
        upload = samples.upload(name, content)
        return Attachment.store(owner, upload, check(upload), user=by or self.coordinator)
