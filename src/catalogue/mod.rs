//! The catalogue: what an edition publishes — every figure, page and download — named once.
//!
//! A figure is a [`FigureKey`], a page a [`PageKey`]; both refer to the edition's own nodes,
//! regions and districts by index, never by a fixed id (another city's root is not `overall`).
//! Which figures an edition gets, what they are numbered in the print's scheme, where each page
//! lives, which chapters exist and what each download is called are decided here and nowhere
//! else: the figure renderer, the pages, the numbering and the downloads all read it.

mod figures;
mod narrative;
mod numbering;
mod pages;

pub use figures::{edition_figures, FigureKey, Scope};
pub use narrative::{narrative_keys, NarrativeKey};
pub use numbering::{Numbering, TableKey};
pub use pages::{edition_pages, plan_chapter_rel, plan_page, plans_index, indicator_rel, node_rel, section_nodes, Chapter, PageKey, CHAPTERS};
