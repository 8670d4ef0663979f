//! SVG → PNG with resvg, using only the shipped fonts, and a content-addressed PNG cache.

use crate::format::hex;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use resvg::tiny_skia;
use resvg::usvg;
use sha2::{Digest, Sha256};

use super::font::FONT_FAMILY;

/// Turns chart SVGs into PNGs. Cheap to share: `Sync`, so one instance serves all rayon threads.
pub struct Rasteriser {
    options: usvg::Options<'static>,
    /// SHA-256 over the font files, part of every cache key: new fonts, new PNGs.
    font_hash: [u8; 32],
}

/// The largest PNG drawn, in pixels (6 megapixels); larger drawings get a smaller scale.
pub const MAX_PIXELS: f64 = 6.0e6;

impl Rasteriser {
    /// Loads exactly the given font files (normally [`super::FONT_REGULAR`] and
    /// [`super::FONT_BOLD`]). System fonts are never consulted, so a PNG is the same on every
    /// machine, and generic families (`sans-serif`, …) resolve to "CityReport Sans".
    pub fn new(font_bytes: &[&[u8]]) -> Self {
        let mut db = usvg::fontdb::Database::new();
        let mut hasher = Sha256::new();
        for bytes in font_bytes {
            db.load_font_data(bytes.to_vec());
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        }
        db.set_sans_serif_family(FONT_FAMILY);
        db.set_serif_family(FONT_FAMILY);
        db.set_monospace_family(FONT_FAMILY);
        db.set_cursive_family(FONT_FAMILY);
        db.set_fantasy_family(FONT_FAMILY);
        let options = usvg::Options {
            font_family: FONT_FAMILY.to_string(),
            fontdb: Arc::new(db),
            // Never resolve <image href> against the file system or the network.
            resources_dir: None,
            ..usvg::Options::default()
        };
        Rasteriser {
            options,
            font_hash: hasher.finalize().into(),
        }
    }

    /// Number of font faces loaded (0 means every text would silently vanish).
    pub fn face_count(&self) -> usize {
        self.options.fontdb.len()
    }

    /// Renders `svg` at `scale` × its size (2.0 for sharp PNGs on high-density screens), at most
    /// [`MAX_PIXELS`] pixels in all, onto white, as PNG bytes.
    pub fn png(&self, svg: &str, scale: f32) -> Result<Vec<u8>, String> {
        // A 2× chart is 1.5–1.9 million pixels: fresh 6–8 MB buffers per figure cost more in
        // page faults than drawing does, so each thread keeps its pixel buffers between figures.
        thread_local! {
            static BUFFERS: std::cell::RefCell<PngBuffers> = std::cell::RefCell::default();
        }
        BUFFERS.with_borrow_mut(|buffers| {
            let pixmap = self.render_into(svg, scale, std::mem::take(&mut buffers.rgba))?;
            let encoded = encode_rgb_png(&pixmap, buffers).map_err(|e| format!("PNG encoding failed: {e}"));
            buffers.rgba = pixmap.take();
            encoded
        })
    }

    /// Renders to an RGBA pixmap (premultiplied), for tests and callers that encode themselves.
    pub fn pixmap(&self, svg: &str, scale: f32) -> Result<tiny_skia::Pixmap, String> {
        self.render_into(svg, scale, Vec::new())
    }

    /// Renders onto white in `buffer` (reused: resized, never shrunk).
    fn render_into(&self, svg: &str, scale: f32, mut buffer: Vec<u8>) -> Result<tiny_skia::Pixmap, String> {
        if !(scale.is_finite() && scale > 0.0) {
            return Err(format!("invalid scale {scale}"));
        }
        // Hatching is drawn by a fast path (see `stripes`), everything else by resvg.
        let drawing = match super::stripes::Cut::new(svg, &self.options) {
            Some(cut) => Drawing::Cut(cut),
            None => Drawing::Whole(Box::new(usvg::Tree::from_str(svg, &self.options).map_err(|e| format!("invalid SVG: {e}"))?)),
        };
        let size = match &drawing {
            Drawing::Cut(cut) => cut.size(),
            Drawing::Whole(tree) => tree.size(),
        };
        // A very large drawing (a framework of hundreds of indicators) is rendered at a smaller
        // scale rather than as a PNG no viewer or slide can take.
        let area = f64::from(size.width()) * f64::from(size.height());
        let scale = scale.min((MAX_PIXELS / area).sqrt() as f32);
        let w = (size.width() * scale).round() as u32;
        let h = (size.height() * scale).round() as u32;
        let too_big = || format!("cannot allocate a {w}×{h} image");
        let int_size = tiny_skia::IntSize::from_wh(w, h).ok_or_else(too_big)?;
        let len = (w as usize).checked_mul(h as usize).and_then(|n| n.checked_mul(4)).ok_or_else(too_big)?;
        // Opaque white is 255 in every channel, premultiplied or not: one memset paints the
        // background (cheaper than zeroing and then `Pixmap::fill`, which showed in profiles).
        buffer.clear();
        buffer.resize(len, 255);
        let mut pixmap = tiny_skia::Pixmap::from_vec(buffer, int_size).ok_or_else(too_big)?;
        match &drawing {
            Drawing::Cut(cut) => cut.draw(scale, &mut pixmap.as_mut()),
            Drawing::Whole(tree) => resvg::render(tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut()),
        }
        Ok(pixmap)
    }
}

/// A parsed SVG: whole, or cut around its hatching.
enum Drawing {
    Whole(Box<usvg::Tree>),
    Cut(super::stripes::Cut),
}

// Both are shared across rayon threads by reference; fail the build if that ever stops working.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<Rasteriser>();
    send_sync::<PngCache>();
};

/// Scratch space of one thread's PNG encoding, kept between figures.
#[derive(Default)]
struct PngBuffers {
    rgba: Vec<u8>,
    /// Scanlines as the PNG format stores them: a filter-type byte, then the row's RGB bytes.
    scanlines: Vec<u8>,
    /// The zlib stream of `scanlines`.
    compressed: Vec<u8>,
}

/// Encodes an opaque pixmap as an 8-bit RGB PNG.
///
/// Encoding had become a third of all figure time (measured over the demo's 310 figures), so it
/// is done in two tight passes instead of the png crate's general path: RGBA → unfiltered RGB
/// scanlines in one loop, then one zlib-rs call at level 1. The png crate still writes the
/// container (signature, IHDR, IDAT, IEND with their CRCs). Why these settings: charts are
/// mostly flat colour, which deflate packs well unfiltered; on the demo figures level 1 gives
/// 100–400 KB per figure, the "up" filter and RLE strategy came out larger, fdeflate 3× larger,
/// level 2–3 25 % smaller at 1.4–2× the time, and a palette (lossless for the ~⅔ of figures
/// with ≤ 256 colours) 20 % smaller but no quicker once the colours are counted.
fn encode_rgb_png(pixmap: &tiny_skia::Pixmap, buffers: &mut PngBuffers) -> Result<Vec<u8>, png::EncodingError> {
    let (w, h) = (pixmap.width() as usize, pixmap.height() as usize);
    let row_len = 1 + 3 * w;
    let scanlines = &mut buffers.scanlines;
    scanlines.clear();
    scanlines.resize(row_len * h, 0);
    for (out, row) in scanlines.chunks_exact_mut(row_len).zip(pixmap.data().chunks_exact(4 * w)) {
        out[0] = 0; // filter type None
        for (o, p) in out[1..].chunks_exact_mut(3).zip(row.chunks_exact(4)) {
            if p[3] == 255 {
                // Premultiplied equals straight colour at full opacity: the white background
                // makes this every pixel, unless the SVG itself paints with transparency.
                o.copy_from_slice(&p[..3]);
            } else {
                let c = tiny_skia::PremultipliedColorU8::from_rgba(p[0], p[1], p[2], p[3])
                    .map_or(tiny_skia::ColorU8::from_rgba(0, 0, 0, 0), |c| c.demultiply());
                o.copy_from_slice(&[c.red(), c.green(), c.blue()]);
            }
        }
    }
    let compressed = &mut buffers.compressed;
    compressed.resize(zlib_rs::compress_bound(scanlines.len()), 0);
    let (zlib, code) = zlib_rs::compress_slice(compressed, scanlines, zlib_rs::DeflateConfig::new(1));
    if code != zlib_rs::ReturnCode::Ok {
        return Err(png::EncodingError::from(std::io::Error::other(format!("zlib error {code:?}"))));
    }
    let mut out = Vec::with_capacity(zlib.len() + 128);
    let mut enc = png::Encoder::new(&mut out, w as u32, h as u32);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header()?;
    // One IDAT chunk: a PNG chunk holds up to 2³¹−1 bytes, far beyond any chart.
    writer.write_chunk(png::chunk::IDAT, zlib)?;
    writer.finish()?;
    Ok(out)
}

/// PNGs by content hash: the same SVG at the same scale with the same fonts is rendered once,
/// then served from memory and, when a folder is given, from disk across builds.
///
/// The cache never changes output: a hit returns exactly the bytes a fresh render would give.
pub struct PngCache {
    dir: Option<PathBuf>,
    memory: Mutex<BTreeMap<[u8; 32], Arc<Vec<u8>>>>,
    /// Whether PNGs are also kept in `memory` (the preview rebuilds from it; a one-shot build
    /// writes each PNG out and must not hold them all).
    remember: bool,
}

impl PngCache {
    pub fn new(dir: Option<PathBuf>) -> Self {
        PngCache {
            dir,
            memory: Mutex::new(BTreeMap::new()),
            remember: true,
        }
    }

    /// A cache on disk only (none if `dir` is `None`): nothing is held in memory between
    /// figures, so a build's memory does not grow with the number of PNGs.
    pub fn disk_only(dir: Option<PathBuf>) -> Self {
        PngCache { remember: false, ..PngCache::new(dir) }
    }

    /// The cache key: SHA-256 of a format tag, the SVG, the scale and the font hash.
    pub fn key(svg: &str, scale: f32, rasteriser: &Rasteriser) -> [u8; 32] {
        let mut h = Sha256::new();
        // Bump the tag whenever rendering changes in ways the inputs do not show (resvg upgrade).
        h.update(b"cityreport-png-v3\0resvg-0.49\0rgb-zlibrs1-nofilter-direct\0stripes1\0");
        h.update((svg.len() as u64).to_le_bytes());
        h.update(svg.as_bytes());
        h.update(scale.to_bits().to_le_bytes());
        h.update(rasteriser.font_hash);
        h.finalize().into()
    }

    pub fn get_or_render(
        &self,
        svg: &str,
        scale: f32,
        rasteriser: &Rasteriser,
    ) -> Result<Arc<Vec<u8>>, String> {
        let key = Self::key(svg, scale, rasteriser);
        if let Some(hit) = self.lock().get(&key) {
            return Ok(Arc::clone(hit));
        }
        let path = self
            .dir
            .as_ref()
            .map(|d| d.join(format!("{}.png", hex(&key))));
        // A truncated file (killed build) must not be served: check the PNG signature and the
        // IEND trailer before trusting it.
        if let Some(bytes) = path
            .as_ref()
            .and_then(|p| std::fs::read(p).ok())
            .filter(|b| looks_complete_png(b))
        {
            let bytes = Arc::new(bytes);
            if self.remember {
                self.lock().insert(key, Arc::clone(&bytes));
            }
            return Ok(bytes);
        }
        // Rendering happens outside the lock so threads render different figures in parallel.
        let bytes = Arc::new(rasteriser.png(svg, scale)?);
        if let Some(p) = &path {
            write_atomically(p, &bytes)
                .map_err(|e| format!("cannot write {}: {e}", p.display()))?;
        }
        if self.remember {
            self.lock().insert(key, Arc::clone(&bytes));
        }
        Ok(bytes)
    }

    /// Entries held in memory.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<[u8; 32], Arc<Vec<u8>>>> {
        // A panic elsewhere while holding the lock leaves the map itself intact.
        self.memory.lock().unwrap_or_else(|e| e.into_inner())
    }
}


fn looks_complete_png(bytes: &[u8]) -> bool {
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    const IEND: &[u8] = b"IEND\xae\x42\x60\x82";
    bytes.starts_with(SIG) && bytes.ends_with(IEND)
}

/// Write to a temporary file in the same folder, then rename: readers see the old file, no
/// file, or the whole new file, never half of it (two threads writing the same key both write
/// identical bytes).
pub(crate) fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!(
        "tmp{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let tmp = PathBuf::from(tmp.to_string_lossy().replace(['(', ')', ' '], ""));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::testutil::{self, demo_bars, rasteriser};
    use crate::chart::{FONT_BOLD, FONT_REGULAR, render_ranked_bars};
    use crate::model::Lang;
    use rayon::prelude::*;

    fn png_size(png: &[u8]) -> (u32, u32) {
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(&png[12..16], b"IHDR");
        let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        (be(&png[16..20]), be(&png[20..24]))
    }

    /// Dark pixels (text ink is #1f2933) in a rectangle given in SVG units, at scale 2.
    fn dark_pixels(p: &tiny_skia::Pixmap, x0: f64, y0: f64, x1: f64, y1: f64) -> usize {
        let mut n = 0;
        for y in (2.0 * y0) as u32..(2.0 * y1) as u32 {
            for x in (2.0 * x0) as u32..(2.0 * x1) as u32 {
                let c = p.pixel(x, y).unwrap();
                if c.red() < 90 && c.green() < 90 && c.blue() < 90 {
                    n += 1;
                }
            }
        }
        n
    }

    /// SVG-unit box around the first category label (right-aligned at x, centred on y).
    fn first_label_box(svg: &str) -> (f64, f64, f64, f64) {
        let doc = roxmltree::Document::parse(svg).unwrap();
        let t = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("label"))
            .unwrap();
        let x: f64 = t.attribute("x").unwrap().parse().unwrap();
        let y: f64 = t.attribute("y").unwrap().parse().unwrap();
        (x - 40.0, y - 9.0, x + 1.0, y + 9.0)
    }

    #[test]
    fn png_is_twice_the_viewbox_and_draws_text_with_the_shipped_font() {
        for lang in Lang::ALL {
            let svg = render_ranked_bars(&demo_bars(lang));
            let png = rasteriser().png(&svg, 2.0).unwrap();
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let w: u32 = doc
                .root_element()
                .attribute("width")
                .unwrap()
                .parse()
                .unwrap();
            let h: u32 = doc
                .root_element()
                .attribute("height")
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!(png_size(&png), (2 * w, 2 * h));

            let pix = rasteriser().pixmap(&svg, 2.0).unwrap();
            let total = pix.pixels().len();
            let non_white = pix
                .pixels()
                .iter()
                .filter(|c| c.red() < 250 || c.green() < 250 || c.blue() < 250)
                .count();
            assert!(
                non_white * 10 > total,
                "image nearly blank: {non_white} of {total}"
            );
            let (x0, y0, x1, y1) = first_label_box(&svg);
            let ink = dark_pixels(&pix, x0, y0, x1, y1);
            assert!(
                ink > 60,
                "no text drawn in the label area ({ink} dark pixels)"
            );

            // Without fonts resvg silently drops text; the label area must then be empty,
            // proving the text above came from our font and no system font is consulted.
            let bare = Rasteriser::new(&[]);
            assert_eq!(bare.face_count(), 0);
            let pix = bare.pixmap(&svg, 2.0).unwrap();
            assert_eq!(dark_pixels(&pix, x0, y0, x1, y1), 0);
        }
    }

    #[test]
    fn previews_of_every_figure_kind_render() {
        // Also the PNGs a human looks at (CITYREPORT_CHART_PREVIEW=dir cargo test --lib chart).
        let map = testutil::shanghai_map();
        let figures = testutil::all_demo_svgs(&map);
        // 1× keeps this cheap in debug builds; previews are written at 2×.
        let scale = if std::env::var_os("CITYREPORT_CHART_PREVIEW").is_some() {
            2.0
        } else {
            1.0
        };
        let sizes: Vec<usize> = figures
            .par_iter()
            .map(|(name, svg)| {
                let png = rasteriser().png(svg, scale).unwrap();
                testutil::preview(&format!("{name}.png"), &png);
                png.len()
            })
            .collect();
        for ((name, _), size) in figures.iter().zip(sizes) {
            assert!(size > 5_000, "{name} suspiciously small: {size} bytes");
        }
    }

    #[test]
    fn png_decodes_to_exactly_the_rendered_pixels() {
        // The IDAT stream is assembled here (zlib-rs + png's container); an independent decoder
        // must read back every pixel, for opaque output and for an SVG painting transparency.
        let bars = render_ranked_bars(&demo_bars(Lang::En));
        let translucent = "<svg xmlns='http://www.w3.org/2000/svg' width='7' height='5'>\
            <rect width='7' height='5' fill='#ff0000' fill-opacity='0.5'/></svg>";
        for svg in [bars.as_str(), translucent] {
            let png = rasteriser().png(svg, 2.0).unwrap();
            // Twice: the second run reuses this thread's buffers and must give the same bytes.
            assert_eq!(png, rasteriser().png(svg, 2.0).unwrap());
            let pix = rasteriser().pixmap(svg, 2.0).unwrap();
            let mut reader = png::Decoder::new(std::io::Cursor::new(&png)).read_info().unwrap();
            let mut buf = vec![0; reader.output_buffer_size().unwrap()];
            let info = reader.next_frame(&mut buf).unwrap();
            assert_eq!((info.width, info.height), (pix.width(), pix.height()));
            assert_eq!(info.color_type, png::ColorType::Rgb);
            let expected: Vec<u8> = pix
                .pixels()
                .iter()
                .flat_map(|p| {
                    let c = p.demultiply();
                    [c.red(), c.green(), c.blue()]
                })
                .collect();
            assert!(buf[..info.buffer_size()] == expected[..], "decoded pixels differ");
        }
        // The white background shows through the half-transparent red.
        let png = rasteriser().png(translucent, 1.0).unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(&png)).read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        assert_eq!(&buf[..3], &[255, 127, 127]);
    }

    #[test]
    fn large_drawings_are_scaled_down_to_the_pixel_cap() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="720" height="13000" viewBox="0 0 720 13000"><rect x="0" y="0" width="720" height="13000" fill="#123456"/></svg>"##;
        let (w, h) = png_size(&rasteriser().png(svg, 2.0).unwrap());
        assert!(f64::from(w) * f64::from(h) <= MAX_PIXELS, "{w}×{h}");
        // Same aspect as the drawing, and as large as the cap allows.
        assert!((f64::from(h) / f64::from(w) - 13000.0 / 720.0).abs() < 0.1, "{w}×{h}");
        assert!(f64::from(w) * f64::from(h) > 0.98 * MAX_PIXELS, "{w}×{h}");
        // Small drawings keep the scale asked for.
        let small = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50"/>"#;
        assert_eq!(png_size(&rasteriser().png(small, 2.0).unwrap()), (200, 100));
    }

    #[test]
    fn errors_are_reported_not_panicked() {
        assert!(rasteriser().png("<svg", 2.0).is_err());
        assert!(
            rasteriser()
                .png(
                    "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>",
                    0.0
                )
                .is_err()
        );
    }

    #[test]
    fn a_disk_only_cache_holds_nothing_in_memory_and_serves_the_same_bytes() {
        let svg = render_ranked_bars(&demo_bars(Lang::En));
        let direct = rasteriser().png(&svg, 2.0).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let cache = PngCache::disk_only(Some(dir.path().to_path_buf()));
        assert_eq!(*cache.get_or_render(&svg, 2.0, rasteriser()).unwrap(), direct);
        assert_eq!(*cache.get_or_render(&svg, 2.0, rasteriser()).unwrap(), direct, "read back from disk");
        assert!(cache.is_empty(), "no PNG kept in memory");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn cache_serves_identical_bytes_from_memory_and_disk() {
        let svg = render_ranked_bars(&demo_bars(Lang::Zh));
        let direct = rasteriser().png(&svg, 2.0).unwrap();
        let dir = tempfile::tempdir().unwrap();

        let cache = PngCache::new(Some(dir.path().to_path_buf()));
        let first = cache.get_or_render(&svg, 2.0, rasteriser()).unwrap();
        assert_eq!(*first, direct);
        let second = cache.get_or_render(&svg, 2.0, rasteriser()).unwrap();
        assert!(
            Arc::ptr_eq(&first, &second),
            "second call must be a memory hit"
        );
        assert_eq!(cache.len(), 1);

        // A different scale is a different entry.
        let one_x = cache.get_or_render(&svg, 1.0, rasteriser()).unwrap();
        assert_eq!(png_size(&one_x).0 * 2, png_size(&first).0);
        assert_eq!(cache.len(), 2);

        // A new cache on the same folder reads the file instead of rendering.
        let key = PngCache::key(&svg, 2.0, rasteriser());
        let file = dir.path().join(format!("{}.png", hex(&key)));
        assert_eq!(std::fs::read(&file).unwrap(), direct);
        let fresh = PngCache::new(Some(dir.path().to_path_buf()));
        assert_eq!(
            *fresh.get_or_render(&svg, 2.0, rasteriser()).unwrap(),
            direct
        );

        // A truncated file (interrupted build) is ignored and rewritten.
        std::fs::write(&file, &direct[..100]).unwrap();
        let repaired = PngCache::new(Some(dir.path().to_path_buf()));
        assert_eq!(
            *repaired.get_or_render(&svg, 2.0, rasteriser()).unwrap(),
            direct
        );
        assert_eq!(std::fs::read(&file).unwrap(), direct);
        // No temporary files are left behind.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| n.ends_with(".png")), "{names:?}");
    }

    #[test]
    fn cache_key_depends_on_fonts_svg_and_scale() {
        let svg = render_ranked_bars(&demo_bars(Lang::En));
        let only_regular = Rasteriser::new(&[FONT_REGULAR]);
        let k = PngCache::key(&svg, 2.0, rasteriser());
        assert_ne!(k, PngCache::key(&svg, 2.0, &only_regular));
        assert_ne!(k, PngCache::key(&svg, 1.0, rasteriser()));
        assert_ne!(
            k,
            PngCache::key(&svg.replace("133.41", "133.42"), 2.0, rasteriser())
        );
        assert_eq!(
            k,
            PngCache::key(&svg, 2.0, &Rasteriser::new(&[FONT_REGULAR, FONT_BOLD]))
        );
    }

    #[test]
    fn parallel_rendering_matches_sequential() {
        let svgs: Vec<String> = Lang::ALL
            .iter()
            .flat_map(|&lang| {
                (0..4).map(move |k| {
                    let mut c = demo_bars(lang);
                    c.bars.truncate(4 + 3 * k);
                    render_ranked_bars(&c)
                })
            })
            .collect();
        // Charts themselves are rendered in parallel too (plotters' font registry is global).
        let again: Vec<String> = Lang::ALL
            .par_iter()
            .flat_map(|&lang| {
                (0..4usize).into_par_iter().map(move |k| {
                    let mut c = demo_bars(lang);
                    c.bars.truncate(4 + 3 * k);
                    render_ranked_bars(&c)
                })
            })
            .collect();
        assert_eq!(svgs, again);
        let cache = PngCache::new(None);
        let parallel: Vec<Vec<u8>> = svgs
            .par_iter()
            .map(|s| cache.get_or_render(s, 2.0, rasteriser()).unwrap().to_vec())
            .collect();
        for (s, p) in svgs.iter().zip(&parallel) {
            assert_eq!(&rasteriser().png(s, 2.0).unwrap(), p);
        }
        assert_eq!(cache.len(), svgs.len());
    }
}
