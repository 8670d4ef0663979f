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
mod layout;
mod legend;
mod pole;
mod projection;
#[cfg(test)]
mod narrow_tests;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use crate::model::{DistrictMap, Lang};

use super::font::wrap;
use super::svg::{self, fmt_coord, fmt_value};
use layout::Similarity;
use projection::{Plane, Projection};

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
    pub layout: MapLayout,
}

/// How a map is laid out (see `layout.rs`).
#[derive(Debug, Clone, PartialEq)]
pub enum MapLayout {
    /// 800 px wide, the inset and legend beside the map: the PNG, desktops and print.
    Wide,
    /// 380 px wide, map, inset and legend stacked: the phone variant.
    Narrow {
        /// The id of the wide drawing of the same map on the same page: its outlines (most of a
        /// map's bytes) are then shown through `<use>` instead of drawn again, and this drawing
        /// is hidden from assistive technology, which reads the wide one. `None` draws a
        /// standalone map.
        reuses: Option<String>,
    },
}

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
    let (scene, plane) = Scene::new(c);
    let p = &scene.p;
    let inset_ids = scene.drawn(true);
    let at = layout::place(&scene, plane, &inset_ids);
    // A narrow drawing that reuses a wide one's outlines: where the wide one put them.
    let reused = match &c.layout {
        MapLayout::Narrow { reuses: Some(wide_id) } => {
            let wide = layout::wide(&scene, plane, &inset_ids);
            Some((svg::id_prefix(wide_id), layout::reuse_transform(&wide, &at)))
        }
        _ => None,
    };

    let mut defs = String::new();
    if scene.missing() > 0 {
        defs.push_str(&svg::hatch_pattern(&format!("{p}-nodata"), "#ffffff", "#7b8794", 6.0, 1.5));
    }

    let mut body = String::new();
    let _ = writeln!(body, "<rect width=\"{}\" height=\"HEIGHT\" fill=\"#ffffff\"/>", fmt_coord(at.width));
    body.push_str(&svg::title_lines(at.margin, &at.title_lines));
    // Main map: every district, then labels of those not shown in the inset.
    match &reused {
        Some((wide, (main, _))) => body.push_str(&reuse(wide, "districts", *main)),
        None => body.push_str(&districts::main_map(&scene, at.main_fit)),
    }
    if let Some(inset) = &at.inset {
        match &reused {
            Some((wide, (_, Some(t)))) => body.push_str(&districts::framed_inset(&scene, inset, &reuse(wide, "inset", *t))),
            _ => body.push_str(&districts::inset(&scene, inset)),
        }
    }
    let locator = at.inset.as_ref().map(|i| i.locator);
    body.push_str(&labels::district_labels(&scene, &scene.drawn(false), at.main_fit, locator));

    let (legend, legend_bottom) = legend::legend(&scene, at.panel, at.legend_top);
    body.push_str(&legend);

    // Attribution across the full width under whichever column is longer.
    let mut ay = at.map_bottom.max(legend_bottom) + 18.0;
    for line in wrap(&c.attribution, 11.0, false, at.width - 2.0 * at.margin) {
        body.push_str(&svg::text(at.margin, ay, 11.0, &format!("fill=\"{}\" class=\"attribution\"", svg::MUTED), &line));
        ay += 15.0;
    }
    let height = (ay - 15.0 + at.margin + 4.0).round();
    let body = body.replacen("height=\"HEIGHT\"", &format!("height=\"{}\"", fmt_coord(height)), 1);

    let desc = legend::describe(&scene);
    let mut out = svg::open_svg(p, c.lang, at.width, height, &c.title, &desc, &defs);
    if reused.is_some() {
        out = out.replacen("<svg ", "<svg aria-hidden=\"true\" ", 1);
    }
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

/// A `<use>` of the group `{wide}-{part}` of the wide drawing, scaled and moved by `t`.
fn reuse(wide: &str, part: &str, (k, tx, ty): Similarity) -> String {
    format!(
        "<use href=\"#{wide}-{part}\" transform=\"matrix({} 0 0 {} {} {})\"/>\n",
        fmt_transform(k),
        fmt_transform(k),
        fmt_transform(tx),
        fmt_transform(ty)
    )
}

/// A transform's number: four decimals (a scale off by 1e-4 moves a 400 px map by 0.04 px).
fn fmt_transform(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}
