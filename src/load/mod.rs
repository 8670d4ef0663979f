//! Load stage: reads a project's `data/` and `content/` into the model, checking everything an
//! analyst can get wrong. Nothing after this stage touches input files.
//!
//! Project layout (see docs/data-formats.md):
//! ```text
//! data/<year>/edition.toml      titles, status, precision, map reference
//! data/<year>/indicators.toml   the indicator system
//! data/<year>/districts.toml    regions and districts
//! data/<year>/values.csv        district,indicator,value[,…]
//! data/<year>/<map>.geojson     district boundaries
//! content/<year>/<lang>/…md     narrative
//! ```

mod content;
mod districts;
mod edition_file;
#[doc(hidden)]
pub mod fuzzing;
mod history;
mod indicators;
mod map;
mod names;
mod text;
mod toml_file;
mod values;

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Edition, HistoryPoint};

pub use content::parse_page;
pub use indicators::parse_weight;
pub use text::{decode_text, read_text};

/// Everything a project holds, checked.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    /// Editions in ascending year order.
    pub editions: Vec<Edition>,
    /// City-level figures of earlier editions (`data/history.csv`), empty when there is none.
    pub history: Vec<HistoryPoint>,
}

impl Project {
    pub fn latest(&self) -> Option<&Edition> {
        self.editions.last()
    }
}

/// Years that have a folder `data/<year>/` with an `edition.toml`, ascending.
pub fn edition_years(root: &Path) -> Result<Vec<u16>, Diagnostics> {
    let data = root.join("data");
    let entries = std::fs::read_dir(&data).map_err(|e| {
        Diagnostic::new(&data, format!("cannot read the data folder: {e}"))
            .help("run cityreport in a project folder (one with data/ and content/), or pass --root")
    })?;
    let mut years: Vec<u16> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("edition.toml").is_file())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse().ok()))
        .collect();
    years.sort_unstable();
    if years.is_empty() {
        return Err(Diagnostic::new(&data, "no edition found: expected a folder such as data/2020/ with an edition.toml")
            .help("create one with `cityreport new <year>`, or see docs/data-formats.md")
            .into());
    }
    Ok(years)
}

/// Loads and checks every edition of the project.
pub fn load_project(root: &Path) -> Result<Project, Diagnostics> {
    let years = edition_years(root)?;
    let mut editions = Vec::new();
    let mut diags = Diagnostics::default();
    for year in years {
        match load_edition(root, year) {
            Ok(e) => editions.push(e),
            Err(d) => diags.extend(d),
        }
    }
    let history_path = root.join("data").join("history.csv");
    let history = if history_path.is_file() {
        match read_text(&history_path).map_err(Diagnostics::from).and_then(|t| history::read_history(&history_path, &t)) {
            Ok(h) => h,
            Err(d) => {
                diags.extend(d);
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };
    diags.into_result(Project { root: root.to_path_buf(), editions, history })
}

/// Reads only the narrative of edition `year` (for previews, after a content-only change).
pub fn load_content(root: &Path, year: u16) -> Result<Vec<crate::model::ContentPage>, Diagnostics> {
    content::read_content(&root.join("content").join(year.to_string()))
}

/// Loads and checks one edition; reports every problem found in its files.
pub fn load_edition(root: &Path, year: u16) -> Result<Edition, Diagnostics> {
    let dir = root.join("data").join(year.to_string());
    let edition_path = dir.join("edition.toml");
    let meta = edition_file::read_edition_file(&edition_path, &read_text(&edition_path)?, year)?;

    let mut diags = Diagnostics::default();
    let tree_path = dir.join("indicators.toml");
    let tree = read_text(&tree_path).map_err(Diagnostics::from).and_then(|t| indicators::read_indicators(&tree_path, &t));
    let districts_path = dir.join("districts.toml");
    let districts =
        read_text(&districts_path).map_err(Diagnostics::from).and_then(|t| districts::read_districts(&districts_path, &t));
    let content = content::read_content(&root.join("content").join(year.to_string()));
    let (tree, districts) = match (tree, districts) {
        (Ok(t), Ok(d)) => (t, d),
        (t, d) => {
            if let Err(e) = t {
                diags.extend(e);
            }
            if let Err(e) = d {
                diags.extend(e);
            }
            if let Err(e) = content {
                diags.extend(e);
            }
            return Err(diags);
        }
    };

    let values_path = dir.join("values.csv");
    let values = read_text(&values_path)
        .map_err(Diagnostics::from)
        .and_then(|t| values::read_values(&values_path, &t, &tree, &districts));
    let map = match &meta.map {
        None => Ok(None),
        Some(m) => {
            let path = dir.join(m.file.get_ref());
            read_text(&path)
                .map_err(Diagnostics::from)
                .and_then(|t| map::read_map(&path, &t, &districts, m.attribution.clone()))
                .map(Some)
        }
    };
    let content = content.and_then(|pages| {
        let unknown = content::check_keys(&pages, &crate::site::narrative_keys(&tree));
        unknown.into_result(pages)
    });
    let (values, map, content) = match (values, map, content) {
        (Ok(v), Ok(m), Ok(c)) => (v, m, c),
        (v, m, c) => {
            for e in [v.err(), m.err(), c.err()].into_iter().flatten() {
                diags.extend(e);
            }
            return Err(diags);
        }
    };
    Ok(Edition {
        year,
        title: meta.title.into_inner(),
        subtitle: meta.subtitle,
        publisher: meta.publisher,
        status: meta.status,
        precision: meta.precision,
        tree,
        districts,
        values,
        map,
        content,
    })
}
