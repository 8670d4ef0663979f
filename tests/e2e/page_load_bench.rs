//! Page-load bench (issue 12, "Performance"); prints, asserts nothing about timing. Run it with
//! `scripts/bench-page-load` (it is `#[ignore]`d so that the test suite does not pay for it).
//!
//! Builds the demo, serves it from a plain local HTTP server (tests/e2e/common/static_site.rs) and
//! opens it in headless Chromium:
//! 1. first-visit bytes of every page kind in zh and en: the browser cache is cleared before each
//!    page, and the bytes of every response of the visit (HTML, CSS, scripts, fonts; headers
//!    included, uncompressed as the server sends them) are added up, by kind;
//! 2. the Chinese home page over a throttled link (CDP `Network.emulateNetworkConditions`:
//!    1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip), cold cache: first contentful paint, the
//!    moment the last web-font file has arrived and the browser is done loading fonts (the text
//!    is then drawn in its final font), and the load event.

use crate::common;

use std::collections::BTreeMap;

use common::browser::Browser;
use serde_json::{json, Value};

/// Bytes of the responses of `log[since..]`, by kind of resource (Document, Stylesheet, Font, …).
fn bytes_by_kind(log: &[common::browser::Event], since: usize) -> BTreeMap<String, (u64, u32)> {
    let mut kind_of = BTreeMap::new();
    let mut out: BTreeMap<String, (u64, u32)> = BTreeMap::new();
    for e in &log[since..] {
        let id = e.params["requestId"].as_str().unwrap_or("").to_owned();
        match e.method.as_str() {
            "Network.responseReceived" => {
                kind_of.insert(id, e.params["type"].as_str().unwrap_or("Other").to_owned());
            }
            "Network.loadingFinished" => {
                let kind = kind_of.get(&id).cloned().unwrap_or_else(|| "Other".into());
                let entry = out.entry(kind).or_default();
                entry.0 += e.params["encodedDataLength"].as_f64().unwrap_or(0.0) as u64;
                entry.1 += 1;
            }
            _ => {}
        }
    }
    out
}

/// Recorded from the first script of the page: when the browser last finished loading fonts.
const FONT_WATCH: &str = r#"
    window.__fontsDone = null;
    document.fonts.addEventListener("loadingdone", () => { window.__fontsDone = performance.now(); });
"#;

/// Timings of the page just loaded, in ms from the start of its navigation.
const TIMINGS: &str = r#"(async () => {
    await document.fonts.ready;
    const fonts = performance.getEntriesByType("resource").filter((r) => /\.woff2$/.test(r.name));
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    const nav = performance.getEntriesByType("navigation")[0];
    const faces = [...document.fonts].filter((f) => f.status === "loaded").length;
    return {
        fcp: paint ? paint.startTime : null,
        last_font_file: fonts.length ? Math.max(...fonts.map((r) => r.responseEnd)) : null,
        fonts_done: window.__fontsDone,
        load: nav.loadEventEnd,
        font_files: fonts.length,
        font_bytes: fonts.reduce((n, r) => n + r.transferSize, 0),
        faces_loaded: faces,
        final_font: document.fonts.check('16px "CityReport Sans"', "中文A"),
    };
})()"#;

#[test]
#[ignore = "a bench: run scripts/bench-page-load"]
fn page_load() {
    let project = common::copy_demo();
    let out = common::build_to_site_out(project.path());
    let server = common::static_site::serve_dir(&out);
    let mut browser = Browser::launch();

    println!("first visit (cold cache), bytes as served (uncompressed, headers included):");
    println!("{:<46} {:>10} {:>8}  by kind (bytes/requests)", "page", "bytes", "requests");
    for page in common::pages::page_kinds() {
        browser.call("Network.clearBrowserCache", json!({}));
        let since = browser.navigate(&format!("http://{}/{page}", server.addr()));
        browser.sync();
        let kinds = bytes_by_kind(&browser.log, since);
        let total: u64 = kinds.values().map(|k| k.0).sum();
        let requests: u32 = kinds.values().map(|k| k.1).sum();
        let detail: Vec<String> = kinds.iter().map(|(k, (b, n))| format!("{k} {b}/{n}")).collect();
        println!("{page:<46} {total:>10} {requests:>8}  {}", detail.join(", "));
    }

    let (down_mbps, up_mbps, rtt_ms) = (1.6, 0.75, 150.0);
    browser.call("Network.clearBrowserCache", json!({}));
    browser.call("Page.addScriptToEvaluateOnNewDocument", json!({ "source": FONT_WATCH }));
    browser.call(
        "Network.emulateNetworkConditions",
        json!({ "offline": false, "latency": rtt_ms, "downloadThroughput": down_mbps * 1e6 / 8.0, "uploadThroughput": up_mbps * 1e6 / 8.0 }),
    );
    let page = "2020/zh/index.html";
    browser.navigate(&format!("http://{}/{page}", server.addr()));
    let t: Value = browser.eval(TIMINGS).unwrap();
    let ms = |v: &Value| v.as_f64().map_or("-".to_owned(), |x| format!("{:.0} ms", x));
    println!("\n{page} over {down_mbps} Mbit/s down, {up_mbps} Mbit/s up, {rtt_ms} ms RTT, cold cache:");
    println!("  first contentful paint        {}", ms(&t["fcp"]));
    println!("  last web-font file arrived    {}  ({} files, {} bytes)", ms(&t["last_font_file"]), t["font_files"], t["font_bytes"]);
    println!("  fonts done loading            {}  ({} faces loaded; final font in use: {})", ms(&t["fonts_done"]), t["faces_loaded"], t["final_font"]);
    println!("  load event                    {}", ms(&t["load"]));
}
