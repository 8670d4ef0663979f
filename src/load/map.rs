//! The edition's district boundaries (GeoJSON, lon/lat) matched to its districts.
//!
//! Every feature a district uses is checked before it reaches a chart: a polygon with no rings,
//! a ring of fewer than three distinct points or without area, a position that is not a finite
//! longitude/latitude pair, a missing or non-polygon geometry, or two features of one name would
//! otherwise make the district vanish from the map (or squash the whole map).

use std::collections::HashMap;
use std::path::Path;

use geojson::{Feature, GeoJson, GeometryValue};

use crate::diagnostic::{did_you_mean, Diagnostic, Diagnostics};
use crate::model::{Bilingual, DistrictMap, Districts, Polygon};

pub fn read_map(path: &Path, text: &str, districts: &Districts, attribution: Bilingual) -> Result<DistrictMap, Diagnostics> {
    let geojson: GeoJson = text.parse().map_err(|e: geojson::Error| parse_error(path, text, e))?;
    let GeoJson::FeatureCollection(collection) = geojson else {
        return Err(Diagnostic::new(path, "the GeoJSON is not a FeatureCollection").help("the map needs one Feature per district").into());
    };
    let offsets = feature_offsets(text);
    // Places a problem at the feature's `key` ("geometry", "name"), or at the feature itself.
    let at_feature = |i: usize, key: &str, message: String| {
        let d = Diagnostic::new(path, message);
        let Some(&start) = offsets.get(i) else { return d };
        let end = offsets.get(i + 1).copied().unwrap_or(text.len());
        let key_at = text[start..end].find(&format!("\"{key}\"")).map_or(start, |k| start + k);
        d.at_offset(text, key_at)
    };

    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, feature) in collection.features.iter().enumerate() {
        if let Some(name) = feature_name(feature) {
            by_name.entry(name).or_default().push(i);
        }
    }
    let names: Vec<&str> = collection.features.iter().filter_map(feature_name).collect();

    let mut diags = Diagnostics::default();
    let mut shapes = Vec::with_capacity(districts.districts.len());
    for d in &districts.districts {
        let Some(found) = by_name.get(d.map_feature.as_str()) else {
            let mut diag = Diagnostic::new(path, format!("no feature named \"{}\" (district \"{}\")", d.map_feature, d.id));
            diag = match did_you_mean(&d.map_feature, names.iter().copied()) {
                Some(s) => diag.help(format!("did you mean \"{s}\"? Set `map_feature` in districts.toml to the feature's `name` property")),
                None => diag.help("set `map_feature` in districts.toml to the `name` property of the district's feature"),
            };
            diags.push(diag);
            continue;
        };
        let i = found[0];
        let label = format!("feature {} (\"{}\", district \"{}\")", i + 1, d.map_feature, d.id);
        if let Some(&second) = found.get(1) {
            diags.push(at_feature(second, "name", format!("feature {} has the same name \"{}\" as feature {}", second + 1, d.map_feature, i + 1))
                .help("give each district one feature; merge the parts of a district into one MultiPolygon"));
            continue;
        }
        match polygons(&collection.features[i]) {
            Ok(polys) => shapes.push(polys),
            Err(problem) => diags.push(at_feature(i, "geometry", format!("{label}: {problem}")).help(
                "export the boundary again as a Polygon or MultiPolygon in longitude/latitude (RFC 7946), \
                 each ring with at least three distinct points",
            )),
        }
    }
    diags.into_result(DistrictMap { shapes, attribution })
}

fn feature_name(feature: &Feature) -> Option<&str> {
    feature.property("name").and_then(|v| v.as_str())
}

fn parse_error(path: &Path, text: &str, e: geojson::Error) -> Diagnostics {
    let d = Diagnostic::new(path, format!("not valid GeoJSON: {e}"))
        .help("export the boundaries as GeoJSON (RFC 7946, longitude/latitude)");
    // JSON syntax errors and GeoJSON type errors know their place; other structure errors do not.
    let place = match (&e, serde_json::from_str::<serde_json::Value>(text)) {
        (geojson::Error::MalformedGeoJson(j), _) if j.line() > 0 => Some((j.line(), j.column().max(1))),
        (_, Err(j)) if j.line() > 0 => Some((j.line(), j.column().max(1))),
        _ => None,
    };
    match place {
        Some((line, column)) => d.at(line, column),
        None => d,
    }
    .into()
}

/// The feature's rings as checked lon/lat polygons, or what is wrong with them.
fn polygons(feature: &Feature) -> Result<Vec<Polygon>, String> {
    let raw: Vec<&geojson::PolygonType> = match feature.geometry.as_ref().map(|g| &g.value) {
        Some(GeometryValue::Polygon { coordinates }) => vec![coordinates],
        Some(GeometryValue::MultiPolygon { coordinates }) => coordinates.iter().collect(),
        Some(other) => return Err(format!("the geometry is a {}, not a Polygon or MultiPolygon", other.type_name())),
        None => return Err("the geometry is null".into()),
    };
    if raw.is_empty() {
        return Err("the MultiPolygon has no polygons".into());
    }
    let mut out = Vec::with_capacity(raw.len());
    for (p, rings) in raw.iter().enumerate() {
        let which = if raw.len() > 1 { format!("polygon {} ", p + 1) } else { String::new() };
        if rings.is_empty() {
            return Err(format!("{which}has no rings (\"coordinates\": [])"));
        }
        let mut polygon: Polygon = Vec::with_capacity(rings.len());
        for (r, ring) in rings.iter().enumerate() {
            let mut points = Vec::with_capacity(ring.len());
            for (k, pos) in ring.iter().enumerate() {
                let place = || format!("{which}ring {} position {}", r + 1, k + 1);
                let &[lon, lat, ..] = pos.as_slice() else {
                    return Err(format!("{} has {} number(s); a position is [longitude, latitude]", place(), pos.as_slice().len()));
                };
                if !(lon.is_finite() && (-180.0..=180.0).contains(&lon) && lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
                    return Err(format!("{} is [{lon}, {lat}], not a longitude (−180…180) and latitude (−90…90)", place()));
                }
                points.push((lon, lat));
            }
            let mut distinct = points.clone();
            distinct.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            distinct.dedup();
            if distinct.len() < 3 {
                return Err(format!("{which}ring {} has {} distinct point(s); a ring needs at least three", r + 1, distinct.len()));
            }
            if r == 0 && !has_area(&points) {
                return Err(format!("{which}outer ring has no area (its points lie on one line)"));
            }
            polygon.push(points);
        }
        out.push(polygon);
    }
    Ok(out)
}

/// Whether a ring encloses any area: its shoelace area (taken relative to its first point, so
/// large coordinates lose no precision) is more than rounding noise of its bounding box.
fn has_area(ring: &[(f64, f64)]) -> bool {
    let (x0, y0) = ring[0];
    let p: Vec<(f64, f64)> = ring.iter().map(|&(x, y)| (x - x0, y - y0)).collect();
    let n = p.len();
    let area = (0..n).map(|i| p[i].0 * p[(i + 1) % n].1 - p[(i + 1) % n].0 * p[i].1).sum::<f64>().abs() / 2.0;
    let extent = |f: fn(&(f64, f64)) -> f64| {
        let (lo, hi) = p.iter().map(f).fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        hi - lo
    };
    area > 1e-9 * extent(|q| q.0) * extent(|q| q.1)
}

/// Byte offsets of the elements of the top-level `"features"` array of (already parsed, so valid)
/// JSON, to say on which line a problem feature starts. The geojson crate keeps no positions;
/// this scan only tracks strings and nesting, it does not parse values.
fn feature_offsets(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut depth, mut i) = (0usize, 0usize);
    let mut last_string_at_top = "";
    let (mut in_features, mut expect_element) = (false, false);
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if depth == 1 {
                    last_string_at_top = text.get(start + 1..i.min(b.len())).unwrap_or("");
                }
                if in_features && depth == 2 && expect_element {
                    out.push(start);
                    expect_element = false;
                }
            }
            c @ (b'{' | b'[') => {
                if in_features && depth == 2 && expect_element {
                    out.push(i);
                    expect_element = false;
                }
                if depth == 1 && c == b'[' && last_string_at_top == "features" {
                    in_features = true;
                    expect_element = true;
                }
                depth += 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    in_features = false;
                }
            }
            b',' if in_features && depth == 2 => expect_element = true,
            c if in_features && depth == 2 && expect_element && !c.is_ascii_whitespace() => {
                out.push(i);
                expect_element = false;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::District;

    fn districts(features: &[&str]) -> Districts {
        Districts {
            regions: vec![crate::model::Region { id: "r".into(), name: Bilingual::new("区", "R") }],
            districts: features
                .iter()
                .enumerate()
                .map(|(i, f)| District {
                    id: format!("d{i}"),
                    name: Bilingual::new(*f, *f),
                    full_name: Bilingual::new(*f, *f),
                    region: 0,
                    map_feature: f.to_string(),
                })
                .collect(),
        }
    }

    fn collection(features: &[(&str, &str)]) -> String {
        let fs: Vec<String> = features
            .iter()
            .map(|(name, geometry)| format!("  {{\"type\": \"Feature\", \"properties\": {{\"name\": \"{name}\"}}, \"geometry\": {geometry}}}"))
            .collect();
        format!("{{\"type\": \"FeatureCollection\", \"features\": [\n{}\n]}}\n", fs.join(",\n"))
    }

    const SQUARE: &str = r#"{"type": "Polygon", "coordinates": [[[121.0, 31.0], [121.1, 31.0], [121.1, 31.1], [121.0, 31.0]]]}"#;

    fn read(features: &[(&str, &str)]) -> Result<DistrictMap, Diagnostics> {
        let names: Vec<&str> = features.iter().map(|f| f.0).collect();
        read_map(Path::new("m.geojson"), &collection(features), &districts(&names[..1]), Bilingual::default())
    }

    #[test]
    fn reads_a_good_polygon() {
        let m = read(&[("A", SQUARE)]).unwrap();
        assert_eq!(m.shapes[0][0][0].len(), 4);
    }

    #[test]
    fn degenerate_geometry_is_an_error_at_the_features_line() {
        let cases = [
            (r#"{"type": "Polygon", "coordinates": [[[121.4], [121.1, 31.0], [121.1, 31.1]]]}"#, "1 number(s)"),
            (r#"{"type": "Polygon", "coordinates": [[[121.0, 31.0], [], [121.1, 31.1]]]}"#, "0 number(s)"),
            (r#"{"type": "Polygon", "coordinates": []}"#, "has no rings"),
            (r#"{"type": "MultiPolygon", "coordinates": []}"#, "no polygons"),
            (r#"{"type": "Polygon", "coordinates": [[[121.0, 31.0], [121.1, 31.0]]]}"#, "2 distinct point(s)"),
            (r#"{"type": "Polygon", "coordinates": [[[121.0, 31.0], [121.0, 31.0], [121.0, 31.0], [121.0, 31.0]]]}"#, "1 distinct point(s)"),
            (r#"{"type": "Polygon", "coordinates": [[[121.0, 31.0], [121.1, 31.1], [121.2, 31.2], [121.0, 31.0]]]}"#, "no area"),
            (r#"{"type": "Polygon", "coordinates": [[[1e300, 31.0], [121.1, 31.0], [121.1, 31.1], [1e300, 31.0]]]}"#, "not a longitude"),
            (r#"{"type": "Point", "coordinates": [121.0, 31.0]}"#, "is a Point"),
            ("null", "geometry is null"),
        ];
        for (geometry, expected) in cases {
            // Only the first feature is a district's: a broken feature no district uses is fine.
            if let Err(e) = read(&[("Z", SQUARE), ("A", geometry)]) {
                panic!("{geometry}: {e}");
            }
            let err = read(&[("A", geometry), ("Z", SQUARE)]).unwrap_err();
            let d = &err.0[0];
            assert!(d.message.contains(expected), "{geometry}: {}", d.message);
            assert!(d.message.contains("feature 1 (\"A\""), "{}", d.message);
            assert_eq!(d.line, Some(2), "{geometry}");
            let line = collection(&[("A", geometry)]).lines().nth(1).unwrap().to_string();
            assert_eq!(d.column, Some(line.find("\"geometry\"").unwrap() + 1), "at \"geometry\": {geometry}");
        }
    }

    #[test]
    fn duplicate_feature_names_are_an_error() {
        let err = read(&[("A", SQUARE), ("A", SQUARE)]).unwrap_err();
        assert!(err.0[0].message.contains("feature 2 has the same name \"A\" as feature 1"), "{err}");
        assert_eq!(err.0[0].line, Some(3));
    }

    #[test]
    fn an_empty_first_position_is_a_geojson_error_with_its_place() {
        // The geojson crate takes the nesting from the first element, so this does not parse.
        let geometry = r#"{"type": "Polygon", "coordinates": [[[], [121.1, 31.0], [121.1, 31.1]]]}"#;
        let err = read(&[("A", geometry)]).unwrap_err();
        assert!(err.0[0].message.contains("not valid GeoJSON"), "{err}");
        assert_eq!(err.0[0].line, Some(2), "{err}");
    }

    #[test]
    fn json_syntax_errors_have_a_place() {
        let text = "{\"type\": \"FeatureCollection\",\n \"features\": [,]}";
        let err = read_map(Path::new("m.geojson"), text, &districts(&["A"]), Bilingual::default()).unwrap_err();
        assert_eq!(err.0[0].line, Some(2), "{err}");
    }

    #[test]
    fn offsets_skip_strings_and_nested_arrays() {
        let text = r#"{"bbox": [1, 2], "name": "features [", "features": [ {"a": [[1]]}, {"b": "]"} ]}"#;
        let offs = feature_offsets(text);
        assert_eq!(offs.len(), 2);
        assert!(text[offs[0]..].starts_with("{\"a\""));
        assert!(text[offs[1]..].starts_with("{\"b\""));
    }
}
