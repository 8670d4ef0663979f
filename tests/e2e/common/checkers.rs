//! The external checkers the browser tests use, from `tests/browser/node_modules` (pinned in
//! tests/browser/package-lock.json; `scripts/test` installs them with `npm ci`).

use std::path::PathBuf;

fn installed(rel: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules").join(rel);
    assert!(
        path.is_file(),
        "{} is missing: install the browser tests' checkers with `npm ci --prefix tests/browser` (scripts/test does)",
        path.display()
    );
    path
}

/// axe-core's browser bundle, to be evaluated in a page (it defines `window.axe`).
pub fn axe_source() -> String {
    std::fs::read_to_string(installed("axe-core/axe.min.js")).unwrap()
}

/// The Nu Html Checker, run with `java -jar`.
pub fn vnu_jar() -> PathBuf {
    installed("vnu-jar/build/dist/vnu.jar")
}
