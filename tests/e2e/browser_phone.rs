//! The demo site on a phone (390 CSS px wide, in headless Chromium), on every page kind in both
//! languages (tests/e2e/common/pages.rs): no number cell of a table is cut off by its scroll box or
//! the screen edge, the page itself does not scroll sideways, the editions menu opens on screen,
//! the smallest text of any chart is at least 9 px as drawn, and the page logs no console error
//! or failed request. Screenshots of each page land in `target/phone-screenshots/` for a person
//! to look at.

use crate::common;


use base64::Engine as _;
use common::browser::{problems, Browser};
use serde_json::json;

/// Chart text (issue 12) must be at least this tall as drawn, in CSS px.
const MIN_CHART_TEXT_PX: f64 = 9.0;

/// Number cells (`.num`) whose right edge lies beyond what their scroll box or the screen shows.
const CUT_CELLS: &str = r#"(() => {
    const out = [];
    for (const cell of document.querySelectorAll("table .num")) {
        const r = cell.getBoundingClientRect();
        const box = cell.closest(".table-scroll");
        const right = Math.min(window.innerWidth, box ? box.getBoundingClientRect().right : Infinity);
        if (r.width > 0 && r.right > right + 0.5) { out.push(cell.textContent.trim()); if (!window.__w) window.__w = [...cell.closest("table").querySelectorAll("thead th")].map(h => Math.round(h.getBoundingClientRect().width) + ":" + h.textContent); }
    }
    // What sticks out of the screen when the page scrolls sideways: elements past its right edge
    // that no scroll box of theirs clips (the innermost few, to name the culprit).
    const wide = [];
    if (document.documentElement.scrollWidth > screen.width) {
        const clipped = (el) => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) { if (getComputedStyle(a).overflowX !== "visible") return true; } return false; };
        for (const el of document.body.querySelectorAll("*")) {
            const text = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim());
            const right = Math.max(el.getBoundingClientRect().right, ...text.map((n) => { const r = document.createRange(); r.selectNodeContents(n); return r.getBoundingClientRect().right; }));
            if (right > screen.width + 0.5 && !clipped(el)) wide.push(el);
        }
        wide.reverse();
    }
    return { cut: out.length, of: document.querySelectorAll("table .num").length, sample: out.slice(0, 5),
             page: document.documentElement.scrollWidth, widths: window.__w || [],
             wide: wide.slice(0, 3).map((el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : "")) };
})()"#;

const MENU: &str = r#"(() => {
    const d = document.querySelector("details.editions");
    if (!d) return null;
    d.open = true;
    const r = d.querySelector("ul").getBoundingClientRect();
    d.open = false;
    return { left: r.left, right: r.right };
})()"#;

/// The smallest font size any visible chart text (`<text>` of an inline SVG) is drawn at: its
/// font size times the scale from the drawing's units to the screen. Hidden drawings (a variant
/// for another width) have no box and are skipped.
const CHART_TEXT: &str = r##"(() => {
    let min = null, where = "", count = 0;
    for (const t of document.querySelectorAll("svg text")) {
        const box = t.getBoundingClientRect();
        const m = t.getScreenCTM();
        if (!m || box.width === 0 || box.height === 0 || !t.textContent.trim()) continue;
        const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
        count++;
        if (min === null || px < min) {
            min = px;
            const figure = t.closest("figure");
            where = (figure ? "#" + figure.id : "svg") + " \"" + t.textContent.trim().slice(0, 30) + "\"";
        }
    }
    return { count, min: min === null ? null : Math.round(min * 100) / 100, where };
})()"##;

#[test]
fn tables_and_menus_fit_a_phone() {
    let out = &common::shared::demo().out;
    let shots = common::screenshot_dir("phone-screenshots");

    let mut browser = Browser::launch();
    browser.call("Emulation.setDeviceMetricsOverride", json!({ "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true }));
    let mut wrong = Vec::new();
    let mut smallest = f64::INFINITY;
    for page in common::pages::page_kinds() {
        let file = out.join(&page);
        assert!(file.is_file(), "the demo has no {page}");
        let since = browser.navigate(&format!("file://{}", file.display()));
        let cut = browser.eval(CUT_CELLS).unwrap();
        let text = browser.eval(CHART_TEXT).unwrap();
        eprintln!("{page}: {cut} chart text: {text}");
        if cut["cut"] != json!(0) || cut["page"].as_f64().unwrap_or(0.0) > 390.0 {
            wrong.push(format!("{page}: {cut}"));
        }
        if let Some(min) = text["min"].as_f64() {
            smallest = smallest.min(min);
            if min < MIN_CHART_TEXT_PX {
                wrong.push(format!("{page}: chart text drawn {min} px tall ({}), under {MIN_CHART_TEXT_PX} px", text["where"]));
            }
        }
        let menu = browser.eval(MENU).unwrap();
        if !menu.is_null() && (menu["left"].as_f64().unwrap() < 0.0 || menu["right"].as_f64().unwrap() > 390.0) {
            wrong.push(format!("{page}: editions menu off screen: {menu}"));
        }
        browser.sync();
        wrong.extend(problems(&browser.log, since, false).into_iter().map(|p| format!("{page}: {p}")));
        let shot = browser.call("Page.captureScreenshot", json!({ "format": "png", "captureBeyondViewport": true }));
        let png = base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap()).unwrap();
        std::fs::write(shots.join(format!("{}.png", page.replace('/', "-").trim_end_matches(".html"))), png).unwrap();
    }
    eprintln!("smallest chart text at 390 px: {smallest} px");
    assert!(wrong.is_empty(), "at 390 px:\n{}", wrong.join("\n"));
}
