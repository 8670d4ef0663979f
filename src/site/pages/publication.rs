//! Publication basics on the pages (issue 12): the citation, the "Publication" section of the data
//! page and the schema.org `Dataset` description of the downloads for dataset search engines.
//!
//! Only what edition.toml states is shown. A missing date or contact is left out; a missing
//! licence is said, because whoever reuses the data needs to know that it was not stated.

use serde_json::{Value, json};

use super::blocks::{Block, Fact};
use crate::site::view::EditionView;
use crate::site::{SiteError, links};
use crate::format;
use crate::model::Lang;
use crate::catalogue::PageKey;

/// How to cite the edition in the page's language: as given in edition.toml, else made from the
/// publisher, title, year, date and (with `--base-url`) the address of the edition's home page.
pub(super) fn citation(v: &EditionView) -> Result<String, SiteError> {
    if let Some(cite) = &v.ed.publication.cite {
        return Ok(cite.get(v.lang).trim().to_string());
    }
    let year = v.ed.year.to_string();
    let mut parts: Vec<String> = Vec::new();
    if let Some(p) = &v.ed.publisher {
        parts.push(p.get(v.lang).trim().to_string());
    }
    parts.push(v.fill("cite_title", &[("title", v.ed.title.get(v.lang).trim()), ("year", &year)])?);
    parts.push(match &v.ed.publication.date {
        Some(d) => v.fill("cite_date", &[("date", &format::date(d, v.lang))])?,
        None => v.fill("cite_year", &[("year", &year)])?,
    });
    let mut text = parts.join(". ");
    match home_address(v) {
        Some(url) => text.push_str(&format!(". {url}")),
        None => text.push('.'),
    }
    Ok(text)
}

/// The absolute address of the edition's home page in the page's language, when the site's
/// address is known.
fn home_address(v: &EditionView) -> Option<String> {
    v.opts.base_url.as_deref().map(|b| links::absolute(b, &v.path(&PageKey::Home.rel(v.ed))))
}

/// The data page's "Publication" section: date, how to cite, licence, contact.
pub(super) fn section_block(v: &EditionView) -> Result<Block, SiteError> {
    let p = &v.ed.publication;
    let mut items = Vec::new();
    if let Some(d) = &p.date {
        items.push(Fact::new(v.t("pub_date")?, format::date(d, v.lang)));
    }
    items.push(Fact { class: Some("citation"), ..Fact::new(v.t("pub_cite")?, citation(v)?) });
    items.push(match &p.licence {
        Some(l) => Fact { href: l.url.clone(), rel: l.url.as_ref().map(|_| "license"), ..Fact::new(v.t("pub_licence")?, l.name.clone()) },
        None => Fact::new(v.t("pub_licence")?, v.t("pub_licence_unstated")?),
    });
    if let Some(c) = &p.contact {
        items.push(Fact { href: Some(links::contact_href(c)), ..Fact::new(v.t("pub_contact")?, c.trim_start_matches("mailto:")) });
    }
    // On screen only, as when this section was generated HTML: whether the book should print it
    // is a question of its own (it would add a page to every print edition).
    Ok(Block::Facts { items, print: false })
}

/// The media type of a download, from its file name.
fn media_type(file: &str) -> &'static str {
    match file.rsplit('.').next().unwrap_or("") {
        "csv" => "text/csv",
        "json" => "application/json",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xls" => "application/vnd.ms-excel",
        "zip" => "application/zip",
        "geojson" => "application/geo+json",
        _ => "application/octet-stream",
    }
}

/// schema.org `Dataset` of the edition's downloads, as the text of a
/// `<script type="application/ld+json">`: addresses absolute with `--base-url`, else relative to
/// the data page at `page`.
pub(super) fn dataset_jsonld(v: &EditionView, page: &str) -> Result<String, SiteError> {
    let ed = v.ed;
    let both = |zh: &str, en: &str| json!([{ "@language": "zh-CN", "@value": zh }, { "@language": "en", "@value": en }]);
    let address = |site_path: &str| match v.opts.base_url.as_deref() {
        Some(b) => links::absolute(b, site_path),
        None => links::relative(page, site_path),
    };
    let zh = |key: &str, args: &[(&str, &str)]| v.strings.fill(Lang::Zh, key, args);
    let en = |key: &str, args: &[(&str, &str)]| v.strings.fill(Lang::En, key, args);
    let year = ed.year.to_string();
    let districts = ed.districts.districts.len().to_string();
    let args_zh = [("title", ed.title.zh.as_str()), ("year", year.as_str()), ("n", districts.as_str())];
    let args_en = [("title", ed.title.en.as_str()), ("year", year.as_str()), ("n", districts.as_str())];
    let mut d = json!({
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": both(&zh("dataset_name", &args_zh)?, &en("dataset_name", &args_en)?),
        "description": both(&zh("dataset_description", &args_zh)?, &en("dataset_description", &args_en)?),
        "inLanguage": ["zh-CN", "en"],
        "temporalCoverage": year,
        "isAccessibleForFree": true,
        "distribution": v.input.downloads.iter().map(|dl| {
            let file = dl.path.rsplit('/').next().unwrap_or(&dl.path);
            let mut x = json!({ "@type": "DataDownload", "name": file, "encodingFormat": media_type(file), "contentUrl": address(&dl.path) });
            if let Some(b) = dl.bytes {
                x["contentSize"] = json!(format!("{b} B"));
            }
            x
        }).collect::<Vec<Value>>(),
    });
    if v.opts.base_url.is_some() {
        d["url"] = json!(address(page));
    }
    if let Some(p) = &ed.publisher {
        let org = json!({ "@type": "Organization", "name": both(&p.zh, &p.en) });
        d["creator"] = org.clone();
        d["publisher"] = org;
    }
    if let Some(date) = &ed.publication.date {
        d["datePublished"] = json!(date);
    }
    if let Some(l) = &ed.publication.licence {
        d["license"] = json!(l.url.clone().unwrap_or_else(|| l.name.clone()));
    }
    if let Some(c) = &ed.publication.contact {
        let href = crate::site::links::contact_href(c);
        let point = match href.strip_prefix("mailto:") {
            Some(mail) => json!({ "@type": "ContactPoint", "email": mail }),
            None => json!({ "@type": "ContactPoint", "url": href }),
        };
        if let Some(publisher) = d.get_mut("publisher") {
            publisher["contactPoint"] = point;
        }
    }
    d["citation"] = json!(citation(v)?);
    Ok(script_safe_json(&d))
}

/// JSON that cannot end its `<script>` element or open an HTML comment, whatever the strings in
/// it say: `<`, `>` and `&` are written as `\u` escapes, which JSON reads back unchanged.
pub(crate) fn script_safe_json(value: &Value) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_a_script_cannot_close_it() {
        let v = json!({ "name": "</script><script>alert(1)</script><!-- & -->" });
        let text = script_safe_json(&v);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn contacts_become_links() {
        assert_eq!(crate::site::links::contact_href("a@b.org"), "mailto:a@b.org");
        assert_eq!(crate::site::links::contact_href("https://x.org/c"), "https://x.org/c");
        assert_eq!(media_type("indices.csv"), "text/csv");
        assert_eq!(media_type("values.xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }
}
