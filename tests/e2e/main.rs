//! Every integration test of cityreport, in one test binary (`cargo test --test e2e`): one module
//! per area, and the harness they share in `common/`. One binary instead of one per file: each
//! links the whole library (typst included), and linking some forty of them was most of the
//! suite's compile time; in one process, sites that several tests only read are also built once
//! (`common::shared`).
//!
//! The tests of all modules run in parallel in this one process, so none may change the
//! process's environment or working directory, or use a fixed port or a fixed scratch path that
//! another test could use too: child processes get their environment and directory through
//! `Command`, servers listen on port 0, and scratch folders are temp dirs of their own.

mod common;

mod architecture;
mod archive_changes;
mod bad_input;
mod bad_input_corpus;
mod browser_a11y;
mod browser_live_reload;
mod browser_not_found;
mod browser_pages;
mod browser_phone;
mod browser_phone_charts;
mod browser_raw_values;
mod browser_readers;
mod browser_search;
mod browser_weights;
mod build_cache;
mod data_page;
mod example_project;
mod figures_e2e;
mod figures_used;
mod frozen_tampering;
mod golden_2020;
mod narrow_figures;
mod new_values_xlsx;
mod output_safety;
mod page_load_bench;
mod page_weight;
mod perturbation;
mod plans_site;
mod preview_incremental;
mod print_edition;
mod rank_intervals;
mod raw_values;
mod serve_http;
mod site_archive;
mod site_content;
mod site_numbering;
mod site_pages;
mod site_publishing;
mod site_readers;
mod streamed_build;
mod values_xlsx;
mod yearly_workflow;
