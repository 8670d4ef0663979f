//! Pages outside the computed editions, one language each: the small home page of an edition from
//! before the tool (`<year>/<lang>/index.html`) with its plan chapters, and the site's plans pages
//! (`plans/<lang>/…`), made of the same blocks as every other page. Also the archived editions'
//! titles and holdings for the archive. Where a fact is not recorded, the page says "not known".

use serde::Serialize;

use super::blocks::{col, row, section, Block, Cell, Fact, Link, Section, Table};
use super::plans::{chapter, counts_in_words, progress, site_page, ChapterPlace};
use super::shell::Alternate;
use super::{PageJob, SitemapEntry};
use crate::i18n::Strings;
use crate::model::{ArchivedEdition, Lang, Plan};
use crate::output::SiteFiles;
use crate::site::markdown;
use crate::site::{links, EditionInput, RenderOptions, SiteError};

/// The title of an archived edition, or the series and year when its own title is not known.
pub(crate) fn archived_title(strings: &Strings, lang: Lang, a: &ArchivedEdition) -> Result<String, SiteError> {
    let year = a.year.to_string();
    match (&a.title, &a.series) {
        (Some(t), _) => Ok(t.get(lang).to_string()),
        (None, Some(s)) => Ok(strings.fill(lang, "archived_untitled", &[("series", s.get(lang)), ("year", &year)])?),
        (None, None) => Ok(strings.fill(lang, "archived_untitled_year", &[("year", &year)])?),
    }
}

/// "简介、4 项主要数值、规划目标进展" — what the site holds of an archived edition.
pub(crate) fn holdings(strings: &Strings, lang: Lang, a: &ArchivedEdition) -> Result<String, SiteError> {
    let mut parts = Vec::new();
    if a.summary.iter().any(|p| p.lang == lang) {
        parts.push(strings.get(lang, "holdings_summary")?.to_string());
    }
    match a.figures.len() {
        0 => {}
        1 => parts.push(strings.get(lang, "holdings_figure_one")?.to_string()),
        n => parts.push(strings.fill(lang, "holdings_figures", &[("n", &n.to_string())])?),
    }
    if !a.plans.is_empty() {
        parts.push(strings.get(lang, "holdings_plans")?.to_string());
    }
    if !a.attachments.is_empty() {
        parts.push(strings.get(lang, "holdings_attachments")?.to_string());
    }
    if parts.is_empty() {
        return Ok(strings.get(lang, "holdings_nothing")?.to_string());
    }
    let joined = parts.join(strings.get(lang, "list_sep")?);
    // Capitalise the first word in English ("Summary, 4 headline figures").
    let mut chars = joined.chars();
    Ok(match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => joined,
    })
}

#[derive(Serialize)]
struct Standalone {
    lang: &'static str,
    html_lang: &'static str,
    title: String,
    description: String,
    heading: String,
    kicker: Option<String>,
    alternates: Vec<Alternate>,
    assets: String,
    preview: bool,
    skip: String,
    brand: Link,
    brand_year: Option<u16>,
    editions_label: String,
    editions: Vec<Link>,
    archive: Link,
    switch: Link,
    switch_lang: &'static str,
    breadcrumbs_label: String,
    breadcrumbs: Vec<Link>,
    sections: Vec<Section>,
    footer: String,
}

/// What the standalone pages share: strings, options and every edition year with a home page.
struct Shared<'a> {
    strings: &'a Strings,
    opts: &'a RenderOptions,
    /// (year, is computed), newest first.
    years: Vec<(u16, bool)>,
}

struct PageParts {
    path: String,
    lang: Lang,
    title: String,
    kicker: Option<String>,
    brand: (String, String, Option<u16>),
    current_year: Option<u16>,
    breadcrumbs: Vec<(String, Option<String>)>,
    sections: Vec<Section>,
}

fn standalone(sh: &Shared, p: PageParts) -> Result<PageJob, SiteError> {
    let lang = p.lang;
    let s = |k: &str| sh.strings.get(lang, k).map(str::to_string);
    let href = |to: &str| links::relative(&p.path, to);
    let alternates: Vec<(&'static str, String)> =
        Lang::ALL.iter().map(|l| (l.html_tag(), links::in_language(&p.path, l.code()))).collect();
    let editions = sh
        .years
        .iter()
        .map(|(y, _)| Link { current: Some(*y) == p.current_year, ..Link::new(y.to_string(), href(&format!("{y}/{}/index.html", lang.code()))) })
        .collect();
    let page = Standalone {
        lang: lang.code(),
        html_lang: lang.html_tag(),
        title: p.title.clone(),
        description: p.title.clone(),
        heading: p.title,
        kicker: p.kicker,
        alternates: alternates.iter().map(|(tag, path)| Alternate { hreflang: tag, href: href(path) }).collect(),
        assets: href("assets/site.css").trim_end_matches("site.css").to_string(),
        preview: sh.opts.preview,
        skip: s("skip_to_content")?,
        brand: Link::new(p.brand.0, href(&p.brand.1)),
        brand_year: p.brand.2,
        editions_label: s("editions")?,
        editions,
        archive: Link::new(s("all_editions")?, href("index.html")),
        switch: Link::new(s("switch_language")?, href(&links::in_language(&p.path, lang.other().code()))),
        switch_lang: lang.other().html_tag(),
        breadcrumbs_label: s("breadcrumbs")?,
        breadcrumbs: p.breadcrumbs.into_iter().map(|(label, to)| Link::new(label, to.map(|t| href(&t)).unwrap_or_default())).collect(),
        sections: p.sections,
        footer: s("generated_by")?,
    };
    let mut context = tera::Context::new();
    context.insert("page", &page);
    context.insert("ui", sh.strings.all(lang));
    Ok(PageJob {
        sitemap: Some(SitemapEntry { path: p.path.clone(), alternates }),
        path: p.path,
        template: "standalone.html",
        context,
        book: None,
    })
}

/// Every page and file outside the computed editions: archived editions' pages and their
/// attachments (republished as they are), and the plans pages. Each plan's `plan-progress.csv` is
/// a download (`downloads::plan_downloads`).
pub(crate) fn extra_pages(
    editions: &[&EditionInput],
    strings: &Strings,
    opts: &RenderOptions,
) -> Result<(Vec<PageJob>, SiteFiles), SiteError> {
    let mut years: Vec<(u16, bool)> = editions.iter().map(|e| (e.edition.year, true)).collect();
    years.extend(opts.archived_editions.iter().filter(|a| !years.iter().any(|(y, _)| *y == a.year)).map(|a| (a.year, false)).collect::<Vec<_>>());
    years.sort_by_key(|(y, _)| std::cmp::Reverse(*y));
    let sh = Shared { strings, opts, years };
    let mut jobs = Vec::new();
    let mut files = SiteFiles::new();
    for a in &opts.archived_editions {
        for f in &a.attachments {
            files.insert(format!("{}/files/{}", a.year, f.file), f.bytes.clone());
        }
        for lang in Lang::ALL {
            jobs.push(archived_home(&sh, a, lang)?);
            for plan in a.plans.iter().filter_map(|id| opts.plans.iter().find(|p| &p.id == id)) {
                jobs.push(archived_plan(&sh, a, plan, lang)?);
            }
        }
    }
    if !opts.plans.is_empty() {
        for lang in Lang::ALL {
            jobs.push(plans_index(&sh, lang)?);
            for plan in &opts.plans {
                jobs.push(plan_page(&sh, plan, lang)?);
            }
        }
    }
    Ok((jobs, files))
}

fn archived_home(sh: &Shared, a: &ArchivedEdition, lang: Lang) -> Result<PageJob, SiteError> {
    let strings = sh.strings;
    let s = |k: &str| strings.get(lang, k);
    let heading = |k: &str| -> Result<Option<String>, SiteError> { Ok(Some(s(k)?.to_string())) };
    let path = format!("{}/{}/index.html", a.year, lang.code());
    let title = archived_title(strings, lang, a)?;
    let unknown = s("not_known")?;
    let mut sections = vec![section("intro", None, 2, vec![Block::Paragraph { text: s("archived_intro")?.to_string() }])];

    let title_fact = match (&a.title, &a.series) {
        (Some(t), _) => t.get(lang).to_string(),
        (None, Some(series)) => strings.fill(lang, "fact_title_unknown", &[("series", series.get(lang))])?,
        (None, None) => unknown.to_string(),
    };
    let published = a.published.as_deref().map(|d| crate::format::date(d, lang)).unwrap_or_else(|| unknown.to_string());
    let facts = [
        (s("fact_title")?, title_fact),
        (s("fact_publisher")?, a.publisher.as_ref().map(|p| p.get(lang).to_string()).unwrap_or_else(|| unknown.to_string())),
        (s("fact_published")?, published),
    ]
    .into_iter()
    .map(|(label, value)| Fact::new(label, value))
    .collect();
    sections.push(section("facts", heading("sec_archived_facts")?, 2, vec![Block::Facts { items: facts, print: true }]));

    let figures = if a.figures.is_empty() {
        Block::Paragraph { text: s("archived_no_figures")?.to_string() }
    } else {
        let rows = a
            .figures
            .iter()
            .map(|f| {
                let name = f.name.as_ref().map(|n| n.get(lang).to_string()).unwrap_or_else(|| f.indicator.clone());
                row(vec![Cell::head(name, None), Cell::num(f.value_text.clone()), Cell { class: Some("wrap"), ..Cell::text(f.basis.get(lang)) }])
            })
            .collect();
        Block::Table(Table {
            id: "table-figures".into(),
            label: None,
            caption: strings.fill(lang, "caption_archived_figures", &[("year", &a.year.to_string())])?,
            columns: vec![col(s("col_indicator_then")?, false), col(s("col_value_printed")?, true), col(s("col_basis")?, false)],
            rows,
            note: None,
            class: None,
            searchable: true,
        })
    };
    sections.push(section("figures", heading("sec_archived_figures")?, 2, vec![figures]));

    let summary = match a.summary.iter().find(|p| p.lang == lang && (!p.draft || sh.opts.drafts)) {
        Some(p) => Block::Html { html: markdown::to_html(&p.body), draft: false, print: None },
        None => Block::Paragraph { text: s("archived_no_summary")?.to_string() },
    };
    sections.push(section("summary", heading("sec_archived_summary")?, 2, vec![summary]));

    let plans: Vec<&Plan> = a.plans.iter().filter_map(|id| sh.opts.plans.iter().find(|p| &p.id == id)).collect();
    if !plans.is_empty() {
        let items = plans
            .into_iter()
            .map(|plan| {
                let href = links::relative(&path, &format!("{}/{}/{}", a.year, lang.code(), crate::catalogue::plan_chapter_rel(&plan.id)));
                let counts = counts_in_words(strings, lang, progress(sh.opts, plan, None, Some(a.year))?)?;
                Ok(Link::new(plan.name.get(lang), href).note(counts))
            })
            .collect::<Result<Vec<_>, SiteError>>()?;
        sections.push(section("plans", heading("sec_archived_plans")?, 2, vec![Block::Links { title: None, items }]));
    }
    if !a.attachments.is_empty() {
        let items = a
            .attachments
            .iter()
            .map(|f| Link::new(f.label.get(lang), links::relative(&path, &format!("{}/files/{}", a.year, f.file))).note(f.file.clone()).download())
            .collect();
        sections.push(section("attachments", heading("sec_attachments")?, 2, vec![Block::Links { title: None, items }]));
    }
    standalone(
        sh,
        PageParts {
            kicker: Some(strings.fill(lang, "archived_kicker", &[("year", &a.year.to_string())])?),
            brand: (title.clone(), path.clone(), Some(a.year)),
            path,
            lang,
            title,
            current_year: Some(a.year),
            breadcrumbs: Vec::new(),
            sections,
        },
    )
}

fn archived_plan(sh: &Shared, a: &ArchivedEdition, plan: &Plan, lang: Lang) -> Result<PageJob, SiteError> {
    let path = format!("{}/{}/{}", a.year, lang.code(), crate::catalogue::plan_chapter_rel(&plan.id));
    let place = ChapterPlace { page: &path, level: 2 };
    let sections = chapter(sh.strings, lang, plan, progress(sh.opts, plan, None, Some(a.year))?, &place)?;
    let home = format!("{}/{}/index.html", a.year, lang.code());
    let edition_title = archived_title(sh.strings, lang, a)?;
    standalone(
        sh,
        PageParts {
            kicker: Some(sh.strings.get(lang, "plan_chapter")?.to_string()),
            title: plan.name.get(lang).to_string(),
            brand: (edition_title.clone(), home.clone(), Some(a.year)),
            current_year: Some(a.year),
            breadcrumbs: vec![(edition_title, Some(home)), (sh.strings.get(lang, "plan_chapter")?.to_string(), None)],
            path,
            lang,
            sections,
        },
    )
}

fn plans_index(sh: &Shared, lang: Lang) -> Result<PageJob, SiteError> {
    let strings = sh.strings;
    let path = crate::catalogue::plans_index(lang.code());
    let items = sh
        .opts
        .plans
        .iter()
        .map(|plan| {
            let counts = counts_in_words(strings, lang, progress(sh.opts, plan, None, None)?)?;
            let period = strings.fill(lang, "plan_period", &[("start", &plan.start_year.to_string()), ("end", &plan.end_year.to_string())])?;
            Ok(Link::new(plan.name.get(lang), links::relative(&path, &site_page(plan, lang))).note(format!("{period} · {counts}")))
        })
        .collect::<Result<Vec<_>, SiteError>>()?;
    let intro = Block::Paragraph { text: strings.get(lang, "plans_intro")?.to_string() };
    let sections = vec![section("plans", None, 2, vec![intro, Block::Links { title: None, items }])];
    let title = strings.get(lang, "plans_title")?.to_string();
    standalone(
        sh,
        PageParts {
            brand: (title.clone(), path.clone(), None),
            kicker: None,
            current_year: None,
            breadcrumbs: vec![(strings.get(lang, "archive_home")?.to_string(), Some("index.html".into())), (title.clone(), None)],
            path,
            lang,
            title,
            sections,
        },
    )
}

fn plan_page(sh: &Shared, plan: &Plan, lang: Lang) -> Result<PageJob, SiteError> {
    let path = site_page(plan, lang);
    let place = ChapterPlace { page: &path, level: 2 };
    let sections = chapter(sh.strings, lang, plan, progress(sh.opts, plan, plan.district.as_deref(), None)?, &place)?;
    let plans_title = sh.strings.get(lang, "plans_title")?.to_string();
    let index = crate::catalogue::plans_index(lang.code());
    standalone(
        sh,
        PageParts {
            kicker: Some(sh.strings.get(lang, "plan_chapter")?.to_string()),
            title: plan.name.get(lang).to_string(),
            brand: (plans_title.clone(), index.clone(), None),
            current_year: None,
            breadcrumbs: vec![(plans_title, Some(index)), (plan.name.get(lang).to_string(), None)],
            path,
            lang,
            sections,
        },
    )
}
