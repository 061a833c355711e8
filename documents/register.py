"""The outgoing register: numbers given by the system (Decree 30, art. 15, 16).

Each agency numbers what it issues from 01 on 1 January, in one series for all
types unless the head chose series for some types (a `RegisterSeries` whose
types take their numbers from their own counter). Numbers are never typed:
`register_outgoing` takes the next one under a row lock and writes the line.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet

from documents.models import DocumentType, NumberCounter, OutgoingDocument, RegisterSeries

if TYPE_CHECKING:
    from accounts.models import Agency, User

ARCHIVE_PREFIX = "lưu:"


def document_type(type_code: str, type_name: str = "") -> DocumentType | None:
    """The type with this abbreviation; types without one (công văn, thư công) by name."""
    if type_code:
        return DocumentType.objects.filter(abbreviation=type_code).first()
    if type_name:
        return DocumentType.objects.filter(abbreviation="", name=type_name).first()
    return None


def series_for(agency: Agency, type_code: str, type_name: str = "") -> str:
    """The code of the agency's series covering the type, or "" (the common series)."""
    doc_type = document_type(type_code, type_name)
    if doc_type is None:
        return ""
    code = (
        RegisterSeries.objects.filter(agency=agency, doc_types=doc_type).order_by("code").values_list("code", flat=True)
    ).first()
    return code or ""


def notation(agency: Agency, type_code: str, drafting_unit: str = "") -> str:
    """The symbol after the number: "KH-SNgV"; a công văn has none of its own: "SNgV-VP" (Phụ lục I, II.3)."""
    if type_code:
        return f"{type_code}-{agency.abbreviation}"
    return f"{agency.abbreviation}-{drafting_unit}" if drafting_unit else agency.abbreviation


def archive_holder_from(recipients: str) -> str:
    """ "VT, VP" from the recipients' last line "- Lưu: VT, VP." (who keeps the file copy)."""
    for line in reversed(recipients.splitlines()):
        text = line.strip().lstrip("-–•").strip()
        if text.casefold().startswith(ARCHIVE_PREFIX):
            return text[len(ARCHIVE_PREFIX) :].strip().rstrip(".;").strip()
    return ""


def _source_fields(source: Any) -> dict[str, Any]:
    if source is None:
        return {}
    return {"source_type": ContentType.objects.get_for_model(source), "source_id": source.pk}


@transaction.atomic
def register_outgoing(
    agency: Agency,
    *,
    type_code: str,
    issued_date: date,
    subject: str,
    signer_position: str = "",
    signer_full_name: str = "",
    to_places: str = "",
    source: Any = None,
    user: User | None = None,
    archive_holder: str = "",
    issued_amount: int = 1,
    type_name: str = "",
    drafting_unit: str = "",
    note: str = "",
) -> OutgoingDocument:
    """Give the document the next number of the agency's register for its year and write the line.

    `type_name` names a type without an abbreviation (công văn) and
    `drafting_unit` is the abbreviation that follows the agency's in a công
    văn's symbol. The type's name comes from the DocumentType table when known.
    """
    doc_type = document_type(type_code, type_name)
    series = series_for(agency, type_code, type_name)
    year = issued_date.year
    number = NumberCounter.take(agency.pk, year, series)
    # A line recorded by hand (an earlier register carried over) may hold the number already.
    taken = OutgoingDocument.objects.filter(agency=agency, register_year=year, series=series)
    while taken.filter(code_number=number).exists():
        number = NumberCounter.take(agency.pk, year, series)
    return OutgoingDocument.objects.create(
        agency=agency,
        register_year=year,
        series=series,
        code_number=number,
        code_notation=notation(agency, type_code, drafting_unit),
        type_code=type_code,
        type_name=doc_type.name if doc_type else (type_name or type_code),
        issued_date=issued_date,
        subject=subject,
        signer_position=signer_position,
        signer_full_name=signer_full_name,
        to_places=to_places,
        archive_holder=archive_holder or archive_holder_from(to_places),
        issued_amount=issued_amount,
        note=note,
        created_by=user,
        **_source_fields(source),
    )


@transaction.atomic
def record_outgoing(agency: Agency, *, code_number: int, series: str = "", **fields: Any) -> OutgoingDocument:
    """Write a line whose number was given elsewhere (a register carried over, the demo's old plan).

    The series' counter moves up to the number so that the next one given follows it.
    """
    year = fields["issued_date"].year
    source = fields.pop("source", None)
    NumberCounter.objects.get_or_create(agency_id=agency.pk, year=year, series=series)
    counter = NumberCounter.objects.select_for_update().get(agency_id=agency.pk, year=year, series=series)
    if counter.last_number < code_number:
        counter.last_number = code_number
        counter.save(update_fields=["last_number"])
    fields.setdefault("archive_holder", archive_holder_from(fields.get("to_places", "")))
    if not fields.get("type_name"):
        doc_type = document_type(fields.get("type_code", ""))
        fields["type_name"] = doc_type.name if doc_type else fields.get("type_code", "")
    return OutgoingDocument.objects.create(
        agency=agency, register_year=year, series=series, code_number=code_number, **fields, **_source_fields(source)
    )


def duplicates(document: OutgoingDocument) -> QuerySet[OutgoingDocument]:
    """Other lines of the agency's register of the year with the same number and symbol.

    Numbers are unique within a series; the same "05/QĐ-SNgV" can still appear
    twice when a type moved to another series during the year, or when a line was
    carried over by hand. Phụ lục VI asks the system to warn the clerk.
    """
    return OutgoingDocument.objects.filter(
        agency_id=document.agency_id,
        register_year=document.register_year,
        code_number=document.code_number,
        code_notation__iexact=document.code_notation,
    ).exclude(pk=document.pk)


def source_of(document: OutgoingDocument) -> Any:
    """The record the line was made from (a plan …), or None when it is gone."""
    if document.source_type_id is None or document.source_id is None:
        return None
    model = ContentType.objects.get_for_id(document.source_type_id).model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=document.source_id).first()
