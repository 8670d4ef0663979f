//! `cityreport init` (a small working project: a four-district version of the fictional
//! examples/example-city) and `cityreport new <year>` (the next edition, scaffolded from the
//! latest one, with an empty values table as CSV or Excel, see [`values_template`]).

mod values_template;

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::load_edition;
use crate::load::edition_years;
pub use values_template::ValuesTemplate;

/// The starter project, compiled into the binary.
const STARTER: &[(&str, &str)] = &[
    ("data/2024/edition.toml", include_str!("starter/data/2024/edition.toml")),
    ("data/2024/indicators.toml", include_str!("starter/data/2024/indicators.toml")),
    ("data/2024/districts.toml", include_str!("starter/data/2024/districts.toml")),
    ("data/2024/values.csv", include_str!("starter/data/2024/values.csv")),
    ("data/2024/districts.geojson", include_str!("starter/data/2024/districts.geojson")),
    ("content/2024/zh/_index.md", include_str!("starter/content/2024/zh/_index.md")),
    ("content/2024/en/_index.md", include_str!("starter/content/2024/en/_index.md")),
];

/// Creates a minimal working project in `dir` (which must not already hold one).
pub fn init_project(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    if dir.join("data").exists() || dir.join("content").exists() {
        return Err(Diagnostic::new(dir, "this folder already has data/ or content/")
            .help("run `cityreport init` with a new or empty folder"));
    }
    let mut written = Vec::new();
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        write_new(&path, text.as_bytes()).map_err(|e| Diagnostic::new(&path, format!("cannot write: {e}")))?;
        written.push(path);
    }
    write_new(&dir.join(".gitignore"), b"/site\n").map_err(|e| Diagnostic::new(dir.join(".gitignore"), e.to_string()))?;
    Ok(written)
}

fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(p) = path.parent() {
        fs::create_dir_all(p)?;
    }
    fs::write(path, bytes)
}

/// What `new_edition` created.
#[derive(Debug)]
pub struct NewEdition {
    pub from_year: u16,
    /// The values table written: values.csv or values.xlsx.
    pub values_file: &'static str,
    pub files: Vec<PathBuf>,
    pub empty_values: usize,
}

/// Scaffolds `data/<year>/` and `content/<year>/` from the latest edition before `year`: the
/// indicator system (without its `continues` lines, see [`drop_continues`]), districts and map are
/// copied, the edition is marked draft, values.csv lists
/// every district × leaf with an empty value, and the narrative files keep their front matter with
/// a placeholder body.
pub fn new_edition(root: &Path, year: u16) -> Result<NewEdition, Diagnostics> {
    new_edition_with(root, year, ValuesTemplate::FollowPrevious)
}

/// [`new_edition`], with the values table written in the format `template` asks for.
pub fn new_edition_with(root: &Path, year: u16, template: ValuesTemplate) -> Result<NewEdition, Diagnostics> {
    let data_dir = root.join("data").join(year.to_string());
    if data_dir.exists() {
        return Err(Diagnostic::new(&data_dir, format!("edition {year} already exists"))
            .help("choose another year, or edit the existing edition")
            .into());
    }
    let years = edition_years(root)?;
    // Archived editions (before the tool) have no indicator system to copy.
    let Some(&from) = years.iter().filter(|&&y| y < year && !crate::load::is_archived(root, y)).max() else {
        return Err(Diagnostic::new(root.join("data"), format!("no edition before {year} to start from"))
            .help("`cityreport new` copies the latest earlier edition; create the first one by hand or with `cityreport init`")
            .into());
    };
    let previous = load_edition(root, from)?;
    let from_dir = root.join("data").join(from.to_string());
    let io_err = |p: &Path, e: io::Error| Diagnostics::from(Diagnostic::new(p, format!("cannot write: {e}")));
    let mut files = Vec::new();

    // The values table (every district × leaf, no numbers yet), made before anything is written.
    let values_file = template.file_name(&previous.values_file.name);
    let empty_values = previous.tree.leaves().count() * previous.districts.districts.len();
    let values_bytes = match values_file {
        "values.xlsx" => values_template::values_xlsx(&previous, year).map_err(|e| {
            Diagnostics::from(Diagnostic::new(data_dir.join(values_file), e).help("report this as a bug, with the edition's indicators.toml"))
        })?,
        _ => values_template::values_csv(&previous).into_bytes(),
    };

    // Indicator system, districts, map: copied as they are (comments included).
    for entry in fs::read_dir(&from_dir).map_err(|e| io_err(&from_dir, e))? {
        let entry = entry.map_err(|e| io_err(&from_dir, e))?;
        let name = entry.file_name();
        let name_s = name.to_string_lossy();
        // The previous values (in either format) are not carried over: the new table is empty.
        if name_s == "values.csv" || name_s == "values.xlsx" || name_s == "edition.toml" || !entry.path().is_file() {
            continue;
        }
        let to = data_dir.join(&name);
        let mut bytes = fs::read(entry.path()).map_err(|e| io_err(&entry.path(), e))?;
        if name_s == "indicators.toml" {
            bytes = drop_continues(&String::from_utf8_lossy(&bytes)).into_bytes();
        }
        write_new(&to, &bytes).map_err(|e| io_err(&to, e))?;
        files.push(to);
    }

    // edition.toml: same settings, new year, draft.
    let edition_path = from_dir.join("edition.toml");
    let text = fs::read_to_string(&edition_path).map_err(|e| io_err(&edition_path, e))?;
    let out = next_edition_toml(&text, from, year);
    let to = data_dir.join("edition.toml");
    write_new(&to, out.as_bytes()).map_err(|e| io_err(&to, e))?;
    files.push(to);

    let to = data_dir.join(values_file);
    write_new(&to, &values_bytes).map_err(|e| io_err(&to, e))?;
    files.push(to);

    // Narrative skeletons: same files and front matter, placeholder text.
    for page in &previous.content {
        let rel = format!("{}/{}.md", page.lang.code(), page.key);
        let original = fs::read_to_string(&page.file).map_err(|e| io_err(&page.file, e))?;
        let front_end = original.len() - page.body.len().min(original.len());
        let front = if page.body_line > 1 { &original[..front_end] } else { "" };
        let placeholder = match page.lang {
            crate::model::Lang::Zh => "（本节正文待撰写。）\n",
            crate::model::Lang::En => "(This section is still to be written.)\n",
        };
        let to = root.join("content").join(year.to_string()).join(rel);
        write_new(&to, format!("{front}{placeholder}").as_bytes()).map_err(|e| io_err(&to, e))?;
        files.push(to);
    }
    files.sort();
    Ok(NewEdition { from_year: from, values_file, files, empty_values })
}

/// The indicator file without its `continues = "…"` lines. `continues` links an indicator to its
/// id in the edition before the one it is written in; copied into the next edition it would point
/// two editions back, past the previous edition's own id.
fn drop_continues(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let key = line.trim_start();
        let is_continues = key.strip_prefix("continues").is_some_and(|rest| rest.trim_start().starts_with('='));
        if !is_continues {
            out.push_str(line);
        }
    }
    out
}

/// The new edition's edition.toml from the previous one's: same settings, the new year, a draft,
/// and no publication date (the previous one's with the year changed would be a made-up fact).
fn next_edition_toml(text: &str, from: u16, year: u16) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("year") && trimmed.contains('=') {
            let _ = writeln!(out, "year = {year}");
        } else if trimmed.starts_with("status") && trimmed.contains('=') {
            let _ = writeln!(out, "status = \"draft\"");
        } else if trimmed.starts_with("published") && trimmed.contains('=') {
            let _ = writeln!(out, "# published = \"{year}-MM-DD\"  (the date the edition is released; leave out until known)");
        } else {
            let _ = writeln!(out, "{}", line.replace(&from.to_string(), &year.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_project_builds_and_new_edition_lists_what_is_missing() {
        let tmp = tempfile::tempdir().unwrap();
        init_project(tmp.path()).unwrap();
        let project = crate::load::load_project(tmp.path()).unwrap();
        let results = crate::compute::compute_edition(&project.editions[0]).unwrap();
        // Port is best on every raw indicator except digital firms, where it also leads.
        let port = project.editions[0].districts.index_of("port").unwrap();
        assert_eq!(results.nodes[0].rank[port], 1);

        let made = new_edition(tmp.path(), 2025).unwrap();
        assert_eq!(made.from_year, 2024);
        assert_eq!(made.empty_values, 4 * 4);
        let edition = fs::read_to_string(tmp.path().join("data/2025/edition.toml")).unwrap();
        assert!(edition.contains("year = 2025") && edition.contains("status = \"draft\""));
        assert!(edition.contains("2025年示例市"), "titles follow the year: {edition}");
        // A publication date is never carried over (issue 12); the contact is.
        let next = next_edition_toml("year = 2025\nstatus = \"published\"\npublished = \"2025-06\"\ncontact = \"a@b.org\"\n", 2025, 2026);
        assert!(!next.lines().any(|l| l.starts_with("published")) && next.contains("contact = \"a@b.org\""), "{next}");
        let parsed: toml::Table = toml::from_str(&next).unwrap();
        assert!(parsed.get("published").is_none() && parsed["year"].as_integer() == Some(2026));
        let page = fs::read_to_string(tmp.path().join("content/2025/en/_index.md")).unwrap();
        assert!(page.starts_with("+++\n") && page.ends_with("(This section is still to be written.)\n"), "{page}");

        // check lists what is still missing: one message per leaf indicator.
        let err = crate::load::load_edition(tmp.path(), 2025).unwrap_err();
        assert_eq!(err.len(), 4, "{err}");
        assert!(err.0.iter().all(|d| d.message.contains("for any of the 4 districts (empty on lines")), "{err}");

        // `continues` is not carried into the next edition; its comments are.
        let copied = drop_continues("# continues = the old id\n[[indicator]]\nid = \"b\"\ncontinues = \"a\"\n  continues=\"c\"\ncontinues_note = 1\n");
        assert_eq!(copied, "# continues = the old id\n[[indicator]]\nid = \"b\"\ncontinues_note = 1\n");

        // A second `new` for the same year refuses to overwrite.
        assert!(new_edition(tmp.path(), 2025).is_err());
    }

    /// The starter is a small version of examples/example-city: every district, region and
    /// indicator it has is there with the same names, units and methods, and the root has the
    /// same id, so what a user learns from one holds for the other.
    #[test]
    fn the_starter_is_a_small_version_of_the_bundled_example() {
        let tmp = tempfile::tempdir().unwrap();
        init_project(tmp.path()).unwrap();
        let starter = load_edition(tmp.path(), 2024).unwrap();
        let example = load_edition(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/example-city"), 2024).unwrap();
        assert_eq!(starter.tree.nodes[0].id, example.tree.nodes[0].id);
        assert_ne!(starter.tree.nodes[0].id, "overall", "both show that the root may have any id");
        for region in &starter.districts.regions {
            let there = example.districts.regions.iter().find(|r| r.id == region.id).expect(&region.id);
            assert_eq!(there.name, region.name);
        }
        for district in &starter.districts.districts {
            let there = example.districts.districts.iter().find(|d| d.id == district.id).expect(&district.id);
            assert_eq!((&there.name, &there.map_feature), (&district.name, &district.map_feature));
            let region = |e: &crate::model::Edition, d: &crate::model::District| e.districts.regions[d.region].id.clone();
            assert_eq!(region(&example, there), region(&starter, district));
        }
        for node in &starter.tree.nodes {
            let there = example.tree.nodes.iter().find(|n| n.id == node.id).expect(&node.id);
            assert_eq!(
                (&there.name, &there.unit, there.polarity, &there.normalisation, there.kind, &there.parent),
                (&node.name, &node.unit, node.polarity, &node.normalisation, node.kind, &node.parent),
                "{}",
                node.id
            );
        }
        assert!(example.districts.districts.len() > 2 * starter.districts.districts.len());
    }
}
