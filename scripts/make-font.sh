#!/bin/sh
# Rebuilds assets/fonts/CityReportSans-{Regular,Bold}.otf from Debian's Noto Sans CJK.
#
# Why: charts are rasterised with only the shipped font (identical PNGs on every machine) and the
# site serves the same files through @font-face, so they must cover Chinese and stay small.
#
# Needs: Debian package fonts-noto-cjk (apt-get install fonts-noto-cjk) and fonttools
# (pip install fonttools). Output is byte-for-byte reproducible for a given source font and
# fonttools version (timestamps are kept from the source font).
set -eu

SRC_DIR=${SRC_DIR:-/usr/share/fonts/opentype/noto}
OUT_DIR=${OUT_DIR:-$(dirname "$0")/../assets/fonts}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

python3 - "$SRC_DIR" "$OUT_DIR" "$TMP" <<'PY'
import sys, subprocess
from fontTools.ttLib import TTCollection, TTFont

src_dir, out_dir, tmp = sys.argv[1:4]

# Code points to keep. All of GB2312 (its 6,763 hanzi plus its symbols, Greek, Cyrillic and
# kana rows) so names analysts add later render without a font rebuild; then the Unicode blocks
# the brief lists, plus a few signs charts use (arrows, minus, ≤ ≥, ×, geometric shapes).
cps = set()
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            ch = bytes([hi, lo]).decode("gb2312")
        except UnicodeDecodeError:
            continue
        cps.add(ord(ch))
ranges = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x2000, 0x206F),  # General Punctuation
    (0x2190, 0x21FF),  # Arrows (trend ↑ ↓)
    (0x2212, 0x2212),  # minus sign
    (0x2264, 0x2265),  # ≤ ≥ (legend class bounds)
    (0x25A0, 0x25FF),  # Geometric Shapes (■ □ ▲ legend swatches in text)
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]
for a, b in ranges:
    cps.update(range(a, b + 1))
unicodes = ",".join("U+%04X" % c for c in sorted(cps))

for weight in ("Regular", "Bold"):
    # recalcTimestamp=False keeps head.modified from the source, so reruns give identical bytes.
    coll = TTCollection(f"{src_dir}/NotoSansCJK-{weight}.ttc", recalcTimestamp=False)
    # The collection holds JP, KR, SC, TC, HK faces (and Mono); take the Simplified Chinese
    # one by name rather than by position, and write it as a single OTF (fontdb and ab_glyph
    # read only the first face of a collection).
    face = next(f for f in coll.fonts if f["name"].getDebugName(4) == f"Noto Sans CJK SC" + ("" if weight == "Regular" else " Bold"))
    whole = f"{tmp}/sc-{weight}.otf"
    face.save(whole)

    sub = f"{tmp}/sub-{weight}.otf"
    subprocess.run([
        "pyftsubset", whole, f"--unicodes={unicodes}", f"--output-file={sub}",
        "--layout-features-=locl",       # default features (kern, vert, …) but not the JP/KR/TC alternates locl would pull in
        "--name-IDs=0,1,2,3,4,5,6,13,14", # keep copyright and the OFL licence fields
        "--name-languages=*",
        "--notdef-outline",             # a visible box for missing glyphs, not a blank
    ], check=True)

    # OFL §3: a modified version must not use the Reserved Font Name; we rename the family
    # entirely so browsers and fontdb never confuse the subset with a full Noto install.
    f = TTFont(sub, recalcTimestamp=False)
    family = "CityReport Sans"
    ps = f"CityReportSans-{weight}"
    name = f["name"]
    for rec in list(name.names):
        if rec.nameID in (1, 4, 16, 17, 6, 3):
            name.removeNames(nameID=rec.nameID)
    for nid, text in ((1, family), (2, weight), (3, f"{ps};subset of Noto Sans CJK SC 2.004"),
                      (4, f"{family} {weight}" if weight != "Regular" else family), (6, ps)):
        name.setName(text, nid, 3, 1, 0x409)
        name.setName(text, nid, 1, 0, 0)
    # Describe the change next to the licence text fields (nameID 5 is the version string).
    name.setName("Version 2.004;subset of Noto Sans CJK SC for cityreport", 5, 3, 1, 0x409)
    name.setName("Version 2.004;subset of Noto Sans CJK SC for cityreport", 5, 1, 0, 0)
    cff = f["CFF "].cff
    old = cff.fontNames[0]
    cff.fontNames = [ps]
    top = cff[ps] if ps in cff else cff.topDictIndex[0]
    top.FamilyName = family
    top.FullName = f"{family} {weight}" if weight != "Regular" else family
    if hasattr(top, "FDArray"):
        for fd in top.FDArray:
            if getattr(fd, "FontName", "").startswith(old):
                fd.FontName = ps + fd.FontName[len(old):]
    f.save(f"{out_dir}/CityReportSans-{weight}.otf")
    print(weight, len(f.getGlyphOrder()), "glyphs")
PY
ls -l "$OUT_DIR"/*.otf
