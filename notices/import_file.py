"""Reading a 새올 고시공고 export (CSV or XLSX) into rows, or a Korean reason why not.

Only what the import needs leaves here: the six columns by name, each data row with the
row number staff see in a spreadsheet (header row = the row they found it in). A file
is refused whole, before any row is looked at, when it is not one we read: another
format, empty, broken, without the columns, too large, too many rows, a huge cell, NUL.
CSV exports of 새올 are often CP949 (EUC-KR); UTF-8 with or without a BOM is read too.
"""

import codecs
import csv
import datetime
import io
import unicodedata
import zipfile

COLUMNS = ("공고번호", "제목", "담당부서", "게시일", "공고기간", "본문")
LINE = "행"  # the row number in the file, carried along as one more column
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 1000  # preview and confirm each stay well inside the web worker timeout (60 s)
MAX_CELL_CHARS = 50_000
MAX_XLSX_UNPACKED = 100 * 1024 * 1024  # a few-kilobyte zip can unpack to gigabytes
HEADER_SEARCH_ROWS = 10  # a title line or two may stand above the header
MAX_COLUMNS = 200
EXTENSIONS = (".csv", ".xlsx")
ENCODINGS = (("utf-8-sig", "UTF-8"), ("cp949", "CP949(EUC-KR)"))
SAVE_AS = "엑셀에서 ‘CSV UTF-8’ 또는 ‘Excel 통합 문서(XLSX)’로 저장해 올려 주세요."


class ImportFileError(ValueError):
    """A file refused whole; the message is for staff, in Korean."""


def extension(name):
    name = (name or "").lower()
    return next((ext for ext in EXTENSIONS if name.endswith(ext)), "")


def check_upload(name, size):
    """What can be said from the name and size alone (before the file is stored for the confirm step)."""
    if not extension(name):
        raise ImportFileError(f"CSV 또는 XLSX 파일만 가져올 수 있습니다. {SAVE_AS}")
    if size == 0:
        raise ImportFileError("빈 파일입니다. 내용이 있는 파일을 올려 주세요.")
    if size > MAX_BYTES:
        raise ImportFileError(
            f"파일이 너무 큽니다({size / 1024 / 1024:.1f}MB). {MAX_BYTES // 1024 // 1024}MB 이하로 나누어 올려 주세요."
        )


def read_rows(data):
    """(header row number, [(row number, {column: value})]) from the bytes of a CSV or XLSX file.

    Values are NFC text, or date/datetime where an XLSX cell holds one. Blank rows are left out.
    """
    if not data:
        raise ImportFileError("빈 파일입니다. 내용이 있는 파일을 올려 주세요.")
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"파일이 너무 큽니다. {MAX_BYTES // 1024 // 1024}MB 이하로 나누어 올려 주세요.")
    if data.startswith(b"PK\x03\x04"):
        rows = xlsx_rows(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(f"예전 엑셀(.xls)이나 한글(HWP) 파일은 읽지 않습니다. {SAVE_AS}")
    else:
        rows = csv_rows(data)
    return table(rows)


def decode(data):
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(f"UTF-16(유니코드 텍스트) 파일은 읽지 않습니다. {SAVE_AS}")
    for encoding, _ in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    names = ", ".join(label for _, label in ENCODINGS)
    raise ImportFileError(f"글자 인코딩을 알 수 없습니다(읽는 인코딩: {names}). CSV 파일이 아니거나 깨진 파일입니다. {SAVE_AS}")


def csv_rows(data):
    text = decode(data)
    if "\x00" in text:
        raise ImportFileError(f"파일에 NUL 문자가 들어 있어 CSV로 읽을 수 없습니다. {SAVE_AS}")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        # Counting records, not physical lines: a quoted cell may span lines, a spreadsheet shows one row.
        yield from enumerate(reader, 1)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise ImportFileError(
                f"{reader.line_num}번째 줄 근처에 칸 하나의 글자가 너무 많습니다(한 칸 최대 {MAX_CELL_CHARS:,}자)."
            ) from error
        raise ImportFileError(
            f"CSV 형식이 올바르지 않습니다({reader.line_num}번째 줄 근처: 따옴표가 닫히지 않았거나 깨졌습니다). {SAVE_AS}"
        ) from error


def xlsx_rows(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportFileError(f"XLSX 파일이 깨져 열 수 없습니다. {SAVE_AS}") from error
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise ImportFileError(f"XLSX(엑셀) 파일이 아닙니다(압축 파일, HWPX, DOCX 등). {SAVE_AS}")
    if sum(member.file_size for member in members) > MAX_XLSX_UNPACKED:
        raise ImportFileError("XLSX 파일의 내용이 너무 큽니다. 행을 나누어 여러 파일로 올려 주세요.")

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds (KeyError, XML errors, …) for a broken file
        raise ImportFileError(f"XLSX 파일이 깨져 열 수 없습니다. {SAVE_AS}") from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileError("XLSX 파일에 시트가 없습니다.")
        yield from enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), 1)
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(f"XLSX 파일이 깨져 끝까지 읽지 못했습니다. {SAVE_AS}") from error
    finally:
        workbook.close()


def header_name(value):
    return "".join(cell_text(value).split())


def table(rows):
    """Find the header among the first rows, then keep the six columns of each non-blank row."""
    seen = []
    for number, row in rows:
        names = [header_name(value) for value in row]
        if all(column in names for column in COLUMNS):
            return number, list(data_rows(rows, {column: names.index(column) for column in COLUMNS}))
        if any(names):
            seen.append(names)
        if number >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        raise ImportFileError("빈 파일입니다. 첫 줄에 열 이름이 있고 그 아래에 고시공고가 한 줄씩 있어야 합니다.")
    best = max(seen, key=lambda names: sum(column in names for column in COLUMNS))
    missing = ", ".join(column for column in COLUMNS if column not in best)
    raise ImportFileError(
        f"필요한 열이 없습니다: {missing}. 첫 줄(열 이름)에 {', '.join(COLUMNS)}이(가) 모두 있어야 합니다."
    )


def data_rows(rows, positions):
    count = 0
    for number, row in rows:
        values = {column: cell(row, index, number, column) for column, index in positions.items()}
        if not any(value not in ("", None) for value in values.values()):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ImportFileError(f"행이 너무 많습니다. 한 번에 {MAX_ROWS:,}행까지 가져올 수 있습니다. 파일을 나누어 올려 주세요.")
        yield number, values
    if count == 0:
        raise ImportFileError("가져올 행이 없습니다. 열 이름 아래에 고시공고를 한 줄씩 적어 주세요.")


def cell(row, index, number, column):
    value = row[index] if index < len(row) else None
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value
    text = cell_text(value)
    if "\x00" in text:
        raise ImportFileError(f"{number}행 「{column}」 칸에 NUL 문자가 들어 있습니다. 파일을 다시 저장해 올려 주세요.")
    if len(text) > MAX_CELL_CHARS:
        raise ImportFileError(
            f"{number}행 「{column}」 칸의 글자가 너무 많습니다({len(text):,}자, 한 칸 최대 {MAX_CELL_CHARS:,}자)."
        )
    return text


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))  # names typed on a Mac arrive decomposed (NFD)
    return text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").strip()
