//! How bar groups are told apart: a fill per group and, for all but the first, hatching drawn as
//! explicit line segments.

use super::super::svg;

/// Fill of each group, cycled: solid blue; light orange with dark diagonal hatching; light grey
/// with the opposite diagonal; then, for editions with more regions (five regions and the city
/// need six), white with a dark outline, light blue with dense hatching and light green with the
/// opposite dense hatching. Blue/orange stay distinct for all common colour-vision
/// deficiencies, the hatching keeps groups apart in greyscale print, and the dark outline gives
/// the light bars 3:1 contrast with the page.
pub(super) struct GroupStyle {
    fill: &'static str,
    outline: Option<&'static str>,
    /// Stripe colour, gap and direction (+1 = "/", −1 = "\\") of the hatching, if any.
    pub(super) hatch: Option<(&'static str, f64, f64)>,
}

pub(super) const GROUP_STYLES: [GroupStyle; 6] = [
    GroupStyle {
        fill: "#2166ac",
        outline: None,
        hatch: None,
    },
    GroupStyle {
        fill: "#fdd9b1",
        outline: Some("#a04a05"),
        hatch: Some(("#a04a05", 5.0, 1.0)),
    },
    GroupStyle {
        fill: "#e4e7eb",
        outline: Some("#3e4c59"),
        hatch: Some(("#3e4c59", 4.0, -1.0)),
    },
    GroupStyle {
        fill: "#ffffff",
        outline: Some("#1f2933"),
        hatch: None,
    },
    GroupStyle {
        fill: "#d1e5f0",
        outline: Some("#053061"),
        hatch: Some(("#053061", 3.0, 1.0)),
    },
    GroupStyle {
        fill: "#d9f0d3",
        outline: Some("#1b5e20"),
        hatch: Some(("#1b5e20", 3.0, -1.0)),
    },
];

impl GroupStyle {
    pub(super) fn attrs(&self) -> String {
        match self.outline {
            Some(o) => format!("fill=\"{}\" stroke=\"{o}\" stroke-width=\"1\"", self.fill),
            None => format!("fill=\"{}\" stroke=\"none\"", self.fill),
        }
    }
}

/// Rectangles to hatch: (class, stripe colour, gap, direction).
pub(super) type Hatched = Vec<(String, &'static str, f64, f64)>;

/// Appends hatching after every `<rect>` of the given classes: explicit 45° line segments
/// clipped to the rectangle. An SVG `<pattern>` would be shorter but tripled resvg's rendering
/// time; explicit lines look the same in browsers and stay on one global grid, so adjacent bars'
/// stripes line up.
pub(super) fn add_hatching(svg: &str, hatched: &[(String, &str, f64, f64)]) -> String {
    let mut out = String::with_capacity(svg.len() * 2);
    for line in svg.lines() {
        out.push_str(line);
        out.push('\n');
        if !line.starts_with("<rect") {
            continue;
        }
        let Some((_, stripe, gap, dir)) = hatched
            .iter()
            .find(|(class, ..)| line.contains(&format!("{class}\"")))
        else {
            continue;
        };
        let attr = |name: &str| -> f64 {
            let key = format!(" {name}=\"");
            line.find(&key)
                .and_then(|i| line[i + key.len()..].split('"').next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0)
        };
        let rect = (
            attr("x"),
            attr("y"),
            attr("x") + attr("width"),
            attr("y") + attr("height"),
        );
        out.push_str(&format!(
            "<path class=\"hatch\" fill=\"none\" stroke=\"{stripe}\" stroke-width=\"1.6\" d=\""
        ));
        out.push_str(&stripes(rect, *gap, *dir));
        out.push_str("\"/>\n");
    }
    out
}

/// The same hatching as [`add_hatching`], drawn by one SVG `<pattern>` per style laid over each
/// rectangle: a fraction of the bytes, for the phone variant inlined next to the wide chart (it
/// has no PNG, so resvg's slowness with patterns does not matter; see
/// `RankedBars::hatch_with_pattern`). Pattern ids start with `prefix`.
pub(super) fn add_pattern_hatching(svg: &str, hatched: &[(String, &str, f64, f64)], prefix: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut defs = String::from("<defs>");
    for (k, (_, stripe, gap, dir)) in hatched.iter().enumerate() {
        // A vertical stripe in a tile `gap` wide, turned 45°: clockwise gives "/", as `stripes`.
        defs.push_str(&format!(
            "<pattern id=\"{prefix}-hatch{k}\" patternUnits=\"userSpaceOnUse\" width=\"{g}\" height=\"{g}\" patternTransform=\"rotate({a})\"><line x1=\"{h}\" y1=\"0\" x2=\"{h}\" y2=\"{g}\" stroke=\"{stripe}\" stroke-width=\"1.6\"/></pattern>",
            g = svg::fmt_coord(*gap),
            h = svg::fmt_coord(gap / 2.0),
            a = if *dir > 0.0 { 45 } else { -45 },
        ));
    }
    defs.push_str("</defs>\n");
    let mut defs = Some(defs).filter(|_| !hatched.is_empty());
    for line in svg.lines() {
        out.push_str(line);
        out.push('\n');
        if line.ends_with("</desc>") {
            if let Some(d) = defs.take() {
                out.push_str(&d);
            }
            continue;
        }
        if !line.starts_with("<rect") {
            continue;
        }
        let Some(k) = hatched.iter().position(|(class, ..)| line.contains(&format!("{class}\""))) else { continue };
        let attr = |name: &str| {
            let key = format!(" {name}=\"");
            line.find(&key).and_then(|i| line[i + key.len()..].split('"').next()).unwrap_or("0")
        };
        out.push_str(&format!(
            "<rect class=\"hatch\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"url(#{prefix}-hatch{k})\"/>\n",
            attr("x"),
            attr("y"),
            attr("width"),
            attr("height")
        ));
    }
    out
}

/// Path data of the 45° stripes across the rectangle (x0, y0, x1, y1): lines x + dir·y = c, c on
/// a global grid of spacing gap·√2 (gap measured across lines).
fn stripes((x0, y0, x1, y1): (f64, f64, f64, f64), gap: f64, dir: f64) -> String {
    let mut d = String::new();
    let step = gap * std::f64::consts::SQRT_2;
    let (c_lo, c_hi) = if dir > 0.0 {
        (x0 + y0, x1 + y1)
    } else {
        (x0 - y1, x1 - y0)
    };
    let mut c = (c_lo / step).ceil() * step;
    while c < c_hi {
        // Where the line meets the rectangle: x = c − dir·y for y in [y0, y1], x in [x0, x1].
        let (xa, xb) = if dir > 0.0 {
            (c - y1, c - y0)
        } else {
            (c + y0, c + y1)
        };
        let (xs, xe) = (xa.max(x0), xb.min(x1));
        if xe > xs {
            let y = |x: f64| if dir > 0.0 { c - x } else { x - c };
            d.push_str(&format!(
                "M{} {}L{} {}",
                svg::fmt_coord(xs),
                svg::fmt_coord(y(xs)),
                svg::fmt_coord(xe),
                svg::fmt_coord(y(xe))
            ));
        }
        c += step;
    }
    d
}
