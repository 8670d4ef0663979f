//! Pages outside any edition: the language choice at the site root and the 404 page.

use serde::Serialize;

use super::{PageJob, SitemapEntry};
use crate::model::Lang;
use crate::site::i18n::Strings;
use crate::site::{EditionInput, RenderOptions, SiteError, links};

#[derive(Serialize)]
struct LangEntry {
    lang: &'static str,
    html_lang: &'static str,
    title: String,
    subtitle: Option<String>,
    enter: String,
    href: String,
    editions_label: String,
    editions: Vec<EditionEntry>,
}

#[derive(Serialize)]
struct EditionEntry {
    year: u16,
    title: String,
    href: String,
}

/// `index.html` and `404.html` at the site root; both are bilingual.
pub(crate) fn root_pages(
    editions: &[&EditionInput],
    strings: &Strings,
    opts: &RenderOptions,
) -> Result<Vec<PageJob>, SiteError> {
    let Some(latest) = editions.first() else {
        return Err(SiteError::Input { message: "no edition to render".into() });
    };
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
                href: format!("{}/{}/index.html", latest.edition.year, lang.code()),
                editions_label: s("editions")?,
                editions: editions
                    .iter()
                    .map(|e| EditionEntry {
                        year: e.edition.year,
                        title: e.edition.title.get(lang).to_string(),
                        href: format!("{}/{}/index.html", e.edition.year, lang.code()),
                    })
                    .collect(),
            })
        })
        .collect::<Result<Vec<_>, SiteError>>()?;

    let mut root = tera::Context::new();
    root.insert("langs", &langs);
    root.insert("preview", &opts.preview);
    root.insert("assets", "assets/");
    let title = langs.iter().map(|l| l.title.as_str()).collect::<Vec<_>>().join(" · ");
    root.insert("title", &title);
    root.insert("canonical", &opts.base_url.as_deref().map(|b| links::absolute(b, "index.html")));

    // The 404 page is served for any missing path, at any depth, so relative links cannot be
    // trusted there: with a base URL the links are absolute, otherwise they assume the page sits
    // at the site root (true for the common case of a mistyped top-level path).
    let mut not_found = tera::Context::new();
    let prefix = opts.base_url.as_deref().map(|b| format!("{}/", b.trim_end_matches('/'))).unwrap_or_default();
    let messages = Lang::ALL
        .iter()
        .map(|&lang| {
            Ok(serde_json::json!({
                "lang": lang.html_tag(),
                "heading": strings.get(lang, "not_found")?,
                "text": strings.get(lang, "not_found_text")?,
                "home": strings.get(lang, "enter_site")?,
                "href": format!("{prefix}{}/{}/index.html", latest.edition.year, lang.code()),
            }))
        })
        .collect::<Result<Vec<_>, SiteError>>()?;
    not_found.insert("messages", &messages);
    not_found.insert("preview", &opts.preview);
    not_found.insert("title", &format!("404 · {title}"));

    Ok(vec![
        PageJob {
            path: "index.html".into(),
            template: "root.html",
            context: root,
            sitemap: Some(SitemapEntry { path: "index.html".into(), alternates: Vec::new() }),
        },
        PageJob { path: "404.html".into(), template: "404.html", context: not_found, sitemap: None },
    ])
}
