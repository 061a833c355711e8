from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from files import validation


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,  # files.validation refuses it, naming the file
        error_messages={
            "required": _("Choose a file to attach."),
            "invalid": _("No file was received. Choose the file again."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{ext}" for ext in validation.ALLOWED_EXTENSIONS)}),
    )
    description = forms.CharField(label=_("Description"), max_length=255, required=False)

    checked: validation.CheckedFile

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, Word (.docx), Excel (.xlsx), PNG, JPEG, GIF, WebP or ZIP; at most %(limit)s MB."
        ) % {"limit": validation.max_bytes() // (1024 * 1024)}

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        self.checked = validation.check(upload)
        return upload
