"""What the bytes of each accepted file format look like: one definition, for checks and extraction.

``files/checks.py`` refuses an upload whose bytes are not what its extension
claims; ``files/extract/`` picks its reader by the same signatures. Both read
them from here, so the two can never disagree about what a file is.
"""

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
# Compound files (OLE2): HWP 5, and the old binary Office formats.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A format is recognised inside the compound file by the stream its program always writes.
OLE_STREAMS = {
    "doc": ("WordDocument",),
    "xls": ("Workbook", "Book"),
    "ppt": ("PowerPoint Document",),
}
# HWP 5's FileHeader stream starts with this.
HWP_SIGNATURE = b"HWP Document File"
# HWP 3.x (before HWP 97 moved to compound files) is a flat file with this header.
HWP3_SIGNATURE = b"HWP Document File V3"
# Long enough to tell every signature above apart.
SIGNATURE_BYTES = max(len(HWP3_SIGNATURE), len(OLE_MAGIC))

OOXML_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
HWPX_MIMETYPE = b"application/hwp+zip"
HWPX_MANIFEST = "Contents/content.hpf"
IMAGE_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}

IMAGE_KINDS = frozenset(IMAGE_FORMATS)
DOCUMENT_KINDS = frozenset(
    {"hwp", "hwpx", "pdf", "txt", "csv"} | set(OLE_STREAMS) | set(OOXML_PARTS) | set(ODF_MIMETYPES)
)
ARCHIVE_KINDS = frozenset({"zip"})
ALL_KINDS = DOCUMENT_KINDS | IMAGE_KINDS | ARCHIVE_KINDS
TEXT_KINDS = frozenset({"txt", "csv"})
ZIP_CONTAINERS = frozenset(OOXML_PARTS) | frozenset(ODF_MIMETYPES) | {"hwpx", "zip"}
# Shown inline (바로 보기) rather than downloaded.
INLINE_KINDS = frozenset({"pdf"}) | IMAGE_KINDS


def sniff(head):
    """The container a file's first SIGNATURE_BYTES bytes announce: pdf, ole, zip, hwp3 or None."""
    if head.startswith(PDF_MAGIC[:4]):
        return "pdf"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(HWP3_SIGNATURE):
        return "hwp3"
    return None

