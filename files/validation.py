"""What may be attached: checked from the file's content, never from its name.

The name people gave the file is only kept for display (lib.filenames); its
extension must agree with the content, so a program renamed "report.pdf" or a
photo renamed "budget.xlsx" is refused with a message naming the file.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lib.filenames import display_name, extension, with_extension

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"


@dataclass(frozen=True)
class Kind:
    mime: str
    extensions: tuple[str, ...]  # the first one is used on disk
    label: str | Promise


KINDS = {
    kind.mime: kind
    for kind in [
        Kind("application/pdf", ("pdf",), _("a PDF document")),
        Kind(DOCX, ("docx",), _("a Word document (.docx)")),
        Kind(XLSX, ("xlsx",), _("an Excel workbook (.xlsx)")),
        Kind("image/png", ("png",), _("a PNG image")),
        Kind("image/jpeg", ("jpg", "jpeg", "jpe", "jfif"), _("a JPEG image")),
        Kind("image/gif", ("gif",), _("a GIF image")),
        Kind("image/webp", ("webp",), _("a WebP image")),
        Kind(ZIP, ("zip",), _("a ZIP archive")),
    ]
}
ALLOWED_EXTENSIONS = sorted({ext for kind in KINDS.values() for ext in kind.extensions})
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
HEAD_SIZE = 8192


@dataclass(frozen=True)
class CheckedFile:
    name: str  # for display: sanitised, ending in an extension that matches the content
    kind: Kind
    size: int
    sha256: str

    @property
    def extension(self) -> str:
        return self.kind.extensions[0]


def max_bytes() -> int:
    return int(settings.FILE_UPLOAD_MAX_MB) * 1024 * 1024


def check(upload: UploadedFile) -> CheckedFile:
    """The file's kind, display name, size and digest, or ValidationError saying why not."""
    name = display_name(upload.name or "")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": name})
    if size > max_bytes():
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s MB."),
            code="too_big",
            params={"name": name, "size": filesizeformat(size), "limit": settings.FILE_UPLOAD_MAX_MB},
        )
    upload.seek(0)
    head = upload.read(HEAD_SIZE)
    kind = _zip_kind(upload, name) if head.startswith(ZIP_SIGNATURES) else _plain_kind(head)
    if kind is None:
        raise ValidationError(
            _(
                "“%(name)s” cannot be attached: whatever its name says, its content is not a PDF, Word (.docx), "
                "Excel (.xlsx), PNG, JPEG, GIF, WebP or ZIP file."
            ),
            code="type",
            params={"name": name},
        )
    ext = extension(name)
    if ext in ALLOWED_EXTENSIONS and ext not in kind.extensions:
        raise ValidationError(
            _(
                "“%(name)s” is named as a .%(extension)s file, but its content is %(kind)s. "
                "Check that you chose the right file."
            ),
            code="mismatch",
            params={"name": name, "extension": ext, "kind": kind.label},
        )
    if ext not in kind.extensions:
        name = with_extension(name, kind.extensions[0])
    return CheckedFile(name, kind, size, _sha256(upload))


def _plain_kind(head: bytes) -> Kind | None:
    guess = filetype.guess(head)
    if guess is None or guess.mime in (ZIP, DOCX, XLSX):
        return None
    return KINDS.get(guess.mime)


def _zip_kind(upload: UploadedFile, name: str) -> Kind | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ValidationError(
            _("“%(name)s” is a damaged or incomplete ZIP archive (Word and Excel files are ZIP archives too)."),
            code="bad_zip",
            params={"name": name},
        ) from None
    finally:
        upload.seek(0)
    if "word/document.xml" in names:
        return KINDS[DOCX]
    if "xl/workbook.xml" in names:
        return KINDS[XLSX]
    # Other Office Open XML (PowerPoint …) and OpenDocument/EPUB files are ZIPs
    # too, but people do not mean to send an archive: refuse them by their kind.
    if "[Content_Types].xml" in names or "mimetype" in names:
        return None
    return KINDS[ZIP]


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
