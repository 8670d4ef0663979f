//! Choropleth maps of districts: natural-breaks classes on a ColorBrewer Blues scale, an
//! enlarged inset of the dense central city, hatching for missing data, labels at each
//! district's pole of inaccessibility.
//!
//! Paths are written directly as SVG: plotters' polygons cannot be stroked or have holes.
//! This file lays the map out and assembles the SVG; the parts are drawn by
//! - `districts`: outlines on the main map and in the inset,
//! - `labels`: district names and values (placed with `pole`),
//! - `legend`: the legend and every text the map writes in its language,
//!
//! on top of `classes` (Jenks breaks), `projection` (lon/lat → px) and `geometry`.

mod classes;
mod districts;
mod geometry;
mod labels;
mod legend;
mod pole;
mod projection;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use crate::model::{DistrictMap, Lang};

use super::font::wrap;
use super::svg::{self, fmt_coord, fmt_value};
use districts::Inset;
use projection::{Fit, Plane, Projection, padded_extent};

pub use classes::{Classes, jenks};
pub use geometry::ring_area;

/// The outlines a map draws, with a digest of them. The digest stands for the geometry in the
/// map's `Debug` text (the figure cache's key), so thousands of coordinates are not formatted for
/// every map, yet every field of [`Choropleth`] is part of the key without a hand-kept list.
#[derive(Clone, Copy, PartialEq)]
pub struct MapGeometry<'a> {
    map: &'a DistrictMap,
    digest: [u8; 32],
}

impl<'a> MapGeometry<'a> {
    /// Digests the outlines once; share the result among the maps of one edition.
    pub fn new(map: &'a DistrictMap) -> Self {
        use sha2::Digest as _;
        MapGeometry { map, digest: sha2::Sha256::digest(format!("{map:?}").as_bytes()).into() }
    }
}

impl std::ops::Deref for MapGeometry<'_> {
    type Target = DistrictMap;
    fn deref(&self) -> &DistrictMap {
        self.map
    }
}

impl std::fmt::Debug for MapGeometry<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MapGeometry(")?;
        for b in self.digest {
            write!(f, "{b:02x}")?;
        }
        write!(f, ")")
    }
}

/// A district map coloured by one value per district.
#[derive(Debug, Clone, PartialEq)]
pub struct Choropleth<'a> {
    pub id: String,
    pub title: String,
    pub description: String,
    pub lang: Lang,
    /// The words it writes around its data, in `lang`.
    pub words: super::ChartWords,
    pub map: MapGeometry<'a>,
    /// Value by district index; `None` is drawn hatched as "no data".
    pub values: Vec<Option<f64>>,
    /// Short district names by district index.
    pub labels: Vec<String>,
    /// Districts drawn (and labelled) in the enlarged inset rather than on the main map: the
    /// small central districts. The inset frames their combined extent.
    pub inset: Vec<bool>,
    /// The inset's heading (e.g. the region its districts belong to), from the edition's data.
    pub inset_title: String,
    pub legend_title: String,
    /// Source of the boundaries, printed under the map (licence requirement).
    pub attribution: String,
    pub precision: u8,
    /// Number of classes, 4 or 5 recommended for 16 districts; fewer are used when the data
    /// has fewer distinct values.
    pub classes: usize,
}

const WIDTH: f64 = 800.0;
const MARGIN: f64 = 16.0;
const MAP_W: f64 = 460.0;
const MAP_H: f64 = 500.0;
const PANEL_X: f64 = MARGIN + MAP_W + 24.0;
const PANEL_W: f64 = WIDTH - MARGIN - PANEL_X;
const INSET_H: f64 = 270.0;
const INSET_HEADING_H: f64 = 22.0;
/// District borders: dark enough to separate two districts of the same class, and drawn
/// 0.5 px wide so the 2× PNG renders them as 1-device-pixel hairlines (tiny-skia's fast path;
/// wider strokes doubled a map's rendering time).
const BORDER: &str = "#3e4c59";
const FRAME: &str = "#1f2933";
const CONTEXT: &str = "#f0f2f4";

/// A rectangle by its corners (x0, y0, x1, y1), px.
type Rect = (f64, f64, f64, f64);

/// What the parts of one map share: the chart, its id prefix, the projected outlines and the
/// classes of its values.
struct Scene<'c, 'a> {
    c: &'c Choropleth<'a>,
    /// Prefix of every id in the SVG.
    p: String,
    plane: Plane,
    classes: Classes,
}

impl<'c, 'a> Scene<'c, 'a> {
    /// Projects the outlines (plane units, see [`Projection`]) and classes the finite values.
    fn new(c: &'c Choropleth<'a>) -> (Scene<'c, 'a>, (f64, f64)) {
        let (proj, size) = Projection::fit(&c.map);
        let mut scene = Scene {
            c,
            p: svg::id_prefix(&c.id),
            plane: proj.project(&c.map),
            classes: Classes { bounds: Vec::new() },
        };
        let finite: Vec<f64> = (0..scene.len()).filter_map(|i| scene.value(i)).collect();
        scene.classes = jenks(&finite, c.classes.clamp(1, 9));
        (scene, size)
    }

    fn len(&self) -> usize {
        self.c.map.shapes.len()
    }

    fn value(&self, i: usize) -> Option<f64> {
        self.c
            .values
            .get(i)
            .copied()
            .flatten()
            .filter(|v| v.is_finite())
    }

    /// District `i`'s value as printed, or "no data".
    fn value_text(&self, i: usize) -> String {
        self.value(i)
            .map(|v| fmt_value(v, self.c.precision))
            .unwrap_or_else(|| self.c.words.no_data_legend.clone())
    }

    fn label(&self, i: usize) -> &str {
        self.c.labels.get(i).map(String::as_str).unwrap_or("")
    }

    fn in_inset(&self, i: usize) -> bool {
        self.c.inset.get(i).copied().unwrap_or(false)
    }

    /// Districts without a value.
    fn missing(&self) -> usize {
        (0..self.len()).filter(|&i| self.value(i).is_none()).count()
    }

    /// Districts with an outline that are (`true`) or are not in the inset.
    fn drawn(&self, in_inset: bool) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| self.in_inset(i) == in_inset && !self.plane[i].is_empty())
            .collect()
    }

    /// Colour of class `cls` as `rrggbb`. With fewer than 3 classes take the darker end of the
    /// 3-class scale so contrast stays high.
    fn colour(&self, cls: usize) -> String {
        let k = self.classes.bounds.len();
        let cls = if k < 3 { cls + 3 - k.max(1) } else { cls };
        format!("{:x}", colorous::BLUES.eval_rational(cls, k.max(3)))
    }

    /// Fill of district `i`: its class colour, or the "no data" hatching.
    fn fill_of(&self, i: usize) -> String {
        match self.value(i) {
            Some(v) => format!("#{}", self.colour(self.classes.class_of(v))),
            None => format!("url(#{}-nodata)", self.p),
        }
    }
}

/// Renders the map as a standalone, accessible SVG document.
impl super::Chart for Choropleth<'_> {
    fn to_svg(&self) -> String {
        render_choropleth(self)
    }

    fn texts(&self) -> Vec<&str> {
        let mut t = vec![self.title.as_str(), self.description.as_str(), self.legend_title.as_str(), self.attribution.as_str()];
        t.extend(self.labels.iter().map(String::as_str));
        t.push(self.inset_title.as_str());
        t.extend(self.words.all());
        t
    }
}

pub fn render_choropleth(c: &Choropleth<'_>) -> String {
    let (scene, (pw, ph)) = Scene::new(c);
    let p = &scene.p;

    let title_lines = wrap(&c.title, 16.0, true, WIDTH - 2.0 * MARGIN);
    let top = MARGIN + title_lines.len() as f64 * 22.0 + 10.0;
    let main_fit = Fit::new((0.0, 0.0, pw, ph), (MARGIN, top, MAP_W, MAP_H));
    let map_bottom = top + MAP_H;
    let inset_ids = scene.drawn(true);
    let inset = inset_layout(&scene, &inset_ids, main_fit, top);

    let mut defs = String::new();
    if scene.missing() > 0 {
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
    body.push_str(&districts::main_map(&scene, main_fit));
    if let Some(inset) = &inset {
        body.push_str(&districts::inset(&scene, inset));
    }
    let locator = inset.as_ref().map(|i| i.locator);
    body.push_str(&labels::district_labels(
        &scene,
        &scene.drawn(false),
        main_fit,
        locator,
    ));

    // Legend under the inset (or at the panel top without one).
    let legend_top = match &inset {
        Some(i) => i.frame.1 + i.frame.3 + 30.0,
        None => top + 14.0,
    };
    let (legend, legend_bottom) = legend::legend(&scene, legend_top);
    body.push_str(&legend);

    // Attribution across the full width under whichever column is longer.
    let mut ay = map_bottom.max(legend_bottom) + 18.0;
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

    let desc = legend::describe(&scene);
    let mut out = svg::open_svg(p, c.lang, WIDTH, height, &c.title, &desc, &defs);
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

/// The inset in the side panel under its heading: the extent of the inset districts, padded
/// and widened to the inset box's aspect; `None` without inset districts.
fn inset_layout<'i>(
    scene: &Scene<'_, '_>,
    ids: &'i [usize],
    main_fit: Fit,
    top: f64,
) -> Option<Inset<'i>> {
    let frame = (PANEL_X, top + INSET_HEADING_H, PANEL_W, INSET_H);
    let (x0, y0, w, h) = padded_extent(&scene.plane, ids)?;
    let aspect = frame.2 / frame.3;
    let (w2, h2) = if w / h > aspect {
        (w, w / aspect)
    } else {
        (h * aspect, h)
    };
    let src = (x0 - (w2 - w) / 2.0, y0 - (h2 - h) / 2.0, w2, h2);
    let (ax, ay) = main_fit.apply((src.0, src.1));
    let (bx, by) = main_fit.apply((src.0 + src.2, src.1 + src.3));
    Some(Inset {
        fit: Fit::new(src, frame),
        frame,
        locator: (ax, ay, bx, by),
        top,
        ids,
    })
}
