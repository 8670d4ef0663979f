//! Render stage: computed editions → the bilingual static HTML site.
//!
//! The stage is a pure function from data to [`SiteFiles`]: it never touches the disk, so `build`
//! and `serve` share it. Work is split so that each piece can be tested alone:
//!
//! - [`shortcode`] and [`markdown`]: narrative text → safe HTML with figures from the data;
//! - [`view`]: the per-edition, per-language display data shared by all pages;
//! - [`pages`]: one small view per page, rendered through Tera [`templates`];
//! - [`links`] and [`sitemap`]: relative links that work from `file://` and any sub-path.

pub(crate) mod book;
pub(crate) mod links;
pub(crate) mod markdown;
mod pages;
pub(crate) mod shortcode;
mod sitemap;
pub(crate) mod template_errors;
pub(crate) mod templates;
mod view;
pub mod webfonts;

use std::fmt;
use std::path::PathBuf;

use rayon::iter::{IntoParallelRefIterator, ParallelIterator};

pub use crate::compute::{HistorySeries, PreviousValues};
pub use crate::figures::Figure;
use crate::model::{Edition, EditionChanges, IndexResults, Lang, VersionId};
use crate::output::SiteFiles;

pub use templates::TemplateSource;

/// A file the pipeline writes next to the pages (data downloads), linked from `data.html`.
#[derive(Debug, Clone, PartialEq)]
pub struct Download {
    /// Site-relative path ("2020/data/indices.csv").
    pub path: String,
    /// Size in bytes, shown next to the link when known.
    pub bytes: Option<u64>,
}

/// One edition to render, with everything the other stages made for it.
pub struct EditionInput<'a> {
    pub edition: &'a Edition,
    pub results: &'a IndexResults,
    /// Charts and maps by (language, figure key); see [`crate::catalogue`]. A missing key
    /// leaves its place empty.
    pub figures: FigureSource<'a>,
    pub downloads: Vec<Download>,
    /// For `change(...)` shortcodes; `None` makes them an error ("no previous edition"). Also the
    /// source of city-level changes when the previous edition is known only from the history file.
    pub previous: Option<PreviousValues>,
    /// Changes since the previous edition when that edition is computed in the same build (district
    /// values and ranks, the framework diff); `None` when there is none or it is only in history.
    pub changes: Option<&'a EditionChanges>,
    /// The previous computed edition itself (names of removed indicators and old parents, links to
    /// its pages); `Some` exactly when `changes` is.
    pub previous_edition: Option<&'a Edition>,
    /// City-level series of the overall index and the first-level indices up to this edition's
    /// year (history file merged with computed editions), for the overall chapter.
    pub history: Vec<HistorySeries>,
    /// Rank intervals and the sensitivity of the overall ranks, when the edition asks for the
    /// uncertainty analysis (issue 16).
    pub uncertainty: Option<&'a crate::compute::UncertaintyResults>,
    pub sensitivity: Option<&'a crate::compute::SensitivityResults>,
}

/// Where an edition's figures come from.
#[derive(Clone, Copy)]
pub enum FigureSource<'a> {
    /// Drawn before the pages (check, preview, a build into memory).
    Drawn(&'a crate::figures::EditionFigures),
    /// Drawn when the edition's pages are rendered and dropped after them, so a build streaming
    /// to disk holds one edition's figures at a time (issue 14). An error names the figure.
    OnDemand(&'a (dyn Fn() -> Result<crate::figures::EditionFigures, crate::figures::FigureError> + Sync)),
}

impl<'a> From<&'a crate::figures::EditionFigures> for FigureSource<'a> {
    fn from(figures: &'a crate::figures::EditionFigures) -> Self {
        FigureSource::Drawn(figures)
    }
}

impl FigureSource<'_> {
    fn get(&self) -> Result<std::borrow::Cow<'_, crate::figures::EditionFigures>, SiteError> {
        match self {
            FigureSource::Drawn(figures) => Ok(std::borrow::Cow::Borrowed(*figures)),
            FigureSource::OnDemand(draw) => draw().map(std::borrow::Cow::Owned).map_err(SiteError::Figure),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Include narrative pages marked `draft = true`.
    pub drafts: bool,
    /// Built for `serve`: adds the live-reload script and draft banners.
    pub preview: bool,
    /// Absolute URL the site is published under ("https://example.org/report/"). Needed for
    /// `sitemap.xml`, canonical links and absolute Open Graph images; without it the sitemap is
    /// not written (the protocol requires absolute URLs) and those tags are left out.
    pub base_url: Option<String>,
    /// Date the edition was published ("2020-12-10"), shown in the footer per language.
    pub published: Option<String>,
    /// Frozen versions in `archive/`, listed on the archive page (the site root) with the
    /// superseded ones marked as replaced.
    pub archived: Vec<VersionId>,
    /// Render only the pages that show these narrative files (a preview after a narrative edit);
    /// `None` renders the whole site.
    pub only: Option<Vec<ContentRef>>,
    /// Editions before the tool (what is known of them), for the archive, the edition switcher,
    /// the history tables and their own small pages.
    pub archived_editions: Vec<crate::model::ArchivedEdition>,
    /// Plans with targets and outcomes, for the progress chapters and the plans pages.
    pub plans: Vec<crate::model::Plan>,
    /// Their targets assessed, as the pages show them (see [`crate::compute::plans::PlanProgress`]).
    pub plan_progress: crate::compute::plans::PlanProgress,
    /// Where typeset print editions are kept between builds (see [`book`]).
    pub book_cache: book::BookCache,
    /// Make only the print edition of this edition and language: the preview makes none with
    /// its pages (saving a narrative file stays fast) and typesets one when a reader asks for it.
    /// The result then holds just that PDF.
    pub book_only: Option<(u16, Lang)>,
}

/// A narrative file of an edition: `content/<year>/<lang>/<key>.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentRef {
    pub year: u16,
    pub lang: Lang,
    pub key: String,
}

/// Why the site could not be rendered. Every variant names the file a person must fix.
#[derive(Debug)]
pub enum SiteError {
    /// A shortcode or Markdown problem in a narrative file.
    Content { file: PathBuf, line: usize, column: usize, message: String },
    /// A template failed to parse or render.
    Template { template: String, page: Option<String>, message: String },
    /// A UI string is missing or incomplete in the translation table.
    Translation { key: String, message: String },
    /// The inputs do not fit together (e.g. results for a different tree).
    Input { message: String },
    /// A finished page could not be written (a build streaming its pages to disk).
    Output(crate::output::OutputError),
    /// A figure drawn on demand (see [`FigureSource::OnDemand`]) could not be drawn.
    Figure(crate::figures::FigureError),
    /// The print edition of an edition and language could not be typeset.
    Print { year: u16, lang: &'static str, message: String },
}

impl fmt::Display for SiteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SiteError::Content { file, line, column, message } => {
                write!(f, "{}:{line}:{column}: {message}", file.display())
            }
            SiteError::Template { template, page: Some(page), message } => {
                write!(f, "template {template} (rendering {page}): {message}")
            }
            SiteError::Template { template, page: None, message } => write!(f, "template {template}: {message}"),
            SiteError::Translation { key, message } => write!(f, "UI string `{key}`: {message}"),
            SiteError::Input { message } => write!(f, "{message}"),
            SiteError::Output(e) => write!(f, "{e}"),
            SiteError::Figure(e) => write!(f, "cannot draw a figure: {e}"),
            SiteError::Print { year, lang, message } => write!(f, "cannot typeset the print edition of {year} ({lang}): {message}"),
        }
    }
}

impl std::error::Error for SiteError {}

impl From<webfonts::WebFontError> for SiteError {
    fn from(e: webfonts::WebFontError) -> Self {
        SiteError::Input { message: e.to_string() }
    }
}

impl From<crate::i18n::TranslationError> for SiteError {
    fn from(e: crate::i18n::TranslationError) -> Self {
        SiteError::Translation { key: e.key, message: e.message }
    }
}

/// Renders every page of every edition, the site root, shared assets, the sitemap and the web
/// fonts, into memory.
///
/// Editions may come in any order; the newest is the one the root page points to.
pub fn render_site(
    editions: &[EditionInput],
    templates: &TemplateSource,
    opts: &RenderOptions,
) -> Result<SiteFiles, SiteError> {
    let mut edition_pages = SiteFiles::new();
    let mut files = render_site_to(editions, templates, opts, &mut |batch| {
        edition_pages.extend(batch);
        Ok(())
    })?;
    files.extend(edition_pages);
    if opts.only.is_none() {
        crate::progress::stage("web fonts", 0);
        webfonts::add_webfonts(&mut files)?;
    }
    Ok(files)
}

/// Renders like [`render_site`], but hands the pages of each edition and language to `emit` as
/// soon as they are made, keeping only their searchable text, so a build that streams them to
/// disk never holds more than one edition's pages (issue 14). Returns the rest: root and extra
/// pages, data scripts, the search index, the sitemap and the assets. The web fonts are left to
/// the caller, who knows the final set of pages (frozen editions replace rendered ones): see
/// [`webfonts::FontUsage`].
pub fn render_site_to(
    editions: &[EditionInput],
    templates: &TemplateSource,
    opts: &RenderOptions,
    emit: &mut dyn FnMut(SiteFiles) -> Result<(), SiteError>,
) -> Result<SiteFiles, SiteError> {
    let strings = crate::i18n::Strings::builtin()?;
    let tera = templates.compile()?;
    // Made only when a book is typeset: hashing and parsing every font file cost a preview
    // rebuild (which typesets none) about 5 % of its time.
    let book_fonts = std::sync::OnceLock::new();
    let book_fonts = || book_fonts.get_or_init(|| book::BookFonts::new(&templates.font_files()));
    for input in editions {
        check_input(input)?;
    }
    let mut sorted: Vec<&EditionInput> = editions.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.edition.year));
    let all_editions: Vec<&Edition> = sorted.iter().map(|e| e.edition).collect();
    // The search covers the computed editions, the editions from before the tool and the plans
    // (issue 24): see search::PageTexts.
    let mut years: Vec<u16> = sorted.iter().map(|e| e.edition.year).collect();
    years.extend(opts.archived_editions.iter().map(|a| a.year));
    let mut search_texts = crate::search::PageTexts::default();

    let mut jobs: Vec<pages::PageJob> = Vec::new();
    // Edition pages are rendered edition by edition and language by language, and emitted as
    // they are made.
    let mut files = SiteFiles::new();
    let mut sitemap_pages = Vec::new();
    let mut scripts: Vec<(String, String)> = Vec::new();
    for input in &sorted {
        // Drawn now if drawn on demand, and dropped with this edition's pages.
        let figures = input.figures.get()?;
        // The print editions first: the pages link to them with their number of pages and size.
        // The preview makes them only when asked for (see `book_only`) and links to them
        // without. Both languages are typeset at once (typst lays out on one core), but one
        // after the other for a large edition, whose typesetting takes most of a gigabyte.
        let mut books: Vec<Option<book::Book>> = Lang::ALL.iter().map(|_| None).collect();
        if opts.only.is_none() && opts.book_only.is_none() && !opts.preview {
            let year = input.edition.year;
            crate::progress::stage(&format!("print edition {year}"), 0);
            let make = |lang: &Lang| {
                let data = view::EditionView::new(input, &figures, *lang, &strings, opts, &all_editions)?;
                book::make_edition_book(&data, book_fonts(), &opts.book_cache).map(Some)
            };
            // typst keeps what it computed (comemo's caches are global) for reuse by a later
            // compile; a build makes each book once, so it is emptied after each book typeset
            // alone (a large edition's takes most of a gigabyte), and after both when they are
            // typeset at once: emptied while the other language is still typesetting, that one
            // would lose what it had laid out for its next layout pass and do it again.
            books = if input.edition.districts.districts.len() > pages::BOOK_MAX_PROFILES {
                Lang::ALL
                    .iter()
                    .map(|lang| {
                        let book = make(lang);
                        book::forget_typesetting();
                        book
                    })
                    .collect::<Result<_, SiteError>>()?
            } else {
                let books = Lang::ALL.par_iter().map(make).collect::<Result<_, SiteError>>();
                book::forget_typesetting();
                books?
            };
        }
        crate::progress::stage(&format!("pages {}", input.edition.year), 0);
        for (lang, printed) in Lang::ALL.into_iter().zip(books) {
            if let Some((year, book_lang)) = opts.book_only {
                if (year, book_lang) == (input.edition.year, lang) {
                    let data = view::EditionView::new(input, &figures, lang, &strings, opts, &all_editions)?;
                    let b = book::make_edition_book(&data, book_fonts(), &opts.book_cache);
                    book::forget_typesetting();
                    let b = b?;
                    let mut only = SiteFiles::new();
                    only.insert(b.path, b.pdf);
                    return Ok(only);
                }
                continue;
            }
            let wanted: Option<Vec<&str>> = opts.only.as_ref().map(|only| {
                only.iter().filter(|c| c.year == input.edition.year && c.lang == lang).map(|c| c.key.as_str()).collect()
            });
            if wanted.as_ref().is_some_and(|w| w.is_empty()) {
                continue;
            }
            let mut data = view::EditionView::new(input, &figures, lang, &strings, opts, &all_editions)?;
            data.book = Some(match &printed {
                Some(b) => view::BookLink { path: b.path.clone(), label: book::link_label(&data, b)? },
                None => view::BookLink { path: book::book_path(&data), label: data.t("book_pdf_link_preview")?.to_string() },
            });
            match &wanted {
                None => {
                    let (mut edition_files, edition_sitemap) = render_makers(&tera, &data, &pages::edition_page_makers(&data))?;
                    if let Some(b) = printed {
                        edition_files.insert(b.path, b.pdf);
                    }
                    search_texts.add(&edition_files, &years);
                    emit(edition_files)?;
                    sitemap_pages.extend(edition_sitemap);
                    // One data script per edition for both languages' tools (issue 16).
                    if lang == Lang::ALL[0] {
                        scripts.push((pages::data_script_path(input.edition.year), pages::data_script(&data)?));
                    }
                }
                Some(keys) => jobs.extend(pages::pages_for_content(&data, keys)?),
            }
        }
    }
    if opts.only.is_some() {
        return render_jobs(&tera, &jobs).map(|(files, _)| files);
    }
    if let Some((year, lang)) = opts.book_only {
        return Err(SiteError::Input { message: format!("no edition {year} to typeset in {}", lang.code()) });
    }
    crate::progress::stage("pages", 0);
    jobs.extend(pages::root_pages(&sorted, &strings, opts)?);
    // Editions before the tool and the plans pages (issue 17).
    let (extra_jobs, extra_files) = pages::extra_pages(&sorted, &strings, opts)?;
    jobs.extend(extra_jobs);

    let (other_files, other_sitemap) = render_jobs(&tera, &jobs)?;
    search_texts.add(&other_files, &years);
    search_texts.add(&extra_files, &years);
    files.extend(other_files);
    sitemap_pages.extend(other_sitemap);
    files.extend(extra_files);
    files.extend(crate::downloads::plan_downloads(&opts.plans, &opts.plan_progress));
    for (path, script) in scripts {
        files.insert(path, script);
    }
    crate::progress::stage("search", 0);
    // Search index of every edition, made from the pages just rendered (see crate::search).
    let searched: Vec<_> = sorted.iter().map(|e| (e.edition, e.results)).collect();
    files.extend(search_texts.index(&searched, &strings)?);
    if let Some(base) = &opts.base_url {
        files.insert("sitemap.xml", sitemap::render(base, &sitemap_pages));
    }
    // Shared copy for the root pages, and one per edition (see pages::shell: frozen editions).
    // The fonts are not copied: browsers get one site-wide set of subset WOFF2 slices
    // (webfonts, made over the finished site); the OTF files only serve the PNG figures.
    for (path, bytes) in templates.assets() {
        if path.starts_with("fonts/") {
            continue;
        }
        for input in &sorted {
            files.insert(format!("{}/assets/{path}", input.edition.year), bytes);
        }
        files.insert(format!("assets/{path}"), bytes);
    }
    Ok(files)
}

/// Renders page jobs. Rendering dominates the build and pages are independent: render them in
/// parallel, then insert in path order so the output never depends on thread timing.
fn render_jobs(tera: &tera::Tera, jobs: &[pages::PageJob]) -> Result<(SiteFiles, Vec<pages::SitemapEntry>), SiteError> {
    let rendered: Vec<(String, String)> = jobs
        .par_iter()
        .map(|job| {
            tera.render(job.template, &job.context)
                .map(|html| (job.path.clone(), html))
                .map_err(|e| templates::template_error(job.template, Some(&job.path), &e))
        })
        .collect::<Result<_, _>>()?;
    let mut files = SiteFiles::new();
    let mut sitemap_pages = Vec::new();
    for ((path, html), job) in rendered.into_iter().zip(jobs) {
        if let Some(entry) = &job.sitemap {
            sitemap_pages.push(entry.clone());
        }
        files.insert(path, html);
    }
    Ok((files, sitemap_pages))
}

/// Makes and renders the pages of one edition and language, in parallel; each page's context is
/// dropped as soon as its HTML is made. Inserted in page order, as [`render_jobs`] does.
fn render_makers(tera: &tera::Tera, v: &view::EditionView, makers: &[pages::PageMaker]) -> Result<(SiteFiles, Vec<pages::SitemapEntry>), SiteError> {
    let rendered: Vec<Vec<(String, String, Option<pages::SitemapEntry>)>> = makers
        .par_iter()
        .map(|make| {
            make(v)?
                .into_iter()
                .map(|job| match tera.render(job.template, &job.context) {
                    Ok(html) => Ok((job.path, html, job.sitemap)),
                    Err(e) => Err(templates::template_error(job.template, Some(&job.path), &e)),
                })
                .collect()
        })
        .collect::<Result<_, SiteError>>()?;
    let mut files = SiteFiles::new();
    let mut sitemap_pages = Vec::new();
    for (path, html, sitemap) in rendered.into_iter().flatten() {
        sitemap_pages.extend(sitemap);
        files.insert(path, html);
    }
    Ok((files, sitemap_pages))
}

fn check_input(input: &EditionInput) -> Result<(), SiteError> {
    let ed = input.edition;
    let n = ed.tree.nodes.len();
    if input.results.nodes.len() != n {
        return Err(SiteError::Input {
            message: format!(
                "edition {}: results have {} nodes but the indicator tree has {n}",
                ed.year,
                input.results.nodes.len()
            ),
        });
    }
    let nd = ed.districts.districts.len();
    let nr = ed.districts.regions.len();
    for (node, r) in ed.tree.nodes.iter().zip(&input.results.nodes) {
        if r.districts.len() != nd || r.rank.len() != nd || r.region_rank.len() != nd || r.regions.len() != nr {
            return Err(SiteError::Input {
                message: format!("edition {}: results for `{}` do not match the districts", ed.year, node.id),
            });
        }
    }
    if n == 0 || nd == 0 {
        return Err(SiteError::Input { message: format!("edition {}: no indicators or no districts", ed.year) });
    }
    Ok(())
}
