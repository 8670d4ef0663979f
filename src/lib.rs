//! cityreport: a static report-site generator for annual composite-index assessments.
//!
//! Data flows one way: [`load`] → validate (inside load) → [`compute`] → render → [`output`].

pub mod build;
pub mod compute;
pub mod diagnostic;
pub mod downloads;
pub mod load;
pub mod model;
pub mod output;
pub mod site;
