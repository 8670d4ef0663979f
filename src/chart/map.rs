//! Choropleth maps of districts: natural-breaks classes on a ColorBrewer Blues scale, an
//! enlarged inset of the dense central city, hatching for missing data, labels at each
//! district's pole of inaccessibility.
//!
//! Paths are written directly as SVG: plotters' polygons cannot be stroked or have holes.

use std::collections::BinaryHeap;
use std::fmt::Write as _;

use crate::model::{DistrictMap, Lang};

use super::font::{text_width, wrap};
use super::svg::{self, esc, fmt_coord, fmt_value};

/// A district map coloured by one value per district.
#[derive(Debug, Clone, PartialEq)]
pub struct Choropleth<'a> {
    pub id: String,
    pub title: String,
    pub description: String,
    pub lang: Lang,
    pub map: &'a DistrictMap,
    /// Value by district index; `None` is drawn hatched as "no data".
    pub values: Vec<Option<f64>>,
    /// Short district names by district index.
    pub labels: Vec<String>,
    /// Districts drawn (and labelled) in the enlarged inset rather than on the main map: the
    /// small central districts. The inset frames their combined extent.
    pub inset: Vec<bool>,
    pub legend_title: String,
    /// Source of the boundaries, printed under the map (licence requirement).
    pub attribution: String,
    pub precision: u8,
    /// Number of classes, 4 or 5 recommended for 16 districts; fewer are used when the data
    /// has fewer distinct values.
    pub classes: usize,
}

/// Classes from Jenks natural breaks: each class is `(min, max)` of the values in it, ascending.
#[derive(Debug, Clone, PartialEq)]
pub struct Classes {
    pub bounds: Vec<(f64, f64)>,
}

impl Classes {
    /// Class index of `v`: the first class whose max is at least `v`.
    pub fn class_of(&self, v: f64) -> usize {
        self.bounds
            .iter()
            .position(|&(_, hi)| v <= hi)
            .unwrap_or(self.bounds.len().saturating_sub(1))
    }
}

/// Jenks natural breaks (Fisher's exact optimisation): splits the values into at most `k`
/// classes of consecutive sorted values minimising the total within-class squared deviation.
/// Equal values always share a class, so bounds never overlap.
pub fn jenks(values: &[f64], k: usize) -> Classes {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let distinct = v.windows(2).filter(|w| w[0] != w[1]).count() + usize::from(n > 0);
    let k = k.min(distinct).max(usize::from(n > 0));
    if n == 0 {
        return Classes { bounds: Vec::new() };
    }
    // Prefix sums for O(1) within-class cost of v[a..b].
    let mut s1 = vec![0.0; n + 1];
    let mut s2 = vec![0.0; n + 1];
    // Squares of values past ~1e154 overflow to infinity; such data is compared at a smaller
    // scale (the optimal split does not depend on it), ordinary data exactly as it is.
    let scale = v.iter().fold(1.0f64, |m, x| m.max(x.abs()));
    let scale = if scale > 1e100 { scale } else { 1.0 };
    for (i, x) in v.iter().map(|x| x / scale).enumerate() {
        s1[i + 1] = s1[i] + x;
        s2[i + 1] = s2[i] + x * x;
    }
    let cost = |a: usize, b: usize| {
        let m = (b - a) as f64;
        let s = s1[b] - s1[a];
        (s2[b] - s2[a]) - s * s / m
    };
    // A class may only end where the next value differs.
    let can_end = |b: usize| b == n || v[b - 1] != v[b];
    let inf = f64::INFINITY;
    // best[c][b]: minimal cost of splitting v[..b] into c classes; from[c][b]: start of last class.
    let mut best = vec![vec![inf; n + 1]; k + 1];
    let mut from = vec![vec![0usize; n + 1]; k + 1];
    best[0][0] = 0.0;
    for c in 1..=k {
        for b in c..=n {
            if !can_end(b) {
                continue;
            }
            for a in (c - 1)..b {
                if best[c - 1][a].is_finite() {
                    let total = best[c - 1][a] + cost(a, b);
                    // Strictly smaller: on ties the earliest split wins, deterministically.
                    if total < best[c][b] - 1e-12 {
                        best[c][b] = total;
                        from[c][b] = a;
                    }
                }
            }
        }
    }
    let mut bounds = Vec::with_capacity(k);
    let mut b = n;
    for c in (1..=k).rev() {
        let a = from[c][b];
        bounds.push((v[a], v[b - 1]));
        b = a;
    }
    bounds.reverse();
    Classes { bounds }
}

const WIDTH: f64 = 800.0;
const MARGIN: f64 = 16.0;
const MAP_W: f64 = 460.0;
const MAP_H: f64 = 500.0;
const PANEL_X: f64 = MARGIN + MAP_W + 24.0;
const PANEL_W: f64 = WIDTH - MARGIN - PANEL_X;
const INSET_H: f64 = 270.0;
/// District borders: dark enough to separate two districts of the same class, and drawn
/// 0.5 px wide so the 2× PNG renders them as 1-device-pixel hairlines (tiny-skia's fast path;
/// wider strokes doubled a map's rendering time).
const BORDER: &str = "#3e4c59";
const FRAME: &str = "#1f2933";
const CONTEXT: &str = "#f0f2f4";
const NAME_SIZE: f64 = 12.0;
const VALUE_SIZE: f64 = 11.0;

/// lon/lat → plane: equirectangular with x shrunk by cos of the mean latitude (midway between
/// the map's northern and southern extremes), so shapes keep their proportions at the map's
/// latitude (Shanghai, 31°N: 1° lon ≈ 0.86° lat on the ground).
struct Projection {
    lon0: f64,
    lat_top: f64,
    kx: f64,
}

impl Projection {
    fn fit(map: &DistrictMap) -> (Projection, (f64, f64)) {
        let (mut lo_lon, mut hi_lon, mut lo_lat, mut hi_lat) =
            (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for (lon, lat) in map.shapes.iter().flatten().flatten().flatten() {
            lo_lon = lo_lon.min(*lon);
            hi_lon = hi_lon.max(*lon);
            lo_lat = lo_lat.min(*lat);
            hi_lat = hi_lat.max(*lat);
        }
        if lo_lon > hi_lon {
            return (
                Projection {
                    lon0: 0.0,
                    lat_top: 0.0,
                    kx: 1.0,
                },
                (1.0, 1.0),
            );
        }
        let kx = ((lo_lat + hi_lat) / 2.0).to_radians().cos();
        let p = Projection {
            lon0: lo_lon,
            lat_top: hi_lat,
            kx,
        };
        (
            p,
            (
                ((hi_lon - lo_lon) * kx).max(1e-9),
                (hi_lat - lo_lat).max(1e-9),
            ),
        )
    }

    fn apply(&self, (lon, lat): (f64, f64)) -> (f64, f64) {
        ((lon - self.lon0) * self.kx, self.lat_top - lat)
    }
}

/// Plane → SVG px: scale then offset.
#[derive(Clone, Copy)]
struct Fit {
    s: f64,
    dx: f64,
    dy: f64,
}

impl Fit {
    /// Fits the plane rectangle (x0, y0, w, h) centred into the px box (bx, by, bw, bh).
    fn new(src: (f64, f64, f64, f64), dst: (f64, f64, f64, f64)) -> Fit {
        let (x0, y0, w, h) = src;
        let (bx, by, bw, bh) = dst;
        let s = (bw / w).min(bh / h);
        Fit {
            s,
            dx: bx + (bw - w * s) / 2.0 - x0 * s,
            dy: by + (bh - h * s) / 2.0 - y0 * s,
        }
    }

    fn apply(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (x * self.s + self.dx, y * self.s + self.dy)
    }
}

type Ring = Vec<(f64, f64)>;

/// Renders the map as a standalone, accessible SVG document.
pub fn render_choropleth(c: &Choropleth<'_>) -> String {
    let p = svg::id_prefix(&c.id);
    let n = c.map.shapes.len();
    let value = |i: usize| c.values.get(i).copied().flatten().filter(|v| v.is_finite());
    let label = |i: usize| c.labels.get(i).map(String::as_str).unwrap_or("");
    let in_inset = |i: usize| c.inset.get(i).copied().unwrap_or(false);

    let finite: Vec<f64> = (0..n).filter_map(value).collect();
    let classes = jenks(&finite, c.classes.clamp(1, 9));
    let k = classes.bounds.len();
    let colour = |cls: usize| format!("{:x}", colorous::BLUES.eval_rational(cls, k.max(3)));
    // With fewer than 3 classes take the darker end of the 3-class scale so contrast stays high.
    let colour = |cls: usize| {
        if k < 3 {
            colour(cls + 3 - k.max(1))
        } else {
            colour(cls)
        }
    };
    let fill_of = |i: usize| match value(i) {
        Some(v) => format!("#{}", colour(classes.class_of(v))),
        None => format!("url(#{p}-nodata)"),
    };

    // Projected shapes (plane units) by district.
    let (proj, (pw, ph)) = Projection::fit(c.map);
    let plane: Vec<Vec<Vec<Ring>>> = c
        .map
        .shapes
        .iter()
        .map(|polys| {
            polys
                .iter()
                .map(|poly| {
                    poly.iter()
                        .map(|r| ring(r).map(|pt| proj.apply(pt)).collect())
                        .collect()
                })
                .collect()
        })
        .collect();

    let title_lines = wrap(&c.title, 16.0, true, WIDTH - 2.0 * MARGIN);
    let top = MARGIN + title_lines.len() as f64 * 22.0 + 10.0;
    let main_fit = Fit::new((0.0, 0.0, pw, ph), (MARGIN, top, MAP_W, MAP_H));
    let map_bottom = top + MAP_H;

    // Inset: the extent of the inset districts, padded and widened to the inset box's aspect.
    let inset_ids: Vec<usize> = (0..n)
        .filter(|&i| in_inset(i) && !plane[i].is_empty())
        .collect();
    let inset_heading_h = 22.0;
    let inset_box = (PANEL_X, top + inset_heading_h, PANEL_W, INSET_H);
    let inset_fit = inset_extent(&plane, &inset_ids).map(|(x0, y0, w, h)| {
        let aspect = inset_box.2 / inset_box.3;
        let (w2, h2) = if w / h > aspect {
            (w, w / aspect)
        } else {
            (h * aspect, h)
        };
        let src = (x0 - (w2 - w) / 2.0, y0 - (h2 - h) / 2.0, w2, h2);
        (src, Fit::new(src, inset_box))
    });

    let missing = (0..n).filter(|&i| value(i).is_none()).count();
    let mut defs = String::new();
    if missing > 0 {
        defs.push_str(&svg::hatch_pattern(
            &format!("{p}-nodata"),
            "#ffffff",
            "#7b8794",
            6.0,
            1.5,
        ));
    }

    let mut body = String::new();
    let _ = writeln!(
        body,
        "<rect width=\"{}\" height=\"HEIGHT\" fill=\"#ffffff\"/>",
        fmt_coord(WIDTH)
    );
    body.push_str(&svg::title_lines(MARGIN, &title_lines));

    // Main map: every district, then labels of those not shown in the inset.
    body.push_str("<g class=\"districts\">\n");
    for (i, shape) in plane.iter().enumerate() {
        if shape.is_empty() {
            continue;
        }
        let tooltip = format!(
            "{} {}",
            label(i),
            value(i)
                .map(|v| fmt_value(v, c.precision))
                .unwrap_or_else(|| no_data(c.lang).to_string())
        );
        let _ = writeln!(
            body,
            "<path id=\"{p}-d{i}\" class=\"district\" d=\"{}\" fill=\"{}\" fill-rule=\"evenodd\" stroke=\"{BORDER}\" stroke-width=\"0.5\" stroke-linejoin=\"round\"><title>{}</title></path>",
            path_d(shape, main_fit),
            fill_of(i),
            esc(&tooltip)
        );
    }
    body.push_str("</g>\n");

    let locator = inset_fit.map(|(src, _)| {
        let (ax, ay) = main_fit.apply((src.0, src.1));
        let (bx, by) = main_fit.apply((src.0 + src.2, src.1 + src.3));
        (ax, ay, bx, by)
    });
    if let (Some((_, fit)), Some((ax, ay, bx, by))) = (inset_fit, locator) {
        // The inset's area on the main map, framed like the inset itself.
        let _ = writeln!(
            body,
            "<rect class=\"inset-locator\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{FRAME}\" stroke-width=\"1.5\"/>",
            fmt_coord(ax),
            fmt_coord(ay),
            fmt_coord(bx - ax),
            fmt_coord(by - ay)
        );
        let heading = match c.lang {
            Lang::Zh => "中心城区（放大）",
            Lang::En => "Central city (enlarged)",
        };
        body.push_str(&svg::text(
            PANEL_X,
            top + 14.0,
            13.0,
            "font-weight=\"bold\" class=\"inset-title\"",
            heading,
        ));
        // Outlines are clipped to the frame geometrically (not with an SVG clipPath, which made
        // resvg fill whole enlarged districts into an off-screen layer).
        body.push_str("<g class=\"inset\">\n");
        let _ = writeln!(
            body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
            fmt_coord(inset_box.0),
            fmt_coord(inset_box.1),
            fmt_coord(inset_box.2),
            fmt_coord(inset_box.3)
        );
        for (i, shape) in plane.iter().enumerate() {
            if shape.is_empty() {
                continue;
            }
            // Neighbours are context only: neutral grey, so no class colour appears in the inset
            // for a district that is not labelled there.
            let (class, fill) = if in_inset(i) {
                ("inset-district", fill_of(i))
            } else {
                ("inset-context", CONTEXT.to_string())
            };
            let clip = (
                inset_box.0,
                inset_box.1,
                inset_box.0 + inset_box.2,
                inset_box.1 + inset_box.3,
            );
            let d = path_d_clipped(shape, fit, Some(clip));
            if d.is_empty() {
                continue;
            }
            let _ = writeln!(
                body,
                "<path class=\"{class}\" d=\"{d}\" fill=\"{fill}\" fill-rule=\"evenodd\" stroke=\"{BORDER}\" stroke-width=\"0.5\" stroke-linejoin=\"round\"/>",
            );
        }
        body.push_str("</g>\n");
        let _ = writeln!(
            body,
            "<rect class=\"inset-frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{FRAME}\" stroke-width=\"2\"/>",
            fmt_coord(inset_box.0),
            fmt_coord(inset_box.1),
            fmt_coord(inset_box.2),
            fmt_coord(inset_box.3)
        );
        body.push_str(&district_labels(
            c, &inset_ids, &plane, fit, &value, &fill_of, None,
        ));
    }
    let main_ids: Vec<usize> = (0..n)
        .filter(|&i| !in_inset(i) && !plane[i].is_empty())
        .collect();
    body.push_str(&district_labels(
        c, &main_ids, &plane, main_fit, &value, &fill_of, locator,
    ));

    // Legend under the inset (or at the panel top without one).
    let mut y = if inset_fit.is_some() {
        inset_box.1 + inset_box.3 + 30.0
    } else {
        top + 14.0
    };
    body.push_str("<g class=\"legend\">\n");
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
    // Highest class first, matching the ranked charts' reading order.
    for cls in (0..k).rev() {
        let (lo, hi) = classes.bounds[cls];
        let range = class_range(lo, hi, c.precision, " – ");
        let _ = writeln!(
            body,
            "<rect class=\"legend-swatch\" x=\"{}\" y=\"{}\" width=\"28\" height=\"16\" fill=\"#{}\" stroke=\"{BORDER}\" stroke-width=\"0.7\"/>",
            fmt_coord(PANEL_X),
            fmt_coord(y),
            colour(cls)
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
    if missing > 0 {
        let _ = writeln!(
            body,
            "<rect class=\"legend-swatch legend-nodata\" x=\"{}\" y=\"{}\" width=\"28\" height=\"16\" fill=\"url(#{p}-nodata)\" stroke=\"{BORDER}\" stroke-width=\"0.7\"/>",
            fmt_coord(PANEL_X),
            fmt_coord(y)
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

    // Attribution across the full width under whichever column is longer.
    let mut ay = map_bottom.max(y) + 18.0;
    for line in wrap(&c.attribution, 11.0, false, WIDTH - 2.0 * MARGIN) {
        body.push_str(&svg::text(
            MARGIN,
            ay,
            11.0,
            &format!("fill=\"{}\" class=\"attribution\"", svg::MUTED),
            &line,
        ));
        ay += 15.0;
    }
    let height = (ay - 15.0 + MARGIN + 4.0).round();
    let body = body.replacen(
        "height=\"HEIGHT\"",
        &format!("height=\"{}\"", fmt_coord(height)),
        1,
    );

    let desc = describe(c, &classes, missing);
    let mut out = svg::open_svg(&p, c.lang, WIDTH, height, &c.title, &desc, &defs);
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

/// "lo – hi" as printed, or the single value when both ends print the same.
fn class_range(lo: f64, hi: f64, precision: u8, dash: &str) -> String {
    let (a, b) = (fmt_value(lo, precision), fmt_value(hi, precision));
    if a == b { a } else { format!("{a}{dash}{b}") }
}

fn no_data(lang: Lang) -> &'static str {
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

fn describe(c: &Choropleth<'_>, classes: &Classes, missing: usize) -> String {
    let items: Vec<(&str, f64)> = (0..c.map.shapes.len())
        .filter_map(|i| {
            let v = c
                .values
                .get(i)
                .copied()
                .flatten()
                .filter(|v| v.is_finite())?;
            Some((c.labels.get(i).map(String::as_str).unwrap_or(""), v))
        })
        .collect();
    let mut s = svg::summarise(c.lang, &items, c.precision, ("个区", "districts"));
    let bounds: Vec<String> = classes
        .bounds
        .iter()
        .map(|&(lo, hi)| class_range(lo, hi, c.precision, "–"))
        .collect();
    match c.lang {
        Lang::Zh => {
            let _ = write!(
                s,
                "{}：{}。",
                method_note(c.lang, classes.bounds.len()),
                bounds.join("、")
            );
            if missing > 0 {
                let _ = write!(s, "{missing} 个区无数据。");
            }
        }
        Lang::En => {
            let _ = write!(
                s,
                " {}: {}.",
                method_note(c.lang, classes.bounds.len()),
                bounds.join(", ")
            );
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

/// WCAG relative luminance of `#rrggbb`.
fn luminance(hex: &str) -> f64 {
    let h = hex.trim_start_matches('#');
    let ch = |k: usize| {
        let c = f64::from(u8::from_str_radix(h.get(k..k + 2).unwrap_or("ff"), 16).unwrap_or(255))
            / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(0) + 0.7152 * ch(2) + 0.0722 * ch(4)
}

fn contrast(a: f64, b: f64) -> f64 {
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

struct Label {
    district: usize,
    /// Pole of inaccessibility: where the label wants to be.
    anchor: (f64, f64),
    /// Distance from the anchor to the district's border: the label is clear of borders when
    /// its box fits in a circle of this radius.
    room: f64,
    /// Centre of the label box after collision resolution.
    at: (f64, f64),
    w: f64,
    h: f64,
    name: String,
    value: String,
    fill: String,
}

const LABEL_H: f64 = 27.0;

/// Labels (name over value) for `ids`, drawn with `fit`. Each starts at its district's pole of
/// inaccessibility (the interior point farthest from the border, on its largest part); labels
/// that collide are pushed apart, and a label that had to move gets a white box and a leader
/// line to its district so it cannot be read as belonging to a neighbour.
fn district_labels(
    c: &Choropleth<'_>,
    ids: &[usize],
    plane: &[Vec<Vec<Ring>>],
    fit: Fit,
    value: &dyn Fn(usize) -> Option<f64>,
    fill_of: &dyn Fn(usize) -> String,
    avoid: Option<(f64, f64, f64, f64)>,
) -> String {
    let mut labels: Vec<Label> = ids
        .iter()
        .filter_map(|&i| {
            // The search runs on rings snapped to whole pixels (repeats dropped): a label needs
            // no sub-pixel accuracy, and the district outlines have thousands of vertices.
            let px: Vec<Vec<Ring>> = plane[i]
                .iter()
                .map(|poly| {
                    poly.iter()
                        .map(|r| snapped(r.iter().map(|&pt| fit.apply(pt)), 1.0))
                        .collect()
                })
                .collect();
            let largest = px
                .iter()
                .max_by(|a, b| poly_area(a).total_cmp(&poly_area(b)))?;
            let anchor = pole_cached(largest);
            let room = signed_distance(anchor, largest);
            let name = c.labels.get(i).cloned().unwrap_or_default();
            let value = value(i)
                .map(|v| fmt_value(v, c.precision))
                .unwrap_or_else(|| no_data(c.lang).to_string());
            let w =
                text_width(&name, NAME_SIZE, true).max(text_width(&value, VALUE_SIZE, false)) + 6.0;
            Some(Label {
                district: i,
                anchor,
                room,
                at: anchor,
                w,
                h: LABEL_H,
                name,
                value,
                fill: fill_of(i),
            })
        })
        .collect();
    separate(&mut labels);

    let mut s = String::new();
    for l in &labels {
        let moved = (l.at.0 - l.anchor.0).hypot(l.at.1 - l.anchor.1) > 6.0;
        let (x, y) = l.at;
        let (ink, halo) = if moved {
            // Leader from the district to the nearest point of the box, then the box itself.
            let ex = l.anchor.0.clamp(x - l.w / 2.0, x + l.w / 2.0);
            let ey = l.anchor.1.clamp(y - l.h / 2.0, y + l.h / 2.0);
            let _ = writeln!(
                s,
                "<line class=\"leader\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1\"/>\n<circle cx=\"{}\" cy=\"{}\" r=\"2\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"0.8\"/>",
                fmt_coord(l.anchor.0),
                fmt_coord(l.anchor.1),
                fmt_coord(ex),
                fmt_coord(ey),
                svg::INK,
                fmt_coord(l.anchor.0),
                fmt_coord(l.anchor.1),
                svg::INK
            );
            let _ = writeln!(
                s,
                "<rect class=\"label-box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.92\" stroke=\"{BORDER}\" stroke-width=\"0.6\"/>",
                fmt_coord(x - l.w / 2.0),
                fmt_coord(y - l.h / 2.0),
                fmt_coord(l.w),
                fmt_coord(l.h)
            );
            (svg::INK, "#ffffff")
        } else {
            // White or near-black text, whichever contrasts more with the district's fill
            // ("no data" hatching is mostly white, so dark text); the halo in the fill colour
            // hides borders the text crosses.
            let bg = if l.fill.starts_with('#') {
                luminance(&l.fill)
            } else {
                1.0
            };
            let white_wins = contrast(bg, 1.0) > contrast(bg, luminance(svg::INK));
            if white_wins {
                ("#ffffff", l.fill.as_str())
            } else {
                (svg::INK, "#ffffff")
            }
        };
        // A halo only where the text may cross a line (border or inset locator): stroking glyph
        // outlines is the most expensive thing in a map's PNG.
        let half_diag = (l.w / 2.0).hypot(l.h / 2.0);
        let crosses_frame = avoid.is_some_and(|(x0, y0, x1, y1)| {
            let (bx0, bx1, by0, by1) = (x - l.w / 2.0, x + l.w / 2.0, y - l.h / 2.0, y + l.h / 2.0);
            let overlaps = bx1 > x0 && bx0 < x1 && by1 > y0 && by0 < y1;
            let inside = bx0 > x0 && bx1 < x1 && by0 > y0 && by1 < y1;
            overlaps && !inside
        });
        let halo_attrs = if moved || (l.room >= half_diag && !crosses_frame) {
            String::new()
        } else {
            format!(
                " stroke=\"{halo}\" stroke-width=\"2.5\" stroke-linejoin=\"round\" paint-order=\"stroke\""
            )
        };
        let attrs = |cls: &str, weight: &str| {
            format!(
                "text-anchor=\"middle\" fill=\"{ink}\"{halo_attrs}{weight} class=\"{cls}\" data-district=\"{}\"",
                l.district
            )
        };
        // Box centre is between the two baselines: name baseline at −1.5, value at +11.5.
        s.push_str(&svg::text(
            x,
            y - 1.5,
            NAME_SIZE,
            &attrs("district-name", " font-weight=\"bold\""),
            &l.name,
        ));
        s.push_str(&svg::text(
            x,
            y + 11.5,
            VALUE_SIZE,
            &attrs("district-value", ""),
            &l.value,
        ));
    }
    s
}

/// Pushes overlapping label boxes apart along the axis of least overlap, a few px of padding
/// between them. Deterministic: fixed pair order and iteration count.
fn separate(labels: &mut [Label]) {
    const PAD: f64 = 2.0;
    for _ in 0..60 {
        let mut moved = false;
        for a in 0..labels.len() {
            for b in (a + 1)..labels.len() {
                let (pa, pb) = (labels[a].at, labels[b].at);
                let ox = (labels[a].w + labels[b].w) / 2.0 + PAD - (pa.0 - pb.0).abs();
                let oy = (labels[a].h + labels[b].h) / 2.0 + PAD - (pa.1 - pb.1).abs();
                if ox <= 0.0 || oy <= 0.0 {
                    continue;
                }
                moved = true;
                if oy <= ox {
                    let dir = if pa.1 <= pb.1 { -1.0 } else { 1.0 };
                    labels[a].at.1 += dir * oy / 2.0;
                    labels[b].at.1 -= dir * oy / 2.0;
                } else {
                    let dir = if pa.0 <= pb.0 { -1.0 } else { 1.0 };
                    labels[a].at.0 += dir * ox / 2.0;
                    labels[b].at.0 -= dir * ox / 2.0;
                }
            }
        }
        if !moved {
            break;
        }
    }
}

fn ring(r: &[(f64, f64)]) -> impl Iterator<Item = (f64, f64)> + '_ {
    // GeoJSON repeats the first point at the end; SVG's Z closes the ring anyway.
    let closed = r.len() > 1 && r.first() == r.last();
    r[..r.len() - usize::from(closed)].iter().copied()
}

/// `pts` snapped to a grid of `grid` px, consecutive repeats (and a repeated first point at the
/// end) dropped.
fn snapped(pts: impl Iterator<Item = (f64, f64)>, grid: f64) -> Ring {
    let mut out: Ring = Vec::new();
    for (x, y) in pts {
        let q = ((x / grid).round() * grid, (y / grid).round() * grid);
        if out.last() != Some(&q) {
            out.push(q);
        }
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    out
}

/// SVG path data, vertices snapped to a 0.5 px grid with repeats dropped. The boundary data
/// has many sub-pixel zigzags; snapping then dropping repeats removes them without opening gaps,
/// because a border shared by two districts has the same vertices in both and so loses the same
/// ones (whichever direction each ring runs). Fewer vertices make maps faster to rasterise.
fn path_d(polys: &[Vec<Ring>], fit: Fit) -> String {
    path_d_clipped(polys, fit, None)
}

/// [`path_d`], each ring first clipped to the rectangle `clip` (x0, y0, x1, y1) in px.
fn path_d_clipped(polys: &[Vec<Ring>], fit: Fit, clip: Option<(f64, f64, f64, f64)>) -> String {
    let mut d = String::new();
    for poly in polys {
        for r in poly {
            let px: Ring = r.iter().map(|&pt| fit.apply(pt)).collect();
            let px = match clip {
                Some(rect) => clip_ring(&px, rect),
                None => px,
            };
            // Half a pixel is one device pixel in the 2× PNGs.
            let pts = snapped(px.into_iter(), 0.5);
            if pts.len() < 3 {
                continue;
            }
            for (j, (x, y)) in pts.iter().enumerate() {
                d.push(if j == 0 { 'M' } else { 'L' });
                push_half(&mut d, *x);
                d.push(' ');
                push_half(&mut d, *y);
            }
            d.push('Z');
        }
    }
    d
}

/// Sutherland–Hodgman clipping of a ring to an axis-aligned rectangle. Exact for rectangles;
/// a ring wholly outside comes back empty, and parts running along the rectangle's edge are
/// hidden under the inset frame.
fn clip_ring(ring: &[(f64, f64)], (x0, y0, x1, y1): (f64, f64, f64, f64)) -> Ring {
    // Each edge: inside test and intersection of segment a→b with the edge line.
    type Inside = fn((f64, f64), f64) -> bool;
    let edges: [(Inside, f64, bool); 4] = [
        (|p, v| p.0 >= v, x0, true),
        (|p, v| p.0 <= v, x1, true),
        (|p, v| p.1 >= v, y0, false),
        (|p, v| p.1 <= v, y1, false),
    ];
    let mut pts: Ring = ring.to_vec();
    for (inside, v, vertical) in edges {
        if pts.is_empty() {
            break;
        }
        let cut = |a: (f64, f64), b: (f64, f64)| {
            if vertical {
                let t = (v - a.0) / (b.0 - a.0);
                (v, a.1 + t * (b.1 - a.1))
            } else {
                let t = (v - a.1) / (b.1 - a.1);
                (a.0 + t * (b.0 - a.0), v)
            }
        };
        let mut out = Vec::with_capacity(pts.len() + 4);
        for k in 0..pts.len() {
            let cur = pts[k];
            let prev = pts[(k + pts.len() - 1) % pts.len()];
            match (inside(prev, v), inside(cur, v)) {
                (true, true) => out.push(cur),
                (true, false) => out.push(cut(prev, cur)),
                (false, true) => {
                    out.push(cut(prev, cur));
                    out.push(cur);
                }
                (false, false) => {}
            }
        }
        pts = out;
    }
    pts
}

/// Appends a multiple of 0.5 exactly and briefly ("12", "12.5", "-3.5"), with integer
/// arithmetic: float formatting was most of the time spent writing a map.
fn push_half(d: &mut String, v: f64) {
    let halves = (v * 2.0).round() as i64;
    if halves < 0 {
        d.push('-');
    }
    let a = halves.unsigned_abs();
    let _ = write!(d, "{}", a / 2);
    if a % 2 == 1 {
        d.push_str(".5");
    }
}

fn inset_extent(plane: &[Vec<Vec<Ring>>], ids: &[usize]) -> Option<(f64, f64, f64, f64)> {
    let pts = ids
        .iter()
        .flat_map(|&i| plane[i].iter().flatten().flatten());
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in pts {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    if x0 > x1 {
        return None;
    }
    let pad = 0.04 * (x1 - x0).max(y1 - y0);
    Some((
        x0 - pad,
        y0 - pad,
        (x1 - x0) + 2.0 * pad,
        (y1 - y0) + 2.0 * pad,
    ))
}

fn ring_area(r: &[(f64, f64)]) -> f64 {
    let mut a = 0.0;
    for j in 0..r.len() {
        let (x1, y1) = r[j];
        let (x2, y2) = r[(j + 1) % r.len()];
        a += x1 * y2 - x2 * y1;
    }
    a / 2.0
}

fn poly_area(poly: &[Ring]) -> f64 {
    let mut rings = poly.iter();
    let outer = rings.next().map(|r| ring_area(r).abs()).unwrap_or(0.0);
    outer - rings.map(|r| ring_area(r).abs()).sum::<f64>()
}

/// Signed distance from `p` to the polygon's boundary: positive inside (even-odd rule).
fn signed_distance(p: (f64, f64), poly: &[Ring]) -> f64 {
    let mut inside = false;
    let mut min_sq = f64::INFINITY;
    for r in poly {
        for j in 0..r.len() {
            let a = r[j];
            let b = r[(j + 1) % r.len()];
            if (a.1 > p.1) != (b.1 > p.1) && p.0 < (b.0 - a.0) * (p.1 - a.1) / (b.1 - a.1) + a.0 {
                inside = !inside;
            }
            min_sq = min_sq.min(segment_dist_sq(p, a, b));
        }
    }
    let d = min_sq.sqrt();
    if inside { d } else { -d }
}

fn segment_dist_sq(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len_sq = dx * dx + dy * dy;
    let t = if len_sq > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len_sq).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (cx, cy) = (a.0 + t * dx, a.1 + t * dy);
    (p.0 - cx).powi(2) + (p.1 - cy).powi(2)
}

/// [`polylabel`] at 1 px precision, memoised: an edition draws the same outlines at the same
/// size for every indicator (50+ maps per language), and the search is most of a map's cost.
/// The key is the whole snapped polygon, so a hit is exactly the value a fresh search returns.
fn pole_cached(poly: &[Ring]) -> (f64, f64) {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Key = Vec<Vec<(i64, i64)>>;
    static CACHE: OnceLock<Mutex<HashMap<Key, (f64, f64)>>> = OnceLock::new();
    let key: Key = poly
        .iter()
        .map(|r| {
            r.iter()
                .map(|p| ((p.0 * 2.0) as i64, (p.1 * 2.0) as i64))
                .collect()
        })
        .collect();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(hit) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return *hit;
    }
    let pole = polylabel(poly, 1.0);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    // Bound memory in a long-running preview server fed ever-changing maps.
    if map.len() > 4096 {
        map.clear();
    }
    map.insert(key, pole);
    pole
}

struct Cell {
    x: f64,
    y: f64,
    h: f64,
    d: f64,
    max: f64,
}

impl Cell {
    fn new(x: f64, y: f64, h: f64, poly: &[Ring]) -> Cell {
        let d = signed_distance((x, y), poly);
        Cell {
            x,
            y,
            h,
            d,
            max: d + h * std::f64::consts::SQRT_2,
        }
    }
}

impl PartialEq for Cell {
    fn eq(&self, o: &Self) -> bool {
        self.max.total_cmp(&o.max).is_eq()
    }
}
impl Eq for Cell {}
impl PartialOrd for Cell {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Cell {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.max.total_cmp(&o.max)
    }
}

/// Pole of inaccessibility (Mapbox's polylabel algorithm): quadtree search for the interior
/// point farthest from the boundary, to within `precision` px. Unlike the centroid it is always
/// inside, even for crescent or island shapes.
pub(crate) fn polylabel(poly: &[Ring], precision: f64) -> (f64, f64) {
    let outer = match poly.first() {
        Some(r) if r.len() >= 3 => r,
        Some(r) if !r.is_empty() => return r[0],
        _ => return (0.0, 0.0),
    };
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in outer {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let (w, h) = (x1 - x0, y1 - y0);
    let size = w.min(h);
    if size <= 0.0 {
        return (x0, y0);
    }
    let half = size / 2.0;
    let mut queue = BinaryHeap::new();
    let mut x = x0;
    while x < x1 {
        let mut y = y0;
        while y < y1 {
            queue.push(Cell::new(x + half, y + half, half, poly));
            y += size;
        }
        x += size;
    }
    // Start from the area centroid (often good) or the bbox centre.
    let centroid = {
        let (mut cx, mut cy, mut a) = (0.0, 0.0, 0.0);
        for j in 0..outer.len() {
            let (xa, ya) = outer[j];
            let (xb, yb) = outer[(j + 1) % outer.len()];
            let f = xa * yb - xb * ya;
            cx += (xa + xb) * f;
            cy += (ya + yb) * f;
            a += f * 3.0;
        }
        if a == 0.0 {
            (x0 + w / 2.0, y0 + h / 2.0)
        } else {
            (cx / a, cy / a)
        }
    };
    let mut best = Cell::new(centroid.0, centroid.1, 0.0, poly);
    let bbox_centre = Cell::new(x0 + w / 2.0, y0 + h / 2.0, 0.0, poly);
    if bbox_centre.d > best.d {
        best = bbox_centre;
    }
    while let Some(cell) = queue.pop() {
        if cell.d > best.d {
            best = Cell {
                x: cell.x,
                y: cell.y,
                h: 0.0,
                d: cell.d,
                max: cell.d,
            };
        }
        if cell.max - best.d <= precision {
            continue;
        }
        let h = cell.h / 2.0;
        for (dx, dy) in [(-h, -h), (h, -h), (-h, h), (h, h)] {
            queue.push(Cell::new(cell.x + dx, cell.y + dy, h, poly));
        }
    }
    (best.x, best.y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::testutil;

    fn demo_map_chart<'a>(map: &'a DistrictMap, lang: Lang, missing: &[usize]) -> Choropleth<'a> {
        let mut c = testutil::demo_map(map, lang);
        for &i in missing {
            c.values[i] = None;
        }
        c
    }

    use crate::chart::bars::tests::assert_accessible_svg;
    use roxmltree::{Document, Node};

    fn by_class<'a, 'i>(doc: &'a Document<'i>, tag: &str, class: &str) -> Vec<Node<'a, 'i>> {
        doc.descendants()
            .filter(|n| {
                n.has_tag_name(tag)
                    && n.attribute("class")
                        .is_some_and(|c| c.split(' ').any(|x| x == class))
            })
            .collect()
    }

    /// All coordinates of a path's `d` (our paths use only M, L and Z).
    fn path_points(d: &str) -> Vec<(f64, f64)> {
        let nums: Vec<f64> = d
            .split(['M', 'L', 'Z', ' '])
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().unwrap())
            .collect();
        nums.chunks(2).map(|c| (c[0], c[1])).collect()
    }

    #[test]
    fn demo_map_structure() {
        let map = testutil::shanghai_map();
        let ds = testutil::districts();
        let values = testutil::overall();
        for lang in Lang::ALL {
            let chart = demo_map_chart(&map, lang, &[]);
            let svg = render_choropleth(&chart);
            testutil::preview_svg(&format!("map-{}", lang.code()), &svg);
            assert_accessible_svg(&svg, &chart.id);
            let doc = Document::parse(&svg).unwrap();

            // One path per district on the main map, coloured by its class.
            let paths = by_class(&doc, "path", "district");
            assert_eq!(paths.len(), 16);
            let classes = jenks(&values, 5);
            assert_eq!(classes.bounds.len(), 5);
            for (i, p) in paths.iter().enumerate() {
                assert_eq!(
                    p.attribute("id"),
                    Some(format!("{}-d{i}", chart.id).as_str())
                );
                let want = format!(
                    "#{:x}",
                    colorous::BLUES.eval_rational(classes.class_of(values[i]), 5)
                );
                assert_eq!(p.attribute("fill"), Some(want.as_str()), "district {i}");
            }
            // The highest district gets the darkest class, the lowest the lightest.
            assert_eq!(paths[0].attribute("fill"), Some("#08519c")); // Pudong 133.41
            assert_eq!(paths[15].attribute("fill"), Some("#eff3ff")); // Chongming 87.31

            // Legend: 5 classes covering the data, highest first, method stated.
            let legend = by_class(&doc, "text", "legend-class");
            assert_eq!(legend.len(), 5);
            let bound =
                |n: &Node<'_, '_>, a: &str| -> f64 { n.attribute(a).unwrap().parse().unwrap() };
            assert_eq!(bound(&legend[4], "data-min"), 87.31);
            assert_eq!(bound(&legend[0], "data-max"), 133.41);
            for w in legend.windows(2) {
                assert!(
                    bound(&w[1], "data-max") < bound(&w[0], "data-min"),
                    "classes overlap or are unordered"
                );
            }
            let method = by_class(&doc, "text", "legend-method")[0].text().unwrap();
            assert!(method.contains("Jenks"), "{method}");
            assert!(
                doc.descendants()
                    .find(|n| n.has_tag_name("desc"))
                    .unwrap()
                    .text()
                    .unwrap()
                    .contains("Jenks")
            );

            // Every district named exactly once: the seven small central ones in the inset.
            let names = by_class(&doc, "text", "district-name");
            assert_eq!(names.len(), 16);
            for (i, d) in ds.iter().enumerate() {
                let hits: Vec<_> = names
                    .iter()
                    .filter(|n| n.attribute("data-district") == Some(&i.to_string()))
                    .collect();
                assert_eq!(hits.len(), 1);
                assert_eq!(hits[0].text(), Some(d.name(lang)));
            }
            let inset_paths = by_class(&doc, "path", "inset-district");
            assert_eq!(inset_paths.len(), 7);
            let frame = by_class(&doc, "rect", "inset-frame")[0];
            let (fx, fy, fw, fh) = (
                frame.attribute("x").unwrap().parse::<f64>().unwrap(),
                frame.attribute("y").unwrap().parse::<f64>().unwrap(),
                frame.attribute("width").unwrap().parse::<f64>().unwrap(),
                frame.attribute("height").unwrap().parse::<f64>().unwrap(),
            );
            for (i, _) in ds
                .iter()
                .enumerate()
                .filter(|(_, d)| d.central && d.id != "pudong")
            {
                let n = names
                    .iter()
                    .find(|n| n.attribute("data-district") == Some(&i.to_string()))
                    .unwrap();
                let (x, y): (f64, f64) = (
                    n.attribute("x").unwrap().parse().unwrap(),
                    n.attribute("y").unwrap().parse().unwrap(),
                );
                assert!(
                    x > fx && x < fx + fw && y > fy && y < fy + fh,
                    "label of district {i} outside the inset"
                );
            }
            // Inset districts are enlarged: Huangpu (index 1) is well over twice as wide in the inset.
            let extent = |pts: &[(f64, f64)]| {
                let xs = pts.iter().map(|p| p.0);
                xs.clone().fold(f64::MIN, f64::max) - xs.fold(f64::MAX, f64::min)
            };
            let main_w = extent(&path_points(paths[1].attribute("d").unwrap()));
            let inset_w = extent(&path_points(inset_paths[0].attribute("d").unwrap()));
            assert!(inset_w > 2.0 * main_w, "{inset_w} vs {main_w}");

            let attribution = by_class(&doc, "text", "attribution");
            assert_eq!(
                attribution
                    .iter()
                    .map(|t| t.text().unwrap())
                    .collect::<String>(),
                map.attribution.get(lang)
            );
            assert!(by_class(&doc, "rect", "legend-nodata").is_empty());
        }
    }

    #[test]
    fn projection_keeps_ground_proportions() {
        let map = testutil::shanghai_map();
        let svg = render_choropleth(&demo_map_chart(&map, Lang::En, &[]));
        let doc = Document::parse(&svg).unwrap();
        let pts: Vec<(f64, f64)> = by_class(&doc, "path", "district")
            .iter()
            .flat_map(|p| path_points(p.attribute("d").unwrap()))
            .collect();
        let (x0, x1) = pts
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
        let (y0, y1) = pts
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
        let lonlat: Vec<(f64, f64)> = map
            .shapes
            .iter()
            .flatten()
            .flatten()
            .flatten()
            .copied()
            .collect();
        let (lo0, lo1) = lonlat
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
        let (la0, la1) = lonlat
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
        let expected = (lo1 - lo0) * ((la0 + la1) / 2.0).to_radians().cos() / (la1 - la0);
        let drawn = (x1 - x0) / (y1 - y0);
        assert!(
            (drawn / expected - 1.0).abs() < 0.01,
            "aspect {drawn} vs {expected}"
        );
        // North up: Chongming (index 15, the island) lies above Jinshan (index 11).
        let top_of = |i: usize| {
            path_points(
                by_class(&doc, "path", "district")[i]
                    .attribute("d")
                    .unwrap(),
            )
            .iter()
            .map(|p| p.1)
            .fold(f64::MAX, f64::min)
        };
        assert!(top_of(15) < top_of(11));
    }

    #[test]
    fn missing_values_are_hatched_and_in_the_legend() {
        let map = testutil::shanghai_map();
        let chart = demo_map_chart(&map, Lang::En, &[5, 12]);
        let svg = render_choropleth(&chart);
        testutil::preview_svg("map-missing-en", &svg);
        assert_accessible_svg(&svg, &chart.id);
        let doc = Document::parse(&svg).unwrap();
        let paths = by_class(&doc, "path", "district");
        let hatch = format!("url(#{}-nodata)", chart.id);
        for (i, p) in paths.iter().enumerate() {
            assert_eq!(
                p.attribute("fill") == Some(hatch.as_str()),
                i == 5 || i == 12,
                "district {i}"
            );
        }
        assert_eq!(by_class(&doc, "rect", "legend-nodata").len(), 1);
        assert!(
            by_class(&doc, "text", "legend-class")
                .iter()
                .any(|t| t.text() == Some("No data"))
        );
        let values: Vec<&str> = by_class(&doc, "text", "district-value")
            .iter()
            .filter_map(|t| t.text())
            .collect();
        assert_eq!(values.iter().filter(|v| **v == "No data").count(), 2);
        // Classes come from the 14 known values only (Songjiang's 93.82 is gone from the legend).
        let legend = by_class(&doc, "text", "legend-class");
        assert_eq!(legend[4].attribute("data-max"), Some("89.35"));
        assert!(
            doc.descendants()
                .find(|n| n.has_tag_name("desc"))
                .unwrap()
                .text()
                .unwrap()
                .contains("No data for 2 districts")
        );
    }

    #[test]
    fn jenks_finds_natural_groups_and_keeps_ties_together() {
        let v = [1.0, 1.1, 1.2, 5.0, 5.1, 9.0, 9.2, 9.1];
        assert_eq!(
            jenks(&v, 3).bounds,
            vec![(1.0, 1.2), (5.0, 5.1), (9.0, 9.2)]
        );
        // Ties never straddle a break, even when that would lower the variance.
        let t = [1.0, 2.0, 2.0, 2.0, 3.0];
        let c = jenks(&t, 3);
        for w in c.bounds.windows(2) {
            assert!(w[0].1 < w[1].0);
        }
        // More classes than distinct values: one class per value.
        assert_eq!(
            jenks(&[4.0, 4.0, 7.0], 5).bounds,
            vec![(4.0, 4.0), (7.0, 7.0)]
        );
        assert!(jenks(&[], 5).bounds.is_empty());
        assert_eq!(jenks(&[3.0, f64::NAN], 4).bounds, vec![(3.0, 3.0)]);
        let c = jenks(&testutil::overall(), 5);
        assert_eq!(c.class_of(133.41), 4);
        assert_eq!(c.class_of(87.31), 0);
    }

    #[test]
    fn rings_are_clipped_to_the_inset_rectangle() {
        let sq = vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let c = clip_ring(&sq, (5.0, -1.0, 20.0, 5.0));
        assert_eq!(c.len(), 4);
        for corner in [(5.0, 0.0), (10.0, 0.0), (10.0, 5.0), (5.0, 5.0)] {
            assert!(c.contains(&corner), "{c:?}");
        }
        assert!((ring_area(&c).abs() - 25.0).abs() < 1e-9);
        assert!(clip_ring(&sq, (20.0, 20.0, 30.0, 30.0)).is_empty());
        assert_eq!(clip_ring(&sq, (-1.0, -1.0, 11.0, 11.0)).len(), 4);
        assert!((ring_area(&clip_ring(&sq, (2.0, 2.0, 4.0, 4.0))).abs() - 4.0).abs() < 1e-9);
    }

    #[test]
    fn polylabel_stays_inside_awkward_shapes() {
        // A U shape: its centroid lies in the notch, outside the polygon.
        let u = vec![vec![
            (0.0, 0.0),
            (30.0, 0.0),
            (30.0, 30.0),
            (20.0, 30.0),
            (20.0, 10.0),
            (10.0, 10.0),
            (10.0, 30.0),
            (0.0, 30.0),
        ]];
        let (x, y) = polylabel(&u, 0.1);
        assert!(signed_distance((x, y), &u) > 4.0, "({x}, {y})");
        // A square with a square hole: the label avoids the hole.
        let holed = vec![
            vec![(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0)],
            vec![(20.0, 20.0), (80.0, 20.0), (80.0, 80.0), (20.0, 80.0)],
        ];
        let p = polylabel(&holed, 0.1);
        assert!(signed_distance(p, &holed) > 8.0, "{p:?}");
        let sq = vec![vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]];
        let (x, y) = polylabel(&sq, 0.01);
        assert!((x - 5.0).abs() < 0.1 && (y - 5.0).abs() < 0.1);
    }

    #[test]
    fn small_synthetic_map_snapshot() {
        // Three squares on the equator (cos 0 = 1), the middle one with a hole, one missing.
        let square = |x: f64| vec![(x, 0.0), (x + 1.0, 0.0), (x + 1.0, 1.0), (x, 1.0), (x, 0.0)];
        let hole = vec![(1.3, 0.3), (1.7, 0.3), (1.7, 0.7), (1.3, 0.7), (1.3, 0.3)];
        let map = DistrictMap {
            shapes: vec![
                vec![vec![square(0.0)]],
                vec![vec![square(1.0), hole]],
                vec![vec![square(2.0)]],
            ],
            attribution: crate::model::Bilingual::new("测试", "Test data"),
        };
        let chart = Choropleth {
            id: "snap-map".into(),
            title: "Synthetic".into(),
            description: "Three squares.".into(),
            lang: Lang::En,
            map: &map,
            values: vec![Some(1.0), Some(2.0), None],
            labels: vec!["A".into(), "B <b>".into(), "C".into()],
            inset: vec![false, true, false],
            legend_title: "Score".into(),
            attribution: "Test data".into(),
            precision: 1,
            classes: 4,
        };
        let svg = render_choropleth(&chart);
        assert_accessible_svg(&svg, "snap-map");
        assert_eq!(svg, render_choropleth(&chart));
        insta::assert_snapshot!("choropleth_small", svg);
    }
}
