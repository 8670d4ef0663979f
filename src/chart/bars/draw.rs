//! Drawing a ranked bar chart with plotters: title and legend, bars, reference lines, then all
//! text on white knock-out boxes over both.

use plotters::prelude::{Color, ChartBuilder, ChartContext, PathElement, Rectangle, SVGBackend, Text, WHITE};
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::types::RangedCoordf64;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::font::text_width;
use super::super::plotting::{
    Canvas, DrawResult, PH_AXIS, PH_BAR, PH_GRID, PH_LABEL, PH_LEGEND_TEXT, PH_REF_LABEL,
    PH_REF_LINE, PH_SWATCH, PH_TITLE, PH_VALUE, bold, decimals_for, font, knockout, ph, px,
};
use super::super::svg::fmt_value;
use super::{BarDatum, Dims, RankedBars};

/// Where things go, in px, and the value axis.
pub(super) struct Layout {
    pub x0: f64,
    pub x1: f64,
    pub plot_top: f64,
    pub plot_h: f64,
    pub axis_h: f64,
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
    pub title_y: f64,
    pub legend_y: f64,
    pub refs_y: f64,
    /// The sizes of this width.
    pub d: Dims,
}

/// The plot: values across, one unit of height per bar. Row i (0 = top) occupies y in
/// [n-i-1, n-i] (plotters' y grows upward).
type Plot<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

pub(super) fn draw(
    root: &Canvas<'_>,
    chart: &RankedBars,
    bars: &[&BarDatum],
    l: Layout,
    title_lines: &[String],
) -> DrawResult {
    root.fill(&WHITE)?;
    let (w, h) = root.dim_in_pixel();
    title_and_legend(root, chart, bars, &l, title_lines)?;

    let n = bars.len().max(1);
    let plot = root.margin(
        px(l.plot_top),
        px(f64::from(h) - l.plot_top - l.plot_h - l.axis_h),
        px(l.x0),
        px(f64::from(w) - l.x1),
    );
    let mut ctx = ChartBuilder::on(&plot)
        .x_label_area_size(px(l.axis_h))
        .build_cartesian_2d(l.lo..l.hi, 0f64..n as f64)?;
    let decimals = decimals_for(l.step);
    let tick_fmt = move |v: &f64| format!("{:.*}", decimals, v);
    let ticks = ((l.hi - l.lo) / l.step).round() as usize + 1;
    ctx.configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .x_labels(ticks)
        .max_light_lines(0)
        .x_label_formatter(&tick_fmt)
        .bold_line_style(ph(PH_GRID))
        .axis_style(ph(PH_AXIS))
        .x_label_style(font(l.d.small).color(&ph(PH_AXIS)))
        .draw()?;

    // Drawing order: bars, then reference lines over them (so "above / below the mean" can be
    // read on every bar), then all text on white knock-out boxes over both.
    draw_bars(&mut ctx, bars, &l)?;
    reference_lines(root, &ctx, chart, &l)?;
    bar_labels(root, &ctx, chart, bars, &l)
}

fn title_and_legend(
    root: &Canvas<'_>,
    chart: &RankedBars,
    bars: &[&BarDatum],
    l: &Layout,
    title_lines: &[String],
) -> DrawResult {
    let d = &l.d;
    let top_left = Pos::new(HPos::Left, VPos::Top);
    for (i, line) in title_lines.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (px(d.margin), px(l.title_y + i as f64 * d.title_line)),
            bold(d.title).color(&ph(PH_TITLE)).pos(top_left),
        ))?;
    }
    if chart.groups.len() <= 1 {
        return Ok(());
    }
    let (sw, sh) = ((d.legend * 1.83).round(), (d.legend * 1.083).round());
    for (g, x, row) in super::legend_entries(chart, bars, d, l.x0) {
        let y = l.legend_y + 2.0 + row as f64 * d.legend_row;
        root.draw(&Rectangle::new(
            [(px(x), px(y)), (px(x + sw), px(y + sh))],
            ph(PH_SWATCH + g as u32).filled(),
        ))?;
        root.draw(&Text::new(
            chart.groups[g].clone(),
            (px(x + sw + 6.0), px(y + sh / 2.0)),
            font(d.legend)
                .color(&ph(PH_LEGEND_TEXT))
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// Middle of row `i` in plot coordinates.
fn y_mid(bars: &[&BarDatum], i: usize) -> f64 {
    bars.len().max(1) as f64 - i as f64 - 0.5
}

fn draw_bars(ctx: &mut Plot<'_, '_>, bars: &[&BarDatum], l: &Layout) -> DrawResult {
    let band_frac = l.d.bar / l.d.band;
    let base = 0f64.clamp(l.lo, l.hi);
    for (i, b) in bars.iter().enumerate().filter(|(_, b)| b.value.is_finite()) {
        ctx.draw_series(std::iter::once(Rectangle::new(
            [
                (base, y_mid(bars, i) - band_frac / 2.0),
                (b.value, y_mid(bars, i) + band_frac / 2.0),
            ],
            ph(PH_BAR + b.group as u32).filled(),
        )))?;
    }
    Ok(())
}

/// Reference lines: dashed across the plot, extended up to their label's row. Labels point away
/// from the other lines so none is crossed by, or seems to belong to, another line: the leftmost
/// line's label runs left from it, every other label runs right, and rows go in order of x (see
/// `ref_rows`), so a line only passes through rows of labels to its right that run away from it.
fn reference_lines(
    root: &Canvas<'_>,
    ctx: &Plot<'_, '_>,
    chart: &RankedBars,
    l: &Layout,
) -> DrawResult {
    let (w, _) = root.dim_in_pixel();
    let mut order: Vec<usize> = (0..chart.reference_lines.len())
        .filter(|&k| chart.reference_lines[k].value.is_finite())
        .collect();
    order.sort_by(|&a, &b| {
        chart.reference_lines[a]
            .value
            .total_cmp(&chart.reference_lines[b].value)
    });
    let mut ref_labels = Vec::new();
    for (pos, &k) in order.iter().enumerate() {
        let r = &chart.reference_lines[k];
        let (x, y_bottom) = ctx.backend_coord(&(r.value, 0.0));
        let row = pos.saturating_sub(1);
        let label_y = l.refs_y + row as f64 * l.d.ref_row + 8.0;
        root.draw(&PathElement::new(
            vec![(x, px(label_y - 7.0)), (x, y_bottom)],
            ph(PH_REF_LINE).stroke_width(1),
        ))?;
        let text = format!("{} {}", r.label, fmt_value(r.value, chart.precision));
        let tw = text_width(&text, l.d.small, false);
        let x = f64::from(x);
        let leftward = (pos == 0 && order.len() > 1) || x + 5.0 + tw > f64::from(w) - l.d.margin;
        let (tx, anchor) = if leftward && x - 5.0 - tw >= l.d.margin {
            (x - 5.0, HPos::Right)
        } else {
            (x + 5.0, HPos::Left)
        };
        ref_labels.push((text, tx, label_y, anchor));
    }
    // Labels after all lines, so no line is drawn over a label's knock-out box.
    for (text, x, y, anchor) in ref_labels {
        knockout(root, &text, l.d.small, x, y, anchor)?;
        root.draw(&Text::new(
            text,
            (px(x), px(y)),
            font(l.d.small)
                .color(&ph(PH_REF_LABEL))
                .pos(Pos::new(anchor, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// Each bar's label left of the plot and its value at the bar's end ("no data" where missing).
fn bar_labels(
    root: &Canvas<'_>,
    ctx: &Plot<'_, '_>,
    chart: &RankedBars,
    bars: &[&BarDatum],
    l: &Layout,
) -> DrawResult {
    for (i, b) in bars.iter().enumerate() {
        let (lx, ly) = ctx.backend_coord(&(l.lo, y_mid(bars, i)));
        root.draw(&Text::new(
            b.label.clone(),
            (lx - 10, ly),
            font(l.d.label)
                .color(&ph(PH_LABEL))
                .pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
        let (text, (vx, vy), right) = if b.value.is_finite() {
            (
                fmt_value(b.value, chart.precision),
                ctx.backend_coord(&(b.value, y_mid(bars, i))),
                b.value >= 0.0,
            )
        } else {
            (chart.words.no_data.clone(), (lx, ly), true)
        };
        let (dx, anchor) = if right {
            (5, HPos::Left)
        } else {
            (-5, HPos::Right)
        };
        knockout(
            root,
            &text,
            l.d.value,
            f64::from(vx + dx),
            f64::from(vy),
            anchor,
        )?;
        root.draw(&Text::new(
            text,
            (vx + dx, vy),
            font(l.d.value)
                .color(&ph(PH_VALUE))
                .pos(Pos::new(anchor, VPos::Center)),
        ))?;
    }
    Ok(())
}
