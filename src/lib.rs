//! cityreport: a static report-site generator for annual composite-index assessments.
//!
//! Data flows one way: load → validate → compute → render → write.

pub mod model;
pub mod output;
pub mod chart;
