//! Where a map's parts go. The wide layout (the PNG, desktops, print) puts the map on the left
//! and the inset and legend in a panel on its right; the narrow one, for phones, stacks map,
//! inset and legend in a drawing 380 px wide, so at a phone's width its text is drawn about as
//! large as written (the wide drawing squeezed to a phone would draw 11 px text at 5 px).

use super::super::font::wrap;
use super::districts::Inset;
use super::projection::{Fit, padded_extent};
use super::{MapLayout, Rect, Scene};

const MARGIN: f64 = 16.0;
const WIDE_WIDTH: f64 = 800.0;
const WIDE_MAP: (f64, f64) = (460.0, 500.0);
/// The inset box of the wide layout; the narrow one keeps its proportions, so a narrow map can
/// show the wide one's inset scaled (see [`reuse_transform`]).
const WIDE_INSET: (f64, f64) = (WIDE_WIDTH - MARGIN - (MARGIN + WIDE_MAP.0 + 24.0), 270.0);
const INSET_HEADING_H: f64 = 22.0;
/// The narrow drawing's width: as the ranked bars' phone variant (`chart::NARROW`).
const NARROW_WIDTH: f64 = 380.0;
const NARROW_MARGIN: f64 = 12.0;

/// The parts' places in one drawing.
pub(super) struct Placement<'i> {
    pub width: f64,
    pub margin: f64,
    pub title_lines: Vec<String>,
    /// Plane → px of the main map, and the bottom of its box.
    pub main_fit: Fit,
    pub map_bottom: f64,
    /// The column the inset and legend use: x and width.
    pub panel: (f64, f64),
    pub inset: Option<Inset<'i>>,
    /// Where the legend starts.
    pub legend_top: f64,
}

/// Lays out the map of `scene` (plane size `plane`) as its [`MapLayout`] says.
pub(super) fn place<'i>(scene: &Scene<'_, '_>, plane: (f64, f64), inset_ids: &'i [usize]) -> Placement<'i> {
    match scene.c.layout {
        MapLayout::Wide => wide(scene, plane, inset_ids),
        MapLayout::Narrow { .. } => narrow(scene, plane, inset_ids),
    }
}

fn title(scene: &Scene<'_, '_>, width: f64, margin: f64) -> (Vec<String>, f64) {
    let lines = wrap(&scene.c.title, 16.0, true, width - 2.0 * margin);
    let top = margin + lines.len() as f64 * 22.0 + 10.0;
    (lines, top)
}

/// The map on the left; the inset (under its heading) and then the legend on the right.
pub(super) fn wide<'i>(scene: &Scene<'_, '_>, (pw, ph): (f64, f64), inset_ids: &'i [usize]) -> Placement<'i> {
    let (title_lines, top) = title(scene, WIDE_WIDTH, MARGIN);
    let main_fit = Fit::new((0.0, 0.0, pw, ph), (MARGIN, top, WIDE_MAP.0, WIDE_MAP.1));
    let panel = (MARGIN + WIDE_MAP.0 + 24.0, WIDE_INSET.0);
    let frame = (panel.0, top + INSET_HEADING_H, WIDE_INSET.0, WIDE_INSET.1);
    let inset = inset(scene, inset_ids, main_fit, top, frame);
    let legend_top = match &inset {
        Some(i) => i.frame.1 + i.frame.3 + 30.0,
        None => top + 14.0,
    };
    Placement { width: WIDE_WIDTH, margin: MARGIN, title_lines, main_fit, map_bottom: top + WIDE_MAP.1, panel, inset, legend_top }
}

/// Map, inset and legend one under another, each the drawing's full width. The map's box takes
/// the map's own proportions (within limits, so a very flat or tall area stays usable).
fn narrow<'i>(scene: &Scene<'_, '_>, (pw, ph): (f64, f64), inset_ids: &'i [usize]) -> Placement<'i> {
    let (title_lines, top) = title(scene, NARROW_WIDTH, NARROW_MARGIN);
    let w = NARROW_WIDTH - 2.0 * NARROW_MARGIN;
    let h = (w * ph / pw).clamp(0.5 * w, 1.3 * w);
    let main_fit = Fit::new((0.0, 0.0, pw, ph), (NARROW_MARGIN, top, w, h));
    let map_bottom = top + h;
    let panel_top = map_bottom + 18.0;
    let frame = (NARROW_MARGIN, panel_top + INSET_HEADING_H, w, w * WIDE_INSET.1 / WIDE_INSET.0);
    let inset = inset(scene, inset_ids, main_fit, panel_top, frame);
    let legend_top = match &inset {
        Some(i) => i.frame.1 + i.frame.3 + 30.0,
        None => panel_top + 14.0,
    };
    Placement { width: NARROW_WIDTH, margin: NARROW_MARGIN, title_lines, main_fit, map_bottom, panel: (NARROW_MARGIN, w), inset, legend_top }
}

/// The inset in `frame` under its heading at `top`: the extent of the inset districts, padded
/// and widened to the frame's aspect; `None` without inset districts.
fn inset<'i>(scene: &Scene<'_, '_>, ids: &'i [usize], main_fit: Fit, top: f64, frame: (f64, f64, f64, f64)) -> Option<Inset<'i>> {
    let (x0, y0, w, h) = padded_extent(&scene.plane, ids)?;
    let aspect = frame.2 / frame.3;
    let (w2, h2) = if w / h > aspect { (w, w / aspect) } else { (h * aspect, h) };
    let src = (x0 - (w2 - w) / 2.0, y0 - (h2 - h) / 2.0, w2, h2);
    let (ax, ay) = main_fit.apply((src.0, src.1));
    let (bx, by) = main_fit.apply((src.0 + src.2, src.1 + src.3));
    let locator: Rect = (ax, ay, bx, by);
    Some(Inset { fit: Fit::new(src, frame), frame, locator, top, ids })
}

/// A uniform scale and offset (k, tx, ty) taking px of one drawing to px of another.
pub(super) type Similarity = (f64, f64, f64);

/// How the narrow placement `narrow` shows the outlines the wide placement `wide` drew: the
/// main map's and, if both have one, the inset's. The two fits share their source rectangle,
/// and the inset frames their proportions, so each is a uniform scale plus an offset.
pub(super) fn reuse_transform(wide: &Placement<'_>, narrow: &Placement<'_>) -> (Similarity, Option<Similarity>) {
    let main = wide.main_fit.onto(narrow.main_fit);
    let inset = match (&wide.inset, &narrow.inset) {
        (Some(w), Some(n)) => {
            let k = n.frame.2 / w.frame.2;
            Some((k, n.frame.0 - k * w.frame.0, n.frame.1 - k * w.frame.1))
        }
        _ => None,
    };
    (main, inset)
}
