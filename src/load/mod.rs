//! Load stage: reads a project's `data/` and `content/` into the model, checking everything an
//! analyst can get wrong. Nothing after this stage touches input files.
//!
//! Project layout (see docs/data-formats.md):
//! ```text
//! data/<year>/edition.toml      titles, status, precision, map reference
//! data/<year>/indicators.toml   the indicator system
//! data/<year>/districts.toml    regions and districts
//! data/<year>/values.csv        district,indicator,value[,…] (or values.xlsx)
//! data/<year>/<map>.geojson     district boundaries
//! content/<year>/<lang>/…md     narrative
//! data/history.csv              city figures of editions before the tool (optional)
//! data/plans/<id>/plan.toml     a plan's targets, and actuals.csv their outcomes (optional)
//! ```
//!
//! An edition from before the tool has only `data/<year>/edition.toml` with
//! `status = "archived"` (see [`archived`]); it is loaded into [`Project::archived`], never into
//! [`Project::editions`], so nothing computes or draws it.

mod archived;
mod content;
mod csv_header;
mod districts;
mod edition_file;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod frozen;
mod history;
mod indicators;
mod map;
mod plans;
mod stamp;
mod names;
mod text;
mod theme;
mod toml_file;
mod uncertainty_file;
mod values;

use std::path::Path;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Edition, FileBytes, SourceFile};

pub use crate::model::Project;

/// The project's input folders: everything `load` reads lies in them (the preview watches them;
/// `build` never writes into them).
pub const INPUT_FOLDERS: &[&str] = &["data", "content", "templates", "assets", "archive"];

pub use content::parse_page;
pub use stamp::input_stamp;
pub use plans::{parse_qualifier, read_actuals, read_plan, read_plans};
pub use indicators::{parse_weight, read_indicators};
pub use text::{decode_text, read_inside, read_text, read_text_inside};

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
    // Of every edition folder, loaded or not: one that fails to load must not make a history
    // row look later than the latest edition.
    let latest_year = years.iter().copied().max();
    let mut diags = Diagnostics::default();
    let history_path = root.join("data").join("history.csv");
    let history = if history_path.is_file() {
        match read_text_inside(&history_path, root).map_err(Diagnostics::from).and_then(|t| history::read_history(&history_path, &t)) {
            Ok(h) => h,
            Err(d) => {
                diags.extend(d);
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };
    let plans = plans::read_plans(root).unwrap_or_else(|d| {
        diags.extend(d);
        Vec::new()
    });
    let plan_ids: Vec<String> = plans.iter().map(|p| p.id.clone()).collect();
    let mut editions = Vec::new();
    let mut archived = Vec::new();
    for year in years {
        let path = root.join("data").join(year.to_string()).join("edition.toml");
        let text = match read_text_inside(&path, root) {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        if archived::is_archived(&text) {
            match archived::read_archived(root, year, &text, &history, &plan_ids) {
                Ok(a) => archived.push(a),
                Err(d) => diags.extend(d),
            }
            continue;
        }
        match load_edition(root, year) {
            Ok(e) => {
                for id in e.plans.iter().filter(|id| !plan_ids.contains(id)) {
                    diags.push(archived::unknown_plan(&path, &text, text.find("plans").unwrap_or(0), id, &plan_ids));
                }
                editions.push(e)
            }
            Err(d) => diags.extend(d),
        }
    }
    if editions.is_empty() && diags.is_empty() {
        diags.push(
            Diagnostic::new(root.join("data"), "every edition is archived: there is no edition with data to build")
                .help("add an edition with indicators, districts and values, e.g. with `cityreport init` in a new folder"),
        );
    }
    history_years_fit(&history_path, &history, latest_year, &mut diags);
    plan_districts_exist(root, &plans, &editions, &mut diags);
    let theme = match theme::read_theme(root) {
        Ok(t) => t,
        Err(d) => {
            diags.extend(d);
            Default::default()
        }
    };
    let frozen = frozen::read_frozen(root);
    diags.into_result(Project { root: root.to_path_buf(), editions, history, archived, plans, frozen, theme })
}

/// history.csv records earlier editions: a row after the latest edition was drawn as a change
/// since it, so it is refused on its line. (A row for an edition with data is allowed: the
/// computed figure replaces it, see compute::history.)
fn history_years_fit(path: &Path, history: &[crate::model::HistoryPoint], latest: Option<u16>, diags: &mut Diagnostics) {
    for h in history {
        if let Some(latest) = latest.filter(|&l| h.year > l) {
            diags.push(
                Diagnostic::new(path, format!("the year {} is after the latest edition ({latest})", h.year))
                    .at_line(h.line)
                    .help("check the year; a figure of a later report goes in with that edition (data/<year>/edition.toml)"),
            );
        }
    }
}

/// A district's plan names a district of the project: one for an unknown district built and was
/// shown on no page.
fn plan_districts_exist(root: &Path, plans: &[crate::model::Plan], editions: &[Edition], diags: &mut Diagnostics) {
    let known: Vec<&str> = editions.iter().flat_map(|e| e.districts.districts.iter().map(|d| d.id.as_str())).collect();
    for plan in plans {
        let Some(district) = plan.district.as_deref().filter(|d| !known.contains(d)) else { continue };
        let path = root.join("data").join("plans").join(&plan.id).join("plan.toml");
        let line = read_text_inside(&path, root).ok().and_then(|t| t.lines().position(|l| l.trim_start().starts_with("district")));
        let mut d = Diagnostic::new(&path, format!("the plan is for district \"{district}\", which no edition has"));
        if let Some(line) = line {
            d = d.at_line(line + 1);
        }
        d = match crate::diagnostic::did_you_mean(district, known.iter().copied()) {
            Some(s) => d.help(format!("did you mean \"{s}\"? Use a district id from districts.toml, or remove `district` for a city-wide plan")),
            None => d.help("use a district id from districts.toml, or remove `district` for a city-wide plan"),
        };
        diags.push(d);
    }
}

/// Whether `data/<year>/edition.toml` marks an edition from before the tool.
pub fn is_archived(root: &Path, year: u16) -> bool {
    let path = root.join("data").join(year.to_string()).join("edition.toml");
    read_text(&path).is_ok_and(|t| archived::is_archived(&t))
}

/// Reads only the narrative of edition `year` (for previews, after a content-only change).
pub fn load_content(root: &Path, year: u16) -> Result<Vec<crate::model::ContentPage>, Diagnostics> {
    content::read_content(&root.join("content").join(year.to_string()))
}

/// Loads and checks one edition; reports every problem found in its files.
pub fn load_edition(root: &Path, year: u16) -> Result<Edition, Diagnostics> {
    let dir = root.join("data").join(year.to_string());
    let edition_path = dir.join("edition.toml");
    let edition_text = read_text_inside(&edition_path, root)?;
    if archived::is_archived(&edition_text) {
        return Err(Diagnostic::new(&edition_path, format!("edition {year} is archived (status = \"archived\"): it has no data to load"))
            .help("an archived edition only records what is known of it; start from an edition with data")
            .into());
    }
    let meta = edition_file::read_edition_file(&edition_path, &edition_text, year)?;

    let mut diags = Diagnostics::default();
    let tree_path = dir.join("indicators.toml");
    let tree = read_text_inside(&tree_path, root).map_err(Diagnostics::from).and_then(|t| indicators::read_indicators(&tree_path, &t));
    let districts_path = dir.join("districts.toml");
    let districts =
        read_text_inside(&districts_path, root).map_err(Diagnostics::from).and_then(|t| districts::read_districts(&districts_path, &t));
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

    let values = read_values_file(root, &dir, &tree, &districts);
    let map = match &meta.map {
        None => Ok(None),
        Some(m) => {
            let path = dir.join(m.file.get_ref());
            read_text_inside(&path, root)
                .map_err(Diagnostics::from)
                .and_then(|t| map::read_map(&path, &t, &districts, m.attribution.clone()))
                .map(Some)
        }
    };
    let content = content.and_then(|pages| {
        let unknown = content::check_keys(&pages, &crate::catalogue::narrative_keys(&tree));
        unknown.into_result(pages)
    });
    let uncertainty = match &meta.uncertainty {
        None => Ok(None),
        Some(u) => uncertainty_file::read_uncertainty(&edition_path, &edition_text, u, &tree).map(Some).map_err(Diagnostics::from),
    };
    let ((values, values_file), map, content, uncertainty) = match (values, map, content, uncertainty) {
        (Ok(v), Ok(m), Ok(c), Ok(u)) => (v, m, c, u),
        (v, m, c, u) => {
            for e in [v.err(), m.err(), c.err(), u.err()].into_iter().flatten() {
                diags.extend(e);
            }
            return Err(diags);
        }
    };
    let publication = meta.publication();
    Ok(Edition {
        year,
        title: meta.title.into_inner(),
        subtitle: meta.subtitle,
        publication,
        publisher: meta.publisher,
        status: meta.status,
        precision: meta.precision,
        plans: meta.plans,
        tree,
        districts,
        values,
        map,
        content,
        values_file,
        uncertainty,
    })
}

/// Reads the edition's values table in whichever of the formats it is given (exactly one must
/// exist), checked against the tree and districts; also returns the file as it is, which the
/// site republishes.
fn read_values_file(
    root: &Path,
    dir: &Path,
    tree: &crate::model::IndicatorTree,
    districts: &crate::model::Districts,
) -> Result<(crate::model::LeafValues, SourceFile), Diagnostics> {
    let present: Vec<&values::ValuesFormat> = values::FORMATS.iter().filter(|f| dir.join(f.file).is_file()).collect();
    let names: Vec<&str> = values::FORMATS.iter().map(|f| f.file).collect();
    let format = match present.as_slice() {
        [one] => *one,
        [] => {
            return Err(Diagnostic::new(dir.join(names[0]), "the edition has no values table")
                .help(format!("add one of: {} (see docs/data-formats.md)", names.join(", ")))
                .into());
        }
        several => {
            let found: Vec<&str> = several.iter().map(|f| f.file).collect();
            return Err(Diagnostic::new(dir.join(found[1]), format!("the edition has more than one values table: {}", found.join(" and ")))
                .help("keep one of them and delete or rename the others, so it is clear which values count")
                .into());
        }
    };
    let path = dir.join(format.file);
    let bytes = read_inside(&path, root)?;
    let values = values::read_values(&path, format, &bytes, tree, districts)?;
    Ok((values, SourceFile { name: format.file.to_string(), bytes: FileBytes::from(bytes) }))
}
