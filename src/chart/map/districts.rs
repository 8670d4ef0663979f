//! District outlines as SVG paths: every district on the main map, and the enlarged inset with
//! its locator frame.

use std::fmt::Write as _;

use super::super::svg::{self, esc, fmt_coord};
use super::geometry::{Ring, clip_ring, snapped};
use super::labels::district_labels;
use super::projection::Fit;
use super::{BORDER, CONTEXT, FRAME, Rect, Scene};

/// Every district on the main map, filled by class, with its name and value as a tooltip.
pub(super) fn main_map(scene: &Scene<'_, '_>, fit: Fit) -> String {
    let p = &scene.p;
    // The id lets a page's narrow drawing of the same map reuse these outlines (`<use>`).
    let mut body = format!("<g id=\"{p}-districts\" class=\"districts\">\n");
    for (i, shape) in scene.plane.iter().enumerate() {
        if shape.is_empty() {
            continue;
        }
        let tooltip = format!("{} {}", scene.label(i), scene.value_text(i));
        let _ = writeln!(
            body,
            "<path id=\"{p}-d{i}\" class=\"district\" d=\"{}\" fill=\"{}\" fill-rule=\"evenodd\" stroke=\"{BORDER}\" stroke-width=\"0.5\" stroke-linejoin=\"round\"><title>{}</title></path>",
            path_d(shape, fit, None),
            scene.fill_of(i),
            esc(&tooltip)
        );
    }
    body.push_str("</g>\n");
    body
}

/// Where the inset is drawn and what it shows.
pub(super) struct Inset<'i> {
    /// Plane → px of the enlarged view.
    pub fit: Fit,
    /// The inset's box (x, y, w, h) in px.
    pub frame: (f64, f64, f64, f64),
    /// The area the inset enlarges, framed on the main map.
    pub locator: Rect,
    /// Top of the side panel, where the inset's heading goes.
    pub top: f64,
    /// Districts drawn and labelled in the inset.
    pub ids: &'i [usize],
}

/// The inset: its locator on the main map, heading, enlarged districts (neighbours in grey for
/// context), frame and labels.
pub(super) fn inset(scene: &Scene<'_, '_>, inset: &Inset<'_>) -> String {
    framed_inset(scene, inset, &enlarged(scene, inset))
}

/// The inset around `outlines`: [`inset`]'s own, or a `<use>` of a wide drawing's.
pub(super) fn framed_inset(scene: &Scene<'_, '_>, inset: &Inset<'_>, outlines: &str) -> String {
    let mut body = String::new();
    let (ax, ay, bx, by) = inset.locator;
    let (fx, fy, fw, fh) = inset.frame;
    // The inset's area on the main map, framed like the inset itself.
    let _ = writeln!(
        body,
        "<rect class=\"inset-locator\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{FRAME}\" stroke-width=\"1.5\"/>",
        fmt_coord(ax),
        fmt_coord(ay),
        fmt_coord(bx - ax),
        fmt_coord(by - ay)
    );
    body.push_str(&svg::text(fx, inset.top + 14.0, 13.0, "font-weight=\"bold\" class=\"inset-title\"", &scene.c.inset_title));
    body.push_str(outlines);
    let _ = writeln!(
        body,
        "<rect class=\"inset-frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{FRAME}\" stroke-width=\"2\"/>",
        fmt_coord(fx),
        fmt_coord(fy),
        fmt_coord(fw),
        fmt_coord(fh)
    );
    body.push_str(&district_labels(scene, inset.ids, inset.fit, None));
    body
}

/// The inset's outlines, clipped to its frame: the inset districts in their class colours,
/// their neighbours in grey.
fn enlarged(scene: &Scene<'_, '_>, inset: &Inset<'_>) -> String {
    let (fx, fy, fw, fh) = inset.frame;
    // Outlines are clipped to the frame geometrically (not with an SVG clipPath, which made
    // resvg fill whole enlarged districts into an off-screen layer).
    // The id lets a page's narrow drawing of the same map reuse them (`<use>`).
    let mut body = format!("<g id=\"{}-inset\" class=\"inset\">\n", scene.p);
    let _ = writeln!(
        body,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        fmt_coord(fx),
        fmt_coord(fy),
        fmt_coord(fw),
        fmt_coord(fh)
    );
    let clip = (fx, fy, fx + fw, fy + fh);
    for (i, shape) in scene.plane.iter().enumerate() {
        if shape.is_empty() {
            continue;
        }
        // Neighbours are context only: neutral grey, so no class colour appears in the inset
        // for a district that is not labelled there.
        let (class, fill) = if scene.in_inset(i) {
            ("inset-district", scene.fill_of(i))
        } else {
            ("inset-context", CONTEXT.to_string())
        };
        let d = path_d(shape, inset.fit, Some(clip));
        if d.is_empty() {
            continue;
        }
        let _ = writeln!(
            body,
            "<path class=\"{class}\" d=\"{d}\" fill=\"{fill}\" fill-rule=\"evenodd\" stroke=\"{BORDER}\" stroke-width=\"0.5\" stroke-linejoin=\"round\"/>",
        );
    }
    body.push_str("</g>\n");
    body
}

/// SVG path data, each ring first clipped to the rectangle `clip` (if any), vertices snapped to
/// a 0.5 px grid with repeats dropped. The boundary data has many sub-pixel zigzags; snapping
/// then dropping repeats removes them without opening gaps, because a border shared by two
/// districts has the same vertices in both and so loses the same ones (whichever direction each
/// ring runs). Vertices in the middle of a straight run are dropped too (the outline stays
/// exactly the same), and each ring is written as moves relative to the previous vertex: a map
/// is inlined in every page that shows it, so its bytes count toward the page's weight.
fn path_d(polys: &[Vec<Ring>], fit: Fit, clip: Option<Rect>) -> String {
    let mut d = String::new();
    for poly in polys {
        for r in poly {
            let px: Ring = r.iter().map(|&pt| fit.apply(pt)).collect();
            let px = match clip {
                Some(rect) => clip_ring(&px, rect),
                None => px,
            };
            // Half a pixel is one device pixel in the 2× PNGs.
            let pts = without_straight_runs(&snapped(px.into_iter(), 0.5));
            if pts.len() < 3 {
                continue;
            }
            let halves: Vec<(i64, i64)> = pts.iter().map(|&(x, y)| (half_units(x), half_units(y))).collect();
            d.push('M');
            push_halves(&mut d, halves[0].0, false);
            push_halves(&mut d, halves[0].1, true);
            d.push('l');
            for (j, w) in halves.windows(2).enumerate() {
                push_halves(&mut d, w[1].0 - w[0].0, j > 0);
                push_halves(&mut d, w[1].1 - w[0].1, true);
            }
            d.push('z');
        }
    }
    d
}

/// A coordinate on the 0.5 px grid as a whole number of half pixels.
fn half_units(v: f64) -> i64 {
    (v * 2.0).round() as i64
}

/// The ring (on the 0.5 px grid) without the vertices that lie on a straight line between their
/// neighbours and continue in the same direction: removing them leaves the outline unchanged.
fn without_straight_runs(ring: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let n = ring.len();
    if n < 4 {
        return ring.to_vec();
    }
    let h: Vec<(i64, i64)> = ring.iter().map(|&(x, y)| (half_units(x), half_units(y))).collect();
    let straight = |a: (i64, i64), b: (i64, i64), c: (i64, i64)| {
        let (u, v) = ((b.0 - a.0, b.1 - a.1), (c.0 - b.0, c.1 - b.1));
        u.0 * v.1 - u.1 * v.0 == 0 && u.0 * v.0 + u.1 * v.1 > 0
    };
    let kept: Vec<(f64, f64)> = (0..n).filter(|&i| !straight(h[(i + n - 1) % n], h[i], h[(i + 1) % n])).map(|i| ring[i]).collect();
    // Dropping is decided on the original neighbours, so a run of several straight vertices all
    // go and the corners that bound it stay; a ring that was all straight keeps its vertices.
    if kept.len() < 3 { ring.to_vec() } else { kept }
}

/// Appends a number of half pixels as a decimal ("12", "12.5", "-3.5"); a space separates it
/// from the number before unless its minus sign does.
fn push_halves(d: &mut String, halves: i64, after_number: bool) {
    if halves < 0 {
        d.push('-');
    } else if after_number {
        d.push(' ');
    }
    let a = halves.unsigned_abs();
    let _ = write!(d, "{}", a / 2);
    if a % 2 == 1 {
        d.push_str(".5");
    }
}

