"""Rebuild static/fonts/ from Pretendard GOV, the typeface KRDS ships in the krds-uiux npm package.

    .venv/bin/python tools/subset_fonts.py               # fetches krds-uiux with `npm pack`
    .venv/bin/python tools/subset_fonts.py --source DIR  # DIR holds PretendardGOV-*.subset.woff2

Needs the development requirements (fonttools, brotli). Only the two weights the CSS uses are
built, each split into unicode-range chunks; a browser downloads a chunk only when the page
shows one of its characters:

  base   Basic Latin, Latin-1, punctuation and the symbols notices use (①, ※, ○, 「」), and
         every Hangul syllable in the site's own text: templates, Python sources and the demo
         content transcribed from the district's home page. Every page needs this chunk (the
         menu alone is Korean and Latin), and most pages need nothing more.
  ko2    the remaining KS X 1001 syllables of the most frequent shapes: a simple vowel and no
         final consonant or a common one (ㄱ ㄴ ㄹ ㅁ ㅂ ㅅ ㅇ); these make up most Korean text
  ko3    the rest of KS X 1001's 2,350 syllables

Anything else (rare syllables, Hanja) falls back to the system font. The @font-face rules in
static/css/portal.css between the "fonts:begin" and "fonts:end" comments are rewritten to match.

Pretendard's licence (SIL OFL 1.1) reserves the name "Pretendard" for the original, so the
subsets are renamed "Geumcheon Sans"; static/fonts/OFL.txt carries the licence.
"""

import argparse
import io
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

BASE_DIR = Path(__file__).resolve().parent.parent
FONT_DIR = BASE_DIR / "static" / "fonts"
CSS_FILE = BASE_DIR / "static" / "css" / "portal.css"
PACKAGE = "krds-uiux@1.1.0"
PACKAGE_FONTS = "package/resources/fonts"

FAMILY = "Geumcheon Sans"
FILE_STEM = "geumcheon-sans"
WEIGHTS = {400: "Regular", 700: "Bold"}

LATIN = [
    (0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x2027), (0x2030, 0x203B), (0x20A9, 0x20A9),
    (0x2190, 0x2193), (0x2460, 0x2473), (0x25A0, 0x25A1), (0x25CB, 0x25CB), (0x25CF, 0x25CF),
    (0x3008, 0x3011),
]
# Where the site's own words live; tests and migrations say nothing to residents.
CORPUS_SUFFIXES = {".html", ".py", ".txt"}
CORPUS_SKIP = {"tests", "migrations", "tools", "static", "var", "node_modules"}

SIMPLE_VOWELS = {0, 4, 8, 13, 18, 20}  # ㅏ ㅓ ㅗ ㅜ ㅡ ㅣ (index in the syllable block)
COMMON_FINALS = {0, 1, 4, 8, 16, 17, 19, 21}  # none, ㄱ ㄴ ㄹ ㅁ ㅂ ㅅ ㅇ

BEGIN = "/* fonts:begin"
END = "/* fonts:end */"


def ks_x_1001_syllables():
    """The 2,350 precomposed syllables of KS X 1001, in 가나다 order."""
    return [bytes([lead, trail]).decode("euc-kr") for lead in range(0xB0, 0xC9) for trail in range(0xA1, 0xFF)]


def common_shape(syllable):
    index = ord(syllable) - 0xAC00
    vowel, final = (index // 28) % 21, index % 28
    return final in COMMON_FINALS and (final == 0 or vowel in SIMPLE_VOWELS)


def site_text():
    parts = []
    for folder in sorted(BASE_DIR.iterdir()):
        if not folder.is_dir() or folder.name.startswith(".") or folder.name in CORPUS_SKIP:
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix in CORPUS_SUFFIXES and not CORPUS_SKIP.intersection(path.relative_to(BASE_DIR).parts):
                parts.append(path.read_text(encoding="utf-8", errors="ignore"))
    return "".join(parts)


def chunks():
    syllables = ks_x_1001_syllables()
    used = set(site_text())
    ko1 = [s for s in syllables if s in used]
    rest = [s for s in syllables if s not in used]
    latin = [code for start, end in LATIN for code in range(start, end + 1)]
    return {
        "base": latin + [ord(s) for s in ko1],
        "ko2": [ord(s) for s in rest if common_shape(s)],
        "ko3": [ord(s) for s in rest if not common_shape(s)],
    }


def fetch_sources(workdir):
    """`npm pack` the KRDS package (the npm registry only) and unpack its fonts."""
    result = subprocess.run(
        ["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True, capture_output=True, text=True
    )
    archive = Path(workdir) / result.stdout.strip().splitlines()[-1]
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith(PACKAGE_FONTS) and m.name.endswith(".woff2")]
        tar.extractall(workdir, members=members, filter="data")
    return Path(workdir) / PACKAGE_FONTS


def rename(font):
    """Drop the reserved name from every name record that names the font."""
    name = font["name"]
    style = "Bold" if font["OS/2"].usWeightClass >= 700 else "Regular"
    values = {1: FAMILY, 2: style, 3: f"{FAMILY} {style} (subset of Pretendard GOV)", 4: f"{FAMILY} {style}",
              6: f"{FAMILY.replace(' ', '')}-{style}", 16: FAMILY, 17: style}
    for record in list(name.names):
        if record.nameID in values:
            name.setName(values[record.nameID], record.nameID, record.platformID, record.platEncID, record.langID)


def build(source, weight, unicodes):
    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14, 16, 17]  # keep copyright and licence
    options.drop_tables += ["vhea", "vmtx"]
    font = TTFont(source, recalcTimestamp=False)  # same input, same bytes
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    rename(font)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue(), sorted(font.getBestCmap())


def unicode_range(codes, unclaimed=frozenset()):
    """CSS unicode-range for ``codes``; a gap made only of ``unclaimed`` code points (no chunk
    has them, so a page showing one falls back to the system font either way) is bridged,
    which keeps the Hangul ranges short."""
    ranges = []
    for code in codes:
        if ranges and all(gap in unclaimed for gap in range(ranges[-1][1] + 1, code)):
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in ranges)


def font_face(weight, chunk, codes, unclaimed):
    return (
        "@font-face {\n"
        f'  font-family: "{FAMILY}";\n'
        "  font-style: normal;\n"
        f"  font-weight: {weight};\n"
        "  font-display: swap;\n"
        f'  src: url("../fonts/{FILE_STEM}-{weight}-{chunk}.woff2") format("woff2");\n'
        f"  unicode-range: {unicode_range(codes, unclaimed)};\n"
        "}\n"
    )


def write_css(rules):
    css = CSS_FILE.read_text(encoding="utf-8")
    block = (
        f"{BEGIN} (tools/subset_fonts.py writes this block: Pretendard GOV from KRDS,\n"
        f"   subset and renamed \"{FAMILY}\" as its licence asks; see static/fonts/OFL.txt) */\n"
        + "".join(rules) + END
    )
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not pattern.search(css):
        sys.exit(f"{CSS_FILE} has no '{BEGIN} … {END}' block to replace.")
    CSS_FILE.write_text(pattern.sub(lambda _: block, css), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="folder with PretendardGOV-*.subset.woff2")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        source_dir = args.source or fetch_sources(workdir)
        FONT_DIR.mkdir(parents=True, exist_ok=True)
        for old in FONT_DIR.glob(f"{FILE_STEM}-*.woff2"):
            old.unlink()
        rules = []
        split = chunks()
        claimed = {code for unicodes in split.values() for code in unicodes}
        unclaimed = frozenset(code for code in range(0xAC00, 0xD7A4) if code not in claimed)
        for chunk, unicodes in split.items():
            for weight, style in WEIGHTS.items():
                data, codes = build(source_dir / f"PretendardGOV-{style}.subset.woff2", weight, unicodes)
                path = FONT_DIR / f"{FILE_STEM}-{weight}-{chunk}.woff2"
                path.write_bytes(data)
                rules.append(font_face(weight, chunk, codes, unclaimed))
                print(f"{path.relative_to(BASE_DIR)}: {len(codes)} characters, {len(data) / 1024:.1f} KB")
    write_css(rules)
    print(f"{CSS_FILE.relative_to(BASE_DIR)}: @font-face rules rewritten")


if __name__ == "__main__":
    main()
