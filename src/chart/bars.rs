//! Ranked horizontal bar charts: districts (or child indicators) with value labels, region
//! groups told apart by fill pattern as well as colour, and labelled reference lines.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::model::Lang;

use super::font::{FONT_STACK, register_with_plotters, text_width, wrap};
use super::svg::{self, Restyle, fmt_value};

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct BarDatum {
    pub label: String,
    pub value: f64,
    /// Index into [`RankedBars::groups`] (e.g. 0 = central city, 1 = suburbs).
    pub group: usize,
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
    pub bars: Vec<BarDatum>,
    /// Legend labels by group index (中心城区 / 郊区). With one group no legend is drawn.
    pub groups: Vec<String>,
    pub reference_lines: Vec<RefLine>,
    /// Decimals of value labels.
    pub precision: u8,
    /// Sort descending by value (stable: ties keep input order). Off keeps input order, e.g.
    /// child indicators in tree order.
    pub sort: bool,
}

/// Fill of each group, cycled: solid blue; light orange with dark diagonal hatching; light grey
/// with the opposite diagonal. Blue/orange stay distinct for all common colour-vision
/// deficiencies, the hatching keeps groups apart in greyscale print, and the dark outline gives
/// the light bars 3:1 contrast with the page.
struct GroupStyle {
    fill: &'static str,
    outline: Option<&'static str>,
    /// Stripe colour, gap and direction (+1 = "/", −1 = "\\") of the hatching, if any.
    hatch: Option<(&'static str, f64, f64)>,
}

const GROUP_STYLES: [GroupStyle; 3] = [
    GroupStyle {
        fill: "#2166ac",
        outline: None,
        hatch: None,
    },
    GroupStyle {
        fill: "#fdd9b1",
        outline: Some("#a04a05"),
        hatch: Some(("#a04a05", 5.0, 1.0)),
    },
    GroupStyle {
        fill: "#e4e7eb",
        outline: Some("#3e4c59"),
        hatch: Some(("#3e4c59", 4.0, -1.0)),
    },
];

impl GroupStyle {
    fn attrs(&self) -> String {
        match self.outline {
            Some(o) => format!("fill=\"{}\" stroke=\"{o}\" stroke-width=\"1\"", self.fill),
            None => format!("fill=\"{}\" stroke=\"none\"", self.fill),
        }
    }
}

/// Appends hatching after every `<rect>` of the given classes: explicit 45° line segments
/// clipped to the rectangle. An SVG `<pattern>` would be shorter but tripled resvg's rendering
/// time; explicit lines look the same in browsers and stay on one global grid, so adjacent bars'
/// stripes line up.
fn add_hatching(svg: &str, hatched: &[(String, &str, f64, f64)]) -> String {
    let mut out = String::with_capacity(svg.len() * 2);
    for line in svg.lines() {
        out.push_str(line);
        out.push('\n');
        if !line.starts_with("<rect") {
            continue;
        }
        let Some((_, stripe, gap, dir)) = hatched
            .iter()
            .find(|(class, ..)| line.contains(&format!("{class}\"")))
        else {
            continue;
        };
        let attr = |name: &str| -> f64 {
            let key = format!(" {name}=\"");
            line.find(&key)
                .and_then(|i| line[i + key.len()..].split('"').next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0)
        };
        let (x0, y0, x1, y1) = (
            attr("x"),
            attr("y"),
            attr("x") + attr("width"),
            attr("y") + attr("height"),
        );
        out.push_str(&format!(
            "<path class=\"hatch\" fill=\"none\" stroke=\"{stripe}\" stroke-width=\"1.6\" d=\""
        ));
        // Lines x + dir·y = c, c on a global grid of spacing gap·√2 (gap measured across lines).
        let step = gap * std::f64::consts::SQRT_2;
        let (c_lo, c_hi) = if *dir > 0.0 {
            (x0 + y0, x1 + y1)
        } else {
            (x0 - y1, x1 - y0)
        };
        let mut c = (c_lo / step).ceil() * step;
        while c < c_hi {
            // Where the line meets the rectangle: x = c − dir·y for y in [y0, y1], x in [x0, x1].
            let (xa, xb) = if *dir > 0.0 {
                (c - y1, c - y0)
            } else {
                (c + y0, c + y1)
            };
            let (xs, xe) = (xa.max(x0), xb.min(x1));
            if xe > xs {
                let y = |x: f64| if *dir > 0.0 { c - x } else { x - c };
                out.push_str(&format!(
                    "M{} {}L{} {}",
                    svg::fmt_coord(xs),
                    svg::fmt_coord(y(xs)),
                    svg::fmt_coord(xe),
                    svg::fmt_coord(y(xe))
                ));
            }
            c += step;
        }
        out.push_str("\"/>\n");
    }
    out
}

// Placeholder colours plotters draws with; `clean_plotters_svg` swaps in the real styling.
pub(crate) const PH_LABEL: u32 = 0x0A0101;
pub(crate) const PH_VALUE: u32 = 0x0A0102;
pub(crate) const PH_REF_LINE: u32 = 0x0A0103;
pub(crate) const PH_REF_LABEL: u32 = 0x0A0104;
pub(crate) const PH_TITLE: u32 = 0x0A0105;
pub(crate) const PH_LEGEND_TEXT: u32 = 0x0A0106;
pub(crate) const PH_AXIS: u32 = 0x0A0107;
pub(crate) const PH_GRID: u32 = 0x0A0108;
pub(crate) const PH_KNOCKOUT: u32 = 0x0A0109;
/// Bars of group g use `PH_BAR + g`, legend swatches `PH_SWATCH + g`.
pub(crate) const PH_BAR: u32 = 0x0A0200;
pub(crate) const PH_SWATCH: u32 = 0x0A0300;

pub(crate) fn ph(c: u32) -> RGBColor {
    RGBColor((c >> 16) as u8, (c >> 8) as u8, c as u8)
}

pub(crate) fn ph_hex(c: u32) -> String {
    format!("#{c:06X}")
}

const WIDTH: u32 = 720;
const MARGIN: f64 = 16.0;
const TITLE_SIZE: f64 = 16.0;
const LABEL_SIZE: f64 = 13.0;
const VALUE_SIZE: f64 = 12.0;
const SMALL_SIZE: f64 = 11.5;
const BAND: f64 = 26.0;
const BAR: f64 = 18.0;

/// Renders the chart as a standalone, accessible SVG document.
pub fn render_ranked_bars(chart: &RankedBars) -> String {
    register_with_plotters();
    let prefix = svg::id_prefix(&chart.id);
    let bars = ordered(chart);
    let n = bars.len();
    let p = chart.precision;
    let legend = chart.groups.len() > 1;

    // Horizontal layout: label column | plot | room for the value label of the longest bar.
    let label_w = bars
        .iter()
        .map(|b| text_width(&b.label, LABEL_SIZE, false))
        .fold(0.0, f64::max);
    let value_w = bars
        .iter()
        .map(|b| text_width(&fmt_value(b.value, p), VALUE_SIZE, false))
        .fold(0.0, f64::max);
    let x0 = (MARGIN + label_w + 10.0).round();
    let x1 = (f64::from(WIDTH) - MARGIN - value_w - 8.0).round();

    // Vertical layout: title lines, legend row, one row per reference-line label, bars, x axis.
    let title_lines = wrap(
        &chart.title,
        TITLE_SIZE,
        true,
        f64::from(WIDTH) - 2.0 * MARGIN,
    );
    let mut y = MARGIN;
    let title_y = y;
    y += title_lines.len() as f64 * 22.0 + 4.0;
    let legend_y = y;
    if legend {
        y += 24.0;
    }
    let refs_y = y;
    y += ref_rows(
        chart
            .reference_lines
            .iter()
            .filter(|r| r.value.is_finite())
            .count(),
    ) as f64
        * 17.0;
    let plot_top = (y + 4.0).round();
    let plot_h = n.max(1) as f64 * BAND;
    let axis_h = 24.0;
    let height = (plot_top + plot_h + axis_h + MARGIN).round() as u32;

    let (lo, hi, step) = domain(&bars, &chart.reference_lines);

    let mut raw = String::new();
    {
        let root = SVGBackend::with_string(&mut raw, (WIDTH, height)).into_drawing_area();
        draw(
            &root,
            chart,
            &bars,
            Layout {
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
            },
            &title_lines,
        )
        .expect("plotters drawing into a String cannot fail once the font is registered");
        root.present()
            .expect("presenting an in-memory SVG cannot fail");
    }

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

    let header = svg::open_svg(
        &prefix,
        chart.lang,
        f64::from(WIDTH),
        f64::from(height),
        &chart.title,
        &describe(chart, &bars),
        "",
    );
    let mut out = add_hatching(&svg::clean_plotters_svg(&raw, &header, &restyles), &hatched);
    out.push_str("</svg>\n");
    out
}

/// Styling of the placeholders shared by the plotters-drawn charts.
pub(crate) fn common_restyles() -> Vec<Restyle> {
    vec![
        Restyle {
            placeholder: ph_hex(PH_LABEL),
            fill: format!("fill=\"{}\" class=\"label\"", svg::INK),
            stroke: String::new(),
        },
        Restyle {
            placeholder: ph_hex(PH_VALUE),
            fill: format!("fill=\"{}\" class=\"value\"", svg::INK),
            stroke: String::new(),
        },
        Restyle {
            placeholder: ph_hex(PH_REF_LINE),
            fill: String::new(),
            stroke: format!(
                "stroke=\"{}\" stroke-dasharray=\"5 3\" class=\"ref-line\"",
                svg::INK
            ),
        },
        Restyle {
            placeholder: ph_hex(PH_REF_LABEL),
            fill: "fill=\"#3e4c59\" class=\"ref-label\"".into(),
            stroke: String::new(),
        },
        Restyle {
            placeholder: ph_hex(PH_TITLE),
            fill: format!("fill=\"{}\" class=\"chart-title\"", svg::INK),
            stroke: String::new(),
        },
        Restyle {
            placeholder: ph_hex(PH_LEGEND_TEXT),
            fill: format!("fill=\"{}\" class=\"legend-label\"", svg::INK),
            stroke: String::new(),
        },
        Restyle {
            placeholder: ph_hex(PH_AXIS),
            fill: format!("fill=\"{}\"", svg::MUTED),
            stroke: format!("stroke=\"{}\"", svg::AXIS),
        },
        Restyle {
            placeholder: ph_hex(PH_KNOCKOUT),
            fill: "fill=\"#ffffff\" stroke=\"none\" class=\"knockout\"".into(),
            stroke: String::new(),
        },
        Restyle {
            placeholder: ph_hex(PH_GRID),
            fill: String::new(),
            stroke: format!("stroke=\"{}\"", svg::GRID),
        },
    ]
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
    let mut s = svg::summarise(chart.lang, &items, chart.precision, ("项", "bars"));
    if !chart.reference_lines.is_empty() {
        let refs: Vec<String> = chart
            .reference_lines
            .iter()
            .map(|r| format!("{} {}", r.label, fmt_value(r.value, chart.precision)))
            .collect();
        match chart.lang {
            Lang::Zh => s.push_str(&format!("参考线：{}。", refs.join("；"))),
            Lang::En => s.push_str(&format!(" Reference lines: {}.", refs.join("; "))),
        }
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

/// 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
pub(crate) fn nice_step(raw: f64) -> f64 {
    let mag = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * mag >= raw * 0.999_999 {
            return m * mag;
        }
    }
    10.0 * mag
}

/// A white box behind a label, so reference lines passing under it (even between glyphs, where a
/// stroke halo would not reach) never cut through the digits.
pub(crate) fn knockout(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    text: &str,
    size: f64,
    x: f64,
    y_mid: f64,
    anchor: HPos,
) -> DrawResult {
    let w = text_width(text, size, false);
    let left = match anchor {
        HPos::Left => x,
        HPos::Center => x - w / 2.0,
        HPos::Right => x - w,
    };
    root.draw(&Rectangle::new(
        [
            (px(left - 2.0), px(y_mid - size * 0.6)),
            (px(left + w + 2.0), px(y_mid + size * 0.6)),
        ],
        ph(PH_KNOCKOUT).filled(),
    ))
}

/// Decimals needed to print multiples of `step` exactly (2.5 → 1, 0.25 → 2, 20 → 0).
pub(crate) fn decimals_for(step: f64) -> usize {
    (0..6)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(6)
}

struct Layout {
    x0: f64,
    x1: f64,
    plot_top: f64,
    plot_h: f64,
    axis_h: f64,
    lo: f64,
    hi: f64,
    step: f64,
    title_y: f64,
    legend_y: f64,
    refs_y: f64,
}

pub(crate) type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;

pub(crate) fn font(size: f64) -> FontDesc<'static> {
    // plotters writes font-size = size / 1.24; compensate so the SVG gets the size we mean.
    FontDesc::new(FontFamily::Name(FONT_STACK), size * 1.24, FontStyle::Normal)
}

pub(crate) fn bold(size: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::Name(FONT_STACK), size * 1.24, FontStyle::Bold)
}

pub(crate) fn px(v: f64) -> i32 {
    v.round() as i32
}

fn draw(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    chart: &RankedBars,
    bars: &[&BarDatum],
    l: Layout,
    title_lines: &[String],
) -> DrawResult {
    root.fill(&WHITE)?;
    let (w, h) = root.dim_in_pixel();
    let top_left = Pos::new(HPos::Left, VPos::Top);

    for (i, line) in title_lines.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (px(MARGIN), px(l.title_y + i as f64 * 22.0)),
            bold(TITLE_SIZE).color(&ph(PH_TITLE)).pos(top_left),
        ))?;
    }

    if chart.groups.len() > 1 {
        let mut x = l.x0;
        // Only groups that have bars: a suburbs-only chart explains its hatching, nothing more.
        let present = |g: usize| bars.iter().any(|b| b.group == g);
        for (g, name) in chart.groups.iter().enumerate().filter(|(g, _)| present(*g)) {
            let y = l.legend_y + 2.0;
            root.draw(&Rectangle::new(
                [(px(x), px(y)), (px(x + 22.0), px(y + 13.0))],
                ph(PH_SWATCH + g as u32).filled(),
            ))?;
            root.draw(&Text::new(
                name.clone(),
                (px(x + 28.0), px(y + 6.5)),
                font(12.0)
                    .color(&ph(PH_LEGEND_TEXT))
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
            x += 28.0 + text_width(name, 12.0, false) + 20.0;
        }
    }

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
        .x_label_style(font(SMALL_SIZE).color(&ph(PH_AXIS)))
        .draw()?;

    // Drawing order: bars, then reference lines over them (so "above / below the mean" can be
    // read on every bar), then all text on white knock-out boxes over both.
    // Row i (0 = top) occupies y in [n-i-1, n-i] in chart coordinates (plotters' y grows upward).
    let band_frac = BAR / BAND;
    let base = 0f64.clamp(l.lo, l.hi);
    let y_mid = |i: usize| n as f64 - i as f64 - 0.5;
    for (i, b) in bars.iter().enumerate().filter(|(_, b)| b.value.is_finite()) {
        ctx.draw_series(std::iter::once(Rectangle::new(
            [
                (base, y_mid(i) - band_frac / 2.0),
                (b.value, y_mid(i) + band_frac / 2.0),
            ],
            ph(PH_BAR + b.group as u32).filled(),
        )))?;
    }

    // Reference lines: dashed across the plot, extended up to their label's row. Labels point
    // away from the other lines so none is crossed by, or seems to belong to, another line: the
    // leftmost line's label runs left from it, every other label runs right, and rows go in
    // order of x (see `ref_rows`), so a line only passes through rows of labels to its right
    // that run away from it.
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
        let label_y = l.refs_y + row as f64 * 17.0 + 8.0;
        root.draw(&PathElement::new(
            vec![(x, px(label_y - 7.0)), (x, y_bottom)],
            ph(PH_REF_LINE).stroke_width(1),
        ))?;
        let text = format!("{} {}", r.label, fmt_value(r.value, chart.precision));
        let tw = text_width(&text, SMALL_SIZE, false);
        let x = f64::from(x);
        let leftward = (pos == 0 && order.len() > 1) || x + 5.0 + tw > f64::from(w) - MARGIN;
        let (tx, anchor) = if leftward && x - 5.0 - tw >= MARGIN {
            (x - 5.0, HPos::Right)
        } else {
            (x + 5.0, HPos::Left)
        };
        ref_labels.push((text, tx, label_y, anchor));
    }
    for (text, x, y, anchor) in ref_labels {
        knockout(root, &text, SMALL_SIZE, x, y, anchor)?;
        root.draw(&Text::new(
            text,
            (px(x), px(y)),
            font(SMALL_SIZE)
                .color(&ph(PH_REF_LABEL))
                .pos(Pos::new(anchor, VPos::Center)),
        ))?;
    }

    for (i, b) in bars.iter().enumerate() {
        let (lx, ly) = ctx.backend_coord(&(l.lo, y_mid(i)));
        root.draw(&Text::new(
            b.label.clone(),
            (lx - 10, ly),
            font(LABEL_SIZE)
                .color(&ph(PH_LABEL))
                .pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
        let (text, (vx, vy), right) = if b.value.is_finite() {
            (
                fmt_value(b.value, chart.precision),
                ctx.backend_coord(&(b.value, y_mid(i))),
                b.value >= 0.0,
            )
        } else {
            let na = match chart.lang {
                Lang::Zh => "无数据",
                Lang::En => "no data",
            };
            (na.to_string(), (lx, ly), true)
        };
        let (dx, anchor) = if right {
            (5, HPos::Left)
        } else {
            (-5, HPos::Right)
        };
        knockout(
            root,
            &text,
            VALUE_SIZE,
            f64::from(vx + dx),
            f64::from(vy),
            anchor,
        )?;
        root.draw(&Text::new(
            text,
            (vx + dx, vy),
            font(VALUE_SIZE)
                .color(&ph(PH_VALUE))
                .pos(Pos::new(anchor, VPos::Center)),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::chart::testutil::{self, demo_bars};
    use roxmltree::{Document, Node};

    fn class_has(n: &Node<'_, '_>, class: &str) -> bool {
        n.attribute("class")
            .is_some_and(|c| c.split(' ').any(|x| x == class))
    }

    fn by_class<'a, 'i>(doc: &'a Document<'i>, tag: &str, class: &str) -> Vec<Node<'a, 'i>> {
        doc.descendants()
            .filter(|n| n.has_tag_name(tag) && class_has(n, class))
            .collect()
    }

    fn num(n: &Node<'_, '_>, attr: &str) -> f64 {
        n.attribute(attr).unwrap().parse().unwrap()
    }

    /// Checks every chart must pass: accessible name and description, ids prefixed and unique,
    /// font stack, size consistent with the viewBox.
    pub(crate) fn assert_accessible_svg(svg: &str, id: &str) {
        let doc = Document::parse(svg).expect("well-formed SVG");
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(
            root.attribute("aria-labelledby"),
            Some(format!("{id}-title {id}-desc").as_str())
        );
        let title = doc
            .descendants()
            .find(|n| n.has_tag_name("title") && n.attribute("id") == Some(&format!("{id}-title")))
            .unwrap();
        assert!(!title.text().unwrap().trim().is_empty());
        let desc = doc
            .descendants()
            .find(|n| n.has_tag_name("desc") && n.attribute("id") == Some(&format!("{id}-desc")))
            .unwrap();
        assert!(desc.text().unwrap().len() > 20);
        assert!(
            root.attribute("font-family")
                .unwrap()
                .starts_with("'CityReport Sans'")
        );
        let (w, h) = (num(&root, "width"), num(&root, "height"));
        assert_eq!(
            root.attribute("viewBox").unwrap(),
            format!("0 0 {} {}", svg::fmt_coord(w), svg::fmt_coord(h))
        );
        let ids: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("id"))
            .collect();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "duplicate ids");
        assert!(
            ids.iter().all(|i| i.starts_with(&format!("{id}-"))),
            "{ids:?}"
        );
        // Every url(#…) reference resolves inside this SVG.
        for r in svg.split("url(#").skip(1) {
            let target = &r[..r.find(')').unwrap()];
            assert!(ids.contains(&target), "dangling reference {target}");
        }
    }

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

            let desc = doc
                .descendants()
                .find(|n| n.has_tag_name("desc"))
                .unwrap()
                .text()
                .unwrap();
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
            })
            .collect(),
            groups: vec!["City".into()],
            reference_lines: vec![RefLine {
                label: "Baseline".into(),
                value: 100.0,
            }],
            precision: 2,
            sort: false,
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
            bars: vec![
                BarDatum {
                    label: "黄浦".into(),
                    value: 125.32,
                    group: 0,
                },
                BarDatum {
                    label: "崇明".into(),
                    value: 87.31,
                    group: 1,
                },
                BarDatum {
                    label: "Jing'an".into(),
                    value: 117.02,
                    group: 0,
                },
            ],
            groups: vec!["中心城区".into(), "郊区".into()],
            reference_lines: vec![RefLine {
                label: "全市平均".into(),
                value: 109.77,
            }],
            precision: 2,
            sort: true,
        };
        let a = render_ranked_bars(&chart);
        assert_eq!(a, render_ranked_bars(&chart));
        insta::assert_snapshot!("ranked_bars_small", a);
    }

    #[test]
    fn nice_steps_and_decimals() {
        assert_eq!(nice_step(22.2), 25.0);
        assert_eq!(nice_step(0.13), 0.2);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(decimals_for(25.0), 0);
        assert_eq!(decimals_for(0.25), 2);
        assert_eq!(decimals_for(0.2), 1);
    }
}
