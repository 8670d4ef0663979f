//! Renders a full edition's worth of figures (≈130 per language, both languages) as SVG and
//! 2× PNG with rayon: cold, with a warm in-memory cache and with a warm on-disk cache.
//!
//! Run: `cargo bench --bench charts`. Plain `std::time`; prints timings, asserts nothing
//! beyond the outputs being non-empty.

use std::time::Instant;

use cityreport::chart::{
    BarDatum, Choropleth, FONT_BOLD, FONT_REGULAR, MapGeometry, PngCache, RankedBars, Rasteriser, RefLine,
    TreeDiagram, TreeNode, TrendChart, render_choropleth, render_framework, render_ranked_bars,
    render_trend,
};
use cityreport::model::{Bilingual, DistrictMap, Lang, Polygon};
use rayon::prelude::*;

const DISTRICTS: &str = include_str!("../tests/fixtures/districts.csv");
const INDICATORS: &str = include_str!("../tests/fixtures/indicator-system-2020.csv");
const GEOJSON: &str = include_str!("../src/chart/testdata/shanghai-districts.geojson");

struct Row {
    id: String,
    parent: String,
    level: String,
    zh: String,
    en: String,
}

fn rows(csv_text: &str) -> Vec<Vec<String>> {
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    rdr.records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn map(districts: &[Vec<String>]) -> DistrictMap {
    let gj: geojson::GeoJson = GEOJSON.parse().unwrap();
    let geojson::GeoJson::FeatureCollection(fc) = gj else {
        panic!()
    };
    let mut shapes: Vec<Vec<Polygon>> = vec![Vec::new(); districts.len()];
    for f in fc.features {
        let name = f
            .property("name")
            .and_then(|v| v.as_str())
            .unwrap()
            .to_string();
        let i = districts.iter().position(|d| d[2] == name).unwrap();
        let ring = |r: &Vec<geojson::Position>| r.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>();
        shapes[i] = match f.geometry.unwrap().value {
            geojson::GeometryValue::Polygon { coordinates } => {
                vec![coordinates.iter().map(ring).collect()]
            }
            geojson::GeometryValue::MultiPolygon { coordinates } => coordinates
                .iter()
                .map(|p| p.iter().map(ring).collect())
                .collect(),
            _ => unreachable!(),
        };
    }
    DistrictMap {
        shapes,
        attribution: Bilingual::new(
            "边界数据：Apache ECharts 4.9.0",
            "Boundaries: Apache ECharts 4.9.0",
        ),
    }
}

/// Deterministic plausible scores around 100 for indicator `k`.
fn values(k: usize, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| 80.0 + ((i * 37 + k * 101) % 61) as f64 + (k % 7) as f64 * 0.37)
        .collect()
}

fn main() {
    let ds = rows(DISTRICTS);
    let inds: Vec<Row> = rows(INDICATORS)
        .into_iter()
        .map(|r| Row {
            id: r[0].clone(),
            parent: r[1].clone(),
            level: r[2].clone(),
            zh: r[3].clone(),
            en: r[4].clone(),
        })
        .collect();
    let map = map(&ds);
    let n = ds.len();

    let t = Instant::now();
    let figures: Vec<String> = Lang::ALL
        .par_iter()
        .flat_map(|&lang| {
            let name = |r: &Row| {
                if lang == Lang::Zh {
                    r.zh.clone()
                } else {
                    r.en.clone()
                }
            };
            let dname = |d: &Vec<String>| {
                if lang == Lang::Zh {
                    d[1].clone()
                } else {
                    d[3].clone()
                }
            };
            let groups = if lang == Lang::Zh {
                vec!["中心城区".to_string(), "郊区".into()]
            } else {
                vec!["Central city".to_string(), "Suburbs".into()]
            };
            let mut jobs: Vec<Box<dyn Fn() -> String + Send + Sync>> = Vec::new();
            for (k, r) in inds.iter().enumerate() {
                let v = values(k, n);
                let mean = v.iter().sum::<f64>() / n as f64;
                let bars: Vec<BarDatum> = ds
                    .iter()
                    .zip(&v)
                    .map(|(d, x)| BarDatum {
                        label: dname(d),
                        value: *x,
                        group: usize::from(d[4] != "central"),
                        rank: None,
                    })
                    .collect();
                let chart = RankedBars {
                    id: format!("bars-{}-{}", r.id, lang.code()),
                    title: name(r),
                    description: String::new(),
                    lang,
                    words: cityreport::chart::ChartWords::builtin(lang),
                    bars: bars.clone(),
                    groups: groups.clone(),
                    reference_lines: vec![
                        RefLine {
                            label: "mean".into(),
                            value: mean,
                        },
                        RefLine {
                            label: "100".into(),
                            value: 100.0,
                        },
                    ],
                    precision: 2,
                    sort: true,
                    rank_axis: None,
                    width: cityreport::chart::WIDE,
                    hatch_with_pattern: false,
                };
                // Central-only and suburban-only splits for the overall and first-level indices.
                if r.level == "0" || r.level == "1" {
                    for g in 0..2 {
                        let mut c = chart.clone();
                        c.id = format!("{}-g{g}", c.id);
                        c.bars.retain(|b| b.group == g);
                        jobs.push(Box::new(move || render_ranked_bars(&c)));
                    }
                }
                jobs.push(Box::new(move || render_ranked_bars(&chart)));
                let labels: Vec<String> = ds.iter().map(dname).collect();
                let inset: Vec<bool> = ds
                    .iter()
                    .map(|d| d[4] == "central" && d[0] != "pudong")
                    .collect();
                let (id, title) = (format!("map-{}-{}", r.id, lang.code()), name(r));
                let map = &map;
                let v2 = v.clone();
                jobs.push(Box::new(move || {
                    render_choropleth(&Choropleth {
                        id: id.clone(),
                        title: title.clone(),
                        description: String::new(),
                        lang,
                        words: cityreport::chart::ChartWords::builtin(lang),
                        map: MapGeometry::new(map),
                        values: v2.iter().copied().map(Some).collect(),
                        labels: labels.clone(),
                        inset: inset.clone(),
                        inset_title: "Inset".into(),
                        legend_title: "Score".into(),
                        attribution: map.attribution.get(lang).to_string(),
                        precision: 2,
                        classes: 5,
                        layout: cityreport::chart::MapLayout::Wide,
                    })
                }));
                // City-level chart of the children of every parent, in tree order.
                let children: Vec<BarDatum> = inds
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.parent == r.id)
                    .map(|(j, c)| BarDatum {
                        label: name(c),
                        value: values(j, n)[0],
                        group: 0,
                        rank: None,
                    })
                    .collect();
                if !children.is_empty() {
                    let c = RankedBars {
                        id: format!("children-{}-{}", r.id, lang.code()),
                        title: name(r),
                        description: String::new(),
                        lang,
                        words: cityreport::chart::ChartWords::builtin(lang),
                        bars: children,
                        groups: vec![],
                        reference_lines: vec![RefLine {
                            label: "100".into(),
                            value: 100.0,
                        }],
                        precision: 2,
                        sort: false,
                        rank_axis: None,
                        width: cityreport::chart::WIDE,
                        hatch_with_pattern: false,
                    };
                    jobs.push(Box::new(move || render_ranked_bars(&c)));
                }
            }
            let trend = TrendChart {
                id: format!("trend-{}", lang.code()),
                title: "trend".into(),
                description: String::new(),
                derived: Vec::new(),
                lang,
                words: cityreport::chart::ChartWords::builtin(lang),
                points: vec![
                    ("2015".into(), 96.91),
                    ("2017".into(), 99.53),
                    ("2018".into(), 105.13),
                    ("2019".into(), 105.86),
                    ("2020".into(), 109.77),
                ],
                precision: 2,
                width: cityreport::chart::WIDE,
            };
            jobs.push(Box::new(move || render_trend(&trend)));
            let ids: Vec<&str> = inds.iter().map(|r| r.id.as_str()).collect();
            let tree = TreeDiagram {
                id: format!("framework-{}", lang.code()),
                title: "framework".into(),
                description: String::new(),
                lang,
                words: cityreport::chart::ChartWords::builtin(lang),
                nodes: inds
                    .iter()
                    .map(|r| TreeNode {
                        label: name(r),
                        level: r.level.parse().unwrap_or(1),
                        parent: ids.iter().position(|p| *p == r.parent),
                        weight_label: "1/4".into(),
                        coefficient: r.level == "coefficient",
                    })
                    .collect(),
                level_names: vec![],
                narrow: false,
            };
            jobs.push(Box::new(move || render_framework(&tree)));
            jobs.into_par_iter()
                .map(|job| job())
                .collect::<Vec<String>>()
        })
        .collect();
    let svg_time = t.elapsed();
    let svg_bytes: usize = figures.iter().map(String::len).sum();
    println!(
        "figures: {} ({} per language)",
        figures.len(),
        figures.len() / 2
    );
    println!(
        "SVG, parallel:                    {:>8.1} ms  ({:.1} MB)",
        svg_time.as_secs_f64() * 1e3,
        svg_bytes as f64 / 1e6
    );

    let t = Instant::now();
    let rasteriser = Rasteriser::new(&[FONT_REGULAR, FONT_BOLD]);
    println!(
        "rasteriser setup:                 {:>8.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );

    let dir = tempfile::tempdir().unwrap();
    let cache = PngCache::new(Some(dir.path().to_path_buf()));
    let t = Instant::now();
    let pngs: Vec<usize> = figures
        .par_iter()
        .map(|s| cache.get_or_render(s, 2.0, &rasteriser).unwrap().len())
        .collect();
    let cold = t.elapsed();
    println!(
        "PNG 2×, cold (render + disk write): {:>8.1} ms  ({:.1} MB)",
        cold.as_secs_f64() * 1e3,
        pngs.iter().sum::<usize>() as f64 / 1e6
    );

    let t = Instant::now();
    let warm: usize = figures
        .par_iter()
        .map(|s| cache.get_or_render(s, 2.0, &rasteriser).unwrap().len())
        .sum();
    println!(
        "PNG 2×, warm memory cache:        {:>8.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );

    let disk_cache = PngCache::new(Some(dir.path().to_path_buf()));
    let t = Instant::now();
    let disk: usize = figures
        .par_iter()
        .map(|s| disk_cache.get_or_render(s, 2.0, &rasteriser).unwrap().len())
        .sum();
    println!(
        "PNG 2×, warm disk cache (new run): {:>8.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    assert_eq!(warm, disk);
    println!("threads: {}", rayon::current_num_threads());

    // Where the cold time goes: one figure of each kind, single-threaded, median of 5.
    let kind = |s: &str| {
        if s.contains("class=\"district\"") {
            "map"
        } else if s.contains("class=\"node ") {
            "framework"
        } else if s.contains("class=\"point\"") {
            "trend"
        } else {
            "bars"
        }
    };
    let mut seen = Vec::new();
    for f in &figures {
        let k = kind(f);
        if seen.contains(&k) {
            continue;
        }
        seen.push(k);
        let mut render = Vec::new();
        let mut encode = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            let _ = rasteriser.pixmap(f, 2.0).unwrap();
            render.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            let _ = rasteriser.png(f, 2.0).unwrap();
            encode.push(t.elapsed().as_secs_f64() * 1e3);
        }
        render.sort_by(f64::total_cmp);
        encode.sort_by(f64::total_cmp);
        let count = figures.iter().filter(|g| kind(g) == k).count();
        println!(
            "  {k:<9} ×{count:>3}: rasterise {:>5.1} ms, rasterise + encode {:>5.1} ms each",
            render[2], encode[2]
        );
    }
}
