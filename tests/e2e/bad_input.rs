//! Bad input: each case gives a message naming the file and line and what to do, exits non-zero
//! from both `build` and `check`, and leaves the previous `site/` byte-identical.

use crate::common;

use std::fs;
use std::path::Path;

/// A scratch copy of the demo with a built site, so every case can check the site is untouched.
struct Scratch {
    dir: tempfile::TempDir,
}

/// The demo's site, built once for all cases (a build takes seconds, a copy a fraction of one).
fn built_demo_site() -> &'static Path {
    &common::shared::demo().out
}

impl Scratch {
    /// A copy of the demo with a copy of its built site (marked as the tool's, as built).
    fn new() -> Self {
        let dir = common::copy_demo();
        common::copy_dir(built_demo_site(), &dir.path().join("site"));
        Scratch { dir }
    }

    fn path(&self, rel: &str) -> std::path::PathBuf {
        self.dir.path().join(rel)
    }

    fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) {
        let p = self.path(rel);
        let text = fs::read_to_string(&p).unwrap();
        let new = f(text.clone());
        assert_ne!(new, text, "the edit of {rel} must change something");
        fs::write(p, new).unwrap();
    }

    /// Runs build and check; both must fail with every `expected` fragment in stderr, and the
    /// site must not change. Returns build's stderr.
    fn expect_failure(&self, expected: &[&str]) -> String {
        let root = self.dir.path().to_str().unwrap();
        let before = common::snapshot(&self.path("site"));
        let build = common::cityreport(&["build", "--root", root]);
        let check = common::cityreport(&["check", "--root", root]);
        let stderr = String::from_utf8_lossy(&build.stderr).to_string();
        let check_err = String::from_utf8_lossy(&check.stderr).to_string();
        assert!(!build.status.success(), "build should fail");
        assert!(!check.status.success(), "check should fail");
        for fragment in expected {
            assert!(stderr.contains(fragment), "build stderr lacks {fragment:?}:\n{stderr}");
            assert!(check_err.contains(fragment), "check stderr lacks {fragment:?}:\n{check_err}");
        }
        assert!(stderr.contains("help:"), "every message says what to do:\n{stderr}");
        assert!(before == common::snapshot(&self.path("site")), "site/ changed after a failed build");
        stderr
    }
}

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "fixture text {from:?} not found");
    text.replacen(from, to, 1)
}

fn line_of(path: &Path, needle: &str) -> usize {
    fs::read_to_string(path).unwrap().lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn malformed_toml_names_file_line_and_column() {
    let s = Scratch::new();
    s.edit("data/2020/indicators.toml", |t| replace_once(&t, "weight = \"9/40\"", "weight = \"9/40"));
    let line = line_of(&s.path("data/2020/indicators.toml"), "weight = \"9/40");
    s.expect_failure(&[&format!("data/2020/indicators.toml:{line}:")]);
}

#[test]
fn malformed_csv_row_names_its_line() {
    let s = Scratch::new();
    s.edit("data/2020/values.csv", |t| replace_once(&t, "huangpu,5g,192.22,", "huangpu,5g,192.22,x,y,"));
    s.expect_failure(&["data/2020/values.csv:3", "fields but the header has"]);
}

#[test]
fn unknown_district_suggests_the_right_id() {
    let s = Scratch::new();
    s.edit("data/2020/values.csv", |t| replace_once(&t, "huangpu,5g,", "huangpuu,5g,"));
    s.expect_failure(&["values.csv:3:1", "unknown district \"huangpuu\"", "did you mean \"huangpu\"?"]);
}

#[test]
fn unknown_indicator_suggests_the_right_id() {
    let s = Scratch::new();
    s.edit("data/2020/values.csv", |t| replace_once(&t, "huangpu,5g,", "huangpu,5G_,"));
    s.expect_failure(&["values.csv:3:", "unknown indicator \"5G_\""]);
    let s = Scratch::new();
    s.edit("data/2020/values.csv", |t| replace_once(&t, "pudong,e_seal,", "pudong,e_sael,"));
    s.expect_failure(&["unknown indicator \"e_sael\"", "did you mean \"e_seal\"?"]);
}

#[test]
fn missing_value_is_refused_not_reweighted() {
    let s = Scratch::new();
    s.edit("data/2020/values.csv", |t| t.lines().filter(|l| !l.starts_with("jingan,iot,")).map(|l| format!("{l}\n")).collect());
    s.expect_failure(&["data/2020/values.csv", "no value for indicator \"iot\" for jingan", "not imputed"]);
}

#[test]
fn duplicate_value_names_both_lines() {
    let s = Scratch::new();
    s.edit("data/2020/values.csv", |mut t| {
        t.push_str("pudong,5g,1.0,duplicate\n");
        t
    });
    let last = fs::read_to_string(s.path("data/2020/values.csv")).unwrap().lines().count();
    s.expect_failure(&[&format!("values.csv:{last}:"), "a second value for pudong / 5g (the first is on line 2)"]);
}

#[test]
fn non_numeric_nan_and_infinite_values_are_refused() {
    for (bad, what) in [("12,3", "is not a number"), ("n/a", "is not a number"), ("NaN", "is NaN"), ("inf", "is infinite")] {
        let s = Scratch::new();
        let cell = if bad.contains(',') { format!("\"{bad}\"") } else { bad.to_string() };
        s.edit("data/2020/values.csv", |t| replace_once(&t, "huangpu,5g,192.22,", &format!("huangpu,5g,{cell},")));
        s.expect_failure(&["values.csv:3:12", what]);
    }
}

#[test]
fn empty_value_cells_are_missing_values() {
    let s = Scratch::new();
    s.edit("data/2020/values.csv", |t| replace_once(&t, "huangpu,5g,192.22,", "huangpu,5g,,"));
    s.expect_failure(&["values.csv:3", "no value for indicator \"5g\" for huangpu (empty on line 3)"]);
}

#[test]
fn sibling_weights_must_sum_to_one() {
    let s = Scratch::new();
    s.edit("data/2020/indicators.toml", |t| replace_once(&t, "weight = 0.3", "weight = 0.35"));
    let line = line_of(&s.path("data/2020/indicators.toml"), "id = \"overall\"");
    s.expect_failure(&[&format!("indicators.toml:{line}:"), "children of \"overall\" add up to 1.05 instead of 1"]);
}

#[test]
fn cycles_in_the_tree_are_reported() {
    let s = Scratch::new();
    s.edit("data/2020/indicators.toml", |t| replace_once(&t, "id = \"capacity\"\nparent = \"infra\"", "id = \"capacity\"\nparent = \"5g\""));
    s.expect_failure(&["indicators.toml:", "the parents form a cycle"]);
}

#[test]
fn orphans_are_reported() {
    let s = Scratch::new();
    s.edit("data/2020/indicators.toml", |t| replace_once(&t, "id = \"iot\"\nparent = \"perception\"", "id = \"iot\"\nparent = \"perceptoin\""));
    s.expect_failure(&["indicators.toml:", "parent \"perceptoin\" of \"iot\" is not an indicator id", "did you mean \"perception\"?"]);
    let s = Scratch::new();
    s.edit("data/2020/indicators.toml", |t| replace_once(&t, "id = \"iot\"\nparent = \"perception\"\n", "id = \"iot\"\n"));
    s.expect_failure(&["\"iot\" has no parent, but \"overall\" is already the root"]);
}

#[test]
fn coefficient_outside_its_range_is_refused() {
    let s = Scratch::new();
    s.edit("data/2020/values.csv", |t| replace_once(&t, "pudong,cyber,1.00,", "pudong,cyber,98,"));
    let line = line_of(&s.path("data/2020/values.csv"), "pudong,cyber,98");
    s.expect_failure(&[&format!("values.csv:{line}:14"), "coefficient cyber = 98 for pudong is outside its range [0.8, 1]"]);
}

#[test]
fn region_without_districts_is_refused() {
    let s = Scratch::new();
    s.edit("data/2020/districts.toml", |mut t| {
        t.push_str("\n[[region]]\nid = \"islands\"\nname = { zh = \"岛屿\", en = \"Islands\" }\n");
        t
    });
    s.expect_failure(&["districts.toml:", "region \"islands\" has no districts"]);
}

#[test]
fn bom_and_crlf_are_accepted_and_change_nothing() {
    let s = Scratch::new();
    let before = fs::read(s.path("site/2020/data/indices.csv")).unwrap();
    for rel in ["data/2020/values.csv", "data/2020/indicators.toml", "data/2020/districts.toml"] {
        let text = fs::read_to_string(s.path(rel)).unwrap();
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(text.replace('\n', "\r\n").into_bytes());
        fs::write(s.path(rel), bytes).unwrap();
    }
    let out = common::cityreport(&["build", "--root", s.dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(fs::read(s.path("site/2020/data/indices.csv")).unwrap(), before);
}

#[test]
fn gbk_file_gets_a_clear_error() {
    let s = Scratch::new();
    let text = fs::read_to_string(s.path("data/2020/values.csv")).unwrap();
    let text = text.replace("printed report 2020", "2020年报告");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    fs::write(s.path("data/2020/values.csv"), &gbk).unwrap();
    s.expect_failure(&["data/2020/values.csv:2", "GBK", "save it as UTF-8"]);
}

/// `--base-url` goes into every canonical link and the sitemap: anything but an absolute
/// http(s) address without query or fragment is refused before anything is read or written.
#[test]
fn base_url_must_be_a_plain_web_address() {
    let tmp = tempfile::tempdir().unwrap();
    for (bad, why) in [("javascript:alert(1)//", "not an http:// or https:// address"), ("https://example.org/?x=1", "query or fragment"), ("https://example.org/#a", "query or fragment")] {
        let out = common::cityreport(&["build", "--root", tmp.path().to_str().unwrap(), "--base-url", bad]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("--base-url") && stderr.contains(why) && stderr.contains("e.g. https://"), "{bad}: {stderr}");
        assert!(fs::read_dir(tmp.path()).unwrap().next().is_none(), "nothing written for {bad}");
    }
}

/// `publish` of an archived edition (the demo's 2019) says what it is, changes nothing, and no
/// longer blames the TOML syntax for a missing title.
#[test]
fn publishing_an_archived_edition_is_refused_plainly() {
    let project = common::copy_demo();
    let root = project.path();
    let before = fs::read(root.join("data/2019/edition.toml")).unwrap();
    let out = common::cityreport(&["publish", "2019", "--root", root.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("edition 2019 is archived") && stderr.contains("help: ") && !stderr.contains("TOML syntax"), "{stderr}");
    assert_eq!(fs::read(root.join("data/2019/edition.toml")).unwrap(), before, "edition.toml unchanged");
    assert!(!root.join("archive/2019").exists());
}
