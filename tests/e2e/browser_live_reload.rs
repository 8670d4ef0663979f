//! Live reload in a real browser (headless Chromium over CDP) against the real preview server
//! and builder, on a scratch copy of the demo:
//!
//! - an edit to the narrative shows up in the open page by itself (the page is never navigated
//!   again by the test), swapped in place: same document, same scroll position;
//! - a broken shortcode brings up the error overlay naming the file and line, over the last
//!   good page; fixing it removes the overlay and shows the fixed text;
//! - an edit to values.csv changes the headline figure on the home page, also in place;
//! - an edit to the stylesheet reloads the page fully, and the new style applies; so does a
//!   template edit that changes what the page's <head> loads.
//!
//! The time from each file write to the change in the page is printed, not asserted.

use crate::common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cityreport::build::{build_site, BuildOptions};
use cityreport::serve::PreviewBuilder;
use cityreport::serve::{self, ServeConfig};
use common::browser::{problems, Browser};
use serde_json::json;

const OVERLAY: &str = "document.getElementById('cityreport-build-error')";
const MAIN_TEXT: &str = "document.querySelector('main').innerText";
/// The home page's first headline figure: the city's overall index.
/// The text alternative of the home page's first inline figure (the overview map).
const MAP_DESC: &str = "document.querySelector('main svg desc').textContent";
const HEADLINE: &str = "document.querySelector('main .stats .value').textContent.trim()";

/// Leaves a mark on the current document; it disappears when the page reloads (and survives an
/// in-place update, which keeps the document and swaps its body).
fn mark_document(browser: &mut Browser) {
    browser.eval("window.__cityreportTestMark = true").unwrap();
}

fn document_is_marked(browser: &mut Browser) -> bool {
    browser.eval("window.__cityreportTestMark === true").unwrap() == json!(true)
}

fn ms(d: Duration) -> u128 {
    d.as_millis()
}

/// The first headline figure of the English home page in a site built in memory.
fn headline_of_build(root: &Path) -> String {
    let opts = BuildOptions { drafts: true, preview: true, ..BuildOptions::default() };
    let site = build_site(root, &opts).unwrap_or_else(|e| panic!("building the edited copy failed: {e}"));
    let html = String::from_utf8(site.get("2020/en/index.html").unwrap().to_vec()).unwrap();
    let start = html.find(r#"<dd class="value">"#).expect("the home page has headline figures") + r#"<dd class="value">"#.len();
    let inner = &html[start..start + html[start..].find("</dd>").unwrap()];
    // Drop the link around the figure.
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.trim().to_owned()
}

fn edit_values(root: &Path) {
    let path = root.join("data/2020/values.csv");
    let csv = fs::read_to_string(&path).unwrap();
    let old = "pudong,5g,120.75,";
    assert!(csv.contains(old), "values.csv no longer has the line this test edits ({old}…)");
    fs::write(&path, csv.replace(old, "pudong,5g,400,")).unwrap();
}

#[test]
fn preview_reloads_on_edits_and_shows_build_errors() {
    let project = common::copy_demo();
    let root = project.path().canonicalize().unwrap();
    let builder = PreviewBuilder::new(root.clone());
    // Loopback, any free port, and the same wait for editors to finish writing as `cityreport serve`.
    let config = ServeConfig { port: 0, watch: builder.watched_folders(), ..ServeConfig::default() };
    let server = serve::start(config, builder).unwrap();
    let url = format!("http://{}/2020/en/index.html", server.addr());

    let mut browser = Browser::launch();
    let since_open = browser.log.len();
    browser.navigate(&url);
    browser.wait_live(since_open);
    let before = browser.eval(MAIN_TEXT).unwrap();
    assert!(before.as_str().is_some_and(|t| t.contains("Smart City Development Index")), "unexpected home page text: {before}");

    let stamp = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    let md = root.join("content/2020/en/_index.md");
    let original = fs::read_to_string(&md).unwrap();

    // 1. A narrative edit updates the page by itself, in place, where the reader was.
    let added = format!("Live reload check {stamp}.");
    browser.eval("window.scrollTo({ top: 400, behavior: 'instant' })").unwrap();
    let scrolled = browser.eval("window.scrollY").unwrap();
    assert_eq!(scrolled, json!(400), "the home page is too short to test the scroll position");
    mark_document(&mut browser);
    fs::write(&md, format!("{}\n\n{added}\n", original.trim_end())).unwrap();
    let written = Instant::now();
    browser.wait_for("the added sentence to appear", &format!("{MAIN_TEXT}.includes({})", json!(added)));
    let narrative = written.elapsed();
    assert!(document_is_marked(&mut browser), "the page reloaded instead of updating in place");
    assert_eq!(browser.eval("window.scrollY").unwrap(), scrolled, "the update lost the scroll position");

    // 2. A broken shortcode shows the error overlay, naming the file and line, over the last
    //    good page (which stays as it was: no reload).
    let broken = format!("{}\n\nBroken: {{{{ value(indicator=\"nope\", entity=\"city\") }}}}\n", original.trim_end());
    let line = broken.lines().position(|l| l.contains("indicator=\"nope\"")).unwrap() + 1;
    mark_document(&mut browser);
    fs::write(&md, &broken).unwrap();
    let written = Instant::now();
    let overlay = browser.wait_for(
        "the error overlay naming _index.md and the line",
        &format!("{OVERLAY} && {OVERLAY}.textContent.includes('_index.md:{line}') && {OVERLAY}.textContent"),
    );
    let error_shown = written.elapsed();
    let overlay = overlay.as_str().unwrap().to_owned();
    assert!(overlay.contains("nope"), "the overlay does not say what is wrong: {overlay}");
    assert!(document_is_marked(&mut browser), "the page reloaded on a failed build");
    assert!(
        browser.eval(&format!("{MAIN_TEXT}.includes({})", json!(added))).unwrap() == json!(true),
        "the last good page is no longer shown under the overlay"
    );

    // 3. Fixing it removes the overlay and shows the fixed text.
    let fixed = format!("Fixed {stamp}.");
    fs::write(&md, format!("{}\n\n{fixed}\n", original.trim_end())).unwrap();
    let written = Instant::now();
    browser.wait_for(
        "the overlay to go and the fixed text to appear",
        &format!("!{OVERLAY} && {MAIN_TEXT}.includes({})", json!(fixed)),
    );
    let fix_shown = written.elapsed();
    assert!(document_is_marked(&mut browser), "the page reloaded instead of updating in place");

    // 4. A values.csv edit changes the headline figure. The figure to expect comes from a
    //    separate build of a copy with the same edit.
    let scratch = common::copy_demo();
    edit_values(scratch.path());
    let expected = headline_of_build(scratch.path());
    let shown = browser.eval(HEADLINE).unwrap();
    assert_ne!(shown, json!(expected), "the edit does not change the headline figure; pick another");
    let map_before = browser.eval(MAP_DESC).unwrap();
    assert!(map_before.as_str().is_some_and(|d| !d.is_empty()), "no described figure on the home page");
    mark_document(&mut browser);
    edit_values(&root);
    let written = Instant::now();
    browser.wait_for(
        &format!("the headline figure to change from {shown} to {expected}"),
        &format!("{HEADLINE} === {}", json!(expected)),
    );
    let values = written.elapsed();
    assert!(document_is_marked(&mut browser), "the page reloaded instead of updating in place");
    // The inline figures were swapped too: the overview map describes the new values.
    let map_after = browser.eval(MAP_DESC).unwrap();
    assert_ne!(map_after, map_before, "the page's figures were not updated");

    // 5. A stylesheet edit reloads the page fully (styles are not swapped in place) and the new
    //    rule applies.
    let css = root.join("assets/site.css");
    let style = fs::read_to_string(&css).unwrap();
    let since = browser.log.len();
    mark_document(&mut browser);
    fs::write(&css, format!("{style}\nmain {{ outline: 3px solid rgb(1, 2, 3); }}\n")).unwrap();
    let written = Instant::now();
    browser.wait_for(
        "the new style to apply",
        "getComputedStyle(document.querySelector('main')).outlineColor === 'rgb(1, 2, 3)'",
    );
    let restyled = written.elapsed();
    assert!(!document_is_marked(&mut browser), "the style changed without a reload");
    browser.wait_live(since);

    // 6. A template edit that changes what the page loads in its <head> (here an inline style;
    //    no asset changed, so the server offers an in-place update) makes live.js reload fully,
    //    because swapping the body would not apply it.
    let base = root.join("templates/base.html");
    let template = fs::read_to_string(&base).unwrap();
    assert!(template.contains("</head>"), "templates/base.html has no </head> to edit");
    let since = browser.log.len();
    mark_document(&mut browser);
    fs::write(&base, template.replacen("</head>", "<style>main { outline-color: rgb(4, 5, 6); }</style>\n</head>", 1)).unwrap();
    browser.wait_for(
        "the template's new style to apply",
        "getComputedStyle(document.querySelector('main')).outlineColor === 'rgb(4, 5, 6)'",
    );
    assert!(!document_is_marked(&mut browser), "a new <head> was applied without a reload");
    browser.wait_live(since);

    // Nothing went wrong in the page along the way (reloading cancels the old page's event
    // stream, which is not an error).
    browser.sync();
    let wrong = problems(&browser.log, since_open, true);
    assert!(wrong.is_empty(), "problems in the browser:\n  {}", wrong.join("\n  "));

    // Written straight to stderr so that it shows even when the test harness captures output.
    let _ = writeln!(
        std::io::stderr(),
        "live-reload latency: narrative {} ms, values.csv {} ms (error overlay {} ms, fix {} ms, stylesheet {} ms; debounce {} ms)",
        ms(narrative),
        ms(values),
        ms(error_shown),
        ms(fix_shown),
        ms(restyled),
        ServeConfig::default().debounce.as_millis()
    );
}
