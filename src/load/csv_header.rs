//! Checks of a CSV file's header shared by the loaders of values.csv, history.csv and
//! actuals.csv.

use std::path::Path;

use crate::diagnostic::Diagnostic;

/// A column named twice: the loaders take one of them by name, so the other's figures would be
/// silently ignored (a second `value` column added by a colleague, say).
pub(crate) fn unique_columns(path: &Path, headers: &csv::StringRecord) -> Result<(), Diagnostic> {
    let names: Vec<&str> = headers.iter().map(str::trim).collect();
    for (i, name) in names.iter().enumerate() {
        if let Some(j) = names[..i].iter().position(|n| n == name).filter(|_| !name.is_empty()) {
            return Err(Diagnostic::new(path, format!("the header names the column `{name}` twice (columns {} and {})", j + 1, i + 1))
                .at_line(1)
                .help("keep one column of that name; rename or delete the other"));
        }
    }
    Ok(())
}
