//! The raw-value columns (issue #13) on a phone: on the fictional project
//! tests/fixtures/units-city, the indicator pages and a district profile show every number cell
//! (raw values included) within their table's box at 390 CSS px, and the page does not scroll
//! sideways; at 1366 px likewise. Screenshots land in `target/raw-values-screenshots/`.

use crate::common;


use base64::Engine as _;
use common::browser::Browser;
use serde_json::json;

const PAGES: &[&str] = &["regional/fibre.html", "regional/wait.html", "regional/kiosks.html", "districts/fernvale.html"];

/// Number cells whose right edge lies beyond what their scroll box or the screen shows, and the
/// header of the raw column (to be sure it is there).
const CHECK: &str = r#"(() => {
    const cut = [];
    for (const cell of document.querySelectorAll("table .num")) {
        const r = cell.getBoundingClientRect();
        const box = cell.closest(".table-scroll");
        const right = Math.min(window.innerWidth, box ? box.getBoundingClientRect().right : Infinity);
        if (r.width > 0 && r.right > right + 0.5) cut.push(cell.textContent.trim());
    }
    const raw = [...document.querySelectorAll("thead th")].filter(h => /Raw value|原始值/.test(h.textContent)).length;
    return { cut: cut.length, of: document.querySelectorAll("table .num").length, sample: cut.slice(0, 5),
             page: document.documentElement.scrollWidth, width: window.innerWidth, raw };
})()"#;

#[test]
fn raw_columns_fit_a_phone_and_a_laptop() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&common::demo_root().join("tests/fixtures/units-city"), tmp.path());
    let out = common::build_to_site_out(tmp.path());
    let shots = common::screenshot_dir("raw-values-screenshots");

    let mut browser = Browser::launch();
    let mut wrong = Vec::new();
    for width in [390u32, 1366] {
        browser.call("Emulation.setDeviceMetricsOverride", json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600 }));
        for lang in ["zh", "en"] {
            for page in PAGES {
                browser.navigate(&format!("file://{}", out.join(format!("2024/{lang}/{page}")).display()));
                let r = browser.eval(CHECK).unwrap();
                eprintln!("{width} px {lang}/{page}: {r}");
                assert_eq!(r["width"], json!(width));
                if r["raw"].as_u64().unwrap_or(0) == 0 {
                    wrong.push(format!("{width} px {lang}/{page}: no raw column"));
                }
                if r["cut"] != json!(0) || r["page"].as_f64().unwrap_or(0.0) > f64::from(width) {
                    wrong.push(format!("{width} px {lang}/{page}: {r}"));
                }
                let shot = browser.call("Page.captureScreenshot", json!({ "format": "png", "captureBeyondViewport": true }));
                let png = base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap()).unwrap();
                let name = format!("{width}-{lang}-{}.png", page.replace('/', "-").trim_end_matches(".html"));
                std::fs::write(shots.join(name), png).unwrap();
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
