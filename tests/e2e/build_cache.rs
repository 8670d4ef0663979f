//! The build cache (`.cityreport-cache/`, or `CITYREPORT_CACHE`: PNGs, SVGs, web-font slices,
//! uncertainty results, PDFs) never changes the output (issue 25): a build that fills an empty
//! cache, a build served from it, and a build after its entries were damaged (a killed build)
//! write the same bytes.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Builds `root` into `out` with the cache at `cache`, and returns the site's files.
fn build(root: &Path, cache: &Path, out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cityreport"))
        .args(["build", "--quiet", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .env("CITYREPORT_CACHE", cache)
        .output()
        .unwrap();
    assert!(output.status.success(), "cityreport build failed:\n{}", String::from_utf8_lossy(&output.stderr));
    common::snapshot(out)
}

/// The files under `dir` whose names end in `ext`.
fn entries(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let Ok(list) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut found: Vec<PathBuf> = list.map(|e| e.unwrap().path()).filter(|p| p.to_string_lossy().ends_with(ext)).collect();
    found.sort();
    found
}

fn assert_same(a: &BTreeMap<PathBuf, Vec<u8>>, b: &BTreeMap<PathBuf, Vec<u8>>, what: &str) {
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{what}: other files");
    let differ: Vec<_> = a.iter().filter(|(k, v)| b[*k] != **v).map(|(k, _)| k).collect();
    assert!(differ.is_empty(), "{what}: files differ: {differ:?}");
}

#[test]
fn builds_from_an_empty_a_full_and_a_damaged_cache_write_the_same_bytes() {
    let project = common::copy_demo();
    let root = project.path();
    let cache = root.join("test-cache");
    // The PNGs come from the cache the tests share (rasterising them all again would only make
    // this test slow; their cache has its own tests); everything else starts empty.
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::create_dir_all(common::shared_png_cache().join("png")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(common::shared_png_cache().join("png"), cache.join("png")).unwrap();

    let cold = build(root, &cache, &root.join("out-cold"));
    let fonts = entries(&cache.join("fonts"), ".woff2");
    let analyses = entries(&cache.join("uncertainty"), ".bin");
    let svgs = entries(&cache.join("svg"), ".svg");
    assert!(!fonts.is_empty(), "the web-font slices are kept");
    assert_eq!(analyses.len(), 1, "the demo's one edition with [uncertainty] is kept");
    assert!(!svgs.is_empty(), "the figures' SVGs are kept");

    // Served from the cache: nothing is cut, computed or drawn again, and nothing differs.
    let warm = build(root, &cache, &root.join("out-warm"));
    assert_same(&cold, &warm, "a build from a full cache");
    assert_eq!(entries(&cache.join("fonts"), ".woff2"), fonts, "no slice was cut again");

    // Entries cut short, as by a build killed while writing them, are made again, not served.
    for file in fonts.iter().chain(&analyses).chain(&svgs) {
        let bytes = std::fs::read(file).unwrap();
        std::fs::write(file, &bytes[..bytes.len() / 2]).unwrap();
    }
    let damaged = build(root, &cache, &root.join("out-damaged"));
    assert_same(&cold, &damaged, "a build from a damaged cache");
}

/// Runs `cityreport build` of `root` into `out` (not quiet: its last line says what it did).
fn build_saying(root: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec!["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = common::cityreport(&args);
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "cityreport build failed:\n{said}");
    said
}

#[test]
fn a_build_with_nothing_changed_does_nothing_and_any_change_builds_again() {
    let project = common::copy_demo();
    let root = project.path();
    let out = root.join("site");
    assert!(build_saying(root, &out, &[]).contains("wrote "));
    let built = common::snapshot(&out);
    let index = out.join("2020/en/index.html");
    let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
    let first_inode = inode(&index);

    // Nothing changed: nothing is written, not even the same bytes again.
    let said = build_saying(root, &out, &[]);
    assert!(said.contains("is up to date"), "{said}");
    assert_eq!(inode(&index), first_inode, "the page was not written again");
    assert!(common::snapshot(&out) == built);

    // A narrative file saved again (same text, new time) builds in full, to the same bytes.
    let narrative = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .unwrap();
    let file = std::fs::File::options().write(true).open(&narrative).unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5)).unwrap();
    drop(file);
    assert!(build_saying(root, &out, &[]).contains("wrote "));
    assert!(common::snapshot(&out) == built, "a rebuild from the same text writes the same site");

    // A file put into the site by hand, or other options, build in full too.
    std::fs::write(out.join("stray.html"), "by hand").unwrap();
    assert!(build_saying(root, &out, &[]).contains("wrote "));
    assert!(!out.join("stray.html").exists(), "the rebuilt site is the tool's alone");
    assert!(build_saying(root, &out, &["--drafts"]).contains("wrote "));
    assert!(build_saying(root, &out, &[]).contains("wrote "));
    assert!(build_saying(root, &out, &[]).contains("is up to date"));
}
