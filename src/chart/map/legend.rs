//! The words around a map: its legend (classes, method, "no data"), the inset's heading and the
//! data summary of its `<desc>`.

use std::fmt::Write as _;

use crate::model::Lang;

use super::super::font::wrap;
use super::super::svg::{self, fmt_coord, fmt_value};
use super::{BORDER, PANEL_W, PANEL_X, Scene};

/// The legend from `y` down in the side panel: title, method, one swatch per class (highest
/// first, matching the ranked charts' reading order), then "no data" if any district lacks a
/// value. Returns the SVG and the y below it.
pub(super) fn legend(scene: &Scene<'_, '_>, mut y: f64) -> (String, f64) {
    let c = scene.c;
    let k = scene.classes.bounds.len();
    let mut body = String::from("<g class=\"legend\">\n");
    for line in wrap(&c.legend_title, 13.0, true, PANEL_W) {
        body.push_str(&svg::text(
            PANEL_X,
            y,
            13.0,
            "font-weight=\"bold\" class=\"legend-title\"",
            &line,
        ));
        y += 18.0;
    }
    for line in wrap(&method_note(c.lang, k), 11.0, false, PANEL_W) {
        body.push_str(&svg::text(
            PANEL_X,
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
            fmt_coord(PANEL_X),
            fmt_coord(y),
            scene.colour(cls)
        );
        body.push_str(&svg::text(
            PANEL_X + 36.0,
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
            fmt_coord(PANEL_X),
            fmt_coord(y),
            scene.p
        );
        body.push_str(&svg::text(
            PANEL_X + 36.0,
            y + 12.5,
            12.0,
            "class=\"legend-class\"",
            no_data(c.lang),
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

pub(super) fn no_data(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "无数据",
        Lang::En => "No data",
    }
}

fn method_note(lang: Lang, k: usize) -> String {
    match lang {
        Lang::Zh => format!("分级方法：自然断点法（Jenks），{k} 级"),
        Lang::En => format!("Classes: natural breaks (Jenks), {k} classes"),
    }
}

/// The map's `<desc>`: the chart's description, then the values summarised, the classes and
/// how many districts have no data.
pub(super) fn describe(scene: &Scene<'_, '_>) -> String {
    let c = scene.c;
    let missing = scene.missing();
    let items: Vec<(&str, f64)> = (0..c.map.shapes.len())
        .filter_map(|i| Some((scene.label(i), scene.value(i)?)))
        .collect();
    let mut s = svg::summarise(c.lang, &items, c.precision, ("个区", "districts"));
    let bounds: Vec<String> = scene
        .classes
        .bounds
        .iter()
        .map(|&(lo, hi)| class_range(lo, hi, c.precision, "–"))
        .collect();
    let method = method_note(c.lang, scene.classes.bounds.len());
    match c.lang {
        Lang::Zh => {
            let _ = write!(s, "{method}：{}。", bounds.join("、"));
            if missing > 0 {
                let _ = write!(s, "{missing} 个区无数据。");
            }
        }
        Lang::En => {
            let _ = write!(s, " {method}: {}.", bounds.join(", "));
            if missing > 0 {
                let _ = write!(
                    s,
                    " No data for {missing} district{}.",
                    if missing == 1 { "" } else { "s" }
                );
            }
        }
    }
    svg::join_desc(&c.description, &s)
}
