//! The whole series and the plans, built through the CLI: the archive lists every edition
//! 2014–2020 with nothing invented, the 2017 edition leads to the 2014–2016 plan with all 13
//! targets achieved and their outcomes, the 2021–2025 plan shows its 16 targets with the two
//! baselines its text states, both languages, no broken links; a district's plan appears on its
//! profile (fictional fixture in tests/fixtures/district-plan); `check` lists targets without
//! outcomes; bad plan input is reported with file and line.

use crate::common;
use crate::common::site as site_common;

use std::fs;

use site_common::{load_site_dir as load_site, read_page as page, table_rows, text};

#[test]
fn the_demo_archive_lists_every_edition_and_the_plans_show_their_targets() {
    let demo = common::shared::demo();
    let site = &demo.out;

    // The archive: seven editions, newest first, each with a page per language.
    let root = page(&site, "index.html");
    let rows = table_rows(&root, "class=\"archive-table\"");
    let years: Vec<String> = rows.iter().map(|r| text(&r[0])).collect();
    assert_eq!(years, ["2020", "2019", "2018", "2017", "2016", "2015", "2014"]);
    for (row, year) in rows.iter().zip(&years) {
        let hrefs = site_common::attributes(&row[3], "href");
        assert_eq!(hrefs, [format!("{year}/zh/index.html"), format!("{year}/en/index.html")]);
    }
    // Headline values come from the data; 2014 has none and says so rather than inventing one.
    let history = fs::read_to_string(demo.project.join("data/history.csv")).unwrap();
    for (row, year) in rows.iter().zip(&years).skip(1) {
        let shown = text(&row[4]);
        match history.lines().find(|l| l.starts_with(&format!("{year},overall,"))) {
            Some(line) => assert_eq!(shown, line.split(',').nth(4).unwrap(), "{year}"),
            None => assert!(shown.contains("不详") && shown.contains("Not known"), "{year}: {shown}"),
        }
    }
    assert_eq!(text(&rows[0][4]), "109.77");
    assert!(text(&rows[3][5]).contains("规划目标进展") && text(&rows[3][5]).contains("plan progress"), "2017 holds plan progress");

    // Archived edition pages: what is not recorded is marked as not known, in both languages.
    for (lang, unknown) in [("zh", "不详"), ("en", "Not known")] {
        let home = page(&site, &format!("2014/{lang}/index.html"));
        assert!(home.matches(unknown).count() >= 2, "2014 {lang}: title and date are not known");
        assert!(home.contains(&format!("<html lang=\"{}\"", if lang == "zh" { "zh-CN" } else { "en" })));
        let y2016 = page(&site, &format!("2016/{lang}/index.html"));
        assert!(y2016.contains("97.65") && y2016.contains("92.9<") && !y2016.contains("92.90"), "2016 {lang}: values as printed");
    }

    // The 2017 entry leads to the 2014–2016 plan: all 13 targets achieved, each with its outcome.
    for (lang, achieved, outcomes) in [("zh", "已实现", ["87（e）", "≥ 68%", "＞ 20 万个", "6904 亿元"]), ("en", "Achieved", ["87（e）", "≥ 68%", "＞ 20 万个", "6904 亿元"])] {
        let home = page(&site, &format!("2017/{lang}/index.html"));
        let link = "plans/smart-city-2014-2016.html".to_string();
        assert!(site_common::attributes(&home, "href").contains(&link), "2017 {lang} links its plan");
        let plan = page(&site, &format!("2017/{lang}/{link}"));
        let rows = table_rows(&plan, "class=\"plan-table\"");
        assert_eq!(rows.len(), 13, "{lang}");
        for r in &rows {
            let status = r.iter().find(|c| c.contains("plan-status")).expect("status cell");
            assert!(status.contains("status-achieved") && text(status).ends_with(achieved), "{lang}: {}", text(status));
            assert!(status.contains("aria-hidden=\"true\">✓"), "icon as well as colour and words");
        }
        let all = text(&plan);
        for o in outcomes {
            assert!(all.contains(o), "{lang}: outcome {o} shown");
        }
        assert!(plan.contains(&format!("{achieved}：13 项")) || plan.contains(&format!("{achieved}: 13")), "{lang}: summary count");
    }
    let csv = page(&site, "plans/smart-city-2014-2016/plan-progress.csv");
    assert!(csv.starts_with('\u{feff}'), "plan-progress.csv starts with a BOM, for Excel");
    assert_eq!(csv.lines().count(), 1 + 13);
    assert!(csv.lines().skip(1).all(|l| l.contains(",achieved,")), "{csv}");

    // The 2021–2025 plan: 16 targets, baselines only where the plan states them, no outcomes.
    for (lang, not_stated) in [("zh", "未说明"), ("en", "not stated")] {
        let plan = page(&site, &format!("plans/{lang}/digital-transformation-2021-2025.html"));
        let rows = table_rows(&plan, "class=\"plan-table\"");
        assert_eq!(rows.len(), 16, "{lang}");
        let baselines: Vec<String> = rows.iter().map(|r| text(&r[4])).collect();
        assert_eq!(baselines.iter().filter(|b| b.as_str() == not_stated).count(), 14, "{lang}: {baselines:?}");
        assert!(baselines.iter().any(|b| b.contains("50") && b.contains("2020")), "{lang}: broadband baseline");
        assert!(rows.iter().all(|r| r.iter().any(|c| c.contains("status-no_data"))), "{lang}: no outcome is invented");
        assert!(text(&plan).contains("80左右"), "{lang}: the target as printed");
        let index = page(&site, &format!("plans/{lang}/index.html"));
        let hrefs = site_common::attributes(&index, "href");
        for plan in ["smart-city-2014-2016.html", "digital-transformation-2021-2025.html"] {
            assert!(hrefs.iter().any(|h| h == plan), "{lang}: the plans page lists {plan}");
        }
    }

    // One language per page, in words for readers.
    for (path, bytes) in common::snapshot(&site) {
        let p = path.to_string_lossy();
        if p.ends_with(".html") {
            let html = String::from_utf8_lossy(&bytes);
            assert!(!html.contains("历史数据文件原文") && !html.contains("history.csv"), "{p}: file jargon");
            if p.contains("/zh/") {
                assert!(!html.contains("Worked back") && !html.contains("Published with the"), "{p}: English note on a Chinese page");
            }
        }
    }
    let broken = site_common::broken_links(&load_site(&site));
    assert!(broken.is_empty(), "{} broken links, e.g.:\n{}", broken.len(), broken[..broken.len().min(20)].join("\n"));

    // `check` lists the targets that still lack outcomes.
    let out = common::cityreport(&["check", "--root", demo.project.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("plan digital-transformation-2021-2025: 16 of 16 targets have no outcome yet"), "{said}");
    assert!(!said.contains("plan smart-city-2014-2016"), "{said}");
}

#[test]
fn a_district_plan_shows_on_that_district_profile_and_as_an_edition_chapter() {
    let tmp = common::copy_demo();
    common::copy_dir(&common::demo_root().join("tests/fixtures/district-plan"), tmp.path());
    let edition = tmp.path().join("data/2020/edition.toml");
    let text_ = fs::read_to_string(&edition).unwrap().replacen("precision = 2\n", "precision = 2\nplans = [\"fictional-district-plan\"]\n", 1);
    fs::write(&edition, text_).unwrap();
    // An archived edition with an attachment (the fixture's stand-in file).
    let y2014 = tmp.path().join("data/2014/edition.toml");
    let mut text_ = fs::read_to_string(&y2014).unwrap();
    text_.push_str("\n[[attachment]]\nfile = \"original-report.txt\"\nlabel = { zh = \"原文（测试）\", en = \"Original (test)\" }\n");
    fs::write(&y2014, text_).unwrap();
    common::build(tmp.path());
    let site = tmp.path().join("site");
    assert_eq!(
        fs::read(site.join("2014/files/original-report.txt")).unwrap(),
        fs::read(tmp.path().join("data/2014/original-report.txt")).unwrap(),
        "the attachment is copied as it is"
    );
    for lang in ["zh", "en"] {
        let home = page(&site, &format!("2014/{lang}/index.html"));
        assert!(site_common::attributes(&home, "href").contains(&"../files/original-report.txt".to_string()), "{lang}: linked");
    }

    // As of 2020 (the edition's year): one target per status, the 2021 figure not yet known.
    for (lang, heading) in [("zh", "本区规划目标进展"), ("en", "Progress towards the district's plan")] {
        let profile = site_common::unescape(&page(&site, &format!("2020/{lang}/districts/jingan.html")));
        assert!(profile.contains(heading), "{lang}");
        let rows = table_rows(&profile, "class=\"plan-table\"");
        let statuses: Vec<&str> = rows
            .iter()
            .map(|r| {
                let cell = r.iter().find(|c| c.contains("plan-status")).unwrap();
                let key = cell.split("status-").nth(1).unwrap();
                &key[..key.find('"').unwrap()]
            })
            .collect();
        assert_eq!(statuses, ["achieved", "on_track", "behind", "off_track", "no_data"], "{lang}");
        assert!(!site_common::unescape(&page(&site, &format!("2020/{lang}/districts/pudong.html"))).contains(heading), "only the plan's district");
        // The edition names the plan: a chapter of its own, in the navigation of every page.
        let chapter = page(&site, &format!("2020/{lang}/plans/fictional-district-plan.html"));
        assert_eq!(table_rows(&chapter, "class=\"plan-table\"").len(), 5);
        assert!(site_common::attributes(&page(&site, &format!("2020/{lang}/method.html")), "href").contains(&"plans/fictional-district-plan.html".to_string()));
    }
    // The plans page uses every outcome: the 2021 figure meets the "at most 5" target.
    let later = page(&site, "plans/en/fictional-district-plan.html");
    let rows = table_rows(&later, "class=\"plan-table\"");
    assert!(rows[3].iter().any(|c| c.contains("status-achieved")), "falling target achieved by 2021");
    let broken = site_common::broken_links(&load_site(&site));
    assert!(broken.is_empty(), "{} broken links, e.g.:\n{}", broken.len(), broken[..broken.len().min(20)].join("\n"));
}

#[test]
fn bad_plan_input_is_reported_with_file_and_line() {
    let tmp = common::copy_demo();
    let root = tmp.path();
    let plan = root.join("data/plans/digital-transformation-2021-2025/plan.toml");
    let text_ = fs::read_to_string(&plan).unwrap();
    let line = text_.lines().position(|l| l == "value = 80").unwrap() + 1;
    fs::write(&plan, text_.replacen("value = 80\n", "value = \"80左右\"\n", 1)).unwrap();
    let actuals = root.join("data/plans/smart-city-2014-2016/actuals.csv");
    let mut rows = fs::read_to_string(&actuals).unwrap();
    rows.push_str("no_such_target,2016,1,,,,甲,A\nfibre_homes,2019,70,,,,甲,A\n");
    fs::write(&actuals, rows).unwrap();
    let out = common::cityreport(&["build", "--root", root.to_str().unwrap()]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains(&format!("digital-transformation-2021-2025/plan.toml:{line}:")) && said.contains("\"80左右\" is text"), "{said}");
    assert!(said.contains("smart-city-2014-2016/actuals.csv:15") && said.contains("not a target of this plan"), "{said}");
    assert!(said.contains("smart-city-2014-2016/actuals.csv:16") && said.contains("outside the plan period 2014–2016"), "{said}");
    assert!(!root.join("site").exists(), "a failed build writes nothing");
}
