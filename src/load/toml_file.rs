//! Parsing analysts' TOML files into serde types, with errors placed at file:line:column.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostic::Diagnostic;

/// Parses `text` (the contents of `path`) as TOML into `T`.
pub fn parse_toml<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_string();
        let d = Diagnostic::new(path, message).help(
            "fix the TOML syntax or the field named here; the format is described in docs/data-formats.md",
        );
        match e.span() {
            Some(span) => d.at_offset(text, span.start),
            None => d,
        }
    })
}
