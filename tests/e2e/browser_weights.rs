//! The reader's tools in a real browser (headless Chromium over CDP), opened from disk, in both
//! languages (issue 16):
//! * weights.html with the published weights shows exactly the published overall ranks
//!   (indices.csv of the same build);
//! * moving a slider (setting the input's value and dispatching an `input` event) re-ranks the
//!   districts as an independent computation here says: the first-level scores from indices.csv
//!   combined with the re-scaled weights (Σ w_i × score_i × Π coefficients), ranked by the
//!   published rule; the weights land in the address, and opening that address again gives the
//!   same ranking; reset brings the published ranking back;
//! * without JavaScript the page shows the published ranking and says the tool needs it;
//! * compare.html shows the two districts of its address with values and ranks equal to
//!   indices.csv on every indicator, and a shared-axis chart (title, description) with one mark
//!   per district × root or first-level index, each where the published value lies on the axis
//!   read back from the chart's own tick labels, in its indicator's row.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cityreport::compute::round_half_up;
use cityreport::model::{Edition, IndicatorKind};
use common::browser::{problems, Browser};
use serde_json::{json, Value};

struct Site {
    out: PathBuf,
    edition: Edition,
    /// (indicator, district) → indices.csv row.
    indices: BTreeMap<(String, String), BTreeMap<String, String>>,
}

/// The demo built once for every test that only reads it, with what this test needs of it.
fn build_demo() -> Site {
    let demo = common::shared::demo();
    let (project, out) = (&demo.project, demo.out.clone());
    let edition = cityreport::load::load_edition(project, 2020).unwrap();
    let all = common::read_indices(&std::fs::read(out.join("2020/data/indices.csv")).unwrap());
    let indices = all.into_iter().filter(|(_, row)| row["entity_type"] == "district").collect();
    Site { out, edition, indices }
}

fn file_url(out: &Path, rel: &str) -> String {
    format!("file://{}", out.join(rel).canonicalize().unwrap().display())
}

/// The ranking the page shows: district id → rank.
fn shown_ranks(browser: &mut Browser) -> BTreeMap<String, u32> {
    let rows = browser
        .eval("[...document.querySelectorAll('#weights-tool tbody tr')].map(tr => [tr.dataset.district, Number(tr.querySelector('.rank').textContent)])")
        .unwrap();
    rows.as_array().unwrap().iter().map(|r| (r[0].as_str().unwrap().to_string(), r[1].as_u64().unwrap() as u32)).collect()
}

impl Site {
    fn districts(&self) -> Vec<String> {
        self.edition.districts.districts.iter().map(|d| d.id.clone()).collect()
    }

    fn published_ranks(&self, indicator: &str) -> BTreeMap<String, u32> {
        self.districts().into_iter().map(|d| {
            let rank = self.indices[&(indicator.to_string(), d.clone())]["rank"].parse().unwrap();
            (d, rank)
        }).collect()
    }

    /// Independently of the page: the root recomputed from the first-level scores in
    /// indices.csv with the sliders' weights (each slider's share of their sum, scaled to the
    /// published weights' total), competition-ranked on values rounded to the precision.
    fn ranks_with_sliders(&self, sliders: &[f64]) -> BTreeMap<String, u32> {
        let tree = &self.edition.tree;
        let root = tree.root();
        let index_kids: Vec<usize> = root.children.iter().copied().filter(|&c| tree.nodes[c].kind == IndicatorKind::Index).collect();
        let official_sum: f64 = index_kids.iter().map(|&c| tree.nodes[c].weight).sum();
        let total: f64 = sliders.iter().sum();
        let weight: BTreeMap<usize, f64> = index_kids.iter().zip(sliders).map(|(&c, s)| (c, s / total * official_sum)).collect();
        let score = |d: &str| {
            let value = |c: usize| -> f64 { self.indices[&(tree.nodes[c].id.clone(), d.to_string())]["value"].parse().unwrap() };
            let (mut combined, mut factor) = (0.0, 1.0);
            for &c in &root.children {
                match tree.nodes[c].kind {
                    IndicatorKind::Coefficient => factor *= value(c),
                    IndicatorKind::Index => combined += weight[&c] * value(c),
                }
            }
            round_half_up(combined * factor, self.edition.precision)
        };
        let scores: BTreeMap<String, f64> = self.districts().into_iter().map(|d| { let s = score(&d); (d, s) }).collect();
        scores.iter().map(|(d, s)| (d.clone(), 1 + scores.values().filter(|o| *o > s).count() as u32)).collect()
    }

    /// Id of the k-th first-level index (the k-th slider).
    fn index_kid(&self, k: usize) -> String {
        let tree = &self.edition.tree;
        let kids: Vec<usize> = tree.root().children.iter().copied().filter(|&c| tree.nodes[c].kind == IndicatorKind::Index).collect();
        tree.nodes[kids[k]].id.clone()
    }

    /// The sliders' published positions (percent, one decimal), as the page sets them.
    fn official_sliders(&self) -> Vec<f64> {
        let tree = &self.edition.tree;
        tree.root().children.iter().filter(|&&c| tree.nodes[c].kind == IndicatorKind::Index).map(|&c| (tree.nodes[c].weight * 1000.0).round() / 10.0).collect()
    }
}

#[test]
fn weights_and_compare_pages_work_from_disk() {
    let site = build_demo();
    let published = site.published_ranks(&site.edition.tree.root().id);
    let mut browser = Browser::launch();
    for lang in ["zh", "en"] {
        // The published weights give the published ranks.
        let url = file_url(&site.out, &format!("2020/{lang}/weights.html"));
        let since = browser.navigate(&url);
        browser.wait_for("the ranking", "document.querySelectorAll('#weights-tool tbody tr').length");
        assert_eq!(shown_ranks(&mut browser), published, "{lang}: published weights");
        let note = browser.eval("document.querySelector('.weights-status').textContent").unwrap();
        assert!(note.as_str().is_some_and(|n| !n.is_empty()), "{lang}: the page says these are the published weights");
        assert_eq!(browser.eval("location.hash").unwrap(), json!(""));

        // Move the first slider to 0: the ranking follows the independent computation.
        let mut sliders = site.official_sliders();
        sliders[0] = 0.0;
        browser
            .eval("(() => { const i = document.querySelector('#weights-tool input[type=range]'); i.value = '0'; i.dispatchEvent(new Event('input', { bubbles: true })); })()")
            .unwrap();
        let expected = site.ranks_with_sliders(&sliders);
        assert_ne!(expected, published, "the test needs a slider setting that changes some rank");
        assert_eq!(shown_ranks(&mut browser), expected, "{lang}: first slider at 0");
        let hash = browser.wait_for("the weights in the address", "location.hash");
        let hash = hash.as_str().unwrap().to_string();
        let first_id = site.index_kid(0);
        assert!(hash.contains(&format!("{first_id}=0")), "{lang}: the weights are in the address: {hash}");

        // Another setting: the second slider doubled.
        let mut sliders2 = site.official_sliders();
        sliders2[1] = (sliders2[1] * 2.0).min(100.0);
        browser
            .eval(&format!("(() => {{ const i = document.querySelectorAll('#weights-tool input[type=range]')[1]; i.value = '{}'; i.dispatchEvent(new Event('input', {{ bubbles: true }})); }})()", sliders2[1]))
            .unwrap();
        // The others move in proportion so that the weights still add up to 100 (issue 24): the
        // ranking follows the sliders as they now stand.
        let now = browser.eval("[...document.querySelectorAll('#weights-tool input[type=range]')].map((i) => Number(i.value))").unwrap();
        let sliders2: Vec<f64> = now.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
        assert!((sliders2.iter().sum::<f64>() - 100.0).abs() < 0.2, "{lang}: the sliders add up to 100: {sliders2:?}");
        assert_eq!(sliders2[0], 0.0, "{lang}: the slider at 0 stays at 0");
        assert_eq!(shown_ranks(&mut browser), site.ranks_with_sliders(&sliders2), "{lang}: second slider doubled");

        // Shared address: a fresh load of the hash gives the same ranking.
        let want = format!("{}={}", site.index_kid(1), sliders2[1]);
        browser.wait_for("the second weight in the address", &format!("location.hash.includes({want:?})"));
        let shared = browser.eval("location.href").unwrap().as_str().unwrap().to_string();
        browser.navigate("about:blank");
        browser.navigate(&shared);
        browser.wait_for("the ranking", "document.querySelectorAll('#weights-tool tbody tr').length");
        assert_eq!(shown_ranks(&mut browser), site.ranks_with_sliders(&sliders2), "{lang}: opened from the shared address");

        // Recomputing is quick: the average over 50 slider moves, within one animation frame.
        let ms = browser
            .eval("(() => { const i = document.querySelector('#weights-tool input[type=range]'); const t = performance.now(); for (let k = 0; k < 50; k++) { i.value = String(k * 2); i.dispatchEvent(new Event('input')); } return (performance.now() - t) / 50; })()")
            .unwrap();
        eprintln!("{lang}: {ms} ms per recomputation");
        assert!(ms.as_f64().unwrap() < 16.0, "{lang}: {ms} ms per recomputation");

        // Reset: the published ranking again, the address cleared.
        browser.eval("document.querySelector('.weights-reset').click()").unwrap();
        assert_eq!(shown_ranks(&mut browser), published, "{lang}: after reset");
        browser.wait_for("the address cleared", "location.hash === ''");
        browser.sync();
        assert_eq!(problems(&browser.log, since, false), Vec::<String>::new(), "{lang}: weights page");

        // Compare: the last and the first district of the list, every indicator.
        let ids = site.districts();
        let (a, b) = (ids[ids.len() - 1].clone(), ids[0].clone());
        let since = browser.navigate(&file_url(&site.out, &format!("2020/{lang}/compare.html")).replace("compare.html", &format!("compare.html#a={a}&b={b}&c=")));
        browser.wait_for("the comparison", "document.querySelectorAll('#compare-tool tbody tr').length");
        let cells: Value = browser
            .eval("[...document.querySelectorAll('#compare-tool tbody tr')].map(tr => [tr.dataset.node, [...tr.querySelectorAll('td.value')].map(td => [td.dataset.district, td.textContent]), [...tr.querySelectorAll('td.rank')].map(td => [td.dataset.district, td.textContent])])")
            .unwrap();
        let rows = cells.as_array().unwrap();
        let indicators: std::collections::BTreeSet<&String> = site.indices.keys().map(|(i, _)| i).collect();
        assert_eq!(rows.len(), indicators.len(), "{lang}: one row per indicator");
        for r in rows {
            let node = r[0].as_str().unwrap().to_string();
            let values = r[1].as_array().unwrap();
            let ranks = r[2].as_array().unwrap();
            assert_eq!(values.len(), 2, "{lang}: two districts");
            for (k, d) in [&a, &b].into_iter().enumerate() {
                let row = &site.indices[&(node.clone(), d.clone())];
                assert_eq!(values[k][0], json!(d));
                let shown: f64 = values[k][1].as_str().unwrap().replace('\u{2212}', "-").parse().unwrap();
                let published: f64 = row["published"].parse().unwrap();
                assert_eq!(shown, published, "{lang}: {node} {d} value");
                assert_eq!(ranks[k][1].as_str().unwrap(), row["rank"], "{lang}: {node} {d} rank");
            }
        }
        // The shared-axis chart: root and first-level indices, a mark per district and indicator.
        let chart = browser
            .eval("(() => { const svg = document.querySelector('#compare-tool svg.compare-chart'); if (!svg) return null; \
                   const ids = (svg.getAttribute('aria-labelledby') || '').split(' '); \
                   const named = ids.map(id => svg.querySelector('[id=\"' + id + '\"]')).map(e => e ? e.textContent : ''); \
                   const ticks = [...svg.querySelectorAll('.compare-tick')].map(t => [Number(t.getAttribute('x')), t.textContent.replace('\\u2212', '-')]); \
                   const marks = [...svg.querySelectorAll('.compare-mark')].map(m => { const b = m.getBBox(); const row = m.closest('.compare-row'); \
                     const track = row.querySelector('.compare-track'); \
                     return [row.dataset.node, m.dataset.district, b.x + b.width / 2, b.y + b.height / 2, Number(track.getAttribute('y1'))]; }); \
                   return { named, ticks, marks, width: svg.getBoundingClientRect().width }; })()")
            .unwrap();
        assert!(!chart.is_null(), "{lang}: the compare page has its chart");
        let named = chart["named"].as_array().unwrap();
        assert!(named.len() == 2 && named.iter().all(|t| t.as_str().unwrap().len() > 10), "{lang}: title and description: {named:?}");
        let tree = &site.edition.tree;
        let charted: Vec<&str> = tree.nodes.iter().filter(|n| n.level <= 1 && n.kind == IndicatorKind::Index).map(|n| n.id.as_str()).collect();
        let marks = chart["marks"].as_array().unwrap();
        assert_eq!(marks.len(), charted.len() * 2, "{lang}: one mark per district and indicator");
        let ticks: Vec<(f64, f64)> = chart["ticks"].as_array().unwrap().iter().map(|t| (t[0].as_f64().unwrap(), t[1].as_str().unwrap().parse().unwrap())).collect();
        assert!(ticks.len() >= 3, "{lang}: axis ticks {ticks:?}");
        let (first, last) = (ticks[0], ticks[ticks.len() - 1]);
        let px_per_unit = (last.0 - first.0) / (last.1 - first.1);
        let mut seen = std::collections::BTreeSet::new();
        for m in marks {
            let (node, d) = (m[0].as_str().unwrap(), m[1].as_str().unwrap());
            assert!(charted.contains(&node) && (d == a || d == b), "{lang}: mark {node} {d}");
            assert!(seen.insert((node.to_string(), d.to_string())), "{lang}: two marks for {node} {d}");
            let published: f64 = site.indices[&(node.to_string(), d.to_string())]["published"].parse().unwrap();
            let expected_x = first.0 + (published - first.1) * px_per_unit;
            let x = m[2].as_f64().unwrap();
            assert!((x - expected_x).abs() < 1.0, "{lang}: {node} {d} at x {x}, the axis puts {published} at {expected_x}");
            assert!((m[3].as_f64().unwrap() - m[4].as_f64().unwrap()).abs() < 0.5, "{lang}: {node} {d} in its row");
        }
        let strengths = browser.eval("document.querySelectorAll('.compare-strength li').length").unwrap();
        assert!(strengths.as_u64().unwrap() >= 2, "{lang}: strengths of each");
        browser.sync();
        assert_eq!(problems(&browser.log, since, false), Vec::<String>::new(), "{lang}: compare page");
    }

    // Without JavaScript: the published ranking and a note that the tool needs it.
    browser.call("Emulation.setScriptExecutionDisabled", json!({ "value": true }));
    for lang in ["zh", "en"] {
        browser.navigate(&file_url(&site.out, &format!("2020/{lang}/weights.html")));
        let empty = browser.eval("document.getElementById('weights-tool').children.length").unwrap();
        assert_eq!(empty, json!(0), "{lang}: no tool without JavaScript");
        let official = browser.eval("document.querySelectorAll('#table-official tbody tr').length").unwrap();
        assert_eq!(official.as_u64().unwrap() as usize, published.len(), "{lang}: the published ranking");
        let text = browser.eval("document.body.innerText").unwrap();
        let needs = if lang == "zh" { "JavaScript" } else { "needs JavaScript" };
        assert!(text.as_str().unwrap().contains(needs), "{lang}: says the tool needs JavaScript");
    }
}
