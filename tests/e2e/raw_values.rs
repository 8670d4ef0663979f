//! Raw statistics with units beside the scores (issue #13), on the fictional project
//! tests/fixtures/units-city: an invented city whose leaves use every normalisation (target,
//! mean_ratio, min_max with lower-is-better, base_ratio, a score given as such) with units, and a
//! coefficient. Built end to end, in both languages:
//! - every raw value appears with its unit on its indicator page (the unit in the raw column's
//!   header) and on every district profile ("93.2 %");
//! - each indicator page states its method with its parameters, and its weight in the root;
//! - the bar charts' reference lines follow the method: the city mean always, the baseline 100
//!   only for ratio scores, the target on a target leaf;
//! - indices.csv and indices.xlsx carry the raw values and units.
//!
//! Expected texts are derived here from the fixture's own files (values.csv as written,
//! indicators.toml's weights and parameters), not from the code under test.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

const LANGS: [&str; 2] = ["zh", "en"];

/// A leaf of the fixture as indicators.toml states it.
struct Leaf {
    id: String,
    unit: Option<(String, String)>,
    method: String,
    parameter: Option<f64>,
    lower: bool,
    raw_precision: Option<usize>,
}

struct Fixture {
    root_name: (String, String),
    /// id → (parent, weight as a number, kind).
    nodes: BTreeMap<String, (Option<String>, f64, String)>,
    leaves: Vec<Leaf>,
    /// indicator → district → value as written in values.csv.
    values: BTreeMap<String, BTreeMap<String, String>>,
    districts: Vec<(String, String, String, String)>, // id, zh, en, region
}

fn fixture_dir() -> std::path::PathBuf {
    common::demo_root().join("tests/fixtures/units-city")
}

fn read_fixture() -> Fixture {
    let dir = fixture_dir().join("data/2024");
    let ind: toml::Table = std::fs::read_to_string(dir.join("indicators.toml")).unwrap().parse().unwrap();
    let mut nodes = BTreeMap::new();
    let mut leaves = Vec::new();
    let mut root_name = (String::new(), String::new());
    let list = ind["indicator"].as_array().unwrap();
    for n in list {
        let id = n["id"].as_str().unwrap().to_string();
        let parent = n.get("parent").and_then(|p| p.as_str()).map(str::to_string);
        let weight = match n.get("weight") {
            Some(toml::Value::Float(f)) => *f,
            Some(toml::Value::Integer(i)) => *i as f64,
            Some(toml::Value::String(s)) => {
                let (a, b) = s.split_once('/').unwrap();
                a.parse::<f64>().unwrap() / b.parse::<f64>().unwrap()
            }
            _ => 1.0,
        };
        let kind = n.get("kind").and_then(|k| k.as_str()).unwrap_or("index").to_string();
        if parent.is_none() {
            root_name = (n["name"]["zh"].as_str().unwrap().into(), n["name"]["en"].as_str().unwrap().into());
        }
        let has_children = list.iter().any(|c| c.get("parent").and_then(|p| p.as_str()) == Some(id.as_str()));
        if !has_children && kind == "index" {
            let norm = n.get("normalisation");
            leaves.push(Leaf {
                id: id.clone(),
                unit: n.get("unit").map(|u| (u["zh"].as_str().unwrap().into(), u["en"].as_str().unwrap().into())),
                method: norm.map(|m| m["method"].as_str().unwrap().to_string()).unwrap_or_else(|| "none".into()),
                parameter: norm.and_then(|m| m.get("target").or(m.get("base"))).map(|v| v.as_float().or(v.as_integer().map(|i| i as f64)).unwrap()),
                lower: n.get("polarity").and_then(|p| p.as_str()) == Some("lower"),
                raw_precision: n.get("raw_precision").map(|p| p.as_integer().unwrap() as usize),
            });
        }
        nodes.insert(id, (parent, weight, kind));
    }
    let mut values: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for r in csv::Reader::from_path(dir.join("values.csv")).unwrap().records() {
        let r = r.unwrap();
        values.entry(r[1].to_string()).or_default().insert(r[0].to_string(), r[2].to_string());
    }
    let ds: toml::Table = std::fs::read_to_string(dir.join("districts.toml")).unwrap().parse().unwrap();
    let districts = ds["district"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap().to_string();
            (s("id"), d["name"]["zh"].as_str().unwrap().into(), d["name"]["en"].as_str().unwrap().into(), s("region"))
        })
        .collect();
    Fixture { root_name, nodes, leaves, values, districts }
}

impl Leaf {
    fn shows_raw(&self) -> bool {
        self.unit.is_some() || self.method != "none"
    }

    /// Decimals as the docs state them: raw_precision, or the most decimals written in
    /// values.csv for this leaf (at most 3).
    fn precision(&self, f: &Fixture) -> usize {
        self.raw_precision.unwrap_or_else(|| {
            f.values[&self.id].values().map(|t| t.split_once('.').map_or(0, |(_, d)| d.len())).max().unwrap().min(3)
        })
    }

    fn unit(&self, lang: &str) -> &str {
        self.unit.as_ref().map_or("", |(zh, en)| if lang == "zh" { zh } else { en })
    }

    fn text(&self, f: &Fixture, x: f64) -> String {
        // Half-up rounding, as the report rounds (88.75 → 88.8).
        let p = self.precision(f);
        let scale = 10f64.powi(p as i32);
        format!("{:.*}", p, ((x * scale) + 0.5 + 1e-9).floor() / scale)
    }

    fn raw(&self, f: &Fixture) -> Vec<(String, f64)> {
        f.values[&self.id].iter().map(|(d, v)| (d.clone(), v.parse().unwrap())).collect()
    }
}

/// A page's visible text (tags dropped, entities decoded, spaces collapsed), figures left out.
fn page_text(site: &cityreport::output::SiteFiles, path: &str) -> String {
    let html = std::str::from_utf8(site.get(path).unwrap_or_else(|| panic!("no {path}"))).unwrap();
    common::visible_text(&html[html.find("<main").unwrap()..html.find("</main>").unwrap()])
}

/// The reference-line summaries ("City 63.92; Target 98.0 % = 100.00") of every chart on a page.
fn reference_lines(site: &cityreport::output::SiteFiles, path: &str, lang: &str) -> Vec<String> {
    let html = std::str::from_utf8(site.get(path).unwrap()).unwrap();
    let marker = if lang == "zh" { "参考线：" } else { "Reference lines: " };
    html.match_indices(marker).map(|(i, _)| html[i + marker.len()..].split(['<', '\n']).next().unwrap().to_string()).collect()
}

fn percent(share: f64) -> String {
    let s = format!("{:.2}", share * 100.0);
    format!("{}%", s.trim_end_matches('0').trim_end_matches('.'))
}

fn build_fixture() -> (tempfile::TempDir, cityreport::output::SiteFiles) {
    let tmp = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(common::shared_png_cache(), tmp.path().join(".cityreport-cache")).unwrap();
    common::copy_dir(&fixture_dir(), tmp.path());
    let site = cityreport::build::build_site(tmp.path(), &cityreport::build::BuildOptions::default()).unwrap();
    (tmp, site)
}

#[test]
fn raw_values_units_methods_weights_and_reference_lines() {
    let f = read_fixture();
    let (_tmp, site) = build_fixture();
    let raw_leaves: Vec<&Leaf> = f.leaves.iter().filter(|l| l.shows_raw()).collect();
    assert!(raw_leaves.len() >= 4 && f.leaves.iter().any(|l| !l.shows_raw()), "the fixture has leaves of both kinds");

    for lang in LANGS {
        let en = lang == "en";
        let root = if en { &f.root_name.1 } else { &f.root_name.0 };
        for leaf in &f.leaves {
            let page = format!("2024/{lang}/regional/{}.html", leaf.id);
            let text = page_text(&site, &page);
            let raw = leaf.raw(&f);
            if leaf.shows_raw() {
                // The raw column names the unit; every district's raw value is in the table.
                let header = if en { format!("Raw value ({})", leaf.unit(lang)) } else { format!("原始值（{}）", leaf.unit(lang)) };
                assert!(text.contains(&header), "{page}: no column {header:?}");
                for (d, x) in &raw {
                    let name = f.districts.iter().find(|x| &x.0 == d).map(|x| if en { &x.2 } else { &x.1 }).unwrap();
                    // Region tables list rank, district, raw value, score.
                    let cell = format!("{name} {} ", leaf.text(&f, *x));
                    assert!(text.contains(&cell), "{page}: no {cell:?}");
                }
                // The plain mean of the districts' raw values, with its unit, stated as such.
                let mean = raw.iter().map(|r| r.1).sum::<f64>() / raw.len() as f64;
                let mean_text = format!("{} {}", leaf.text(&f, mean), leaf.unit(lang));
                assert!(text.contains(&mean_text), "{page}: raw mean {mean_text:?}");
                assert!(text.contains(if en { "mean of the districts' raw values" } else { "各区原始值的简单平均" }), "{page}");
            } else {
                assert!(!text.contains(if en { "Raw value" } else { "原始值（" }), "{page}: a score given as such has no raw column");
            }

            // The method in words, with its parameters and lower-is-better.
            let with_unit = |x: f64| format!("{} {}", leaf.text(&f, x), leaf.unit(lang));
            let (min, max) = raw.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), r| (a.min(r.1), b.max(r.1)));
            let expected: Vec<String> = match leaf.method.as_str() {
                "target" => vec![with_unit(if leaf.lower { max } else { min }), with_unit(leaf.parameter.unwrap()), (if en { "capped at 100" } else { "最高为 100" }).into()],
                "min_max" => vec![with_unit(min), with_unit(max)],
                "mean_ratio" => vec![with_unit(raw.iter().map(|r| r.1).sum::<f64>() / raw.len() as f64), (if en { "mean of all districts" } else { "各区平均值" }).into()],
                "base_ratio" => vec![with_unit(leaf.parameter.unwrap()), (if en { "the base of" } else { "基准值" }).into()],
                _ => vec![(if en { "the value as given" } else { "得分即所给数值" }).into()],
            };
            let sentence_start = text.find(if en { "Score = " } else { "得分 =" }).or_else(|| text.find(if en { "Score = the value" } else { "得分即所给数值" }));
            let sentence = &text[sentence_start.unwrap_or_else(|| panic!("{page}: no method sentence"))..];
            let sentence = &sentence[..sentence.find(if en { ". " } else { "。" }).unwrap_or(sentence.len())];
            for e in &expected {
                assert!(sentence.contains(e.as_str()), "{page}: the method {sentence:?} lacks {e:?}");
            }
            let lower_words = if en { "lower is better" } else { "数值越低越好" };
            assert_eq!(sentence.contains(lower_words), leaf.lower, "{page}: polarity in {sentence:?}");
        }

        // The weight in the root index on every page below the root, leaves and indices alike.
        for (id, (parent, _, kind)) in &f.nodes {
            if parent.is_none() || kind != "index" {
                continue;
            }
            let mut w = 1.0;
            let mut cur = id.clone();
            while let Some((Some(p), weight, _)) = f.nodes.get(&cur) {
                w *= weight;
                cur = p.clone();
            }
            let page = format!("2024/{lang}/regional/{id}.html");
            let label = if en { format!("Weight in the {root} {}", percent(w)) } else { format!("在{root}中的权重 {}", percent(w)) };
            assert!(page_text(&site, &page).contains(&label), "{page}: no {label:?}");
        }

        // Reference lines: the city mean on every district chart; 100 only for ratio scores;
        // the target where there is one.
        let (city, baseline, target) = if en { ("City ", "Baseline 100", "Target ") } else { ("全市 ", "基准 100", "目标 ") };
        for leaf in &f.leaves {
            let page = format!("2024/{lang}/regional/{}.html", leaf.id);
            let lines = reference_lines(&site, &page, lang);
            assert!(!lines.is_empty(), "{page}: no chart with reference lines");
            let ratio = matches!(leaf.method.as_str(), "mean_ratio" | "base_ratio");
            for l in &lines {
                assert!(l.contains(city), "{page}: {l}");
                assert_eq!(l.contains(baseline), ratio, "{page} ({}): {l}", leaf.method);
                if leaf.method == "target" {
                    let t = format!("{target}{} {} = 100", leaf.text(&f, leaf.parameter.unwrap()), leaf.unit(lang));
                    assert!(l.contains(&t), "{page}: {l} lacks {t:?}");
                } else {
                    assert!(!l.contains(target), "{page}: {l}");
                }
            }
        }
        // Indices above 0-to-100 or mixed scores (here all of them) draw no baseline either.
        for (id, (parent, _, kind)) in &f.nodes {
            if kind != "index" || f.leaves.iter().any(|l| &l.id == id) {
                continue;
            }
            let page = if parent.is_none() { format!("2024/{lang}/regional/index.html") } else { format!("2024/{lang}/regional/{id}.html") };
            let lines = reference_lines(&site, &page, lang);
            assert!(!lines.is_empty(), "{page}");
            for l in lines {
                assert!(!l.contains(baseline), "{page}: {l}");
            }
        }

        // Every district profile: each raw value with its unit.
        for (d, zh, en_name, _) in &f.districts {
            let page = format!("2024/{lang}/districts/{d}.html");
            let text = page_text(&site, &page);
            assert!(text.contains(if en { en_name } else { zh }), "{page}");
            for leaf in &raw_leaves {
                let x: f64 = f.values[&leaf.id][d].parse().unwrap();
                let v = format!("{} {}", leaf.text(&f, x), leaf.unit(lang));
                assert!(text.contains(&v), "{page}: no {v:?}");
            }
        }
    }

    // indices.csv: raw (at the leaf's precision; the plain mean for the city and regions), unit.
    let rows = common::read_indices(site.get("2024/data/indices.csv").unwrap());
    for leaf in &f.leaves {
        let raw = leaf.raw(&f);
        for (d, x) in &raw {
            let row = &rows[&(leaf.id.clone(), d.clone())];
            let expected = if leaf.shows_raw() { leaf.text(&f, *x) } else { String::new() };
            assert_eq!(row["raw"], expected, "{} {d}", leaf.id);
            assert_eq!(row["unit_zh"], leaf.unit("zh"));
            assert_eq!(row["unit_en"], leaf.unit("en"));
        }
        let city = &rows[&(leaf.id.clone(), "city".to_string())]["raw"];
        let mean = raw.iter().map(|r| r.1).sum::<f64>() / raw.len() as f64;
        assert_eq!(city, &if leaf.shows_raw() { leaf.text(&f, mean) } else { String::new() }, "{} city", leaf.id);
        for region in ["harbour", "upland"] {
            let members: Vec<f64> = raw.iter().filter(|(d, _)| f.districts.iter().any(|x| &x.0 == d && x.3 == region)).map(|r| r.1).collect();
            let mean = members.iter().sum::<f64>() / members.len() as f64;
            let got = &rows[&(leaf.id.clone(), region.to_string())]["raw"];
            assert_eq!(got, &if leaf.shows_raw() { leaf.text(&f, mean) } else { String::new() }, "{} {region}", leaf.id);
        }
    }
    for (id, _) in f.nodes.iter().filter(|(id, _)| !f.leaves.iter().any(|l| &l.id == *id)) {
        assert_eq!(rows[&(id.clone(), "city".to_string())]["raw"], "", "{id}: no raw value above the leaves");
    }

    // indices.xlsx: the long sheet's raw column holds the same numbers, as numbers.
    let bytes = site.get("2024/data/indices.xlsx").unwrap().to_vec();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names();
    let long = wb.worksheet_range(names.last().unwrap()).unwrap();
    let header: Vec<String> = long.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let col = |name: &str| header.iter().position(|h| h.ends_with(&format!(" {name}"))).unwrap_or_else(|| panic!("no {name} in {header:?}"));
    let (ci, ce, cr, cu) = (col("indicator"), col("entity"), col("raw"), col("unit_en"));
    let mut checked = 0;
    for r in long.rows().skip(1) {
        let key = (r[ci].to_string(), r[ce].to_string());
        let expected = &rows[&key]["raw"];
        match &r[cr] {
            Data::Float(x) => {
                assert!((x - expected.parse::<f64>().unwrap()).abs() < 1e-9, "{key:?}: {x} vs {expected}");
                checked += 1;
            }
            Data::Empty => assert_eq!(expected, "", "{key:?}"),
            other => panic!("{key:?}: raw cell {other:?}"),
        }
        assert_eq!(r[cu].to_string(), rows[&key]["unit_en"], "{key:?}");
    }
    assert_eq!(checked, raw_leaves.len() * (f.districts.len() + 3), "a raw number for every district, the city and both regions");

    // The level sheet of the leaves: a raw column per leaf with raw values, the unit in its header.
    let leaves_sheet = wb.worksheet_range(&names[2]).unwrap();
    let header: Vec<String> = leaves_sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    for leaf in &f.leaves {
        let col = header.iter().position(|h| h.contains(&format!(" {} ", leaf.id)) && h.contains("Raw value") || h.ends_with(&format!("Raw value {}", leaf.id)));
        assert_eq!(col.is_some(), leaf.shows_raw(), "{}: {header:?}", leaf.id);
        let Some(col) = col else { continue };
        assert!(header[col].contains(leaf.unit("en")), "{}", header[col]);
        for r in leaves_sheet.rows().skip(1) {
            let key = (leaf.id.clone(), r[0].to_string());
            let Data::Float(x) = r[col] else { panic!("{key:?}: {:?}", r[col]) };
            assert!((x - rows[&key]["raw"].parse::<f64>().unwrap()).abs() < 1e-9, "{key:?}");
        }
    }
}

/// Bad input: a unit on a coefficient, a raw_precision out of range — `cityreport check` names
/// the file and line and says what to do; `build` writes nothing.
#[test]
fn bad_units_and_precisions_are_refused_with_file_and_line() {
    let cases = [
        ("id = \"trust\"", "id = \"trust\"\nunit = { zh = \"倍\", en = \"times\" }", "has a unit", "remove `unit`"),
        ("raw_precision = 1", "raw_precision = 9", "raw_precision of \"fibre\" is 9", "from 0 to 6"),
    ];
    for (from, to, message, help) in cases {
        let tmp = tempfile::tempdir().unwrap();
        common::copy_dir(&fixture_dir(), tmp.path());
        let file = tmp.path().join("data/2024/indicators.toml");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(from));
        let changed = text.replacen(from, to, 1);
        let line = changed.lines().position(|l| l == to.lines().last().unwrap()).unwrap() + 1;
        std::fs::write(&file, changed).unwrap();
        let out = common::cityreport(&["check", "--root", tmp.path().to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{message}: check passed");
        assert!(stderr.contains(message) && stderr.contains(help), "{stderr}");
        assert!(stderr.contains(&format!("indicators.toml:{line}")), "names the line {line}: {stderr}");
        let site = tmp.path().join("site-out");
        let out = common::cityreport(&["build", "--root", tmp.path().to_str().unwrap(), "--out", site.to_str().unwrap()]);
        assert!(!out.status.success() && !Path::new(&site).exists(), "{message}: nothing written");
    }
}

/// The demo's scores are given relative to a baseline of 100 (its indicators.toml declares
/// `given_scores_relative_to_100`), so every chart of its indices keeps the baseline 100 line
/// (coefficients have none) and no chart gains a target.
#[test]
fn the_demo_keeps_its_baseline() {
    let ind: toml::Table = std::fs::read_to_string(common::demo_root().join("data/2020/indicators.toml")).unwrap().parse().unwrap();
    assert_eq!(ind.get("given_scores_relative_to_100"), Some(&toml::Value::Boolean(true)));
    let site = common::shared::demo_site();
    let mut charts = 0;
    for n in ind["indicator"].as_array().unwrap() {
        let id = n["id"].as_str().unwrap();
        let coefficient = n.get("kind").and_then(|k| k.as_str()) == Some("coefficient");
        let page = if n.get("parent").is_none() { "regional/index.html".to_string() } else { format!("regional/{id}.html") };
        for (lang, baseline) in [("zh", "基准 100.00"), ("en", "Baseline 100.00")] {
            for l in reference_lines(&site, &format!("2020/{lang}/{page}"), lang) {
                assert_eq!(l.contains(baseline), !coefficient, "{lang}/{page}: {l}");
                assert!(!l.contains("Target") && !l.contains("目标"), "{lang}/{page}: {l}");
                charts += 1;
            }
        }
    }
    assert!(charts > 100, "only {charts} charts checked");
}
