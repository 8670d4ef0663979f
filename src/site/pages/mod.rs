//! One view per page. Views hold display-ready strings and relative links; templates only lay
//! them out, so a project overriding a template cannot get numbers or links wrong.

mod chapters;
mod districts;
mod regional;
mod root;

use serde::Serialize;

use super::view::{EditionView, Narrative};
use super::{SiteError, links};
use crate::model::Lang;

pub(crate) use root::root_pages;

/// A page waiting to be rendered.
pub(crate) struct PageJob {
    pub path: String,
    pub template: &'static str,
    pub context: tera::Context,
    pub sitemap: Option<SitemapEntry>,
}

/// A page for the sitemap: its site path and its versions per language (hreflang, site path).
#[derive(Debug, Clone)]
pub(crate) struct SitemapEntry {
    pub path: String,
    pub alternates: Vec<(&'static str, String)>,
}

/// Every page of one edition in one language.
pub(crate) fn edition_pages(v: &EditionView) -> Result<Vec<PageJob>, SiteError> {
    let mut jobs = vec![
        chapters::home(v)?,
        chapters::method(v)?,
        chapters::overall(v)?,
        regional::index(v)?,
        districts::index(v)?,
        chapters::data(v)?,
    ];
    for i in v.section_nodes() {
        jobs.push(regional::indicator(v, i)?);
    }
    for d in 0..v.ed.districts.districts.len() {
        jobs.push(districts::district(v, d)?);
    }
    Ok(jobs)
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Link {
    pub label: String,
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub current: bool,
}

impl Link {
    fn new(label: impl Into<String>, href: String) -> Self {
        Link { label: label.into(), href, note: None, current: false }
    }
    fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

#[derive(Serialize)]
pub(crate) struct TreeItem {
    link: Link,
    level: u8,
}

#[derive(Serialize)]
struct Alternate {
    hreflang: &'static str,
    href: String,
}

#[derive(Serialize)]
struct TocItem {
    id: String,
    label: String,
    level: u8,
}

#[derive(Serialize)]
pub(crate) struct Cell {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    href: Option<String>,
    numeric: bool,
    /// A row header (`<th scope="row">`).
    th: bool,
    /// Indentation level for tree-shaped tables.
    indent: u8,
}

impl Cell {
    fn text(t: impl Into<String>) -> Self {
        Cell { text: t.into(), href: None, numeric: false, th: false, indent: 0 }
    }
    fn num(t: impl Into<String>) -> Self {
        Cell { numeric: true, ..Cell::text(t) }
    }
    fn head(t: impl Into<String>, href: Option<String>) -> Self {
        Cell { th: true, href, ..Cell::text(t) }
    }
    fn indent(mut self, level: usize) -> Self {
        self.indent = level.min(6) as u8;
        self
    }
}

#[derive(Serialize)]
pub(crate) struct Column {
    label: String,
    numeric: bool,
}

fn col(label: impl Into<String>, numeric: bool) -> Column {
    Column { label: label.into(), numeric }
}

#[derive(Serialize)]
pub(crate) struct Row {
    cells: Vec<Cell>,
    highlight: bool,
}

fn row(cells: Vec<Cell>) -> Row {
    Row { cells, highlight: false }
}

#[derive(Serialize)]
pub(crate) struct Table {
    id: String,
    /// "表 3-8" / "Table 3-8" when numbered.
    label: Option<String>,
    caption: String,
    columns: Vec<Column>,
    rows: Vec<Row>,
    note: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct FigureView {
    id: String,
    label: Option<String>,
    caption: String,
    svg: String,
    png: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct Stat {
    label: String,
    value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    href: Option<String>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(crate) enum Block {
    /// Narrative HTML made by [`super::markdown`]: safe to insert.
    Html { html: String, draft: bool },
    Paragraph { text: String },
    Steps { items: Vec<String> },
    Table(Table),
    Figure(FigureView),
    Stats { items: Vec<Stat> },
    Links { title: Option<String>, items: Vec<Link> },
    /// A nested list of links; `level` says how deep each item is.
    Tree { items: Vec<TreeItem> },
}

#[derive(Serialize)]
pub(crate) struct Section {
    id: String,
    heading: Option<String>,
    /// Heading level: 2 for sections, 3 for subsections.
    level: u8,
    blocks: Vec<Block>,
}

fn section(id: impl Into<String>, heading: Option<String>, level: u8, blocks: Vec<Block>) -> Section {
    Section { id: id.into(), heading, level, blocks }
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
    /// Key of the figure whose PNG serves as the preview image.
    pub og_figure: Option<String>,
    pub prev: Option<(String, String)>,
    pub next: Option<(String, String)>,
    pub draft: bool,
    /// Extra, page-specific data for the template (e.g. the home page's hero).
    pub extra: Option<serde_json::Value>,
}

impl PageSpec {
    fn new(rel: impl Into<String>, template: &'static str, nav: &'static str, title: impl Into<String>) -> Self {
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

/// Chapter pages in nav order: (nav key, path below `<year>/<lang>/`, UI string).
pub(crate) const CHAPTERS: &[(&str, &str, &str)] = &[
    ("home", "index.html", "nav_home"),
    ("method", "method.html", "nav_method"),
    ("overall", "overall.html", "nav_overall"),
    ("regional", "regional/index.html", "nav_regional"),
    ("districts", "districts/index.html", "nav_districts"),
    ("data", "data.html", "nav_data"),
];

#[derive(Serialize)]
struct Shell<'a> {
    path: &'a str,
    root: String,
    title: String,
    heading: &'a str,
    description: &'a str,
    canonical: Option<String>,
    og_image: Option<String>,
    alternates: Vec<Alternate>,
    switch: Link,
    switch_lang: &'static str,
    nav: Vec<Link>,
    editions: Vec<Link>,
    breadcrumbs: Vec<Link>,
    toc: Vec<TocItem>,
    sections: &'a [Section],
    prev: Option<Link>,
    next: Option<Link>,
    draft_banner: bool,
    home_href: String,
    assets: String,
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
        .map(|(key, rel, label)| {
            Ok(Link { current: *key == spec.nav, ..Link::new(v.t(label)?, href(&v.path(rel))) })
        })
        .collect::<Result<Vec<_>, SiteError>>()?;
    // Edition switcher: the same page where it exists in every edition would need the other
    // edition's tree; until the archive lands, each entry leads to that edition's home page.
    let editions = v
        .years
        .iter()
        .map(|y| Link {
            current: *y == v.ed.year,
            ..Link::new(y.to_string(), href(&format!("{y}/{}/index.html", v.lang.code())))
        })
        .collect();
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
        .as_deref()
        .or(Some("map:overall"))
        .and_then(|k| v.figure(k))
        .and_then(|f| f.png.as_deref())
        .map(|png| absolute(png).unwrap_or_else(|| href(png)));
    let title = if spec.rel == "index.html" {
        spec.title.clone()
    } else {
        format!("{} · {}", spec.title, v.ed.title.get(v.lang))
    };
    let draft_banner = v.opts.preview && (spec.draft || v.ed.status == crate::model::Status::Draft);
    let shell = Shell {
        path: &path,
        root: links::to_root(&path),
        title,
        heading: &spec.title,
        description: &spec.description,
        canonical: absolute(&path),
        og_image,
        alternates: alternates
            .iter()
            .map(|(tag, p)| Alternate { hreflang: tag, href: absolute(p).unwrap_or_else(|| href(p)) })
            .collect(),
        switch: Link::new(v.t("switch_language")?, href(&links::in_language(&path, other.code()))),
        switch_lang: other.html_tag(),
        nav,
        editions,
        breadcrumbs,
        toc,
        sections: &spec.sections,
        prev: spec.prev.map(|(label, rel)| Link::new(label, href(&v.path(&rel)))),
        next: spec.next.map(|(label, rel)| Link::new(label, href(&v.path(&rel)))),
        draft_banner,
        home_href: href(&v.path("index.html")),
        // Each edition carries its own copy of the styles and fonts, so a frozen edition keeps its
        // look whatever later changes are made to the shared assets.
        assets: href(&format!("{}/assets/site.css", v.ed.year)).trim_end_matches("site.css").to_string(),
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
    })
}

// ---- helpers shared by the page builders ----

/// A narrative as a block, if there is one; its description feeds the page's meta description.
fn narrative_block(n: &Option<Narrative>) -> Option<Block> {
    n.as_ref().map(|n| Block::Html { html: n.html.clone(), draft: n.draft })
}

fn narrative_is_draft(n: &Option<Narrative>) -> bool {
    n.as_ref().is_some_and(|n| n.draft)
}

/// "表 3-8" / "Table 3-8".
fn table_label(v: &EditionView, number: &str) -> Result<String, SiteError> {
    v.fill("table_label", &[("n", number)])
}

/// A table, numbered if `key` has a number in the print's scheme. The anchor is the number
/// (`table-3-8`) or, for unnumbered tables, `table-<fallback>`.
fn table(
    v: &EditionView,
    key: &str,
    fallback_id: &str,
    caption: String,
    columns: Vec<Column>,
    rows: Vec<Row>,
) -> Result<Table, SiteError> {
    let number = v.numbering.table(key);
    Ok(Table {
        id: match number {
            Some(n) => format!("table-{n}"),
            None => format!("table-{fallback_id}"),
        },
        label: number.map(|n| table_label(v, n)).transpose()?,
        caption,
        columns,
        rows,
        note: None,
    })
}

/// The figure `key` for the page at `page_path`, or `None` if the chart stage did not make it.
/// `numbered` is false where the same figure is repeated away from its place in the print.
fn figure(
    v: &EditionView,
    page_path: &str,
    key: &str,
    caption: String,
    numbered: bool,
) -> Result<Option<Block>, SiteError> {
    let Some(f) = v.figure(key) else { return Ok(None) };
    let number = if numbered { v.numbering.figure(key) } else { None };
    let slug: String = key.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    Ok(Some(Block::Figure(FigureView {
        id: match number {
            Some(n) => format!("figure-{n}"),
            None => format!("figure-{slug}"),
        },
        label: number.map(|n| v.fill("figure_label", &[("n", n)])).transpose()?,
        caption,
        svg: f.svg.clone(),
        png: f.png.as_deref().map(|p| links::relative(page_path, p)),
    })))
}

/// Caption of the chart/table of `i`'s children: "新型基础设施指数二级指标" / "New Infrastructure
/// Index: second-level indices"; below the first level: "新型基础设施指数 — 基础能力".
fn children_caption(v: &EditionView, i: usize) -> Result<String, SiteError> {
    let node = &v.ed.tree.nodes[i];
    match node.level {
        0 | 1 => v.fill("caption_children", &[("name", v.ind_name(i)), ("level", v.t(&format!("level_{}", node.level + 1))?)]),
        _ => {
            let parent = v.ed.tree.parent_of(i).unwrap_or(0);
            v.fill("caption_child_of", &[("parent", v.ind_name(parent)), ("name", v.ind_name(i))])
        }
    }
}

/// Site path (below `<year>/<lang>/`) of an indicator's section; the root's is the chapter page.
fn indicator_rel(v: &EditionView, i: usize) -> String {
    if i == 0 { "regional/index.html".into() } else { format!("regional/{}.html", v.ed.tree.nodes[i].id) }
}

fn district_rel(v: &EditionView, d: usize) -> String {
    format!("districts/{}.html", v.ed.districts.districts[d].id)
}

/// The city, each region: label and published value of node `i`.
fn means(v: &EditionView, i: usize) -> Result<Vec<Stat>, SiteError> {
    let r = &v.res.nodes[i];
    let mut out = vec![Stat { label: v.t("city_mean")?.into(), value: v.num(r.city), note: None, href: None }];
    for (ri, value) in r.regions.iter().enumerate() {
        out.push(Stat { label: v.region_name(ri).into(), value: v.num(*value), note: None, href: None });
    }
    Ok(out)
}

/// Table of a node's children with weight, city and region values.
fn children_table(v: &EditionView, page_rel: &str, i: usize, key: &str) -> Result<Table, SiteError> {
    let page = v.path(page_rel);
    let mut columns = vec![col(v.t("col_indicator")?, false), col(v.t("col_weight")?, true), col(v.t("city")?, true)];
    for r in 0..v.ed.districts.regions.len() {
        columns.push(col(v.region_name(r), true));
    }
    let mut rows = Vec::new();
    for c in v.index_children(i) {
        let r = &v.res.nodes[c];
        let mut cells = vec![
            Cell::head(v.ind_name(c), Some(links::relative(&page, &v.path(&indicator_rel(v, c))))),
            Cell::num(super::format::percent(v.ed.tree.nodes[c].weight)),
            Cell::num(v.num(r.city)),
        ];
        cells.extend(r.regions.iter().map(|x| Cell::num(v.num(*x))));
        rows.push(row(cells));
    }
    table(v, key, &format!("children-{}", v.ed.tree.nodes[i].id), children_caption(v, i)?, columns, rows)
}
