//! The pipeline, strung together: load → compute → render (figures, downloads, site) → the
//! caller writes (`output`). Used by `build`, `check`, `publish` and the preview.

mod base_url;
mod cache;
mod error;
mod to_disk;

use std::path::Path;

pub use base_url::check_base_url;
pub(crate) use cache::{cache_dir, fonts_dir, DiskAnalyses};
pub use error::BuildError;
pub use to_disk::{build_to, BuildToError, BuiltTo};

use crate::compute::{compute_project_cached, ComputedEdition};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::downloads;
use crate::figures::{EditionFigures, FigureCache, Figures};
use crate::load::load_project;
use crate::model::{Project, VersionId};
use crate::output::{FileSink, SiteFiles};
use crate::site;

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Include draft editions and pages.
    pub drafts: bool,
    /// A preview build for `serve`: adds the live-reload script and draft banners.
    pub preview: bool,
    /// Render this year afresh even if it is frozen (used by `publish --force`).
    pub ignore_frozen: Option<u16>,
    /// Absolute address the site will be published at; enables sitemap.xml and canonical links.
    pub base_url: Option<String>,
    /// Render only the pages showing these narrative files (preview after a narrative edit):
    /// the result holds just those pages, to lay over the previous build.
    pub only: Option<Vec<site::ContentRef>>,
    /// Typeset only this edition's print edition in this language (the preview, when a reader
    /// opens it): the result holds just that PDF.
    pub book_only: Option<(u16, crate::model::Lang)>,
}

/// Everything `check` verifies, in one pass: the project loads, every edition (drafts too)
/// computes, and the whole site renders in memory — narrative shortcodes, templates and figure
/// labels included. Nothing is written. Returns what was checked, for a summary (the project is
/// read once: the summary's plans come from the same load).
pub fn check_project(root: &Path) -> Result<Checked, BuildError> {
    let opts = BuildOptions { drafts: true, ..BuildOptions::default() };
    let project = load_project(root)?;
    let editions = compute_project_cached(&project, opts.drafts, &DiskAnalyses::of(root))?;
    let figures = render_figures(&editions, &project, &default_cache(root))?;
    render_pages(&project, &editions, &figures, &opts)?;
    Ok(Checked { project, editions })
}

/// A project that passed `check`, and its computed editions.
pub struct Checked {
    pub project: Project,
    pub editions: Vec<ComputedEdition>,
}

/// Builds the whole site into memory. Nothing is written to disk.
pub fn build_site(root: &Path, opts: &BuildOptions) -> Result<SiteFiles, BuildError> {
    crate::progress::stage("reading", 0);
    let project = load_project(root)?;
    crate::progress::stage("computing", 0);
    let editions = compute_project_cached(&project, opts.drafts, &DiskAnalyses::of(root))?;
    let figures = render_figures(&editions, &project, &default_cache(root))?;
    render_pages(&project, &editions, &figures, opts)
}

/// The figure cache `build` uses: PNGs in memory, and on disk under `.cityreport-cache/` in the
/// project (or the folder named by the environment variable `CITYREPORT_CACHE`) so that
/// unchanged figures are not rasterised again on the next build. Cached bytes are the bytes a
/// fresh render gives, so the cache never changes the output.
pub fn default_cache(root: &Path) -> FigureCache {
    FigureCache::new(crate::chart::PngCache::new(Some(cache_dir(root).join("png")))).with_svg_dir(Some(cache_dir(root).join("svg")))
}


/// Every figure of every edition, or an error naming the data folder.
pub fn render_figures(editions: &[ComputedEdition], project: &Project, cache: &FigureCache) -> Result<Figures, BuildError> {
    Figures::render(editions, &project.history, cache).map_err(|e| BuildError::from_figure(&project.root, e))
}

/// Everything after figures: downloads, pages, assets, then frozen editions on top, and the web
/// fonts for the pages served.
pub fn render_pages(
    project: &Project,
    editions: &[ComputedEdition],
    figures: &Figures,
    opts: &BuildOptions,
) -> Result<SiteFiles, BuildError> {
    render_pages_to(project, editions, PageFigures::Drawn(figures), opts, None, &mut None)
}

/// [`render_pages`] for the preview: the downloads of each edition (path and size) are made
/// only when `downloads` is `None`, and then left there; when it holds those of the same
/// computed editions, a partial render (`only`) links them without making them again (making
/// the XLSX and CSV files was ~15 % of a narrative save's rebuild). Their files are then not in
/// the result: the caller has them from the build that made them.
pub fn render_pages_reusing(
    project: &Project,
    editions: &[ComputedEdition],
    figures: &Figures,
    opts: &BuildOptions,
    downloads: &mut Option<Vec<Vec<site::Download>>>,
) -> Result<SiteFiles, BuildError> {
    render_pages_to(project, editions, PageFigures::Drawn(figures), opts, None, downloads)
}

/// Where the pages' figures come from.
#[derive(Clone, Copy)]
pub(crate) enum PageFigures<'a> {
    /// Drawn before the pages, PNGs included.
    Drawn(&'a Figures),
    /// Drawn edition by edition just before its pages, each PNG handed to `png_sink` (a build to
    /// disk): memory holds one edition's figures at a time.
    OnDemand { cache: &'a FigureCache, png_sink: FileSink<'a> },
}

/// [`render_pages`], handing downloads and each edition's pages to `sink` as soon as they are
/// made, when there is one (a build to disk): then the result holds only what is left to write,
/// and memory is bounded by one edition's pages, not the site's (issue 14). Files of frozen
/// editions are never handed over: their frozen copies, in the result, replace them.
pub(crate) fn render_pages_to(
    project: &Project,
    editions: &[ComputedEdition],
    figures: PageFigures,
    opts: &BuildOptions,
    sink: Option<FileSink>,
    known_downloads: &mut Option<Vec<Vec<site::Download>>>,
) -> Result<SiteFiles, BuildError> {
    let root = &project.root;
    // The frozen editions this build serves; a damaged one stops it (never served, never
    // silently rendered afresh).
    let frozen: Vec<&crate::model::FrozenEdition> = project
        .frozen
        .iter()
        .filter(|f| !(f.version.revision == 0 && Some(f.version.year) == opts.ignore_frozen))
        .collect();
    let damage: Vec<Diagnostic> = frozen.iter().flat_map(|f| f.damage.iter().cloned()).collect();
    if !damage.is_empty() {
        return Err(BuildError::Input(Diagnostics::from(damage)));
    }
    let is_frozen = |path: &str| frozen.iter().any(|f| in_version(path, f.version));

    // What the served pages use of the web fonts, counted as pages go to the sink.
    let mut font_usage = site::webfonts::FontUsage::default();
    let mut files = SiteFiles::new();
    let mut emit = |mut batch: SiteFiles| -> Result<(), site::SiteError> {
        let Some(sink) = sink else {
            files.extend(batch);
            return Ok(());
        };
        batch.files.retain(|path, _| !is_frozen(path));
        font_usage.add_files(&batch);
        for (path, bytes) in &batch.files {
            sink(path, bytes).map_err(site::SiteError::Output)?;
        }
        Ok(())
    };
    crate::progress::stage("downloads", 0);
    // Downloads first: the data page links them with their sizes.
    let mut downloads: Vec<Vec<site::Download>> = Vec::new();
    let reused = known_downloads.as_ref().filter(|known| opts.only.is_some() && known.len() == editions.len());
    for ce in editions.iter().filter(|_| reused.is_none()) {
        let edition_files = downloads::edition_downloads(ce).map_err(BuildError::Render)?;
        downloads.push(
            edition_files
                .files
                .iter()
                .map(|(path, bytes)| site::Download { path: path.clone(), bytes: Some(bytes.len() as u64) })
                .collect(),
        );
        emit(edition_files).map_err(|e| BuildError::from_site(root, e))?;
    }
    match reused {
        Some(known) => downloads = known.clone(),
        None => *known_downloads = Some(downloads.clone()),
    }
    type Draw<'d> = Box<dyn Fn() -> Result<EditionFigures, crate::figures::FigureError> + Sync + 'd>;
    let draws: Vec<Draw> = match figures {
        PageFigures::Drawn(figures) => {
            emit(figures.files.clone()).map_err(|e| BuildError::from_site(root, e))?;
            Vec::new()
        }
        PageFigures::OnDemand { cache, png_sink } => (0..editions.len())
            .map(|k| Box::new(move || Figures::draw_edition(editions, k, &project.history, cache, png_sink)) as Draw)
            .collect(),
    };
    let figures_of = |k: usize| match figures {
        PageFigures::Drawn(figures) => site::FigureSource::Drawn(&figures.by_edition[k]),
        PageFigures::OnDemand { .. } => site::FigureSource::OnDemand(&*draws[k]),
    };

    let inputs: Vec<site::EditionInput> = editions
        .iter()
        .enumerate()
        .map(|(k, ce)| site::EditionInput {
            edition: &ce.edition,
            results: &ce.results,
            figures: figures_of(k),
            downloads: downloads[k].clone(),
            previous: ce.previous.clone(),
            changes: ce.changes.as_ref(),
            previous_edition: ce.changes.as_ref().and(k.checked_sub(1)).map(|p| &editions[p].edition),
            history: ce.history.clone(),
            uncertainty: ce.uncertainty.as_ref(),
            sensitivity: ce.sensitivity.as_ref(),
        })
        .collect();
    let templates = site::TemplateSource::with_theme(&project.theme);
    let render_opts = site::RenderOptions {
        drafts: opts.drafts,
        preview: opts.preview,
        base_url: opts.base_url.clone(),
        published: None,
        archived: project.frozen.iter().map(|f| f.version).collect(),
        only: opts.only.clone(),
        book_only: opts.book_only,
        // Editions before the tool and plans (issue 17).
        archived_editions: project.archived.clone(),
        plans: project.plans.clone(),
        plan_progress: crate::compute::plans::PlanProgress::assess(
            &project.plans,
            &editions.iter().map(|ce| ce.edition.year).chain(project.archived.iter().map(|a| a.year)).collect::<Vec<_>>(),
        ),
        // Typeset print editions are kept beside the PNGs, by content hash.
        book_cache: site::book::BookCache { dir: Some(cache_dir(root).join("pdf")) },
    };
    crate::progress::stage("pages", 0);
    let rest = site::render_site_to(&inputs, &templates, &render_opts, &mut emit).map_err(|e| BuildError::from_site(root, e))?;
    if opts.only.is_some() || opts.book_only.is_some() {
        // A partial render: just the pages, minus those of frozen editions, which never change.
        let mut partial = rest;
        partial.files.retain(|k, _| !is_frozen(k));
        return Ok(partial);
    }
    files.extend(rest);

    // Frozen editions replace whatever was rendered for them, byte for byte.
    files.files.retain(|k, _| !is_frozen(k));
    for f in frozen {
        let prefix = f.version.folder();
        for (rel, bytes) in &f.files {
            files.insert_shared(format!("{prefix}/{rel}"), bytes.clone());
        }
    }
    // One set of web fonts for every page served, frozen ones included.
    crate::progress::stage("web fonts", 0);
    font_usage.add_files(&files);
    site::webfonts::add_webfonts_for(&font_usage, &mut files, Some(&fonts_dir(root)))
        .map_err(|e| BuildError::from_site(root, e.into()))?;
    Ok(files)
}

/// Whether site path `path` lies in the folder of `version`.
fn in_version(path: &str, version: VersionId) -> bool {
    path.strip_prefix(&version.folder()).is_some_and(|rest| rest.starts_with('/'))
}
