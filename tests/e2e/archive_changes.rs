//! Several editions in one site: changes across years follow renamed indicators, frozen editions
//! stay byte-identical, and `verify` names any file that changed. Uses the clearly synthetic
//! 2021 edition in tests/fixtures/synthetic-2021 added to a scratch copy of the demo.

use crate::common;

use std::collections::BTreeMap;
use std::fs;




#[test]
fn changes_follow_indicators_across_renames_and_match_both_editions() {
    let site = &common::shared::demo_with_synthetic_2021().out;
    let then = common::read_indices(&fs::read(site.join("2020/data/indices.csv")).unwrap());
    let now = common::read_indices(&fs::read(site.join("2021/data/indices.csv")).unwrap());
    let mut reader = csv::Reader::from_path(site.join("2021/data/changes.csv")).unwrap();
    let mut seen = BTreeMap::new();
    for r in reader.deserialize::<BTreeMap<String, String>>() {
        let r = r.unwrap();
        let (ind, prev, entity) = (r["indicator"].clone(), r["previous_indicator"].clone(), r["entity"].clone());
        let a = &then[&(prev.clone(), entity.clone())];
        let b = &now[&(ind.clone(), entity.clone())];
        let expected = common::published(b) - common::published(a);
        let got: f64 = r["value_change"].parse().unwrap();
        assert!((got - expected).abs() < 0.005, "{ind} {entity}: change {got}, expected {expected:.2}");
        if !r["rank_change"].is_empty() {
            let expected = a["rank"].parse::<i32>().unwrap() - b["rank"].parse::<i32>().unwrap();
            assert_eq!(r["rank_change"].trim_start_matches('+').parse::<i32>().unwrap(), expected, "{ind} {entity}");
        } else {
            assert!(a["rank"].is_empty(), "only city and region rows lack a rank change");
        }
        seen.insert(ind, prev);
    }
    // The renamed node is followed to its old id; new ones have no change; removed ones vanish.
    assert_eq!(seen.get("basic_capacity").map(String::as_str), Some("capacity"));
    assert_eq!(seen.get("5g").map(String::as_str), Some("5g"));
    assert!(!seen.contains_key("gigabit") && !seen.contains_key("open_data_volume"));
    assert!(!seen.contains_key("weather_stations"));
    assert_eq!(seen.len(), 55 - 3, "every indicator but the three new ones has changes");
}

#[test]
fn framework_changes_are_found() {
    let tmp = common::demo_with_synthetic_2021();
    let project = cityreport::load::load_project(tmp.path()).unwrap();
    let computed = cityreport::compute::compute_project(&project, false).unwrap();
    let changes = computed[1].changes.as_ref().unwrap();
    let tree = &computed[1].edition.tree;
    let ids = |v: &[usize]| v.iter().map(|&i| tree.nodes[i].id.clone()).collect::<Vec<_>>();
    let fw = &changes.framework;
    assert_eq!(ids(&fw.added), ["gigabit", "open_data_volume", "open_data_use"]);
    assert_eq!(fw.removed.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["weather_stations"]);
    let renamed: Vec<(String, String)> = fw.renamed.iter().map(|r| (tree.nodes[r.0].id.clone(), r.1.clone())).collect();
    assert_eq!(renamed, [("basic_capacity".to_string(), "capacity".to_string()), ("5g".to_string(), "5g".to_string())]);
    let reweighted = ids(&fw.reweighted.iter().map(|r| r.0).collect::<Vec<_>>());
    assert!(reweighted.contains(&"5g".to_string()) && reweighted.contains(&"infra".to_string()) && reweighted.contains(&"e_police".to_string()));
    assert!(!reweighted.contains(&"env".to_string()), "env kept its weight 0.3");
    assert!(fw.moved.is_empty(), "following the rename, nothing moved: {:?}", fw.moved);
    assert_eq!(changes.previous_year, 2020);
}

#[test]
fn a_published_edition_stays_byte_identical_and_verify_names_changed_files() {
    let tmp = common::demo_with_synthetic_2021();
    let root = tmp.path();
    let r = root.to_str().unwrap();
    let out = common::cityreport(&["publish", "2020", "--root", r]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    common::build(root);
    let frozen_before = common::snapshot(&root.join("site/2020"));
    assert!(!frozen_before.is_empty());

    // Later edits to shared templates/assets, the 2020 narrative and data, other editions and the
    // history must not change a byte of the frozen edition.
    for dir in ["templates", "assets"] {
        let d = root.join(dir);
        if d.is_dir() {
            for entry in walkdir::WalkDir::new(&d).into_iter().filter_map(|e| e.ok()).filter(|e| e.file_type().is_file()) {
                let p = entry.path();
                if matches!(p.extension().and_then(|x| x.to_str()), Some("html" | "css" | "js" | "xml")) {
                    let mut text = fs::read_to_string(p).unwrap();
                    text.push_str("\n<!-- edited after publication -->\n");
                    fs::write(p, text).unwrap();
                }
            }
        }
    }
    let edit = |rel: &str, from: &str, to: &str| {
        let p = root.join(rel);
        let text = fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} lacks {from}");
        fs::write(&p, text.replacen(from, to, 1)).unwrap();
    };
    edit("content/2020/en/_index.md", "+++\n\n", "+++\n\nEdited after publication. ");
    edit("data/2020/values.csv", "pudong,5g,120.75", "pudong,5g,150.00");
    edit("data/2021/values.csv", "synthetic", "synthetic (edited)");
    edit("data/history.csv", "96.91", "96.92");
    common::build(root);
    assert!(frozen_before == common::snapshot(&root.join("site/2020")), "a frozen 2020 file changed");
    let verify = common::cityreport(&["verify", "--root", r]);
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stderr));

    // One changed byte in the built site, and one in the archive: verify fails and names each.
    let page = root.join("site/2020/data/indices.csv");
    let mut bytes = fs::read(&page).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 1;
    fs::write(&page, bytes).unwrap();
    let archived = root.join("archive/2020/files/data/values.csv");
    let mut bytes = fs::read(&archived).unwrap();
    bytes[0] ^= 1;
    fs::write(&archived, bytes).unwrap();
    fs::write(root.join("archive/2020/files/stray.txt"), "x").unwrap();
    fs::remove_file(root.join("site/2020/data/indices.json")).unwrap();
    let verify = common::cityreport(&["verify", "--root", r]);
    assert!(!verify.status.success());
    let report = String::from_utf8_lossy(&verify.stdout);
    assert!(report.contains(&format!("changed: {}", page.display())), "{report}");
    assert!(report.contains(&format!("changed: {}", archived.display())), "{report}");
    assert!(report.contains("extra:   ") && report.contains("stray.txt"), "{report}");
    assert!(report.contains("missing: ") && report.contains("site/2020/data/indices.json"), "{report}");
    assert_eq!(report.lines().count(), 4, "{report}");
}

#[test]
fn replacing_a_published_edition_needs_force_and_keeps_the_old_one() {
    let tmp = common::demo_with_synthetic_2021();
    let r = tmp.path().to_str().unwrap();
    assert!(common::cityreport(&["publish", "2020", "--root", r]).status.success());
    let again = common::cityreport(&["publish", "2020", "--root", r]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    let first = common::snapshot(&tmp.path().join("archive/2020/files"));
    let edited = tmp.path().join("data/2020/values.csv");
    let text = fs::read_to_string(&edited).unwrap().replacen("pudong,5g,120.75", "pudong,5g,150.00", 1);
    fs::write(&edited, text).unwrap();
    assert!(common::cityreport(&["publish", "2020", "--root", r, "--force"]).status.success());
    common::build(tmp.path());
    // The old version is kept, byte for byte, and served beside the new one.
    assert!(first == common::snapshot(&tmp.path().join("archive/2020-r1/files")));
    assert!(first == common::snapshot(&tmp.path().join("site/2020-r1")));
    assert!(first != common::snapshot(&tmp.path().join("site/2020")), "the replacement reflects the new data");
    assert!(common::cityreport(&["verify", "--root", r]).status.success());
}
