//! One view per page. Views hold display-ready strings and relative links; templates only lay
//! them out, so a project overriding a template cannot get numbers or links wrong.

mod blocks;
mod changes;
mod nav;
mod shell;

mod chapters;
mod districts;
mod regional;
mod root;
// Editions before the tool and plan progress (issue 17).
mod archived;
mod plans;
// Rank intervals, the reader's own weights, comparing districts (issue 16).
mod uncertainty;
mod explore;
// Publication basics, citation and the Dataset description (issue 12).
mod publication;
mod print;
// Raw values beside the scores, methods in words, effective weights (issue #13).
mod raw;
pub(crate) use explore::{data_script, data_script_path};


use super::view::{EditionView, Narrative};
use super::{SiteError, links};
use crate::format;
use crate::catalogue::{indicator_rel, FigureKey, NarrativeKey, PageKey, TableKey};
use crate::model::{Edition, Lang};

use blocks::{col, row, section, Cell, Column, Row};
use changes::{change_note, city_change_column, value_change_cell};

pub(crate) use archived::extra_pages;
pub(crate) use blocks::{Block, FigureView, Section, Stat, Table};
pub(crate) use root::root_pages;

/// A page waiting to be rendered.
pub(crate) struct PageJob {
    pub path: String,
    pub template: &'static str,
    pub context: tera::Context,
    pub sitemap: Option<SitemapEntry>,
    /// The page's title and sections, for the print edition (edition pages only).
    pub book: Option<BookPage>,
}

/// What the print edition takes of a page: its title and its sections, the same blocks the
/// templates lay out.
pub(crate) struct BookPage {
    pub title: String,
    pub sections: Vec<Section>,
}

/// A chapter of the print edition: its title ("第一章　评估体系与方法") and its pages, the first
/// of which is the chapter itself; later pages become its sections. Annexes are unnumbered.
pub(crate) struct BookChapter {
    pub title: String,
    pub numbered: bool,
    pub pages: Vec<BookPage>,
}

/// The chapters of the print edition, in the order of the web's navigation: framework and
/// method, overall results, regional results (its index, then every indicator's section), then
/// the district profiles and the data page as annexes.
///
/// Past [`BOOK_MAX_PROFILES`] districts the book keeps to what a reader can use on paper, and
/// says so where the rest would be: the regional chapter has the sections of the first-level
/// indices only (every indicator's ranking of 300 districts runs to some 2,000 pages), and the
/// profiles are left out. Every page left out is on the site.
pub(crate) fn book_chapters(v: &EditionView) -> Result<Vec<BookChapter>, SiteError> {
    let take = |job: PageJob| job.book.into_iter().collect::<Vec<_>>();
    let n_districts = v.ed.districts.districts.len();
    let large = n_districts > BOOK_MAX_PROFILES;
    let mut regional_pages = take(regional::index(v)?);
    let sections = v.section_nodes();
    let printed: Vec<usize> = sections.iter().copied().filter(|&i| !large || v.ed.tree.nodes[i].level <= 1).collect();
    if printed.len() < sections.len()
        && let Some(first) = regional_pages.first_mut()
    {
        let text = v.fill(
            "book_sections_left_out",
            &[("districts", &n_districts.to_string()), ("n", &(sections.len() - printed.len()).to_string())],
        )?;
        first.sections.push(section("sections-left-out", None, 2, vec![Block::Paragraph { text }]));
    }
    for i in printed {
        regional_pages.extend(take(regional::indicator(v, i)?));
    }
    let mut profiles = take(districts::index(v)?);
    if n_districts <= BOOK_MAX_PROFILES {
        for d in 0..n_districts {
            profiles.extend(take(districts::district(v, d)?));
        }
    } else if let Some(first) = profiles.first_mut() {
        let text = v.fill("book_profiles_left_out", &[("n", &n_districts.to_string())])?;
        first.sections.push(section("profiles-left-out", None, 2, vec![Block::Paragraph { text }]));
    }
    let chapter = |n: usize, label: &str, pages: Vec<BookPage>| -> Result<BookChapter, SiteError> {
        let title = v.fill("book_chapter", &[("n", &chapter_numeral(n, v.lang)), ("title", v.t(label)?)])?;
        Ok(BookChapter { title, numbered: true, pages })
    };
    let annex = |n: usize, label: &str, pages: Vec<BookPage>| -> Result<BookChapter, SiteError> {
        let letter = char::from(b'A' + (n - 1) as u8).to_string();
        let title = v.fill("book_annex", &[("n", &letter), ("title", v.t(label)?)])?;
        Ok(BookChapter { title, numbered: false, pages })
    };
    Ok(vec![
        chapter(1, "nav_method", take(chapters::method(v)?))?,
        chapter(2, "nav_overall", take(chapters::overall(v)?))?,
        chapter(3, "nav_regional", regional_pages)?,
        annex(1, "nav_districts", profiles)?,
        annex(2, "nav_data", take(chapters::data(v)?))?,
    ])
}

/// The most districts whose profiles the print edition includes.
pub(crate) const BOOK_MAX_PROFILES: usize = 60;

/// A chapter's number as the print writes it: 一, 二, 三 … in Chinese, 1, 2, 3 in English.
fn chapter_numeral(n: usize, lang: Lang) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match (lang, n) {
        (Lang::Zh, 1..=9) => DIGITS[n].to_string(),
        (Lang::Zh, 10) => "十".to_string(),
        (Lang::Zh, 11..=19) => format!("十{}", DIGITS[n - 10]),
        _ => n.to_string(),
    }
}

/// A page for the sitemap: its site path and its versions per language (hreflang, site path).
#[derive(Debug, Clone)]
pub(crate) struct SitemapEntry {
    pub path: String,
    pub alternates: Vec<(&'static str, String)>,
}

/// Makes the page(s) of one part of an edition in one language. Pages are made only as they
/// are rendered: a large edition's page contexts (tables of every district, inline maps) are
/// far too big to hold all at once.
pub(crate) type PageMaker = Box<dyn Fn(&EditionView) -> Result<Vec<PageJob>, SiteError> + Send + Sync>;

/// What makes every page of one edition in one language, in page order (the catalogue's, with
/// the plan chapters before the reader's tools).
pub(crate) fn edition_page_makers(v: &EditionView) -> Vec<PageMaker> {
    let (tools, pages): (Vec<PageKey>, Vec<PageKey>) =
        crate::catalogue::edition_pages(v.ed).into_iter().partition(|k| matches!(k, PageKey::Weights | PageKey::Compare));
    let one = |key: PageKey| -> PageMaker { Box::new(move |v| page(v, key).map(|job| vec![job])) };
    let mut makers: Vec<PageMaker> = pages.into_iter().map(one).collect();
    makers.push(Box::new(plans::edition_chapters)); // progress towards the edition's plans (issue 17)
    makers.extend(tools.into_iter().map(one)); // the reader's tools (issue 16)
    makers
}

/// The page `key`, made by its builder: one for every kind of page the catalogue names.
fn page(v: &EditionView, key: PageKey) -> Result<PageJob, SiteError> {
    match key {
        PageKey::Home => chapters::home(v),
        PageKey::Method => chapters::method(v),
        PageKey::Overall => chapters::overall(v),
        PageKey::Regional => regional::index(v),
        PageKey::Districts => districts::index(v),
        PageKey::Data => chapters::data(v),
        PageKey::Indicator(i) => regional::indicator(v, i),
        PageKey::District(d) => districts::district(v, d),
        PageKey::Weights => explore::weights(v),
        PageKey::Compare => explore::compare(v),
    }
}

/// Every page of one edition in one language.
pub(crate) fn edition_pages(v: &EditionView) -> Result<Vec<PageJob>, SiteError> {
    let mut jobs = Vec::new();
    for make in edition_page_makers(v) {
        jobs.extend(make(v)?);
    }
    Ok(jobs)
}

/// The pages that show narrative files `keys` (and only those), for a preview after a narrative
/// edit. Which page shows which narrative is fixed by the chapter layout (see docs/writing.md); a
/// file no page shows alone (the print's foreword, or one the catalogue does not know) renders
/// every page of the edition and language, which is always correct.
pub(crate) fn pages_for_content(v: &EditionView, keys: &[&str]) -> Result<Vec<PageJob>, SiteError> {
    let mut jobs: Vec<PageJob> = Vec::new();
    let mut done: Vec<String> = Vec::new();
    for key in keys {
        let shown_on = match NarrativeKey::of_file(key, &v.ed.tree) {
            Some(NarrativeKey::Home) => PageKey::Home,
            Some(NarrativeKey::Method) => PageKey::Method,
            Some(NarrativeKey::OverallIntro | NarrativeKey::OverallIndex | NarrativeKey::OverallFirst(_)) => PageKey::Overall,
            Some(NarrativeKey::RegionalIntro | NarrativeKey::RegionalRoot) => PageKey::Regional,
            Some(NarrativeKey::Section(i)) => PageKey::Indicator(i),
            Some(NarrativeKey::Districts) => PageKey::Districts,
            Some(NarrativeKey::Data) => PageKey::Data,
            Some(NarrativeKey::Front) | None => return edition_pages(v),
        };
        let job = page(v, shown_on)?;
        if !done.contains(&job.path) {
            done.push(job.path.clone());
            jobs.push(job);
        }
    }
    Ok(jobs)
}

// ---- helpers shared by the page builders ----

/// A narrative as a block, if there is one; its description feeds the page's meta description.
fn narrative_block(n: &Option<Narrative>) -> Option<Block> {
    n.as_ref().map(|n| Block::Html { html: n.html.clone(), draft: n.draft, print: Some(n.print.clone()) })
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
        class: None,
        searchable: false,
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
        narrow_svg: f.narrow_svg.clone(),
        narrow_reuses_wide: f.narrow_reuses_wide,
        compact: f.compact,
        natural: key == FigureKey::Framework,
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
    // Which mean the card shows (issue 24): of the district scores, not the score of a mean value.
    let note = v.t("score_mean_note")?;
    if v.is_new(i) {
        // Said once on the page (the indicator's facts and the table note), not under every mean.
        let mut out = vec![Stat::new(v.t("city_mean")?, v.num(r.city)).note(note)];
        out.extend(r.regions.iter().enumerate().map(|(ri, x)| Stat::new(v.region_name(ri), v.num(*x)).note(note)));
        return Ok(out);
    }
    let mut out = vec![Stat::new(v.t("city_mean")?, v.num(r.city)).note(note).change(change_note(v, i, v.city_change(i))?)];
    for (ri, value) in r.regions.iter().enumerate() {
        out.push(Stat::new(v.region_name(ri), v.num(*value)).note(note).change(change_note(v, i, v.region_change(i, ri))?));
    }
    Ok(out)
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
