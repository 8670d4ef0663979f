//! From longitude/latitude to SVG pixels: a projection to a plane, then a fit of a plane
//! rectangle into a pixel box.

use crate::model::DistrictMap;

use super::geometry::{Ring, bounds, ring};

/// Projected outlines: by district, its polygons, each an outer ring and its holes.
pub(super) type Plane = Vec<Vec<Vec<Ring>>>;

/// lon/lat → plane: equirectangular with x shrunk by cos of the mean latitude (midway between
/// the map's northern and southern extremes), so shapes keep their proportions at the map's
/// latitude (Shanghai, 31°N: 1° lon ≈ 0.86° lat on the ground).
pub(super) struct Projection {
    lon0: f64,
    lat_top: f64,
    kx: f64,
}

impl Projection {
    /// The projection for `map` and the size (width, height) of the map in plane units.
    pub(super) fn fit(map: &DistrictMap) -> (Projection, (f64, f64)) {
        let Some((lo_lon, lo_lat, hi_lon, hi_lat)) =
            bounds(map.shapes.iter().flatten().flatten().flatten())
        else {
            return (
                Projection {
                    lon0: 0.0,
                    lat_top: 0.0,
                    kx: 1.0,
                },
                (1.0, 1.0),
            );
        };
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

    pub(super) fn apply(&self, (lon, lat): (f64, f64)) -> (f64, f64) {
        ((lon - self.lon0) * self.kx, self.lat_top - lat)
    }

    /// Every district's outlines in plane units, GeoJSON's repeated closing points dropped.
    pub(super) fn project(&self, map: &DistrictMap) -> Plane {
        map.shapes
            .iter()
            .map(|polys| {
                polys
                    .iter()
                    .map(|poly| {
                        poly.iter()
                            .map(|r| ring(r).map(|pt| self.apply(pt)).collect())
                            .collect()
                    })
                    .collect()
            })
            .collect()
    }
}

/// Plane → SVG px: scale then offset.
#[derive(Clone, Copy)]
pub(super) struct Fit {
    s: f64,
    dx: f64,
    dy: f64,
}

impl Fit {
    /// Fits the plane rectangle (x0, y0, w, h) centred into the px box (bx, by, bw, bh).
    pub(super) fn new(src: (f64, f64, f64, f64), dst: (f64, f64, f64, f64)) -> Fit {
        let (x0, y0, w, h) = src;
        let (bx, by, bw, bh) = dst;
        let s = (bw / w).min(bh / h);
        Fit {
            s,
            dx: bx + (bw - w * s) / 2.0 - x0 * s,
            dy: by + (bh - h * s) / 2.0 - y0 * s,
        }
    }

    pub(super) fn apply(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (x * self.s + self.dx, y * self.s + self.dy)
    }

    /// The scale and offset (k, tx, ty) taking this fit's px to `other`'s px of the same
    /// plane point: other = k × this + t.
    pub(super) fn onto(&self, other: Fit) -> (f64, f64, f64) {
        let k = other.s / self.s;
        (k, other.dx - k * self.dx, other.dy - k * self.dy)
    }
}

/// Plane extent (x0, y0, w, h) of the districts `ids`, padded by 4 % of its longer side.
pub(super) fn padded_extent(plane: &Plane, ids: &[usize]) -> Option<(f64, f64, f64, f64)> {
    let pts = ids
        .iter()
        .flat_map(|&i| plane[i].iter().flatten().flatten());
    let (x0, y0, x1, y1) = bounds(pts)?;
    let pad = 0.04 * (x1 - x0).max(y1 - y0);
    Some((
        x0 - pad,
        y0 - pad,
        (x1 - x0) + 2.0 * pad,
        (y1 - y0) + 2.0 * pad,
    ))
}
