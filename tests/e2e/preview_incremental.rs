//! The preview's incremental rebuilds give exactly what a full preview build gives: a narrative
//! edit re-renders only the pages showing that file, a data edit redraws only changed figures,
//! and after a failed data rebuild a narrative edit does not hide the error.

use crate::common;

use std::fs;
use std::path::PathBuf;

use cityreport::build::{build_site, BuildOptions};
use cityreport::serve::PreviewBuilder;
use cityreport::serve::Rebuild;

fn full_preview(root: &std::path::Path) -> cityreport::output::SiteFiles {
    build_site(root, &BuildOptions { drafts: true, preview: true, ..BuildOptions::default() }).unwrap()
}

fn append(path: &PathBuf, text: &str) {
    let mut s = fs::read_to_string(path).unwrap();
    s.push_str(text);
    fs::write(path, s).unwrap();
}

#[test]
fn incremental_rebuilds_equal_full_builds() {
    let tmp = common::copy_demo();
    let root = tmp.path().to_path_buf();
    let mut preview = PreviewBuilder::new(root.clone());
    let first = preview.rebuild(&[]).unwrap();
    assert!(first == full_preview(&root));

    // Narrative edits: an indicator section, a chapter, the home page, in both languages.
    let edits = [
        ("content/2020/en/regional/5g.md", "\nAn added sentence about 5G.\n"),
        ("content/2020/zh/overall/infra.md", "\n新增的一句话。\n"),
        ("content/2020/en/_index.md", "\nCity index: {{ value(indicator=\"overall\", entity=\"city\") }}.\n"),
    ];
    for (rel, text) in edits {
        let path = root.join(rel);
        append(&path, text);
        let incremental = preview.rebuild(&[path]).unwrap();
        let full = full_preview(&root);
        let differing: Vec<&String> = full.files.keys().filter(|k| full.get(k) != incremental.get(k)).collect();
        assert!(differing.is_empty(), "after editing {rel}, pages differ from a full build: {differing:?}");
        assert_eq!(incremental.len(), full.len());
    }
    let page = String::from_utf8(preview.rebuild(&[]).unwrap().get("2020/en/regional/5g.html").unwrap().to_vec()).unwrap();
    assert!(page.contains("An added sentence about 5G."));

    // A data edit: figures and tables follow.
    let values = root.join("data/2020/values.csv");
    let text = fs::read_to_string(&values).unwrap().replacen("pudong,5g,120.75", "pudong,5g,300.00", 1);
    fs::write(&values, text).unwrap();
    let incremental = preview.rebuild(std::slice::from_ref(&values)).unwrap();
    assert!(incremental == full_preview(&root));

    // A broken data file, then a narrative edit: the error must persist (no shortcut over stale
    // data), and fixing the data brings everything back.
    let broken = fs::read_to_string(&values).unwrap().replacen("pudong,5g,300.00", "pudong,5g,oops", 1);
    fs::write(&values, &broken).unwrap();
    assert!(preview.rebuild(std::slice::from_ref(&values)).is_err());
    let narrative = root.join("content/2020/en/_index.md");
    append(&narrative, "\nMore text.\n");
    let err = preview.rebuild(&[narrative]).unwrap_err();
    assert!(err.message.contains("oops"), "{}", err.message);
    fs::write(&values, broken.replacen("pudong,5g,oops", "pudong,5g,120.75", 1)).unwrap();
    assert!(preview.rebuild(&[values]).unwrap() == full_preview(&root));
}
