//! cityreport: a static report-site generator for annual composite-index assessments.
//!
//! Data flows one way: [`load`] → validate (inside load) → [`compute`] → render ([`downloads`],
//! [`figures`] with [`chart`], [`site`], [`search`]) → [`output`]. [`build`] strings the stages together;
//! [`serve`] previews a build from memory; [`archive`] freezes published editions.

pub mod archive;
pub mod build;
pub mod catalogue;
pub mod chart;
pub mod compute;
pub(crate) mod diagnostic;
pub mod downloads;
pub mod figures;
pub(crate) mod format;
pub mod i18n;
pub mod load;
pub mod model;
pub mod output;
pub mod progress;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
