//! Benchmark of a full demo build (both languages, every page, charts, downloads) into memory,
//! stage by stage. Run with `cargo bench --bench build`; prints medians of several runs.
//! Target (issue #3/#4): well under a second on the 2-core machine.

use std::path::Path;
use std::time::{Duration, Instant};

use cityreport::build::{build_site, compute_project, BuildOptions};
use cityreport::load::load_project;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    (median(times), last.unwrap())
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let runs = 7;
    let opts = BuildOptions::default();
    let (load, project) = time(runs, || load_project(root).unwrap());
    let (compute, _) = time(runs, || compute_project(&project, &opts).unwrap());
    let (full, files) = time(runs, || build_site(root, &opts).unwrap());
    let pages = files.files.keys().filter(|k| k.ends_with(".html")).count();
    let figures = files.files.keys().filter(|k| k.ends_with(".png")).count();
    println!("demo build, median of {runs} runs, {} threads:", rayon::current_num_threads());
    println!("  load + validate      {:>8.1} ms", load.as_secs_f64() * 1e3);
    println!("  compute              {:>8.1} ms", compute.as_secs_f64() * 1e3);
    println!("  full build (memory)  {:>8.1} ms  ({} files: {pages} pages, {figures} PNG figures)", full.as_secs_f64() * 1e3, files.len());
    println!("  target               {:>8.1} ms  → {:.2}× of budget", 1000.0, full.as_secs_f64());
}
