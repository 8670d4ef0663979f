//! Rank intervals on the pages (issue 16): the demo built by the CLI shows "rank (p05–p95)" in
//! its ranking tables and district profiles, equal to the published uncertainty.csv, with the
//! note under the tables and the method chapter's section; an edition without `[uncertainty]`
//! shows bare ranks and no section.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

fn build(project: &Path) -> std::path::PathBuf {
    common::build_to_site_out(project)
}

/// (indicator, district) → (rank, p05, p95) from uncertainty.csv.
fn intervals(csv_bytes: &[u8]) -> BTreeMap<(String, String), (String, String, String)> {
    let mut reader = csv::Reader::from_reader(csv_bytes);
    reader
        .deserialize::<BTreeMap<String, String>>()
        .map(|r| {
            let r = r.unwrap();
            ((r["indicator"].clone(), r["entity"].clone()), (r["rank"].clone(), r["rank_p05"].clone(), r["rank_p95"].clone()))
        })
        .collect()
}

/// (indicator, district) → median rank from uncertainty.csv.
fn medians(csv_bytes: &[u8]) -> BTreeMap<(String, String), String> {
    let mut reader = csv::Reader::from_reader(csv_bytes);
    reader
        .deserialize::<BTreeMap<String, String>>()
        .map(|r| {
            let r = r.unwrap();
            ((r["indicator"].clone(), r["entity"].clone()), r["rank_median"].clone())
        })
        .collect()
}

/// The table row of `html` whose row header links to `href`.
fn row_linking<'a>(html: &'a str, table_id: &str, href: &str) -> &'a str {
    let start = html.find(&format!("id=\"{table_id}\"")).unwrap_or_else(|| panic!("no table {table_id}"));
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    table.split("<tr").find(|r| r.contains(&format!("href=\"{href}\""))).unwrap_or_else(|| panic!("no row for {href}"))
}

/// The inline SVG of a figure on a page, by its id.
fn figure<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html.find(&format!("aria-labelledby=\"{id}-title")).unwrap_or_else(|| panic!("no figure {id}"));
    let start = html[..at].rfind("<svg").unwrap();
    &html[start..at + html[at..].find("</svg>").unwrap()]
}

/// (median, p05, p95) of every whisker of a ranked bar chart, sorted.
fn whiskers(svg: &str) -> Vec<(String, String, String)> {
    let attr = |tag: &str, name: &str| -> Vec<String> {
        svg.split(tag).skip(1).map(|t| t.split(&format!("{name}=\"")).nth(1).unwrap().split('"').next().unwrap().to_string()).collect()
    };
    let p05 = attr("class=\"rank-whisker\"", "data-p05");
    let p95 = attr("class=\"rank-whisker\"", "data-p95");
    let median = attr("class=\"rank-median\"", "data-median");
    assert_eq!((p05.len(), median.len()), (p95.len(), p95.len()));
    let mut out: Vec<_> = median.into_iter().zip(p05).zip(p95).map(|((m, a), b)| (m, a, b)).collect();
    out.sort();
    out
}

#[test]
fn pages_show_the_published_intervals() {
    // Its own copy: the second half edits the project and builds it again.
    let project = common::copy_demo();
    let out = build(project.path());
    let csv = std::fs::read(out.join("2020/data/uncertainty.csv")).unwrap();
    let ivs = intervals(&csv);
    let overall: Vec<(&String, &(String, String, String))> = ivs.iter().filter(|((i, _), _)| i == "overall").map(|((_, d), v)| (d, v)).collect();
    assert_eq!(overall.len(), 16);
    for lang in ["zh", "en"] {
        let dir = out.join(format!("2020/{lang}"));
        let regional = std::fs::read_to_string(dir.join("regional/index.html")).unwrap();
        let list = std::fs::read_to_string(dir.join("districts/index.html")).unwrap();
        for (d, (rank, lo, hi)) in &overall {
            let cell = format!(">{rank} ({lo}\u{2013}{hi})<");
            assert!(row_linking(&regional, "table-overall-all", &format!("../districts/{d}.html")).contains(&cell), "{lang} {d} {cell}");
            assert!(row_linking(&list, "table-districts", &format!("{d}.html")).contains(&cell), "{lang} {d} {cell}");
            // The profile: the overall row and each first-level row of the indicator table.
            let profile = std::fs::read_to_string(dir.join(format!("districts/{d}.html"))).unwrap();
            for ((ind, _), (r, lo, hi)) in ivs.iter().filter(|((_, e), _)| e == *d) {
                let row = row_linking(&profile, "table-indicators", &format!("../regional/{}", if ind == "overall" { "index.html".to_string() } else { format!("{ind}.html") }));
                assert!(row.contains(&format!(">{r} ({lo}\u{2013}{hi})<")), "{lang} {d} {ind}");
            }
        }
        // First-level sections: the all-district table (the first table of the ranking section).
        for ((ind, d), (r, lo, hi)) in ivs.iter().filter(|((i, _), _)| i != "overall") {
            let page = std::fs::read_to_string(dir.join(format!("regional/{ind}.html"))).unwrap();
            let ranking = &page[page.find("id=\"ranking\"").unwrap()..];
            let id = ranking.split("id=\"table-").nth(1).unwrap().split('"').next().unwrap();
            let row = row_linking(ranking, &format!("table-{id}"), &format!("../districts/{d}.html"));
            assert!(row.contains(&format!(">{r} ({lo}\u{2013}{hi})<")), "{lang} {ind} {d}: {row}");
        }
        assert!(regional.matches("class=\"table-note\"").count() >= 2, "{lang}: the note under the tables");
        // The ranking figures: a whisker per district with the published interval, on the
        // overall figure and on each first-level one.
        let mut by_indicator: BTreeMap<&str, Vec<(String, String, String)>> = BTreeMap::new();
        let medians = medians(&csv);
        for ((ind, d), (_, lo, hi)) in &ivs {
            by_indicator.entry(ind.as_str()).or_default().push((medians[&(ind.clone(), d.clone())].clone(), lo.clone(), hi.clone()));
        }
        assert!(by_indicator.len() > 1);
        for (ind, mut expected) in by_indicator {
            expected.sort();
            let page = if ind == "overall" { regional.clone() } else { std::fs::read_to_string(dir.join(format!("regional/{ind}.html"))).unwrap() };
            let svg = figure(&page, &format!("fig-{lang}-bars-{ind}-all"));
            assert_eq!(whiskers(svg), expected, "{lang} {ind}");
            assert!(svg.contains("class=\"rank-legend\"") && svg.contains("10000"), "{lang} {ind}: the legend line");
        }
        let method = std::fs::read_to_string(dir.join("method.html")).unwrap();
        assert!(method.contains("id=\"uncertainty\"") && method.contains("10000") && method.contains("2020"), "{lang}: method section");
        assert!(method.contains("id=\"table-sensitivity\""), "{lang}: sensitivity table");
    }

    // Without [uncertainty]: bare ranks, no note, no section.
    let toml = project.path().join("data/2020/edition.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let start = text.find("[uncertainty]").unwrap();
    let end = text[start + 1..].find("\n[").map_or(text.len(), |e| start + 1 + e);
    std::fs::write(&toml, format!("{}{}", &text[..start], &text[end..])).unwrap();
    std::fs::remove_dir_all(&out).unwrap();
    let out = build(project.path());
    for lang in ["zh", "en"] {
        let dir = out.join(format!("2020/{lang}"));
        let regional = std::fs::read_to_string(dir.join("regional/index.html")).unwrap();
        let (d, (rank, _, _)) = overall[0];
        let row = row_linking(&regional, "table-overall-all", &format!("../districts/{d}.html"));
        assert!(row.contains(&format!(">{rank}<")) && !row.contains('\u{2013}'), "{lang}: {row}");
        assert!(!std::fs::read_to_string(dir.join("method.html")).unwrap().contains("id=\"uncertainty\""));
        assert!(!figure(&regional, &format!("fig-{lang}-bars-overall-all")).contains("rank-"), "{lang}: no rank column");
    }
}
