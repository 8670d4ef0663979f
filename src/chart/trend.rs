//! The city index across editions: a line with labelled points.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::model::Lang;

use super::font::wrap;
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
    pub precision: u8,
}

const WIDTH: u32 = 720;
const HEIGHT: u32 = 380;
const MARGIN: f64 = 16.0;
const PH_LINE: u32 = 0x0A0401;
const PH_POINT: u32 = 0x0A0402;

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

pub fn render_trend(chart: &TrendChart) -> String {
    let prefix = svg::id_prefix(&chart.id);
    let title_lines = wrap(&chart.title, 16.0, true, f64::from(WIDTH) - 2.0 * MARGIN);
    let raw = draw_svg(WIDTH, HEIGHT, |root| draw(root, chart, &title_lines));
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
        f64::from(WIDTH),
        f64::from(HEIGHT),
        &chart.title,
        &svg::join_desc(&chart.description, &summary),
        "",
    );
    let mut out = svg::clean_plotters_svg(&raw, &header, &restyles);
    out.push_str("</svg>\n");
    out
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
    let top = MARGIN + title_lines.len() as f64 * 22.0 + 24.0;
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

    let pts: Vec<(f64, f64)> = xs
        .iter()
        .zip(&chart.points)
        .filter(|(_, p)| p.1.is_finite())
        .map(|(x, p)| (*x, p.1))
        .collect();
    ctx.draw_series(std::iter::once(PathElement::new(
        pts.clone(),
        ph(PH_LINE).stroke_width(2),
    )))?;
    ctx.draw_series(
        pts.iter()
            .map(|&p| Circle::new(p, 5, ph(PH_POINT).filled())),
    )?;
    for (x, (label, _)) in xs.iter().zip(&chart.points) {
        let (bx, by) = ctx.backend_coord(&(*x, y_lo));
        root.draw(&Text::new(
            label.clone(),
            (bx, by + 8),
            font(12.0)
                .color(&ph(PH_LABEL))
                .pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    for (k, &(x, v)) in pts.iter().enumerate() {
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
            precision: 2,
        };
        assert_eq!(positions(&chart.points), vec![0.0, 1.0, 2.0]);
        let svg = render_trend(&chart);
        assert_accessible_svg(&svg, "snap-trend");
        insta::assert_snapshot!("trend_small", svg);
    }
}
