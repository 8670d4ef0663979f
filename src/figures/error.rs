//! What drawing the figures can fail with, each naming its real cause: a name in an edition's data
//! the shipped font cannot draw, a fault of cityreport itself, or the output the PNGs go to.

use std::fmt;

use crate::i18n::TranslationError;
use crate::output::OutputError;

#[derive(Debug)]
pub enum FigureError {
    /// A text a figure of edition `year` draws (an indicator's, district's or region's name from
    /// `data/<year>/`) uses characters the shipped font cannot draw.
    Glyphs { year: u16, figure: String, text: String, missing: Vec<char> },
    /// A figure could not be rasterised: a fault of cityreport, not of the project.
    Raster { figure: String, message: String },
    /// A built-in UI string a figure draws is missing: a fault of cityreport.
    Strings(TranslationError),
    /// A PNG could not be written to the site being built.
    Output(OutputError),
}

impl fmt::Display for FigureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FigureError::Glyphs { figure, text, missing, .. } => {
                let list: Vec<String> = missing.iter().map(|c| format!("{c} (U+{:04X})", *c as u32)).collect();
                write!(
                    f,
                    "the text \"{text}\" (figure {figure}) uses characters the shipped font cannot draw: {}. \
                     Use other characters in the name, or add them to the font subset with scripts/make-font.sh",
                    list.join(", ")
                )
            }
            FigureError::Raster { figure, message } => write!(f, "figure {figure}: {message}"),
            FigureError::Strings(e) => write!(f, "{e}"),
            FigureError::Output(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for FigureError {}

impl From<TranslationError> for FigureError {
    fn from(e: TranslationError) -> Self {
        FigureError::Strings(e)
    }
}

impl From<OutputError> for FigureError {
    fn from(e: OutputError) -> Self {
        FigureError::Output(e)
    }
}
