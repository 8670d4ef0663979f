//! Pages outside any edition, all bilingual: the archive of every edition and version at the site
//! root, the stable `latest/` links that lead to the newest edition, and the 404 page.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{PageJob, SitemapEntry};
use crate::model::{Lang, Status};
use crate::i18n::Strings;
use crate::model::VersionId;
use crate::site::{EditionInput, RenderOptions, SiteError, links};

#[derive(Serialize)]
struct LangEntry {
    lang: &'static str,
    html_lang: &'static str,
    title: String,
    subtitle: Option<String>,
    enter: String,
    href: String,
    /// The `hreflang` alternate: absolute with `--base-url` (as search engines want it).
    alternate: String,
    latest_href: String,
    intro: String,
}

/// One row of the archive table: an edition, or a superseded version of one.
#[derive(Serialize)]
struct ArchiveRow {
    /// Anchor: `edition-2020`, `edition-2020-r1`.
    id: String,
    year: u16,
    superseded: bool,
    langs: Vec<ArchiveLang>,
}

/// What a row says in one language.
#[derive(Serialize)]
struct ArchiveLang {
    html_lang: &'static str,
    title: String,
    status: String,
    /// Name of the language in itself ("中文", "English"), the link text.
    read: String,
    href: String,
    /// The city value of the overall index, as published ("不详" / "Not known" when no source has it).
    headline: String,
    /// What the site holds of the edition.
    holdings: String,
}

/// "First" … "Fifth", then "6th": superseded versions are few.
fn ordinal_word(n: u32) -> String {
    match n {
        1 => "First".into(),
        2 => "Second".into(),
        3 => "Third".into(),
        4 => "Fourth".into(),
        5 => "Fifth".into(),
        n => format!("{n}{}", if (11..=13).contains(&(n % 100)) { "th" } else { ["th", "st", "nd", "rd", "th", "th", "th", "th", "th", "th"][(n % 10) as usize] }),
    }
}

/// "历年报告 / All editions": a label in both languages for the bilingual pages.
fn both(strings: &Strings, key: &str) -> Result<String, SiteError> {
    Ok(format!("{} / {}", strings.get(Lang::Zh, key)?, strings.get(Lang::En, key)?))
}

/// The rows of the archive, newest first: every rendered edition and every frozen one, each
/// followed by its superseded versions, newest first.
fn archive_rows(editions: &[&EditionInput], archived: &[VersionId], opts: &RenderOptions, strings: &Strings) -> Result<Vec<ArchiveRow>, SiteError> {
    let mut years: BTreeSet<u16> = editions.iter().map(|e| e.edition.year).collect();
    years.extend(archived.iter().filter(|a| a.revision == 0).map(|a| a.year));
    // Editions before the tool (issue 17): listed with what is known of them.
    years.extend(opts.archived_editions.iter().map(|a| a.year));
    let root_id = editions.first().map(|e| e.edition.tree.root().id.clone()).unwrap_or_default();
    let mut rows = Vec::new();
    for &year in years.iter().rev() {
        let input = editions.iter().find(|e| e.edition.year == year);
        let edition = input.map(|e| e.edition);
        let before_tool = opts.archived_editions.iter().find(|a| a.year == year).filter(|_| edition.is_none());
        let frozen = archived.iter().any(|a| a.year == year && a.revision == 0);
        let mut superseded: Vec<&VersionId> = archived.iter().filter(|a| a.year == year && a.revision > 0).collect();
        superseded.sort_by_key(|a| std::cmp::Reverse(a.revision));
        let versions = std::iter::once((None, year.to_string())).chain(superseded.iter().map(|a| (Some(a.revision), a.folder())));
        for (revision, prefix) in versions {
            let langs = Lang::ALL
                .iter()
                .map(|&lang| {
                    let status = match (revision, frozen, edition.map(|e| e.status)) {
                        _ if before_tool.is_some() => strings.get(lang, "status_before_tool")?.to_string(),
                        (Some(n), _, _) => strings
                            .fill(lang, "status_superseded", &[("n", &n.to_string()), ("nth", &ordinal_word(n))])?,
                        (None, true, _) => strings.get(lang, "status_frozen")?.to_string(),
                        (None, false, Some(Status::Draft)) => strings.get(lang, "status_draft")?.to_string(),
                        (None, false, _) => strings.get(lang, "status_published")?.to_string(),
                    };
                    let (headline, holdings) = match (input, before_tool) {
                        (Some(_), _) if revision.is_some() => ("—".to_string(), strings.get(lang, "holdings_full")?.to_string()),
                        (Some(e), _) => {
                            (crate::format::number(e.results.nodes[0].city, e.edition.precision), strings.get(lang, "holdings_full")?.to_string())
                        }
                        (None, Some(a)) => (
                            a.figures
                                .iter()
                                .find(|f| f.indicator == root_id)
                                .map(|f| f.value_text.clone())
                                .unwrap_or_else(|| strings.get(lang, "not_known").unwrap_or("—").to_string()),
                            super::archived::holdings(strings, lang, a)?,
                        ),
                        (None, None) => ("—".to_string(), strings.get(lang, "holdings_full")?.to_string()),
                    };
                    let title = match (edition, before_tool) {
                        (Some(e), _) => e.title.get(lang).to_string(),
                        (None, Some(a)) => super::archived::archived_title(strings, lang, a)?,
                        (None, None) => year.to_string(),
                    };
                    Ok(ArchiveLang {
                        html_lang: lang.html_tag(),
                        title,
                        status,
                        read: strings.get(lang.other(), "switch_language")?.to_string(),
                        href: format!("{prefix}/{}/index.html", lang.code()),
                        headline,
                        holdings,
                    })
                })
                .collect::<Result<Vec<_>, SiteError>>()?;
            rows.push(ArchiveRow { id: format!("edition-{prefix}"), year, superseded: revision.is_some(), langs });
        }
    }
    Ok(rows)
}

/// A page that sends the reader on to `target` (meta refresh, with a visible link).
fn redirect(path: &str, target_for: impl Fn(Lang) -> String, langs: &[Lang], strings: &Strings, title: &str) -> Result<PageJob, SiteError> {
    let links = langs
        .iter()
        .map(|&lang| {
            let target = links::relative(path, &target_for(lang));
            Ok(serde_json::json!({
                "lang": lang.html_tag(),
                "text": strings.get(lang, "redirect_text")?,
                "label": strings.get(lang, "enter_site")?,
                "href": target,
            }))
        })
        .collect::<Result<Vec<_>, SiteError>>()?;
    let mut context = tera::Context::new();
    context.insert("target", &links::relative(path, &target_for(langs[0])));
    context.insert("links", &links);
    context.insert("title", title);
    context.insert("assets", &links::relative(path, "assets/site.css").trim_end_matches("site.css"));
    Ok(PageJob { path: path.into(), template: "redirect.html", context, sitemap: None, book: None })
}

/// `index.html` (the archive), `latest/…` and `404.html` at the site root.
pub(crate) fn root_pages(
    editions: &[&EditionInput],
    strings: &Strings,
    opts: &RenderOptions,
) -> Result<Vec<PageJob>, SiteError> {
    let Some(latest) = editions.first() else {
        return Err(SiteError::Input { message: "no edition to render".into() });
    };
    let latest_year = latest.edition.year;
    let langs = Lang::ALL
        .iter()
        .map(|&lang| {
            let s = |k: &str| strings.get(lang, k).map(str::to_string);
            Ok(LangEntry {
                lang: lang.code(),
                html_lang: lang.html_tag(),
                title: latest.edition.title.get(lang).to_string(),
                subtitle: latest.edition.subtitle.as_ref().map(|t| t.get(lang).to_string()),
                enter: s("enter_site")?,
                href: format!("{latest_year}/{}/index.html", lang.code()),
                alternate: site_address(opts, &format!("{latest_year}/{}/index.html", lang.code())),
                latest_href: format!("latest/{}/index.html", lang.code()),
                intro: s("archive_intro")?,
            })
        })
        .collect::<Result<Vec<_>, SiteError>>()?;

    let mut root = tera::Context::new();
    root.insert("langs", &langs);
    root.insert("rows", &archive_rows(editions, &opts.archived, opts, strings)?);
    // The site's plans pages, when there are plans (issue 17).
    let plans: Vec<serde_json::Value> = if opts.plans.is_empty() {
        Vec::new()
    } else {
        Lang::ALL
            .iter()
            .map(|&lang| Ok(serde_json::json!({ "lang": lang.html_tag(), "label": strings.get(lang, "plans_title")?, "href": crate::catalogue::plans_index(lang.code()) })))
            .collect::<Result<_, SiteError>>()?
    };
    root.insert("plans", &plans);
    root.insert("preview", &opts.preview);
    root.insert("assets", "assets/");
    let labels = serde_json::json!({
        "archive": both(strings, "archive_title")?,
        "year": both(strings, "col_year")?,
        "report": both(strings, "col_edition_title")?,
        "status": both(strings, "col_status")?,
        "read": both(strings, "col_read")?,
        "headline": both(strings, "col_headline")?,
        "holdings": both(strings, "col_holdings")?,
        "latest": both(strings, "latest_link")?,
    });
    root.insert("labels", &labels);
    let title = langs.iter().map(|l| l.title.as_str()).collect::<Vec<_>>().join(" · ");
    root.insert("title", &format!("{} · {title}", both(strings, "archive_title")?));
    root.insert("canonical", &opts.base_url.as_deref().map(|b| links::absolute(b, "index.html")));
    // The root page itself chooses the language: the x-default for readers of any other.
    root.insert("x_default", &site_address(opts, "index.html"));

    // Stable links to the newest edition: latest/ (Chinese first, both offered), latest/zh/, latest/en/.
    let target = |lang: Lang| format!("{latest_year}/{}/index.html", lang.code());
    let latest_title = format!("{} · {title}", both(strings, "latest_newest")?);
    let mut pages = vec![redirect("latest/index.html", target, &Lang::ALL, strings, &latest_title)?];
    for lang in Lang::ALL {
        pages.push(redirect(&format!("latest/{}/index.html", lang.code()), target, &[lang], strings, &latest_title)?);
    }

    // The 404 page is served for any missing path, at any depth, so relative links cannot be
    // trusted there: with a base URL the links are absolute; otherwise a small script in the page
    // finds the site root (templates/404.html) and the relative links, right at the root, are
    // what a reader without JavaScript gets.
    let mut not_found = tera::Context::new();
    let prefix = opts.base_url.as_deref().map(|b| format!("{}/", b.trim_end_matches('/'))).unwrap_or_default();
    not_found.insert("find_root", &opts.base_url.is_none());
    let messages = Lang::ALL
        .iter()
        .map(|&lang| {
            // The newest edition's chapters and tools, and the archive (issue 24).
            let mut nav: Vec<(String, String)> = crate::catalogue::CHAPTERS
                .iter()
                .map(|c| Ok((strings.get(lang, c.label)?.to_string(), c.page.rel(latest.edition))))
                .collect::<Result<_, SiteError>>()?;
            for (key, label) in [(crate::catalogue::PageKey::Weights, "nav_weights"), (crate::catalogue::PageKey::Compare, "nav_compare")] {
                nav.push((strings.get(lang, label)?.to_string(), key.rel(latest.edition)));
            }
            let mut nav: Vec<serde_json::Value> = nav
                .into_iter()
                .map(|(label, rel)| {
                    let site_path = format!("{latest_year}/{}/{rel}", lang.code());
                    serde_json::json!({ "label": label, "href": format!("{prefix}{site_path}"), "site_path": site_path })
                })
                .collect();
            nav.push(serde_json::json!({ "label": strings.get(lang, "archive_title")?, "href": format!("{prefix}index.html"), "site_path": "index.html" }));
            Ok(serde_json::json!({
                "lang": lang.html_tag(),
                "code": lang.code(),
                "heading": strings.get(lang, "not_found")?,
                "text": strings.get(lang, "not_found_text")?,
                "home": strings.get(lang, "enter_site")?,
                "href": format!("{prefix}{latest_year}/{}/index.html", lang.code()),
                "site_path": format!("{latest_year}/{}/index.html", lang.code()),
                "nav": nav,
                "ui": strings.all(lang),
            }))
        })
        .collect::<Result<Vec<_>, SiteError>>()?;
    not_found.insert("prefix", &prefix);
    // What the page loads (styles, fonts, search) comes from the site's own path on the same
    // server ("/report/"), never from an absolute address: a page loads nothing from elsewhere.
    not_found.insert("load_prefix", &opts.base_url.as_deref().map(site_root_path).unwrap_or_default());
    not_found.insert("year", &latest_year);
    not_found.insert("messages", &messages);
    not_found.insert("preview", &opts.preview);
    not_found.insert("title", &format!("404 · {title}"));

    pages.push(PageJob {
        path: "index.html".into(),
        template: "root.html",
        context: root,
        sitemap: Some(SitemapEntry { path: "index.html".into(), alternates: Vec::new() }),
        book: None,
    });
    pages.push(PageJob { path: "404.html".into(), template: "404.html", context: not_found, sitemap: None, book: None });
    Ok(pages)
}

/// Site path `path` as an absolute address with `--base-url`, else as it is (relative to the root).
fn site_address(opts: &RenderOptions, path: &str) -> String {
    opts.base_url.as_deref().map(|b| links::absolute(b, path)).unwrap_or_else(|| path.to_string())
}

/// The path of a base URL ("https://example.org/report/" → "/report/"; a bare host → "/").
fn site_root_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    format!("{}/", path.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::{ordinal_word, site_root_path};

    #[test]
    fn the_404_page_loads_from_the_sites_own_path() {
        assert_eq!(site_root_path("https://example.org/report/"), "/report/");
        assert_eq!(site_root_path("https://example.org/report"), "/report/");
        assert_eq!(site_root_path("https://example.org"), "/");
    }

    #[test]
    fn ordinals() {
        assert_eq!(ordinal_word(1), "First");
        assert_eq!(ordinal_word(6), "6th");
        assert_eq!(ordinal_word(22), "22nd");
        assert_eq!(ordinal_word(12), "12th");
    }
}

