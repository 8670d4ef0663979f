//! Rendering tests of ranked bar charts.

use super::*;
use crate::chart::testutil::{self, assert_accessible_svg, by_class, class_has, demo_bars, num};
use roxmltree::{Document, Node};

#[test]
fn demo_chart_structure() {
    for lang in Lang::ALL {
        let chart = demo_bars(lang);
        let svg = render_ranked_bars(&chart);
        testutil::preview_svg(&format!("bars-{}", lang.code()), &svg);
        assert_accessible_svg(&svg, &chart.id);
        let doc = Document::parse(&svg).unwrap();

        // One bar per datum, top to bottom in descending value order.
        let bars = by_class(&doc, "rect", "bar");
        assert_eq!(bars.len(), 16);
        let ys: Vec<f64> = bars.iter().map(|b| num(b, "y")).collect();
        assert!(
            ys.windows(2).all(|w| w[0] < w[1]),
            "bars not top-down: {ys:?}"
        );
        let widths: Vec<f64> = bars.iter().map(|b| num(b, "width")).collect();
        assert!(
            widths.windows(2).all(|w| w[0] >= w[1]),
            "bars not descending: {widths:?}"
        );
        let values: Vec<f64> = by_class(&doc, "text", "value")
            .iter()
            .map(|t| t.text().unwrap().parse().unwrap())
            .collect();
        assert!(values.windows(2).all(|w| w[0] >= w[1]));
        assert_eq!(values[0], 133.41);
        // Bar length is proportional to the value (axis from zero).
        let ratio = widths[0] / widths[15];
        assert!((ratio - 133.41 / 87.31).abs() < 0.01, "{ratio}");

        // Every district label present, next to its own bar and value.
        let labels: Vec<&str> = by_class(&doc, "text", "label")
            .iter()
            .map(|t| t.text().unwrap())
            .collect();
        for d in testutil::districts() {
            assert!(labels.contains(&d.name(lang)), "{} missing", d.name(lang));
        }
        let label_ys: Vec<f64> = by_class(&doc, "text", "label")
            .iter()
            .map(|t| num(t, "y"))
            .collect();
        for (b, ly) in bars.iter().zip(&label_ys) {
            let mid = num(b, "y") + num(b, "height") / 2.0;
            assert!((mid - ly).abs() <= 1.0, "label not aligned with its bar");
        }

        // Central bars solid, suburban bars hatched with an outline; legend shows both.
        let central = by_class(&doc, "rect", "bar-g0");
        let suburban = by_class(&doc, "rect", "bar-g1");
        assert_eq!((central.len(), suburban.len()), (8, 8));
        assert!(
            central
                .iter()
                .all(|b| b.attribute("fill") == Some("#2166ac"))
        );
        assert!(
            suburban
                .iter()
                .all(|b| b.attribute("fill") == Some("#fdd9b1")
                    && b.attribute("stroke") == Some("#a04a05"))
        );
        // Each hatched bar is followed by its stripes, all inside the bar.
        for b in &suburban {
            let hatch = b.next_sibling_element().unwrap();
            assert_eq!(hatch.attribute("class"), Some("hatch"));
            let (x, y) = (num(b, "x"), num(b, "y"));
            let (w, h) = (num(b, "width"), num(b, "height"));
            let coords: Vec<f64> = hatch
                .attribute("d")
                .unwrap()
                .split(['M', 'L', ' '])
                .filter(|t| !t.is_empty())
                .map(|t| t.parse().unwrap())
                .collect();
            assert!(coords.len() >= 8, "too few stripes");
            for p in coords.chunks(2) {
                assert!(
                    p[0] >= x - 0.05
                        && p[0] <= x + w + 0.05
                        && p[1] >= y - 0.05
                        && p[1] <= y + h + 0.05,
                    "{p:?}"
                );
            }
        }
        assert!(
            central
                .iter()
                .all(|b| b.next_sibling_element().unwrap().attribute("class") != Some("hatch"))
        );
        assert_eq!(by_class(&doc, "rect", "swatch").len(), 2);
        let legend: Vec<&str> = by_class(&doc, "text", "legend-label")
            .iter()
            .map(|t| t.text().unwrap())
            .collect();
        assert_eq!(legend, testutil::region_names(lang));

        // Reference lines drawn at their values and labelled with them.
        let lines = by_class(&doc, "polyline", "ref-line");
        assert_eq!(lines.len(), 2);
        let ref_labels: Vec<&str> = by_class(&doc, "text", "ref-label")
            .iter()
            .map(|t| t.text().unwrap())
            .collect();
        assert!(
            ref_labels.iter().any(|t| t.ends_with("109.77")),
            "{ref_labels:?}"
        );
        assert!(ref_labels.iter().any(|t| t.ends_with("100.00")));
        let line_x = |l: &Node<'_, '_>| -> f64 {
            l.attribute("points")
                .unwrap()
                .split(',')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        };
        let line_top = |l: &Node<'_, '_>| -> f64 {
            l.attribute("points")
                .unwrap()
                .split([',', ' '])
                .nth(1)
                .unwrap()
                .parse()
                .unwrap()
        };
        let x0 = num(&bars[0], "x");
        let per_unit = widths[0] / 133.41;
        for v in [100.0, testutil::city_mean()] {
            assert!(
                lines
                    .iter()
                    .any(|l| (line_x(l) - (x0 + v * per_unit)).abs() <= 1.5),
                "no line at {v}"
            );
        }
        // No reference label is crossed by another reference line.
        for t in by_class(&doc, "text", "ref-label") {
            let (tx, ty) = (num(&t, "x"), num(&t, "y"));
            let w = text_width(t.text().unwrap(), SMALL_SIZE, false);
            let (left, right) = match t.attribute("text-anchor") {
                Some("end") => (tx - w, tx),
                Some("middle") => (tx - w / 2.0, tx + w / 2.0),
                _ => (tx, tx + w),
            };
            let own = lines
                .iter()
                .filter(|l| (line_x(l) - tx).abs() <= 6.0)
                .count();
            assert_eq!(own, 1, "label {:?} not next to its line", t.text());
            for l in &lines {
                let lx = line_x(l);
                if (lx - tx).abs() > 6.0 {
                    assert!(
                        !(lx > left && lx < right && line_top(l) < ty),
                        "{:?} crossed by a line",
                        t.text()
                    );
                }
            }
        }

        let desc = testutil::desc(&doc);
        assert!(
            desc.contains("133.41") && desc.contains("87.31") && desc.contains("16"),
            "{desc}"
        );
    }
}

#[test]
fn user_text_is_escaped() {
    let mut chart = demo_bars(Lang::En);
    chart.title = "Scores <script>alert(1)</script> & more".into();
    chart.bars[0].label = "<script>alert('x')</script>".into();
    chart.groups[1] = "Sub\"urbs\"".into();
    let svg = render_ranked_bars(&chart);
    assert!(!svg.contains("<script"));
    let doc = Document::parse(&svg).unwrap();
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(texts.contains(&"<script>alert('x')</script>"));
    assert!(texts.contains(&"Sub\"urbs\""));
    let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(
        title.text(),
        Some("Scores <script>alert(1)</script> & more")
    );
}

#[test]
fn one_group_in_tree_order_and_eight_bar_splits() {
    // City-level chart: children in tree order, no legend, no sorting.
    let chart = RankedBars {
        id: "city-children".into(),
        title: "First-level indices".into(),
        description: String::new(),
        lang: Lang::En,
        words: crate::chart::ChartWords::builtin(Lang::En),
        bars: [
            ("New Infrastructure", 119.16),
            ("Smart Application", 113.12),
            ("Development Environment", 102.23),
        ]
        .iter()
        .map(|(l, v)| BarDatum {
            label: (*l).into(),
            value: *v,
            group: 0,
            rank: None,
        })
        .collect(),
        groups: vec!["City".into()],
        reference_lines: vec![RefLine {
            label: "Baseline".into(),
            value: 100.0,
        }],
        precision: 2,
        sort: false,
        width: crate::chart::WIDE,
        hatch_with_pattern: false,
        rank_axis: None,
    };
    let svg = render_ranked_bars(&chart);
    assert_accessible_svg(&svg, "city-children");
    let doc = Document::parse(&svg).unwrap();
    assert!(by_class(&doc, "rect", "swatch").is_empty());
    let labels: Vec<&str> = by_class(&doc, "text", "label")
        .iter()
        .map(|t| t.text().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "New Infrastructure",
            "Smart Application",
            "Development Environment"
        ]
    );
    assert!(!svg.contains("class=\"hatch\""));

    // Central-only and suburban-only charts: 8 bars, one style each.
    for (g, want) in [(0usize, "bar-g0"), (1, "bar-g1")] {
        let mut c = demo_bars(Lang::Zh);
        c.id = format!("split-{g}");
        c.bars.retain(|b| b.group == g);
        c.reference_lines.truncate(1);
        let svg = render_ranked_bars(&c);
        assert_accessible_svg(&svg, &c.id);
        let doc = Document::parse(&svg).unwrap();
        assert_eq!(by_class(&doc, "rect", "bar").len(), 8);
        assert_eq!(by_class(&doc, "rect", want).len(), 8);
        // The legend explains only the style in use.
        let swatches = by_class(&doc, "rect", "swatch");
        assert_eq!(swatches.len(), 1);
        assert!(class_has(&swatches[0], &format!("swatch-g{g}")));
        testutil::preview_svg(&format!("bars-split-{g}"), &svg);
    }
}

#[test]
fn ties_keep_input_order_and_missing_values_sink() {
    let mut chart = demo_bars(Lang::En);
    chart.bars.truncate(4);
    chart.bars[1].value = chart.bars[3].value; // tie between input 1 and 3
    chart.bars[0].value = f64::NAN;
    let svg = render_ranked_bars(&chart);
    let doc = Document::parse(&svg).unwrap();
    let labels: Vec<&str> = by_class(&doc, "text", "label")
        .iter()
        .map(|t| t.text().unwrap())
        .collect();
    let names: Vec<&str> = chart.bars.iter().map(|b| b.label.as_str()).collect();
    // Input values: [NaN, 126.74 (tie), 117.02, 126.74 (tie)] → 1, 3, 2, then the NaN.
    assert_eq!(labels, [names[1], names[3], names[2], names[0]]);
    assert_eq!(by_class(&doc, "rect", "bar").len(), 3);
    assert!(
        by_class(&doc, "text", "value")
            .iter()
            .any(|t| t.text() == Some("no data"))
    );
}

#[test]
fn output_is_deterministic_and_snapshotted() {
    let chart = RankedBars {
        id: "snap-bars".into(),
        title: "示例 Example".into(),
        description: "Three bars.".into(),
        lang: Lang::Zh,
        words: crate::chart::ChartWords::builtin(Lang::Zh),
        bars: vec![
            BarDatum {
                label: "黄浦".into(),
                value: 125.32,
                group: 0,
                rank: None,
            },
            BarDatum {
                label: "崇明".into(),
                value: 87.31,
                group: 1,
                rank: None,
            },
            BarDatum {
                label: "Jing'an".into(),
                value: 117.02,
                group: 0,
                rank: None,
            },
        ],
        groups: vec!["中心城区".into(), "郊区".into()],
        reference_lines: vec![RefLine {
            label: "全市平均".into(),
            value: 109.77,
        }],
        precision: 2,
        sort: true,
        width: crate::chart::WIDE,
        hatch_with_pattern: false,
        rank_axis: None,
    };
    let a = render_ranked_bars(&chart);
    assert_eq!(a, render_ranked_bars(&chart));
    insta::assert_snapshot!("ranked_bars_small", a);
}

