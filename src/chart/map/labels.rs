//! District labels (name over value): placed at each district's pole of inaccessibility, pushed
//! apart where they collide, and drawn so they stay readable on any class colour.

use std::fmt::Write as _;

use super::super::font::text_width;
use super::super::svg::{self, fmt_coord};
use super::geometry::{Ring, poly_area, signed_distance, snapped};
use super::pole::pole_cached;
use super::projection::Fit;
use super::{BORDER, Rect, Scene};

const NAME_SIZE: f64 = 12.0;
const VALUE_SIZE: f64 = 11.0;
const LABEL_H: f64 = 27.0;
/// Up to this many labels are pushed apart (with leader lines where they move); beyond it only
/// labels that fit inside their district are drawn.
const MAX_MOVABLE_LABELS: usize = 40;

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

/// Labels for `ids`, drawn with `fit`. Each starts at its district's pole of inaccessibility
/// (the interior point farthest from the border, on its largest part); labels that collide are
/// pushed apart, and a label that had to move gets a white box and a leader line to its
/// district so it cannot be read as belonging to a neighbour. `avoid` is a line the labels
/// should not be read across (the inset's locator frame).
pub(super) fn district_labels(
    scene: &Scene<'_, '_>,
    ids: &[usize],
    fit: Fit,
    avoid: Option<Rect>,
) -> String {
    let mut labels: Vec<Label> = ids.iter().filter_map(|&i| place(scene, i, fit)).collect();
    if labels.len() > MAX_MOVABLE_LABELS {
        // Too many to push apart readably (they would pile up and spill over the title and out
        // of the drawing): label only the districts whose label fits inside them. The others
        // are named by their outline's tooltip and in the table.
        labels.retain(|l| fits_inside(scene, l, fit));
    }
    separate(&mut labels);
    labels.iter().map(|l| draw(l, avoid)).collect()
}

/// District `i`'s label at its pole, or `None` for a district without outline.
fn place(scene: &Scene<'_, '_>, i: usize, fit: Fit) -> Option<Label> {
    // The search runs on rings snapped to whole pixels (repeats dropped): a label needs
    // no sub-pixel accuracy, and the district outlines have thousands of vertices.
    let px: Vec<Vec<Ring>> = scene.plane[i]
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
    let name = scene.c.labels.get(i).cloned().unwrap_or_default();
    let value = scene.value_text(i);
    let w = text_width(&name, NAME_SIZE, true).max(text_width(&value, VALUE_SIZE, false)) + 6.0;
    Some(Label {
        district: i,
        anchor,
        room,
        at: anchor,
        w,
        h: LABEL_H,
        name,
        value,
        fill: scene.fill_of(i),
    })
}

/// Whether `l`'s box, at its anchor, lies wholly inside its district: every corner and edge
/// midpoint of the box is inside the district's largest part, clear of its border.
fn fits_inside(scene: &Scene<'_, '_>, l: &Label, fit: Fit) -> bool {
    let Some(largest) = scene.plane[l.district]
        .iter()
        .map(|poly| poly.iter().map(|r| r.iter().map(|&pt| fit.apply(pt)).collect::<Ring>()).collect::<Vec<Ring>>())
        .max_by(|a, b| poly_area(a).total_cmp(&poly_area(b)))
    else {
        return false;
    };
    let (x, y) = l.anchor;
    let (hw, hh) = (l.w / 2.0, l.h / 2.0);
    [(-1.0, -1.0), (0.0, -1.0), (1.0, -1.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (-1.0, 1.0), (-1.0, 0.0)]
        .iter()
        .all(|(dx, dy)| signed_distance((x + dx * hw, y + dy * hh), &largest) > 1.0)
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

/// One label's SVG: leader and box if it moved, then name and value.
fn draw(l: &Label, avoid: Option<Rect>) -> String {
    let mut s = String::new();
    let moved = (l.at.0 - l.anchor.0).hypot(l.at.1 - l.anchor.1) > 6.0;
    let (x, y) = l.at;
    let (ink, halo) = if moved {
        s.push_str(&leader_and_box(l));
        (svg::INK, "#ffffff")
    } else {
        text_colours(&l.fill)
    };
    let halo_attrs = if moved || clear_of_lines(l, avoid) {
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
    s
}

/// Leader from the district to the nearest point of the label's box, then the box itself.
fn leader_and_box(l: &Label) -> String {
    let mut s = String::new();
    let (x, y) = l.at;
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
    s
}

/// Text and halo colour on a district of `fill`: white or near-black text, whichever contrasts
/// more ("no data" hatching is mostly white, so dark text); the halo in the fill colour hides
/// borders the text crosses.
fn text_colours(fill: &str) -> (&'static str, &str) {
    let bg = if fill.starts_with('#') {
        luminance(fill)
    } else {
        1.0
    };
    let white_wins = contrast(bg, 1.0) > contrast(bg, luminance(svg::INK));
    if white_wins {
        ("#ffffff", fill)
    } else {
        (svg::INK, "#ffffff")
    }
}

/// Whether the label's text stays clear of every line (district border, inset locator): only
/// text that may cross one gets a halo, since stroking glyph outlines is the most expensive
/// thing in a map's PNG.
fn clear_of_lines(l: &Label, avoid: Option<Rect>) -> bool {
    let (x, y) = l.at;
    let half_diag = (l.w / 2.0).hypot(l.h / 2.0);
    let crosses_frame = avoid.is_some_and(|(x0, y0, x1, y1)| {
        let (bx0, bx1, by0, by1) = (x - l.w / 2.0, x + l.w / 2.0, y - l.h / 2.0, y + l.h / 2.0);
        let overlaps = bx1 > x0 && bx0 < x1 && by1 > y0 && by0 < y1;
        let inside = bx0 > x0 && bx1 < x1 && by0 > y0 && by1 < y1;
        overlaps && !inside
    });
    l.room >= half_diag && !crosses_frame
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
