//! Ranked horizontal bar charts: districts (or child indicators) with value labels, region
//! groups told apart by fill pattern as well as colour, and labelled reference lines.

mod draw;
mod hatching;
mod ranks;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod narrow_tests;

use crate::model::Lang;

use super::font::{text_width, wrap};
use super::plotting::{PH_BAR, PH_SWATCH, common_restyles, draw_svg, nice_step, ph_hex};
use super::svg::{self, Restyle, fmt_value};
use super::words::{fill, push_sentence};
use draw::Layout;
use hatching::{GROUP_STYLES, Hatched, add_hatching, add_pattern_hatching};

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct BarDatum {
    pub label: String,
    pub value: f64,
    /// Index into [`RankedBars::groups`] (e.g. 0 = central city, 1 = suburbs).
    pub group: usize,
    /// Its rank interval, drawn in the rank column when the chart has a [`RankAxis`].
    pub rank: Option<RankSpan>,
}

/// Where an entity ranked across the runs of the uncertainty analysis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankSpan {
    pub median: u32,
    /// 5th and 95th percentile ranks.
    pub p05: u32,
    pub p95: u32,
}

/// The rank column at the right of the bars: ranks 1 to `of`, from `runs` simulations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankAxis {
    pub of: u32,
    pub runs: u32,
}

/// A labelled vertical line across the bars (city mean, baseline 100).
#[derive(Debug, Clone, PartialEq)]
pub struct RefLine {
    pub label: String,
    pub value: f64,
}

/// A horizontal bar chart, one bar per entity.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedBars {
    /// Figure id: prefixes every id inside the SVG, so it must be unique on a page.
    pub id: String,
    pub title: String,
    /// What the chart shows, in words; a data summary is appended for `<desc>`.
    pub description: String,
    pub lang: Lang,
    /// The words it writes around its data, in `lang`.
    pub words: super::ChartWords,
    pub bars: Vec<BarDatum>,
    /// Legend labels by group index (中心城区 / 郊区). With one group no legend is drawn.
    pub groups: Vec<String>,
    pub reference_lines: Vec<RefLine>,
    /// Decimals of value labels.
    pub precision: u8,
    /// Draw the bars' rank intervals in a column of their own (the uncertainty analysis).
    pub rank_axis: Option<RankAxis>,
    /// Sort descending by value (stable: ties keep input order). Off keeps input order, e.g.
    /// child indicators in tree order.
    pub sort: bool,
    /// Width of the drawing: [`WIDE`] for pages and PNGs, [`NARROW`] for phones (see [`Dims`]).
    pub width: u32,
    /// Hatch with one SVG `<pattern>` per style: fewer bytes, for a drawing that is only inlined
    /// in pages (a phone variant next to its wide chart). resvg rasterises patterns slowly
    /// (bicubic sampling of a tile), so a chart that becomes a PNG is hatched with lines, which
    /// the rasteriser draws by its fast path (`chart::stripes`).
    pub hatch_with_pattern: bool,
}

/// The width of the chart on a desktop page, in its PNG and in print.
pub const WIDE: u32 = 720;
/// The width of the phone variant: shown about 330 px wide on a 390 px screen, so drawn nearly
/// at its own size and its smallest text (10.5) stays above 9 px.
pub const NARROW: u32 = 380;

#[cfg(test)]
const WIDTH: u32 = WIDE;
const MARGIN: f64 = 16.0;
const TITLE_SIZE: f64 = 16.0;
const LABEL_SIZE: f64 = 13.0;
const VALUE_SIZE: f64 = 12.0;
const SMALL_SIZE: f64 = 11.5;
const BAND: f64 = 26.0;
const BAR: f64 = 18.0;

/// Every size the layout uses, for one width of the chart. The wide chart keeps the sizes it has
/// always had; the narrow one is laid out for a phone, with text large relative to its width.
#[derive(Debug, Clone, Copy)]
pub(super) struct Dims {
    pub width: f64,
    pub margin: f64,
    pub title: f64,
    pub title_line: f64,
    pub label: f64,
    pub value: f64,
    pub small: f64,
    pub legend: f64,
    pub legend_row: f64,
    pub ref_row: f64,
    pub band: f64,
    pub bar: f64,
    /// Size, axis width and gap of the rank column (see `ranks`).
    pub rank_text: f64,
    pub rank_w: f64,
    pub rank_gap: f64,
    pub rank_legend_line: f64,
    /// Narrowest the plot may be, as a share of the width: labels too long to leave it that
    /// much room are shortened with "…" (the wide chart, its PNG and the page's table keep every
    /// name whole). `None`: never shortened.
    pub min_plot_share: Option<f64>,
}

impl Dims {
    pub fn of(width: u32) -> Dims {
        if width >= WIDE {
            return Dims {
                width: f64::from(width),
                margin: MARGIN,
                title: TITLE_SIZE,
                title_line: 22.0,
                label: LABEL_SIZE,
                value: VALUE_SIZE,
                small: SMALL_SIZE,
                legend: 12.0,
                legend_row: 24.0,
                ref_row: 17.0,
                band: BAND,
                bar: BAR,
                rank_text: ranks::RANK_TEXT,
                rank_w: 160.0,
                rank_gap: 14.0,
                rank_legend_line: 21.0,
                min_plot_share: None,
            };
        }
        Dims {
            width: f64::from(width),
            margin: 6.0,
            title: 13.0,
            title_line: 17.0,
            label: 11.0,
            value: 10.5,
            small: 10.5,
            legend: 10.5,
            legend_row: 19.0,
            ref_row: 14.0,
            band: 21.0,
            bar: 14.0,
            rank_text: 10.5,
            rank_w: 0.2 * f64::from(width),
            rank_gap: 8.0,
            rank_legend_line: 14.0,
            min_plot_share: Some(0.3),
        }
    }

    /// The smallest text the chart draws.
    pub fn smallest_text(&self) -> f64 {
        [self.title, self.label, self.value, self.small, self.legend, self.rank_text].into_iter().fold(f64::MAX, f64::min)
    }
}

impl RankedBars {
    pub(super) fn dims(&self) -> Dims {
        Dims::of(self.width)
    }

    /// The smallest font size the chart draws, in px of its own width.
    pub fn smallest_text(&self) -> f64 {
        self.dims().smallest_text()
    }
}

/// Renders the chart as a standalone, accessible SVG document.
impl super::Chart for RankedBars {
    fn to_svg(&self) -> String {
        render_ranked_bars(self)
    }

    fn texts(&self) -> Vec<&str> {
        let mut t = vec![self.title.as_str(), self.description.as_str()];
        t.extend(self.bars.iter().map(|x| x.label.as_str()));
        t.extend(self.groups.iter().map(String::as_str));
        t.extend(self.reference_lines.iter().map(|r| r.label.as_str()));

        t.extend(self.words.all());
        if self.dims().min_plot_share.is_some() {
            t.push(ELLIPSIS);
        }
        t
    }
}

/// Ends a label shortened to fit a narrow chart.
const ELLIPSIS: &str = "…";

pub fn render_ranked_bars(chart: &RankedBars) -> String {
    render_with_note(chart, None)
}

/// What a chart drawn from a selection of bars adds (see `chart::top_bottom`): a dashed line
/// under bar row `break_after` (0-based) where bars were left out, and a note under the axis.
pub(crate) struct Omission<'n> {
    pub break_after: usize,
    pub note: &'n str,
}

/// The chart, with a break and a note where bars were left out.
pub(crate) fn render_with_note(full: &RankedBars, omission: Option<Omission<'_>>) -> String {
    let d = full.dims();
    let prefix = svg::id_prefix(&full.id);
    // A narrow chart draws long labels shortened; its `<desc>` still names everything in full.
    let short = shortened(full, &d);
    let chart = short.as_ref().unwrap_or(full);
    let bars = ordered(chart);
    let title_lines = wrap(&chart.title, d.title, true, d.width - 2.0 * d.margin);
    let (layout, height) = layout(chart, &bars, title_lines.len(), &d);
    let note_lines = match &omission {
        Some(o) => wrap(o.note, d.small, false, d.width - 2.0 * d.margin),
        None => Vec::new(),
    };
    let note_line = (d.small * 1.4).round();
    let note_top = f64::from(height) - d.margin + 4.0;
    let legend_lines = ranks::legend_lines(chart);
    let legend_top = note_top + note_lines.len() as f64 * note_line;
    let height = height
        + (note_lines.len() as f64 * note_line + ranks::legend_height(chart, legend_lines.len())).round() as u32;
    let plot_top = layout.plot_top;
    let raw = draw_svg(chart.width, height, |root| {
        draw::draw(root, chart, &bars, layout, &title_lines)
    });
    let (restyles, hatched) = group_styling(chart, &bars);
    let header = svg::open_svg(
        &prefix,
        chart.lang,
        d.width,
        f64::from(height),
        &full.title,
        &describe(full, &ordered(full)),
        "",
    );
    let cleaned = svg::clean_plotters_svg(&raw, &header, &restyles);
    let mut out = if chart.hatch_with_pattern {
        add_pattern_hatching(&cleaned, &hatched, &prefix)
    } else {
        add_hatching(&cleaned, &hatched)
    };
    if let Some(o) = &omission {
        let y = plot_top + (o.break_after + 1) as f64 * d.band;
        out.push_str(&format!(
            "<line class=\"omission\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>\n",
            svg::fmt_coord(d.margin),
            svg::fmt_coord(y),
            svg::fmt_coord(d.width - d.margin),
            svg::fmt_coord(y),
            svg::INK
        ));
        for (i, line) in note_lines.iter().enumerate() {
            out.push_str(&svg::text(
                d.margin,
                note_top + (d.small + 0.5).round() + i as f64 * note_line,
                d.small,
                &format!("fill=\"{}\" class=\"omission-note\"", svg::INK),
                line,
            ));
        }
    }
    if let Some(axis) = chart.rank_axis {
        out.push_str(&ranks::draw(chart, &bars, ranks::RankScale::new(axis, &d), plot_top, legend_top));
    }
    out.push_str("</svg>\n");
    out
}

/// The chart with every label longer than the narrow layout allows cut to fit, ending in "…";
/// `None` when nothing needs cutting (always for the wide chart).
fn shortened(chart: &RankedBars, d: &Dims) -> Option<RankedBars> {
    let max = label_room(chart, d, d.min_plot_share?);
    let fits = |t: &str| text_width(t, d.label, false) <= max;
    if chart.bars.iter().all(|b| fits(&b.label)) {
        return None;
    }
    let mut short = chart.clone();
    for b in short.bars.iter_mut().filter(|b| !fits(&b.label)) {
        let mut chars: Vec<char> = b.label.chars().collect();
        while !chars.is_empty() && !fits(&format!("{}{ELLIPSIS}", chars.iter().collect::<String>().trim_end())) {
            chars.pop();
        }
        b.label = format!("{}{ELLIPSIS}", chars.iter().collect::<String>().trim_end());
    }
    Some(short)
}

/// Room for the bar labels that leaves the plot `plot_share` of the width: the width less the
/// margin, the plot, the value labels and the rank column, with the gaps `layout` puts between.
fn label_room(chart: &RankedBars, d: &Dims, plot_share: f64) -> f64 {
    let right = match chart.rank_axis {
        Some(axis) => ranks::RankScale::new(axis, d).bars_end(),
        None => d.width - d.margin,
    };
    right - value_width(chart, d) - 8.0 - plot_share * d.width - 10.0 - d.margin
}

fn value_width(chart: &RankedBars, d: &Dims) -> f64 {
    chart
        .bars
        .iter()
        .map(|b| text_width(&fmt_value(b.value, chart.precision), d.value, false))
        .fold(0.0, f64::max)
}

/// Where each legend entry is drawn, as (group, x, row), for the groups that have bars (a
/// suburbs-only chart explains its hatching, nothing more); none with a single group. The
/// legend starts at the plot's left edge (`x0`), or at the margin in the narrow chart, which
/// has no room to indent it; an entry that would run past the right margin starts a new row
/// (six regions do not fit on one).
pub(super) fn legend_entries(chart: &RankedBars, bars: &[&BarDatum], d: &Dims, x0: f64) -> Vec<(usize, f64, usize)> {
    if chart.groups.len() <= 1 {
        return Vec::new();
    }
    let start = if d.min_plot_share.is_some() { d.margin } else { x0 };
    let swatch = (d.legend * 1.83).round();
    let right = d.width - d.margin;
    let (mut x, mut row) = (start, 0);
    let mut out = Vec::new();
    for (g, name) in chart.groups.iter().enumerate().filter(|(g, _)| bars.iter().any(|b| b.group == *g)) {
        let w = swatch + 6.0 + text_width(name, d.legend, false);
        if x > start && x + w > right {
            row += 1;
            x = start;
        }
        out.push((g, x, row));
        x += w + 20.0;
    }
    out
}

/// Horizontal: label column | plot | room for the value label of the longest bar. Vertical:
/// title lines, legend row, one row per reference-line label, bars, x axis. Returns the layout
/// and the chart's height.
fn layout(chart: &RankedBars, bars: &[&BarDatum], title_lines: usize, d: &Dims) -> (Layout, u32) {
    let label_w = bars
        .iter()
        .map(|b| text_width(&b.label, d.label, false))
        .fold(0.0, f64::max);
    let value_w = value_width(chart, d);
    let x0 = (d.margin + label_w + 10.0).round();
    let right = match chart.rank_axis {
        Some(axis) => ranks::RankScale::new(axis, d).bars_end(),
        None => d.width - d.margin,
    };
    let x1 = (right - value_w - 8.0).round();

    let mut y = d.margin;
    let title_y = y;
    y += title_lines as f64 * d.title_line + 4.0;
    let legend_y = y;
    y += legend_entries(chart, bars, d, x0).last().map_or(0.0, |&(_, _, row)| (row + 1) as f64 * d.legend_row);
    let refs_y = y;
    y += ref_rows(
        chart
            .reference_lines
            .iter()
            .filter(|r| r.value.is_finite())
            .count(),
    ) as f64
        * d.ref_row;
    if chart.rank_axis.is_some() {
        y += ranks::heading_h(d);
    }
    let plot_top = (y + 4.0).round();
    let plot_h = bars.len().max(1) as f64 * d.band;
    let axis_h = if chart.rank_axis.is_some() { ranks::axis_h(d) } else { (d.small * 2.1).round() };
    let height = (plot_top + plot_h + axis_h + d.margin).round() as u32;
    let (lo, hi, step) = domain(bars, &chart.reference_lines);
    let layout = Layout {
        x0,
        x1,
        plot_top,
        plot_h,
        axis_h,
        lo,
        hi,
        step,
        title_y,
        legend_y,
        refs_y,
        d: *d,
    };
    (layout, height)
}

/// Styling of the bars and legend swatches of every group in use, and which of them are hatched.
fn group_styling(chart: &RankedBars, bars: &[&BarDatum]) -> (Vec<Restyle>, Hatched) {
    let mut restyles = common_restyles();
    let mut hatched = Vec::new();
    let used_groups = chart
        .groups
        .len()
        .max(bars.iter().map(|b| b.group + 1).max().unwrap_or(1));
    for g in 0..used_groups {
        let style = &GROUP_STYLES[g % GROUP_STYLES.len()];
        let fill = style.attrs();
        if let Some((stripe, gap, dir)) = style.hatch {
            hatched.push((format!("bar bar-g{g}"), stripe, gap, dir));
            hatched.push((format!("swatch swatch-g{g}"), stripe, gap, dir));
        }
        restyles.push(Restyle {
            placeholder: ph_hex(PH_BAR + g as u32),
            fill: format!("{fill} class=\"bar bar-g{g}\""),
            stroke: String::new(),
        });
        restyles.push(Restyle {
            placeholder: ph_hex(PH_SWATCH + g as u32),
            fill: format!("{fill} class=\"swatch swatch-g{g}\""),
            stroke: String::new(),
        });
    }
    (restyles, hatched)
}

/// Label rows needed for `n` reference lines: the two leftmost share the first row (their
/// labels run in opposite directions), each further line gets its own.
fn ref_rows(n: usize) -> usize {
    n.saturating_sub(1).max(usize::from(n > 0))
}

/// Bars in drawing order, top first.
fn ordered(chart: &RankedBars) -> Vec<&BarDatum> {
    let mut bars: Vec<&BarDatum> = chart.bars.iter().collect();
    if chart.sort {
        // Missing (NaN) values sink to the bottom; `sort_by` is stable, so ties keep input order.
        bars.sort_by(|a, b| match (a.value.is_finite(), b.value.is_finite()) {
            (true, true) => b.value.total_cmp(&a.value),
            (true, false) => std::cmp::Ordering::Less,
            (false, true) => std::cmp::Ordering::Greater,
            (false, false) => std::cmp::Ordering::Equal,
        });
    }
    bars
}

fn describe(chart: &RankedBars, bars: &[&BarDatum]) -> String {
    let items: Vec<(&str, f64)> = bars.iter().map(|b| (b.label.as_str(), b.value)).collect();
    let w = &chart.words;
    let mut s = svg::summarise(w, &items, chart.precision, &w.noun_bars);
    if !chart.reference_lines.is_empty() {
        let refs: Vec<String> = chart
            .reference_lines
            .iter()
            .map(|r| format!("{} {}", r.label, fmt_value(r.value, chart.precision)))
            .collect();
        push_sentence(&mut s, &fill(&w.ref_lines, &[("list", &refs.join(&w.item_sep))]));
    }
    if let Some(intervals) = ranks::describe(chart, bars) {
        push_sentence(&mut s, &intervals);
    }
    svg::join_desc(&chart.description, &s)
}

/// Value axis from zero (bars must start at zero to be honest), extended to a round number past
/// the largest bar or reference line.
fn domain(bars: &[&BarDatum], refs: &[RefLine]) -> (f64, f64, f64) {
    let values = bars
        .iter()
        .map(|b| b.value)
        .chain(refs.iter().map(|r| r.value))
        .filter(|v| v.is_finite());
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if hi - lo <= 0.0 {
        hi = lo + 1.0;
    }
    let step = nice_step((hi - lo) / 6.0);
    let lo = (lo / step).floor() * step;
    let hi = (hi / step).ceil() * step;
    (lo, hi, step)
}
