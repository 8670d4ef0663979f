//! `data/<year>/edition.toml`: the edition's metadata.

use std::path::{Path, PathBuf};

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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapRef {
    pub file: PathBuf,
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
            .help("use a precision between 0 and 6 (2 is usual)"));
    }
    if let Some(d) = check_name(path, text, &file.title, "the edition (its title)").into_iter().next() {
        return Err(d);
    }
    Ok(file)
}
