//! Web fonts for the pages: the shipped OTF fonts cut down to the characters the site's pages
//! actually use, encoded as WOFF2 and split into `unicode-range` slices, written once for the
//! whole site under `assets/fonts/` with the stylesheet `assets/fonts/fonts.css` that names them.
//!
//! Why slices: the full fonts are 3.9 MB; one subset of every hanzi the site uses is still far too
//! big for a first visit on a phone. A browser downloads a `@font-face` only if the page has a
//! character in its `unicode-range`, so
//! - Latin, digits and Western punctuation form one small slice: all an English page needs;
//! - the few hanzi that pages in other languages show (the "中文" switch, quoted Chinese names)
//!   come next, in slices of their own, so an English page does not pay for Chinese text;
//! - the other hanzi and CJK punctuation are ordered by how many pages use them and cut into
//!   slices, so the characters nearly every page has come in the first slices (downloaded once,
//!   then cached) and a rare character costs only its own slice.
//!
//! File names carry a hash of their bytes: a slice whose characters change gets a new name, so a
//! browser never mixes a cached old slice with a new stylesheet. The PNG figures keep using the
//! full OTF fonts (resvg reads OTF, not WOFF2); these files are only for browsers.
//!
//! Crates: `allsorts` (YesLogic, maintained, used in production by Prince) subsets CFF-flavoured
//! OpenType fonts and keeps the `cmap` a browser needs; `subsetter` (typst) drops `cmap` (it is
//! made for PDF embedding) and `klippa` does not subset CFF yet. `ttf2woff2` is a pure-Rust WOFF2
//! encoder (no C++ build step, unlike `woofwoof`), deterministic with its single-threaded Brotli.

use crate::format::hex;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex};

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use rayon::iter::{IntoParallelRefIterator, ParallelIterator};
use sha2::{Digest, Sha256};

use crate::chart::{FONT_BOLD, FONT_FAMILY, FONT_REGULAR};
use crate::output::{read_each, FileBytes, FileMemo, SiteFiles};

/// Where the shared fonts and their stylesheet live, from the site root.
pub const FONTS_DIR: &str = "assets/fonts";
/// The stylesheet with the `@font-face` rules, linked from every page.
pub const FONTS_CSS: &str = "assets/fonts/fonts.css";

/// Hanzi and CJK punctuation per slice. Small enough that a page's rare characters cost little,
/// large enough that the handful of slices every page needs stays a handful of requests.
const CJK_SLICE: usize = 300;

/// Characters from here up go into the CJK slices (CJK Radicals Supplement onwards: CJK
/// punctuation, kana, hanzi, fullwidth forms); everything below is the Latin slice.
const CJK_START: char = '\u{2E80}';

/// One weight of the shipped font.
struct Face {
    style: &'static str,
    weight: u16,
    otf: &'static [u8],
}

const FACES: [Face; 2] = [
    Face { style: "Regular", weight: 400, otf: FONT_REGULAR },
    Face { style: "Bold", weight: 700, otf: FONT_BOLD },
];

/// One `unicode-range` slice: its name and characters, in code point order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slice {
    pub name: String,
    pub chars: Vec<char>,
}

/// Why the web fonts could not be made (the shipped fonts are compiled in, so this means a broken
/// font file or a bug, not bad input).
#[derive(Debug)]
pub struct WebFontError(pub String);

impl std::fmt::Display for WebFontError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "making the web fonts: {}", self.0)
    }
}

impl std::error::Error for WebFontError {}

/// Adds the subset WOFF2 slices and `assets/fonts/fonts.css` for every HTML page in `files`,
/// with the font licence beside them.
pub fn add_webfonts(files: &mut SiteFiles) -> Result<(), WebFontError> {
    add_webfonts_remembered(files, None, None)
}

/// [`add_webfonts`], reusing the characters `memo` holds for pages unchanged since the last
/// preview build, and slices cut by earlier builds in `cache` (see [`add_webfonts_for`]).
pub fn add_webfonts_remembered(files: &mut SiteFiles, memo: Option<&mut FileMemo<Arc<PageText>>>, cache: Option<&Path>) -> Result<(), WebFontError> {
    let mut usage = FontUsage::default();
    usage.add_files_remembered(files, memo);
    add_webfonts_for(&usage, files, cache)
}

/// What the pages use of the font, gathered page by page: a build that streams its pages to
/// disk counts each batch as it goes and never holds the whole site (issue 14).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FontUsage {
    /// Per character: on how many non-Chinese pages, on how many pages in all.
    uses: BTreeMap<char, (usize, usize)>,
    /// Pages (and stylesheets) that are not Chinese.
    foreign_pages: usize,
}

impl FontUsage {
    /// The usage of `pages`.
    pub fn of(pages: &[PageText]) -> Self {
        let mut usage = FontUsage::default();
        for page in pages {
            usage.add(page);
        }
        usage
    }

    pub fn add(&mut self, page: &PageText) {
        for &c in &page.chars {
            let entry = self.uses.entry(c).or_default();
            entry.0 += usize::from(!page.chinese);
            entry.1 += 1;
        }
        self.foreign_pages += usize::from(!page.chinese);
    }

    /// Counts every HTML page and stylesheet of `files`; other files are not shown in the font.
    pub fn add_files(&mut self, files: &SiteFiles) {
        self.add_files_remembered(files, None);
    }

    /// [`add_files`](Self::add_files), reusing the characters `memo` holds for files unchanged
    /// since the last preview build.
    pub fn add_files_remembered(&mut self, files: &SiteFiles, memo: Option<&mut FileMemo<Arc<PageText>>>) {
        // Hundreds of megabytes of pages at 300 districts: read them in parallel (in path order).
        // Shared, not copied: the preview hands every page's set from its memo on each rebuild.
        let texts: Vec<(&String, &FileBytes)> = files.files.iter().filter(|(k, _)| shows_text(k)).collect();
        for page in &read_each(&texts, memo, |bytes| Arc::new(page_text(bytes))) {
            self.add(page);
        }
    }
}

/// Whether the file at site path `path` is drawn in the web fonts (pages and stylesheets).
pub fn shows_text(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".css")
}

/// The characters of one page or stylesheet, and whether it is Chinese.
pub fn page_text(bytes: &[u8]) -> PageText {
    // Pages are valid UTF-8: the standard check is much faster than the lossy decoder's chunks
    // (7 % of a warm build read every page that way).
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    PageText { chinese: !text.contains("<html lang=") || text.contains("<html lang=\"zh"), chars: distinct_chars(&text) }
}

/// Adds the subset WOFF2 slices, their stylesheet and the licence for pages that use the font as
/// `usage` counts (the pages themselves may already be on disk). Slices are kept in the folder
/// `cache`, when given, by a hash of the font and the characters: an unchanged site cuts none
/// again (cutting and Brotli-compressing every slice took 0.7–1.7 s of each demo build).
pub fn add_webfonts_for(usage: &FontUsage, files: &mut SiteFiles, cache: Option<&Path>) -> Result<(), WebFontError> {
    let covered = coverage(FONT_REGULAR)?;
    let slices = plan_slices(usage, |c| covered.contains(&c));
    let mut css = String::from(
        "/* Generated by cityreport: CityReport Sans (OFL, see OFL.txt) cut to the characters this\n   site uses, in slices a browser loads only when a page shows one of their characters. */\n",
    );
    // Each slice of each face is cut and Brotli-compressed on its own: in parallel, collected in
    // order, so the bytes never depend on thread timing.
    let cmaps = FACES.iter().map(|face| char_to_glyph(face.otf)).collect::<Result<Vec<_>, _>>()?;
    let cuts: Vec<(&Face, &BTreeMap<char, u16>, &Slice)> =
        FACES.iter().zip(&cmaps).flat_map(|(face, cmap)| slices.iter().map(move |slice| (face, &**cmap, slice))).collect();
    let woff2s = cuts.par_iter().map(|(face, cmap, slice)| cut_once(face, cmap, &slice.chars, cache)).collect::<Result<Vec<_>, _>>()?;
    for ((face, _, slice), woff2) in cuts.into_iter().zip(woff2s) {
        let hash = hex(&Sha256::digest(&woff2)[..4]);
        let file = format!("CityReportSans-{}-{}.{hash}.woff2", face.style, slice.name);
        writeln!(
            css,
            "@font-face {{ font-family: \"{FONT_FAMILY}\"; font-style: normal; font-weight: {}; font-display: swap; src: url(\"{file}\") format(\"woff2\"); unicode-range: {}; }}",
            face.weight,
            unicode_range(&slice.chars)
        )
        .expect("writing to a String");
        files.insert_shared(format!("{FONTS_DIR}/{file}"), woff2);
    }
    files.insert(FONTS_CSS, css);
    files.insert(format!("{FONTS_DIR}/OFL.txt"), OFL);
    Ok(())
}

static OFL: &[u8] = include_bytes!("../../assets/fonts/OFL.txt");

/// The characters of `text`, each once. A bit per code point of the Basic Multilingual Plane
/// (8 KB) spares a tree insertion for each of a page's hundred thousand characters.
fn distinct_chars(text: &str) -> BTreeSet<char> {
    let mut bmp = vec![0u64; 0x10000 / 64];
    let mut rest = BTreeSet::new();
    for c in text.chars() {
        let u = c as usize;
        if u < 0x10000 {
            bmp[u / 64] |= 1 << (u % 64);
        } else {
            rest.insert(c);
        }
    }
    // Set bits only, lowest first: a page uses a few hundred of the 65,536 code points.
    let in_bmp = bmp.iter().enumerate().filter(|(_, bits)| **bits != 0).flat_map(|(w, &bits)| {
        let mut left = bits;
        std::iter::from_fn(move || {
            (left != 0).then(|| {
                let b = left.trailing_zeros() as usize;
                left &= left - 1;
                w * 64 + b
            })
        })
        .filter_map(|u| char::from_u32(u as u32))
    });
    rest.extend(in_bmp);
    rest
}

/// The characters of one page (or stylesheet), and whether it is a Chinese page (stylesheets and
/// pages without a `lang` count as Chinese: their CJK characters need no slice of their own).
#[derive(Debug, Clone)]
pub struct PageText {
    pub chinese: bool,
    pub chars: BTreeSet<char>,
}

/// Splits the characters the pages use into slices: one Latin slice; then the CJK characters
/// that non-Chinese pages show — first those most of them show (the language switch's "中文"),
/// in a slice of their own, so that an English page does not fetch the Chinese quoted on a few
/// others — then the other CJK characters by how many pages use each (most first). Ties go by
/// code point, so the plan is deterministic.
pub fn plan_slices(usage: &FontUsage, in_font: impl Fn(char) -> bool) -> Vec<Slice> {
    let uses: BTreeMap<char, (usize, usize)> =
        usage.uses.iter().filter(|(c, _)| !c.is_whitespace() && !c.is_control() && in_font(**c)).map(|(c, n)| (*c, *n)).collect();
    let foreign_pages = usage.foreign_pages;
    let latin: Vec<char> = uses.keys().copied().filter(|&c| c < CJK_START).collect();
    let cjk = |keep: &dyn Fn(usize) -> bool| {
        let mut v: Vec<(char, usize)> =
            uses.iter().filter(|(c, (f, _))| **c >= CJK_START && keep(*f)).map(|(c, (_, n))| (*c, *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    let on_most_foreign = |f: usize| f > 0 && 2 * f >= foreign_pages;
    let groups = [
        ("cjk-shared", cjk(&|f| on_most_foreign(f))),
        ("cjk-shared", cjk(&|f| f > 0 && !on_most_foreign(f))),
        ("cjk", cjk(&|f| f == 0)),
    ];
    let mut slices = Vec::new();
    if !latin.is_empty() {
        slices.push(Slice { name: "latin".into(), chars: latin });
    }
    let mut numbers: BTreeMap<&str, usize> = BTreeMap::new();
    for (group, list) in groups {
        for chunk in list.chunks(CJK_SLICE) {
            let k = numbers.entry(group).or_default();
            *k += 1;
            let mut chars: Vec<char> = chunk.iter().map(|(c, _)| *c).collect();
            chars.sort_unstable();
            slices.push(Slice { name: format!("{group}{k}"), chars });
        }
    }
    slices
}

/// A CSS `unicode-range` value for `chars` (sorted): runs of consecutive code points as ranges.
pub fn unicode_range(chars: &[char]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = chars[i] as u32;
        let mut end = start;
        while i + 1 < chars.len() && chars[i + 1] as u32 == end + 1 {
            end += 1;
            i += 1;
        }
        parts.push(if end == start { format!("U+{start:X}") } else { format!("U+{start:X}-{end:X}") });
        i += 1;
    }
    parts.join(",")
}

/// Parses the ranges written by [`unicode_range`] (and any `U+X`, `U+X-Y` list) back to code points.
pub fn parse_unicode_range(value: &str) -> Vec<(u32, u32)> {
    value
        .split(',')
        .filter_map(|part| {
            let hex = part.trim().trim_start_matches(['U', 'u']).trim_start_matches('+');
            let (a, b) = hex.split_once('-').unwrap_or((hex, hex));
            Some((u32::from_str_radix(a, 16).ok()?, u32::from_str_radix(b, 16).ok()?))
        })
        .collect()
}

fn coverage(otf: &'static [u8]) -> Result<BTreeSet<char>, WebFontError> {
    Ok(char_to_glyph(otf)?.keys().copied().collect())
}

/// Slices cut before in this process, by face and characters. The preview makes the fonts again
/// after every narrative edit, and most slices come out with the same characters: cutting and
/// compressing them again took over a second per save. The bytes are those a fresh cut gives.
static CUTS: Mutex<BTreeMap<(&'static str, Vec<char>), FileBytes>> = Mutex::new(BTreeMap::new());

/// At most this many slices are remembered (a site has a few dozen; edits add a few each).
const CUTS_KEPT: usize = 512;

/// [`subset_woff2`], remembered in [`CUTS`] and, across processes, in the folder `cache`.
fn cut_once(face: &Face, cmap: &BTreeMap<char, u16>, chars: &[char], cache: Option<&Path>) -> Result<FileBytes, WebFontError> {
    let key = (face.style, chars.to_vec());
    if let Some(hit) = CUTS.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(Arc::clone(hit));
    }
    let file = cache.map(|dir| dir.join(format!("{}.woff2", hex(&disk_key(face, chars)))));
    // A truncated file (a killed build) is not trusted: WOFF2 states its own length.
    let woff2: FileBytes = match file.as_ref().and_then(|f| std::fs::read(f).ok()).filter(|b| complete_woff2(b)) {
        Some(bytes) => bytes.into(),
        None => {
            let bytes = subset_woff2(face.otf, cmap, chars)?;
            if let Some(f) = &file {
                // A cache that cannot be written only costs time on the next build.
                let _ = crate::output::write_atomically(f, &bytes);
            }
            bytes.into()
        }
    };
    let mut cuts = CUTS.lock().unwrap_or_else(|e| e.into_inner());
    if cuts.len() >= CUTS_KEPT {
        cuts.clear();
    }
    cuts.insert(key, Arc::clone(&woff2));
    Ok(woff2)
}

/// The name of a slice in the disk cache: SHA-256 of a format tag, the font's bytes (hashed once
/// per process) and the characters. The tag changes whenever the cut or the encoder does in a
/// way those inputs do not show (an allsorts or ttf2woff2 upgrade, another subset profile).
fn disk_key(face: &Face, chars: &[char]) -> [u8; 32] {
    static FONT_HASHES: std::sync::OnceLock<Vec<[u8; 32]>> = std::sync::OnceLock::new();
    let hashes = FONT_HASHES.get_or_init(|| FACES.iter().map(|f| Sha256::digest(f.otf).into()).collect());
    let font = FACES.iter().position(|f| f.style == face.style).map_or([0; 32], |k| hashes[k]);
    let mut h = Sha256::new();
    h.update(b"cityreport-woff2-v1\0allsorts-0.17-minimal\0ttf2woff2-0.14-default\0");
    h.update(font);
    h.update((chars.len() as u64).to_le_bytes());
    for c in chars {
        h.update((*c as u32).to_le_bytes());
    }
    h.finalize().into()
}

/// Whether `bytes` is a whole WOFF2 file: its signature, and the total length its header gives.
fn complete_woff2(bytes: &[u8]) -> bool {
    bytes.len() >= 48 && &bytes[..4] == b"wOF2" && u32::from_be_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize == bytes.len()
}


/// The font's character → glyph map, read once per process for each shipped face (reading
/// both maps cost every preview rebuild about 5 % of its time).
fn char_to_glyph(otf: &'static [u8]) -> Result<Arc<BTreeMap<char, u16>>, WebFontError> {
    /// (address of the font's bytes, its map)
    type Maps = Vec<(usize, Arc<BTreeMap<char, u16>>)>;
    static MAPS: Mutex<Maps> = Mutex::new(Vec::new());
    let mut maps = MAPS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, map)) = maps.iter().find(|(at, _)| *at == otf.as_ptr() as usize) {
        return Ok(Arc::clone(map));
    }
    let map = Arc::new(read_char_to_glyph(otf)?);
    maps.push((otf.as_ptr() as usize, Arc::clone(&map)));
    Ok(map)
}

fn read_char_to_glyph(otf: &[u8]) -> Result<BTreeMap<char, u16>, WebFontError> {
    let face = ttf_parser::Face::parse(otf, 0).map_err(|e| WebFontError(format!("shipped font: {e}")))?;
    let mut map = BTreeMap::new();
    if let Some(cmap) = face.tables().cmap {
        for sub in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
            sub.codepoints(|cp| {
                if let (Some(c), Some(g)) = (char::from_u32(cp), sub.glyph_index(cp)) {
                    map.entry(c).or_insert(g.0);
                }
            });
        }
    }
    Ok(map)
}

/// The font cut to `chars` (plus .notdef), as WOFF2.
fn subset_woff2(otf: &[u8], cmap: &BTreeMap<char, u16>, chars: &[char]) -> Result<Vec<u8>, WebFontError> {
    let mut gids: Vec<u16> = chars.iter().filter_map(|c| cmap.get(c).copied()).filter(|&g| g != 0).collect();
    gids.sort_unstable();
    gids.dedup();
    gids.insert(0, 0);
    let err = |e: &dyn std::fmt::Display| WebFontError(e.to_string());
    let data = ReadScope::new(otf).read::<FontData<'_>>().map_err(|e| err(&e))?;
    let provider = data.table_provider(0).map_err(|e| err(&e))?;
    // Minimal: cmap, head, hhea, hmtx, maxp, name (copyright and licence), OS/2, post. Layout
    // tables (GSUB/GPOS) are left out: CJK text and tabular numbers need none of them.
    let otf_subset = subset(&provider, &gids, &SubsetProfile::Minimal, CmapTarget::Unicode).map_err(|e| err(&e))?;
    ttf2woff2::encode(&otf_subset, ttf2woff2::BrotliQuality::default()).map_err(|e| err(&e))
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_chars_match_a_plain_set_of_the_text() {
        let text = "市区 district 𠀀🙂 abc 市 \u{ffff}\u{10000}";
        assert_eq!(distinct_chars(text), text.chars().collect::<BTreeSet<char>>());
    }

    fn set(s: &str) -> PageText {
        PageText { chinese: true, chars: s.chars().collect() }
    }

    fn english(s: &str) -> PageText {
        PageText { chinese: false, chars: s.chars().collect() }
    }

    #[test]
    fn usage_counted_batch_by_batch_plans_the_same_slices_as_all_at_once() {
        // A streaming build counts pages as each edition is written; the fonts must not change.
        let zh = "<html lang=\"zh-CN\"><p>上海 浦东 2020</p></html>";
        let en = "<html lang=\"en\"><p>Pudong 中文 2020</p></html>";
        let mut all = SiteFiles::new();
        let mut first = SiteFiles::new();
        let mut second = SiteFiles::new();
        for (k, (path, text)) in [("a/zh.html", zh), ("a/en.html", en), ("b/zh.html", zh), ("site.css", "body{}"), ("x.png", "中")].into_iter().enumerate() {
            all.insert(path, text);
            if k % 2 == 0 { &mut first } else { &mut second }.insert(path, text);
        }
        let mut streamed = FontUsage::default();
        streamed.add_files(&second);
        streamed.add_files(&first);
        let mut whole = FontUsage::default();
        whole.add_files(&all);
        assert_eq!(streamed, whole);
        assert_eq!(whole.foreign_pages, 1, "the English page; the stylesheet and PNG are not foreign pages");
        assert_eq!(plan_slices(&streamed, |_| true), plan_slices(&whole, |_| true));
    }

    #[test]
    fn slices_put_latin_apart_and_common_hanzi_first() {
        let pages = vec![set("Ab 中文"), set("中国 b"), set("中文字")];
        let slices = plan_slices(&FontUsage::of(&pages), |_| true);
        assert_eq!(slices[0], Slice { name: "latin".into(), chars: vec!['A', 'b'] });
        // One CJK slice here (fewer than CJK_SLICE characters); all hanzi in it.
        assert_eq!(slices[1].chars, vec!['中', '国', '字', '文']);
        assert_eq!(slices.len(), 2);
    }

    #[test]
    fn hanzi_most_english_pages_show_are_apart_from_those_a_few_quote() {
        // Every English page has the language switch; one quotes a Chinese plan text.
        let pages = vec![english("Home 中文"), english("Method 中文"), english("Plan 中文 规划原文"), set("中文首页")];
        let slices = plan_slices(&FontUsage::of(&pages), |_| true);
        let names: Vec<&str> = slices.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["latin", "cjk-shared1", "cjk-shared2", "cjk1"]);
        assert_eq!(slices[1].chars, vec!['中', '文']);
        assert_eq!(slices[2].chars, vec!['划', '原', '规'], "{:?}", slices[2]);
    }

    #[test]
    fn hanzi_on_english_pages_get_their_own_slice() {
        let pages = vec![english("Home 中文"), set("中文首页"), set("首页")];
        let slices = plan_slices(&FontUsage::of(&pages), |_| true);
        let names: Vec<&str> = slices.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["latin", "cjk-shared1", "cjk1"]);
        assert_eq!(slices[1].chars, vec!['中', '文']);
        assert_eq!(slices[2].chars, vec!['页', '首']);
    }

    #[test]
    fn characters_outside_the_font_get_no_slice() {
        let slices = plan_slices(&FontUsage::of(&[set("A中😀")]), |c| c != '😀');
        let all: Vec<char> = slices.iter().flat_map(|s| s.chars.clone()).collect();
        assert_eq!(all, vec!['A', '中']);
    }

    #[test]
    fn most_used_hanzi_come_in_the_first_slice() {
        // CJK_SLICE + 1 hanzi: the one on every page must be in cjk1, the rarest alone in cjk2.
        let many: String = (0..CJK_SLICE as u32).map(|k| char::from_u32(0x4E00 + k).unwrap()).collect();
        let rare = '\u{9F00}';
        let pages = vec![set(&format!("{many}{rare}")), set(&many)];
        let slices = plan_slices(&FontUsage::of(&pages), |_| true);
        assert_eq!(slices.len(), 2);
        assert_eq!(slices[1].chars, vec![rare]);
    }

    #[test]
    fn unicode_range_round_trips() {
        let chars = vec!['A', 'B', 'C', 'x', '中'];
        let r = unicode_range(&chars);
        assert_eq!(r, "U+41-43,U+78,U+4E2D");
        assert_eq!(parse_unicode_range(&r), vec![(0x41, 0x43), (0x78, 0x78), (0x4E2D, 0x4E2D)]);
    }

    #[test]
    fn a_subset_keeps_the_asked_characters_and_is_much_smaller() {
        let cmap = char_to_glyph(FONT_REGULAR).unwrap();
        let woff2 = subset_woff2(FONT_REGULAR, &cmap, &['A', '中', '文']).unwrap();
        assert_eq!(&woff2[..4], b"wOF2");
        assert!(woff2.len() < FONT_REGULAR.len() / 50, "{} bytes", woff2.len());
        // Same input, same bytes.
        assert_eq!(woff2, subset_woff2(FONT_REGULAR, &cmap, &['A', '中', '文']).unwrap());
    }
}
