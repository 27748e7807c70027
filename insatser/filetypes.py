"""Recognise an uploaded file by its content, never by its name.

Only the formats an application needs are accepted: PDF, Word, Excel, OpenDocument text and
spreadsheets, and images (PNG, JPEG, GIF). Office files with macros are refused.
"""

import zipfile
from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extension: str


PDF = FileType("PDF", "application/pdf", ".pdf")
PNG = FileType("PNG-bild", "image/png", ".png")
JPEG = FileType("JPEG-bild", "image/jpeg", ".jpg")
GIF = FileType("GIF-bild", "image/gif", ".gif")
DOCX = FileType(
    "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
)
XLSX = FileType(
    "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"
)
DOC = FileType("Word (äldre format)", "application/msword", ".doc")
XLS = FileType("Excel (äldre format)", "application/vnd.ms-excel", ".xls")
ODT = FileType("OpenDocument-text", "application/vnd.oasis.opendocument.text", ".odt")
ODS = FileType("OpenDocument-kalkylblad", "application/vnd.oasis.opendocument.spreadsheet", ".ods")

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"


class UnsupportedFile(ValueError):
    """The file is not one of the accepted formats; the message is Swedish, for the user."""


def _ole_stream(data: bytes, name: str) -> bool:
    return name.encode("utf-16-le") in data


def detect(stream: IO[bytes]) -> FileType:
    """Return the type of the file in `stream` by reading its content, or raise UnsupportedFile."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(OLE_SIGNATURE):
        data = stream.read()
        stream.seek(0)
        if _ole_stream(data, "_VBA_PROJECT") or _ole_stream(data, "Macros"):
            raise UnsupportedFile("Filer med makron tas inte emot.")
        if _ole_stream(data, "WordDocument"):
            return DOC
        if _ole_stream(data, "Workbook") or _ole_stream(data, "Book"):
            return XLS
        raise UnsupportedFile("Filen är ett Office-dokument av ett slag som inte tas emot.")
    if head.startswith(ZIP_SIGNATURE):
        return _detect_zip(stream)
    raise UnsupportedFile(
        "Filtypen tas inte emot. Bifoga PDF, Word, Excel, OpenDocument eller en bild "
        "(PNG, JPEG, GIF)."
    )


def _detect_zip(stream: IO[bytes]) -> FileType:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            mimetype = ""
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnsupportedFile("Filen är skadad och kan inte läsas.") from error
    finally:
        stream.seek(0)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise UnsupportedFile("Filer med makron tas inte emot.")
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    if mimetype == ODT.content_type:
        return ODT
    if mimetype == ODS.content_type:
        return ODS
    raise UnsupportedFile(
        "Filen är ett zip-arkiv men inte ett Word-, Excel- eller OpenDocument-dokument."
    )
