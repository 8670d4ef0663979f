//! What a first visit to a page downloads, from the demo site as `cityreport build` writes it:
//! the HTML, the stylesheets and scripts it links, and the web font slices a browser fetches for
//! it — those `@font-face` rules whose `unicode-range` holds a character of the page. Budgets
//! (issue 12): at most 800 KB for a Chinese page and 250 KB for an English one, uncompressed.
//!
//! The count errs on the heavy side: every character of the HTML counts (markup, attributes and
//! scripts included) and a slice is counted in both weights as soon as the page has one of its
//! characters, though a browser fetches the bold slice only for bold text.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use cityreport::site::webfonts::parse_unicode_range;

const ZH_BUDGET: usize = 800_000;
const EN_BUDGET: usize = 250_000;

/// The budget of a page: Chinese pages and the bilingual root pages may load the CJK slices.
fn budget(page: &str) -> usize {
    if page.contains("/en/") { EN_BUDGET } else { ZH_BUDGET }
}

type Files = BTreeMap<String, Vec<u8>>;

/// The files of the demo built once for every test that only reads it.
fn build_demo() -> Files {
    let files = common::snapshot(&common::shared::demo().out);
    files.into_iter().map(|(p, b)| (p.to_string_lossy().replace('\\', "/"), b)).collect()
}

/// `href` from the page at `from`, as a site path ("../../assets/x.css" from "2020/zh/a.html").
fn resolve(from: &str, href: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in href.split(['?', '#']).next().unwrap_or("").split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Values of `attr` in tags named `tag` (`<link … href="…">`), with the tag's full text.
fn tag_attrs<'a>(html: &'a str, tag: &str, attr: &str) -> Vec<(&'a str, &'a str)> {
    let mut out = Vec::new();
    let open = format!("<{tag} ");
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        let t = &rest[i..];
        let end = t.find('>').unwrap_or(t.len());
        let text = &t[..end];
        let key = format!(" {attr}=\"");
        if let Some(j) = text.find(&key) {
            let v = &text[j + key.len()..];
            out.push((text, &v[..v.find('"').unwrap_or(v.len())]));
        }
        rest = &t[end..];
    }
    out
}

/// (font url, unicode ranges) of each `@font-face` in a stylesheet.
fn font_faces(css: &str) -> Vec<(String, Vec<(u32, u32)>)> {
    css.split("@font-face")
        .skip(1)
        .filter(|block| block.trim_start().starts_with('{'))
        .map(|block| {
            let block = &block[..block.find('}').unwrap_or(block.len())];
            let url = block.split("url(").nth(1).expect("a @font-face has a src url").split(')').next().unwrap();
            let url = url.trim_matches(['"', '\'']).to_string();
            let ranges = block
                .split("unicode-range:")
                .nth(1)
                .map(|r| parse_unicode_range(r.split(';').next().unwrap()))
                .unwrap_or_else(|| vec![(0, 0x10FFFF)]);
            (url, ranges)
        })
        .collect()
}

/// Bytes of a first visit to `page`, and what they are made of.
fn first_visit(files: &Files, page: &str) -> (usize, BTreeMap<String, usize>) {
    let html = String::from_utf8(files[page].clone()).unwrap();
    let mut parts = BTreeMap::from([(page.to_string(), html.len())]);
    let mut chars: BTreeSet<char> = html.chars().collect();
    let mut sheets = Vec::new();
    for (text, href) in tag_attrs(&html, "link", "href") {
        // A `data:` address (the 404 page's empty icon) is no download.
        if href.starts_with("data:") {
            continue;
        }
        if text.contains("rel=\"stylesheet\"") || text.contains("rel=\"icon\"") || text.contains("rel=\"preload\"") {
            sheets.push((text.contains("stylesheet"), resolve(page, href)));
        }
    }
    for (_, src) in tag_attrs(&html, "script", "src") {
        if !src.starts_with('/') {
            sheets.push((false, resolve(page, src)));
        }
    }
    let mut css_files = Vec::new();
    for (is_css, path) in sheets {
        let bytes = files.get(&path).unwrap_or_else(|| panic!("{page} links {path}, which the build did not write"));
        parts.insert(path.clone(), bytes.len());
        if is_css {
            let css = String::from_utf8(bytes.clone()).unwrap();
            if font_faces(&css).is_empty() {
                // Generated content (`content: "▾"`) is text the page shows too.
                chars.extend(css.chars());
            }
            css_files.push((path, css));
        }
    }
    for (path, css) in &css_files {
        for (url, ranges) in font_faces(css) {
            let used = chars.iter().any(|&c| ranges.iter().any(|&(a, b)| (a..=b).contains(&(c as u32))));
            if used {
                let font = resolve(path, &url);
                let bytes = files.get(&font).unwrap_or_else(|| panic!("{path} names {font}, which the build did not write"));
                parts.insert(font, bytes.len());
            }
        }
    }
    (parts.values().sum(), parts)
}

#[test]
fn first_visits_stay_within_budget_and_fonts_are_shared() {
    let files = build_demo();
    // One copy of the fonts for the whole site, as WOFF2 slices; no OTF served to browsers.
    let fonts: Vec<&String> = files.keys().filter(|k| k.ends_with(".woff2") || k.ends_with(".otf")).collect();
    assert!(!fonts.is_empty(), "the build wrote no web fonts");
    for f in &fonts {
        assert!(f.starts_with("assets/fonts/") && f.ends_with(".woff2"), "font outside the shared folder or not WOFF2: {f}");
    }

    let mut report = Vec::new();
    let mut wrong = Vec::new();
    // Every page the site has, not a sample: a page kind added later is held to the budget too.
    let pages: Vec<&String> = files.keys().filter(|k| k.ends_with(".html")).collect();
    assert!(pages.len() > 100, "the demo has its pages ({})", pages.len());
    let mut heaviest: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for page in pages {
        let page = page.as_str();
        let budget = budget(page);
        let (total, parts) = first_visit(&files, page);
        let lang = if page.contains("/en/") { "en" } else if page.contains("/zh/") { "zh" } else { "root" };
        let top = heaviest.entry(lang).or_insert((0, page));
        if total > top.0 {
            *top = (total, page);
        }
        let fonts: usize = parts.iter().filter(|(k, _)| k.ends_with(".woff2")).map(|(_, v)| v).sum();
        if ["index.html", "2020/zh/index.html", "2020/en/index.html", "2020/zh/overall.html", "2020/en/overall.html"].contains(&page) {
            report.push(format!("{page}: {total} bytes ({fonts} of fonts, {} files)", parts.len()));
        }
        if total > budget {
            wrong.push(format!("{page}: {total} bytes > {budget}: {parts:?}"));
        }
        if page.contains("/en/") {
            // An English page's Latin text comes from the Latin slices only.
            assert!(parts.keys().any(|k| k.contains("-latin.")), "{page} loads no Latin slice: {parts:?}");
        }
    }
    for (lang, (total, page)) in &heaviest {
        report.push(format!("heaviest {lang} page: {page}, {total} bytes"));
    }
    eprintln!("first visit:\n  {}", report.join("\n  "));
    assert!(wrong.is_empty(), "over budget:\n{}", wrong.join("\n"));
    every_character_of_every_page_is_in_a_slice(&files);
}

/// No character the shipped font has falls back to another font because no slice serves it.
fn every_character_of_every_page_is_in_a_slice(files: &Files) {
    let css = String::from_utf8(files["assets/fonts/fonts.css"].clone()).unwrap();
    let ranges: Vec<(u32, u32)> = font_faces(&css).into_iter().flat_map(|(_, r)| r).collect();
    let font = ttf_parser::Face::parse(cityreport::chart::FONT_REGULAR, 0).unwrap();
    let mut missing = BTreeSet::new();
    for (path, bytes) in files {
        if !path.ends_with(".html") {
            continue;
        }
        for c in String::from_utf8_lossy(bytes).chars() {
            let in_font = font.glyph_index(c).is_some() && !c.is_whitespace() && !c.is_control();
            if in_font && !ranges.iter().any(|&(a, b)| (a..=b).contains(&(c as u32))) {
                missing.insert((c, path.clone()));
            }
        }
    }
    assert!(missing.is_empty(), "characters the font has but no slice serves: {:?}", missing.iter().take(20).collect::<Vec<_>>());
}
