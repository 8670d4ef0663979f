//! Demo data for chart tests: the 2020 Shanghai districts, their printed overall index and
//! boundaries (fixtures copied from the shared reference folder into `testdata/`).

use geojson::{GeoJson, GeometryValue};
use roxmltree::{Document, Node};

use crate::model::{Bilingual, DistrictMap, Lang, Polygon};

use super::{BarDatum, RankedBars, RefLine};

pub struct DemoDistrict {
    pub id: String,
    pub zh: String,
    pub zh_full: String,
    pub en: String,
    pub central: bool,
}

impl DemoDistrict {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

pub fn districts() -> Vec<DemoDistrict> {
    let mut rdr = csv::Reader::from_reader(include_str!("../../tests/fixtures/districts.csv").as_bytes());
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            DemoDistrict {
                id: r[0].to_string(),
                zh: r[1].to_string(),
                zh_full: r[2].to_string(),
                en: r[3].to_string(),
                central: &r[4] == "central",
            }
        })
        .collect()
}

/// Printed 2020 overall index by district index.
pub fn overall() -> Vec<f64> {
    let ds = districts();
    let text = include_str!("testdata/overall-2020.csv");
    let mut out = vec![f64::NAN; ds.len()];
    for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let (id, v) = line.split_once(',').unwrap();
        let i = ds.iter().position(|d| d.id == id).unwrap();
        out[i] = v.parse().unwrap();
    }
    out
}

pub fn city_mean() -> f64 {
    let v = overall();
    v.iter().sum::<f64>() / v.len() as f64
}

/// District boundaries matched by full Chinese name, as the loader will do.
pub fn shanghai_map() -> DistrictMap {
    let gj: GeoJson = include_str!("testdata/shanghai-districts.geojson")
        .parse()
        .unwrap();
    let GeoJson::FeatureCollection(fc) = gj else {
        panic!("not a FeatureCollection")
    };
    let ds = districts();
    let mut shapes: Vec<Vec<Polygon>> = vec![Vec::new(); ds.len()];
    for f in fc.features {
        let name = f
            .property("name")
            .and_then(|v| v.as_str())
            .unwrap()
            .to_string();
        let i = ds
            .iter()
            .position(|d| d.zh_full == name)
            .unwrap_or_else(|| panic!("{name}"));
        let ring = |r: &Vec<geojson::Position>| r.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>();
        let polys: Vec<Polygon> = match f.geometry.unwrap().value {
            GeometryValue::Polygon { coordinates } => vec![coordinates.iter().map(ring).collect()],
            GeometryValue::MultiPolygon { coordinates } => coordinates
                .iter()
                .map(|p| p.iter().map(ring).collect())
                .collect(),
            other => panic!("unexpected geometry {other:?}"),
        };
        shapes[i] = polys;
    }
    DistrictMap {
        shapes,
        attribution: Bilingual::new(
            "边界数据：Apache ECharts 4.9.0 上海地图（Apache License 2.0）",
            "Boundaries: Apache ECharts 4.9.0 Shanghai map (Apache License 2.0)",
        ),
    }
}

pub fn region_names(lang: Lang) -> Vec<String> {
    match lang {
        Lang::Zh => vec!["中心城区".into(), "郊区".into()],
        Lang::En => vec!["Central city".into(), "Suburbs".into()],
    }
}

/// The 16-district overall index chart as the report prints it (图 3-1 style).
pub fn demo_bars(lang: Lang) -> RankedBars {
    let ds = districts();
    let values = overall();
    RankedBars {
        id: format!("overall-{}", lang.code()),
        title: match lang {
            Lang::Zh => "2020年各区智慧城市发展水平指数".into(),
            Lang::En => "Smart City Development Index by district, 2020".into(),
        },
        description: match lang {
            Lang::Zh => "各区智慧城市发展水平指数，按得分从高到低排列。".into(),
            Lang::En => "Smart City Development Index of each district, highest first.".into(),
        },
        lang,
        words: super::ChartWords::builtin(lang),
        bars: ds
            .iter()
            .zip(&values)
            .map(|(d, v)| BarDatum {
                label: d.name(lang).to_string(),
                value: *v,
                group: usize::from(!d.central),
                rank: None,
            })
            .collect(),
        groups: region_names(lang),
        reference_lines: vec![
            RefLine {
                label: match lang {
                    Lang::Zh => "全市平均".into(),
                    Lang::En => "City mean".into(),
                },
                value: city_mean(),
            },
            RefLine {
                label: match lang {
                    Lang::Zh => "基准".into(),
                    Lang::En => "Baseline".into(),
                },
                value: 100.0,
            },
        ],
        precision: 2,
        sort: true,
        width: crate::chart::WIDE,
        hatch_with_pattern: false,
        rank_axis: None,
    }
}

/// Writes a file for a human to look at when `CITYREPORT_CHART_PREVIEW` names a folder.
pub fn preview(name: &str, bytes: &[u8]) {
    if let Some(dir) = std::env::var_os("CITYREPORT_CHART_PREVIEW") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

/// One rasteriser with the shipped fonts for all tests.
pub fn rasteriser() -> &'static super::Rasteriser {
    static R: std::sync::OnceLock<super::Rasteriser> = std::sync::OnceLock::new();
    R.get_or_init(|| super::Rasteriser::new(&[super::FONT_REGULAR, super::FONT_BOLD]))
}

/// Previews the SVG and its 2× PNG (see [`preview`]).
pub fn preview_svg(name: &str, svg: &str) {
    preview(&format!("{name}.svg"), svg.as_bytes());
    if std::env::var_os("CITYREPORT_CHART_PREVIEW").is_some() {
        preview(&format!("{name}.png"), &rasteriser().png(svg, 2.0).unwrap());
    }
}

/// The 2020 indicator framework (root, 3 + 10 + 38 indices and the cybersecurity coefficient).
pub fn demo_tree(lang: Lang) -> super::TreeDiagram {
    let mut rdr =
        csv::Reader::from_reader(include_str!("../../tests/fixtures/indicator-system-2020.csv").as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let ids: Vec<String> = rows.iter().map(|r| r[0].to_string()).collect();
    let nodes = rows
        .iter()
        .map(|r| {
            let coefficient = &r[2] == "coefficient";
            super::TreeNode {
                label: match lang {
                    Lang::Zh => r[3].to_string(),
                    Lang::En => r[4].to_string(),
                },
                level: if coefficient {
                    1
                } else {
                    r[2].parse().unwrap()
                },
                parent: ids.iter().position(|id| id == &r[1]),
                weight_label: match (&r[5], coefficient, lang) {
                    (_, true, Lang::Zh) => "× 乘数".to_string(),
                    (_, true, Lang::En) => "× multiplier".to_string(),
                    (w, false, _) => w.to_string(),
                },
                coefficient,
            }
        })
        .collect();
    super::TreeDiagram {
        id: format!("framework-{}", lang.code()),
        title: match lang {
            Lang::Zh => "2020年评估指标体系".into(),
            Lang::En => "Indicator framework, 2020 edition".into(),
        },
        description: String::new(),
        lang,
        words: super::ChartWords::builtin(lang),
        nodes,
        level_names: match lang {
            Lang::Zh => vec![
                "总指数".into(),
                "一级指标（权重）".into(),
                "二级指标（权重）".into(),
                "三级指标（权重）".into(),
            ],
            Lang::En => vec![
                "Overall index".into(),
                "Level 1 (weight)".into(),
                "Level 2 (weight)".into(),
                "Level 3 (weight)".into(),
            ],
        },
        narrow: false,
    }
}

pub fn demo_trend(lang: Lang) -> super::TrendChart {
    super::TrendChart {
        id: format!("trend-{}", lang.code()),
        title: match lang {
            Lang::Zh => "全市智慧城市发展水平指数历年变化".into(),
            Lang::En => "City Smart City Development Index by edition".into(),
        },
        description: String::new(),
        lang,
        words: super::ChartWords::builtin(lang),
        points: vec![
            ("2015".into(), 96.91),
            ("2017".into(), 99.53),
            ("2018".into(), 105.13),
            ("2019".into(), 105.86),
            ("2020".into(), 109.77),
        ],
        derived: Vec::new(),
        precision: 2,
        width: super::WIDE,
    }
}

/// One SVG of every figure kind in both languages, named for previews.
pub fn all_demo_svgs(map: &DistrictMap) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for lang in Lang::ALL {
        let code = lang.code();
        out.push((
            format!("bars-{code}"),
            super::render_ranked_bars(&demo_bars(lang)),
        ));
        out.push((
            format!("trend-{code}"),
            super::render_trend(&demo_trend(lang)),
        ));
        out.push((
            format!("framework-{code}"),
            super::render_framework(&demo_tree(lang)),
        ));
        out.push((
            format!("map-{code}"),
            super::render_choropleth(&demo_map(map, lang)),
        ));
    }
    out
}

/// The overall-index choropleth; the seven small central districts go to the inset (Pudong is
/// large enough for the main map).
pub fn demo_map(map: &DistrictMap, lang: Lang) -> super::Choropleth<'_> {
    let ds = districts();
    super::Choropleth {
        id: format!("map-overall-{}", lang.code()),
        title: match lang {
            Lang::Zh => "2020年各区智慧城市发展水平指数".into(),
            Lang::En => "Smart City Development Index by district, 2020".into(),
        },
        description: String::new(),
        lang,
        words: super::ChartWords::builtin(lang),
        map: super::MapGeometry::new(map),
        values: overall().into_iter().map(Some).collect(),
        labels: ds.iter().map(|d| d.name(lang).to_string()).collect(),
        inset: ds.iter().map(|d| d.central && d.id != "pudong").collect(),
        inset_title: match lang {
            Lang::Zh => "中心城区（放大）".into(),
            Lang::En => "Central city (enlarged)".into(),
        },
        legend_title: match lang {
            Lang::Zh => "指数得分".into(),
            Lang::En => "Index score".into(),
        },
        attribution: map.attribution.get(lang).to_string(),
        layout: super::MapLayout::Wide,
        precision: 2,
        classes: 5,
    }
}

/// Whether the element's class list contains `class`.
pub fn class_has(n: &Node<'_, '_>, class: &str) -> bool {
    n.attribute("class")
        .is_some_and(|c| c.split(' ').any(|x| x == class))
}

/// Elements `tag` with class `class`, in document order.
pub fn by_class<'a, 'i>(doc: &'a Document<'i>, tag: &str, class: &str) -> Vec<Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| n.has_tag_name(tag) && class_has(n, class))
        .collect()
}

/// Text of the SVG's `<desc>`.
pub fn desc<'a>(doc: &'a Document<'_>) -> &'a str {
    doc.descendants()
        .find(|n| n.has_tag_name("desc"))
        .and_then(|n| n.text())
        .expect("a <desc> with text")
}

/// Attribute `attr` as a number.
pub fn num(n: &Node<'_, '_>, attr: &str) -> f64 {
    n.attribute(attr).unwrap().parse().unwrap()
}

/// Checks every chart must pass: accessible name and description, ids prefixed and unique,
/// font stack, size consistent with the viewBox.
pub fn assert_accessible_svg(svg: &str, id: &str) {
    let doc = Document::parse(svg).expect("well-formed SVG");
    let root = doc.root_element();
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(
        root.attribute("aria-labelledby"),
        Some(format!("{id}-title {id}-desc").as_str())
    );
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("title") && n.attribute("id") == Some(&format!("{id}-title")))
        .unwrap();
    assert!(!title.text().unwrap().trim().is_empty());
    let desc = doc
        .descendants()
        .find(|n| n.has_tag_name("desc") && n.attribute("id") == Some(&format!("{id}-desc")))
        .unwrap();
    assert!(desc.text().unwrap().len() > 20);
    assert!(
        root.attribute("font-family")
            .unwrap()
            .starts_with("'CityReport Sans'")
    );
    let (w, h) = (num(&root, "width"), num(&root, "height"));
    assert_eq!(
        root.attribute("viewBox").unwrap(),
        format!(
            "0 0 {} {}",
            super::svg::fmt_coord(w),
            super::svg::fmt_coord(h)
        )
    );
    let ids: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "duplicate ids");
    assert!(
        ids.iter().all(|i| i.starts_with(&format!("{id}-"))),
        "{ids:?}"
    );
    // Every url(#…) reference resolves inside this SVG.
    for r in svg.split("url(#").skip(1) {
        let target = &r[..r.find(')').unwrap()];
        assert!(ids.contains(&target), "dangling reference {target}");
    }
}
