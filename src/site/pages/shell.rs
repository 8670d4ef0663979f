//! The shell every page of an edition shares: navigation, language and edition switchers,
//! breadcrumbs, contents and metadata, wrapped around the page's own sections.

use serde::Serialize;

use super::blocks::{Link, Section};
use super::{PageJob, BookPage, SitemapEntry, counterpart, nav};
use crate::site::view::EditionView;
use crate::site::{SiteError, links};
use crate::catalogue::{FigureKey, PageKey, CHAPTERS};
use crate::model::Lang;

#[derive(Serialize)]
pub(super) struct Alternate {
    pub(super) hreflang: &'static str,
    pub(super) href: String,
}

#[derive(Serialize)]
pub(super) struct TocItem {
    pub(super) id: String,
    pub(super) label: String,
    pub(super) level: u8,
}

/// What a page puts into its shell.
pub(crate) struct PageSpec {
    /// Path below `<year>/<lang>/`.
    pub rel: String,
    pub template: &'static str,
    pub title: String,
    pub description: String,
    /// Nav entry to mark as current.
    pub nav: &'static str,
    pub breadcrumbs: Vec<(String, Option<String>)>,
    pub sections: Vec<Section>,
    /// The figure whose PNG serves as the preview image.
    pub og_figure: Option<FigureKey>,
    pub prev: Option<(String, String)>,
    pub next: Option<(String, String)>,
    pub draft: bool,
    /// Extra, page-specific data for the template (e.g. the home page's hero).
    pub extra: Option<serde_json::Value>,
}

impl PageSpec {
    pub(super) fn new(rel: impl Into<String>, template: &'static str, nav: &'static str, title: impl Into<String>) -> Self {
        PageSpec {
            rel: rel.into(),
            template,
            title: title.into(),
            description: String::new(),
            nav,
            breadcrumbs: Vec::new(),
            sections: Vec::new(),
            og_figure: None,
            prev: None,
            next: None,
            draft: false,
            extra: None,
        }
    }
}

#[derive(Serialize)]
pub(super) struct Shell<'a> {
    pub(super) path: &'a str,
    pub(super) root: String,
    pub(super) title: String,
    pub(super) heading: &'a str,
    pub(super) description: &'a str,
    pub(super) canonical: Option<String>,
    pub(super) og_image: Option<String>,
    pub(super) alternates: Vec<Alternate>,
    pub(super) switch: Link,
    pub(super) switch_lang: &'static str,
    pub(super) nav: Vec<Link>,
    pub(super) editions: Vec<Link>,
    /// The archive page at the site root: every edition and version, also those published later.
    pub(super) archive: Link,
    pub(super) breadcrumbs: Vec<Link>,
    pub(super) toc: Vec<TocItem>,
    pub(super) sections: &'a [Section],
    pub(super) prev: Option<Link>,
    pub(super) next: Option<Link>,
    pub(super) draft_banner: bool,
    pub(super) home_href: String,
    pub(super) assets: String,
    /// The site-wide web fonts' stylesheet (one copy at the site root, see `site::webfonts`).
    pub(super) fonts_css: String,
    /// The print control and the texts of the printed margins (issue 12).
    pub(super) print: super::print::PrintView,
    /// The data page, where the footer's "how to cite" leads.
    pub(super) data_href: String,
    /// The print edition, linked from the edition home and every chapter page.
    pub(super) pdf: Option<Link>,
}

/// Wraps a page's sections into the shared shell (navigation, switchers, metadata).
pub(crate) fn finish(v: &EditionView, spec: PageSpec) -> Result<PageJob, SiteError> {
    let path = v.path(&spec.rel);
    let other = v.lang.other();
    let href = |site_path: &str| links::relative(&path, site_path);
    let alternates: Vec<(&'static str, String)> =
        Lang::ALL.iter().map(|l| (l.html_tag(), links::in_language(&path, l.code()))).collect();
    let absolute = |p: &str| v.opts.base_url.as_deref().map(|b| links::absolute(b, p));

    let nav = CHAPTERS
        .iter()
        .map(|c| Ok(Link { current: c.nav == spec.nav, ..Link::new(v.t(c.label)?, href(&v.path(&c.page.rel(v.ed)))) }))
        .collect::<Result<Vec<_>, SiteError>>()?;
    let mut nav = nav;
    nav.extend(nav::plan_chapters(v, &spec.rel, &path)?); // plan chapters (issue 17)
    nav.extend(nav::tools(v, spec.nav, &path)?); // the reader's tools (issue 24)
    // Edition switcher: the editions known when this page is built (a frozen page cannot know
    // later ones), each leading to this page's counterpart there, and the archive page, which
    // always lists all.
    let editions = v
        .editions
        .iter()
        .map(|other| {
            let y = other.year;
            let rel = counterpart(&spec.rel, v.ed, other);
            (y, Link { current: y == v.ed.year, ..Link::new(y.to_string(), href(&format!("{y}/{}/{rel}", v.lang.code()))) })
        })
        .collect();
    let editions = nav::with_archived(v, editions, &path); // editions before the tool (issue 17)
    let mut breadcrumbs = Vec::new();
    for (label, rel) in &spec.breadcrumbs {
        breadcrumbs.push(Link::new(label.clone(), rel.as_deref().map(|r| href(&v.path(r))).unwrap_or_default()));
    }
    let toc = spec
        .sections
        .iter()
        .filter_map(|s| s.heading.as_ref().map(|h| TocItem { id: s.id.clone(), label: h.clone(), level: s.level }))
        .collect();
    let og_image = spec
        .og_figure
        .or(Some(FigureKey::Map(0)))
        .and_then(|k| v.figure(k))
        .and_then(|f| f.png.as_deref())
        .map(|png| absolute(png).unwrap_or_else(|| href(png)));
    let title = if spec.rel == PageKey::Home.rel(v.ed) {
        spec.title.clone()
    } else {
        format!("{} · {}", spec.title, v.ed.title.get(v.lang))
    };
    let draft_banner = v.opts.preview && (spec.draft || v.ed.status == crate::model::Status::Draft);
    let canonical = absolute(&path);
    let print = super::print::view(v, &spec.rel, &spec.title, canonical.as_deref());
    let shell = Shell {
        path: &path,
        root: links::to_root(&path),
        title,
        heading: &spec.title,
        description: &spec.description,
        canonical,
        og_image,
        alternates: alternates
            .iter()
            .map(|(tag, p)| Alternate { hreflang: tag, href: absolute(p).unwrap_or_else(|| href(p)) })
            .collect(),
        switch: Link::new(v.t("switch_language")?, href(&links::in_language(&path, other.code()))),
        switch_lang: other.html_tag(),
        nav,
        editions,
        archive: Link::new(v.t("all_editions")?, href("index.html")),
        breadcrumbs,
        toc,
        sections: &spec.sections,
        prev: spec.prev.map(|(label, rel)| Link::new(label, href(&v.path(&rel)))),
        next: spec.next.map(|(label, rel)| Link::new(label, href(&v.path(&rel)))),
        draft_banner,
        home_href: href(&v.path(&PageKey::Home.rel(v.ed))),
        // Each edition carries its own copy of the styles and fonts, so a frozen edition keeps its
        // look whatever later changes are made to the shared assets.
        assets: href(&format!("{}/assets/site.css", v.ed.year)).trim_end_matches("site.css").to_string(),
        fonts_css: href(crate::site::webfonts::FONTS_CSS),
        print,
        data_href: href(&v.path(&PageKey::Data.rel(v.ed))),
        pdf: v
            .book
            .as_ref()
            .filter(|_| links_to_book(v, &spec.rel))
            .map(|b| Link::new(b.label.clone(), href(&b.path))),
    };
    let mut context = v.base.clone();
    context.insert("page", &shell);
    if let Some(extra) = &spec.extra {
        context.insert("extra", extra);
    }
    Ok(PageJob {
        sitemap: Some(SitemapEntry { path: path.clone(), alternates }),
        path,
        template: spec.template,
        context,
        book: Some(BookPage { title: spec.title, sections: spec.sections }),
    })
}

/// Whether the page at `rel` links to the print edition: the edition home and every page the
/// book is made of (not the reader's tools, which have no printed form).
fn links_to_book(v: &EditionView, rel: &str) -> bool {
    PageKey::from_rel(rel, v.ed).is_some_and(|p| !matches!(p, PageKey::Weights | PageKey::Compare))
}
