//! The narrow (phone) variant of ranked bar charts: every text legible when the chart is shown
//! in the chart frame of a 390 px screen, and every text inside the drawing, for few and many
//! districts, long names, with and without the rank column, as a full ranking and as its ends.

use super::*;
use crate::chart::testutil::{by_class, demo_bars, num};
use crate::chart::{TopBottomBars, render_top_bottom};
use roxmltree::{Document, Node};

/// Width of `.chart-body`'s content box on a 390 px screen, measured in headless Chromium
/// (`tests/e2e/browser_phone_charts.rs` prints it and checks the drawn sizes on the built demo).
const PHONE_CHART_BODY: f64 = 348.0;

/// Box of a drawn text in the SVG's coordinates, from its anchor, baseline offset and the
/// shipped font's metrics.
fn text_box(t: &Node<'_, '_>) -> (f64, f64, f64, f64) {
    let size = num(t, "font-size");
    let bold = t.attribute("font-weight") == Some("bold");
    let w = crate::chart::text_width(t.text().unwrap_or(""), size, bold);
    let (x, y) = (num(t, "x"), num(t, "y"));
    let left = match t.attribute("text-anchor") {
        Some("middle") => x - w / 2.0,
        Some("end") => x - w,
        _ => x,
    };
    let top = match t.attribute("dy") {
        Some("0.76em") => y,
        Some("0.5ex") => y - size / 2.0,
        _ => y - 0.8 * size,
    };
    (left, top, left + w, top + size)
}

/// A chart of `n` districts in `lang`, names from the demo made unique, one name very long;
/// values spread over 60–140.
fn districts(lang: Lang, n: usize) -> RankedBars {
    let mut chart = demo_bars(lang);
    let base = chart.bars.clone();
    chart.bars = (0..n)
        .map(|k| {
            let mut b = base[k % base.len()].clone();
            if k >= base.len() {
                b.label = format!("{} {k}", b.label);
            }
            if k == 1 {
                b.label = match lang {
                    Lang::Zh => "一个名字非常非常非常非常长的行政区名称".into(),
                    Lang::En => "A District With A Very Long Official Name".into(),
                };
            }
            b.value = 60.0 + ((k * 37) % n.max(1)) as f64 * 80.0 / n as f64;
            b
        })
        .collect();
    chart.width = NARROW;
    chart.hatch_with_pattern = true;
    chart.id = format!("{}-narrow", chart.id);
    chart
}

fn with_rank_axis(mut chart: RankedBars) -> RankedBars {
    let n = chart.bars.len() as u32;
    for (k, b) in chart.bars.iter_mut().enumerate() {
        let m = k as u32 + 1;
        b.rank = Some(RankSpan { median: m, p05: m.saturating_sub(2).max(1), p95: (m + 3).min(n) });
    }
    chart.rank_axis = Some(RankAxis { of: n, runs: 1000 });
    chart
}

/// Every variant a page can show, as (name, SVG).
fn variants(lang: Lang, n: usize) -> Vec<(String, String)> {
    let plain = districts(lang, n);
    let ranked = with_rank_axis(plain.clone());
    let ends = |bars: RankedBars| render_top_bottom(&TopBottomBars { bars, keep: 15, note: "Only the highest and lowest 15 of the districts; the table ranks every one.".into() });
    let mut children = plain.clone();
    children.groups.truncate(1);
    children.bars.iter_mut().for_each(|b| b.group = 0);
    children.reference_lines.truncate(1);
    children.sort = false;
    vec![
        (format!("plain-{n}"), if n > 40 { ends(plain.clone()) } else { render_ranked_bars(&plain) }),
        (format!("ranks-{n}"), if n > 40 { ends(ranked.clone()) } else { render_ranked_bars(&ranked) }),
        (format!("one-group-{n}"), render_ranked_bars(&children)),
    ]
}

#[test]
fn narrow_text_is_legible_at_390_px_and_inside_the_drawing() {
    for lang in Lang::ALL {
        for n in [5, 16, 300] {
            for (name, svg) in variants(lang, n) {
                let name = format!("{name}-{}", lang.code());
                crate::chart::testutil::preview_svg(&format!("bars-narrow-{name}"), &svg);
                let doc = Document::parse(&svg).unwrap();
                let root = doc.root_element();
                let view: Vec<f64> = root.attribute("viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
                assert_eq!(view[2], f64::from(NARROW), "{name}");
                let scale = PHONE_CHART_BODY / view[2];
                let texts: Vec<Node> = doc.descendants().filter(|t| t.has_tag_name("text")).collect();
                assert!(texts.len() > 10, "{name}");
                for t in &texts {
                    let drawn = num(t, "font-size") * scale;
                    assert!(drawn >= 9.0, "{name}: {:?} drawn {drawn:.2} px", t.text());
                    let (l, top, r, bottom) = text_box(t);
                    assert!(
                        l >= 0.0 && top >= 0.0 && r <= view[2] && bottom <= view[3],
                        "{name}: {:?} at {l:.1},{top:.1}–{r:.1},{bottom:.1} outside {view:?}",
                        t.text()
                    );
                }
                // Labels end before the bars start; value labels before the rank column.
                let bar_left = by_class(&doc, "rect", "bar").iter().map(|b| num(b, "x")).fold(f64::MAX, f64::min);
                for l in by_class(&doc, "text", "label") {
                    assert!(text_box(&l).2 <= bar_left, "{name}: label {:?} runs into the bars", l.text());
                }
                let ticks = by_class(&doc, "text", "rank-tick");
                if let Some(column) = ticks.iter().map(|t| text_box(t).0).reduce(f64::min) {
                    for v in by_class(&doc, "text", "value") {
                        assert!(text_box(&v).2 < column, "{name}: value {:?} runs into the rank column", v.text());
                    }
                    assert_eq!(by_class(&doc, "circle", "rank-median").len(), by_class(&doc, "rect", "bar").len(), "{name}");
                }
                // The long name is cut to fit and says so; no other is.
                let long = districts(lang, n).bars[1].label.clone();
                let cut: Vec<String> = by_class(&doc, "text", "label")
                    .iter()
                    .filter_map(|l| l.text()?.strip_suffix('…').map(str::to_string))
                    .collect();
                if n >= 5 && !name.starts_with("plain-300") && !name.starts_with("ranks-300") {
                    assert_eq!(cut.len(), 1, "{name}: {cut:?}");
                    assert!(long.starts_with(&cut[0]) && cut[0].chars().count() >= 4, "{name}: {cut:?}");
                }
            }
        }
    }
}

#[test]
fn the_wide_chart_is_unchanged_by_the_narrow_layout() {
    // The wide sizes are the ones the chart always had: a wide chart never shortens a label.
    for lang in Lang::ALL {
        let mut wide = districts(lang, 16);
        wide.width = WIDE;
        let svg = render_ranked_bars(&wide);
        assert!(!svg.contains('…'));
        assert!(svg.contains(&wide.bars[1].label));
        assert_eq!(wide.smallest_text(), SMALL_SIZE);
        assert!(districts(lang, 16).smallest_text() * PHONE_CHART_BODY / f64::from(NARROW) >= 9.0);
    }
}

#[test]
fn narrow_charts_are_deterministic_and_keep_their_ids_prefixed() {
    let chart = with_rank_axis(districts(Lang::Zh, 16));
    let svg = render_ranked_bars(&chart);
    assert_eq!(svg, render_ranked_bars(&chart));
    crate::chart::testutil::assert_accessible_svg(&svg, &chart.id);
    let doc = Document::parse(&svg).unwrap();
    for id in doc.descendants().filter_map(|n| n.attribute("id")) {
        assert!(id.starts_with(&chart.id), "{id}");
    }
    // Hatching by a pattern: one overlay per hatched bar and legend swatch, filled by a pattern
    // of this chart.
    let hatched = doc.descendants().filter(|n| n.has_tag_name("rect") && (crate::chart::testutil::class_has(n, "bar-g1") || crate::chart::testutil::class_has(n, "swatch-g1"))).count();
    let overlays = by_class(&doc, "rect", "hatch");
    assert_eq!((overlays.len(), hatched), (9, 9));
    for o in overlays {
        let fill = o.attribute("fill").unwrap();
        let id = fill.trim_start_matches("url(#").trim_end_matches(')');
        assert!(doc.descendants().any(|n| n.has_tag_name("pattern") && n.attribute("id") == Some(id)), "{fill}");
    }
}

#[test]
fn a_legend_of_many_regions_wraps_inside_the_drawing() {
    for lang in Lang::ALL {
        for width in [WIDE, NARROW] {
            let mut chart = districts(lang, 24);
            chart.width = width;
            chart.groups = (1..=6).map(|k| format!("Synthetic Region {k}")).collect();
            for (k, b) in chart.bars.iter_mut().enumerate() {
                b.group = k % 6;
            }
            let svg = render_ranked_bars(&chart);
            let doc = Document::parse(&svg).unwrap();
            let view: Vec<f64> = doc.root_element().attribute("viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
            let legend: Vec<Node> = doc.descendants().filter(|t| t.has_tag_name("text") && t.text().is_some_and(|s| s.starts_with("Synthetic Region"))).collect();
            assert_eq!(legend.len(), 6, "{width}: every region in the legend");
            let rows: std::collections::BTreeSet<i64> = legend.iter().map(|t| num(t, "y").round() as i64).collect();
            assert!(rows.len() >= 2, "{width}: six long names take more than one row");
            let first_bar = by_class(&doc, "rect", "bar").iter().map(|b| num(b, "y")).fold(f64::MAX, f64::min);
            for t in &legend {
                let (l, top, r, bottom) = text_box(t);
                assert!(l >= 0.0 && r <= view[2], "{width}: {:?} at {l:.1}–{r:.1} outside the width {}", t.text(), view[2]);
                assert!(bottom < first_bar && top >= 0.0, "{width}: {:?} overlaps the bars", t.text());
            }
        }
    }
}
