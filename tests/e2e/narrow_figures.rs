//! Phone variants of the charts in the built demo: a page carries the wide and the narrow
//! drawing of each district ranking and map side by side (CSS displays one), every id on the
//! page stays unique, the narrow drawing is laid out at its own width, a narrow map's `<use>`
//! finds the wide map's outlines, only the wide drawing has a PNG, and every other figure is
//! drawn compact, at the phone width, for every screen.

use crate::common;

use std::collections::BTreeMap;

/// Every value of an `id="…"` attribute in the page, HTML and inline SVG alike.
fn ids(html: &str) -> Vec<&str> {
    html.match_indices(" id=\"")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// The `<figure class="chart …">` elements of a page, whole.
fn figures(html: &str) -> Vec<&str> {
    html.match_indices("<figure class=\"chart")
        .map(|(at, _)| &html[at..at + html[at..].find("</figure>").unwrap()])
        .collect()
}

/// The SVG inside the first `<div class="{class}">` of `figure`, parsed.
fn svg_in<'a>(figure: &'a str, class: &str) -> Option<&'a str> {
    let start = figure.find(&format!("<div class=\"{class}\">"))?;
    let svg = start + figure[start..].find("<svg")?;
    Some(&figure[svg..svg + figure[svg..].find("</svg>")? + 6])
}

fn view_width(svg: &str) -> f64 {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.root_element().attribute("viewBox").unwrap().split(' ').nth(2).unwrap().parse().unwrap()
}

#[test]
fn pages_carry_a_narrow_variant_of_each_ranking_and_map_with_ids_of_its_own() {
    let site = common::shared::demo_site();
    let mut narrow_pages = 0;
    let mut narrow_maps = 0;
    for (path, bytes) in &site.files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = std::str::from_utf8(bytes).unwrap();
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for id in ids(html) {
            *seen.entry(id).or_default() += 1;
        }
        let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "{path}: ids used more than once: {twice:?}");
        let mut narrow_here = 0;
        for f in figures(html) {
            let Some(narrow) = svg_in(f, "chart-body chart-narrow") else {
                assert!(!f.contains("chart-narrow"), "{path}: a narrow body without a drawing");
                continue;
            };
            narrow_here += 1;
            let wide = svg_in(f, "chart-body chart-wide").unwrap_or_else(|| panic!("{path}: a narrow chart without its wide one"));
            assert_eq!(f.matches("<svg").count(), 2, "{path}");
            // Same title, own ids: the narrow one's are the wide one's with "-narrow".
            let id = |svg: &str| roxmltree::Document::parse(svg).unwrap().root_element().attribute("aria-labelledby").unwrap().to_string();
            let (wide_ids, narrow_ids) = (id(wide), id(narrow));
            assert_eq!(narrow_ids, wide_ids.replace("-title", "-narrow-title").replace("-desc", "-narrow-desc"), "{path}");
            let hidden = roxmltree::Document::parse(narrow).unwrap().root_element().attribute("aria-hidden") == Some("true");
            if wide_ids.contains("-map-") {
                narrow_maps += 1;
                // The map's phone drawing shows the wide one's outlines and is hidden from
                // assistive technology (which reads the wide one, kept rendered by the class).
                assert!(f.starts_with("<figure class=\"chart has-narrow narrow-reuses-wide\""), "{path}");
                assert!(hidden, "{path}: a narrow map read out as well as the wide one");
                assert_eq!((view_width(wide), view_width(narrow)), (800.0, f64::from(cityreport::chart::NARROW)), "{path}");
                let uses: Vec<&str> = narrow.match_indices("<use href=\"#").map(|(at, m)| { let r = &narrow[at + m.len()..]; &r[..r.find('"').unwrap()] }).collect();
                assert!(uses.iter().any(|u| u.ends_with("-districts")), "{path}: {uses:?}");
                for u in &uses {
                    assert!(wide.contains(&format!(" id=\"{u}\"")), "{path}: <use> of #{u}, which the wide map does not have");
                }
                assert!(!narrow.contains("class=\"district\""), "{path}: the narrow map draws the outlines again");
            } else {
                // The framework is shown at its drawn size on a large screen (class "natural").
                assert!(f.starts_with("<figure class=\"chart has-narrow\"") || f.starts_with("<figure class=\"chart has-narrow natural\""), "{path}");
                assert!(!hidden, "{path}");
                // The framework's columns are as wide as its labels; the others are WIDE.
                assert!(view_width(wide) >= f64::from(cityreport::chart::WIDE), "{path}");
                assert_eq!(view_width(narrow), f64::from(cityreport::chart::NARROW), "{path}");
            }
            let title = |svg: &str| roxmltree::Document::parse(svg).unwrap().descendants().find(|n| n.has_tag_name("title")).unwrap().text().unwrap().to_string();
            assert_eq!(title(wide), title(narrow), "{path}");
            // The PNG download is the wide drawing's, and there is no PNG of the narrow one.
            if let Some(at) = f.find("class=\"png\" href=\"") {
                let href = &f[at + 18..];
                assert!(!href[..href.find('"').unwrap()].contains("narrow"), "{path}");
            }
        }
        if narrow_here > 0 {
            narrow_pages += 1;
        }
        if path.ends_with("2020/zh/regional/index.html") || path.ends_with("2020/en/regional/index.html") {
            assert!(narrow_here >= 1, "{path}: {narrow_here} narrow charts");
        }
        // Every figure has a phone drawing, or is drawn compact (at the phone width) for all.
        for f in figures(html) {
            assert!(f.contains("chart-narrow") || f.starts_with("<figure class=\"chart compact\""), "{path}: a figure with no phone drawing: {}", &f[..f.find('>').unwrap()]);
            if f.starts_with("<figure class=\"chart compact\"") {
                assert_eq!(view_width(svg_in(f, "chart-body").unwrap()), f64::from(cityreport::chart::NARROW), "{path}");
            }
        }
    }
    assert!(narrow_pages >= 40, "{narrow_pages} pages with narrow charts");
    // One map per indicator page and one on each home page.
    assert!(narrow_maps >= 2 * 50, "{narrow_maps} narrow maps");
    assert!(site.files.keys().all(|p| !(p.ends_with(".png") && p.contains("narrow"))));
}
