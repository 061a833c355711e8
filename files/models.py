"""Files attached to agencies, units and, later, any business record (evidence).

The stored name is made up (attachments/<agency>/<yyyy>/<mm>/<uuid>.<ext>):
nothing a person typed reaches the disk or the bucket. Files are only ever
sent by files.views.download, after an access check.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accounts.models import User
    from files.validation import CheckedFile


def storage_path(instance: Attachment, filename: str) -> str:
    now = timezone.now()
    return f"attachments/{instance.agency_id}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{instance.extension}"


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def for_owner(self, owner: models.Model) -> AttachmentQuerySet:
        return self.filter(owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk)


class Attachment(models.Model):
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="attachments"
    )
    owner_type = models.ForeignKey(ContentType, verbose_name=_("attached to (type)"), on_delete=models.PROTECT)
    owner_id = models.PositiveBigIntegerField(_("attached to (ID)"))
    owner = GenericForeignKey("owner_type", "owner_id")
    file = models.FileField(_("file"), upload_to=storage_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    mime_type = models.CharField(_("type"), max_length=100)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    description = models.CharField(_("description"), max_length=255, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="attachment_owner_idx")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        from files.validation import KINDS

        kind = KINDS.get(self.mime_type)
        return kind.extensions[0] if kind else "bin"

    def audit_agency_id(self) -> int | None:
        return self.agency_id

    @classmethod
    def store(
        cls, owner: Any, upload: UploadedFile, checked: CheckedFile, *, user: User | None, description: str = ""
    ) -> Attachment:
        """Write the file and its row; if the row cannot be saved, the file goes too."""
        attachment = cls(
            agency_id=owner.audit_agency_id(),
            owner=owner,
            original_name=checked.name,
            size=checked.size,
            mime_type=checked.kind.mime,
            sha256=checked.sha256,
            uploaded_by=user,
            description=description,
        )
        attachment.file.save("upload", upload, save=False)
        try:
            with transaction.atomic():
                attachment.save()
        except BaseException:
            attachment.file.delete(save=False)
            raise
        return attachment

    def remove(self) -> None:
        """Delete the row now and the stored file once the deletion is committed."""
        storage, name = self.file.storage, self.file.name
        with transaction.atomic():
            self.delete()
            transaction.on_commit(lambda: storage.delete(name))
