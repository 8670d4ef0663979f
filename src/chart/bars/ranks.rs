//! The rank column of a ranked bar chart: beside each bar, where its district ranked across the
//! runs of the uncertainty analysis — a dot at the median rank, a whisker from the 5th to the
//! 95th percentile — on a rank axis of its own (rank 1 at the left), with a legend line under
//! the chart. Bars are in value space and intervals in rank space, so they do not share an axis.

use std::fmt::Write as _;

use super::super::font::{text_width, wrap};
use super::super::plotting::nice_step;
use super::super::svg::{self, fmt_coord};
use super::super::words::fill;
use super::{BAND, BarDatum, MARGIN, RankAxis, RankedBars, WIDTH};

/// Size of every text of the column: at least 9 px when the 720 px chart is shown 390 px wide
/// on a phone (17 × 390 / 720 ≈ 9.2).
pub(super) const RANK_TEXT: f64 = 17.0;
/// Width of the rank axis.
const RANK_W: f64 = 130.0;
/// Space between the longest value label and the column.
const GAP: f64 = 14.0;
/// Height of the column's heading row, above the first bar.
pub(super) const HEADING_H: f64 = 24.0;
/// Height of the tick labels' row under the bars.
pub(super) const AXIS_H: f64 = 28.0;
/// Line height of the legend under the chart.
const LEGEND_LINE: f64 = 21.0;

/// Where the rank axis runs: ranks 1 to `of` between `x0` and `x1`.
#[derive(Debug, Clone, Copy)]
pub(super) struct RankScale {
    pub x0: f64,
    pub x1: f64,
    pub of: u32,
}

impl RankScale {
    /// The column at the right edge of the chart, with room for half of its end tick labels.
    pub fn new(axis: RankAxis) -> RankScale {
        let of = axis.of.max(1);
        let x1 = f64::from(WIDTH) - MARGIN - text_width(&of.to_string(), RANK_TEXT, false) / 2.0;
        RankScale { x0: x1 - RANK_W, x1, of }
    }

    /// Right edge of what the bars and their value labels may use.
    pub fn bars_end(&self) -> f64 {
        self.x0 - text_width("1", RANK_TEXT, false) / 2.0 - GAP
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
        Some(axis) => wrap(&legend_text(chart, axis), RANK_TEXT, false, f64::from(WIDTH) - 2.0 * MARGIN),
        None => Vec::new(),
    }
}

fn legend_text(chart: &RankedBars, axis: RankAxis) -> String {
    fill(&chart.words.rank_legend, &[("runs", &axis.runs.to_string())])
}

pub(super) fn legend_height(lines: usize) -> f64 {
    lines as f64 * LEGEND_LINE
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
    let mut out = String::from("<g class=\"rank-column\">\n");
    let plot_bottom = plot_top + bars.len().max(1) as f64 * BAND;
    let mid = (scale.x0 + scale.x1) / 2.0;
    out.push_str(&svg::text(
        mid,
        plot_top - 7.0,
        RANK_TEXT,
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
            plot_bottom + 19.0,
            RANK_TEXT,
            &format!("fill=\"{}\" text-anchor=\"middle\" class=\"rank-tick\"", svg::MUTED),
            &t.to_string(),
        ));
    }
    for (i, b) in bars.iter().enumerate() {
        let Some(span) = b.rank else { continue };
        let y = fmt_coord(plot_top + (i as f64 + 0.5) * BAND);
        let (y_lo, y_hi) = (
            fmt_coord(plot_top + (i as f64 + 0.5) * BAND - 5.0),
            fmt_coord(plot_top + (i as f64 + 0.5) * BAND + 5.0),
        );
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
            MARGIN,
            legend_top + 15.0 + k as f64 * LEGEND_LINE,
            RANK_TEXT,
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
