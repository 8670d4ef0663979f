//! The demo site on a phone (390 CSS px wide, in headless Chromium): no number cell of a table is
//! cut off by its scroll box or the screen edge, the page itself does not scroll sideways, and the
//! editions menu opens on screen. Screenshots of each page land in
//! `target/phone-screenshots/` for a person to look at.

mod common;

use std::path::Path;

use base64::Engine as _;
use common::browser::Browser;
use serde_json::json;

const PAGES: &[&str] = &["index.html", "overall.html", "regional/5g.html", "districts/index.html", "districts/pudong.html", "data.html"];

/// Number cells (`.num`) whose right edge lies beyond what their scroll box or the screen shows.
const CUT_CELLS: &str = r#"(() => {
    const out = [];
    for (const cell of document.querySelectorAll("table .num")) {
        const r = cell.getBoundingClientRect();
        const box = cell.closest(".table-scroll");
        const right = Math.min(window.innerWidth, box ? box.getBoundingClientRect().right : Infinity);
        if (r.width > 0 && r.right > right + 0.5) { out.push(cell.textContent.trim()); if (!window.__w) window.__w = [...cell.closest("table").querySelectorAll("thead th")].map(h => Math.round(h.getBoundingClientRect().width) + ":" + h.textContent); }
    }
    return { cut: out.length, of: document.querySelectorAll("table .num").length, sample: out.slice(0, 5),
             page: document.documentElement.scrollWidth, widths: window.__w || [] };
})()"#;

const MENU: &str = r#"(() => {
    const d = document.querySelector("details.editions");
    if (!d) return null;
    d.open = true;
    const r = d.querySelector("ul").getBoundingClientRect();
    d.open = false;
    return { left: r.left, right: r.right };
})()"#;

#[test]
fn tables_and_menus_fit_a_phone() {
    let project = common::copy_demo();
    let out = project.path().join("site-out");
    let output = common::cityreport(&["build", "--root", project.path().to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "build failed: {}", String::from_utf8_lossy(&output.stderr));
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/phone-screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    let mut browser = Browser::launch();
    browser.call("Emulation.setDeviceMetricsOverride", json!({ "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true }));
    let mut wrong = Vec::new();
    for lang in ["zh", "en"] {
        for page in PAGES {
            let file = out.join(format!("2020/{lang}/{page}"));
            let url = format!("file://{}", file.display());
            browser.navigate(&url);
            let cut = browser.eval(CUT_CELLS).unwrap();
            eprintln!("{lang}/{page}: {cut}");
            if cut["cut"] != json!(0) || cut["page"].as_f64().unwrap_or(0.0) > 390.0 {
                wrong.push(format!("{lang}/{page}: {cut}"));
            }
            let menu = browser.eval(MENU).unwrap();
            if !menu.is_null() && (menu["left"].as_f64().unwrap() < 0.0 || menu["right"].as_f64().unwrap() > 390.0) {
                wrong.push(format!("{lang}/{page}: editions menu off screen: {menu}"));
            }
            let shot = browser.call("Page.captureScreenshot", json!({ "format": "png", "captureBeyondViewport": true }));
            let png = base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap()).unwrap();
            std::fs::write(shots.join(format!("{lang}-{}.png", page.replace('/', "-").trim_end_matches(".html"))), png).unwrap();
        }
    }
    assert!(wrong.is_empty(), "at 390 px:\n{}", wrong.join("\n"));
}
