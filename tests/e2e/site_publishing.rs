//! The publishing side of the site (issue 12): what a printed page says and where the print
//! control is, publication basics (date, citation, licence, contact) on the pages, the schema.org
//! `Dataset` of the data page, the root page's language alternates and the 404 page's links.

use crate::common::site as site_common;

use cityreport::model::{Bilingual, Licence, Publication};
use cityreport::site::RenderOptions;
use serde_json::Value;
use site_common::*;

const BASE: &str = "https://example.org/report/";

fn with_base() -> RenderOptions {
    RenderOptions { base_url: Some(BASE.into()), ..Default::default() }
}

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = html.find(start)? + start.len();
    let to = html[from..].find(end)? + from;
    Some(&html[from..to])
}

/// The page's JSON-LD, parsed.
fn jsonld(html: &str) -> Value {
    let text = between(html, "<script type=\"application/ld+json\">", "</script>").expect("a JSON-LD script");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}\n{text}"))
}

/// `@value` of the entry in `@language` `lang` of a bilingual JSON-LD property.
fn in_language<'a>(v: &'a Value, lang: &str) -> &'a str {
    v.as_array().unwrap().iter().find(|x| x["@language"] == lang).unwrap()["@value"].as_str().unwrap()
}

#[test]
fn print_control_only_on_chapter_pages() {
    let (ed, res) = demo();
    let files = render(&ed, &res, &RenderOptions::default());
    let button = "class=\"print-button\"";
    for lang in ["zh", "en"] {
        let chapters = ["index.html", "method.html", "overall.html", "regional/index.html", "districts/index.html"]
            .into_iter()
            .map(String::from)
            .chain([format!("regional/{}.html", ed.tree.nodes[1].id), format!("districts/{}.html", ed.districts.districts[0].id)]);
        for page in chapters {
            let html = html(&files, &format!("2020/{lang}/{page}"));
            assert!(html.contains(button), "{lang}/{page} has no print control");
        }
        for page in ["data.html", "weights.html", "compare.html"] {
            assert!(!html(&files, &format!("2020/{lang}/{page}")).contains(button), "{lang}/{page} offers printing");
        }
    }
    for page in ["index.html", "404.html"] {
        assert!(!html(&files, page).contains(button), "{page} offers printing");
    }
}

#[test]
fn every_printed_sheet_names_report_year_and_address() {
    let (ed, res) = demo();
    for opts in [with_base(), RenderOptions::default()] {
        let files = render(&ed, &res, &opts);
        for (lang, title) in [("zh", &ed.title.zh), ("en", &ed.title.en)] {
            for page in ["method.html", "regional/index.html", "data.html"] {
                let path = format!("2020/{lang}/{page}");
                let html = html(&files, &path);
                let css = between(&html, "<style media=\"print\">", "</style>").unwrap_or_else(|| panic!("{path}: no print margins"));
                let top = between(css, "@top-left { content: \"", "\";").unwrap_or_else(|| panic!("{path}: {css}"));
                assert_eq!(top, format!("{} · {title}", ed.year), "{path}");
                let address = between(css, "@bottom-left { content: \"", "\";").unwrap_or_else(|| panic!("{path}: {css}"));
                match &opts.base_url {
                    Some(b) => assert_eq!(address, format!("{b}{path}")),
                    None => {
                        // The site path stands in; the script puts in the address being read.
                        assert_eq!(address, path);
                        assert!(html.contains("addEventListener(\"beforeprint\"") && html.contains("location.href"), "{path}");
                    }
                }
                if opts.base_url.is_some() {
                    assert!(!html.contains("addEventListener(\"beforeprint\""), "{path}: the address is known, no script needed");
                }
            }
        }
    }
}

/// The print rules of the site's stylesheet: A4 with page numbers, no navigation, long tables may
/// break (their header repeating) but charts may not.
#[test]
fn print_stylesheet_rules() {
    let (ed, res) = demo();
    let files = render(&ed, &res, &RenderOptions::default());
    let css = String::from_utf8(files.get("2020/assets/site.css").unwrap().to_vec()).unwrap();
    let print = &css[css.find("@media print").expect("a print block")..];
    let print = &print[..print.find("\n}\n").expect("end of the print block")];
    let page = between(print, "@page {", "\n  }").expect("an @page rule");
    assert!(page.contains("size: A4"), "{page}");
    assert!(between(page, "@bottom-right {", "}").is_some_and(|r| r.contains("counter(page)")), "{page}");
    // Each rule as (selectors, declarations).
    let rules: Vec<(&str, &str)> = print
        .split('}')
        .filter_map(|r| r.rsplit_once('{'))
        .map(|(sel, decl)| (sel.trim().rsplit('\n').next().unwrap_or("").trim(), decl.trim()))
        .collect();
    let rule_for = |selector: &str, property: &str| {
        rules
            .iter()
            .filter(|(sel, _)| sel.split(',').any(|s| s.trim() == selector))
            .find_map(|(_, decl)| decl.split(';').find_map(|d| d.split_once(':').filter(|(p, _)| p.trim() == property).map(|(_, v)| v.trim().to_string())))
    };
    for hidden in [".site-header", ".print-button", ".toc", ".pager", ".breadcrumbs"] {
        assert_eq!(rule_for(hidden, "display").as_deref(), Some("none !important"), "{hidden} is printed");
    }
    assert_eq!(rule_for(".chart", "break-inside").as_deref(), Some("avoid"));
    assert_eq!(rule_for("tr", "break-inside").as_deref(), Some("avoid"));
    assert_eq!(rule_for(".table-block", "break-inside").as_deref(), Some("auto"));
    assert_eq!(rule_for("thead", "display").as_deref(), Some("table-header-group"));
}

fn publication() -> Publication {
    Publication {
        date: Some("2020-12-10".into()),
        cite: None,
        licence: Some(Licence { name: "CC BY 4.0".into(), url: Some("https://creativecommons.org/licenses/by/4.0/".into()) }),
        contact: Some("data@example.org".into()),
    }
}

#[test]
fn publication_basics_on_footer_and_data_page() {
    let (mut ed, res) = demo();
    ed.publisher = Some(Bilingual::new("某研究中心", "A Research Centre"));
    ed.publication = publication();
    let files = render(&ed, &res, &with_base());
    let method = html(&files, "2020/en/method.html");
    let footer = between(&method, "<footer", "</footer>").unwrap();
    assert!(footer.contains("10 December 2020"), "{footer}");
    assert!(footer.contains("<a href=\"https://creativecommons.org/licenses/by/4.0/\" rel=\"license\">CC BY 4.0</a>"), "{footer}");
    assert!(footer.contains("href=\"mailto:data@example.org\""), "{footer}");
    assert!(footer.contains("href=\"data.html#publication\""), "{footer}");

    let data = html(&files, "2020/zh/data.html");
    let section = between(&data, "<section id=\"publication\"", "</section>").expect("a publication section");
    assert!(section.contains("2020 年 12 月 10 日"), "{section}");
    // Made from publisher, title, date and the edition's address.
    let cite = unescape(between(section, "<span class=\"citation\">", "</span>").unwrap());
    assert_eq!(cite, format!("某研究中心. {}[R/OL]. 2020 年 12 月 10 日. {BASE}2020/zh/index.html", ed.title.zh));
    let en = html(&files, "2020/en/data.html");
    let cite_en = unescape(between(&en, "<span class=\"citation\">", "</span>").unwrap());
    assert!(cite_en.starts_with("A Research Centre. ") && cite_en.contains(&ed.title.en) && cite_en.contains("10 December 2020"), "{cite_en}");

    // A citation the publisher asks for is shown as given.
    ed.publication.cite = Some(Bilingual::new("来源：某报告", "Source: a report"));
    let files = render(&ed, &res, &with_base());
    assert!(html(&files, "2020/en/data.html").contains("<span class=\"citation\">Source: a report</span>"));
}

#[test]
fn missing_publication_facts_are_left_out_or_said() {
    let (mut ed, res) = demo();
    ed.publication = Publication::default();
    let files = render(&ed, &res, &RenderOptions::default());
    let strings = cityreport::i18n::Strings::builtin().unwrap();
    for lang in cityreport::model::Lang::ALL {
        let data = html(&files, &format!("2020/{}/data.html", lang.code()));
        let section = between(&data, "<section id=\"publication\"", "</section>").unwrap();
        // The data page tells how its CSV files are encoded (UTF-8 with a BOM).
        assert!(unescape(&data).contains(strings.get(lang, "downloads_csv_bom").unwrap()));
        let unstated = strings.get(lang, "pub_licence_unstated").unwrap();
        assert!(section.contains(unstated), "{section}");
        assert!(!section.contains(strings.get(lang, "pub_date").unwrap()), "a date line without a date: {section}");
        assert!(!section.contains("mailto:"), "{section}");
        let footer = between(&data, "<footer", "</footer>").unwrap();
        assert!(!footer.contains(strings.get(lang, "published").unwrap()) && !footer.contains("rel=\"license\""), "{footer}");
        // The citation still names the report and its year, without an address it cannot know.
        let cite = unescape(between(section, "<span class=\"citation\">", "</span>").unwrap());
        assert!(cite.contains(ed.title.get(lang)) && cite.contains("2020") && !cite.contains("http"), "{cite}");
    }
}

#[test]
fn data_page_describes_the_downloads_as_a_dataset() {
    let (mut ed, res) = demo();
    ed.publication = publication();
    for opts in [with_base(), RenderOptions::default()] {
        let files = render(&ed, &res, &opts);
        let path = "2020/en/data.html";
        let d = jsonld(&html(&files, path));
        assert_eq!(d["@type"], "Dataset");
        assert_eq!(d["@context"], "https://schema.org");
        assert!(in_language(&d["name"], "zh-CN").contains(&ed.title.zh));
        assert!(in_language(&d["name"], "en").contains(&ed.title.en));
        assert!(!in_language(&d["description"], "en").is_empty());
        assert_eq!(d["temporalCoverage"], "2020");
        assert_eq!(d["datePublished"], "2020-12-10");
        assert_eq!(d["license"], "https://creativecommons.org/licenses/by/4.0/");
        let publisher = ed.publisher.as_ref().unwrap();
        assert_eq!(in_language(&d["publisher"]["name"], "zh-CN"), publisher.zh);
        assert_eq!(in_language(&d["creator"]["name"], "en"), publisher.en);
        assert_eq!(d["publisher"]["contactPoint"]["email"], "data@example.org");
        let dist = d["distribution"].as_array().unwrap();
        let downloads = downloads(ed.year);
        assert_eq!(dist.len(), downloads.len());
        for (x, dl) in dist.iter().zip(&downloads) {
            let url = x["contentUrl"].as_str().unwrap();
            match &opts.base_url {
                Some(b) => assert_eq!(url, format!("{b}{}", dl.path)),
                None => assert_eq!(resolve(path, url), dl.path),
            }
            let expected = if dl.path.ends_with(".csv") { "text/csv" } else { "application/json" };
            assert_eq!(x["encodingFormat"], expected, "{x}");
        }
    }
    // Without a licence there is no license property (nothing is guessed).
    ed.publication.licence = None;
    let d = jsonld(&html(&render(&ed, &res, &with_base()), "2020/zh/data.html"));
    assert!(d.get("license").is_none());
}

/// A title that tries to end the script and style elements stays text in them.
#[test]
fn hostile_title_cannot_escape_script_or_style() {
    let (mut ed, res) = demo();
    let hostile = "X</script><script>alert(1)</script></style><!-- \"'&";
    ed.title = Bilingual::new(hostile, hostile);
    ed.publisher = Some(Bilingual::new(hostile, hostile));
    let files = render(&ed, &res, &with_base());
    for path in ["2020/zh/data.html", "2020/en/method.html"] {
        let html = html(&files, path);
        assert!(!html.contains("<script>alert(1)"), "{path}: the title became markup");
        assert_eq!(html.matches("</style>").count(), html.matches("<style").count(), "{path}");
        let css = between(&html, "<style media=\"print\">", "</style>").unwrap();
        assert!(css.contains("\\3c /script\\3e ") && css.contains("\\22 "), "{css}");
    }
    let d = jsonld(&html(&files, "2020/en/data.html"));
    assert!(in_language(&d["name"], "en").starts_with(hostile), "{}", d["name"]);
    assert_eq!(in_language(&d["publisher"]["name"], "zh-CN"), hostile);
}

#[test]
fn root_language_alternates_are_absolute_with_a_base_url() {
    let (ed, res) = demo();
    let files = render(&ed, &res, &with_base());
    let root = html(&files, "index.html");
    for (tag, lang) in [("zh-CN", "zh"), ("en", "en")] {
        let link = format!("<link rel=\"alternate\" hreflang=\"{tag}\" href=\"{BASE}2020/{lang}/index.html\">");
        assert!(root.contains(&link), "no {link}");
    }
    assert!(root.contains(&format!("<link rel=\"alternate\" hreflang=\"x-default\" href=\"{BASE}index.html\">")));
    // Without a base URL the links stay relative, so the site works from disk.
    let files = render(&ed, &res, &RenderOptions::default());
    let root = html(&files, "index.html");
    assert!(root.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"2020/en/index.html\">"));
    assert!(root.contains("<link rel=\"alternate\" hreflang=\"x-default\" href=\"index.html\">"));
    assert!(!root.contains("http"), "an absolute address without --base-url");
}

#[test]
fn not_found_page_links_from_the_site_root() {
    let (ed, res) = demo();
    let files = render(&ed, &res, &with_base());
    let page = html(&files, "404.html");
    let hrefs: Vec<String> = attributes(&page, "href").into_iter().filter(|h| h.contains("index.html")).collect();
    // Every link is absolute under the base URL: the home pages, and the chapters and the archive
    // the page's navigation offers (issue 24).
    assert!(hrefs.iter().all(|h| h.starts_with(BASE)), "{hrefs:?}");
    for home in [format!("{BASE}2020/zh/index.html"), format!("{BASE}2020/en/index.html"), format!("{BASE}index.html")] {
        assert!(hrefs.contains(&home), "no link to {home}: {hrefs:?}");
    }
    // What it loads comes from the site's own path on the same server, never from an address.
    let path = BASE.split_once("://").unwrap().1;
    let path = &path[path.find('/').unwrap()..];
    assert!(page.contains(&format!("href=\"{path}assets/site.css\"")), "the site's stylesheet from the base URL's path");
    assert!(attributes(&page, "src").iter().all(|s| !s.contains("://")), "the 404 page loads from another address");
    assert!(!page.contains("<script>"), "the address is known: no script");
    let files = render(&ed, &res, &RenderOptions::default());
    let page = html(&files, "404.html");
    assert!(attributes(&page, "href").contains(&"2020/zh/index.html".to_string()));
    assert!(page.contains("fetch(dir + \"404.html\"") && page.contains("data-site-path=\"2020/en/index.html\""));
    // What tells the root apart is found there only.
    assert_eq!(files.files.keys().filter(|k| k.ends_with("404.html")).collect::<Vec<_>>(), ["404.html"]);
}
