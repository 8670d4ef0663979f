//! SVG → PNG with resvg, using only the shipped fonts, and a content-addressed PNG cache.

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
        Rasteriser { options, font_hash: hasher.finalize().into() }
    }

    /// Number of font faces loaded (0 means every text would silently vanish).
    pub fn face_count(&self) -> usize {
        self.options.fontdb.len()
    }

    /// Renders `svg` at `scale` × its size (2.0 for sharp PNGs on high-density screens) onto
    /// white, as PNG bytes.
    pub fn png(&self, svg: &str, scale: f32) -> Result<Vec<u8>, String> {
        let pixmap = self.pixmap(svg, scale)?;
        pixmap.encode_png().map_err(|e| format!("PNG encoding failed: {e}"))
    }

    /// Renders to an RGBA pixmap (premultiplied), for tests and callers that encode themselves.
    pub fn pixmap(&self, svg: &str, scale: f32) -> Result<tiny_skia::Pixmap, String> {
        if !(scale.is_finite() && scale > 0.0) {
            return Err(format!("invalid scale {scale}"));
        }
        let tree = usvg::Tree::from_str(svg, &self.options).map_err(|e| format!("invalid SVG: {e}"))?;
        let size = tree.size();
        let w = (size.width() * scale).round() as u32;
        let h = (size.height() * scale).round() as u32;
        let mut pixmap =
            tiny_skia::Pixmap::new(w, h).ok_or_else(|| format!("cannot allocate a {w}×{h} image"))?;
        pixmap.fill(tiny_skia::Color::WHITE);
        resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
        Ok(pixmap)
    }
}

/// PNGs by content hash: the same SVG at the same scale with the same fonts is rendered once,
/// then served from memory and, when a folder is given, from disk across builds.
///
/// The cache never changes output: a hit returns exactly the bytes a fresh render would give.
pub struct PngCache {
    dir: Option<PathBuf>,
    memory: Mutex<BTreeMap<[u8; 32], Arc<Vec<u8>>>>,
}

impl PngCache {
    pub fn new(dir: Option<PathBuf>) -> Self {
        PngCache { dir, memory: Mutex::new(BTreeMap::new()) }
    }

    /// The cache key: SHA-256 of a format tag, the SVG, the scale and the font hash.
    pub fn key(svg: &str, scale: f32, rasteriser: &Rasteriser) -> [u8; 32] {
        let mut h = Sha256::new();
        // Bump the tag whenever rendering changes in ways the inputs do not show (resvg upgrade).
        h.update(b"cityreport-png-v1\0resvg-0.49\0");
        h.update((svg.len() as u64).to_le_bytes());
        h.update(svg.as_bytes());
        h.update(scale.to_bits().to_le_bytes());
        h.update(rasteriser.font_hash);
        h.finalize().into()
    }

    pub fn get_or_render(&self, svg: &str, scale: f32, rasteriser: &Rasteriser) -> Result<Arc<Vec<u8>>, String> {
        let key = Self::key(svg, scale, rasteriser);
        if let Some(hit) = self.lock().get(&key) {
            return Ok(Arc::clone(hit));
        }
        let path = self.dir.as_ref().map(|d| d.join(format!("{}.png", hex(&key))));
        if let Some(p) = &path {
            if let Ok(bytes) = std::fs::read(p) {
                // A truncated file (killed build) must not be served: check the PNG signature and
                // the IEND trailer before trusting it.
                if looks_complete_png(&bytes) {
                    let bytes = Arc::new(bytes);
                    self.lock().insert(key, Arc::clone(&bytes));
                    return Ok(bytes);
                }
            }
        }
        // Rendering happens outside the lock so threads render different figures in parallel.
        let bytes = Arc::new(rasteriser.png(svg, scale)?);
        if let Some(p) = &path {
            write_atomically(p, &bytes).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
        }
        self.lock().insert(key, Arc::clone(&bytes));
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn looks_complete_png(bytes: &[u8]) -> bool {
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    const IEND: &[u8] = b"IEND\xae\x42\x60\x82";
    bytes.starts_with(SIG) && bytes.ends_with(IEND)
}

/// Write to a temporary file in the same folder, then rename: readers see the old file, no
/// file, or the whole new file, never half of it (two threads writing the same key both write
/// identical bytes).
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp{}-{:?}", std::process::id(), std::thread::current().id()));
    let tmp = PathBuf::from(tmp.to_string_lossy().replace(['(', ')', ' '], ""));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}
