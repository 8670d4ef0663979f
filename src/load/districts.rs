//! `data/<year>/districts.toml`: regions and districts.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{did_you_mean, Diagnostic, Diagnostics};
use crate::model::{Bilingual, District, Districts, Region};

use super::names::check_name;
use super::toml_file::parse_toml;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DistrictsFile {
    region: Vec<RawRegion>,
    district: Vec<RawDistrict>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    id: Spanned<String>,
    name: Spanned<Bilingual>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistrict {
    id: Spanned<String>,
    name: Spanned<Bilingual>,
    full_name: Option<Spanned<Bilingual>>,
    region: Spanned<String>,
    map_feature: Option<Spanned<String>>,
}

/// Ids that name aggregate entities in indices.csv and shortcodes; a district or region may not
/// take them.
pub const RESERVED_ENTITY_IDS: [&str; 1] = ["city"];

pub fn read_districts(path: &Path, text: &str) -> Result<Districts, Diagnostics> {
    let file: DistrictsFile = parse_toml(path, text)?;
    let mut diags = Diagnostics::default();
    let at = |span: std::ops::Range<usize>, msg: String| Diagnostic::new(path, msg).at_offset(text, span.start);

    let mut seen = HashSet::new();
    let all_ids = file.region.iter().map(|r| &r.id).chain(file.district.iter().map(|d| &d.id));
    for id in all_ids {
        let s = id.get_ref().as_str();
        if s.is_empty() || !s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
            diags.push(at(id.span(), format!("id \"{s}\" may use only a–z, 0–9 and _"))
                .help(format!("ids appear in values.csv and web addresses; use e.g. \"{}\"", id_like(s))));
        }
        if RESERVED_ENTITY_IDS.contains(&s) {
            diags.push(at(id.span(), format!("\"{s}\" is reserved for the whole-city figures")).help("choose another id"));
        }
        if !seen.insert(s) {
            diags.push(at(id.span(), format!("id \"{s}\" is used twice")).help("districts and regions each need their own id"));
        }
    }

    for r in &file.region {
        diags.0.extend(check_name(path, text, &r.name, &format!("region \"{}\"", r.id.get_ref())));
    }
    for d in &file.district {
        let what = format!("district \"{}\"", d.id.get_ref());
        diags.0.extend(check_name(path, text, &d.name, &what));
        if let Some(full) = &d.full_name {
            diags.0.extend(check_name(path, text, full, &format!("the full name of {what}")));
        }
    }

    let regions: Vec<Region> =
        file.region.iter().map(|r| Region { id: r.id.get_ref().clone(), name: r.name.get_ref().clone() }).collect();
    let region_ids: Vec<&str> = regions.iter().map(|r| r.id.as_str()).collect();
    let mut districts = Vec::new();
    for d in &file.district {
        let region = d.region.get_ref();
        let Some(r) = region_ids.iter().position(|id| id == region) else {
            let mut diag = at(d.region.span(), format!("district \"{}\" is in region \"{region}\", which is not defined", d.id.get_ref()));
            diag = match did_you_mean(region, region_ids.iter().copied()) {
                Some(s) => diag.help(format!("did you mean \"{s}\"?")),
                None => diag.help("add a [[region]] with this id, or use one of: ".to_string() + &region_ids.join(", ")),
            };
            diags.push(diag);
            continue;
        };
        districts.push(District {
            id: d.id.get_ref().clone(),
            name: d.name.get_ref().clone(),
            full_name: d.full_name.as_ref().unwrap_or(&d.name).get_ref().clone(),
            region: r,
            map_feature: d.map_feature.as_ref().map(|m| m.get_ref().clone()).unwrap_or_else(|| d.name.get_ref().zh.clone()),
        });
    }
    // Two districts drawn from one map feature: both would show one outline, one of them wrongly.
    let mut features: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for d in &file.district {
        let (feature, span) = match &d.map_feature {
            Some(m) => (m.get_ref().clone(), m.span()),
            None => (d.name.get_ref().zh.clone(), d.name.span()),
        };
        let line = crate::diagnostic::line_column(text, span.start).0;
        if let Some(first) = features.insert(feature.clone(), line) {
            diags.push(at(span, format!("district \"{}\" has the map feature \"{feature}\" of another district (line {first})", d.id.get_ref()))
                .help("give each district its own feature of the GeoJSON (map_feature = \"<the feature's name>\")"));
        }
    }
    for (i, r) in file.region.iter().enumerate() {
        if !file.district.iter().any(|d| d.region.get_ref() == r.id.get_ref()) {
            diags.push(at(r.id.span(), format!("region \"{}\" has no districts", r.id.get_ref()))
                .help("assign districts to it with `region = \"…\"`, or remove the region"));
        }
        let _ = i;
    }
    if file.district.is_empty() {
        diags.push(Diagnostic::new(path, "no [[district]] entries").help("list the districts the report covers"));
    }
    diags.into_result(Districts { regions, districts })
}

/// A valid id made from an invalid one, to suggest in the message: lower case, every run of
/// other characters as one `_` ("Lake Side" → "lake_side"); "district" when nothing is left.
fn id_like(text: &str) -> String {
    let mut id = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('_') {
            id.push('_');
        }
    }
    let id = id.trim_end_matches('_');
    if id.is_empty() { "district".to_string() } else { id.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invalid_id_is_answered_with_a_valid_one_made_from_it() {
        assert_eq!(id_like("Lake Side"), "lake_side");
        assert_eq!(id_like("lake-side"), "lake_side");
        assert_eq!(id_like("  Old--Town 2 "), "old_town_2");
        assert_eq!(id_like("湖区"), "district");
    }

    const TEXT: &str = r#"
[[region]]
id = "north"
name = { zh = "北", en = "North" }

[[region]]
id = "south"
name = { zh = "南", en = "South" }

[[district]]
id = "a"
name = { zh = "甲", en = "A" }
region = "north"

[[district]]
id = "b"
name = { zh = "乙", en = "B" }
region = "south"
"#;

    #[test]
    fn reads_regions_and_districts() {
        let d = read_districts(Path::new("districts.toml"), TEXT).unwrap();
        assert_eq!(d.districts[1].region, 1);
        assert_eq!(d.in_region(0).collect::<Vec<_>>(), vec![0]);
        assert_eq!(d.districts[0].map_feature, "甲");
    }

    #[test]
    fn region_without_districts_is_an_error() {
        let text = TEXT.replace("region = \"south\"", "region = \"north\"");
        let err = read_districts(Path::new("districts.toml"), &text).unwrap_err();
        assert!(err.0[0].message.contains("region \"south\" has no districts"), "{err}");
        assert_eq!(err.0[0].line, Some(7));
    }

    #[test]
    fn unknown_region_suggests_the_closest() {
        let text = TEXT.replace("region = \"south\"", "region = \"suoth\"");
        let err = read_districts(Path::new("districts.toml"), &text).unwrap_err();
        assert_eq!(err.0[0].help.as_deref(), Some("did you mean \"south\"?"));
    }
}
