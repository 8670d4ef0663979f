//! `data/history.csv`: city-level figures of editions the project has no data for.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::HistoryPoint;

#[derive(Debug, Deserialize)]
struct Row {
    year: String,
    indicator: String,
    value: String,
    #[serde(default)]
    basis: String,
}

/// Reads the history; `year,indicator,value,basis` are required columns (others, such as a name,
/// are for people).
pub fn read_history(path: &Path, text: &str) -> Result<Vec<HistoryPoint>, Diagnostics> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut diags = Diagnostics::default();
    let mut points = Vec::new();
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(Diagnostic::new(path, format!("cannot read the header: {e}"))
            .at_line(1)
            .help("the first line must be the header year,indicator,value,basis")
            .into()),
    };
    for result in reader.records() {
        let line = result.as_ref().ok().and_then(|r| r.position()).map(|p| p.line() as usize).unwrap_or(0);
        let row = match result.and_then(|r| r.deserialize::<Row>(Some(&headers))) {
            Ok(r) => r,
            Err(e) => {
                let d = Diagnostic::new(path, format!("cannot read this row: {e}"))
                    .help("the header must include year,indicator,value,basis");
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
        match (year, value) {
            (Ok(year), Some(value)) => points.push(HistoryPoint {
                year,
                indicator: row.indicator.trim().to_string(),
                value,
                basis: row.basis.trim().to_string(),
            }),
            _ => diags.push(
                Diagnostic::new(path, format!("year \"{}\" or value \"{}\" is not a number (or is too large to print)", row.year, row.value))
                    .at_line(line)
                    .help("write the year as 4 digits and the value as a plain decimal"),
            ),
        }
    }
    diags.into_result(points)
}
