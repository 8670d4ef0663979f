//! The pipeline: load → compute → render → (caller) write. Used by `build`, `check` and `serve`.

use std::fmt;
use std::path::Path;

use crate::compute::{compare_editions, compute_edition, indicator_aliases, ComputeError};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::downloads;
use crate::load::{load_project, Project};
use crate::chart::{PngCache, Rasteriser};
use crate::figures::{self, FigureCache};
use crate::model::{Edition, EditionChanges, HistoryPoint, IndexResults, Status};
use crate::site;
use crate::output::SiteFiles;

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
}

/// Why a build failed. Every variant names the file (and line where there is one).
#[derive(Debug)]
pub enum BuildError {
    Input(Diagnostics),
    Compute { year: u16, error: ComputeError },
    Render(Diagnostic),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Input(d) => write!(f, "{d}"),
            BuildError::Compute { year, error } => write!(f, "error: data/{year}/: {error}"),
            BuildError::Render(d) => write!(f, "{d}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<Diagnostics> for BuildError {
    fn from(d: Diagnostics) -> Self {
        BuildError::Input(d)
    }
}

/// A loaded edition with its computed figures.
#[derive(Debug, Clone)]
pub struct ComputedEdition {
    pub edition: Edition,
    pub results: IndexResults,
    /// Changes since the previous edition in the build, if there is one.
    pub changes: Option<EditionChanges>,
}

/// Loads and computes every edition the build includes (drafts only with `drafts`).
pub fn compute_project(project: &Project, opts: &BuildOptions) -> Result<Vec<ComputedEdition>, BuildError> {
    let mut computed: Vec<ComputedEdition> = Vec::new();
    for e in project.editions.iter().filter(|e| opts.drafts || e.status == Status::Published) {
        let results = compute_edition(e).map_err(|error| BuildError::Compute { year: e.year, error })?;
        let changes = computed.last().map(|prev| compare_editions((&prev.edition, &prev.results), (e, &results)));
        computed.push(ComputedEdition { edition: e.clone(), results, changes });
    }
    Ok(computed)
}

/// Everything `check` verifies, in one pass: the project loads, every edition (drafts too)
/// computes, and the whole site renders in memory — narrative shortcodes, templates and figure
/// labels included. Nothing is written. Returns the computed editions for a summary.
pub fn check_project(root: &Path) -> Result<Vec<ComputedEdition>, BuildError> {
    let opts = BuildOptions { drafts: true, ..BuildOptions::default() };
    let project = load_project(root)?;
    let editions = compute_project(&project, &opts)?;
    let figures = Figures::render(&editions, &project, &default_cache(root))?;
    render_pages(root, &project, &editions, &figures, &opts)?;
    Ok(editions)
}

/// Builds the whole site into memory. Nothing is written to disk.
pub fn build_site(root: &Path, opts: &BuildOptions) -> Result<SiteFiles, BuildError> {
    let project = load_project(root)?;
    let editions = compute_project(&project, opts)?;
    let figures = Figures::render(&editions, &project, &default_cache(root))?;
    render_pages(root, &project, &editions, &figures, opts)
}

/// The PNG cache `build` uses: in memory, and on disk under `.cityreport-cache/` in the project
/// (or the folder named by the environment variable `CITYREPORT_CACHE`) so that unchanged
/// figures are not rasterised again on the next build. Cached bytes are the bytes a fresh render
/// gives, so the cache never changes the output.
pub fn default_cache(root: &Path) -> FigureCache {
    let dir = match std::env::var_os("CITYREPORT_CACHE") {
        Some(dir) if !dir.is_empty() => std::path::PathBuf::from(dir),
        _ => root.join(".cityreport-cache"),
    };
    FigureCache::new(PngCache::new(Some(dir.join("png"))))
}

/// Rendered figures of every edition, with their PNG files.
pub struct Figures {
    pub by_edition: Vec<figures::EditionFigures>,
    pub files: SiteFiles,
}

impl Figures {
    pub fn render(editions: &[ComputedEdition], project: &Project, cache: &FigureCache) -> Result<Figures, BuildError> {
        let (by_edition, files) = figures::render_figures(editions, &project.history, shared_rasteriser(), cache)
            .map_err(|e| BuildError::Render(Diagnostic::new(project.root.join("data"), format!("cannot draw a figure: {e}"))))?;
        Ok(Figures { by_edition, files })
    }
}

/// The rasteriser with the shipped fonts, loaded once per process.
fn shared_rasteriser() -> &'static Rasteriser {
    static RASTERISER: std::sync::OnceLock<Rasteriser> = std::sync::OnceLock::new();
    RASTERISER.get_or_init(|| Rasteriser::new(&[crate::chart::FONT_REGULAR, crate::chart::FONT_BOLD]))
}

/// Everything after figures: downloads, pages, assets, then frozen editions on top.
pub fn render_pages(
    root: &Path,
    project: &Project,
    editions: &[ComputedEdition],
    figures: &Figures,
    opts: &BuildOptions,
) -> Result<SiteFiles, BuildError> {
    let mut files = SiteFiles::new();

    // Downloads first: the data page links them with their sizes.
    let mut downloads: Vec<Vec<site::Download>> = Vec::new();
    for ce in editions {
        let year = ce.edition.year;
        let mut edition_files = SiteFiles::new();
        edition_files.insert(format!("{year}/data/indices.csv"), downloads::indices_csv(&ce.edition, &ce.results));
        edition_files.insert(format!("{year}/data/indices.json"), downloads::indices_json(&ce.edition, &ce.results));
        let values = root.join("data").join(year.to_string()).join("values.csv");
        let bytes = std::fs::read(&values).map_err(|e| BuildError::Render(Diagnostic::new(&values, e.to_string())))?;
        edition_files.insert(format!("{year}/data/values.csv"), bytes);
        if let Some(changes) = &ce.changes {
            edition_files.insert(format!("{year}/data/changes.csv"), downloads::changes_csv(&ce.edition, changes));
        }
        downloads.push(
            edition_files
                .files
                .iter()
                .map(|(path, bytes)| site::Download { path: path.clone(), bytes: Some(bytes.len() as u64) })
                .collect(),
        );
        files.extend(edition_files);
    }
    files.extend(figures.files.clone());

    let inputs: Vec<site::EditionInput> = editions
        .iter()
        .enumerate()
        .map(|(k, ce)| site::EditionInput {
            edition: &ce.edition,
            results: &ce.results,
            figures: &figures.by_edition[k],
            downloads: downloads[k].clone(),
            previous: previous_values(ce, k.checked_sub(1).map(|p| &editions[p]), &project.history),
            changes: ce.changes.as_ref(),
            previous_edition: ce.changes.as_ref().and(k.checked_sub(1)).map(|p| &editions[p].edition),
            history: history_series(&editions[..=k], &project.history),
        })
        .collect();
    let templates = site::TemplateSource::with_project(root).map_err(|e| {
        BuildError::Render(Diagnostic::new(root.join("templates"), format!("cannot read the project's templates: {e}"))
            .help("templates and assets must be readable files; save templates as UTF-8"))
    })?;
    // Read archive/ once: the archive page lists the frozen versions, and their files replace
    // whatever is rendered for them.
    let frozen = crate::archive::frozen_editions(root);
    let render_opts = site::RenderOptions {
        drafts: opts.drafts,
        preview: opts.preview,
        base_url: opts.base_url.clone(),
        published: None,
        archived: frozen
            .iter()
            .map(|f| site::ArchivedVersion { year: f.year, revision: f.revision })
            .collect(),
        only: opts.only.clone(),
    };
    let pages = site::render_site(&inputs, &templates, &render_opts).map_err(|e| BuildError::Render(site_diagnostic(root, e)))?;
    if opts.only.is_some() {
        // A partial render: just the pages, minus those of frozen editions, which never change.
        let prefixes: Vec<String> = frozen.iter().map(|f| format!("{}/", f.site_prefix())).collect();
        let mut partial = pages;
        partial.files.retain(|k, _| !prefixes.iter().any(|p| k.starts_with(p)));
        return Ok(partial);
    }
    files.extend(pages);

    // Frozen editions replace whatever was rendered for them, byte for byte.
    for f in frozen.iter().filter(|f| !(f.revision == 0 && Some(f.year) == opts.ignore_frozen)) {
        let prefix = format!("{}/", f.site_prefix());
        files.files.retain(|k, _| !k.starts_with(&prefix));
        let frozen_files = crate::archive::frozen_files(f).map_err(|e| {
            BuildError::Render(
                Diagnostic::new(&f.dir, format!("cannot read the frozen edition: {e}"))
                    .help("run `cityreport verify` to see which files are damaged; restore them from version control"),
            )
        })?;
        files.extend(frozen_files);
    }
    Ok(files)
}

/// Values of the previous edition under the current edition's indicator ids (following renames),
/// for `change(...)`: the previous computed edition when there is one, otherwise the city-level
/// figures of the latest earlier year in `data/history.csv`.
fn previous_values(ce: &ComputedEdition, previous: Option<&ComputedEdition>, history: &[HistoryPoint]) -> Option<site::PreviousValues> {
    let tree = &ce.edition.tree;
    let mut values = std::collections::BTreeMap::new();
    if let (Some(prev), Some(changes)) = (previous, &ce.changes) {
        let pd = &prev.edition.districts;
        for (i, node) in tree.nodes.iter().enumerate() {
            let Some(p) = changes.previous_node[i] else { continue };
            let r = &prev.results.nodes[p];
            values.insert((node.id.clone(), "city".to_string()), r.city);
            for (ri, region) in pd.regions.iter().enumerate() {
                values.insert((node.id.clone(), region.id.clone()), r.regions[ri]);
            }
            for (di, d) in pd.districts.iter().enumerate() {
                values.insert((node.id.clone(), d.id.clone()), r.districts[di]);
            }
        }
        return Some(site::PreviousValues { year: prev.edition.year, values });
    }
    let year = history.iter().map(|h| h.year).filter(|&y| y < ce.edition.year).max()?;
    for node in &tree.nodes {
        let aliases = indicator_aliases(&[&ce.edition], &node.id);
        if let Some(h) = history.iter().find(|h| h.year == year && aliases.contains(&h.indicator)) {
            values.insert((node.id.clone(), "city".to_string()), h.value);
        }
    }
    Some(site::PreviousValues { year, values })
}

/// City series of the overall index and the first-level nodes of the last edition in `known`, as
/// known at that edition's time: history points and computed editions up to its year, never later
/// ones (a frozen page must not depend on what came after). Single points are left out.
fn history_series(known: &[ComputedEdition], history: &[HistoryPoint]) -> Vec<site::HistorySeries> {
    let Some(current) = known.last() else { return Vec::new() };
    let year = current.edition.year;
    let earlier: Vec<HistoryPoint> = history.iter().filter(|h| h.year <= year).cloned().collect();
    let computed: Vec<(&Edition, &IndexResults)> = known.iter().map(|ce| (&ce.edition, &ce.results)).collect();
    let tree = &current.edition.tree;
    std::iter::once(0)
        .chain(tree.root().children.iter().copied())
        .map(|i| &tree.nodes[i].id)
        .map(|id| site::HistorySeries { indicator: id.clone(), points: crate::compute::city_series(&earlier, &computed, id) })
        .filter(|s| s.points.len() > 1)
        .collect()
}

/// A render error as a diagnostic naming the file to fix.
fn site_diagnostic(root: &Path, e: site::SiteError) -> Diagnostic {
    match e {
        site::SiteError::Content { file, line, column, message } => Diagnostic::new(file, message)
            .at(line, column)
            .help("fix the shortcode or text at this place; shortcodes are listed in docs/writing.md"),
        site::SiteError::Template { template, page, message } => {
            let (file, place, message) = site::template_errors::locate_in_project(&root.join("templates"), &template, &message);
            let mut d = Diagnostic::new(file, message);
            if let Some((line, column)) = place {
                d = d.at(line, column);
            }
            let during = page.map(|p| format!("the error happened while rendering {p}; ")).unwrap_or_default();
            d.help(format!("{during}fix the template (Tera syntax) or remove the override to use the built-in one"))
        }
        site::SiteError::Translation { key, message } => Diagnostic::new("src/site/strings.toml", format!("UI string `{key}`: {message}")),
        site::SiteError::Input { message } => Diagnostic::new(root, message),
    }
}

impl BuildError {
    /// The message for the preview's overlay, which shows the first file and line itself:
    /// the first problem without its location, then any others with paths relative to the
    /// project.
    pub fn overlay_message(&self, root: &Path) -> String {
        let rel = |d: &Diagnostic| {
            let mut d = d.clone();
            d.file = d.file.strip_prefix(root).map(Path::to_path_buf).unwrap_or(d.file);
            d
        };
        let plain = |d: &Diagnostic| match &d.help {
            Some(h) => format!("{}\nhelp: {h}", d.message),
            None => d.message.clone(),
        };
        match self {
            BuildError::Input(ds) => {
                let mut out = ds.0.first().map(plain).unwrap_or_default();
                for d in ds.0.iter().skip(1) {
                    out.push_str(&format!("\n\n{}", rel(d)));
                }
                out
            }
            BuildError::Compute { year, error } => format!("data/{year}/: {error}"),
            BuildError::Render(d) => plain(d),
        }
    }

    /// The file and line to show in the preview's error overlay.
    pub fn location(&self) -> (Option<&Path>, Option<usize>) {
        match self {
            BuildError::Input(d) => d.0.first().map(|d| (Some(d.file.as_path()), d.line)).unwrap_or((None, None)),
            BuildError::Compute { .. } => (None, None),
            BuildError::Render(d) => (Some(d.file.as_path()), d.line),
        }
    }
}

/// The preview's builder. It keeps the last good project, results and figures, and redoes only
/// what a change needs: a narrative edit reloads that edition's text and re-renders the pages
/// (results and figures are reused); a data edit reloads and recomputes, and only figures whose
/// SVG changed are rasterised again (the PNG cache is keyed by content).
pub struct PreviewBuilder {
    pub root: std::path::PathBuf,
    last: Option<PreviewState>,
    cache: FigureCache,
    /// Set when a full rebuild failed: the kept state is then older than the data on disk, so
    /// the narrative shortcut must not be taken until a full rebuild succeeds.
    stale: bool,
}

struct PreviewState {
    project: Project,
    editions: Vec<ComputedEdition>,
    figures: Figures,
    /// The last full site, which a narrative edit patches page by page.
    files: SiteFiles,
}

impl PreviewBuilder {
    pub fn new(root: std::path::PathBuf) -> Self {
        PreviewBuilder { cache: default_cache(&root), root, last: None, stale: false }
    }

    /// The folders the builder reads, for the preview server to watch.
    pub fn watched_folders(&self) -> Vec<std::path::PathBuf> {
        ["data", "content", "templates", "assets"].iter().map(|d| self.root.join(d)).collect()
    }

    fn opts() -> BuildOptions {
        BuildOptions { drafts: true, preview: true, ..BuildOptions::default() }
    }

    /// The narrative files changed, when nothing but narrative changed (otherwise None).
    fn content_only(&self, changed: &[std::path::PathBuf]) -> Option<Vec<site::ContentRef>> {
        let content = self.root.join("content");
        let mut refs = Vec::new();
        for path in changed {
            let rel = path.strip_prefix(&content).ok()?;
            let mut parts = rel.components().map(|c| c.as_os_str().to_str());
            let year: u16 = parts.next()??.parse().ok()?;
            let lang = crate::model::Lang::from_code(parts.next()??)?;
            let rest: Vec<&str> = parts.collect::<Option<_>>()?;
            let key = rest.join("/").strip_suffix(".md")?.to_string();
            refs.push(site::ContentRef { year, lang, key });
        }
        (!refs.is_empty()).then_some(refs)
    }

    fn rebuild_inner(&mut self, changed: &[std::path::PathBuf]) -> Result<SiteFiles, BuildError> {
        let opts = Self::opts();
        let shortcut = if self.stale { None } else { self.content_only(changed) };
        if let (Some(refs), Some(state)) = (shortcut, self.last.as_mut()) {
            let mut years: Vec<u16> = refs.iter().map(|r| r.year).collect();
            years.dedup();
            for year in years {
                let content = crate::load::load_content(&self.root, year)?;
                for e in state.project.editions.iter_mut().filter(|e| e.year == year) {
                    e.content = content.clone();
                }
                for ce in state.editions.iter_mut().filter(|ce| ce.edition.year == year) {
                    ce.edition.content = content.clone();
                }
            }
            let partial = BuildOptions { only: Some(refs), ..opts };
            let pages = render_pages(&self.root, &state.project, &state.editions, &state.figures, &partial)?;
            state.files.extend(pages);
            return Ok(state.files.clone());
        }
        self.stale = true;
        let project = load_project(&self.root)?;
        let editions = compute_project(&project, &opts)?;
        let figures = Figures::render(&editions, &project, &self.cache)?;
        let files = render_pages(&self.root, &project, &editions, &figures, &opts)?;
        self.last = Some(PreviewState { project, editions, figures, files: files.clone() });
        self.stale = false;
        Ok(files)
    }
}

impl crate::serve::Rebuild for PreviewBuilder {
    fn rebuild(&mut self, changed: &[std::path::PathBuf]) -> Result<SiteFiles, crate::serve::BuildFailure> {
        self.rebuild_inner(changed).map_err(|e| {
            let (file, line) = e.location();
            let file = file.map(|f| f.strip_prefix(&self.root).unwrap_or(f).display().to_string());
            crate::serve::BuildFailure { file, line, message: e.overlay_message(&self.root) }
        })
    }
}
