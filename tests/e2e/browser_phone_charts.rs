//! Charts on a phone (390 CSS px, headless Chromium): a figure with a narrow variant displays
//! exactly that one, and its smallest text is drawn at least 9 px tall; a desktop screen and
//! print display only the wide one. A narrow map shows the wide map's outlines through `<use>`,
//! so they must be drawn at the narrow map's size although the wide map is out of sight. Charts
//! drawn compact (city and region bars, a region's ranking) have one drawing for all screens;
//! their text, too, is at least 9 px on the phone. Screenshots of the narrow ranking of all districts and of a narrow map land in
//! `target/phone-screenshots/` for a person to look at.

use crate::common;


use base64::Engine as _;
use common::browser::Browser;
use serde_json::{Value, json};

const PAGES: &[&str] = &["index.html", "method.html", "overall.html", "regional/index.html", "regional/5g.html", "regional/gov.html"];

/// Per figure: which of its drawings are displayed, and the smallest text of each displayed
/// drawing in CSS px (font size × drawn width / viewBox width); the chart frame's content width.
const CHARTS: &str = r#"(() => {
    // A wide map kept rendered for its narrow variant is 1 px wide and clipped: not shown.
    const shown = (el) => el.getBoundingClientRect().width > 1 && getComputedStyle(el).display !== "none";
    const out = [];
    for (const fig of document.querySelectorAll("figure.chart")) {
        const bodies = [...fig.querySelectorAll(".chart-body")].filter(shown);
        const drawn = bodies.map((b) => {
            const svg = b.querySelector("svg");
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            const sizes = [...svg.querySelectorAll("text")].map((t) => parseFloat(t.getAttribute("font-size")) * scale);
            const s = getComputedStyle(b);
            // Each <use> of the wide map's outlines, as drawn here (CSS px).
            const uses = [...svg.querySelectorAll("use")].map((u) => u.getBoundingClientRect().width);
            return { id: svg.getAttribute("aria-labelledby").split(" ")[0].replace(/-title$/, ""), narrow: b.classList.contains("chart-narrow"), smallest: Math.min(...sizes), uses,
                     body: b.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight),
                     svg: svg.getBoundingClientRect().width };
        });
        out.push({ fig: fig.id, hasNarrow: fig.classList.contains("has-narrow"), drawn });
    }
    return out;
})()"#;

fn figures(browser: &mut Browser) -> Vec<Value> {
    browser.eval(CHARTS).unwrap().as_array().unwrap().clone()
}

#[test]
fn phones_show_the_narrow_charts_at_legible_sizes() {
    let out = &common::shared::demo().out;
    let shots = common::screenshot_dir("phone-screenshots");

    let mut browser = Browser::launch();
    let mut wrong = Vec::new();
    for lang in ["zh", "en"] {
        for page in PAGES {
            let url = format!("file://{}", out.join(format!("2020/{lang}/{page}")).display());
            for (width, media) in [(390, "screen"), (1280, "screen"), (390, "print")] {
                browser.call("Emulation.setDeviceMetricsOverride", json!({ "width": width, "height": 844, "deviceScaleFactor": 1, "mobile": width < 600 }));
                browser.call("Emulation.setEmulatedMedia", json!({ "media": media }));
                browser.navigate(&url);
                let phone = width == 390 && media == "screen";
                for f in figures(&mut browser) {
                    let drawn = f["drawn"].as_array().unwrap();
                    if drawn.len() != 1 {
                        wrong.push(format!("{lang}/{page} {width} {media}: {} drawings displayed: {f}", drawn.len()));
                        continue;
                    }
                    let d = &drawn[0];
                    let has_narrow = f["hasNarrow"] == json!(true);
                    if d["narrow"] != json!(phone && has_narrow) {
                        wrong.push(format!("{lang}/{page} {width} {media}: the wrong drawing displayed: {f}"));
                    }
                    // The reused outlines fill most of the narrow map's width.
                    for u in d["uses"].as_array().unwrap() {
                        if u.as_f64().unwrap() < 0.5 * d["svg"].as_f64().unwrap() {
                            wrong.push(format!("{lang}/{page} {width} {media}: outlines reused at {u} px: {f}"));
                        }
                    }
                    if phone {
                        eprintln!("{lang}/{page}: {} smallest text {:.1} px (frame {} px, drawn {} px){}", d["id"], d["smallest"].as_f64().unwrap(), d["body"], d["svg"], if has_narrow { "" } else { " (one drawing for all screens)" });
                        if d["smallest"].as_f64().unwrap() < 9.0 {
                            wrong.push(format!("{lang}/{page}: text under 9 px: {f}"));
                        }
                    }
                }
                if phone && *page == "regional/index.html" {
                    for (kind, name) in [("-bars-", "ranking"), ("-map-", "map")] {
                        let rect = browser.eval(&format!(r#"(() => {{ const r = document.querySelector('figure.has-narrow .chart-narrow svg[aria-labelledby*="{kind}"]').closest("figure").getBoundingClientRect(); return {{ x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height }}; }})()"#)).unwrap();
                        let shot = browser.call("Page.captureScreenshot", json!({ "format": "png", "captureBeyondViewport": true, "clip": { "x": rect["x"], "y": rect["y"], "width": rect["width"], "height": rect["height"], "scale": 2 } }));
                        let png = base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap()).unwrap();
                        std::fs::write(shots.join(format!("{lang}-{name}-narrow-chart.png")), png).unwrap();
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
