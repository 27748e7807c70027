import io
import zipfile

import pytest

from insatser import filetypes


def _zip(names: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def _ole(stream_name: str) -> io.BytesIO:
    return io.BytesIO(filetypes.OLE_SIGNATURE + b"\0" * 100 + stream_name.encode("utf-16-le"))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (io.BytesIO(b"%PDF-1.7\n..."), filetypes.PDF),
        (io.BytesIO(b"\x89PNG\r\n\x1a\n...."), filetypes.PNG),
        (io.BytesIO(b"\xff\xd8\xff\xe0JFIF"), filetypes.JPEG),
        (io.BytesIO(b"GIF89a...."), filetypes.GIF),
        (_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), filetypes.DOCX),
        (_zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"}), filetypes.XLSX),
        (_zip({"mimetype": filetypes.ODT.content_type.encode()}), filetypes.ODT),
        (_zip({"mimetype": filetypes.ODS.content_type.encode()}), filetypes.ODS),
        (_ole("WordDocument"), filetypes.DOC),
        (_ole("Workbook"), filetypes.XLS),
    ],
)
def test_accepted_formats_are_recognised_by_content(data, expected):
    assert filetypes.detect(data) == expected
    assert data.tell() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (io.BytesIO(b"MZ\x90\x00"), "Filtypen tas inte emot"),
        (io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "Filtypen tas inte emot"),
        (_zip({"evil.exe": b"MZ"}), "inte ett Word-"),
        (
            _zip(
                {
                    "[Content_Types].xml": b"<x/>",
                    "word/document.xml": b"<w/>",
                    "word/vbaProject.bin": b"x",
                }
            ),
            "makron",
        ),
        (io.BytesIO(b"PK\x03\x04broken"), "skadad"),
        (_ole("PowerPoint Document"), "inte tas emot"),
    ],
)
def test_other_content_is_refused_whatever_the_name(data, message):
    with pytest.raises(filetypes.UnsupportedFile, match=message):
        filetypes.detect(data)
