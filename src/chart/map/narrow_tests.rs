//! The phone drawing of a map (`MapLayout::Narrow`): stacked at the narrow width with text that
//! stays legible on a phone, no text outside the drawing, and — when it reuses a wide drawing's
//! outlines through `<use>` — the same picture as a standalone narrow map, for a fraction of
//! the bytes.

use super::*;
use crate::chart::NARROW;
use crate::chart::testutil::{self, by_class};
use roxmltree::Document;

fn narrow(c: &Choropleth<'_>, reuses: Option<String>) -> String {
    render_choropleth(&Choropleth { layout: MapLayout::Narrow { reuses }, ..c.clone() })
}

/// The element `<g id="{id}" …>…</g>` of `svg`, whole (our groups do not nest).
fn group<'s>(svg: &'s str, id: &str) -> &'s str {
    let start = svg.find(&format!("<g id=\"{id}\"")).unwrap_or_else(|| panic!("no group {id}"));
    let end = start + svg[start..].find("</g>").unwrap() + 4;
    &svg[start..end]
}

/// The narrow drawing that reuses `wide`'s outlines, made a standalone document the way a page
/// makes it one: with the wide drawing's groups (and its hatching) at hand.
fn with_wide_outlines(reusing: &str, wide: &str, wide_id: &str) -> String {
    let p = svg::id_prefix(wide_id);
    let mut defs = String::from("<defs>\n");
    if let Some(at) = wide.find("<pattern") {
        defs.push_str(&wide[at..at + wide[at..].find("</pattern>").unwrap() + 10]);
    }
    defs.push_str(group(wide, &format!("{p}-districts")));
    if wide.contains(&format!("<g id=\"{p}-inset\"")) {
        defs.push_str(group(wide, &format!("{p}-inset")));
    }
    defs.push_str("</defs>\n");
    let body = reusing.find("<rect").unwrap();
    format!("{}{defs}{}", &reusing[..body], &reusing[body..])
}

/// Share of pixels that differ visibly between two drawings of one size.
fn differing(a: &str, b: &str) -> f64 {
    let r = testutil::rasteriser();
    let (pa, pb) = (r.pixmap(a, 2.0).unwrap(), r.pixmap(b, 2.0).unwrap());
    assert_eq!((pa.width(), pa.height()), (pb.width(), pb.height()));
    let off = pa.data().chunks(4).zip(pb.data().chunks(4)).filter(|(x, y)| x.iter().zip(y.iter()).any(|(u, v)| u.abs_diff(*v) > 48)).count();
    off as f64 / (pa.width() * pa.height()) as f64
}

#[test]
fn reused_outlines_draw_the_same_map_as_a_standalone_narrow_one_for_a_fraction_of_the_bytes() {
    let map = testutil::shanghai_map();
    for lang in Lang::ALL {
        let mut c = testutil::demo_map(&map, lang);
        // One district without data, so the hatching is reused too.
        c.values[3] = None;
        let wide = render_choropleth(&c);
        let standalone = narrow(&c, None);
        let reusing = narrow(&c, Some(c.id.clone()));
        let composed = with_wide_outlines(&reusing, &wide, &c.id);
        let off = differing(&standalone, &composed);
        eprintln!("{lang:?}: {:.2} % of pixels differ; {} bytes reusing, {} standalone", off * 100.0, reusing.len(), standalone.len());
        // Outlines snapped to the half-pixel grid at the wide scale, then scaled, differ from
        // ones snapped at the narrow scale only along borders.
        assert!(off < 0.02, "{lang:?}: {:.2} % of pixels differ", off * 100.0);
        // The check can fail: the outlines misplaced (the identity instead of the fit) differ
        // widely.
        let at = composed.find("-districts\" transform=\"matrix(").unwrap() + 30;
        let end = at + composed[at..].find(')').unwrap();
        let misplaced = format!("{}1 0 0 1 0 0{}", &composed[..at], &composed[end..]);
        assert!(differing(&standalone, &misplaced) > 0.05, "{lang:?}: misplaced outlines look the same");
        // The reusing drawing is a few KB: labels, legend and the two `<use>`s.
        assert!(reusing.len() * 3 < standalone.len(), "{lang:?}: {} vs {} bytes", reusing.len(), standalone.len());
        assert_eq!(reusing.matches("<use ").count(), 2);
        assert!(reusing.starts_with("<svg aria-hidden=\"true\" "), "the wide drawing is the one read out");
    }
}

#[test]
fn the_narrow_map_is_stacked_at_the_phone_width_with_legible_text() {
    let map = testutil::shanghai_map();
    for lang in Lang::ALL {
        let c = testutil::demo_map(&map, lang);
        let svg = narrow(&c, None);
        let doc = Document::parse(&svg).unwrap();
        let vb: Vec<f64> = doc.root_element().attribute("viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
        assert_eq!(vb[2], f64::from(NARROW));
        // Drawn 366 px wide in a 390 px phone's chart frame, 11 px text is 10.6 px; the
        // smallest text must stay at least 9 px down to a 320 px phone.
        for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
            let size = testutil::num(&t, "font-size");
            assert!(size * 300.0 / vb[2] >= 8.6, "{:?} at {size}", t.text());
        }
        // Stacked: the inset's frame and the legend lie below the main map, across its width.
        let frame = by_class(&doc, "rect", "inset-frame")[0];
        let swatch = by_class(&doc, "rect", "legend-swatch")[0];
        let locator = by_class(&doc, "rect", "inset-locator")[0];
        let map_bottom = testutil::num(&locator, "y") + testutil::num(&locator, "height");
        assert!(testutil::num(&frame, "y") > map_bottom);
        assert!(testutil::num(&frame, "width") > 0.9 * vb[2]);
        assert!(testutil::num(&swatch, "y") > testutil::num(&frame, "y") + testutil::num(&frame, "height"));
        // Every district of the demo is labelled, on the map or in the inset.
        assert_eq!(by_class(&doc, "text", "district-name").len(), c.labels.len());
        // No text anchor outside the drawing; wrapped texts fit its width.
        for t in doc.descendants().filter(|n| n.has_tag_name("text") && n.has_attribute("x")) {
            let (x, y) = (testutil::num(&t, "x"), testutil::num(&t, "y"));
            assert!(x >= 0.0 && x <= vb[2] && y >= 0.0 && y <= vb[3], "{:?} at {x},{y}", t.text());
        }
    }
}
