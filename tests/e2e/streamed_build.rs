//! `cityreport build` streams the site to disk edition by edition (figures drawn just before an
//! edition's pages; PNGs, downloads and pages written as they are made; only search text and
//! web-font counts kept: issue 14). The site it writes must be the one the in-memory pipeline
//! (`build_site`, used by `check` and the preview) makes, byte for byte — search index and web
//! fonts over all editions included — with and without a frozen edition laid over the rendered
//! one.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cityreport::build::{build_site, BuildOptions};

/// The in-memory site, keyed like `common::snapshot` (paths relative to the site root).
fn in_memory(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let site = build_site(root, &BuildOptions::default()).unwrap_or_else(|e| panic!("in-memory build failed: {e}"));
    site.files.iter().map(|(path, bytes)| (PathBuf::from(path), bytes.to_vec())).collect()
}

fn assert_same_site(streamed: &BTreeMap<PathBuf, Vec<u8>>, memory: &BTreeMap<PathBuf, Vec<u8>>, what: &str) {
    // The marker saying cityreport wrote the folder is the output's, not the site's.
    let only_disk: Vec<_> =
        streamed.keys().filter(|k| !memory.contains_key(*k) && **k != Path::new(cityreport::output::MARKER)).collect();
    let only_memory: Vec<_> = memory.keys().filter(|k| !streamed.contains_key(*k)).collect();
    assert!(only_disk.is_empty() && only_memory.is_empty(), "{what}: only on disk {only_disk:?}, only in memory {only_memory:?}");
    let differ: Vec<_> = memory.iter().filter(|(k, v)| streamed[*k] != **v).map(|(k, _)| k).collect();
    assert!(differ.is_empty(), "{what}: files differ: {differ:?}");
}

#[test]
fn the_streamed_build_writes_the_in_memory_site_with_and_without_a_frozen_edition() {
    // The fictional second city: two editions, so pages, search and fonts span editions.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("city");
    common::copy_dir(&common::demo_root().join("examples/example-city"), &root);
    #[cfg(unix)]
    std::os::unix::fs::symlink(common::shared_png_cache(), root.join(".cityreport-cache")).unwrap();

    let out = common::build_to_site_out(&root);
    let streamed = common::snapshot(&out);
    let years: Vec<&str> = ["2023", "2024"].into_iter().filter(|y| streamed.keys().any(|k| k.starts_with(y))).collect();
    assert_eq!(years, ["2023", "2024"], "both editions are built");
    for lang in ["zh", "en"] {
        let index = &streamed[&PathBuf::from(format!("search/index-{lang}.js"))];
        let text = String::from_utf8_lossy(index);
        assert!(text.contains("2023/") && text.contains("2024/"), "the {lang} search index covers both editions");
    }
    assert_same_site(&streamed, &in_memory(&root), "no frozen edition");

    // Freeze 2023, then change its narrative: the rendered 2023 pages now differ from the frozen
    // ones, which must win on disk as in memory, and the fonts must count the frozen pages.
    let published = common::cityreport(&["publish", "2023", "--root", root.to_str().unwrap()]);
    assert!(published.status.success(), "{}", String::from_utf8_lossy(&published.stderr));
    let narrative = walkdir::WalkDir::new(root.join("content/2023/en"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .expect("the 2023 English narrative");
    let mut text = std::fs::read_to_string(&narrative).unwrap();
    text.push_str("\n\nAn added sentence with a rare word: Qwertyuiopzx.\n");
    std::fs::write(&narrative, text).unwrap();

    let out = common::build_to_site_out(&root);
    let streamed = common::snapshot(&out);
    let added = streamed.iter().any(|(k, v)| k.starts_with("2023") && String::from_utf8_lossy(v).contains("Qwertyuiopzx"));
    assert!(!added, "the frozen 2023 edition is served, not the edited one");
    assert_same_site(&streamed, &in_memory(&root), "2023 frozen");
}
