//! `values.csv`: the values table as comma-separated text (UTF-8, with or without a BOM).

use std::path::Path;

use super::RawRow;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::decode_text;

/// The rows of `values.csv`: the columns district, indicator and value are found by name in the
/// header (others, such as source or note, are the analysts' own and left alone).
pub(super) fn read_rows(path: &Path, bytes: &[u8]) -> Result<Vec<RawRow>, Diagnostics> {
    let text = decode_text(path, bytes)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(csv_error(path, e).into()),
    };
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(ci_d), Some(ci_i), Some(ci_v)) = (col("district"), col("indicator"), col("value")) else {
        let got: Vec<&str> = headers.iter().collect();
        return Err(Diagnostic::new(path, format!("the header must have the columns district, indicator, value; found: {}", got.join(", ")))
            .at_line(1)
            .help("make the first line `district,indicator,value` (extra columns such as source or note may follow)")
            .into());
    };
    let mut rows = Vec::new();
    let mut diags = Diagnostics::default();
    for result in reader.records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                diags.push(csv_error(path, e));
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0) as usize;
        let cell = |i: usize| (i + 1, record.get(i).unwrap_or("").trim().to_string());
        rows.push(RawRow { sheet: None, line, district: cell(ci_d), indicator: cell(ci_i), value: cell(ci_v) });
    }
    diags.into_result(rows)
}

fn csv_error(path: &Path, e: csv::Error) -> Diagnostic {
    let line = e.position().map(|p| p.line() as usize);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("this row has {len} fields but the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8".to_string(),
        _ => e.to_string(),
    };
    let d = Diagnostic::new(path, message).help("every row needs the same columns as the header; quote fields that contain commas");
    match line {
        Some(l) => d.at_line(l),
        None => d,
    }
}
