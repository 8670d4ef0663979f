//! Issue 24, "Readers trust what they see", measured in headless Chromium on every page kind of
//! the demo (tests/e2e/common/pages.rs), both languages:
//! - at 1366 px no table hides columns behind a sideways scroll;
//! - at 390 px no word of a table heading is broken across lines, and the site header is at
//!   most 140 px tall;
//! - the weights tool: a slider's number is its own share, and the language switch carries the
//!   reader's weights.

use crate::common;

use common::browser::Browser;
use serde_json::json;

/// Tables whose content is wider than their box (columns hidden behind a sideways scroll).
const HIDDEN_COLUMNS: &str = r#"(() => [...document.querySelectorAll(".table-scroll")]
    .filter((s) => s.scrollWidth > s.clientWidth + 1)
    .map((s) => (s.closest("[id]") || s).id + " " + s.clientWidth + "/" + s.scrollWidth))()"#;

/// Table headings with a word split over two lines: two letters of one word whose boxes lie on
/// different lines (along the heading's inline axis, which is vertical for headings on end).
const BROKEN_WORDS: &str = r#"(() => {
    const out = [];
    for (const th of document.querySelectorAll("thead th")) {
        const vertical = !getComputedStyle(th).writingMode.startsWith("horizontal");
        const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const t = n.textContent;
            let prev = null;
            for (let i = 0; i < t.length; i++) {
                const r = document.createRange();
                r.setStart(n, i);
                r.setEnd(n, i + 1);
                const b = r.getBoundingClientRect();
                if (b.width === 0 && b.height === 0) continue;
                const line = vertical ? b.left : b.top;
                if (prev !== null && Math.abs(line - prev) > 2 && /\w/.test(t[i]) && /\w/.test(t[i - 1])) out.push(t.trim());
                prev = line;
            }
        }
    }
    return [...new Set(out)];
})()"#;

const HEADER_HEIGHT: &str = r#"(() => { const h = document.querySelector(".site-header"); return h ? h.getBoundingClientRect().height : 0; })()"#;

#[test]
fn tables_show_every_column_on_a_desktop_and_break_no_heading_word_on_a_phone() {
    let out = &common::shared::demo().out;
    let mut browser = Browser::launch();
    let mut wrong = Vec::new();
    for (width, mobile) in [(1366, false), (390, true)] {
        browser.call("Emulation.setDeviceMetricsOverride", json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile }));
        for page in common::pages::page_kinds() {
            browser.navigate(&format!("file://{}", out.join(&page).display()));
            if width == 1366 {
                let hidden = browser.eval(HIDDEN_COLUMNS).unwrap();
                if hidden != json!([]) {
                    wrong.push(format!("{page} at {width} px: tables hide columns: {hidden}"));
                }
                continue;
            }
            let broken = browser.eval(BROKEN_WORDS).unwrap();
            if broken != json!([]) {
                wrong.push(format!("{page} at {width} px: words broken in table headings: {broken}"));
            }
            let header = browser.eval(HEADER_HEIGHT).unwrap().as_f64().unwrap_or(0.0);
            if header > 140.0 {
                wrong.push(format!("{page} at {width} px: the site header is {header} px tall (at most 140)"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn weights_sliders_show_their_own_share_and_the_language_switch_keeps_them() {
    let out = &common::shared::demo().out;
    let mut browser = Browser::launch();
    browser.call("Emulation.setDeviceMetricsOverride", json!({ "width": 390, "height": 900, "deviceScaleFactor": 1, "mobile": true }));
    for lang in ["zh", "en"] {
        browser.navigate(&format!("file://{}", out.join(format!("2020/{lang}/weights.html")).display()));
        browser.wait_for("the sliders", "document.querySelectorAll('.weights-slider input').length > 1");
        let state = browser
            .eval(
                r#"(() => {
                const inputs = [...document.querySelectorAll(".weights-slider input")];
                inputs[0].value = "0";
                inputs[0].dispatchEvent(new Event("input", { bubbles: true }));
                const box = document.querySelector(".weights-sliders").getBoundingClientRect();
                return {
                    pairs: inputs.map((i) => [Number(i.value), parseFloat(i.closest(".weights-slider").querySelector("output").textContent)]),
                    outside: [...document.querySelectorAll(".weights-slider output")].filter((o) => o.getBoundingClientRect().right > box.right + 0.5).length,
                    total: inputs.reduce((a, i) => a + Number(i.value), 0),
                };
            })()"#,
            )
            .unwrap();
        for pair in state["pairs"].as_array().unwrap() {
            let (slider, shown) = (pair[0].as_f64().unwrap(), pair[1].as_f64().unwrap());
            assert!((slider - shown).abs() < 0.11, "{lang}: a slider at {slider} reads {shown} %: {state}");
        }
        assert!((state["total"].as_f64().unwrap() - 100.0).abs() < 0.2, "{lang}: the sliders do not add up to 100: {state}");
        assert_eq!(state["outside"], json!(0), "{lang}: a share sticks out of its box at 390 px");
        // The language switch carries the weights once the address has them.
        let href = browser.wait_for("the switch to carry the weights", "(() => { const h = document.querySelector('.lang-switch').getAttribute('href'); return h.includes('#') && h.includes('=0&') ? h : false; })()");
        let other = if lang == "zh" { "en" } else { "zh" };
        assert!(href.as_str().unwrap().starts_with(&format!("../{other}/weights.html#")), "{lang}: {href}");
    }
}

/// Printing a chapter page from the browser (issue 24): the zh 5G page fits three A4 sheets
/// (it took five, one of them mostly blank), and screen-only links do not print.
#[test]
fn a_chapter_page_prints_on_at_most_three_a4_sheets() {
    let out = &common::shared::demo().out;
    let mut browser = Browser::launch();
    browser.navigate(&format!("file://{}", out.join("2020/zh/regional/5g.html").display()));
    let pdf = browser.call("Page.printToPDF", json!({ "paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": true }));
    let bytes = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, pdf["data"].as_str().unwrap()).unwrap();
    // The page tree's root says how many pages there are: "/Type /Pages … /Count 3".
    let text = String::from_utf8_lossy(&bytes);
    let root = text.find("/Type /Pages").expect("a PDF page tree");
    let count = &text[root..][text[root..].find("/Count").expect("a page count") + 6..];
    let pages: usize = count.trim_start().split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap();
    eprintln!("the zh 5G page prints on {pages} A4 sheets");
    assert!((1..=3).contains(&pages), "the zh 5G page prints on {pages} sheets");
    // Screen-only links and controls are not printed.
    browser.call("Emulation.setEmulatedMedia", json!({ "media": "print" }));
    let shown = browser
        .eval("[...document.querySelectorAll('.screen-only, .site-search, .lang-switch, .print-button')].filter((e) => getComputedStyle(e).display !== 'none').length")
        .unwrap();
    assert_eq!(shown, json!(0), "screen-only elements print");
}
