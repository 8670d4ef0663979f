//! The rank column of a ranked bar chart: beside each bar, where its district ranked across the
//! runs of the uncertainty analysis — a dot at the median rank, a whisker from the 5th to the
//! 95th percentile — on a rank axis of its own (rank 1 at the left), with a legend line under
//! the chart. Bars are in value space and intervals in rank space, so they do not share an axis.

use std::fmt::Write as _;

use super::super::font::{text_width, wrap};
use super::super::plotting::nice_step;
use super::super::svg::{self, fmt_coord};
use super::super::words::fill;
use super::{BarDatum, Dims, RankAxis, RankedBars};

/// Size of every text of the wide chart's column: at least 9 px when the 720 px chart is shown
/// 390 px wide on a phone (17 × 390 / 720 ≈ 9.2). The narrow chart has sizes of its own
/// ([`Dims`]); the column's width, gap and legend line height are there too.
pub(super) const RANK_TEXT: f64 = 17.0;

/// Height of the column's heading row, above the first bar.
pub(super) fn heading_h(d: &Dims) -> f64 {
    d.rank_text + 7.0
}

/// Height of the tick labels' row under the bars.
pub(super) fn axis_h(d: &Dims) -> f64 {
    d.rank_text + 11.0
}

/// Where the rank axis runs: ranks 1 to `of` between `x0` and `x1`.
#[derive(Debug, Clone, Copy)]
pub(super) struct RankScale {
    pub x0: f64,
    pub x1: f64,
    pub of: u32,
    text: f64,
    gap: f64,
}

impl RankScale {
    /// The column at the right edge of the chart, with room for half of its end tick labels.
    pub fn new(axis: RankAxis, d: &Dims) -> RankScale {
        let of = axis.of.max(1);
        let x1 = d.width - d.margin - text_width(&of.to_string(), d.rank_text, false) / 2.0;
        RankScale { x0: x1 - d.rank_w, x1, of, text: d.rank_text, gap: d.rank_gap }
    }

    /// Right edge of what the bars and their value labels may use.
    pub fn bars_end(&self) -> f64 {
        self.x0 - text_width("1", self.text, false) / 2.0 - self.gap
    }

    pub fn x(&self, rank: u32) -> f64 {
        if self.of <= 1 {
            return (self.x0 + self.x1) / 2.0;
        }
        let r = f64::from(rank.clamp(1, self.of) - 1);
        self.x0 + r / f64::from(self.of - 1) * (self.x1 - self.x0)
    }

    /// Rank 1, round ranks, and the last rank; a round rank too close to the last is left out
    /// so no two labels touch.
    pub fn ticks(&self) -> Vec<u32> {
        if self.of <= 1 {
            return vec![1];
        }
        let step = nice_step(f64::from(self.of - 1) / 4.0).max(1.0).round() as u32;
        let mut ticks = vec![1];
        let mut t = step;
        while t < self.of {
            if t > 1 && self.of - t >= step.div_ceil(2) {
                ticks.push(t);
            }
            t += step;
        }
        ticks.push(self.of);
        ticks
    }
}

/// Lines of the legend under the chart, wrapped to its width.
pub(super) fn legend_lines(chart: &RankedBars) -> Vec<String> {
    match chart.rank_axis {
        Some(axis) => {
            let d = chart.dims();
            wrap(&legend_text(chart, axis), d.rank_text, false, d.width - 2.0 * d.margin)
        }
        None => Vec::new(),
    }
}

fn legend_text(chart: &RankedBars, axis: RankAxis) -> String {
    fill(&chart.words.rank_legend, &[("runs", &axis.runs.to_string())])
}

pub(super) fn legend_height(chart: &RankedBars, lines: usize) -> f64 {
    lines as f64 * chart.dims().rank_legend_line
}

/// The column: heading, grid lines at the ticks, a whisker and a dot per bar that has an
/// interval, tick labels; then the legend lines from `legend_top` down.
pub(super) fn draw(
    chart: &RankedBars,
    bars: &[&BarDatum],
    scale: RankScale,
    plot_top: f64,
    legend_top: f64,
) -> String {
    let d = chart.dims();
    let mut out = String::from("<g class=\"rank-column\">\n");
    let plot_bottom = plot_top + bars.len().max(1) as f64 * d.band;
    let mid = (scale.x0 + scale.x1) / 2.0;
    out.push_str(&svg::text(
        mid,
        plot_top - 7.0,
        d.rank_text,
        "font-weight=\"bold\" text-anchor=\"middle\" class=\"rank-heading\"",
        &chart.words.rank_axis,
    ));
    for t in scale.ticks() {
        let x = fmt_coord(scale.x(t));
        let _ = writeln!(
            out,
            "<line class=\"rank-grid\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1\"/>",
            fmt_coord(plot_top),
            fmt_coord(plot_bottom),
            svg::GRID
        );
        out.push_str(&svg::text(
            scale.x(t),
            plot_bottom + d.rank_text + 2.0,
            d.rank_text,
            &format!("fill=\"{}\" text-anchor=\"middle\" class=\"rank-tick\"", svg::MUTED),
            &t.to_string(),
        ));
    }
    for (i, b) in bars.iter().enumerate() {
        let Some(span) = b.rank else { continue };
        let mid = plot_top + (i as f64 + 0.5) * d.band;
        let y = fmt_coord(mid);
        let (y_lo, y_hi) = (fmt_coord(mid - 5.0), fmt_coord(mid + 5.0));
        let (a, z) = (fmt_coord(scale.x(span.p05)), fmt_coord(scale.x(span.p95)));
        let _ = writeln!(
            out,
            "<path class=\"rank-whisker\" data-p05=\"{}\" data-p95=\"{}\" d=\"M{a} {y_lo}V{y_hi}M{a} {y}H{z}M{z} {y_lo}V{y_hi}\" stroke=\"{}\" stroke-width=\"2\" fill=\"none\"/>",
            span.p05,
            span.p95,
            svg::INK
        );
        let _ = writeln!(
            out,
            "<circle class=\"rank-median\" data-median=\"{}\" cx=\"{}\" cy=\"{y}\" r=\"4.5\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>",
            span.median,
            fmt_coord(scale.x(span.median)),
            svg::INK
        );
    }
    for (k, line) in legend_lines(chart).iter().enumerate() {
        out.push_str(&svg::text(
            d.margin,
            legend_top + d.rank_text - 2.0 + k as f64 * d.rank_legend_line,
            d.rank_text,
            &format!("fill=\"{}\" class=\"rank-legend\"", svg::INK),
            line,
        ));
    }
    out.push_str("</g>\n");
    out
}

/// The sentence of the `<desc>` that gives every bar's interval, in drawing order.
pub(super) fn describe(chart: &RankedBars, bars: &[&BarDatum]) -> Option<String> {
    let axis = chart.rank_axis?;
    let w = &chart.words;
    let items: Vec<String> = bars
        .iter()
        .filter_map(|b| {
            let s = b.rank?;
            Some(fill(
                &w.rank_item,
                &[
                    ("name", &b.label),
                    ("median", &s.median.to_string()),
                    ("p05", &s.p05.to_string()),
                    ("p95", &s.p95.to_string()),
                ],
            ))
        })
        .collect();
    if items.is_empty() {
        return None;
    }
    Some(fill(&w.rank_desc, &[("runs", &axis.runs.to_string()), ("list", &items.join(&w.item_sep))]))
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use crate::chart::TopBottomBars;
    use crate::chart::testutil::{by_class, demo_bars, num};
    use crate::model::Lang;
    use roxmltree::{Document, Node};

    /// Made-up intervals around each bar's input position, of varied widths.
    fn with_ranks(mut chart: RankedBars) -> RankedBars {
        let n = chart.bars.len() as u32;
        for (k, b) in chart.bars.iter_mut().enumerate() {
            let k = k as u32;
            let median = k + 1;
            b.rank = Some(RankSpan { median, p05: median.saturating_sub(k % 3).max(1), p95: (median + k % 4).min(n) });
        }
        chart.rank_axis = Some(RankAxis { of: n, runs: 1000 });
        chart
    }

    /// Three numbers of a whisker's path: its left end, its row, its right end.
    fn whisker(p: &Node<'_, '_>) -> (f64, f64, f64) {
        let d = p.attribute("d").unwrap();
        let nums: Vec<f64> = d
            .split(|c: char| c.is_ascii_alphabetic() || c == ' ')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap())
            .collect();
        // M a y_lo V y_hi M a y H z M z y_lo V y_hi
        (nums[3], nums[4], nums[5])
    }

    /// Rank at x, read back through the drawn tick labels (not the code's own scale).
    fn rank_at(doc: &Document<'_>, x: f64) -> f64 {
        let ticks: Vec<(f64, f64)> = by_class(doc, "text", "rank-tick")
            .iter()
            .map(|t| (num(t, "x"), t.text().unwrap().parse().unwrap()))
            .collect();
        let (first, last) = (ticks[0], ticks[ticks.len() - 1]);
        let slope = (last.1 - first.1) / (last.0 - first.0);
        for &(tx, r) in &ticks {
            assert!((first.1 + (tx - first.0) * slope - r).abs() < 0.05, "tick {r} off the axis: {ticks:?}");
        }
        first.1 + (x - first.0) * slope
    }

    #[test]
    fn whiskers_and_dots_span_each_bars_interval_in_its_row() {
        for lang in Lang::ALL {
            let chart = with_ranks(demo_bars(lang));
            let svg = render_ranked_bars(&chart);
            let doc = Document::parse(&svg).unwrap();
            let labels = by_class(&doc, "text", "label");
            let whiskers = by_class(&doc, "path", "rank-whisker");
            let dots = by_class(&doc, "circle", "rank-median");
            assert_eq!((whiskers.len(), dots.len()), (16, 16));
            for (w, dot) in whiskers.iter().zip(&dots) {
                let (a, y, z) = whisker(w);
                // The bar in the same row, by its label's height.
                let label = labels.iter().find(|l| (num(l, "y") - y).abs() < 1.0).expect("a label in the whisker's row");
                let name = label.text().unwrap();
                let span = chart.bars.iter().find(|b| b.label == name).unwrap().rank.unwrap();
                assert!((rank_at(&doc, a) - f64::from(span.p05)).abs() < 0.05, "{name}: p05");
                assert!((rank_at(&doc, z) - f64::from(span.p95)).abs() < 0.05, "{name}: p95");
                assert!((num(dot, "cy") - y).abs() < 0.05);
                assert!((rank_at(&doc, num(dot, "cx")) - f64::from(span.median)).abs() < 0.05, "{name}: median");
            }
            // Value labels end before the column starts.
            let column_left = by_class(&doc, "text", "rank-tick").iter().map(|t| num(t, "x")).fold(f64::MAX, f64::min) - 6.0;
            for v in by_class(&doc, "text", "value") {
                let right = num(&v, "x") + crate::chart::text_width(v.text().unwrap(), VALUE_SIZE, false);
                assert!(right < column_left, "value label {right} runs into the rank column at {column_left}");
            }
            // Legible on a phone: every text of the column at least 9 px with the chart 390 px wide.
            let scale = 390.0 / f64::from(WIDTH);
            let column = doc.descendants().find(|n| n.attribute("class") == Some("rank-column")).unwrap();
            for t in column.descendants().filter(|n| n.has_tag_name("text")) {
                assert!(num(&t, "font-size") * scale >= 9.0, "{:?}", t.text());
            }
            let legend: String = by_class(&doc, "text", "rank-legend").iter().map(|t| t.text().unwrap()).collect();
            assert!(legend.contains("1000"), "{legend}");
            assert!(crate::chart::testutil::desc(&doc).contains("1000"));
            // Without an analysis: no column, and the chart is the same as before.
            let plain = demo_bars(lang);
            assert!(!render_ranked_bars(&plain).contains("rank-column"));
        }
    }

    #[test]
    fn top_and_bottom_bars_keep_their_whiskers() {
        let mut chart = with_ranks(demo_bars(Lang::En));
        // 60 districts: the first 16 repeated, names made unique.
        let base = chart.bars.clone();
        chart.bars = (0..60)
            .map(|k| {
                let mut b = base[k % 16].clone();
                b.label = format!("{} {k}", b.label);
                b.value = 200.0 - k as f64;
                b.rank = Some(RankSpan { median: k as u32 + 1, p05: (k as u32 + 1).saturating_sub(3).max(1), p95: (k as u32 + 4).min(60) });
                b
            })
            .collect();
        chart.rank_axis = Some(RankAxis { of: 60, runs: 1000 });
        let svg = crate::chart::render_top_bottom(&TopBottomBars { bars: chart, keep: 10, note: "Only the ends.".into() });
        crate::chart::testutil::preview_svg("bars-ranks-top-bottom", &svg);
        let doc = Document::parse(&svg).unwrap();
        let whiskers = by_class(&doc, "path", "rank-whisker");
        assert_eq!(whiskers.len(), 20);
        let ticks: Vec<&str> = by_class(&doc, "text", "rank-tick").iter().map(|t| t.text().unwrap()).collect();
        assert_eq!(ticks.first(), Some(&"1"));
        assert_eq!(ticks.last(), Some(&"60"));
        // The bottom rows hold the lowest-ranked districts: their whiskers sit at the right end.
        let (_, _, z) = whisker(whiskers.last().unwrap());
        assert!((rank_at(&doc, z) - 60.0).abs() < 0.05);
        // Note and legend both under the chart, not overlapping.
        let note_y = by_class(&doc, "text", "omission-note").iter().map(|t| num(t, "y")).fold(0.0, f64::max);
        let legend_y = by_class(&doc, "text", "rank-legend").iter().map(|t| num(t, "y")).fold(f64::MAX, f64::min);
        assert!(legend_y - note_y >= 15.0, "{note_y} {legend_y}");
        let height: f64 = doc.root_element().attribute("height").unwrap().parse().unwrap();
        assert!(by_class(&doc, "text", "rank-legend").iter().all(|t| num(t, "y") < height));
    }

    #[test]
    fn ticks_are_round_and_never_crowd_the_last() {
        let ticks = |of| super::RankScale::new(RankAxis { of, runs: 1 }, &Dims::of(WIDE)).ticks();
        assert_eq!(ticks(16), vec![1, 5, 10, 16]);
        assert_eq!(ticks(300), vec![1, 100, 200, 300]);
        assert_eq!(ticks(1), vec![1]);
        assert_eq!(ticks(2), vec![1, 2]);
        assert_eq!(ticks(12), vec![1, 5, 12]);
    }
}
