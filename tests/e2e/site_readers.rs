//! Issue 24 on the demo's pages as built: no two indicator pages share a title, and every
//! strength a profile lists is above the city (a weakness below it), in both languages.

use crate::common;

use std::collections::BTreeMap;

/// The notes of the list titled `title` on a profile page ("第 1 名，与全市差 +3.93").
fn list_notes(html: &str, title: &str) -> Vec<String> {
    let Some(at) = html.find(&format!("<p class=\"list-title\">{title}</p>")) else { return Vec::new() };
    let list = &html[at..at + html[at..].find("</ul>").unwrap()];
    list.split("<span class=\"note\">").skip(1).map(|s| s[..s.find("</span>").unwrap()].to_string()).collect()
}

#[test]
fn indicator_pages_have_distinct_titles_and_strengths_lie_above_the_city() {
    let site = common::shared::demo_site();
    for (lang, strengths, weaknesses) in [("zh", "优势指标", "短板指标"), ("en", "Strengths", "Weaknesses")] {
        let mut titles: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut profiles = 0;
        for (path, bytes) in &site.files {
            let html = String::from_utf8_lossy(bytes);
            if path.starts_with(&format!("2020/{lang}/regional/")) && path.ends_with(".html") {
                let title = html[html.find("<title>").unwrap() + 7..html.find("</title>").unwrap()].to_string();
                titles.entry(title).or_default().push(path.clone());
            }
            if path.starts_with(&format!("2020/{lang}/districts/")) && !path.ends_with("index.html") {
                profiles += 1;
                for note in list_notes(&html, strengths) {
                    assert!(note.contains('+'), "{path}: a strength not above the city: {note}");
                }
                for note in list_notes(&html, weaknesses) {
                    assert!(note.contains('−'), "{path}: a weakness not below the city: {note}");
                }
            }
        }
        assert_eq!(profiles, 16, "{lang}: the demo's 16 profiles");
        let shared: Vec<_> = titles.iter().filter(|(_, p)| p.len() > 1).collect();
        assert!(shared.is_empty(), "{lang}: indicator pages sharing a title: {shared:?}");
    }
    // The demo's shared names are told apart by their parents.
    let gov = String::from_utf8_lossy(&site.files["2020/zh/regional/innov_gov.html"]).into_owned();
    assert!(gov.contains("<title>区域创新·政务服务"), "the third-level 政务服务 names its parent");
}
