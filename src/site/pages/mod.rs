//! One view per page. Views hold display-ready strings and relative links; templates only lay
//! them out, so a project overriding a template cannot get numbers or links wrong.

mod chapters;
mod districts;
mod regional;
mod root;
// Editions before the tool and plan progress (issue 17).
mod archived;
mod plans;

use serde::Serialize;

use super::view::{EditionView, Narrative};
use super::{SiteError, links};
use crate::format;
use crate::catalogue::{indicator_rel, node_rel, FigureKey, PageKey, Scope, TableKey, CHAPTERS};
use crate::model::{Edition, Lang};

pub(crate) use archived::extra_pages;
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
    jobs.extend(plans::edition_chapters(v)?); // progress towards the edition's plans (issue 17)
    Ok(jobs)
}

/// The pages that show narrative file `key` (and only those), for a preview after a narrative
/// edit. Which page shows which file is fixed by the chapter layout (see docs/writing.md); a key
/// outside it renders every page of the edition and language, which is always correct.
pub(crate) fn pages_for_content(v: &EditionView, keys: &[&str]) -> Result<Vec<PageJob>, SiteError> {
    let root_id = v.ed.tree.root().id.as_str();
    let sections = v.section_nodes();
    let mut jobs: Vec<PageJob> = Vec::new();
    let mut done: Vec<String> = Vec::new();
    for key in keys {
        let job = match *key {
            "_index" => chapters::home(v)?,
            "method" => chapters::method(v)?,
            "data" => chapters::data(v)?,
            "districts" => districts::index(v)?,
            k if k.starts_with("overall/") => chapters::overall(v)?,
            "regional/_index" => regional::index(v)?,
            k if k.strip_prefix("regional/") == Some(root_id) => regional::index(v)?,
            k => match k.strip_prefix("regional/").and_then(|id| v.ed.tree.index_of(id)).filter(|i| sections.contains(i)) {
                Some(i) => regional::indicator(v, i)?,
                None => return edition_pages(v),
            },
        };
        if !done.contains(&job.path) {
            done.push(job.path.clone());
            jobs.push(job);
        }
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
    /// Text for screen readers that replaces `text` (a symbol such as "▲3" is then hidden from
    /// them and this read instead: "up 3 places").
    #[serde(skip_serializing_if = "Option::is_none")]
    sr: Option<String>,
    /// Extra class names ("change up", "change new").
    #[serde(skip_serializing_if = "Option::is_none")]
    class: Option<&'static str>,
    /// Language of the text when it differs from the page's (`lang` attribute).
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'static str>,
}

impl Cell {
    fn text(t: impl Into<String>) -> Self {
        Cell { text: t.into(), href: None, numeric: false, th: false, indent: 0, sr: None, class: None, lang: None }
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
    /// Change since the previous edition ("+3.91 on 2019"), under the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<String>,
}

impl Stat {
    fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Stat { label: label.into(), value: value.into(), note: None, href: None, change: None }
    }
    fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
    fn href(mut self, href: String) -> Self {
        self.href = Some(href);
        self
    }
    fn change(mut self, change: Option<String>) -> Self {
        self.change = change;
        self
    }
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
    /// The figure whose PNG serves as the preview image.
    pub og_figure: Option<FigureKey>,
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
    /// The archive page at the site root: every edition and version, also those published later.
    archive: Link,
    breadcrumbs: Vec<Link>,
    toc: Vec<TocItem>,
    sections: &'a [Section],
    prev: Option<Link>,
    next: Option<Link>,
    draft_banner: bool,
    home_href: String,
    assets: String,
    /// The site-wide web fonts' stylesheet (one copy at the site root, see `site::webfonts`).
    fonts_css: String,
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
    nav.extend(plans::nav_links(v, &spec.rel, &path)?); // plan chapters (issue 17)
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
    let editions = archived::with_archived(v, editions, &path); // editions before the tool (issue 17)
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
        archive: Link::new(v.t("all_editions")?, href("index.html")),
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
        fonts_css: href(crate::site::webfonts::FONTS_CSS),
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
    key: Option<TableKey>,
    fallback_id: &str,
    caption: String,
    columns: Vec<Column>,
    rows: Vec<Row>,
) -> Result<Table, SiteError> {
    let number = key.and_then(|k| v.numbering.table(k));
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
    key: FigureKey,
    caption: String,
    numbered: bool,
) -> Result<Option<Block>, SiteError> {
    let Some(f) = v.figure(key) else { return Ok(None) };
    let number = if numbered { v.numbering.figure(key) } else { None };
    Ok(Some(Block::Figure(FigureView {
        id: match number {
            Some(n) => format!("figure-{n}"),
            None => format!("figure-{}", key.anchor(v.ed)),
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

/// The page of edition `other` that corresponds to page `rel` of edition `current`: the same
/// chapter; the same indicator, followed through `continues` when it was renamed between the two
/// (either way round); the same district. Falls back to `other`'s home page.
fn counterpart(rel: &str, current: &Edition, other: &Edition) -> String {
    let theirs = match PageKey::from_rel(rel, current) {
        None => None,
        Some(PageKey::Indicator(i)) => {
            let node = &current.tree.nodes[i];
            let continuing = other.tree.nodes.iter().position(|n| n.continues.as_deref() == Some(node.id.as_str()));
            let candidates = [other.tree.index_of(&node.id), node.continues.as_deref().and_then(|c| other.tree.index_of(c)), continuing];
            // Every node below the root has a page.
            candidates.into_iter().flatten().find(|&o| o > 0).map(PageKey::Indicator)
        }
        Some(PageKey::District(d)) => other.districts.index_of(&current.districts.districts[d].id).map(PageKey::District),
        Some(chapter) => Some(chapter),
    };
    theirs.unwrap_or(PageKey::Home).rel(other)
}

/// The city, each region: label and published value of node `i`, with the change since the
/// previous edition where it is known.
fn means(v: &EditionView, i: usize) -> Result<Vec<Stat>, SiteError> {
    let r = &v.res.nodes[i];
    if v.is_new(i) {
        // Said once on the page (the indicator's facts and the table note), not under every mean.
        let mut out = vec![Stat::new(v.t("city_mean")?, v.num(r.city))];
        out.extend(r.regions.iter().enumerate().map(|(ri, x)| Stat::new(v.region_name(ri), v.num(*x))));
        return Ok(out);
    }
    let mut out = vec![Stat::new(v.t("city_mean")?, v.num(r.city)).change(change_note(v, i, v.city_change(i))?)];
    for (ri, value) in r.regions.iter().enumerate() {
        out.push(Stat::new(v.region_name(ri), v.num(*value)).change(change_note(v, i, v.region_change(i, ri))?));
    }
    Ok(out)
}

// ---- changes since the previous edition ----

/// "较 2019 年 +3.91" / "+3.91 on 2019" under a headline figure; "新增指标" / "new indicator" for
/// a node without a counterpart; `None` when nothing is known.
fn change_note(v: &EditionView, i: usize, change: Option<f64>) -> Result<Option<String>, SiteError> {
    let Some(year) = v.previous_year() else { return Ok(None) };
    if v.is_new(i) {
        return Ok(Some(v.fill("new_indicator_note", &[("year", &year.to_string())])?));
    }
    change
        .map(|c| v.fill("change_note", &[("year", &year.to_string()), ("change", &format::signed(c, v.ed.precision))]))
        .transpose()
}

/// A district's move on node `i` in words: "较 2020 年上升 3 位" / "up 3 places on 2020".
fn rank_change_note(v: &EditionView, i: usize, d: usize) -> Result<Option<String>, SiteError> {
    let (Some(year), Some(n)) = (v.previous_year(), v.rank_change(i, d)) else { return Ok(None) };
    let moved = rank_move_words(v, n)?;
    Some(v.fill("rank_change_note", &[("year", &year.to_string()), ("move", &moved)])).transpose()
}

/// "上升 3 位" / "up 3 places", "下降 1 位" / "down 1 place", "名次不变" / "rank unchanged".
fn rank_move_words(v: &EditionView, n: i32) -> Result<String, SiteError> {
    let count = n.unsigned_abs().to_string();
    match n {
        1 => v.fill("rank_up_one", &[]),
        -1 => v.fill("rank_down_one", &[]),
        n if n > 0 => v.fill("rank_up", &[("n", &count)]),
        n if n < 0 => v.fill("rank_down", &[("n", &count)]),
        _ => v.fill("rank_same", &[]),
    }
}

/// Columns "较 2020 年" / "Change on 2020" and, with `rank`, "名次变化" / "Rank change", when
/// district changes are known (a computed previous edition).
fn change_columns(v: &EditionView, rank: bool) -> Result<Vec<Column>, SiteError> {
    let Some(c) = v.changes() else { return Ok(Vec::new()) };
    let mut cols = vec![col(v.fill("col_change", &[("year", &c.previous_year.to_string())])?, true)];
    if rank {
        cols.push(col(v.t("col_rank_change")?, true));
    }
    Ok(cols)
}

/// A value change cell: "+1.23", the "new" marker for a node without a counterpart, or a dash.
fn value_change_cell(v: &EditionView, i: usize, change: Option<f64>) -> Result<Cell, SiteError> {
    if v.is_new(i) {
        return Ok(Cell { class: Some("change new"), ..Cell::num(v.t("new_marker")?) });
    }
    Ok(match change {
        Some(c) => Cell { class: Some("change"), ..Cell::num(format::signed(c, v.ed.precision)) },
        None => Cell { class: Some("change none"), sr: Some(v.t("no_comparison")?.into()), ..Cell::num("—") },
    })
}

/// A rank change cell: "▲3" / "▼2" / "–", read as "up 3 places" etc.
fn rank_change_cell(v: &EditionView, i: usize, change: Option<i32>) -> Result<Cell, SiteError> {
    if v.is_new(i) {
        return Ok(Cell { class: Some("change new"), sr: Some(v.t("new_indicator")?.into()), ..Cell::num("—") });
    }
    let Some(n) = change else {
        return Ok(Cell { class: Some("change none"), sr: Some(v.t("no_comparison")?.into()), ..Cell::num("—") });
    };
    let (text, class) = match n {
        n if n > 0 => (format!("▲{n}"), "change up"),
        n if n < 0 => (format!("▼{}", n.unsigned_abs()), "change down"),
        _ => ("–".to_string(), "change same"),
    };
    Ok(Cell { class: Some(class), sr: Some(rank_move_words(v, n)?), ..Cell::num(text) })
}

/// The change cells of district `d` on node `i` matching [`change_columns`].
fn change_cells(v: &EditionView, i: usize, d: usize, rank: bool) -> Result<Vec<Cell>, SiteError> {
    if v.changes().is_none() {
        return Ok(Vec::new());
    }
    let mut cells = vec![value_change_cell(v, i, v.value_change(i, d))?];
    if rank {
        cells.push(rank_change_cell(v, i, v.rank_change(i, d))?);
    }
    Ok(cells)
}

/// Whether a table of `nodes` gets a column with the city change: always with a computed previous
/// edition, with only a history file where it has a figure for one of them.
fn city_change_column(v: &EditionView, nodes: &[usize]) -> bool {
    v.changes().is_some() || nodes.iter().any(|&c| v.city_change(c).is_some())
}

/// Table of a node's children with weight, city and region values (and the city change).
fn children_table(v: &EditionView, page_rel: &str, i: usize, key: Option<TableKey>) -> Result<Table, SiteError> {
    let page = v.path(page_rel);
    let mut columns = vec![col(v.t("col_indicator")?, false), col(v.t("col_weight")?, true), col(v.t("city")?, true)];
    for r in 0..v.ed.districts.regions.len() {
        columns.push(col(v.region_name(r), true));
    }
    // Index children, then coefficients (which multiply instead of taking a weight).
    let nodes = &v.ed.tree.nodes;
    let mut children = v.index_children(i);
    children.extend(nodes[i].children.iter().copied().filter(|&c| nodes[c].kind == crate::model::IndicatorKind::Coefficient));
    let with_change = city_change_column(v, &children);
    if let Some(year) = v.previous_year().filter(|_| with_change) {
        columns.push(col(v.fill("col_city_change", &[("year", &year.to_string())])?, true));
    }
    let mut rows = Vec::new();
    for c in children {
        let r = &v.res.nodes[c];
        let weight = match nodes[c].kind {
            crate::model::IndicatorKind::Index => format::percent(nodes[c].weight),
            crate::model::IndicatorKind::Coefficient => v.t("multiplier")?.to_string(),
        };
        let mut cells = vec![
            Cell::head(v.ind_name(c), Some(links::relative(&page, &v.path(&indicator_rel(&v.ed.tree, c))))),
            Cell::num(weight),
            Cell::num(v.num(r.city)),
        ];
        cells.extend(r.regions.iter().map(|x| Cell::num(v.num(*x))));
        if with_change {
            cells.push(value_change_cell(v, c, v.city_change(c))?);
        }
        rows.push(row(cells));
    }
    table(v, key, &format!("children-{}", v.ed.tree.nodes[i].id), children_caption(v, i)?, columns, rows)
}
