//! Why a build failed, in words an analyst can act on: every variant names the file (and the line
//! where there is one) and what to do.

use std::fmt;
use std::path::Path;

use crate::compute::EditionError;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::figures::FigureError;
use crate::output::OutputError;
use crate::site::SiteError;

#[derive(Debug)]
pub enum BuildError {
    Input(Diagnostics),
    Compute(EditionError),
    Render(Diagnostic),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Input(d) => write!(f, "{d}"),
            BuildError::Compute(e) => write!(f, "{e}"),
            BuildError::Render(d) => write!(f, "{d}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<Diagnostics> for BuildError {
    fn from(d: Diagnostics) -> Self {
        BuildError::Input(d)
    }
}

impl From<EditionError> for BuildError {
    fn from(e: EditionError) -> Self {
        BuildError::Compute(e)
    }
}

impl BuildError {
    /// A render error as a diagnostic naming the file to fix.
    pub(crate) fn from_site(root: &Path, e: SiteError) -> Self {
        BuildError::Render(match e {
            SiteError::Content { file, line, column, message } => Diagnostic::new(file, message)
                .at(line, column)
                .help("fix the shortcode or text at this place; shortcodes are listed in docs/writing.md"),
            SiteError::Template { template, page, message } => {
                let (file, place, message) = crate::site::template_errors::locate_in_project(&root.join("templates"), &template, &message);
                let mut d = Diagnostic::new(file, message);
                if let Some((line, column)) = place {
                    d = d.at(line, column);
                }
                let during = page.map(|p| format!("the error happened while rendering {p}; ")).unwrap_or_default();
                d.help(format!("{during}fix the template (Tera syntax) or remove the override to use the built-in one"))
            }
            // The strings are built into the tool: a missing one is the tool's fault, not the
            // project's, and the project has no file to fix.
            SiteError::Translation { key, message } => Diagnostic::new(root, format!("built-in UI string `{key}`: {message}"))
                .help("this is a fault of cityreport itself, not of the project; please report it with this message"),
            SiteError::Input { message } => Diagnostic::new(root, message),
            SiteError::Figure(e) => return BuildError::from_figure(root, e),
            // A character the fonts lack, or a fault of the typesetting itself.
            SiteError::Print { year, lang, message } => Diagnostic::new(
                root.join("content").join(year.to_string()).join(lang),
                format!("cannot typeset the print edition of {year} ({lang}): {message}"),
            ),
            SiteError::Output(e) => return BuildError::from_output(root, e),
        })
    }

    /// A figure that could not be drawn, blamed on its real cause: the edition's data for a name
    /// the font cannot draw, cityreport itself for a fault of its own, the output for a write.
    pub(crate) fn from_figure(root: &Path, e: FigureError) -> Self {
        let message = format!("cannot draw a figure: {e}");
        BuildError::Render(match e {
            FigureError::Glyphs { year, .. } => Diagnostic::new(root.join("data").join(year.to_string()), message)
                .help("the name is in this edition's indicators.toml, districts.toml or map"),
            FigureError::Raster { .. } | FigureError::Strings(_) => Diagnostic::new(root, message)
                .help("this is a fault of cityreport itself, not of the project; please report it with this message"),
            FigureError::Output(e) => return BuildError::from_output(root, e),
        })
    }

    /// A file of the site that could not be written.
    pub(crate) fn from_output(root: &Path, e: OutputError) -> Self {
        let path = match &e {
            OutputError::Io { path, .. } | OutputError::Refused { out: path, .. } => path.clone(),
            OutputError::Locked(_) => root.to_path_buf(),
        };
        BuildError::Render(
            Diagnostic::new(path, e.to_string())
                .help("check that the output folder's disk has room and is writable; the previous site is untouched"),
        )
    }

    /// The message for the preview's overlay, which shows the first file and line itself:
    /// the first problem without its location, then any others with paths relative to the
    /// project.
    pub fn overlay_message(&self, root: &Path) -> String {
        let rel = |d: &Diagnostic| {
            let mut d = d.clone();
            d.file = d.file.strip_prefix(root).map(Path::to_path_buf).unwrap_or(d.file);
            d
        };
        let plain = |d: &Diagnostic| match &d.help {
            Some(h) => format!("{}\nhelp: {h}", d.message),
            None => d.message.clone(),
        };
        match self {
            BuildError::Input(ds) => {
                let mut out = ds.0.first().map(plain).unwrap_or_default();
                // As on the command line, the first SHOWN problems and a count of the rest.
                for d in ds.0.iter().take(crate::diagnostic::SHOWN).skip(1) {
                    out.push_str(&format!("\n\n{}", rel(d)));
                }
                let more = ds.len().saturating_sub(crate::diagnostic::SHOWN);
                if more > 0 {
                    out.push_str(&format!("\n\n… and {more} more"));
                }
                out
            }
            BuildError::Compute(e) => e.to_string(),
            BuildError::Render(d) => plain(d),
        }
    }

    /// The file and line to show in the preview's error overlay.
    pub fn location(&self) -> (Option<&Path>, Option<usize>) {
        match self {
            BuildError::Input(d) => d.0.first().map(|d| (Some(d.file.as_path()), d.line)).unwrap_or((None, None)),
            BuildError::Compute(e) => (Some(e.file.as_path()), e.line),
            BuildError::Render(d) => (Some(d.file.as_path()), d.line),
        }
    }
}
