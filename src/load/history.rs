//! `data/history.csv`: city-level figures of editions the project has no data for.
//!
//! Columns: `year,indicator,value,basis_zh,basis_en`, and optionally `name_zh,name_en` (the
//! indicator's name in that year, shown on archived editions' pages). The basis says for readers
//! where the figure comes from, in both languages, because the pages show it in both. An optional
//! `derived` column says `yes` for a figure worked back from later ones (charts draw it apart).

use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Bilingual, HistoryPoint};

#[derive(Debug, Deserialize)]
struct Row {
    year: String,
    indicator: String,
    value: String,
    #[serde(default)]
    name_zh: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    basis_zh: String,
    #[serde(default)]
    basis_en: String,
    /// `yes` when the figure was worked back from later ones rather than published.
    #[serde(default)]
    derived: String,
}

pub fn read_history(path: &Path, text: &str) -> Result<Vec<HistoryPoint>, Diagnostics> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut diags = Diagnostics::default();
    let mut points = Vec::new();
    // (year, indicator) → line: a second figure for one year would show one of two numbers.
    let mut first_line: std::collections::HashMap<(u16, String), usize> = std::collections::HashMap::new();
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(Diagnostic::new(path, format!("cannot read the header: {e}"))
            .at_line(1)
            .help("the first line must be the header year,indicator,value,basis")
            .into()),
    };
    super::csv_header::unique_columns(path, &headers)?;
    for column in ["year", "indicator", "value", "basis_zh", "basis_en"] {
        if !headers.iter().any(|h| h.trim() == column) {
            let help = if column.starts_with("basis") && headers.iter().any(|h| h.trim() == "basis") {
                "the notes are bilingual now: split the column `basis` into `basis_zh` and `basis_en`, each a short note for readers"
            } else {
                "the header must include year,indicator,value,basis_zh,basis_en (name_zh,name_en are optional)"
            };
            diags.push(Diagnostic::new(path, format!("no column `{column}`")).at_line(1).help(help));
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    for result in reader.records() {
        let line = result.as_ref().ok().and_then(|r| r.position()).map(|p| p.line() as usize).unwrap_or(0);
        let row = match result.and_then(|r| r.deserialize::<Row>(Some(&headers))) {
            Ok(r) => r,
            Err(e) => {
                let d = Diagnostic::new(path, format!("cannot read this row: {e}"))
                    .help("every row needs a value in each column of the header");
                diags.push(match e.position() {
                    Some(p) => d.at_line(p.line() as usize),
                    None => d,
                });
                continue;
            }
        };
        let year = row.year.trim().parse::<u16>();
        // The same bound as values.csv: beyond it a figure cannot be printed exactly.
        let value = row.value.trim().parse::<f64>().ok().filter(|v| v.is_finite() && v.abs() < 1e15);
        let (Ok(year), Some(value)) = (year, value) else {
            diags.push(
                Diagnostic::new(path, format!("year \"{}\" or value \"{}\" is not a number (or is too large to print)", row.year, row.value))
                    .at_line(line)
                    .help("write the year as 4 digits and the value as a plain decimal"),
            );
            continue;
        };
        if let Some(first) = first_line.insert((year, row.indicator.trim().to_string()), line) {
            diags.push(
                Diagnostic::new(path, format!("a second figure for {} in {year} (the first is on line {first})", row.indicator.trim()))
                    .at_line(line)
                    .help("keep one row per year and indicator"),
            );
            continue;
        }
        let basis = Bilingual::new(row.basis_zh.trim(), row.basis_en.trim());
        if basis.zh.is_empty() || basis.en.is_empty() {
            diags.push(
                Diagnostic::new(path, "the note on where this figure comes from is missing in one language")
                    .at_line(line)
                    .help("fill in both basis_zh and basis_en: the pages show the note in both languages"),
            );
            continue;
        }
        let name = match (row.name_zh.trim(), row.name_en.trim()) {
            ("", "") => None,
            (zh, en) if !zh.is_empty() && !en.is_empty() => Some(Bilingual::new(zh, en)),
            _ => {
                diags.push(
                    Diagnostic::new(path, "the indicator's name is given in one language only")
                        .at_line(line)
                        .help("fill in both name_zh and name_en, or leave both empty"),
                );
                continue;
            }
        };
        let derived = match row.derived.trim().to_ascii_lowercase().as_str() {
            "" | "no" | "false" => false,
            "yes" | "true" => true,
            other => {
                diags.push(
                    Diagnostic::new(path, format!("derived \"{other}\" is neither yes nor no"))
                        .at_line(line)
                        .help("write yes for a figure worked back from later ones, or leave it empty"),
                );
                continue;
            }
        };
        points.push(HistoryPoint { year, indicator: row.indicator.trim().to_string(), name, value, value_text: row.value.trim().to_string(), basis, line, derived });
    }
    diags.into_result(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bilingual_notes_and_names() {
        let text = "year,indicator,name_zh,name_en,value,basis_zh,basis_en\n2017,app,智慧应用指数,Smart Application Index,105.74,当年发布,Stated that year\n";
        let points = read_history(Path::new("history.csv"), text).unwrap();
        assert_eq!(points[0].basis, Bilingual::new("当年发布", "Stated that year"));
        assert_eq!(points[0].name.as_ref().unwrap().en, "Smart Application Index");
    }

    #[test]
    fn an_english_only_basis_column_is_named_with_the_fix() {
        let err = read_history(Path::new("history.csv"), "year,indicator,value,basis\n2017,app,1,x\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("history.csv:1") && text.contains("basis_zh") && text.contains("split"), "{text}");
    }

    #[test]
    fn a_missing_translation_is_an_error_on_its_line() {
        let err = read_history(Path::new("history.csv"), "year,indicator,value,basis_zh,basis_en\n2017,app,1,当年发布,\n").unwrap_err();
        assert!(err.to_string().contains("history.csv:2"), "{err}");
    }
}
