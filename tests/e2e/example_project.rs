//! The bundled fictional project, `examples/example-city`, built through the CLI: it builds
//! without a warning, and no page, figure or download of it carries a word of the Shanghai demo
//! (its district names in both languages, the city's name, the demo's region words); the
//! captions that show the city and its regions name the example's own regions instead.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

fn example_root() -> PathBuf {
    common::demo_root().join("examples/example-city")
}

/// The example copied to a scratch folder (so the repository stays clean) and built there with
/// `--quiet`, once for every test that only reads it; returns the built site.
fn built_example() -> &'static Path {
    let example = common::shared::example();
    let stderr = &example.stderr;
    assert!(stderr.trim().is_empty(), "a quiet build of the example prints nothing, but printed:\n{stderr}");
    &example.out
}

/// Names (short and full) of the `[[region]]` or `[[district]]` entries of a districts.toml, in
/// both languages, in file order.
fn names(districts_toml: &Path, table: &str) -> Vec<(String, String)> {
    let doc: toml::Table = fs::read_to_string(districts_toml).unwrap().parse().unwrap();
    let mut out = Vec::new();
    for entry in doc[table].as_array().unwrap() {
        for key in ["name", "full_name"] {
            if let Some(name) = entry.get(key) {
                out.push((name["zh"].as_str().unwrap().to_string(), name["en"].as_str().unwrap().to_string()));
            }
        }
    }
    out
}

/// Words of the demo that must not appear on the example's pages: its districts' names read
/// from the demo's own districts.toml (so the list follows the demo), its regions' names, the
/// city's name, and the region words the code used to hard-wire.
fn demo_words() -> Vec<String> {
    let demo = common::demo_root().join("data/2020/districts.toml");
    let mut words: Vec<String> = Vec::new();
    for (zh, en) in names(&demo, "district").into_iter().chain(names(&demo, "region")) {
        words.push(zh);
        words.push(en.to_lowercase());
    }
    for w in ["上海", "沪", "中心城区", "郊区", "shanghai", "central", "suburb", "inner city", "inner-city", "pudong"] {
        words.push(w.to_string());
    }
    words.sort();
    words.dedup();
    words
}

/// Every text file the build wrote (pages, inline figures, scripts, search index, CSV, JSON),
/// lower-cased, with the HTML escapes of an apostrophe undone (Jing'an).
fn text_files(site: &Path) -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(site)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.path().extension().is_some_and(|x| ["html", "svg", "js", "json", "csv", "xml", "txt"].contains(&x.to_str().unwrap())))
        .map(|e| {
            let text = fs::read_to_string(e.path()).unwrap().replace("&#x27;", "'").replace("&#39;", "'").to_lowercase();
            (e.path().to_path_buf(), text)
        })
        .collect()
}

/// The text of every `<figcaption>` of a page, tags removed.
fn figcaptions(html: &str) -> Vec<String> {
    html.split("<figcaption").skip(1).map(|rest| strip_tags(&rest[..rest.find("</figcaption>").unwrap()])).collect()
}

/// The text of a fragment that starts inside an opening tag, without its `<…>` tags.
fn strip_tags(fragment: &str) -> String {
    let mut out = String::new();
    let mut in_tag = true;
    for c in fragment.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn the_fictional_example_builds_cleanly_and_shows_no_word_of_the_demo() {
    let site = built_example();
    let files = text_files(&site);
    let pages = files.iter().filter(|(p, _)| p.extension().is_some_and(|x| x == "html")).count();
    assert!(pages > 100, "the example's site has its pages in both languages ({pages} HTML files)");
    for year in ["2023", "2024"] {
        for lang in ["zh", "en"] {
            assert!(site.join(year).join(lang).join("index.html").is_file(), "{year}/{lang} was built");
        }
    }

    let words = demo_words();
    assert!(words.len() >= 2 * 16 + 5, "the demo's 16 districts in both languages are looked for: {words:?}");
    let mut found = Vec::new();
    for (path, text) in &files {
        for w in &words {
            if let Some(at) = text.find(w.as_str()) {
                let context: String = text[at..].chars().take(80).collect();
                found.push(format!("{}: `{w}` in `{context}`", path.strip_prefix(&site).unwrap().display()));
            }
        }
    }
    assert!(found.is_empty(), "{} demo word(s) on the example's site:\n{}", found.len(), found.join("\n"));
}

#[test]
fn captions_and_map_insets_name_the_examples_own_regions() {
    let site = built_example().join("2024");
    let regions = names(&example_root().join("data/2024/districts.toml"), "region");
    assert_eq!(regions.len(), 3, "the example has three regions");

    for (lang, city) in [("zh", "全市"), ("en", "the city")] {
        let pick = |(zh, en): &(String, String)| if lang == "zh" { zh.clone() } else { en.clone() };
        let html = fs::read_to_string(site.join(lang).join("overall.html")).unwrap();
        // The city-and-regions charts: one per first-level index (three in the example).
        let captions: Vec<String> = figcaptions(&html).into_iter().filter(|c| c.contains(city)).collect();
        assert_eq!(captions.len(), 3, "{lang}: one city-and-regions chart per first-level index: {captions:?}");
        for caption in &captions {
            for region in regions.iter().map(pick) {
                assert!(caption.contains(&region), "{lang}: `{caption}` names the region {region}");
            }
        }
        // In those charts the city's bar has a style of its own, after the three regions' (it
        // shared the third region's when only three styles existed).
        let city_bars = html.matches("class=\"bar bar-g3\"").count();
        assert_eq!(city_bars, captions.len(), "{lang}: one bar in the fourth style per city-and-regions chart");
        // The map's inset enlarges Tower and Bridge, both in the South: its heading says so.
        let map_page = fs::read_to_string(site.join(lang).join("regional/fibre.html")).unwrap();
        let heading_at = map_page.find("class=\"inset-title\">").expect("the fibre map has an inset") + "class=\"inset-title\">".len();
        let heading = &map_page[heading_at..heading_at + map_page[heading_at..].find('<').unwrap()];
        let south = pick(&regions[1]);
        assert_eq!(regions[1].1, "South", "the example's second region is the South");
        assert!(heading.starts_with(&south), "{lang}: the inset heading `{heading}` names the region {south}");
    }
}

/// On the example, every leaf measured in a unit shows each district's raw value on its
/// indicator page (the column headed with the unit) and on the district's profile (value and
/// unit), in both languages, and every indicator page states its method in words. The expected
/// numbers are read from the example's own values.csv, at the precision the docs promise: as
/// many decimals as the file writes for that leaf (at most 3) unless `raw_precision` says.
#[test]
fn the_example_shows_every_raw_value_with_its_unit_and_states_each_method() {
    let site = built_example().join("2024");
    let data = example_root().join("data/2024");
    let tree: toml::Table = fs::read_to_string(data.join("indicators.toml")).unwrap().parse().unwrap();
    let nodes = tree["indicator"].as_array().unwrap();
    let mut values: std::collections::BTreeMap<String, Vec<(String, String)>> = Default::default();
    for r in csv::Reader::from_path(data.join("values.csv")).unwrap().records() {
        let r = r.unwrap();
        values.entry(r[1].to_string()).or_default().push((r[0].to_string(), r[2].to_string()));
    }
    let districts: toml::Table = fs::read_to_string(data.join("districts.toml")).unwrap().parse().unwrap();
    let district_ids: Vec<String> = districts["district"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_string()).collect();

    let mut checked = 0;
    for node in nodes {
        let id = node["id"].as_str().unwrap();
        let Some(unit) = node.get("unit") else { continue };
        let written = &values[id];
        let precision = node.get("raw_precision").map_or_else(
            || written.iter().map(|(_, v)| v.split_once('.').map_or(0, |(_, d)| d.len())).max().unwrap().min(3),
            |p| p.as_integer().unwrap() as usize,
        );
        for lang in ["zh", "en"] {
            let unit = unit[lang].as_str().unwrap();
            let page = common::visible_text(&fs::read_to_string(site.join(lang).join(format!("regional/{id}.html"))).unwrap());
            let header = if lang == "en" { format!("Raw value ({unit})") } else { format!("原始值（{unit}）") };
            assert!(page.contains(&header), "{lang}/{id}: no column {header:?}");
            assert!(page.contains(if lang == "en" { "Score = " } else { "得分 =" }), "{lang}/{id}: the method is not stated");
            for (district, value) in written {
                let shown = format!("{:.*}", precision, value.parse::<f64>().unwrap());
                assert!(page.contains(&format!(" {shown} ")), "{lang}/{id}: {district}'s raw value {shown} is missing");
                let profile = common::visible_text(&fs::read_to_string(site.join(lang).join(format!("districts/{district}.html"))).unwrap());
                assert!(profile.contains(&format!("{shown} {unit}")), "{lang} profile {district}: no {shown} {unit} for {id}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 2 * 5 * district_ids.len(), "at least five leaves in units, every district, both languages ({checked} checked)");
}

/// Issue 24: Island is last of 11 on everything, so its profile lists no strength and says so
/// (it used to list three "strengths", each 11th and below the city), in both languages.
#[test]
fn a_district_behind_the_city_on_everything_has_no_strength() {
    let site = built_example().join("2024");
    for (lang, none, listed) in [("en", "Strengths: none.", "<p class=\"list-title\">Strengths</p>"), ("zh", "优势指标：无。", "<p class=\"list-title\">优势指标</p>")] {
        let html = fs::read_to_string(site.join(lang).join("districts/island.html")).unwrap();
        assert!(html.contains(none), "{lang}: Island's profile does not say it has no strength");
        assert!(!html.contains(listed), "{lang}: Island's profile lists strengths");
    }
}
