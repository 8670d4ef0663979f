//! Accessibility and validity of every page kind of the demo, in both languages (issue 12):
//!
//! - axe-core (the npm package's `axe.min.js`, evaluated in the page from disk) finds no
//!   violation of WCAG 2.1 A/AA rules, in light and in dark mode (`prefers-color-scheme: dark`
//!   emulated over CDP) and on a 390 px phone, and the page logs no console error or warning, exception or failed
//!   request while loading;
//! - the Nu Html Checker (`vnu.jar`, one JVM over every HTML file of the built site, inline SVG
//!   and JSON-LD included) reports no error.
//!
//! The site is the demo built once for every test that only reads it (`common::shared`); the
//! browser reads it from a local HTTP server (axe-core reads the page's stylesheets again with
//! XMLHttpRequest, which `file:` pages may not do).

use crate::common;

use std::path::Path;
use std::process::Command;

use common::browser::{problems, Browser};
use serde_json::json;

/// The demo built by the CLI, once per test process.
fn site() -> &'static Path {
    &common::shared::demo().out
}

/// The WCAG 2.1 level A and AA rule sets of axe-core.
const AXE_RUN: &str = r#"(async () => {
    const result = await axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.length,
        first: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " — " + (n.failureSummary || "").split("\n").slice(1).join(" ").trim()),
    }));
})()"#;

#[test]
fn axe_finds_no_wcag_aa_violation_on_any_page_kind_in_light_and_dark_mode_and_on_a_phone() {
    let out = site();
    let axe = common::checkers::axe_source();
    let server = common::static_site::serve_dir(out);
    let mut browser = Browser::launch();
    let mut wrong = Vec::new();
    let mut checked = 0;
    // Light and dark on a desktop-sized window, and light on a 390 px phone (other rules apply:
    // scroll boxes, wrapped header).
    for (scheme, phone) in [("light", false), ("dark", false), ("light", true)] {
        browser.call("Emulation.setEmulatedMedia", json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }));
        if phone {
            browser.call("Emulation.setDeviceMetricsOverride", json!({ "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true }));
        }
        let scheme = if phone { "phone" } else { scheme };
        for page in common::pages::page_kinds() {
            let file = out.join(&page);
            assert!(file.is_file(), "the demo has no {page}");
            let since = browser.navigate(&format!("http://{}/{page}", server.addr()));
            let dark = browser.eval("matchMedia('(prefers-color-scheme: dark)').matches").unwrap();
            assert_eq!(dark, json!(scheme == "dark"), "{page}: the colour scheme was not emulated");
            browser.eval(&axe).unwrap_or_else(|e| panic!("{page}: axe.min.js failed to load: {e}"));
            let violations = browser.eval(AXE_RUN).unwrap_or_else(|e| panic!("{page}: axe.run failed: {e}"));
            for v in violations.as_array().unwrap() {
                wrong.push(format!("{page} ({scheme}): {} [{}] on {} node(s): {}", v["id"], v["impact"], v["nodes"], v["first"]));
            }
            browser.sync();
            // axe itself logs nothing; what is here is the page's own.
            wrong.extend(problems(&browser.log, since, false).into_iter().map(|p| format!("{page} ({scheme}): {p}")));
            checked += 1;
        }
    }
    eprintln!("axe-core: {checked} page loads checked");
    assert!(wrong.is_empty(), "{} problem(s):\n  {}", wrong.len(), wrong.join("\n  "));
}

#[test]
fn the_nu_html_checker_finds_no_error_in_any_page() {
    let out = site();
    let pages = walkdir::WalkDir::new(out).into_iter().filter_map(Result::ok).filter(|e| e.path().extension().is_some_and(|x| x == "html")).count();
    assert!(pages > 100, "only {pages} HTML files in the demo site");
    let java = std::env::var_os("CITYREPORT_JAVA").unwrap_or_else(|| "java".into());
    // One JVM for the whole tree: the checker walks the folder and skips what is not HTML.
    let output = Command::new(&java)
        .arg("-jar")
        .arg(common::checkers::vnu_jar())
        .args(["--errors-only", "--skip-non-html", "--format", "gnu"])
        .arg(out)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {java:?} (scripts/test installs default-jre-headless): {e}"));
    let report = String::from_utf8_lossy(&output.stderr).replace(&format!("file:{}/", out.display()), "");
    let errors: Vec<&str> = report.lines().filter(|l| !l.trim().is_empty()).collect();
    eprintln!("Nu Html Checker: {pages} HTML files, {} error(s)", errors.len());
    assert!(output.status.success() && errors.is_empty(), "the Nu Html Checker reports:\n{}", errors.join("\n"));
}

