//! Plane geometry of district outlines: rings, areas, bounds, clipping, distances.
//!
//! A ring is a list of (x, y) points; a polygon is its outer ring followed by its holes.

/// One closed outline; the last point connects back to the first.
pub(crate) type Ring = Vec<(f64, f64)>;

/// The points of a GeoJSON ring without its repeated closing point (SVG's Z closes it anyway).
pub(super) fn ring(r: &[(f64, f64)]) -> impl Iterator<Item = (f64, f64)> + '_ {
    let closed = r.len() > 1 && r.first() == r.last();
    r[..r.len() - usize::from(closed)].iter().copied()
}

/// Signed area of a ring (shoelace formula); its sign tells the winding direction. The closing
/// edge is implied, so a GeoJSON ring (first point repeated at the end) and the same ring without
/// the repeat have the same area.
pub fn ring_area(r: &[(f64, f64)]) -> f64 {
    let mut a = 0.0;
    for j in 0..r.len() {
        let (x1, y1) = r[j];
        let (x2, y2) = r[(j + 1) % r.len()];
        a += x1 * y2 - x2 * y1;
    }
    a / 2.0
}

/// Area of a polygon: its outer ring less its holes.
pub(super) fn poly_area(poly: &[Ring]) -> f64 {
    let mut rings = poly.iter();
    let outer = rings.next().map(|r| ring_area(r).abs()).unwrap_or(0.0);
    outer - rings.map(|r| ring_area(r).abs()).sum::<f64>()
}

/// Bounding box `(x0, y0, x1, y1)` of the points, `None` when there are none.
pub(super) fn bounds<'p>(
    pts: impl IntoIterator<Item = &'p (f64, f64)>,
) -> Option<(f64, f64, f64, f64)> {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in pts {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    if x0 > x1 {
        None
    } else {
        Some((x0, y0, x1, y1))
    }
}

/// `pts` snapped to a grid of `grid` px, consecutive repeats (and a repeated first point at the
/// end) dropped.
pub(super) fn snapped(pts: impl Iterator<Item = (f64, f64)>, grid: f64) -> Ring {
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

/// Sutherland–Hodgman clipping of a ring to an axis-aligned rectangle. Exact for rectangles;
/// a ring wholly outside comes back empty, and parts running along the rectangle's edge are
/// hidden under the inset frame.
pub(super) fn clip_ring(ring: &[(f64, f64)], (x0, y0, x1, y1): (f64, f64, f64, f64)) -> Ring {
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

/// Signed distance from `p` to the polygon's boundary: positive inside (even-odd rule).
pub(super) fn signed_distance(p: (f64, f64), poly: &[Ring]) -> f64 {
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn ring_area_is_the_same_for_open_and_closed_rings() {
        // A right triangle of legs 4 and 3, counter-clockwise in a y-up plane, with and without
        // the repeated closing point GeoJSON writes.
        let open = [(0.0, 0.0), (4.0, 0.0), (0.0, 3.0)];
        let closed = [(0.0, 0.0), (4.0, 0.0), (0.0, 3.0), (0.0, 0.0)];
        assert_eq!(ring_area(&open), 6.0);
        assert_eq!(ring_area(&closed), ring_area(&open));
        let reversed: Vec<_> = open.iter().rev().copied().collect();
        assert_eq!(ring_area(&reversed), -6.0);
        assert_eq!(ring_area(&[]), 0.0);
        // A hole is subtracted from its polygon's area.
        let square = vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let hole = vec![(2.0, 2.0), (4.0, 2.0), (4.0, 4.0), (2.0, 4.0)];
        assert_eq!(poly_area(&[square, hole]), 96.0);
    }

    #[test]
    fn bounds_of_points() {
        let pts = [(3.0, -1.0), (-2.0, 5.0), (0.5, 0.5)];
        assert_eq!(bounds(&pts), Some((-2.0, -1.0, 3.0, 5.0)));
        assert_eq!(bounds(&[]), None);
    }
}
