//! A fast path past resvg for the one kind of element that dominated rasterising: hatching.
//!
//! A hatched bar carries a stroked `<path>` of a hundred separate short line segments (see
//! `bars/hatching.rs`); tiny-skia strokes them into one outline and scan-converts it with
//! 4 × 4 supersampling, paying per short span, so hatching was most of the drawing time of a
//! hatched chart (40 of 55 ms for one regional chart of a 300-district edition) and about a
//! sixth of a whole cold build. Here such a path is drawn directly: each segment's stroke is a
//! rectangle, its coverage is summed per pixel over four sub-rows with exact horizontal overlap,
//! and the colour is blended once per pixel. Every other element is still drawn by resvg, in
//! document order (see [`Cut`]), so everything painted after the hatching still lands on top.
//!
//! Only the stripes' edges differ from tiny-skia's: by at most a tenth of the range, and the
//! stripes cover exactly their geometric area, where tiny-skia's supersampling paints thin
//! strokes about 5 % heavier (measured in the tests below).

use resvg::tiny_skia;
use resvg::usvg;

/// Paths with fewer segments are left to resvg: the fast path only pays for itself on hatching.
const MIN_SEGMENTS: usize = 8;

/// Sub-rows sampled per pixel row (as tiny-skia's supersampling).
const SUB_ROWS: usize = 4;

/// A stroked path of separate straight segments, in pixels.
struct Stripes {
    segments: Vec<[(f32, f32); 2]>,
    half_width: f32,
    /// Premultiplied RGBA of the stroke.
    colour: [u8; 4],
}

/// An SVG document cut for drawing: runs of consecutive top-level elements, each parsed as a
/// document of its own under a copy of the root tag, and between them the paths that may be
/// stripes, each parsed alone.
pub(super) struct Cut {
    pieces: Vec<Piece>,
}

struct Piece {
    tree: usvg::Tree,
    /// Whether the tree is one path that [`stripes_of`] may accept.
    stripes: bool,
}

impl Cut {
    /// Cuts `svg` if it has top-level paths that may be stripes (see [`stripes_of`]); `None`
    /// (draw it whole) otherwise, when the document refers across elements (`url(#…)`, `href`,
    /// a style sheet: cutting would lose the reference), or when a piece does not parse.
    ///
    /// resvg draws only whole trees (`resvg::render_node` skips lines, whose fill box is empty),
    /// hence the cutting: the pieces hold the same elements, drawn in the same order onto the
    /// same pixels, so everything painted after the hatching still lands on top of it.
    pub(super) fn new(svg: &str, options: &usvg::Options) -> Option<Cut> {
        if !svg.contains("<path") || svg.contains("url(") || svg.contains("href") || svg.contains("<style") {
            return None;
        }
        let doc = usvg::roxmltree::Document::parse(svg).ok()?;
        let root = doc.root_element();
        let elements: Vec<_> = root.children().filter(|n| n.is_element()).collect();
        // A cheap look at the attributes first: a stroke, no fill, many sub-paths.
        let candidate = |e: &usvg::roxmltree::Node| {
            e.tag_name().name() == "path"
                && e.attribute("fill") == Some("none")
                && e.has_attribute("stroke")
                && e.attribute("d").is_some_and(|d| d.matches(['M', 'm']).count() >= MIN_SEGMENTS)
        };
        if !elements.iter().any(candidate) {
            return None;
        }
        let head = &svg[root.range().start..elements.first()?.range().start];
        let parse = |from: usize, to: usize| {
            let body = &svg[elements[from].range().start..elements[to - 1].range().end];
            usvg::Tree::from_str(&format!("{head}{body}\n</svg>"), options).ok()
        };
        let mut pieces = Vec::new();
        let mut from = 0;
        for (i, element) in elements.iter().enumerate() {
            if !candidate(element) {
                continue;
            }
            let alone = parse(i, i + 1)?;
            let stripes = matches!(alone.root().children(), [usvg::Node::Path(p)] if stripes_of(p, None).is_some());
            if !stripes {
                continue;
            }
            if from < i {
                pieces.push(Piece { tree: parse(from, i)?, stripes: false });
            }
            pieces.push(Piece { tree: alone, stripes: true });
            from = i + 1;
        }
        if pieces.is_empty() {
            return None;
        }
        if from < elements.len() {
            pieces.push(Piece { tree: parse(from, elements.len())?, stripes: false });
        }
        Some(Cut { pieces })
    }

    /// The document's size (every piece has the root's).
    pub(super) fn size(&self) -> usvg::Size {
        self.pieces[0].tree.size()
    }

    /// Draws the pieces in order at `scale`, like `resvg::render` with
    /// `Transform::from_scale(scale, scale)` would draw the whole document, but stripes by
    /// [`draw_stripes`].
    pub(super) fn draw(&self, scale: f32, pixmap: &mut tiny_skia::PixmapMut) {
        self.draw_with(scale, pixmap, true);
    }

    /// [`draw`](Self::draw), or with `fast` false every piece by resvg (for the tests: the
    /// cutting alone must change no pixel).
    fn draw_with(&self, scale: f32, pixmap: &mut tiny_skia::PixmapMut, fast: bool) {
        let transform = tiny_skia::Transform::from_scale(scale, scale);
        let mut coverage = Vec::new();
        for piece in &self.pieces {
            let stripes = match (fast && piece.stripes, piece.tree.root().children()) {
                (true, [usvg::Node::Path(path)]) => stripes_of(path, Some(scale)),
                _ => None,
            };
            match stripes {
                Some(stripes) => draw_stripes(&stripes, pixmap, &mut coverage),
                None => resvg::render(&piece.tree, transform, pixmap),
            }
        }
    }
}

/// The path as stripes (in pixels at `scale`; in SVG units without one), if it is a visible,
/// anti-aliased, unfilled, undashed stroke of a solid colour with butt ends, made of at least
/// [`MIN_SEGMENTS`] separate straight segments whose strokes cannot overlap (where they overlap,
/// tiny-skia paints the union once; summing the coverage would not), and drawn at least 1.5 px
/// wide (thinner strokes are hairlines to tiny-skia).
fn stripes_of(path: &usvg::Path, scale: Option<f32>) -> Option<Stripes> {
    let stroke = path.stroke()?;
    let usvg::Paint::Color(c) = stroke.paint() else { return None };
    let width = stroke.width().get();
    let plain = path.is_visible()
        && path.fill().is_none()
        && path.rendering_mode().use_shape_antialiasing()
        && path.abs_transform().is_identity()
        && stroke.dasharray().is_none()
        && stroke.linecap() == usvg::LineCap::Butt
        && scale.is_none_or(|s| width * s >= 1.5);
    if !plain {
        return None;
    }
    let scale = scale.unwrap_or(1.0);
    let mut segments = Vec::new();
    let mut start = None;
    for segment in path.data().segments() {
        match (segment, start.take()) {
            (tiny_skia::PathSegment::MoveTo(p), None) => start = Some(p),
            (tiny_skia::PathSegment::LineTo(q), Some(p)) if p != q => segments.push([(p.x, p.y), (q.x, q.y)]),
            _ => return None,
        }
    }
    if start.is_some() || segments.len() < MIN_SEGMENTS || !disjoint(&segments, width) {
        return None;
    }
    let alpha = stroke.opacity().to_u8();
    let premultiply = |v: u8| ((u32::from(v) * u32::from(alpha) + 127) / 255) as u8;
    Some(Stripes {
        segments: segments.iter().map(|s| s.map(|(x, y)| (x * scale, y * scale))).collect(),
        half_width: width * scale / 2.0,
        colour: [premultiply(c.red), premultiply(c.green), premultiply(c.blue), alpha],
    })
}

/// Whether the strokes (`width` wide) of the segments are pairwise disjoint: their projections
/// onto the first segment's normal do not overlap. Each stroke projects within its end points'
/// projections widened by half the width on either side, so disjoint projections suffice.
fn disjoint(segments: &[[(f32, f32); 2]], width: f32) -> bool {
    let [(x0, y0), (x1, y1)] = segments[0];
    let len = (x1 - x0).hypot(y1 - y0);
    let normal = (-(y1 - y0) / len, (x1 - x0) / len);
    let project = |(x, y): (f32, f32)| x * normal.0 + y * normal.1;
    let mut spans: Vec<(f32, f32)> = segments
        .iter()
        .map(|&[a, b]| {
            let (pa, pb) = (project(a), project(b));
            (pa.min(pb) - width / 2.0, pa.max(pb) + width / 2.0)
        })
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    spans.windows(2).all(|w| w[0].1 < w[1].0)
}

/// Draws the stripes source-over onto `pixmap`. `coverage` is scratch space, reused.
fn draw_stripes(s: &Stripes, pixmap: &mut tiny_skia::PixmapMut, coverage: &mut Vec<f32>) {
    let (pw, ph) = (pixmap.width() as usize, pixmap.height() as usize);
    let h = s.half_width;
    // The pixels any stroke can touch, clipped to the pixmap.
    let (mut lo, mut hi) = ((f32::MAX, f32::MAX), (f32::MIN, f32::MIN));
    for &[(ax, ay), (bx, by)] in &s.segments {
        lo = (lo.0.min(ax.min(bx) - h), lo.1.min(ay.min(by) - h));
        hi = (hi.0.max(ax.max(bx) + h), hi.1.max(ay.max(by) + h));
    }
    let x0 = lo.0.floor().max(0.0) as usize;
    let y0 = lo.1.floor().max(0.0) as usize;
    let x1 = (hi.0.ceil().max(0.0) as usize).min(pw);
    let y1 = (hi.1.ceil().max(0.0) as usize).min(ph);
    if x0 >= x1 || y0 >= y1 {
        return;
    }
    let bw = x1 - x0;
    coverage.clear();
    coverage.resize(bw * (y1 - y0), 0.0);
    for &[a, b] in &s.segments {
        add_stroke(a, b, h, (x0, y0, x1, y1), &mut coverage[..]);
    }
    let data = pixmap.data_mut();
    for (r, row) in coverage.chunks_exact(bw).enumerate() {
        let line = &mut data[((y0 + r) * pw + x0) * 4..][..bw * 4];
        for (&c, px) in row.iter().zip(line.chunks_exact_mut(4)) {
            let c = (c.min(1.0) * 255.0 + 0.5) as u32;
            if c == 0 {
                continue;
            }
            if c == 255 && s.colour[3] == 255 {
                px.copy_from_slice(&s.colour);
                continue;
            }
            // Source-over with coverage c: d = src·c + d·(1 − alpha·c), in 255ths.
            let keep = 255 * 255 - u32::from(s.colour[3]) * c;
            for (d, &src) in px.iter_mut().zip(&s.colour) {
                *d = ((u32::from(src) * c * 255 + u32::from(*d) * keep + 32512) / 65025) as u8;
            }
        }
    }
}

/// Adds the coverage of one segment's stroke (a rectangle: 0 ≤ (p − a)·d ≤ |b − a| and
/// −h ≤ (p − a)·n ≤ h, d the unit direction, n = (−d.y, d.x)) to `coverage`, the pixels
/// `clip` = (x0, y0, x1, y1) row by row: on each sub-row, the exact length of the stroke's
/// cross-section within each pixel, in quarters of a pixel row.
fn add_stroke((ax, ay): (f32, f32), (bx, by): (f32, f32), h: f32, clip: (usize, usize, usize, usize), coverage: &mut [f32]) {
    let (x0, y0, x1, y1) = clip;
    let bw = x1 - x0;
    let len = (bx - ax).hypot(by - ay);
    let (dx, dy) = ((bx - ax) / len, (by - ay) / len);
    // Each constraint lo ≤ k·x + m0 + m1·y ≤ hi bounds x on a row by two lines
    // x = p + q·y, or, when k is 0 (an axis-parallel segment), bounds y alone.
    let mut top = ay.min(by) - h;
    let mut bottom = ay.max(by) + h;
    let mut left = [(f32::MIN, 0.0); 2];
    let mut right = [(f32::MAX, 0.0); 2];
    let constraints = [(dx, -ay * dy - ax * dx, dy, 0.0, len), (-dy, ax * dy - ay * dx, dx, -h, h)];
    for (i, (k, m0, m1, lo, hi)) in constraints.into_iter().enumerate() {
        if k.abs() < 1e-6 {
            let (ya, yb) = ((lo - m0) / m1, (hi - m0) / m1);
            top = top.max(ya.min(yb));
            bottom = bottom.min(ya.max(yb));
        } else {
            let (l, r) = if k > 0.0 { (lo, hi) } else { (hi, lo) };
            left[i] = ((l - m0) / k, -m1 / k);
            right[i] = ((r - m0) / k, -m1 / k);
        }
    }
    // Sub-rows whose centre (j + ½) / SUB_ROWS lies in [top, bottom], within the clip.
    let rows = SUB_ROWS as f32;
    let first = (top * rows - 0.5).ceil().max((y0 * SUB_ROWS) as f32);
    let last = (bottom * rows - 0.5).floor().min((y1 * SUB_ROWS) as f32 - 1.0);
    if last < first {
        return;
    }
    let weight = 1.0 / rows;
    let (clip_l, clip_r) = (x0 as f32, x1 as f32);
    for sub in first as usize..=last as usize {
        let y = (sub as f32 + 0.5) / rows;
        let xa = (left[0].0 + left[0].1 * y).max(left[1].0 + left[1].1 * y).max(clip_l);
        let xb = (right[0].0 + right[0].1 * y).min(right[1].0 + right[1].1 * y).min(clip_r);
        if xb <= xa {
            continue;
        }
        let row = &mut coverage[(sub / SUB_ROWS - y0) * bw..][..bw];
        // Both are ≥ x0 ≥ 0, so truncation is floor (and avoids a libm call).
        let (ia, ib) = (xa as usize, xb as usize);
        if ia == ib {
            row[ia - x0] += weight * (xb - xa);
            continue;
        }
        row[ia - x0] += weight * ((ia + 1) as f32 - xa);
        for c in &mut row[ia + 1 - x0..ib - x0] {
            *c += weight;
        }
        if ib < x1 {
            row[ib - x0] += weight * (xb - ib as f32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::testutil::{self, demo_bars, rasteriser};
    use crate::chart::{FONT_BOLD, FONT_REGULAR, Rasteriser, render_ranked_bars};
    use crate::model::Lang;

    fn options() -> usvg::Options<'static> {
        let mut db = usvg::fontdb::Database::new();
        for font in [FONT_REGULAR, FONT_BOLD] {
            db.load_font_data(font.to_vec());
        }
        db.set_sans_serif_family(crate::chart::FONT_FAMILY);
        usvg::Options { font_family: crate::chart::FONT_FAMILY.to_string(), fontdb: std::sync::Arc::new(db), ..usvg::Options::default() }
    }

    /// `svg` drawn whole by resvg at scale 2 onto white: what the PNGs were before the fast path.
    fn by_resvg(svg: &str, options: &usvg::Options) -> tiny_skia::Pixmap {
        let tree = usvg::Tree::from_str(svg, options).unwrap();
        let size = tree.size().to_int_size().scale_by(2.0).unwrap();
        let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
        pixmap.fill(tiny_skia::Color::WHITE);
        resvg::render(&tree, tiny_skia::Transform::from_scale(2.0, 2.0), &mut pixmap.as_mut());
        pixmap
    }

    fn cut_drawn(svg: &str, options: &usvg::Options, fast: bool) -> tiny_skia::Pixmap {
        let cut = Cut::new(svg, options).expect("hatching found");
        let size = cut.size().to_int_size().scale_by(2.0).unwrap();
        let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
        pixmap.fill(tiny_skia::Color::WHITE);
        cut.draw_with(2.0, &mut pixmap.as_mut(), fast);
        pixmap
    }

    /// (pixels that differ, largest difference in any channel, total ink = Σ (255 − channel)).
    fn compare(a: &tiny_skia::Pixmap, b: &tiny_skia::Pixmap) -> (usize, u8, (u64, u64)) {
        assert_eq!((a.width(), a.height()), (b.width(), b.height()));
        let ink = |p: &tiny_skia::Pixmap| p.data().iter().map(|&v| u64::from(255 - v)).sum::<u64>();
        let (mut n, mut max) = (0, 0);
        for (p, q) in a.data().chunks_exact(4).zip(b.data().chunks_exact(4)) {
            let d = p.iter().zip(q).map(|(x, y)| x.abs_diff(*y)).max().unwrap_or(0);
            n += usize::from(d > 0);
            max = max.max(d);
        }
        (n, max, (ink(a), ink(b)))
    }

    #[test]
    fn cutting_alone_changes_no_pixel() {
        let options = options();
        for lang in Lang::ALL {
            let svg = render_ranked_bars(&demo_bars(lang));
            assert!(svg.contains("class=\"hatch\""), "the demo bars are hatched");
            let whole = by_resvg(&svg, &options);
            assert!(whole.data() == cut_drawn(&svg, &options, false).data(), "{lang:?}: the pieces drew other pixels than the whole");
        }
    }

    #[test]
    fn fast_stripes_differ_from_resvg_only_in_antialiasing() {
        let options = options();
        for lang in Lang::ALL {
            let svg = render_ranked_bars(&demo_bars(lang));
            let (whole, fast) = (by_resvg(&svg, &options), cut_drawn(&svg, &options, true));
            let (differ, max, (ink_resvg, ink_fast)) = compare(&whole, &fast);
            // Edges of stripes only: a few percent of the pixels, by at most a tenth of the
            // range, and the same amount of ink within half a percent.
            assert!(differ > 0, "the fast path was not taken");
            assert!(differ * 20 < whole.pixels().len(), "{differ} pixels differ");
            assert!(max <= 24, "a pixel differs by {max}");
            let ratio = ink_fast as f64 / ink_resvg as f64;
            assert!((ratio - 1.0).abs() < 0.005, "ink {ink_fast} vs {ink_resvg}");
        }
    }

    #[test]
    fn the_rasteriser_takes_the_fast_path_only_for_hatched_drawings() {
        let options = options();
        let map = testutil::shanghai_map();
        let mut hatched = 0;
        for (name, svg) in testutil::all_demo_svgs(&map) {
            let png = rasteriser().pixmap(&svg, 2.0).unwrap();
            let whole = by_resvg(&svg, &options);
            if Cut::new(&svg, &options).is_some() {
                hatched += 1;
                let (differ, max, _) = compare(&whole, &png);
                assert!(differ * 20 < whole.pixels().len() && max <= 24, "{name}: {differ} pixels differ, by up to {max}");
            } else {
                assert!(png.data() == whole.data(), "{name}: unhatched, yet drawn differently");
            }
        }
        assert!(hatched > 0);
    }

    /// A document with one 45° stripes path of `n` segments (each 30√2 long) and the given
    /// extra attributes, on a light rectangle; with `cover`, a blue rectangle drawn after it.
    fn stripes_svg(n: usize, gap: f64, attrs: &str, cover: bool) -> String {
        let d: String = (0..n).map(|k| {
            let x = 10.0 + gap * k as f64;
            format!("M{x} 40L{} 10", x + 30.0)
        }).collect();
        let cover = if cover { "<rect x='90' y='20' width='20' height='10' fill='#2166ac'/>" } else { "" };
        format!("<svg xmlns='http://www.w3.org/2000/svg' width='200' height='50'>\
            <rect x='5' y='5' width='190' height='40' fill='#fdd9b1'/>\
            <path fill='none' stroke='#a04a05' stroke-width='1.6' {attrs} d='{d}'/>{cover}</svg>")
    }

    /// Σ (255 − channel) over red, green and blue.
    fn ink(p: &tiny_skia::Pixmap) -> f64 {
        p.data().chunks_exact(4).flat_map(|c| &c[..3]).map(|&v| f64::from(255 - v)).sum()
    }

    #[test]
    fn stripes_cover_their_exact_area_and_blend_like_resvg() {
        let options = options();
        for (attrs, opacity) in [("", 1.0), ("stroke-opacity='0.5'", 0.5)] {
            let svg = stripes_svg(12, 5.0, attrs, false);
            let bare = by_resvg(&svg.replace("<path", "<path visibility='hidden'"), &options);
            let (whole, fast) = (by_resvg(&svg, &options), cut_drawn(&svg, &options, true));
            let (differ, max, _) = compare(&whole, &fast);
            assert!(differ > 0 && max <= 24, "{attrs}: {differ} pixels differ, by up to {max}");
            // 12 strokes of 30√2 × 1.6 units at scale 2, each pixel of them #a04a05 over
            // #fdd9b1 (408 of ink), at the stroke's opacity.
            let exact = 12.0 * 30.0 * std::f64::consts::SQRT_2 * 1.6 * 4.0 * 408.0 * opacity;
            let (fast, resvg) = (ink(&fast) - ink(&bare), ink(&whole) - ink(&bare));
            assert!((fast / exact - 1.0).abs() < 0.01, "{attrs}: ink {fast}, exactly {exact}");
            // tiny-skia's 4 × 4 supersampling paints thin strokes a little heavier (5 % here).
            assert!((resvg / exact - 1.0).abs() < 0.07, "{attrs}: resvg's ink {resvg}, exactly {exact}");
        }
    }

    #[test]
    fn later_elements_stay_on_top_of_the_stripes() {
        let options = options();
        let svg = stripes_svg(12, 5.0, "", true);
        let fast = cut_drawn(&svg, &options, true);
        // The blue rectangle, drawn after the stripes, covers them.
        for (x, y) in [(200, 50), (185, 45), (215, 55)] {
            let p = fast.pixel(x, y).unwrap();
            assert_eq!((p.red(), p.green(), p.blue()), (0x21, 0x66, 0xac), "at {x},{y}");
        }
        assert!(cut_drawn(&svg, &options, false).data() == by_resvg(&svg, &options).data());
    }

    #[test]
    fn other_strokes_are_left_to_resvg() {
        let options = options();
        // Overlapping strokes (closer than their width), too few segments, dashes, round ends.
        for svg in [
            stripes_svg(12, 1.0, "", true),
            stripes_svg(MIN_SEGMENTS - 1, 5.0, "", true),
            stripes_svg(12, 5.0, "stroke-dasharray='2 2'", true),
            stripes_svg(12, 5.0, "stroke-linecap='round'", true),
        ] {
            assert!(Cut::new(&svg, &options).is_none(), "{svg}");
            let png = Rasteriser::new(&[FONT_REGULAR, FONT_BOLD]).pixmap(&svg, 2.0).unwrap();
            assert!(png.data() == by_resvg(&svg, &options).data());
        }
        // Cross-references make a document uncuttable, hatched or not.
        let svg = stripes_svg(12, 5.0, "", true).replace("</svg>", "<use href='#x'/></svg>");
        assert!(Cut::new(&svg, &options).is_none());
        assert!(Cut::new(&stripes_svg(12, 5.0, "", true), &options).is_some());
    }
}
