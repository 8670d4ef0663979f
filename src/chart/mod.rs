//! Charts and maps as standalone SVG documents, and their PNG rasterisation.
//!
//! Plain data in, `String` (SVG) or bytes (PNG) out; nothing here touches files except the
//! optional on-disk PNG cache. Every SVG:
//! - is accessible: `role="img"`, `aria-labelledby` pointing at its `<title>` and `<desc>`, the
//!   description summarising the data;
//! - prefixes all its ids with the figure id, so several can be inlined in one page;
//! - names "CityReport Sans" (the shipped font) first in its font stack and is laid out with
//!   that font's metrics;
//! - is deterministic: same input, same bytes.

mod bars;
mod font;
mod map;
mod plotting;
mod raster;
mod stripes;
mod svg;
mod top_bottom;
mod tree;
mod trend;
mod words;

pub use bars::{BarDatum, NARROW, RankAxis, RankSpan, RankedBars, RefLine, WIDE, render_ranked_bars};
pub use font::{FONT_BOLD, FONT_FAMILY, FONT_REGULAR, FONT_STACK, missing_glyphs, text_width};
pub use map::{Choropleth, Classes, MapGeometry, MapLayout, jenks, render_choropleth, ring_area};
pub use raster::{PngCache, Rasteriser};
/// Cache files written whole or not at all (the PNG cache, and the print edition's).
pub(crate) use raster::write_atomically;
pub use top_bottom::{TopBottomBars, render_top_bottom};
pub use tree::{TreeDiagram, TreeNode, render_framework};
pub use trend::{TrendChart, render_trend};
pub use words::ChartWords;

#[cfg(test)]
pub(crate) mod testutil;

/// A chart ready to draw. Its `Debug` text holds everything its SVG depends on, so it serves as
/// the figure cache's key; `texts` lists what it will write, checked against the shipped font
/// before anything is drawn. Each chart type implements this in its own file.
pub trait Chart: std::fmt::Debug + Send + Sync {
    /// The chart as a standalone SVG document.
    fn to_svg(&self) -> String;
    /// Every text the chart draws.
    fn texts(&self) -> Vec<&str>;
}
