//! The demo edition renders into a complete bilingual site whose links all resolve.

use crate::common::site as site_common;

use cityreport::model::Lang;
use cityreport::site::RenderOptions;
use site_common::*;

fn opts() -> RenderOptions {
    RenderOptions { base_url: Some("https://example.org/report/".into()), ..Default::default() }
}

#[test]
fn every_page_exists_in_both_languages() {
    let (ed, res) = demo();
    let files = render(&ed, &res, &opts());
    let mut expected = vec![
        "index.html".to_string(),
        "404.html".to_string(),
        "sitemap.xml".to_string(),
        "assets/site.css".to_string(),
    ];
    for lang in ["zh", "en"] {
        for page in ["index.html", "method.html", "overall.html", "regional/index.html", "districts/index.html", "data.html"]
        {
            expected.push(format!("2020/{lang}/{page}"));
        }
        for n in ed.tree.nodes.iter().skip(1) {
            expected.push(format!("2020/{lang}/regional/{}.html", n.id));
        }
        for d in &ed.districts.districts {
            expected.push(format!("2020/{lang}/districts/{}.html", d.id));
        }
    }
    for path in &expected {
        assert!(files.get(path).is_some(), "missing {path}");
    }
    // 38 leaves + 10 second-level + 3 first-level + cyber = 52 indicator pages per language.
    let indicator_pages = files.files.keys().filter(|k| k.starts_with("2020/zh/regional/") && !k.ends_with("index.html")).count();
    assert_eq!(indicator_pages, ed.tree.nodes.len() - 1);
}

#[test]
fn no_broken_internal_links_or_anchors() {
    let (ed, res) = demo();
    let files = with_pipeline_files(render(&ed, &res, &opts()), &ed);
    let broken = broken_links(&files);
    assert!(broken.is_empty(), "{} broken links, e.g.:\n{}", broken.len(), broken[..broken.len().min(20)].join("\n"));
}

/// The checker itself finds what it should (a checker that never fails proves nothing).
#[test]
fn link_checker_detects_missing_files_and_anchors() {
    let mut files = cityreport::output::SiteFiles::new();
    files.insert("a/b.html", "<p id=\"x\"></p><a href=\"c.html\">1</a><a href=\"b.html#x\">2</a><a href=\"#y\">3</a><a href=\"/abs.html\">4</a>");
    let broken = broken_links(&files);
    assert_eq!(broken.len(), 3, "{broken:?}");
}

#[test]
fn language_switcher_leads_to_the_same_page() {
    let (ed, res) = demo();
    let files = render(&ed, &res, &opts());
    for path in files.files.keys().filter(|p| p.starts_with("2020/") && p.ends_with(".html")) {
        let text = html(&files, path);
        let lang = if path.starts_with("2020/zh/") { Lang::Zh } else { Lang::En };
        let start = text.find("class=\"lang-switch\"").unwrap_or_else(|| panic!("{path}: no switcher"));
        let href = attributes(&text[start - 200.min(start)..start + 200], "href").pop().unwrap();
        let target = resolve(path, &href);
        let expected = path.replacen(&format!("/{}/", lang.code()), &format!("/{}/", lang.other().code()), 1);
        assert_eq!(target, expected, "{path}");
        assert!(text.contains(&format!("<html lang=\"{}\">", lang.html_tag())), "{path}");
        assert!(text.contains("hreflang=\"zh-CN\"") && text.contains("hreflang=\"en\""), "{path}");
    }
}

#[test]
fn tables_and_figures_carry_printed_numbers_and_anchors() {
    let (ed, res) = demo();
    let files = render(&ed, &res, &opts());
    let zh = html(&files, "2020/zh/regional/5g.html");
    assert!(zh.contains("id=\"table-3-8\""), "表 3-8 anchor");
    assert!(zh.contains("<span class=\"label\">表 3-8</span>"));
    let en = html(&files, "2020/en/regional/capacity.html");
    assert!(en.contains("<span class=\"label\">Table 3-7</span>"));
    assert!(en.contains("id=\"figure-3-5\"") && en.contains("id=\"figure-3-6\""));
    let regional = html(&files, "2020/zh/regional/index.html");
    for n in ["3-1", "3-2", "3-3"] {
        assert!(regional.contains(&format!("id=\"table-{n}\"")), "table {n}");
    }
    assert!(regional.contains("id=\"figure-3-1\""));
    let overall = html(&files, "2020/zh/overall.html");
    for n in 1..=13 {
        assert!(overall.contains(&format!("id=\"table-2-{n}\"")), "table 2-{n}");
    }
    for n in 1..=18 {
        assert!(overall.contains(&format!("id=\"figure-2-{n}\"")), "figure 2-{n}");
    }
    assert!(html(&files, "2020/zh/regional/cyber.html").contains("id=\"table-3-61\""));
    let method = html(&files, "2020/en/method.html");
    assert!(method.contains("id=\"table-1-1\"") && method.contains("id=\"table-1-2\"") && method.contains("id=\"figure-1-1\""));
}

#[test]
fn sitemap_lists_both_languages_with_alternates() {
    let (ed, res) = demo();
    let files = render(&ed, &res, &opts());
    let xml = html(&files, "sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap is XML");
    let urls: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("url")).collect();
    let pages = files.files.keys().filter(|p| p.starts_with("2020/") && p.ends_with(".html")).count();
    assert_eq!(urls.len(), pages + 1);
    let method = urls
        .iter()
        .find(|u| u.descendants().any(|n| n.has_tag_name("loc") && n.text() == Some("https://example.org/report/2020/en/method.html")))
        .expect("method page in sitemap");
    let alts: Vec<_> = method.children().filter(|n| n.has_tag_name("link")).map(|n| n.attribute("hreflang").unwrap()).collect();
    assert_eq!(alts, ["zh-CN", "en"]);
    // Without a base URL there is no sitemap (the protocol needs absolute URLs).
    let files = render(&ed, &res, &RenderOptions::default());
    assert!(files.get("sitemap.xml").is_none());
}

#[test]
fn output_is_deterministic_and_makes_no_external_requests() {
    let (ed, res) = demo();
    let a = render(&ed, &res, &opts());
    let b = render(&ed, &res, &opts());
    assert_eq!(a, b);
    for (path, bytes) in &a.files {
        if path.ends_with(".html") {
            let text = std::str::from_utf8(bytes).unwrap();
            for src in attributes(text, "src") {
                assert!(!src.contains("://"), "{path} loads {src}");
            }
            assert!(!text.contains("live.js"), "{path}: live reload outside preview");
        }
    }
    let css = html(&a, "assets/site.css");
    assert!(!css.contains("http://") && !css.contains("https://") && !css.contains("@import"));
}

#[test]
fn preview_adds_live_reload() {
    let (ed, res) = demo();
    let files = render(&ed, &res, &RenderOptions { preview: true, ..Default::default() });
    assert!(html(&files, "2020/zh/index.html").contains("<script src=\"/__cityreport/live.js\" defer></script>"));
}

/// Writes the demo site for looking at it: `SITE_OUT=/tmp/site cargo test --test e2e
/// site_pages::dump_demo_site -- --ignored`.
#[test]
#[ignore]
fn dump_demo_site() {
    let out = std::env::var("SITE_OUT").expect("set SITE_OUT");
    let (ed, res) = demo();
    let files = with_pipeline_files(render(&ed, &res, &opts()), &ed);
    let target = cityreport::output::OutputTarget::new(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), std::path::Path::new(&out)).unwrap();
    target.write(&files, |_| {}).unwrap();
}
