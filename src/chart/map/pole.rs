//! Where a district's label wants to be: its pole of inaccessibility, the interior point
//! farthest from its border.

use std::collections::BinaryHeap;

use super::geometry::{Ring, bounds, signed_distance};

/// [`polylabel`] at 1 px precision, memoised: an edition draws the same outlines at the same
/// size for every indicator (50+ maps per language), and the search is most of a map's cost.
/// The key is the whole snapped polygon, so a hit is exactly the value a fresh search returns.
pub(super) fn pole_cached(poly: &[Ring]) -> (f64, f64) {
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

/// A square of the quadtree search: centre, half size, distance of the centre to the border and
/// the best distance any point inside could have.
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
    let Some((x0, y0, x1, y1)) = bounds(outer) else {
        return (0.0, 0.0);
    };
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
    let (cx, cy) = centroid(outer).unwrap_or((x0 + w / 2.0, y0 + h / 2.0));
    let mut best = Cell::new(cx, cy, 0.0, poly);
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

/// Area centroid of a ring; `None` for a ring of zero area.
fn centroid(ring: &[(f64, f64)]) -> Option<(f64, f64)> {
    let (mut cx, mut cy, mut a) = (0.0, 0.0, 0.0);
    for j in 0..ring.len() {
        let (xa, ya) = ring[j];
        let (xb, yb) = ring[(j + 1) % ring.len()];
        let f = xa * yb - xb * ya;
        cx += (xa + xb) * f;
        cy += (ya + yb) * f;
        a += f * 3.0;
    }
    if a == 0.0 {
        None
    } else {
        Some((cx / a, cy / a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn cached_pole_is_the_fresh_search() {
        let l = vec![vec![
            (0.0, 0.0),
            (40.0, 0.0),
            (40.0, 10.0),
            (10.0, 10.0),
            (10.0, 40.0),
            (0.0, 40.0),
        ]];
        let fresh = polylabel(&l, 1.0);
        assert_eq!(pole_cached(&l), fresh);
        assert_eq!(pole_cached(&l), fresh);
    }
}
