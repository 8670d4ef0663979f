//! The built demo site in a real browser (headless Chromium over CDP): every main page, in both
//! languages, loads without console errors or warnings, uncaught exceptions, failed requests or
//! HTTP errors, and without asking anything of the network but the server it came from; it
//! declares its language and has a title, and uses the site's own font when the build ships it.
//! The same holds opened from disk (file://) and served under a sub-path.
//!
//! The site is built by the real binary (`cityreport build`) and served from memory by the
//! preview server's HTTP layer (`cityreport::serve::start` with a builder that hands back the
//! built files unchanged; no watching, no live-reload script, since the build is not a preview).

use crate::common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use cityreport::output::SiteFiles;
use cityreport::serve::{self, BuildFailure, Rebuild, ServeConfig, ServerHandle};
use common::browser::{problems, Browser};
use serde_json::json;

/// The main pages of an edition, relative to `2020/<lang>/`.
const PAGES: &[&str] = &[
    "index.html",
    "method.html",
    "overall.html",
    "regional/index.html",
    "regional/5g.html",
    "districts/index.html",
    "districts/pudong.html",
    "data.html",
];

const LANGS: &[(&str, &str)] = &[("zh", "zh-CN"), ("en", "en")];

/// The demo built by the CLI (once for every test that only reads it), and the same files in memory.
struct BuiltSite {
    out: &'static Path,
    files: &'static SiteFiles,
}

/// The demo built once for every test that only reads it.
fn build_demo() -> BuiltSite {
    let demo = common::shared::demo();
    BuiltSite { out: &demo.out, files: demo.files() }
}

impl BuiltSite {
    /// Whether the build ships the site's web fonts (assets/fonts/*.woff2). The stylesheet names
    /// "CityReport Sans" either way; without the files the font check is skipped (a missing
    /// file the stylesheet asks for still fails the request check).
    fn has_fonts(&self) -> bool {
        self.files.files.keys().any(|k| k.contains("assets/fonts/") && k.ends_with(".woff2"))
    }

    /// Every (path, expected `lang`) to visit: the root page and the main pages of each language.
    fn pages(&self) -> Vec<(String, &'static str)> {
        let mut pages = vec![("index.html".to_string(), "zh-CN")];
        for (dir, lang) in LANGS {
            for page in PAGES {
                pages.push((format!("2020/{dir}/{page}"), *lang));
            }
        }
        for (path, _) in &pages {
            assert!(self.files.get(path).is_some(), "the build has no {path}");
        }
        pages
    }
}

/// Hands back the same files on every build: the preview server as a plain static server.
struct Fixed(SiteFiles);

impl Rebuild for Fixed {
    fn rebuild(&mut self, _changed: &[PathBuf]) -> Result<SiteFiles, BuildFailure> {
        Ok(self.0.clone())
    }
}

fn serve_files(files: SiteFiles) -> ServerHandle {
    let config = ServeConfig { port: 0, watch: Vec::new(), debounce: Duration::from_millis(50), ..ServeConfig::default() };
    serve::start(config, Fixed(files)).unwrap()
}

/// Opens `url` and returns everything wrong with it (empty when the page is fine).
fn check_page(browser: &mut Browser, url: &str, lang: &str, fonts: bool) -> Vec<String> {
    let since = browser.navigate(url);
    let mut wrong = Vec::new();

    let actual_lang = browser.eval("document.documentElement.lang").unwrap();
    if actual_lang != json!(lang) {
        wrong.push(format!("<html lang> is {actual_lang}, expected {lang:?}"));
    }
    let title = browser.eval("document.title.trim()").unwrap();
    if title.as_str().is_none_or(str::is_empty) {
        wrong.push("the document title is empty".into());
    }
    let href = browser.eval("location.href").unwrap();
    if href != json!(url) {
        wrong.push(format!("ended up at {href} instead"));
    }
    // The site's stylesheet applied (it names the font family on <body>): a broken link to it
    // shows as a failed request, but a wrong media type or a parse failure would not.
    let family = browser.eval("getComputedStyle(document.body).fontFamily").unwrap();
    if !family.as_str().is_some_and(|f| f.contains("CityReport Sans")) {
        wrong.push(format!("site.css not applied (body font-family: {family})"));
    }

    // Only if the build ships the font files: otherwise the reader's system fonts are used (the
    // stylesheet lists them after "CityReport Sans"), and there is nothing to load.
    if fonts {
        wrong.extend(check_fonts_load(browser));
    }

    browser.sync();
    wrong.extend(problems(&browser.log, since, false));

    // Asked of DevTools after the page's own events are checked: enabling the CSS domain makes
    // DevTools re-read the stylesheets from the cache, requests that are not the page's.
    if fonts {
        wrong.extend(check_fonts_used(browser));
    }
    wrong.into_iter().map(|w| format!("{url}: {w}")).collect()
}

/// The site's font loads in both weights and covers Latin and Chinese text
/// (`document.fonts.check('16px "CityReport Sans"')` and its bold twin).
fn check_fonts_load(browser: &mut Browser) -> Vec<String> {
    let mut wrong = Vec::new();
    let loaded = browser
        .eval(
            r#"(async () => {
                const out = {};
                for (const spec of ['16px "CityReport Sans"', 'bold 16px "CityReport Sans"']) {
                    const faces = await document.fonts.load(spec, "A中");
                    out[spec] = { faces: faces.map((f) => f.status), check: document.fonts.check(spec, "A中") };
                }
                return out;
            })()"#,
        )
        .unwrap_or_else(|e| json!(format!("document.fonts failed: {e}")));
    for spec in [r#"16px "CityReport Sans""#, r#"bold 16px "CityReport Sans""#] {
        let faces = &loaded[spec]["faces"];
        let ok = faces.as_array().is_some_and(|f| !f.is_empty() && f.iter().all(|s| s == "loaded"))
            && loaded[spec]["check"] == json!(true);
        if !ok {
            wrong.push(format!("font {spec} not loaded: {loaded}"));
        }
    }
    wrong
}

/// The font is what the renderer really draws the first heading and paragraph with.
fn check_fonts_used(browser: &mut Browser) -> Vec<String> {
    let mut wrong = Vec::new();
    browser.call("DOM.enable", json!({}));
    browser.call("CSS.enable", json!({}));
    let root = browser.call("DOM.getDocument", json!({ "depth": 0 }))["root"]["nodeId"].clone();
    for selector in ["main h1", "main p"] {
        let node = browser.call("DOM.querySelector", json!({ "nodeId": root, "selector": selector }))["nodeId"].clone();
        if node == json!(0) {
            continue;
        }
        let used = browser.call("CSS.getPlatformFontsForNode", json!({ "nodeId": node }));
        let families: Vec<&str> = used["fonts"].as_array().into_iter().flatten().filter_map(|f| f["familyName"].as_str()).collect();
        if !families.contains(&"CityReport Sans") {
            wrong.push(format!("`{selector}` is drawn with {families:?}, not CityReport Sans"));
        }
    }
    browser.call("CSS.disable", json!({}));
    browser.call("DOM.disable", json!({}));
    wrong
}

fn assert_clean(wrong: Vec<String>) {
    assert!(wrong.is_empty(), "{} problem(s) in the browser:\n  {}", wrong.len(), wrong.join("\n  "));
}

#[test]
fn every_main_page_in_both_languages_loads_cleanly_over_http() {
    let site = build_demo();
    let fonts = site.has_fonts();
    let pages = site.pages();
    let server = serve_files(site.files.clone());
    let mut browser = Browser::launch();
    let mut wrong = Vec::new();
    for (path, lang) in &pages {
        let url = format!("http://{}/{path}", server.addr());
        wrong.extend(check_page(&mut browser, &url, lang, fonts));
    }
    assert_clean(wrong);
}

#[test]
fn the_site_works_opened_from_disk() {
    let site = build_demo();
    let fonts = site.has_fonts();
    let mut browser = Browser::launch();
    let mut wrong = Vec::new();
    for (path, lang) in [("2020/en/index.html", "en"), ("2020/zh/regional/5g.html", "zh-CN"), ("index.html", "zh-CN")] {
        let file = site.out.join(path).canonicalize().unwrap();
        let url = format!("file://{}", file.display());
        wrong.extend(check_page(&mut browser, &url, lang, fonts));
    }
    assert_clean(wrong);
}

#[test]
fn the_site_works_under_a_sub_path() {
    let site = build_demo();
    let fonts = site.has_fonts();
    let pages = site.pages();
    let mut files = SiteFiles::new();
    for (path, bytes) in &site.files.files {
        files.insert_shared(format!("reports/smart-city/{path}"), bytes.clone());
    }
    let server = serve_files(files);
    let mut browser = Browser::launch();
    let mut wrong = Vec::new();
    for (path, lang) in &pages {
        let url = format!("http://{}/reports/smart-city/{path}", server.addr());
        wrong.extend(check_page(&mut browser, &url, lang, fonts));
    }
    assert_clean(wrong);
}
