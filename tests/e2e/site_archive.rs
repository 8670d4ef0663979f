//! The site across editions: changes since the previous edition on every page that shows a
//! district's or the city's figures, the framework changes, the history tables, the archive page
//! with superseded versions, and the stable `latest/` links. Uses the clearly synthetic 2021
//! edition in tests/fixtures/synthetic-2021 on a scratch copy of the demo; the shipped demo must
//! never contain it.

use crate::common;
use crate::common::site as site_common;

use std::collections::BTreeMap;
use std::fs;

use site_common::{load_site_dir as load_site, read_page as page, table_columns, table_rows, text};

/// The demo with the synthetic 2021 edition, built once for the tests that only read it (each
/// build takes many seconds).
fn two_edition_project() -> &'static common::shared::Built {
    common::shared::demo_with_synthetic_2021()
}

/// The part of a cell hidden from screen readers, and the part read instead.
fn shown_and_read(cell: &str) -> (String, String) {
    let shown = cell.split("<span aria-hidden=\"true\">").nth(1).and_then(|s| s.split("</span>").next());
    // Without the hidden/read pair the cell's content (after its opening tag) is what is shown.
    let shown = shown.unwrap_or_else(|| cell.split_once('>').map_or(cell, |(_, inner)| inner));
    let read = cell.split("<span class=\"visually-hidden\">").nth(1).and_then(|s| s.split("</span>").next()).unwrap_or("");
    (shown.to_string(), read.to_string())
}

fn number(s: &str) -> f64 {
    s.replace('\u{2212}', "-").trim_start_matches('+').parse().unwrap_or_else(|_| panic!("not a number: {s}"))
}

fn row_with<'a>(rows: &'a [Vec<String>], needle: &str) -> &'a Vec<String> {
    rows.iter().find(|r| r.iter().any(|c| c.contains(needle))).unwrap_or_else(|| panic!("no row with {needle}"))
}

/// What the rank cell must show and say for a move of `n` places.
fn expected_rank_cell(n: i32, lang: &str) -> (String, String) {
    let k = n.unsigned_abs();
    let shown = match n {
        n if n > 0 => format!("▲{k}"),
        n if n < 0 => format!("▼{k}"),
        _ => "–".into(),
    };
    let read = match (lang, n.signum(), k) {
        ("zh", 1, _) => format!("上升 {k} 位"),
        ("zh", -1, _) => format!("下降 {k} 位"),
        ("zh", _, _) => "名次不变".into(),
        (_, 1, 1) => "up 1 place".into(),
        (_, 1, _) => format!("up {k} places"),
        (_, -1, 1) => "down 1 place".into(),
        (_, -1, _) => format!("down {k} places"),
        _ => "rank unchanged".into(),
    };
    (shown, read)
}


#[test]
fn rank_moves_and_value_changes_on_the_pages_match_both_editions_data() {
    let site = two_edition_project().out.clone();
    let then = common::read_indices(&fs::read(site.join("2020/data/indices.csv")).unwrap());
    let now = common::read_indices(&fs::read(site.join("2021/data/indices.csv")).unwrap());
    let mut csv_changes = BTreeMap::new();
    let mut reader = csv::Reader::from_path(site.join("2021/data/changes.csv")).unwrap();
    for r in reader.deserialize::<BTreeMap<String, String>>() {
        let r = r.unwrap();
        csv_changes.insert((r["indicator"].clone(), r["entity"].clone()), r);
    }

    // (indicator now, indicator then): the renamed node is compared with the one it continues.
    let indicators = [
        ("overall", "overall"),
        ("infra", "infra"),
        ("basic_capacity", "capacity"),
        ("5g", "5g"),
        ("perception", "perception"),
        ("app", "app"),
        ("e_police", "e_police"),
        ("env", "env"),
    ];
    let districts = ["pudong", "changning", "huangpu", "chongming", "jinshan", "jiading"];
    let mut moves = [0usize; 3];
    for lang in ["zh", "en"] {
        for (id, old) in indicators {
            let (file, marker) = if id == "overall" {
                ("regional/index.html".to_string(), "id=\"table-overall-all\"")
            } else {
                (format!("regional/{id}.html"), "id=\"ranking\"")
            };
            let ranking = table_rows(&page(&site, &format!("2021/{lang}/{file}")), marker);
            for d in districts {
                // Expected, independently from the two indices.csv files.
                let (a, b) = (&then[&(old.to_string(), d.to_string())], &now[&(id.to_string(), d.to_string())]);
                let value_change = common::published(b) - common::published(a);
                let rank_change = a["rank"].parse::<i32>().unwrap() - b["rank"].parse::<i32>().unwrap();
                // changes.csv says the same.
                let c = &csv_changes[&(id.to_string(), d.to_string())];
                assert_eq!(c["previous_indicator"], old);
                assert!((number(&c["value_change"]) - value_change).abs() < 0.005, "{id} {d}: changes.csv");
                assert_eq!(c["rank_change"].trim_start_matches('+').parse::<i32>().unwrap(), rank_change, "{id} {d}");
                moves[(rank_change.signum() + 1) as usize] += 1;

                // The district page's row of the indicator, and the indicator's ranking table.
                let profile = table_rows(&page(&site, &format!("2021/{lang}/districts/{d}.html")), "id=\"indicators\"");
                let link = if id == "overall" { "../regional/index.html\"".to_string() } else { format!("../regional/{id}.html\"") };
                let in_profile = row_with(&profile, &link);
                let in_ranking = row_with(&ranking, &format!("districts/{d}.html\""));
                for (where_, row) in [("profile", in_profile), ("ranking", in_ranking)] {
                    let n = row.len();
                    let shown = number(&text(&row[n - 2]));
                    assert!((shown - value_change).abs() < 0.005, "{lang} {where_} {id} {d}: {shown} vs {value_change:.2}");
                    assert!(text(&row[n - 2]).starts_with(if value_change > 0.004 { "+" } else if value_change < -0.004 { "\u{2212}" } else { "0" }));
                    assert_eq!(shown_and_read(&row[n - 1]), expected_rank_cell(rank_change, lang), "{lang} {where_} {id} {d}");
                }
            }
        }
    }
    assert!(moves.iter().all(|&n| n > 0), "the sample has moves up, down and none: {moves:?}");

    // Headline: the city index and its change on the 2021 home page.
    let city_change = common::published(&now[&("overall".into(), "city".into())]) - common::published(&then[&("overall".into(), "city".into())]);
    let home = page(&site, "2021/en/index.html");
    let expected = format!("{}{:.2} on 2020", if city_change >= 0.0 { "+" } else { "\u{2212}" }, city_change.abs());
    assert!(home.contains(&format!("<dd class=\"change\">{expected}</dd>")), "home lacks {expected}");
}

#[test]
fn new_indicators_are_marked_and_the_framework_changes_are_listed() {
    let project = two_edition_project().project.as_path();
    let site = two_edition_project().out.clone();

    for (lang, new, note) in [("en", "new", "New indicator: no comparable value for 2020"), ("zh", "新增", "新增指标，2020 年无可比数值")] {
        for id in ["gigabit", "open_data_volume", "open_data_use"] {
            let profile = table_rows(&page(&site, &format!("2021/{lang}/districts/pudong.html")), "id=\"indicators\"");
            let row = row_with(&profile, &format!("../regional/{id}.html\""));
            assert_eq!(text(&row[row.len() - 2]), new, "{lang} {id}");
            let html = page(&site, &format!("2021/{lang}/regional/{id}.html"));
            assert!(html.contains(note), "{lang} {id}: no note that it is new");
            let columns = table_columns(&html, "id=\"ranking\"");
            assert!(!columns.iter().any(|c| c.contains("2020")), "{lang} {id}: a new indicator has no change column: {columns:?}");
        }
    }

    // The framework section lists exactly what the engine found.
    let project = cityreport::load::load_project(project).unwrap();
    let computed = cityreport::compute::compute_project(&project, false).unwrap();
    let fw = &computed[1].changes.as_ref().unwrap().framework;
    let tree = &computed[1].edition.tree;
    let html = page(&site, "2021/en/method.html");
    let rows = table_rows(&html, "id=\"framework-changes\"");
    let mut listed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &rows {
        let href = site_common::attributes(&r[0], "href").pop().expect("indicator linked");
        let id = href.rsplit('/').next().unwrap().trim_end_matches(".html").to_string();
        listed.entry(text(&r[1])).or_default().push(id);
    }
    let ids = |v: Vec<usize>| v.into_iter().map(|i| tree.nodes[i].id.clone()).collect::<Vec<_>>();
    assert_eq!(listed["Added"], ids(fw.added.clone()));
    assert_eq!(listed["Added"], ["gigabit", "open_data_volume", "open_data_use"]);
    assert_eq!(listed["Removed"], ["weather_stations"]);
    assert_eq!(listed["Renamed"], ids(fw.renamed.iter().map(|r| r.0).collect()));
    assert_eq!(listed["Renamed"], ["basic_capacity", "5g"]);
    assert_eq!(listed["Re-weighted"], ids(fw.reweighted.iter().map(|r| r.0).collect()));
    assert!(!listed.contains_key("Moved"));
    // Renamed: old and new names with ids; re-weighted: old and new weights; removed: its 2020 page.
    let renamed = row_with(&rows, "regional/basic_capacity.html\"");
    assert_eq!((text(&renamed[2]).as_str(), text(&renamed[3]).as_str()), ("Basic Capacity (capacity)", "Basic Capacity (basic_capacity)"));
    let g5 = rows.iter().find(|r| r[0].contains("regional/5g.html\"") && text(&r[1]) == "Re-weighted").unwrap();
    assert_eq!((text(&g5[2]).as_str(), text(&g5[3]).as_str()), ("100%", "50%"));
    let removed = row_with(&rows, "weather_stations");
    assert!(removed[0].contains("href=\"../../2020/en/regional/weather_stations.html\""), "{}", removed[0]);
    let zh = table_rows(&page(&site, "2021/zh/method.html"), "id=\"framework-changes\"");
    let g5 = zh.iter().find(|r| r[0].contains("regional/5g.html\"") && text(&r[1]) == "更名").unwrap();
    assert_eq!((text(&g5[2]).as_str(), text(&g5[3]).as_str()), ("5G 建设应用（5g）", "5G 网络建设应用（5g）"));

    // The 2020 edition in the same site knows its predecessor only from the history file.
    let method_2020 = page(&site, "2020/en/method.html");
    assert!(method_2020.contains("Only city-level figures of the 2019 edition are available"));
    assert!(!method_2020.contains("id=\"table-framework-changes\""));
}

#[test]
fn the_two_edition_site_has_an_archive_latest_links_and_no_broken_links() {
    let site = two_edition_project().out.clone();
    let broken = site_common::broken_links(&load_site(&site));
    assert!(broken.is_empty(), "{} broken links, e.g.:\n{}", broken.len(), broken[..broken.len().min(20)].join("\n"));

    let root = page(&site, "index.html");
    let rows = table_rows(&root, "class=\"archive-table\"");
    let years: Vec<String> = rows.iter().map(|r| text(&r[0])).collect();
    assert_eq!(years, ["2021", "2020", "2019", "2018", "2017", "2016", "2015", "2014"], "newest first, editions before the tool too");
    for (row, year) in rows.iter().zip(["2021", "2020"]) {
        let links = site_common::attributes(&row[3], "href");
        assert_eq!(links, [format!("{year}/zh/index.html"), format!("{year}/en/index.html")]);
        assert!(text(&row[2]).contains("已发布") && text(&row[2]).contains("Published"));
    }
    assert!(text(&rows[0][1]).contains("Synthetic test edition 2021"));
    assert!(text(&rows[1][1]).contains("2020年上海市智慧城市发展水平评估报告"));

    // latest/ leads to the newest edition, by meta refresh and by a visible link.
    for (path, target) in [
        ("latest/index.html", "2021/zh/index.html"),
        ("latest/zh/index.html", "2021/zh/index.html"),
        ("latest/en/index.html", "2021/en/index.html"),
    ] {
        let html = page(&site, path);
        let content = site_common::attributes(&html, "content").into_iter().find(|c| c.starts_with("0; url=")).expect("meta refresh");
        let url = content.trim_start_matches("0; url=");
        assert_eq!(site_common::resolve(path, url), target, "{path}");
        assert!(site_common::attributes(&html, "href").iter().any(|h| site_common::resolve(path, h) == target), "{path}: visible link");
    }

    // Every edition page offers the editions known at build time, each at the same page where
    // that edition has it (an indicator followed across its rename by `continues`), else at its
    // home page, and the archive.
    for (path, counterparts) in [
        ("2020/zh/index.html", ["2021/zh/index.html", "2020/zh/index.html"]),
        ("2021/en/overall.html", ["2021/en/overall.html", "2020/en/overall.html"]),
        ("2021/en/regional/5g.html", ["2021/en/regional/5g.html", "2020/en/regional/5g.html"]),
        // Renamed: 2021's basic_capacity continues 2020's capacity, and the other way round.
        ("2021/en/regional/basic_capacity.html", ["2021/en/regional/basic_capacity.html", "2020/en/regional/capacity.html"]),
        ("2020/zh/regional/capacity.html", ["2021/zh/regional/basic_capacity.html", "2020/zh/regional/capacity.html"]),
        // Only in one edition.
        ("2021/en/regional/gigabit.html", ["2021/en/regional/gigabit.html", "2020/en/index.html"]),
        ("2020/en/regional/weather_stations.html", ["2021/en/index.html", "2020/en/regional/weather_stations.html"]),
        ("2021/zh/districts/pudong.html", ["2021/zh/districts/pudong.html", "2020/zh/districts/pudong.html"]),
    ] {
        let html = page(&site, path);
        let start = html.find("<details class=\"editions\">").unwrap();
        let switcher = &html[start..start + html[start..].find("</details>").unwrap()];
        let hrefs: Vec<String> = site_common::attributes(switcher, "href").iter().map(|h| site_common::resolve(path, h)).collect();
        let mut expected: Vec<String> = counterparts.iter().map(|p| p.to_string()).collect();
        // Then the editions before the tool, at their home pages.
        let lang = path.split('/').nth(1).unwrap();
        expected.extend((2014..=2019).rev().map(|y| format!("{y}/{lang}/index.html")));
        expected.push("index.html".into());
        assert_eq!(hrefs, expected, "{path}");
    }
}

#[test]
fn the_archive_lists_superseded_versions_after_a_forced_republication() {
    let tmp = common::demo_with_synthetic_2021();
    let r = tmp.path().to_str().unwrap();
    assert!(common::cityreport(&["publish", "2020", "--root", r]).status.success());
    let edited = tmp.path().join("data/2020/values.csv");
    let text_ = fs::read_to_string(&edited).unwrap().replacen("pudong,5g,120.75", "pudong,5g,150.00", 1);
    fs::write(&edited, text_).unwrap();
    let out = common::cityreport(&["publish", "2020", "--root", r, "--force"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    common::build(tmp.path());
    let site = tmp.path().join("site");

    let root = page(&site, "index.html");
    let rows = table_rows(&root, "class=\"archive-table\"");
    assert_eq!(rows.len(), 3 + 6, "2021, 2020, the replaced first version of 2020, and 2019–2014 from before the tool");
    assert!(root.contains("<tr id=\"edition-2020-r1\" class=\"superseded\">"));
    let old = &rows[2];
    assert_eq!(text(&old[0]), "2020");
    assert!(text(&old[2]).contains("第 1 版，已被替换") && text(&old[2]).contains("First version, replaced"), "{}", text(&old[2]));
    assert_eq!(site_common::attributes(&old[3], "href"), ["2020-r1/zh/index.html", "2020-r1/en/index.html"]);
    assert!(text(&rows[1][2]).contains("Published (archived)"), "the current 2020 is frozen");
    assert!(text(&rows[0][2]).contains("Published") && !text(&rows[0][2]).contains("archived"));

    let broken = site_common::broken_links(&load_site(&site));
    assert!(broken.is_empty(), "{} broken links, e.g.:\n{}", broken.len(), broken[..broken.len().min(20)].join("\n"));
}

#[test]
fn the_demo_shows_its_history_and_the_city_change_on_2019_and_nothing_synthetic() {
    let site = &common::shared::demo().out;
    assert!(!site.join("2021").exists());
    for (path, bytes) in common::snapshot(&site) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("ynthetic") && !text.contains("合成测试"), "{}: synthetic data in the demo", path.display());
    }

    for (lang, computed, history) in [
        ("en", "Computed from this edition's data", "Published with the 2019 edition"),
        ("zh", "根据本期数据计算", "2019 年度报告发布时公布"),
    ] {
        let html = page(&site, &format!("2020/{lang}/overall.html"));
        let rows = table_rows(&html, "id=\"table-history-overall\"");
        let years: Vec<String> = rows.iter().map(|r| text(&r[0])).collect();
        assert_eq!(years, ["2015", "2016", "2017", "2018", "2019", "2020"], "{lang}");
        assert_eq!(text(&rows[0][1]), "96.91");
        assert_eq!(text(&rows[5][1]), "109.77");
        assert_eq!(text(&rows[5][2]), computed);
        // The history file's note is shown in the page's language, in words for readers.
        assert!(text(&rows[4][2]).starts_with(history), "{lang}: {}", text(&rows[4][2]));
        assert!(!html.contains("history.csv") && !html.contains("历史数据文件原文"), "{lang}: file jargon on the page");
        // Earlier years lead to their editions' pages.
        assert_eq!(site_common::attributes(&rows[1][0], "href"), [format!("../../2016/{lang}/index.html")]);
        // 网络就绪度指数 (2016, 2017) is followed to 新型基础设施指数.
        let infra: Vec<String> = table_rows(&html, "id=\"table-history-infra\"").iter().map(|r| text(&r[0])).collect();
        assert_eq!(infra, ["2016", "2017", "2019", "2020"], "{lang}");
    }

    // The city-level change comes from the history file; district changes are not known.
    let home = page(&site, "2020/en/index.html");
    assert!(home.contains("<dd class=\"change\">+3.91 on 2019</dd>"));
    assert!(page(&site, "2020/zh/index.html").contains("<dd class=\"change\">较 2019 年 +3.91</dd>"));
    let district = page(&site, "2020/en/districts/pudong.html");
    assert!(!district.contains("Rank change") && !district.contains("class=\"num change"));
    assert!(!page(&site, "2020/en/regional/5g.html").contains("Change on 2019"));
    let method = page(&site, "2020/zh/method.html");
    assert!(method.contains("指标体系变化") && method.contains("2019 年度仅有全市层面的历史数值"));
    // The only edition is the newest: latest/ leads to it, the archive lists it.
    assert!(page(&site, "latest/en/index.html").contains("url=../../2020/en/index.html"));
    assert_eq!(table_rows(&page(&site, "index.html"), "class=\"archive-table\"").len(), 7, "2020 and the six editions before the tool");
}
