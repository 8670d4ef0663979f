//! The edition's district boundaries (GeoJSON, lon/lat) matched to its districts.

use std::path::Path;

use geojson::{GeoJson, GeometryValue};

use crate::diagnostic::{did_you_mean, Diagnostic, Diagnostics};
use crate::model::{Bilingual, DistrictMap, Districts, Polygon};

pub fn read_map(path: &Path, text: &str, districts: &Districts, attribution: Bilingual) -> Result<DistrictMap, Diagnostics> {
    let geojson: GeoJson = text.parse().map_err(|e: geojson::Error| {
        Diagnostic::new(path, format!("not valid GeoJSON: {e}")).help("export the boundaries as GeoJSON (RFC 7946, longitude/latitude)")
    })?;
    let GeoJson::FeatureCollection(collection) = geojson else {
        return Err(Diagnostic::new(path, "the GeoJSON is not a FeatureCollection").help("the map needs one Feature per district").into());
    };
    let mut names = Vec::new();
    let mut shapes_by_name: Vec<(String, Vec<Polygon>)> = Vec::new();
    for feature in &collection.features {
        let Some(name) = feature.property("name").and_then(|v| v.as_str()) else { continue };
        let polygons = match feature.geometry.as_ref().map(|g| &g.value) {
            Some(GeometryValue::Polygon { coordinates }) => vec![convert_polygon(coordinates)],
            Some(GeometryValue::MultiPolygon { coordinates }) => coordinates.iter().map(|p| convert_polygon(p)).collect(),
            _ => Vec::new(),
        };
        names.push(name.to_string());
        shapes_by_name.push((name.to_string(), polygons));
    }
    let mut diags = Diagnostics::default();
    let mut shapes = Vec::with_capacity(districts.districts.len());
    for d in &districts.districts {
        match shapes_by_name.iter().find(|(n, _)| *n == d.map_feature) {
            Some((_, polys)) => shapes.push(polys.clone()),
            None => {
                let mut diag = Diagnostic::new(path, format!("no feature named \"{}\" (district \"{}\")", d.map_feature, d.id));
                diag = match did_you_mean(&d.map_feature, names.iter().map(|s| s.as_str())) {
                    Some(s) => diag.help(format!("did you mean \"{s}\"? Set `map_feature` in districts.toml to the feature's `name` property")),
                    None => diag.help("set `map_feature` in districts.toml to the `name` property of the district's feature"),
                };
                diags.push(diag);
            }
        }
    }
    diags.into_result(DistrictMap { shapes, attribution })
}

fn convert_polygon(rings: &[Vec<geojson::Position>]) -> Polygon {
    rings.iter().map(|ring| ring.iter().map(|p| (p[0], p[1])).collect()).collect()
}
