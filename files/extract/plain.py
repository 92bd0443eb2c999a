"""TXT and CSV: decoded as UTF-16 (with a BOM), UTF-8 or CP949; a CSV becomes one table."""

import codecs
import csv


def _decode(data, truncated):
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "cp949"]
    for encoding in encodings:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            # final=False tolerates a multi-byte character cut at our byte cap
            return decoder.decode(data, final=not truncated)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _extract_plain(data, kind, truncated, collector):
    text = _decode(data, truncated)
    lines = text.splitlines()
    if kind == "csv":
        try:
            rows, row_where = [], []
            reader = csv.reader(lines)
            for row in reader:
                rows.append(row)
                row_where.append(f"{reader.line_num}번째 줄")
            collector.table(rows, row_where=row_where)
            return len(lines)
        except csv.Error:
            pass  # not really CSV: fall back to lines
    for number, line in enumerate(lines, 1):
        collector.paragraph(line, f"{number}번째 줄")
    return len(lines)
