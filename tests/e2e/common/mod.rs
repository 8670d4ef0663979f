//! The harness of the end-to-end tests: scratch copies of the demo project, the binary, sites
//! built once and shared (`shared`), reading built sites (`site`), and the browser (`browser`).

pub mod browser;
pub mod checkers;
pub mod pages;
pub mod shared;
pub mod site;
pub mod static_site;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The repository root, which is also the demo project.
pub fn demo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A PNG cache shared by every test (figures are content-addressed, so sharing never changes
/// output): without it each scratch project would rasterise all figures again.
pub fn shared_png_cache() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("png-cache");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies the demo project's inputs (data, content, templates, assets) into a fresh temp folder,
/// with its figure cache pointing at the shared one.
pub fn copy_demo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    link_shared_png_cache(tmp.path());
    copy_demo_inputs(tmp.path());
    tmp
}

/// Points the project's figure cache at the shared one.
fn link_shared_png_cache(project: &Path) {
    #[cfg(unix)]
    std::os::unix::fs::symlink(shared_png_cache(), project.join(".cityreport-cache")).unwrap();
}

/// Copies the demo project's inputs (data, content, templates, assets) into `project`.
fn copy_demo_inputs(project: &Path) {
    for dir in ["data", "content", "templates", "assets"] {
        let from = demo_root().join(dir);
        if from.is_dir() {
            copy_dir(&from, &project.join(dir));
        }
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs the cityreport binary with `args`.
pub fn cityreport(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_cityreport")).args(args).output().unwrap()
}

/// Every file under `dir` with its bytes, to compare whole trees.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// Parses indices.csv into (indicator, entity) → row fields. The file starts with a UTF-8 BOM
/// (for Excel), which must be there and is skipped.
pub fn read_indices(csv_bytes: &[u8]) -> BTreeMap<(String, String), BTreeMap<String, String>> {
    let csv_bytes = csv_bytes.strip_prefix(cityreport::downloads::UTF8_BOM).expect("indices.csv starts with a UTF-8 BOM");
    let mut reader = csv::Reader::from_reader(csv_bytes);
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let row: BTreeMap<String, String> = headers.iter().zip(r.iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect();
            ((row["indicator"].clone(), row["entity"].clone()), row)
        })
        .collect()
}

/// A scratch copy of the demo with the clearly synthetic 2021 edition of
/// tests/fixtures/synthetic-2021 added (tests only; never part of the shipped demo).
pub fn demo_with_synthetic_2021() -> tempfile::TempDir {
    let tmp = copy_demo();
    copy_dir(&demo_root().join("tests/fixtures/synthetic-2021"), tmp.path());
    tmp
}

/// Runs `cityreport build` on `root` and fails the test with its stderr if the build fails.
pub fn build(root: &Path) {
    let out = cityreport(&["build", "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Builds the project at `root` into `root/site-out` (a folder of the test's own, apart from the
/// project's `site/`), failing the test with the build's output if it fails; returns that folder.
pub fn build_to_site_out(root: &Path) -> PathBuf {
    let out = root.join("site-out");
    let output = cityreport(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "cityreport build failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

/// `target/<name>/`, created: where browser tests leave screenshots for a person to look at.
pub fn screenshot_dir(name: &str) -> PathBuf {
    let dir = demo_root().join("target").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `published` (rounded) value of an indices.csv row.
pub fn published(row: &BTreeMap<String, String>) -> f64 {
    row["published"].parse().unwrap()
}

/// A page's visible text: inline figures dropped, tags turned into spaces, entities decoded,
/// white space collapsed.
pub fn visible_text(html: &str) -> String {
    let mut rest = html;
    let mut kept = String::new();
    while let Some(i) = rest.find("<svg") {
        kept.push_str(&rest[..i]);
        rest = rest[i..].find("</svg>").map_or("", |j| &rest[i + j + "</svg>".len()..]);
    }
    kept.push_str(rest);
    let mut out = String::new();
    let mut in_tag = false;
    for c in kept.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out.replace("&#x27;", "'").replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
