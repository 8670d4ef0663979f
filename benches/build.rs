//! Benchmark of a full demo build (both languages, every page, every figure, downloads) into
//! memory, stage by stage. Run with `cargo bench --bench build`; prints medians of several runs
//! and the ratio to the one-second budget of issues #3/#4.

use std::path::Path;
use std::time::{Duration, Instant};

use cityreport::build::{build_site, render_pages, BuildOptions};
use cityreport::compute::compute_project;
use cityreport::chart::{PngCache, Rasteriser, FONT_BOLD, FONT_REGULAR};
use rayon::prelude::*;
use cityreport::figures::{FigureCache, Figures};
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

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let runs = 7;
    let opts = BuildOptions::default();
    let (load, project) = time(runs, || load_project(root).unwrap());
    let (compute, editions) = time(runs, || compute_project(&project, opts.drafts).unwrap());
    // Figures: cold = fresh caches each run (every SVG drawn, every PNG rasterised); warm = one
    // cache, as in the preview after an edit that changed no figure.
    let (figures_cold, _) = time(3, || Figures::render(&editions, &project.history, &FigureCache::new(PngCache::new(None))).unwrap());
    let warm = FigureCache::new(PngCache::new(None));
    let (figures_warm, figures) = time(runs, || Figures::render(&editions, &project.history, &warm).unwrap());
    // The floor under "figures, cold": the same number of PNGs of the same sizes, but blank —
    // only the canvas fill, RGB conversion and deflate that every 2× PNG costs, nothing drawn.
    let blanks: Vec<String> = figures.by_edition.iter().flat_map(|e| e.values()).map(|f| {
        let root = &f.svg[..f.svg.find('>').unwrap()];
        let attr = |name: &str| root.split(&format!(" {name}=\"")).nth(1).unwrap().split('"').next().unwrap().to_string();
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\"/>", attr("width"), attr("height"))
    }).collect();
    let rasteriser = Rasteriser::new(&[FONT_REGULAR, FONT_BOLD]);
    let (blank_pngs, _) = time(3, || blanks.par_iter().map(|s| rasteriser.png(s, 2.0).unwrap().len()).sum::<usize>());
    let (pages, files) = time(runs, || render_pages(&project, &editions, &figures, &opts).unwrap());
    let (full, _) = time(runs, || build_site(root, &opts).unwrap());
    // The search index alone (already part of "pages + downloads"): made from the rendered pages.
    let strings = cityreport::i18n::Strings::builtin().unwrap();
    let searched: Vec<_> = editions.iter().map(|ce| (&ce.edition, &ce.results)).collect();
    let (search, index) = time(runs, || cityreport::search::search_index(&files, &searched, &strings).unwrap());
    let kb = |path: &str| index.get(path).map_or(0, <[u8]>::len) as f64 / 1e3;
    let html = files.files.keys().filter(|k| k.ends_with(".html")).count();
    let png = files.files.keys().filter(|k| k.ends_with(".png")).count();
    println!("demo build, median of {runs} runs (figures cold: 3), {} threads:", rayon::current_num_threads());
    println!("  load + validate            {:>8.1} ms", ms(load));
    println!("  compute                    {:>8.1} ms", ms(compute));
    println!("  figures, cold (SVG + PNG)  {:>8.1} ms  ({png} figures)", ms(figures_cold));
    println!("  blank canvases, same sizes {:>8.1} ms  (floor: fill, convert, deflate only)", ms(blank_pngs));
    println!("  figures, warm cache        {:>8.1} ms", ms(figures_warm));
    println!("  pages + downloads          {:>8.1} ms  ({html} pages)", ms(pages));
    println!("  search index (in pages)    {:>8.1} ms  (zh {:.0} KB, en {:.0} KB)", ms(search), kb("search/index-zh.js"), kb("search/index-en.js"));
    println!("  full build, warm disk cache{:>8.1} ms  ({} files)", ms(full), files.len());
    println!("ratio to the 1 s budget: full warm {:.2}, pages {:.2}, figures cold {:.2}", full.as_secs_f64(), pages.as_secs_f64(), figures_cold.as_secs_f64());
}
