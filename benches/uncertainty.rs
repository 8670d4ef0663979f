//! Benchmark of the rank uncertainty and sensitivity analysis on the demo edition, at the
//! demo's settings (edition.toml [uncertainty]). Run with `cargo bench --bench uncertainty`;
//! prints medians of several runs, the budgets of issue 16 (Monte Carlo ≤ 0.5 s, sensitivity
//! ≤ 1 s on 2 cores), and the cost ratios when the runs or the districts double (≈ 2 if the
//! cost is linear).

use std::path::Path;
use std::time::{Duration, Instant};

use cityreport::compute::{compute_edition, rank_uncertainty, sensitivity_analysis};
use cityreport::load::load_project;
use cityreport::model::{District, Edition, UncertaintySettings};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// CPU time of this process (all threads), from /proc/self/stat on Linux: on a machine shared
/// with other work, wall time shows the contention and CPU time the work itself.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10)) // USER_HZ is 100 on Linux
}

/// Median wall time of `runs` calls, and the mean CPU time per call.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Option<Duration>) {
    let mut times = Vec::new();
    let cpu_before = cpu_time();
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f());
        times.push(t.elapsed());
    }
    let cpu = cpu_before.zip(cpu_time()).map(|(a, b)| (b - a) / runs as u32);
    (median(times), cpu)
}

fn report(label: &str, (wall, cpu): (Duration, Option<Duration>), base: Option<(Duration, Option<Duration>)>) {
    let cpu_text = cpu.map(|c| format!("cpu {:>7.1} ms", ms(c))).unwrap_or_default();
    let ratio = base
        .map(|(w, c)| {
            let cpu_ratio = cpu.zip(c).map(|(a, b)| format!(", cpu {:.2}", a.as_secs_f64() / b.as_secs_f64())).unwrap_or_default();
            format!("  ratio wall {:.2}{cpu_ratio}", wall.as_secs_f64() / w.as_secs_f64())
        })
        .unwrap_or_default();
    println!("  {label:<46} wall {:>7.1} ms  {cpu_text}{ratio}", ms(wall));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The edition with every district listed twice; the copies' values are scaled by a factor
/// near 1 that differs per copy and leaf, so the copies do not tie with the originals.
fn doubled(edition: &Edition) -> Edition {
    let mut e = edition.clone();
    let n = e.districts.districts.len();
    let copies: Vec<District> = e.districts.districts.iter().map(|d| District { id: format!("{}_copy", d.id), ..d.clone() }).collect();
    e.districts.districts.extend(copies);
    let mut keys: Vec<usize> = e.values.by_node.keys().copied().collect();
    keys.sort_unstable();
    for (k, node) in keys.into_iter().enumerate() {
        let values = e.values.by_node.get_mut(&node).unwrap();
        let extra: Vec<f64> = (0..n).map(|d| values[d] * (1.0 + 0.013 * (((d * 7 + k * 3) % 11) as f64 - 5.0) / 5.0)).collect();
        values.extend(extra);
    }
    e
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = load_project(root).unwrap();
    let edition = project.editions.iter().find(|e| e.uncertainty.is_some()).expect("an edition with [uncertainty]");
    let settings = edition.uncertainty.clone().unwrap();
    let results = compute_edition(edition).unwrap();
    let big = doubled(edition);
    let big_results = compute_edition(&big).unwrap();
    let twice = UncertaintySettings { runs: settings.runs * 2, sensitivity_samples: settings.sensitivity_samples * 2, ..settings.clone() };
    let reps = 7;

    let mc = time(reps, || rank_uncertainty(edition, &results, &settings).unwrap());
    let mc_runs = time(reps, || rank_uncertainty(edition, &results, &twice).unwrap());
    let mc_districts = time(reps, || rank_uncertainty(&big, &big_results, &settings).unwrap());
    let sa = time(reps, || sensitivity_analysis(edition, &results, &settings).unwrap());
    let sa_runs = time(reps, || sensitivity_analysis(edition, &results, &twice).unwrap());
    let sa_districts = time(reps, || sensitivity_analysis(&big, &big_results, &settings).unwrap());
    let inputs = sensitivity_analysis(edition, &results, &settings).unwrap().inputs.len();

    let (n, nodes) = (edition.districts.districts.len(), edition.tree.nodes.len());
    let load = std::fs::read_to_string("/proc/loadavg").ok().and_then(|l| l.split_whitespace().next().map(String::from));
    println!(
        "uncertainty, {}: {n} districts, {nodes} nodes, levels {:?}; median of {reps}, {} threads, load average {}",
        edition.year,
        settings.levels,
        rayon::current_num_threads(),
        load.as_deref().unwrap_or("?")
    );
    report(&format!("Monte Carlo, {} runs (budget 500 ms)", settings.runs), mc, None);
    report("  × 2 runs", mc_runs, Some(mc));
    report("  × 2 districts", mc_districts, Some(mc));
    report(&format!("sensitivity, N {} × ({inputs} + 2) (budget 1 s)", settings.sensitivity_samples), sa, None);
    report("  × 2 samples", sa_runs, Some(sa));
    report("  × 2 districts", sa_districts, Some(sa));
}
