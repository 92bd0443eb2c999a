"""Active content in 붙임 documents: macros, document scripts, PDF JavaScript and the like.

Each check raises ActiveContent (a Korean reason and a code) when a document would
run code, launch a program or carry other files; files/checks.py names the file.
"""

import re
import struct
import unicodedata
import zlib
from pyexpat import ExpatError, ParserCreate

from django.conf import settings

MB = 1024 * 1024
READ_CHUNK = 64 * 1024
SCRIPT_MAX_BYTES = 4 * MB  # a document script past this is not Hangul's empty default

MACRO = "매크로가 들어 있는 문서는 올릴 수 없습니다. 매크로를 지운 파일이나 PDF로 올려 주세요."
HWP_SCRIPT = (
    "문서 스크립트(매크로)가 들어 있는 한글 문서는 올릴 수 없습니다. 스크립트를 지운 파일이나 PDF로 올려 주세요."
)
ACTIVEX = "ActiveX 컨트롤이 들어 있는 문서는 올릴 수 없습니다. 컨트롤을 지운 파일이나 PDF로 올려 주세요."
PDF_JAVASCRIPT = "자바스크립트가 들어 있는 PDF는 올릴 수 없습니다. 스크립트가 없는 PDF로 다시 저장해 올려 주세요."
PDF_LAUNCH = "다른 프로그램을 실행하는 동작(Launch)이 들어 있는 PDF는 올릴 수 없습니다."
PDF_EMBEDDED = "다른 파일을 품은(첨부한) PDF는 올릴 수 없습니다. 첨부된 파일은 따로 올려 주세요."
PDF_UNREADABLE = (
    "PDF 안에 내용을 확인할 수 없는 압축 개체가 있어 올릴 수 없습니다. PDF로 다시 저장해 올려 주세요."
)


class ActiveContent(Exception):
    def __init__(self, reason, code):
        super().__init__(reason)
        self.reason = reason
        self.code = code


# --- document scripts (HWP 5 and HWPX) ---------------------------------------------------------

# Hangul writes these into every document: the two declarations, one per form control,
# and empty OnDocument_New/OnDocument_Open handlers (matched here with spaces removed).
_DEFAULT_SCRIPT = re.compile(
    r"varDocuments=XHwpDocuments;?|varDocument=Documents\.Active_XHwpDocument;?"
    r'|var(\w+)=Document\.XHwpForm\w+\.ItemFromName\("\1"\);?|function\w+\(\)\{\}|;'
)
# Comments starting with @ are JScript conditional compilation, which runs: they stay as code.
_JS_STRING_OR_COMMENT = re.compile(
    r"""("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|//(?!@)[^\n]*|/\*(?!@).*?(?:\*/|\Z)""", re.DOTALL
)


def script_has_code(text):
    """True unless ``text`` is only Hangul's default script, comments and whitespace."""
    text = _JS_STRING_OR_COMMENT.sub(lambda match: match.group(1) or " ", text)
    compact = "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cc")
    return bool(_DEFAULT_SCRIPT.sub("", compact))


def _script_text(data):
    """A script part's text: UTF-16 (Hangul's usual) or UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if len(data) >= 2 and data[1] == 0:
        return data.decode("utf-16-le", "replace")
    return data.decode("utf-8-sig", "replace")


def _hwp_script_text(data):
    """DefaultJScript: header, source, pre- and post-source, each a DWORD count of UTF-16 units.

    Whatever does not fit that layout is decoded too, so it is judged rather than skipped.
    """
    texts, pos = [], 0
    while pos + 4 <= len(data) and len(texts) < 4:
        (units,) = struct.unpack_from("<I", data, pos)
        if units == 0xFFFFFFFF or pos + 4 + 2 * units > len(data):
            break
        texts.append(data[pos + 4:pos + 4 + 2 * units].decode("utf-16-le", "replace"))
        pos += 4 + 2 * units
    rest = data[pos:]
    if rest != b"\xff\xff\xff\xff":
        texts.append(rest.decode("utf-16-le", "replace"))
    return "\n".join(texts)


def _inflate_raw(data, cap):
    try:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        return inflater.decompress(data, cap + 1)
    except zlib.error:
        return None


# --- old binary Office files and HWP 5 (OLE compound files) -----------------------------------

VBA_STORAGES = frozenset({"macros", "_vba_project_cur", "vba", "_vba_project"})
_PPT_DOCUMENT, _PPT_VBA_INFO = 0x03E8, 0x03FF
_HWP_COMPRESSED, _HWP_PASSWORD = 0x1, 0x2


def check_ole(ole, ext):
    """``ole`` is an open olefile.OleFileIO of a .doc/.xls/.ppt or HWP 5 file."""
    if ext == "hwp":
        _check_hwp_scripts(ole)
        return
    paths = ole.listdir(streams=True, storages=True)
    if any(part.lower() in VBA_STORAGES for path in paths for part in path):
        raise ActiveContent(MACRO, "ole_macro")
    if ext == "ppt" and ole.exists("PowerPoint Document"):
        data = ole.openstream("PowerPoint Document").read()
        if _ppt_has_vba(data, 0, len(data)):
            raise ActiveContent(MACRO, "ole_macro")


def _ppt_has_vba(data, start, end, inside_document=False):
    """PowerPoint keeps its VBA project compressed inside its main stream, announced by a
    VBAInfoContainer record in the DocumentContainer, not as a storage of its own."""
    pos = start
    while pos + 8 <= end:
        version, kind, length = struct.unpack_from("<HHI", data, pos)
        if inside_document and kind == _PPT_VBA_INFO:
            return True
        body_end = min(pos + 8 + length, end)
        is_document = not inside_document and kind == _PPT_DOCUMENT and version & 0xF == 0xF
        if is_document and _ppt_has_vba(data, pos + 8, body_end, inside_document=True):
            return True
        pos = body_end
    return False


def _check_hwp_scripts(ole):
    with ole.openstream("FileHeader") as header:
        header_bytes = header.read(40)
    flags = struct.unpack_from("<I", header_bytes, 36)[0] if len(header_bytes) >= 40 else 0
    if flags & _HWP_PASSWORD:
        return  # every stream is encrypted: nobody without the password opens it, nor can we
    for path in ole.listdir():
        if len(path) < 2 or path[0].lower() != "scripts" or path[-1].lower() == "jscriptversion":
            continue
        if ole.get_size(path) > SCRIPT_MAX_BYTES:
            raise ActiveContent(HWP_SCRIPT, "hwp_script")
        with ole.openstream(path) as stream:
            data = stream.read()
        if flags & _HWP_COMPRESSED:
            inflated = _inflate_raw(data, SCRIPT_MAX_BYTES)
            data = data if inflated is None else inflated
        if len(data) > SCRIPT_MAX_BYTES or script_has_code(_hwp_script_text(data)):
            raise ActiveContent(HWP_SCRIPT, "hwp_script")


# --- ZIP-based documents: OOXML, HWPX, ODF ------------------------------------------------------

_ODF_LIBRARY_INDEXES = frozenset({"script-lc.xml", "script-lb.xml", "dialog-lc.xml", "dialog-lb.xml"})
_ODF_SCRIPT_URL = "vnd.sun.star.script:"
_ODF_MACRO_LINKS = (_ODF_SCRIPT_URL, "macro:")
_ODF_XML_PARTS = frozenset({"content.xml", "styles.xml", "meta-inf/manifest.xml"})


def check_zip_names(ext, names):
    """What member names alone give away."""
    for name in names:
        parts = name.lower().split("/")
        if ext in ("docx", "xlsx", "pptx"):
            if "activex" in parts[:-1] or parts[-1].startswith("activex"):
                raise ActiveContent(ACTIVEX, "activex")
            if "macrosheets" in parts[:-1] or parts[-1] == "vbadata.xml":
                raise ActiveContent(MACRO, "ooxml_macro")
        elif ext in ("odt", "ods", "odp") and _is_odf_macro_member(parts):
            raise ActiveContent(MACRO, "odf_macro")


def _is_odf_macro_member(parts):
    """A Basic module or dialog library, or any script (Python, BeanShell, JavaScript).

    The library indexes alone (Basic/script-lc.xml) hold no code."""
    if parts[0] not in ("basic", "scripts") or len(parts) < 2 or not parts[-1]:
        return False
    return not (parts[0] == "basic" and parts[-1] in _ODF_LIBRARY_INDEXES)


def part_reader(ext, name):
    """A reader for the member parts whose content says whether they run code, or None."""
    lowered = name.lower()
    if ext == "hwpx" and lowered.startswith("scripts/") and not lowered.endswith("/"):
        return _HwpxScriptReader()
    if ext in ("odt", "ods", "odp") and lowered in _ODF_XML_PARTS:
        return _OdfXmlReader()
    return None


class _HwpxScriptReader:
    def __init__(self):
        self.data = bytearray()

    def feed(self, chunk):
        if len(self.data) > SCRIPT_MAX_BYTES:
            raise ActiveContent(HWP_SCRIPT, "hwpx_script")
        self.data += chunk

    def close(self):
        if len(self.data) > SCRIPT_MAX_BYTES or script_has_code(_script_text(bytes(self.data))):
            raise ActiveContent(HWP_SCRIPT, "hwpx_script")


class _OdfXmlReader:
    """Streams an ODF XML part through expat, looking for scripts and links to macros.

    Prefixes are not resolved (a document may leave them undeclared), so elements are
    matched by their local names. A part that stops being XML is not read further:
    LibreOffice refuses to load it, so nothing in it runs.
    """

    def __init__(self):
        self.parser = ParserCreate()
        self.parser.StartElementHandler = self._start
        self.broken = False

    def feed(self, chunk):
        if not self.broken:
            try:
                self.parser.Parse(chunk, False)
            except ExpatError:
                self.broken = True

    def close(self):
        self.feed(b"")

    @staticmethod
    def _start(tag, attributes):
        local = tag.rpartition(":")[2]
        names = {key.rpartition(":")[2]: value.strip().lower() for key, value in attributes.items()}
        if local == "script" or (local == "event-listener" and ({"language", "macro-name"} & set(names))):
            raise ActiveContent(MACRO, "odf_macro")
        if names.get("href", "").startswith(_ODF_MACRO_LINKS) or any(
            value.startswith(_ODF_SCRIPT_URL) for value in names.values()
        ):
            raise ActiveContent(MACRO, "odf_macro")
        if names.get("full-path", "").startswith(("basic/", "scripts/")):
            raise ActiveContent(MACRO, "odf_macro")


# --- PDF -----------------------------------------------------------------------------------------

_PDF_DELIMITERS = rb"\x00\t\n\x0c\r /\[\]()<>{}%"
# A name of 2-16 characters, each plain or #xx-escaped, or a keyword that opens or closes a stream
# or an object. Longer names cannot spell any name looked for here.
# The leading look-ahead only lets the regex engine skip ahead fast (3x on binary data).
_PDF_TOKEN = re.compile(
    rb"(?=[/es])(?:/((?:[A-Za-z0-9]|#[0-9A-Fa-f]{2}){2,16})(?=[" + _PDF_DELIMITERS + rb"]|\Z)"
    rb"|(?<![A-Za-z0-9])(endstream|stream|endobj))"  # lenient readers take data right after "stream"
)
_PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_LONGEST_TOKEN = 64
_PDF_REFUSED_NAMES = {
    b"JavaScript": (PDF_JAVASCRIPT, "pdf_javascript"),
    b"Launch": (PDF_LAUNCH, "pdf_launch"),
    b"EmbeddedFile": (PDF_EMBEDDED, "pdf_embedded_file"),
    b"EmbeddedFiles": (PDF_EMBEDDED, "pdf_embedded_file"),
    b"FileAttachment": (PDF_EMBEDDED, "pdf_embedded_file"),
}
_PDF_FILTERS = {
    b"FlateDecode": "flate", b"Fl": "flate",
    b"ASCIIHexDecode": "hex", b"AHx": "hex",
    b"ASCII85Decode": "a85", b"A85": "a85",
    b"RunLengthDecode": "runlength", b"RL": "runlength",
    b"LZWDecode": "lzw", b"LZW": "lzw",
}
# Image and crypt filters: meaningless on an object stream, and nothing we could read through.
_PDF_UNDECODABLE = frozenset(
    {b"DCTDecode", b"DCT", b"CCITTFaxDecode", b"CCF", b"JBIG2Decode", b"JPXDecode", b"Crypt", b"BrotliDecode",
     b"Predictor", b"DecodeParms"}
)


def check_pdf(f):
    """Raise ActiveContent for JavaScript (which /OpenAction and /AA need to run code),
    /Launch actions and embedded files, in the file itself and in its object streams."""
    f.seek(0)
    scan = _PdfScan()
    while chunk := f.read(READ_CHUNK):
        scan.feed(chunk)
    scan.feed(b"", final=True)
    if not scan.object_streams:
        return
    budget = getattr(settings, "PDF_MAX_INFLATED_BYTES", 128 * MB)
    for data in _object_stream_contents(f, scan):
        budget -= len(data)
        if budget < 0:
            raise ActiveContent(PDF_UNREADABLE, "pdf_unreadable")
        inner = _PdfScan()
        inner.feed(data, final=True)


class _PdfScan:
    """Reads a PDF's bytes in order, chunk by chunk, and raises on the names refused above.

    /JS is too short to look for in stream data (it turns up by chance in compressed
    bytes), so it counts only outside streams; an action that runs JavaScript names
    /JavaScript as its type in any case. Object streams (/ObjStm) are noted with their
    filters for check_pdf to decode.
    """

    def __init__(self):
        self.in_stream = False
        self.encrypted = False
        self.object_streams = []  # (offset of the data, [filter kinds] or None when unreadable)
        self._new_object()
        self._carry, self._context, self._base = b"", 0, 0

    def _new_object(self):
        self._is_object_stream = self._has_filter = self._unreadable = False
        self._filters = []

    def feed(self, data, final=False):
        window = self._carry + data
        position, resume = self._context, None
        for match in _PDF_TOKEN.finditer(window, position):
            if match.end() == len(window) and not final:
                resume = match.start()  # may go on in the next chunk
                break
            self._token(match)
            position = match.end()
        if resume is None:
            resume = max(position, len(window) - _PDF_LONGEST_TOKEN)
        keep = max(0, resume - 1)  # one byte before, for the keyword look-behind
        self._carry, self._context = window[keep:], resume - keep
        self._base += keep

    def _token(self, match):
        name, keyword = match.group(1), match.group(2)
        if keyword == b"stream":
            if self._is_object_stream:
                unreadable = self._unreadable or (self._has_filter and not self._filters)
                self.object_streams.append((self._base + match.end(), None if unreadable else self._filters))
            self.in_stream = True
            self._new_object()
        elif keyword:
            self.in_stream = False
            self._new_object()
        else:
            if b"#" in name:
                name = _PDF_ESCAPE.sub(lambda escape: bytes([int(escape.group(1), 16)]), name)
            if name in _PDF_REFUSED_NAMES:
                raise ActiveContent(*_PDF_REFUSED_NAMES[name])
            if self.in_stream:
                return
            if name == b"JS":
                raise ActiveContent(PDF_JAVASCRIPT, "pdf_javascript")
            self.encrypted |= name == b"Encrypt"
            self._is_object_stream |= name == b"ObjStm"
            self._has_filter |= name == b"Filter"
            self._unreadable |= name in _PDF_UNDECODABLE
            if name in _PDF_FILTERS and len(self._filters) < 8:
                self._filters.append(_PDF_FILTERS[name])


def _object_stream_contents(f, scan):
    if scan.encrypted:
        yield from _decrypted_object_streams(f)
        return
    for offset, kinds in scan.object_streams:
        if kinds is None:
            raise ActiveContent(PDF_UNREADABLE, "pdf_unreadable")
        try:
            yield _decode(_stream_data(f, offset), kinds)
        except ActiveContent:
            raise
        except Exception:  # noqa: BLE001 - zlib.error, ValueError, pypdf's errors... on hostile data
            raise ActiveContent(PDF_UNREADABLE, "pdf_unreadable") from None


def _stream_data(f, offset):
    """The raw bytes from just after ``stream`` up to ``endstream``."""
    f.seek(offset)
    data = bytearray()
    while chunk := f.read(READ_CHUNK):
        searched_from = max(0, len(data) - len(b"endstream"))
        data += chunk
        end = data.find(b"endstream", searched_from)
        if end >= 0:
            del data[end:]
            break
    if data.startswith(b"\r\n"):
        del data[:2]
    elif data.startswith((b"\n", b"\r")):
        del data[:1]
    return bytes(data)


def _decode(data, kinds):
    from pypdf.filters import ASCII85Decode, ASCIIHexDecode, LZWDecode, RunLengthDecode

    cap = getattr(settings, "PDF_MAX_INFLATED_BYTES", 128 * MB)
    decoders = {
        "hex": ASCIIHexDecode.decode, "a85": ASCII85Decode.decode,
        "runlength": RunLengthDecode.decode, "lzw": LZWDecode.decode,
    }
    for kind in kinds:
        if kind == "flate":
            data = zlib.decompressobj().decompress(data, cap + 1)
        else:
            data = decoders[kind](data)
        if len(data) > cap:
            raise ActiveContent(PDF_UNREADABLE, "pdf_unreadable")
    return data


def _decrypted_object_streams(f):
    """Encrypted PDFs: their object streams through pypdf, when no password is needed to open."""
    from pypdf import PasswordType, PdfReader

    try:
        f.seek(0)
        reader = PdfReader(f, strict=False)
        if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            return  # nobody opens it without the password, so nothing in it runs unasked
        numbers = sorted({number for number, _ in reader.xref_objStm.values()})
    except Exception:  # noqa: BLE001 - pypdf raises many things on hostile input
        raise ActiveContent(PDF_UNREADABLE, "pdf_unreadable") from None
    for number in numbers:
        try:
            data = reader.get_object(number).get_data()
        except Exception:  # noqa: BLE001
            raise ActiveContent(PDF_UNREADABLE, "pdf_unreadable") from None
        yield data
