//! Rendering tests of whole maps: the demo map's structure, its projection, missing values and
//! a small synthetic snapshot.

use super::*;
use crate::chart::testutil::{self, assert_accessible_svg, by_class};
use roxmltree::{Document, Node};

fn demo_map_chart<'a>(map: &'a DistrictMap, lang: Lang, missing: &[usize]) -> Choropleth<'a> {
    let mut c = testutil::demo_map(map, lang);
    for &i in missing {
        c.values[i] = None;
    }
    c
}

/// All vertices of a path's `d`, as absolute coordinates (our paths use `M x y`, then `l` with
/// relative moves, then `z`; a minus sign may stand in for the space between numbers).
fn path_points(d: &str) -> Vec<(f64, f64)> {
    let mut points = Vec::new();
    for sub in d.split('M').filter(|s| !s.is_empty()) {
        let body = sub.trim_end_matches('z').replace('l', " ").replace('-', " -");
        let nums: Vec<f64> = body.split(' ').filter(|t| !t.is_empty()).map(|t| t.parse().unwrap()).collect();
        let (mut x, mut y) = (nums[0], nums[1]);
        points.push((x, y));
        for c in nums[2..].chunks(2) {
            x += c[0];
            y += c[1];
            points.push((x, y));
        }
    }
    points
}

#[test]
fn demo_map_structure() {
    let map = testutil::shanghai_map();
    let ds = testutil::districts();
    let values = testutil::overall();
    for lang in Lang::ALL {
        let chart = demo_map_chart(&map, lang, &[]);
        let svg = render_choropleth(&chart);
        testutil::preview_svg(&format!("map-{}", lang.code()), &svg);
        assert_accessible_svg(&svg, &chart.id);
        let doc = Document::parse(&svg).unwrap();

        // One path per district on the main map, coloured by its class.
        let paths = by_class(&doc, "path", "district");
        assert_eq!(paths.len(), 16);
        let classes = jenks(&values, 5);
        assert_eq!(classes.bounds.len(), 5);
        for (i, p) in paths.iter().enumerate() {
            assert_eq!(
                p.attribute("id"),
                Some(format!("{}-d{i}", chart.id).as_str())
            );
            let want = format!(
                "#{:x}",
                colorous::BLUES.eval_rational(classes.class_of(values[i]), 5)
            );
            assert_eq!(p.attribute("fill"), Some(want.as_str()), "district {i}");
        }
        // The highest district gets the darkest class, the lowest the lightest.
        assert_eq!(paths[0].attribute("fill"), Some("#08519c")); // Pudong 133.41
        assert_eq!(paths[15].attribute("fill"), Some("#eff3ff")); // Chongming 87.31

        // Legend: 5 classes covering the data, highest first, method stated.
        let legend = by_class(&doc, "text", "legend-class");
        assert_eq!(legend.len(), 5);
        let bound = |n: &Node<'_, '_>, a: &str| -> f64 { n.attribute(a).unwrap().parse().unwrap() };
        assert_eq!(bound(&legend[4], "data-min"), 87.31);
        assert_eq!(bound(&legend[0], "data-max"), 133.41);
        for w in legend.windows(2) {
            assert!(
                bound(&w[1], "data-max") < bound(&w[0], "data-min"),
                "classes overlap or are unordered"
            );
        }
        let method = by_class(&doc, "text", "legend-method")[0].text().unwrap();
        assert!(method.contains("Jenks"), "{method}");
        assert!(testutil::desc(&doc).contains("Jenks"));

        // Every district named exactly once: the seven small central ones in the inset.
        let names = by_class(&doc, "text", "district-name");
        assert_eq!(names.len(), 16);
        for (i, d) in ds.iter().enumerate() {
            let hits: Vec<_> = names
                .iter()
                .filter(|n| n.attribute("data-district") == Some(&i.to_string()))
                .collect();
            assert_eq!(hits.len(), 1);
            assert_eq!(hits[0].text(), Some(d.name(lang)));
        }
        let inset_paths = by_class(&doc, "path", "inset-district");
        assert_eq!(inset_paths.len(), 7);
        let frame = by_class(&doc, "rect", "inset-frame")[0];
        let (fx, fy, fw, fh) = (
            frame.attribute("x").unwrap().parse::<f64>().unwrap(),
            frame.attribute("y").unwrap().parse::<f64>().unwrap(),
            frame.attribute("width").unwrap().parse::<f64>().unwrap(),
            frame.attribute("height").unwrap().parse::<f64>().unwrap(),
        );
        for (i, _) in ds
            .iter()
            .enumerate()
            .filter(|(_, d)| d.central && d.id != "pudong")
        {
            let n = names
                .iter()
                .find(|n| n.attribute("data-district") == Some(&i.to_string()))
                .unwrap();
            let (x, y): (f64, f64) = (
                n.attribute("x").unwrap().parse().unwrap(),
                n.attribute("y").unwrap().parse().unwrap(),
            );
            assert!(
                x > fx && x < fx + fw && y > fy && y < fy + fh,
                "label of district {i} outside the inset"
            );
        }
        // Inset districts are enlarged: Huangpu (index 1) is well over twice as wide in the inset.
        let extent = |pts: &[(f64, f64)]| {
            let xs = pts.iter().map(|p| p.0);
            xs.clone().fold(f64::MIN, f64::max) - xs.fold(f64::MAX, f64::min)
        };
        let main_w = extent(&path_points(paths[1].attribute("d").unwrap()));
        let inset_w = extent(&path_points(inset_paths[0].attribute("d").unwrap()));
        assert!(inset_w > 2.0 * main_w, "{inset_w} vs {main_w}");

        let attribution = by_class(&doc, "text", "attribution");
        assert_eq!(
            attribution
                .iter()
                .map(|t| t.text().unwrap())
                .collect::<String>(),
            map.attribution.get(lang)
        );
        assert!(by_class(&doc, "rect", "legend-nodata").is_empty());
    }
}

#[test]
fn projection_keeps_ground_proportions() {
    let map = testutil::shanghai_map();
    let svg = render_choropleth(&demo_map_chart(&map, Lang::En, &[]));
    let doc = Document::parse(&svg).unwrap();
    let pts: Vec<(f64, f64)> = by_class(&doc, "path", "district")
        .iter()
        .flat_map(|p| path_points(p.attribute("d").unwrap()))
        .collect();
    let (x0, y0, x1, y1) = geometry::bounds(&pts).unwrap();
    let lonlat: Vec<(f64, f64)> = map
        .shapes
        .iter()
        .flatten()
        .flatten()
        .flatten()
        .copied()
        .collect();
    let (lo0, la0, lo1, la1) = geometry::bounds(&lonlat).unwrap();
    let expected = (lo1 - lo0) * ((la0 + la1) / 2.0).to_radians().cos() / (la1 - la0);
    let drawn = (x1 - x0) / (y1 - y0);
    assert!(
        (drawn / expected - 1.0).abs() < 0.01,
        "aspect {drawn} vs {expected}"
    );
    // North up: Chongming (index 15, the island) lies above Jinshan (index 11).
    let top_of = |i: usize| {
        path_points(
            by_class(&doc, "path", "district")[i]
                .attribute("d")
                .unwrap(),
        )
        .iter()
        .map(|p| p.1)
        .fold(f64::MAX, f64::min)
    };
    assert!(top_of(15) < top_of(11));
}

#[test]
fn missing_values_are_hatched_and_in_the_legend() {
    let map = testutil::shanghai_map();
    let chart = demo_map_chart(&map, Lang::En, &[5, 12]);
    let svg = render_choropleth(&chart);
    testutil::preview_svg("map-missing-en", &svg);
    assert_accessible_svg(&svg, &chart.id);
    let doc = Document::parse(&svg).unwrap();
    let paths = by_class(&doc, "path", "district");
    let hatch = format!("url(#{}-nodata)", chart.id);
    for (i, p) in paths.iter().enumerate() {
        assert_eq!(
            p.attribute("fill") == Some(hatch.as_str()),
            i == 5 || i == 12,
            "district {i}"
        );
    }
    assert_eq!(by_class(&doc, "rect", "legend-nodata").len(), 1);
    assert!(
        by_class(&doc, "text", "legend-class")
            .iter()
            .any(|t| t.text() == Some("No data"))
    );
    let values: Vec<&str> = by_class(&doc, "text", "district-value")
        .iter()
        .filter_map(|t| t.text())
        .collect();
    assert_eq!(values.iter().filter(|v| **v == "No data").count(), 2);
    // Classes come from the 14 known values only (Songjiang's 93.82 is gone from the legend).
    let legend = by_class(&doc, "text", "legend-class");
    assert_eq!(legend[4].attribute("data-max"), Some("89.35"));
    assert!(testutil::desc(&doc).contains("No data for 2 districts"));
}

#[test]
fn small_synthetic_map_snapshot() {
    // Three squares on the equator (cos 0 = 1), the middle one with a hole, one missing.
    let square = |x: f64| vec![(x, 0.0), (x + 1.0, 0.0), (x + 1.0, 1.0), (x, 1.0), (x, 0.0)];
    let hole = vec![(1.3, 0.3), (1.7, 0.3), (1.7, 0.7), (1.3, 0.7), (1.3, 0.3)];
    let map = DistrictMap {
        shapes: vec![
            vec![vec![square(0.0)]],
            vec![vec![square(1.0), hole]],
            vec![vec![square(2.0)]],
        ],
        attribution: crate::model::Bilingual::new("测试", "Test data"),
    };
    let chart = Choropleth {
        id: "snap-map".into(),
        title: "Synthetic".into(),
        description: "Three squares.".into(),
        lang: Lang::En,
        words: crate::chart::ChartWords::builtin(Lang::En),
        map: super::MapGeometry::new(&map),
        values: vec![Some(1.0), Some(2.0), None],
        labels: vec!["A".into(), "B <b>".into(), "C".into()],
        inset: vec![false, true, false],
        inset_title: "B (enlarged)".into(),
        legend_title: "Score".into(),
        attribution: "Test data".into(),
        precision: 1,
        classes: 4,
        layout: MapLayout::Wide,
    };
    let svg = render_choropleth(&chart);
    assert_accessible_svg(&svg, "snap-map");
    assert_eq!(svg, render_choropleth(&chart));
    insta::assert_snapshot!("choropleth_small", svg);
}

/// A grid of `cols × rows` unit squares, the first one `big` times as wide and tall (so that
/// its label fits and no other does), as a map of that many districts.
fn grid_map(cols: usize, rows: usize, big: f64) -> DistrictMap {
    let mut shapes = Vec::new();
    for r in 0..rows {
        for c in 0..cols {
            let (x, y) = (c as f64 * 0.01, r as f64 * 0.01);
            let s = if r == 0 && c == 0 { 0.01 * big } else { 0.01 };
            let (x, y) = if r == 0 && c == 0 { (x - s, y - s) } else { (x, y) };
            shapes.push(vec![vec![vec![(x, y), (x + s, y), (x + s, y + s), (x, y + s), (x, y)]]]);
        }
    }
    DistrictMap { shapes, attribution: crate::model::Bilingual::new("合成", "synthetic") }
}

#[test]
fn many_districts_are_labelled_only_where_the_label_fits_and_no_text_leaves_the_drawing() {
    let map = grid_map(20, 15, 12.0);
    let n = map.shapes.len();
    let mut c = testutil::demo_map(&map, Lang::En);
    c.values = (0..n).map(|i| Some(((i * 37) % n) as f64)).collect();
    c.labels = (0..n).map(|i| format!("Place {i}")).collect();
    c.inset = vec![false; n];
    let svg = render_choropleth(&c);
    let doc = Document::parse(&svg).unwrap();
    let names: Vec<&str> = by_class(&doc, "text", "district-name").iter().filter_map(|t| t.text()).collect();
    // Only the one large district has room for its label; none is moved off its district.
    assert_eq!(names, ["Place 0"]);
    assert!(by_class(&doc, "line", "leader").is_empty());
    // Every district is still named, in its outline's tooltip.
    assert!(doc.descendants().filter(|n| n.has_tag_name("title")).count() > n);
    // No text anchor outside the viewBox.
    let vb: Vec<f64> = doc.root_element().attribute("viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
    for t in doc.descendants().filter(|n| n.has_tag_name("text") && n.has_attribute("x")) {
        let (x, y) = (testutil::num(&t, "x"), testutil::num(&t, "y"));
        assert!(x >= 0.0 && x <= vb[2] && y >= 0.0 && y <= vb[3], "{:?} at {x},{y}", t.text());
    }
}
