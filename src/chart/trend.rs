//! The city index across editions: a line with labelled points.

use plotters::prelude::{Color, ChartBuilder, Circle, PathElement, Text, WHITE};
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::model::Lang;

use super::font::{text_width, wrap};
use super::plotting::{
    Canvas, DrawResult, PH_AXIS, PH_GRID, PH_LABEL, PH_TITLE, PH_VALUE, bold, common_restyles,
    decimals_for, draw_svg, font, knockout, nice_step, ph, ph_hex, px,
};
use super::words::{fill, push_sentence};
use super::svg::{self, Restyle, fmt_value};

/// A value per edition, in chronological order.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendChart {
    pub id: String,
    pub title: String,
    pub description: String,
    pub lang: Lang,
    /// The words it writes around its data, in `lang`.
    pub words: super::ChartWords,
    /// (label, value), oldest first. When every label is a year the x axis is proportional to
    /// time (a missing edition leaves a gap); otherwise points are evenly spaced.
    pub points: Vec<(String, f64)>,
    /// Which points were worked back from later figures rather than published (by index into
    /// `points`; shorter or empty means none): drawn hollow, joined by a dashed line, with a
    /// legend line saying so.
    pub derived: Vec<bool>,
    pub precision: u8,
    /// Drawing width: [`super::WIDE`], or [`super::NARROW`] for the phone variant.
    pub width: u32,
}

const MARGIN: f64 = 16.0;
/// Space kept between two labels; a label that would come closer to one already placed is left
/// out (the `<desc>` and the page's table still give every value).
const LABEL_GAP: f64 = 6.0;
const PH_LINE: u32 = 0x0A0401;
const PH_POINT: u32 = 0x0A0402;
const PH_LINE_DERIVED: u32 = 0x0A0403;
const PH_POINT_DERIVED: u32 = 0x0A0404;
/// Line height of the legend for worked-back points.
const LEGEND_LINE: f64 = 16.0;

/// Renders the chart as a standalone, accessible SVG document.
impl super::Chart for TrendChart {
    fn to_svg(&self) -> String {
        render_trend(self)
    }

    fn texts(&self) -> Vec<&str> {
        let mut t = vec![self.title.as_str(), self.description.as_str()];
        t.extend(self.points.iter().map(|p| p.0.as_str()));

        t.extend(self.words.all());
        t
    }
}

impl TrendChart {
    /// The legend for worked-back points, wrapped to the drawing's width; none without such points.
    fn legend_lines_owned(&self) -> Vec<String> {
        if !self.derived.iter().take(self.points.len()).any(|&d| d) {
            return Vec::new();
        }
        wrap(&self.words.trend_derived, 12.0, false, f64::from(self.width) - 2.0 * MARGIN)
    }
}

pub fn render_trend(chart: &TrendChart) -> String {
    let prefix = svg::id_prefix(&chart.id);
    let title_lines = wrap(&chart.title, 16.0, true, f64::from(chart.width) - 2.0 * MARGIN);
    let height = height(chart.width);
    let raw = draw_svg(chart.width, height, |root| draw(root, chart, &title_lines));
    let mut restyles = common_restyles();
    restyles.push(Restyle {
        placeholder: ph_hex(PH_LINE),
        fill: String::new(),
        stroke: "stroke=\"#2166ac\" stroke-linejoin=\"round\" class=\"trend-line\"".into(),
    });
    restyles.push(Restyle {
        placeholder: ph_hex(PH_POINT),
        fill: "fill=\"#2166ac\" class=\"point\"".into(),
        stroke: String::new(),
    });
    restyles.push(Restyle {
        placeholder: ph_hex(PH_LINE_DERIVED),
        fill: String::new(),
        stroke: "stroke=\"#2166ac\" stroke-dasharray=\"5 4\" stroke-linejoin=\"round\" class=\"trend-line derived\"".into(),
    });
    restyles.push(Restyle {
        placeholder: ph_hex(PH_POINT_DERIVED),
        fill: String::new(),
        stroke: "stroke=\"#2166ac\" class=\"point derived\"".into(),
    });
    let items: Vec<(&str, f64)> = chart.points.iter().map(|(l, v)| (l.as_str(), *v)).collect();
    let w = &chart.words;
    let mut summary = svg::summarise(w, &items, chart.precision, &w.noun_points);
    if let (Some(first), Some(last)) = (chart.points.first(), chart.points.last())
        && chart.points.len() > 1
    {
        let change = fmt_value(last.1 - first.1, chart.precision);
        let change = if last.1 >= first.1 {
            format!("+{change}")
        } else {
            change
        };
        let sentence = fill(&w.trend_change, &[("from", &first.0), ("to", &last.0), ("change", &change)]);
        push_sentence(&mut summary, &sentence);
    }
    let header = svg::open_svg(
        &prefix,
        chart.lang,
        f64::from(chart.width),
        f64::from(height),
        &chart.title,
        &svg::join_desc(&chart.description, &summary),
        "",
    );
    let mut out = svg::clean_plotters_svg(&raw, &header, &restyles);
    out.push_str("</svg>\n");
    out
}

/// The drawing's height: lower on a phone, where the narrower plot needs less height to show
/// the same slopes.
fn height(width: u32) -> u32 {
    if width >= super::WIDE { 380 } else { 300 }
}

/// x position of each point: years when all labels are years, else 0, 1, 2, …
fn positions(points: &[(String, f64)]) -> Vec<f64> {
    let years: Option<Vec<f64>> = points
        .iter()
        .map(|(l, _)| l.trim().parse::<u16>().ok().map(f64::from))
        .collect();
    match years {
        Some(y) if y.windows(2).all(|w| w[0] < w[1]) => y,
        _ => (0..points.len()).map(|i| i as f64).collect(),
    }
}

fn draw(root: &Canvas<'_>, chart: &TrendChart, title_lines: &[String]) -> DrawResult {
    root.fill(&WHITE)?;
    for (i, line) in title_lines.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (px(MARGIN), px(MARGIN + i as f64 * 22.0)),
            bold(16.0)
                .color(&ph(PH_TITLE))
                .pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
    }
    let legend = chart.legend_lines_owned();
    for (i, line) in legend.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (px(MARGIN), px(MARGIN + title_lines.len() as f64 * 22.0 + 4.0 + i as f64 * LEGEND_LINE)),
            font(12.0).color(&ph(PH_LABEL)).pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
    }
    let top = MARGIN + title_lines.len() as f64 * 22.0 + legend.len() as f64 * LEGEND_LINE + 24.0;
    let xs = positions(&chart.points);
    let (y_lo, y_hi, step) = value_axis(&chart.points);
    let (x_lo, x_hi) = match (xs.first(), xs.last()) {
        (Some(a), Some(b)) if b > a => (*a - (b - a) * 0.06, *b + (b - a) * 0.06),
        (Some(a), _) => (*a - 1.0, *a + 1.0),
        _ => (0.0, 1.0),
    };
    let dec = decimals_for(step);
    let y_fmt = move |v: &f64| format!("{:.*}", dec, v);
    let area = root.margin(px(top), px(MARGIN), px(MARGIN), px(MARGIN + 8.0));
    let mut ctx = ChartBuilder::on(&area)
        .x_label_area_size(26)
        .y_label_area_size(48)
        .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)?;
    ctx.configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(((y_hi - y_lo) / step).round() as usize + 1)
        .max_light_lines(0)
        .y_label_formatter(&y_fmt)
        .bold_line_style(ph(PH_GRID))
        .axis_style(ph(PH_AXIS))
        .y_label_style(font(11.5).color(&ph(PH_AXIS)))
        .draw()?;

    let is_derived = |k: usize| chart.derived.get(k).copied().unwrap_or(false);
    let marked: Vec<((f64, f64), bool)> = xs
        .iter()
        .zip(&chart.points)
        .enumerate()
        .filter(|(_, (_, p))| p.1.is_finite())
        .map(|(k, (x, p))| ((*x, p.1), is_derived(k)))
        .collect();
    let pts: Vec<(f64, f64)> = marked.iter().map(|m| m.0).collect();
    if marked.iter().any(|m| m.1) {
        // A segment touching a worked-back point is dashed; its point is hollow.
        for w in marked.windows(2) {
            let colour = if w[0].1 || w[1].1 { PH_LINE_DERIVED } else { PH_LINE };
            ctx.draw_series(std::iter::once(PathElement::new(vec![w[0].0, w[1].0], ph(colour).stroke_width(2))))?;
        }
    } else {
        ctx.draw_series(std::iter::once(PathElement::new(
            pts.clone(),
            ph(PH_LINE).stroke_width(2),
        )))?;
    }
    ctx.draw_series(
        marked.iter().filter(|m| !m.1)
            .map(|m| Circle::new(m.0, 5, ph(PH_POINT).filled())),
    )?;
    ctx.draw_series(marked.iter().filter(|m| m.1).map(|m| Circle::new(m.0, 5, WHITE.filled())))?;
    ctx.draw_series(marked.iter().filter(|m| m.1).map(|m| Circle::new(m.0, 5, ph(PH_POINT_DERIVED).stroke_width(2))))?;
    let label_at: Vec<(i32, i32)> = xs.iter().map(|x| ctx.backend_coord(&(*x, y_lo))).collect();
    let label_boxes: Vec<Rect> = label_at
        .iter()
        .zip(&chart.points)
        .map(|(&(bx, by), (label, _))| centred_box(f64::from(bx), f64::from(by) + 8.0 + 7.0, text_width(label, 12.0, false), 14.0))
        .collect();
    let shown = ends_first(label_boxes.len());
    let shown = fitting(&label_boxes, &shown);
    for (k, ((bx, by), (label, _))) in label_at.into_iter().zip(&chart.points).enumerate() {
        if !shown.contains(&k) {
            continue;
        }
        root.draw(&Text::new(
            label.clone(),
            (bx, by + 8),
            font(12.0)
                .color(&ph(PH_LABEL))
                .pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    // Value labels: the first, last, highest and lowest points first, then the others where
    // they have room.
    let value_boxes: Vec<Rect> = pts
        .iter()
        .enumerate()
        .map(|(k, &(x, v))| {
            let (dx, dy, anchor) = value_label_offset(&pts, k);
            let (vx, vy) = ctx.backend_coord(&(x, v));
            let w = text_width(&fmt_value(v, chart.precision), 12.0, false);
            let cx = f64::from(vx + dx) + match anchor {
                HPos::Left => w / 2.0,
                HPos::Right => -w / 2.0,
                HPos::Center => 0.0,
            };
            centred_box(cx, f64::from(vy + dy), w, 14.0)
        })
        .collect();
    let mut order = ends_first(pts.len());
    let by_value = |a: &usize, b: &usize| pts[*a].1.total_cmp(&pts[*b].1);
    if let (Some(hi), Some(lo)) = ((0..pts.len()).max_by(by_value), (0..pts.len()).min_by(by_value)) {
        order.retain(|k| *k != hi && *k != lo);
        order.splice(2.min(order.len())..2.min(order.len()), [hi, lo]);
        order.dedup();
    }
    let shown = fitting(&value_boxes, &order);
    for (k, &(x, v)) in pts.iter().enumerate() {
        if !shown.contains(&k) {
            continue;
        }
        let (dx, dy, anchor) = value_label_offset(&pts, k);
        let (vx, vy) = ctx.backend_coord(&(x, v));
        let text = fmt_value(v, chart.precision);
        knockout(
            root,
            &text,
            12.0,
            f64::from(vx + dx),
            f64::from(vy + dy),
            anchor,
        )?;
        root.draw(&Text::new(
            text,
            (vx + dx, vy + dy),
            font(12.0)
                .color(&ph(PH_VALUE))
                .pos(Pos::new(anchor, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// A box (x0, y0, x1, y1) of `w` × `h` centred on (x, y).
type Rect = (f64, f64, f64, f64);

fn centred_box(x: f64, y: f64, w: f64, h: f64) -> Rect {
    (x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0)
}

/// 0..n with the last index second: the two ends of a series matter most.
fn ends_first(n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    if n > 1 {
        let last = order.pop().unwrap_or_default();
        order.insert(1, last);
    }
    order
}

/// The indices of `boxes`, taken in `order`, whose box keeps [`LABEL_GAP`] from every box
/// taken before it.
fn fitting(boxes: &[Rect], order: &[usize]) -> Vec<usize> {
    let clear = |a: &Rect, b: &Rect| a.2 + LABEL_GAP <= b.0 || b.2 + LABEL_GAP <= a.0 || a.3 <= b.1 || b.3 <= a.1;
    let mut taken: Vec<usize> = Vec::new();
    for &k in order {
        if taken.iter().all(|&t| clear(&boxes[t], &boxes[k])) {
            taken.push(k);
        }
    }
    taken
}

/// Value axis (lo, hi, step). The line shows change, so the axis hugs the data (with room for
/// the labels above points) instead of starting at zero like the bars.
fn value_axis(points: &[(String, f64)]) -> (f64, f64, f64) {
    let finite: Vec<f64> = points
        .iter()
        .map(|p| p.1)
        .filter(|v| v.is_finite())
        .collect();
    let (mut lo, mut hi) = finite
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    if finite.is_empty() {
        (lo, hi) = (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.2).max(hi.abs() * 0.02).max(1e-6);
    let step = nice_step((hi - lo + 2.0 * pad) / 5.0);
    let y_lo = ((lo - pad) / step).floor() * step;
    let y_hi = ((hi + pad) / step).ceil() * step;
    (y_lo, y_hi, step)
}

/// Offset (px) and anchor of point `k`'s value label. Each goes where the line is not: above a
/// peak, below a trough, upper-left of a point on a rise and upper-right on a fall. A missing
/// neighbour counts as mirroring the other one, so the ends are treated as peaks or troughs.
fn value_label_offset(pts: &[(f64, f64)], k: usize) -> (i32, i32, HPos) {
    let v = pts[k].1;
    let next_up = pts.get(k + 1).map(|n| n.1 > v);
    let prev_below = if k > 0 { Some(pts[k - 1].1 < v) } else { None };
    let (rising_in, rising_out) = match (prev_below, next_up) {
        (Some(a), Some(b)) => (a, b),
        (Some(a), None) => (a, !a),
        (None, Some(b)) => (!b, b),
        (None, None) => (true, false),
    };
    match (rising_in, rising_out) {
        (true, false) => (0, -16, HPos::Center),
        (false, true) => (0, 18, HPos::Center),
        (true, true) => (-8, -14, HPos::Right),
        (false, false) => (8, -14, HPos::Left),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::testutil::{self, assert_accessible_svg};
    use roxmltree::Document;

    /// Figures worked back from later ones are drawn hollow, the segments touching them dashed,
    /// and a legend line says what hollow means; published points stay filled and solid.
    #[test]
    fn worked_back_points_are_hollow_with_dashed_segments_and_a_legend() {
        for lang in Lang::ALL {
            let chart = TrendChart { derived: vec![true, false, false, false, false], ..testutil::demo_trend(lang) };
            let svg = render_trend(&chart);
            assert_accessible_svg(&svg, &chart.id);
            let doc = Document::parse(&svg).unwrap();
            let class = |c: &str| doc.descendants().filter(|n| n.attribute("class") == Some(c)).count();
            assert_eq!(class("point derived"), 1);
            assert_eq!(class("point"), 4);
            assert_eq!(class("trend-line derived"), 1, "only the segment from the worked-back point is dashed");
            assert_eq!(class("trend-line"), 3);
            let texts: String = doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).collect();
            assert!(texts.contains(chart.words.trend_derived.trim_start_matches('○').trim().split(['：', ':']).next().unwrap()), "{texts}");
            // Without worked-back points: no legend.
            let plain = render_trend(&testutil::demo_trend(lang));
            assert!(!plain.contains("derived"));
        }
    }

    #[test]
    fn trend_points_labels_and_time_scale() {
        for lang in Lang::ALL {
            let chart = testutil::demo_trend(lang);
            let svg = render_trend(&chart);
            testutil::preview_svg(&format!("trend-{}", lang.code()), &svg);
            assert_accessible_svg(&svg, &chart.id);
            let doc = Document::parse(&svg).unwrap();
            let points: Vec<_> = doc
                .descendants()
                .filter(|n| n.attribute("class") == Some("point"))
                .collect();
            assert_eq!(points.len(), 5);
            let cx: Vec<f64> = points
                .iter()
                .map(|p| p.attribute("cx").unwrap().parse().unwrap())
                .collect();
            let cy: Vec<f64> = points
                .iter()
                .map(|p| p.attribute("cy").unwrap().parse().unwrap())
                .collect();
            // 2015 → 2017 is two years: twice the gap of 2017 → 2018.
            assert!(
                ((cx[1] - cx[0]) - 2.0 * (cx[2] - cx[1])).abs() <= 2.0,
                "{cx:?}"
            );
            // Rising values are drawn higher (smaller y).
            assert!(cy.windows(2).all(|w| w[1] < w[0]));
            let texts: Vec<&str> = doc
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .filter_map(|n| n.text())
                .collect();
            for (label, v) in &chart.points {
                assert!(texts.contains(&label.as_str()));
                assert!(texts.contains(&svg::fmt_value(*v, 2).as_str()));
            }
            let desc = testutil::desc(&doc);
            assert!(desc.contains("+12.86"), "{desc}");
        }
    }

    #[test]
    fn non_year_labels_are_evenly_spaced_and_snapshot() {
        let chart = TrendChart {
            id: "snap-trend".into(),
            title: "Editions".into(),
            description: String::new(),
            lang: Lang::En,
            words: crate::chart::ChartWords::builtin(Lang::En),
            points: vec![
                ("first".into(), 1.5),
                ("second".into(), 1.25),
                ("third".into(), 2.0),
            ],
            derived: Vec::new(),
            precision: 2,
            width: crate::chart::WIDE,
        };
        assert_eq!(positions(&chart.points), vec![0.0, 1.0, 2.0]);
        let svg = render_trend(&chart);
        assert_accessible_svg(&svg, "snap-trend");
        insta::assert_snapshot!("trend_small", svg);
    }

    /// Twenty editions: on the phone drawing and the wide one alike, no two labels overlap, the
    /// first and last years and the highest and lowest values are always labelled, and on
    /// the phone every text stays at least 11 px as drawn (10.6 px in a 390 px phone's frame).
    #[test]
    fn many_editions_keep_their_labels_apart_at_either_width() {
        let values = [96.9, 97.6, 99.5, 105.1, 105.9, 109.8, 108.0, 111.2, 90.4, 112.0, 113.5, 113.1, 114.8, 116.0, 115.2, 117.9, 119.3, 121.0, 120.2, 122.6];
        for width in [crate::chart::WIDE, crate::chart::NARROW] {
            let chart = TrendChart {
                width,
                points: values.iter().enumerate().map(|(i, v)| ((2007 + i).to_string(), *v)).collect(),
                ..testutil::demo_trend(Lang::En)
            };
            let svg = render_trend(&chart);
            let doc = Document::parse(&svg).unwrap();
            let vb: Vec<f64> = doc.root_element().attribute("viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
            assert_eq!(vb[2], f64::from(width));
            let texts: Vec<(String, Rect, f64)> = doc
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .map(|n| {
                    let t = n.text().unwrap_or_default().to_string();
                    let size = testutil::num(&n, "font-size");
                    let (x, y) = (testutil::num(&n, "x"), testutil::num(&n, "y"));
                    let w = text_width(&t, size, false);
                    let x0 = match n.attribute("text-anchor") {
                        Some("middle") => x - w / 2.0,
                        Some("end") => x - w,
                        _ => x,
                    };
                    (t, (x0, y - size, x0 + w, y), size)
                })
                .collect();
            let labels: Vec<&(String, Rect, f64)> = texts.iter().filter(|(t, _, _)| t.len() == 4 && t.starts_with("20")).collect();
            let values_shown: Vec<&(String, Rect, f64)> = texts.iter().filter(|(t, _, _)| t.contains('.')).collect();
            for group in [&labels, &values_shown] {
                for (i, a) in group.iter().enumerate() {
                    for b in &group[i + 1..] {
                        let (p, q) = (a.1, b.1);
                        let apart = p.2 <= q.0 || q.2 <= p.0 || p.3 <= q.1 || q.3 <= p.1;
                        assert!(apart, "width {width}: {:?} overlaps {:?}", a.0, b.0);
                    }
                }
            }
            for must in ["2007", "2026"] {
                assert!(labels.iter().any(|l| l.0 == must), "width {width}: no {must}");
            }
            for must in ["90.40", "122.60", "96.90"] {
                assert!(values_shown.iter().any(|l| l.0 == must), "width {width}: no {must}");
            }
            // Some labels had to go at this density, more on the phone.
            assert!(labels.len() < 20, "width {width}: {} year labels", labels.len());
            for (t, r, size) in &texts {
                assert!(r.0 >= 0.0 && r.2 <= vb[2] + 0.5, "width {width}: {t:?} outside the drawing");
                if width == crate::chart::NARROW {
                    assert!(*size >= 11.0, "{t:?} at {size}");
                }
            }
            // The description still gives every point.
            assert!(testutil::desc(&doc).contains("20 "), "{}", testutil::desc(&doc));
        }
    }
}
