//! Figures in the built demo: every printed figure has a counterpart, every label can be drawn
//! with the shipped font, PNGs are 2× renders, and a name the font cannot draw stops the build.

use crate::common;

use std::collections::BTreeSet;

use cityreport::chart::{missing_glyphs, FONT_BOLD, FONT_REGULAR};

fn demo_site() -> &'static cityreport::output::SiteFiles {
    common::shared::demo_site()
}

/// Inline SVGs of a page, as (text content of every <text>, the whole svg).
fn svgs_in(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").map(|e| start + e + 6).unwrap();
        out.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    out
}

#[test]
fn every_label_in_every_figure_has_a_glyph_in_the_shipped_font() {
    let site = demo_site();
    let mut texts = String::new();
    let mut figures = 0;
    for (path, bytes) in &site.files {
        if !path.ends_with(".html") {
            continue;
        }
        for svg in svgs_in(std::str::from_utf8(bytes).unwrap()) {
            let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{path}: invalid SVG: {e}"));
            let root = doc.root_element();
            assert_eq!(root.attribute("role"), Some("img"), "{path}");
            assert!(root.descendants().any(|n| n.has_tag_name("title")), "{path}: an SVG without a title");
            // The charts and maps describe their data; small inline marks (a plan's progress bar)
            // are named by their title alone.
            if root.attribute("id").is_some_and(|id| id.starts_with("fig-")) {
                assert!(root.descendants().any(|n| n.has_tag_name("desc")), "{path}: a figure without a description");
            }
            for n in root.descendants().filter(|n| n.is_text()) {
                texts.push_str(n.text().unwrap());
                texts.push('\n');
            }
            figures += 1;
        }
    }
    assert!(figures > 300, "inline figures on the pages: {figures}");
    assert!(texts.contains("浦东") && texts.contains("Pudong") && texts.contains("网络安全状况系数"));
    assert_eq!(missing_glyphs(&[FONT_REGULAR, FONT_BOLD], &texts), Vec::<char>::new());
}

#[test]
fn printed_figures_all_have_a_counterpart_with_a_2x_png() {
    let site = demo_site();
    let keys: BTreeSet<&str> = site.files.keys().map(String::as_str).collect();
    for lang in ["zh", "en"] {
        // 图 1-1, 2-1, 2-2, 2-3/2-8/2-14, city charts of second-level indices, the four maps, and
        // the central/suburban split charts of the first- and second-level indices.
        let mut expected = vec!["framework".to_string(), "history".into(), "city-overall".into()];
        for id in ["infra", "app", "env"] {
            expected.push(format!("regions-{id}"));
            expected.push(format!("city-{id}"));
        }
        for id in ["overall", "infra", "app", "env"] {
            expected.push(format!("map-{id}"));
        }
        for id in ["infra", "capacity", "perception", "data", "app", "gov", "city", "economy", "services", "env", "mechanism", "innovation", "pilot"] {
            expected.push(format!("bars-{id}-central"));
            expected.push(format!("bars-{id}-suburban"));
            expected.push(format!("city-{id}"));
        }
        for name in expected {
            let path = format!("2020/figures/{lang}/{name}.png");
            let png = site.get(&path).unwrap_or_else(|| panic!("missing {path}"));
            assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
            assert!(keys.contains(path.as_str()));
        }
    }
    // A 2× PNG is twice the SVG's viewBox size.
    let html = std::str::from_utf8(site.get("2020/en/regional/index.html").unwrap()).unwrap();
    let svg = svgs_in(html).into_iter().find(|s| s.contains("map")).expect("overall map on the regional page");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let vb: Vec<f64> = doc.root_element().attribute("viewBox").unwrap().split_whitespace().map(|v| v.parse().unwrap()).collect();
    let png = site.get("2020/figures/en/map-overall.png").unwrap();
    let (w, h) = (u32::from_be_bytes(png[16..20].try_into().unwrap()), u32::from_be_bytes(png[20..24].try_into().unwrap()));
    assert_eq!((w as f64, h as f64), (vb[2] * 2.0, vb[3] * 2.0));
}

#[test]
fn a_name_the_font_cannot_draw_stops_the_build() {
    let tmp = common::copy_demo();
    let path = tmp.path().join("data/2020/districts.toml");
    let text = std::fs::read_to_string(&path).unwrap().replace("name = { zh = \"崇明\"", "name = { zh = \"崇明𠀀\"");
    std::fs::write(&path, text).unwrap();
    let out = common::cityreport(&["build", "--root", tmp.path().to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("𠀀 (U+20000)") && err.contains("崇明𠀀") && err.contains("scripts/make-font.sh"), "{err}");
    assert!(!tmp.path().join("site").exists(), "nothing is written");
}
