"""Decree 30/2020 (Nghị định 30/2020/NĐ-CP) documents written from data.

`spec` describes a document (header block, title, body, signature, recipients,
appendices); `docx` writes it as a Word file with named styles and `pdf` as a
PDF through HTML and WeasyPrint. The two writers read the same description, so
the DOCX and the PDF say the same things.
"""
