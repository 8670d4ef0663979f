//! `values.csv`: the values table as comma-separated text (UTF-8, with or without a BOM).

use std::path::Path;

use super::RawRow;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::decode_text;

/// The rows of `values.csv`: the columns district, indicator and value are found by name in the
/// header (others, such as source or note, are the analysts' own and left alone).
pub(super) fn read_rows(path: &Path, bytes: &[u8], sink: &mut dyn FnMut(RawRow)) -> Result<(), Diagnostics> {
    let text = decode_text(path, bytes)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(csv_error(path, e).into()),
    };
    crate::load::csv_header::unique_columns(path, &headers)?;
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(ci_d), Some(ci_i), Some(ci_v)) = (col("district"), col("indicator"), col("value")) else {
        let got: Vec<&str> = headers.iter().collect();
        return Err(Diagnostic::new(path, format!("the header must have the columns district, indicator, value; found: {}", got.join(", ")))
            .at_line(1)
            .help("make the first line `district,indicator,value` (extra columns such as source or note may follow)")
            .into());
    };
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
        let record_start = record.position().map(|p| p.byte() as usize).unwrap_or(0);
        // Columns in characters (what an editor shows), not field numbers.
        let cell = |i: usize| (field_column(&text, record_start, i), record.get(i).unwrap_or("").trim().to_string());
        sink(RawRow { sheet: None, line, district: cell(ci_d), indicator: cell(ci_i), value: cell(ci_v) });
    }
    diags.into_result(())
}

/// 1-based character column where field `field` (0-based) of the CSV record starting at byte
/// `start` begins, quotes respected; only used to place messages.
fn field_column(text: &str, start: usize, field: usize) -> usize {
    let rest = text.get(start..).unwrap_or("");
    let mut in_quotes = false;
    let mut seen = 0;
    for (i, c) in rest.char_indices() {
        if seen == field {
            return rest[..i].chars().count() + 1;
        }
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => seen += 1,
            '\n' if !in_quotes => break,
            _ => {}
        }
    }
    rest.split('\n').next().unwrap_or("").chars().count() + 1
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_columns_count_characters_and_respect_quotes() {
        let text = "district,indicator,value\n浦东,5g,\"1,5\",note\n";
        let start = text.find('浦').unwrap();
        assert_eq!(field_column(text, start, 0), 1);
        assert_eq!(field_column(text, start, 1), 4);
        assert_eq!(field_column(text, start, 2), 7);
        assert_eq!(field_column(text, start, 3), 13);
        // A field past the end of the row: just after its last character.
        assert_eq!(field_column("a,b", 0, 2), 4);
    }
}
