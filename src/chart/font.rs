//! The shipped font: bytes, CSS stack, text measurement and glyph coverage.
//!
//! Charts are laid out with the same font that draws them (in the browser through @font-face,
//! in PNGs through resvg), so label widths measured here match what readers see.

use std::sync::{Once, OnceLock};

use ab_glyph::{Font, FontRef};

/// CityReport Sans Regular (subset of Noto Sans CJK SC; see `assets/fonts/README.md`).
pub static FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/CityReportSans-Regular.otf");
/// CityReport Sans Bold.
pub static FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/CityReportSans-Bold.otf");

/// Family name inside the shipped font files.
pub const FONT_FAMILY: &str = "CityReport Sans";

/// CSS font stack written on every SVG: the shipped font first, then common CJK system fonts for
/// pages where the @font-face has not loaded yet, then the generic family.
pub const FONT_STACK: &str = "'CityReport Sans', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

fn faces() -> &'static (FontRef<'static>, FontRef<'static>) {
    static FACES: OnceLock<(FontRef<'static>, FontRef<'static>)> = OnceLock::new();
    FACES.get_or_init(|| {
        // The files are compiled in and checked by tests; failing here means a broken build.
        let regular = FontRef::try_from_slice(FONT_REGULAR).expect("shipped regular font parses");
        let bold = FontRef::try_from_slice(FONT_BOLD).expect("shipped bold font parses");
        (regular, bold)
    })
}

/// Advance width in px of `text` set at `size_px` (CSS font-size), with kerning.
///
/// Uses em-based scaling (font-size = 1 em), unlike ab_glyph's `PxScale`, which is relative to
/// ascent − descent and would under-measure CJK fonts by about 15 %.
pub fn text_width(text: &str, size_px: f64, bold: bool) -> f64 {
    let (regular, b) = faces();
    let font = if bold { b } else { regular };
    let upem = f64::from(font.units_per_em().unwrap_or(1000.0));
    let mut width_units = 0.0f64;
    let mut prev = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            width_units += f64::from(font.kern_unscaled(p, id));
        }
        width_units += f64::from(font.h_advance_unscaled(id));
        prev = Some(id);
    }
    width_units / upem * size_px
}

/// Greedy line breaking of `text` into lines no wider than `max_w` px: breaks after spaces and
/// between CJK characters (never before closing punctuation such as ，。）). A single word wider
/// than `max_w` stays on its own line rather than being cut.
pub(crate) fn wrap(text: &str, size_px: f64, bold: bool, max_w: f64) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for c in text.chars() {
        let starts_token = match tokens.last() {
            None => true,
            Some(last) => {
                let prev = last.chars().last().unwrap_or(' ');
                if is_closing(c) {
                    false
                } else if is_cjk(c) || is_cjk(prev) {
                    !is_opening(prev)
                } else {
                    prev == ' ' && c != ' '
                }
            }
        };
        if starts_token {
            tokens.push(c.to_string());
        } else if let Some(last) = tokens.last_mut() {
            last.push(c);
        }
    }
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for t in tokens {
        let candidate = format!("{cur}{t}");
        if !cur.is_empty() && text_width(candidate.trim_end(), size_px, bold) > max_w {
            lines.push(cur.trim_end().to_string());
            cur = t.trim_start().to_string();
        } else {
            cur = candidate;
        }
    }
    if !cur.trim().is_empty() || lines.is_empty() {
        lines.push(cur.trim_end().to_string());
    }
    lines
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

fn is_closing(c: char) -> bool {
    "，。、；：？！）》」』】”’,.;:?!)%".contains(c)
}

fn is_opening(c: char) -> bool {
    "（《「『【“‘(".contains(c)
}

/// Characters of `text` that none of `fonts` has a glyph for (each listed once, in order of
/// first appearance). Whitespace and control characters are ignored: they are never drawn.
///
/// Fonts that fail to parse count as covering nothing, so a broken font shows up as every
/// character missing rather than as a silent pass.
pub fn missing_glyphs(fonts: &[&[u8]], text: &str) -> Vec<char> {
    let parsed: Vec<FontRef<'_>> = fonts
        .iter()
        .filter_map(|bytes| FontRef::try_from_slice(bytes).ok())
        .collect();
    let mut missing = Vec::new();
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() || missing.contains(&c) {
            continue;
        }
        if !parsed.iter().any(|f| f.glyph_id(c).0 != 0) {
            missing.push(c);
        }
    }
    missing
}

/// Registers the shipped fonts with plotters under [`FONT_STACK`], so that the family name
/// plotters writes into each `<text>` is the whole CSS stack and its text measurement uses our
/// font (without it plotters estimates widths by counting UTF-8 bytes).
pub(crate) fn register_with_plotters() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        use plotters::style::{FontStyle, register_font};
        // Both calls only fail for unparsable bytes, which `faces()` already rules out.
        if register_font(FONT_STACK, FontStyle::Normal, FONT_REGULAR).is_err()
            || register_font(FONT_STACK, FontStyle::Bold, FONT_BOLD).is_err()
        {
            panic!("plotters rejected the shipped font");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_fonts_are_single_face_opentype_named_cityreport_sans() {
        for bytes in [FONT_REGULAR, FONT_BOLD] {
            // 'OTTO' = CFF-flavoured OpenType; a collection would start with 'ttcf'.
            assert_eq!(&bytes[..4], b"OTTO");
            // fontdb is what resvg uses: it must see exactly one face, family CityReport Sans.
            let mut db = resvg::usvg::fontdb::Database::new();
            db.load_font_data(bytes.to_vec());
            assert_eq!(db.len(), 1);
            let face = db.faces().next().unwrap();
            assert_eq!(face.families[0].0, FONT_FAMILY);
        }
        assert!(
            FONT_REGULAR.len() + FONT_BOLD.len() < 8_000_000,
            "fonts grew past the budget"
        );
    }

    #[test]
    fn cjk_is_about_one_em_and_latin_narrower() {
        let cjk = text_width("浦东新区", 10.0, false);
        assert!((cjk - 40.0).abs() < 0.5, "{cjk}");
        let latin = text_width("Pudong", 10.0, false);
        assert!(latin > 25.0 && latin < 40.0, "{latin}");
        assert!(text_width("Pudong", 10.0, true) > latin);
    }

    #[test]
    fn wrap_breaks_between_hanzi_and_at_spaces_only() {
        let en = wrap(
            "Smart City Development Index of Shanghai",
            12.0,
            false,
            120.0,
        );
        assert!(en.len() >= 2, "{en:?}");
        assert_eq!(en.join(" "), "Smart City Development Index of Shanghai");
        for l in &en {
            assert!(
                text_width(l, 12.0, false) <= 120.0 || !l.contains(' '),
                "{l}"
            );
        }
        let zh = wrap(
            "上海市智慧城市发展水平评估（2020年），各区结果",
            12.0,
            false,
            100.0,
        );
        assert!(zh.len() >= 2);
        assert_eq!(
            zh.concat(),
            "上海市智慧城市发展水平评估（2020年），各区结果"
        );
        assert!(
            zh.iter()
                .all(|l| !l.starts_with('，') && !l.starts_with('）')),
            "{zh:?}"
        );
        assert_eq!(wrap("short", 12.0, false, 500.0), vec!["short"]);
    }

    #[test]
    fn missing_glyphs_finds_rare_and_emoji_only() {
        let fonts = [FONT_REGULAR, FONT_BOLD];
        // U+20000 (CJK Extension B) and an emoji are outside the subset; 龘 is not in GB2312.
        assert_eq!(
            missing_glyphs(&fonts, "浦东 𠀀 😀 浦东 龘"),
            vec!['𠀀', '😀', '龘']
        );
        assert_eq!(missing_glyphs(&[b"not a font"], "a"), vec!['a']);
    }

    #[test]
    fn every_demo_name_is_covered() {
        let names = include_str!("testdata/names.txt");
        let text: String = names
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(text.contains("智慧社区（村庄）建设水平"));
        assert!(text.contains("“一网通办”服务能力"));
        for bytes in [FONT_REGULAR, FONT_BOLD] {
            assert_eq!(missing_glyphs(&[bytes], &text), Vec::<char>::new());
        }
        // Digits, signs and punctuation the charts themselves print.
        assert!(missing_glyphs(&[FONT_REGULAR], "0123456789.,−–—%：；、（）≥≤·").is_empty());
    }
}
