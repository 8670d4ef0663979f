//! `data/<year>/edition.toml`: the edition's metadata.

use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Diagnostic;
use crate::model::{Bilingual, Status};

use super::names::check_name;
use super::toml_file::parse_toml;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionFile {
    pub year: u16,
    pub status: Status,
    #[serde(default = "default_precision")]
    pub precision: u8,
    pub title: Spanned<Bilingual>,
    pub subtitle: Option<Bilingual>,
    pub publisher: Option<Bilingual>,
    pub map: Option<MapRef>,
    /// Checked against the indicator tree by [`super::uncertainty_file::read_uncertainty`].
    pub uncertainty: Option<super::uncertainty_file::UncertaintyFile>,
    /// Ids of the plans (folders under `data/plans/`) the edition reports on.
    #[serde(default)]
    pub plans: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapRef {
    pub file: Spanned<PathBuf>,
    pub attribution: Bilingual,
}

fn default_precision() -> u8 {
    2
}

pub fn read_edition_file(path: &Path, text: &str, folder_year: u16) -> Result<EditionFile, Diagnostic> {
    let file: EditionFile = parse_toml(path, text)?;
    if file.year != folder_year {
        let offset = text.find("year").unwrap_or(0);
        return Err(Diagnostic::new(path, format!("year = {} but the edition's folder is {folder_year}", file.year))
            .at_offset(text, offset)
            .help("make the year in edition.toml match the folder name under data/"));
    }
    if file.precision > 6 {
        return Err(Diagnostic::new(path, format!("precision = {} is more decimals than any report prints", file.precision))
            .at_offset(text, text.find("precision").unwrap_or(0))
            .help("use a precision between 0 and 6 (2 is usual)"));
    }
    if let Some(map) = &file.map {
        check_map_file(path, text, &map.file)?;
    }
    if let Some(d) = check_name(path, text, &file.title, "the edition (its title)").into_iter().next() {
        return Err(d);
    }
    Ok(file)
}

/// The map must be a file of the project's data folder, named relative to the edition's folder:
/// an absolute path, `..` above data/ or a symbolic link out of the project would publish a file
/// from elsewhere.
fn check_map_file(path: &Path, text: &str, file: &Spanned<PathBuf>) -> Result<(), Diagnostic> {
    let at = |message: String| Diagnostic::new(path, message).at_offset(text, file.span().start);
    let name = file.get_ref();
    let dir = path.parent().unwrap_or(Path::new("."));
    // Relative to the edition's folder, and never above data/: an edition may share the previous
    // one's boundaries ("../2020/districts.geojson").
    let mut depth: i32 = 1; // data/<year>/ is one level below data/
    let mut inside = true;
    for c in name.components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => depth -= 1,
            Component::RootDir | Component::Prefix(_) => inside = false,
        }
        inside &= depth >= 0;
    }
    if !inside {
        return Err(at(format!("the map file \"{}\" is not a path inside the project's data folder", name.display()))
            .help("put the GeoJSON next to edition.toml (or in another edition's folder) and name it relative to edition.toml, e.g. file = \"districts.geojson\""));
    }
    let full = dir.join(name);
    if !full.is_file() {
        return Err(at(format!("there is no map file \"{}\" in {}", name.display(), dir.display()))
            .help("check the file name, or remove the [map] section to build without maps"));
    }
    // data/<year>/ → the project root.
    let project = dir.parent().and_then(Path::parent).unwrap_or(dir);
    if let (Ok(real), Ok(project)) = (full.canonicalize(), project.canonicalize())
        && !real.starts_with(&project)
    {
        return Err(at(format!("the map file \"{}\" is a symbolic link to a place outside the project", name.display()))
            .help("copy the GeoJSON into the edition's folder instead of linking to it"));
    }
    Ok(())
}
