//! The words around a map: its legend (classes, method, "no data"), the inset's heading and the
//! data summary of its `<desc>`.

use std::fmt::Write as _;

use super::super::font::wrap;
use super::super::svg::{self, fmt_coord, fmt_value};
use super::super::words::{ChartWords, fill, push_sentence};
use super::{BORDER, Scene};

/// The legend from `y` down in the panel at x `panel_x`, `panel_w` wide: title, method, one
/// swatch per class (highest first, matching the ranked charts' reading order), then "no data"
/// if any district lacks a value. Returns the SVG and the y below it.
pub(super) fn legend(scene: &Scene<'_, '_>, (panel_x, panel_w): (f64, f64), mut y: f64) -> (String, f64) {
    let c = scene.c;
    let k = scene.classes.bounds.len();
    let mut body = String::from("<g class=\"legend\">\n");
    for line in wrap(&c.legend_title, 13.0, true, panel_w) {
        body.push_str(&svg::text(
            panel_x,
            y,
            13.0,
            "font-weight=\"bold\" class=\"legend-title\"",
            &line,
        ));
        y += 18.0;
    }
    for line in wrap(&method_note(&c.words, k), 11.0, false, panel_w) {
        body.push_str(&svg::text(
            panel_x,
            y,
            11.0,
            &format!("fill=\"{}\" class=\"legend-method\"", svg::MUTED),
            &line,
        ));
        y += 15.0;
    }
    y += 4.0;
    for cls in (0..k).rev() {
        let (lo, hi) = scene.classes.bounds[cls];
        let range = class_range(lo, hi, c.precision, " – ");
        let _ = writeln!(
            body,
            "<rect class=\"legend-swatch\" x=\"{}\" y=\"{}\" width=\"28\" height=\"16\" fill=\"#{}\" stroke=\"{BORDER}\" stroke-width=\"0.7\"/>",
            fmt_coord(panel_x),
            fmt_coord(y),
            scene.colour(cls)
        );
        body.push_str(&svg::text(
            panel_x + 36.0,
            y + 12.5,
            12.0,
            &format!(
                "class=\"legend-class\" data-min=\"{}\" data-max=\"{}\"",
                fmt_value(lo, c.precision),
                fmt_value(hi, c.precision)
            ),
            &range,
        ));
        y += 22.0;
    }
    if scene.missing() > 0 {
        let _ = writeln!(
            body,
            "<rect class=\"legend-swatch legend-nodata\" x=\"{}\" y=\"{}\" width=\"28\" height=\"16\" fill=\"url(#{}-nodata)\" stroke=\"{BORDER}\" stroke-width=\"0.7\"/>",
            fmt_coord(panel_x),
            fmt_coord(y),
            scene.p
        );
        body.push_str(&svg::text(
            panel_x + 36.0,
            y + 12.5,
            12.0,
            "class=\"legend-class\"",
            &c.words.no_data_legend,
        ));
        y += 22.0;
    }
    body.push_str("</g>\n");
    (body, y)
}

/// "lo – hi" as printed, or the single value when both ends print the same.
fn class_range(lo: f64, hi: f64, precision: u8, dash: &str) -> String {
    let (a, b) = (fmt_value(lo, precision), fmt_value(hi, precision));
    if a == b { a } else { format!("{a}{dash}{b}") }
}

fn method_note(words: &ChartWords, k: usize) -> String {
    fill(&words.map_classes, &[("k", &k.to_string())])
}

/// The map's `<desc>`: the chart's description, then the values summarised, the classes and
/// how many districts have no data.
pub(super) fn describe(scene: &Scene<'_, '_>) -> String {
    let c = scene.c;
    let missing = scene.missing();
    let items: Vec<(&str, f64)> = (0..c.map.shapes.len())
        .filter_map(|i| Some((scene.label(i), scene.value(i)?)))
        .collect();
    let w = &c.words;
    let mut s = svg::summarise(w, &items, c.precision, &w.noun_districts);
    let bounds: Vec<String> = scene
        .classes
        .bounds
        .iter()
        .map(|&(lo, hi)| class_range(lo, hi, c.precision, "–"))
        .collect();
    let method = method_note(w, scene.classes.bounds.len());
    push_sentence(&mut s, &fill(&w.map_classes_desc, &[("method", &method), ("bounds", &bounds.join(&w.list_sep))]));
    match missing {
        0 => {}
        1 => push_sentence(&mut s, &w.map_missing_one),
        n => push_sentence(&mut s, &fill(&w.map_missing_n, &[("n", &n.to_string())])),
    }
    svg::join_desc(&c.description, &s)
}
