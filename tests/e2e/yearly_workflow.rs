//! The yearly workflow as an analyst runs it: `cityreport new` the next year, fill in values.csv,
//! `cityreport build --drafts`. Every indicator the new edition keeps from the previous one must be
//! followed to it — none may show as new — including 2020's `infra`, which carries
//! `continues = "network_readiness"` from its own rename.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

#[test]
fn new_fill_build_keeps_every_indicator_connected_to_the_previous_edition() {
    let tmp = common::copy_demo();
    let root = tmp.path();
    let r = root.to_str().unwrap();
    let made = common::cityreport(&["new", "2021", "--root", r]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));

    // `new` copies the indicator system without `continues`, which pointed two editions back.
    let copied = fs::read_to_string(root.join("data/2021/indicators.toml")).unwrap();
    let original = fs::read_to_string(root.join("data/2020/indicators.toml")).unwrap();
    assert!(original.contains("continues = \"network_readiness\""), "the demo's 2020 rename is the case under test");
    assert!(!copied.lines().any(|l| l.trim_start().starts_with("continues")), "{copied}");

    // Fill values.csv as an analyst would: every district × leaf, here 99% of the 2020 value.
    let mut then = BTreeMap::new();
    for rec in csv::Reader::from_path(root.join("data/2020/values.csv")).unwrap().records() {
        let rec = rec.unwrap();
        then.insert((rec[0].to_string(), rec[1].to_string()), rec[2].parse::<f64>().unwrap());
    }
    let path = root.join("data/2021/values.csv");
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&headers).unwrap();
    let mut filled = 0;
    for rec in reader.records() {
        let rec = rec.unwrap();
        let value = then[&(rec[0].to_string(), rec[1].to_string())] * 0.99;
        w.write_record([&rec[0], &rec[1], &format!("{value:.2}"), "test fill", ""]).unwrap();
        filled += 1;
    }
    assert_eq!(filled, then.len(), "values.csv lists every district × leaf of 2020");
    fs::write(&path, w.into_inner().unwrap()).unwrap();

    let built = common::cityreport(&["build", "--drafts", "--root", r]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let site = root.join("site");

    // changes.csv lists exactly the indicators that have a previous counterpart, under its id.
    let ids: BTreeSet<String> = common::read_indices(&fs::read(site.join("2021/data/indices.csv")).unwrap())
        .into_keys()
        .map(|(ind, _)| ind)
        .collect();
    let mut followed = BTreeMap::new();
    for rec in csv::Reader::from_path(site.join("2021/data/changes.csv")).unwrap().deserialize::<BTreeMap<String, String>>() {
        let rec = rec.unwrap();
        followed.insert(rec["indicator"].clone(), rec["previous_indicator"].clone());
    }
    assert_eq!(followed.keys().cloned().collect::<BTreeSet<_>>(), ids, "every 2021 indicator is compared with 2020");
    assert!(followed.iter().all(|(now, then)| now == then), "followed by their own ids: {followed:?}");

    // No page of 2021 calls any indicator new (the Pudong profile was the reported case).
    for lang in ["zh", "en"] {
        for entry in walkdir::WalkDir::new(site.join("2021").join(lang)).into_iter().map(|e| e.unwrap()) {
            if entry.path().extension().is_some_and(|x| x == "html") {
                let html = fs::read_to_string(entry.path()).unwrap();
                for marker in ["change new", "新增指标", "New indicator", "new indicator"] {
                    assert!(!html.contains(marker), "{} says `{marker}`", entry.path().display());
                }
            }
        }
    }
    let pudong = fs::read_to_string(site.join("2021/en/districts/pudong.html")).unwrap();
    assert!(pudong.contains("on 2020"), "the profile compares with 2020");
}
