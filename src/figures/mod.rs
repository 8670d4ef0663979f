//! Render stage for figures: draws every figure of the [`crate::catalogue`] for each edition and
//! language — specs from [`specs`], SVG from [`crate::chart`] — and rasterises each to a 2× PNG,
//! in parallel and cached by content.

mod error;
mod specs;

pub use error::FigureError;

use crate::format::hex;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::iter::{IntoParallelRefIterator, ParallelIterator};
use sha2::{Digest, Sha256};

use crate::catalogue::{edition_figures, FigureKey};
use crate::chart::{MapGeometry, PngCache, Rasteriser};
use crate::compute::{city_series, ComputedEdition};
use crate::i18n::Strings;
use crate::model::{Edition, HistoryPoint, IndexResults, Lang};
use crate::output::SiteFiles;
use specs::{Spec, SpecContext};

/// A chart or map of one edition in one language, ready for a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Inline SVG, complete with `role="img"`, `<title>` and `<desc>`. Inserted unescaped.
    pub svg: String,
    /// Site-relative path of the 2× PNG rendering ("2020/figures/zh/map-overall.png"), used for
    /// Open Graph previews and the download link under the figure. The pipeline writes the file.
    pub png: Option<String>,
    /// The phone variant of the chart (narrower, larger text relative to its width), for the
    /// page to show instead of `svg` on small screens; ids inside are its own. No PNG.
    pub narrow_svg: Option<String>,
    /// Whether `narrow_svg` shows outlines drawn in `svg` (see `SpecContext::narrow_reuses_wide`).
    pub narrow_reuses_wide: bool,
    /// Whether `svg` is drawn at the phone width for every screen, to be shown at its drawn
    /// size rather than stretched (see `SpecContext::drawn_compact`).
    pub compact: bool,
}

/// Figures of one edition by (language, key).
pub type EditionFigures = HashMap<(Lang, FigureKey), Figure>;

/// Rendered figures of every edition, with their PNG files.
pub struct Figures {
    pub by_edition: Vec<EditionFigures>,
    pub files: SiteFiles,
}

/// Where a build puts each PNG the moment it is encoded, instead of keeping it in
/// [`Figures::files`]: a large edition's PNGs are hundreds of megabytes.
pub type PngSink<'a> = crate::output::FileSink<'a>;

impl Figures {
    /// Draws every figure of every edition (with the shipped fonts).
    pub fn render(editions: &[ComputedEdition], history: &[HistoryPoint], cache: &FigureCache) -> Result<Figures, FigureError> {
        let (by_edition, files) = render_figures(editions, history, shared_rasteriser(), cache, None)?;
        Ok(Figures { by_edition, files })
    }

    /// Draws the figures of edition `k` of `editions` only, handing each PNG to `sink` as soon as
    /// it is made. A build to disk draws each edition's figures just before its pages and drops
    /// them after, so memory holds one edition's figures at a time (issue 14). The figures are
    /// the same as [`render`](Self::render)'s for that edition.
    pub fn draw_edition(
        editions: &[ComputedEdition],
        k: usize,
        history: &[HistoryPoint],
        cache: &FigureCache,
        sink: PngSink,
    ) -> Result<EditionFigures, FigureError> {
        let strings = Strings::builtin()?;
        let jobs = edition_jobs(editions, k, history, &strings)?;
        let stage = format!("figures {}", editions[k].edition.year);
        let (mut by_edition, _) = draw(jobs, &stage, editions.len(), shared_rasteriser(), cache, Some(sink))?;
        Ok(std::mem::take(&mut by_edition[k]))
    }
}

/// The rasteriser with the shipped fonts, loaded once per process.
fn shared_rasteriser() -> &'static Rasteriser {
    static RASTERISER: std::sync::OnceLock<Rasteriser> = std::sync::OnceLock::new();
    RASTERISER.get_or_init(|| Rasteriser::new(&[crate::chart::FONT_REGULAR, crate::chart::FONT_BOLD]))
}

/// PNGs are rendered at twice the SVG's size, sharp on high-density screens and in slides.
const PNG_SCALE: f32 = 2.0;

struct Job<'a> {
    edition: usize,
    /// The edition's year, for a message about its data.
    year: u16,
    lang: Lang,
    key: FigureKey,
    /// The key's name, for messages.
    name: String,
    png_path: String,
    spec: Spec<'a>,
    narrow: Option<Spec<'a>>,
}

/// What a rebuild need not redo: PNGs by the SVG they render (on disk across builds), and SVGs
/// by a fingerprint of their spec (in memory, for the preview: after a data edit only the figures
/// whose data changed are drawn again). Neither changes a byte of output.
pub struct FigureCache {
    pub png: PngCache,
    svg: Mutex<HashMap<[u8; 32], Arc<str>>>,
    /// Whether SVGs are kept between builds (the preview); a one-shot build draws each once.
    remember_svg: bool,
    /// Where SVGs are kept across processes, by fingerprint (`None`: not kept). A warm build
    /// then draws no chart at all: drawing every SVG again was most of a warm figure stage.
    svg_dir: Option<PathBuf>,
}

impl FigureCache {
    pub fn new(png: PngCache) -> Self {
        FigureCache { png, svg: Mutex::new(HashMap::new()), remember_svg: true, svg_dir: None }
    }

    /// For a single build: SVGs are not kept in memory (each is drawn once anyway), so only
    /// the pages' copies stay in memory.
    pub fn once(png: PngCache) -> Self {
        FigureCache { remember_svg: false, ..FigureCache::new(png) }
    }

    /// Keeps SVGs in the folder `dir` too, across builds — only when the build knows the hash
    /// of its own source (see [`fingerprint`]): without it an SVG drawn by another version of
    /// the code could be served.
    pub fn with_svg_dir(self, dir: Option<PathBuf>) -> Self {
        FigureCache { svg_dir: dir.filter(|_| SOURCE_HASH.is_some()), ..self }
    }

    fn svg(&self, fingerprint: &[u8; 32], draw: impl FnOnce() -> String) -> Arc<str> {
        if self.remember_svg
            && let Some(hit) = self.svg.lock().unwrap_or_else(|e| e.into_inner()).get(fingerprint)
        {
            return Arc::clone(hit);
        }
        let file = self.svg_dir.as_ref().map(|d| d.join(format!("{}.svg", hex(fingerprint))));
        let svg: Arc<str> = match file.as_deref().and_then(read_kept_svg) {
            Some(kept) => Arc::from(kept),
            None => {
                let drawn = draw();
                if let Some(f) = &file {
                    // The length first, so that a file cut short is known; a cache that cannot
                    // be written only costs time on the next build.
                    let _ = crate::output::write_atomically(f, format!("{}\n{drawn}", drawn.len()).as_bytes());
                }
                Arc::from(drawn)
            }
        };
        if self.remember_svg {
            self.svg.lock().unwrap_or_else(|e| e.into_inner()).insert(*fingerprint, Arc::clone(&svg));
        }
        svg
    }
}

/// An SVG kept by [`FigureCache::svg`], if the file is whole.
fn read_kept_svg(path: &Path) -> Option<String> {
    let text = String::from_utf8(std::fs::read(path).ok()?).ok()?;
    let (len, svg) = text.split_once('\n')?;
    (len.parse::<usize>().ok()? == svg.len()).then(|| svg.to_string())
}


/// A hash of the tool's source, from build.rs. Cargo can skip the build script when two
/// checkouts of one version share a target folder (scripts/same-output does): then it is absent,
/// and SVGs are not kept on disk.
const SOURCE_HASH: Option<&str> = option_env!("CITYREPORT_SOURCE_HASH");

/// The key of a chart's SVG in the cache: a digest of its `Debug` text, which holds everything
/// the SVG depends on (see [`crate::chart::Chart`]), and of the tool's own build: SVGs are kept
/// on disk across builds, and another version of the drawing code draws the same spec
/// differently.
fn fingerprint(spec: &Spec) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"cityreport-svg-v3\0");
    h.update(SOURCE_HASH.unwrap_or(""));
    h.update(format!("{spec:?}"));
    h.finalize().into()
}

/// Renders every figure of every edition. Returns the figures for the pages and the PNG files
/// (none when a `sink` took them).
pub fn render_figures(
    editions: &[ComputedEdition],
    history: &[HistoryPoint],
    rasteriser: &Rasteriser,
    cache: &FigureCache,
    sink: Option<PngSink>,
) -> Result<(Vec<EditionFigures>, SiteFiles), FigureError> {
    let strings = Strings::builtin()?;
    let mut jobs = Vec::new();
    for k in 0..editions.len() {
        jobs.extend(edition_jobs(editions, k, history, &strings)?);
    }
    draw(jobs, "figures", editions.len(), rasteriser, cache, sink)
}

/// The figures of edition `k` of `editions` (earlier editions feed its trend), in both languages.
fn edition_jobs<'a>(editions: &'a [ComputedEdition], k: usize, history: &[HistoryPoint], strings: &'a Strings) -> Result<Vec<Job<'a>>, FigureError> {
    let computed: Vec<(&Edition, &IndexResults)> = editions[..=k].iter().map(|ce| (&ce.edition, &ce.results)).collect();
    let ce = &editions[k];
    let ed = &ce.edition;
    // Up to the edition's year, as its pages' history tables (compute::project::history_series):
    // a later year of the history file was drawn in this edition's trend as a change since it.
    let earlier: Vec<HistoryPoint> = history.iter().filter(|h| h.year <= ed.year).cloned().collect();
    let series = city_series(&earlier, &computed, &ed.tree.root().id);
    let map = ed.map.as_ref().map(MapGeometry::new);
    let mut jobs = Vec::new();
    for lang in Lang::ALL {
        let context = SpecContext {
            ed,
            results: &ce.results,
            lang,
            strings,
            series: &series,
            map,
            uncertainty: ce.uncertainty.as_ref(),
        };
        for key in edition_figures(ed, series.len() > 1) {
            let Some(spec) = context.spec(key)? else { continue };
            let narrow = context.narrow_spec(key)?;
            jobs.push(Job { edition: k, year: ed.year, lang, key, name: key.name(ed), png_path: key.png_path(ed, lang), spec, narrow });
        }
    }
    Ok(jobs)
}

/// Draws `jobs` (SVG, PNG and phone variant), for `editions` editions in all, counting them on the
/// progress bar as `stage`.
fn draw(
    jobs: Vec<Job>,
    stage: &str,
    editions: usize,
    rasteriser: &Rasteriser,
    cache: &FigureCache,
    sink: Option<PngSink>,
) -> Result<(Vec<EditionFigures>, SiteFiles), FigureError> {
    check_glyphs(&jobs)?;
    // Rasterising dominates; figures are independent, so render them in parallel. Results are
    // collected in job order, so output never depends on thread timing.
    crate::progress::stage(stage, jobs.len() as u64);
    let rendered: Vec<(String, Option<Vec<u8>>, Option<String>)> = jobs
        .par_iter()
        .map(|job| {
            let svg = cache.svg(&fingerprint(&job.spec), || job.spec.to_svg());
            let png = cache.png.get_or_render(&svg, PNG_SCALE, rasteriser).map_err(|message| FigureError::Raster { figure: job.name.clone(), message })?;
            let narrow = job.narrow.as_ref().map(|n| cache.svg(&fingerprint(n), || n.to_svg()).to_string());
            crate::progress::advance(1);
            let kept = match sink {
                // Written out now; the pixels and bytes are dropped here.
                Some(sink) => sink(&job.png_path, &png).map(|()| None)?,
                None => Some(png.as_ref().clone()),
            };
            Ok((svg.to_string(), kept, narrow))
        })
        .collect::<Result<_, FigureError>>()?;
    let mut figures: Vec<EditionFigures> = (0..editions).map(|_| HashMap::new()).collect();
    let mut files = SiteFiles::new();
    for (job, (svg, png, narrow_svg)) in jobs.into_iter().zip(rendered) {
        if let Some(png) = png {
            files.insert(job.png_path.clone(), png);
        }
        figures[job.edition].insert((job.lang, job.key), Figure { svg, png: Some(job.png_path), narrow_reuses_wide: narrow_svg.is_some() && SpecContext::narrow_reuses_wide(job.key), narrow_svg, compact: SpecContext::drawn_compact(job.key) });
    }
    Ok((figures, files))
}

/// Every text a figure will draw must have glyphs in the shipped font: resvg would otherwise draw
/// empty boxes ("tofu") or drop the text without a word. Checked once over all texts, then the
/// first offending text is named so the analyst can find it.
fn check_glyphs(jobs: &[Job]) -> Result<(), FigureError> {
    let texts: Vec<(&Job, &str)> =
        jobs.iter().flat_map(|j| j.spec.texts().into_iter().chain(j.narrow.iter().flat_map(|n| n.texts())).map(move |t| (j, t))).collect();
    let mut all = String::new();
    for (_, t) in &texts {
        all.push_str(t);
        all.push('\n');
    }
    let fonts = [crate::chart::FONT_REGULAR, crate::chart::FONT_BOLD];
    let missing = crate::chart::missing_glyphs(&fonts, &all);
    let Some(&c) = missing.first() else { return Ok(()) };
    // `missing` holds characters of `all`, so some text holds `c`.
    let Some((job, text)) = texts.iter().find(|(_, t)| t.contains(c)).copied() else { return Ok(()) };
    Err(FigureError::Glyphs { year: job.year, figure: job.name.clone(), text: text.to_string(), missing })
}
