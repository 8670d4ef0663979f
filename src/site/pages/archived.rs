//! Pages outside the computed editions, one language each: the small home page of an edition from
//! before the tool (`<year>/<lang>/index.html`) with its plan chapters, and the site's plans pages
//! (`plans/<lang>/…`). Also the archived editions' place in the edition switcher, the archive and
//! the history tables. Where a fact is not recorded, the page says "not known".

use serde::Serialize;

use super::plans::{chapter_html, csv_path, site_page, status_words, ChapterPlace};
use super::*;
use crate::compute::plans::{plan_progress, status_counts};
use crate::model::{ArchivedEdition, Plan};
use crate::output::SiteFiles;
use crate::i18n::Strings;
use crate::site::markdown;
use crate::site::templates::escape_html as esc;
use crate::site::{EditionInput, RenderOptions};

/// Site path of the home page of edition `year` in the view's language, when the site has one:
/// a computed edition of the build or an archived edition.
pub(crate) fn edition_home(v: &EditionView, year: u16) -> Option<String> {
    let exists = v.editions.iter().any(|e| e.year == year) || v.opts.archived_editions.iter().any(|a| a.year == year);
    exists.then(|| format!("{year}/{}/index.html", v.lang.code()))
}

/// The edition switcher of a computed edition's page with the archived editions added, newest
/// first. Only editions up to the page's own are known to a frozen page, so later archived
/// years are left out just as later computed ones are.
pub(crate) fn with_archived(v: &EditionView, mut editions: Vec<(u16, Link)>, page: &str) -> Vec<Link> {
    for a in v.opts.archived_editions.iter().filter(|a| a.year < v.ed.year) {
        if !editions.iter().any(|(y, _)| *y == a.year) {
            let href = links::relative(page, &format!("{}/{}/index.html", a.year, v.lang.code()));
            editions.push((a.year, Link::new(a.year.to_string(), href)));
        }
    }
    editions.sort_by_key(|(y, _)| std::cmp::Reverse(*y));
    editions.into_iter().map(|(_, l)| l).collect()
}

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
    body: String,
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
    body: String,
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
        body: p.body,
        footer: s("generated_by")?,
    };
    let mut context = tera::Context::new();
    context.insert("page", &page);
    Ok(PageJob {
        sitemap: Some(SitemapEntry { path: p.path.clone(), alternates }),
        path: p.path,
        template: "standalone.html",
        context,
        book: None,
    })
}

/// Every page and file outside the computed editions: archived editions' pages and attachments,
/// the plans pages and each plan's `plan-progress.csv`.
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
        for plan in &opts.plans {
            let progress = plan_progress(plan, None, None);
            files.insert(csv_path(plan), crate::downloads::plan_progress_csv(plan, &progress));
        }
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
    let path = format!("{}/{}/index.html", a.year, lang.code());
    let title = archived_title(strings, lang, a)?;
    let unknown = s("not_known")?;
    let mut body = format!("<p class=\"generated\">{}</p>", esc(s("archived_intro")?));

    body.push_str(&format!("<section id=\"facts\" class=\"section level-2\"><h2>{}</h2><dl class=\"facts\">", esc(s("sec_archived_facts")?)));
    let title_fact = match (&a.title, &a.series) {
        (Some(t), _) => t.get(lang).to_string(),
        (None, Some(series)) => strings.fill(lang, "fact_title_unknown", &[("series", series.get(lang))])?,
        (None, None) => unknown.to_string(),
    };
    let published = a.published.as_deref().map(|d| crate::format::date(d, lang)).unwrap_or_else(|| unknown.to_string());
    for (label, value) in [
        (s("fact_title")?, title_fact),
        (s("fact_publisher")?, a.publisher.as_ref().map(|p| p.get(lang).to_string()).unwrap_or_else(|| unknown.to_string())),
        (s("fact_published")?, published),
    ] {
        body.push_str(&format!("<div><dt>{}</dt><dd>{}</dd></div>", esc(label), esc(&value)));
    }
    body.push_str("</dl></section>");

    body.push_str(&format!("<section id=\"figures\" class=\"section level-2\"><h2>{}</h2>", esc(s("sec_archived_figures")?)));
    if a.figures.is_empty() {
        body.push_str(&format!("<p>{}</p>", esc(s("archived_no_figures")?)));
    } else {
        let caption = strings.fill(lang, "caption_archived_figures", &[("year", &a.year.to_string())])?;
        body.push_str(&format!(
            "<div class=\"table-block\" id=\"table-figures\"><p class=\"caption\" id=\"table-figures-caption\">{}</p><div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"table-figures-caption\"><table data-searchable><thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            esc(&caption),
            esc(s("col_indicator_then")?),
            esc(s("col_value_printed")?),
            esc(s("col_basis")?)
        ));
        for f in &a.figures {
            let name = f.name.as_ref().map(|n| n.get(lang).to_string()).unwrap_or_else(|| f.indicator.clone());
            body.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"wrap\">{}</td></tr>",
                esc(&name),
                esc(&f.value_text),
                esc(f.basis.get(lang))
            ));
        }
        body.push_str("</tbody></table></div></div>");
    }
    body.push_str("</section>");

    body.push_str(&format!("<section id=\"summary\" class=\"section level-2\"><h2>{}</h2>", esc(s("sec_archived_summary")?)));
    match a.summary.iter().find(|p| p.lang == lang && (!p.draft || sh.opts.drafts)) {
        Some(p) => body.push_str(&format!("<div class=\"prose\">{}</div>", markdown::to_html(&p.body))),
        None => body.push_str(&format!("<p>{}</p>", esc(s("archived_no_summary")?))),
    }
    body.push_str("</section>");

    let plans: Vec<&Plan> = a.plans.iter().filter_map(|id| sh.opts.plans.iter().find(|p| &p.id == id)).collect();
    if !plans.is_empty() {
        body.push_str(&format!("<section id=\"plans\" class=\"section level-2\"><h2>{}</h2><ul class=\"plan-links\">", esc(s("sec_archived_plans")?)));
        for plan in plans {
            let href = links::relative(&path, &format!("{}/{}/plans/{}.html", a.year, lang.code(), plan.id));
            let counts = status_counts(&plan_progress(plan, None, Some(a.year)))
                .into_iter()
                .map(|(st, n)| Ok(strings.fill(lang, "status_count", &[("status", status_words(strings, lang, st)?), ("n", &n.to_string())])?))
                .collect::<Result<Vec<_>, SiteError>>()?
                .join(s("list_sep")?);
            body.push_str(&format!("<li><a href=\"{}\">{}</a> <span class=\"note\">{}</span></li>", esc(&href), esc(plan.name.get(lang)), esc(&counts)));
        }
        body.push_str("</ul></section>");
    }
    if !a.attachments.is_empty() {
        body.push_str(&format!("<section id=\"attachments\" class=\"section level-2\"><h2>{}</h2><ul>", esc(s("sec_attachments")?)));
        for f in &a.attachments {
            let href = links::relative(&path, &format!("{}/files/{}", a.year, f.file));
            body.push_str(&format!("<li><a href=\"{}\" download>{}</a> <span class=\"note\">{}</span></li>", esc(&href), esc(f.label.get(lang)), esc(&f.file)));
        }
        body.push_str("</ul></section>");
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
            body,
        },
    )
}

fn archived_plan(sh: &Shared, a: &ArchivedEdition, plan: &Plan, lang: Lang) -> Result<PageJob, SiteError> {
    let path = format!("{}/{}/plans/{}.html", a.year, lang.code(), plan.id);
    let place = ChapterPlace { page: &path, level: 2, as_of: Some(a.year), district: None };
    let body = chapter_html(sh.strings, lang, plan, &place)?;
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
            body,
        },
    )
}

fn plans_index(sh: &Shared, lang: Lang) -> Result<PageJob, SiteError> {
    let strings = sh.strings;
    let path = format!("plans/{}/index.html", lang.code());
    let mut body = format!("<p class=\"generated\">{}</p><ul class=\"plan-links\">", esc(strings.get(lang, "plans_intro")?));
    for plan in &sh.opts.plans {
        let counts = status_counts(&plan_progress(plan, None, None))
            .into_iter()
            .map(|(st, n)| Ok(strings.fill(lang, "status_count", &[("status", status_words(strings, lang, st)?), ("n", &n.to_string())])?))
            .collect::<Result<Vec<_>, SiteError>>()?
            .join(strings.get(lang, "list_sep")?);
        let period = strings.fill(lang, "plan_period", &[("start", &plan.start_year.to_string()), ("end", &plan.end_year.to_string())])?;
        let href = links::relative(&path, &site_page(plan, lang));
        body.push_str(&format!("<li><a href=\"{}\">{}</a> <span class=\"note\">{} · {}</span></li>", esc(&href), esc(plan.name.get(lang)), esc(&period), esc(&counts)));
    }
    body.push_str("</ul>");
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
            body,
        },
    )
}

fn plan_page(sh: &Shared, plan: &Plan, lang: Lang) -> Result<PageJob, SiteError> {
    let path = site_page(plan, lang);
    let place = ChapterPlace { page: &path, level: 2, as_of: None, district: plan.district.as_deref() };
    let body = chapter_html(sh.strings, lang, plan, &place)?;
    let plans_title = sh.strings.get(lang, "plans_title")?.to_string();
    let index = format!("plans/{}/index.html", lang.code());
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
            body,
        },
    )
}
