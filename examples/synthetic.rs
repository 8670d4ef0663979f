//! Writes a synthetic cityreport project of any size, for benches and for looking at figures of
//! large assessments (issue 14). Nothing in it is real: districts are cells of a jittered grid,
//! values come from a seeded pseudo-random generator, and every name says "synthetic".
//!
//! ```text
//! cargo run --release --example synthetic -- --districts 300 --leaves 128 --out /tmp/syn300
//! cityreport build --root /tmp/syn300
//! ```
//!
//! Same arguments → byte-identical files. The indicator tree is overall → `--top` indices →
//! `--sub` sub-indices each → the leaves spread as evenly as they go over the sub-indices.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The file that marks a folder as written by this generator (it may then be written again).
const MARKER: &str = ".synthetic-project";

#[derive(Parser)]
#[command(about = "Writes a synthetic cityreport project (not real data) for benches")]
struct Args {
    /// Number of districts (cells of a jittered grid).
    #[arg(long, default_value_t = 300)]
    districts: usize,
    /// Number of leaf indicators.
    #[arg(long, default_value_t = 128)]
    leaves: usize,
    /// Indices under the overall index.
    #[arg(long, default_value_t = 4)]
    top: usize,
    /// Sub-indices under each of those.
    #[arg(long, default_value_t = 4)]
    sub: usize,
    /// Number of regions the districts are grouped into (bands of grid rows).
    #[arg(long, default_value_t = 6)]
    regions: usize,
    /// Year of the (first) edition.
    #[arg(long, default_value_t = 2021)]
    year: u16,
    /// Number of editions, in consecutive years from --year: the same districts, map and
    /// indicators, values drawn afresh for each (for benches of many editions).
    #[arg(long, default_value_t = 1)]
    editions: u16,
    /// Seed of the pseudo-random values and the grid's jitter.
    #[arg(long, default_value_t = 14)]
    seed: u64,
    /// Folder to write the project to: absent, empty, or written by this generator before.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.districts == 0 || args.leaves == 0 || args.top == 0 || args.sub == 0 || args.regions == 0 || args.editions == 0 {
        eprintln!("error: --districts, --leaves, --top, --sub, --regions and --editions must all be at least 1");
        return ExitCode::FAILURE;
    }
    if args.leaves < args.top * args.sub {
        eprintln!("error: --leaves ({}) must be at least --top × --sub ({})", args.leaves, args.top * args.sub);
        return ExitCode::FAILURE;
    }
    match write_project(&args) {
        Ok(()) => {
            eprintln!(
                "wrote a synthetic project ({} districts, {} leaves, {} edition{}) to {}",
                args.districts,
                args.leaves,
                args.editions,
                if args.editions == 1 { "" } else { "s" },
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn write_project(args: &Args) -> Result<(), String> {
    let out = &args.out;
    if out.exists() {
        let empty = std::fs::read_dir(out).map_err(|e| format!("{}: {e}", out.display()))?.next().is_none();
        if !empty && !out.join(MARKER).exists() {
            return Err(format!(
                "{} is neither empty nor a synthetic project written before; choose another --out",
                out.display()
            ));
        }
    }
    let last = u32::from(args.year) + u32::from(args.editions) - 1;
    let Ok(last) = u16::try_from(last) else { return Err(format!("--year + --editions goes past the year {}", u16::MAX)) };
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let grid = Grid::new(args.districts);
    let map = geojson(&grid, &mut rng);
    write(&out.join(MARKER), "written by `cargo run --example synthetic`; not real data\n")?;
    for year in args.year..=last {
        // The first edition's values continue the map's generator (as when there was only
        // one edition); each later edition has a generator of its own.
        let values = if year == args.year {
            values_csv(args, &mut rng)
        } else {
            values_csv(args, &mut ChaCha8Rng::seed_from_u64(args.seed.wrapping_add(u64::from(year - args.year))))
        };
        let data = out.join(format!("data/{year}"));
        let files = [
            (data.join("edition.toml"), edition_toml(year)),
            (data.join("indicators.toml"), indicators_toml(args)),
            (data.join("districts.toml"), districts_toml(args, &grid)),
            (data.join("districts.geojson"), map.clone()),
            (data.join("values.csv"), values),
            (out.join(format!("content/{year}/en/_index.md")), index_md_en(args)),
            (out.join(format!("content/{year}/zh/_index.md")), index_md_zh(args)),
        ];
        for (path, text) in files {
            write(&path, &text)?;
        }
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// District `k` (0-based) has id `d001`…, the same width for every district of the project.
fn district_id(k: usize, n: usize) -> String {
    let width = n.to_string().len().max(3);
    format!("d{:0width$}", k + 1)
}

fn number(k: usize, n: usize) -> String {
    let width = n.to_string().len().max(3);
    format!("{:0width$}", k + 1)
}

fn edition_toml(year: u16) -> String {
    format!(
        "# SYNTHETIC PROJECT made by `cargo run --example synthetic` — not real data.\n\
         year = {year}\n\
         status = \"published\"\n\
         precision = 2\n\n\
         [title]\n\
         zh = \"合成评估（{year}，非真实数据）\"\n\
         en = \"Synthetic assessment {year} (not real data)\"\n\n\
         [publisher]\n\
         zh = \"cityreport 合成数据生成器\"\n\
         en = \"cityreport synthetic data generator\"\n\n\
         [map]\n\
         file = \"districts.geojson\"\n\
         attribution = {{ zh = \"区界：合成网格，非真实边界\", en = \"Boundaries: a synthetic grid, not real borders\" }}\n"
    )
}

/// The leaves under sub-index `s` (0-based, of `subs`): `leaves` spread as evenly as they go.
fn leaves_of(s: usize, subs: usize, leaves: usize) -> std::ops::Range<usize> {
    let start = s * leaves / subs;
    let end = (s + 1) * leaves / subs;
    start..end
}

fn indicators_toml(args: &Args) -> String {
    let mut t = String::from(
        "# SYNTHETIC indicator system made by `cargo run --example synthetic` — not real data.\n\n\
         [[indicator]]\nid = \"overall\"\nname = { zh = \"合成总指数\", en = \"Synthetic Overall Index\" }\n",
    );
    let subs = args.top * args.sub;
    for i in 0..args.top {
        let _ = write!(
            t,
            "\n[[indicator]]\nid = \"i{n}\"\nparent = \"overall\"\nname = {{ zh = \"合成指数 {n}\", en = \"Synthetic Index {n}\" }}\nweight = \"1/{top}\"\n",
            n = i + 1,
            top = args.top
        );
        for j in 0..args.sub {
            let s = i * args.sub + j;
            let _ = write!(
                t,
                "\n[[indicator]]\nid = \"i{a}_{b}\"\nparent = \"i{a}\"\nname = {{ zh = \"合成分项 {a}.{b}\", en = \"Synthetic Sub-index {a}.{b}\" }}\nweight = \"1/{sub}\"\n",
                a = i + 1,
                b = j + 1,
                sub = args.sub
            );
            let range = leaves_of(s, subs, args.leaves);
            let count = range.len();
            for l in range {
                let _ = write!(
                    t,
                    "\n[[indicator]]\nid = \"x{n}\"\nparent = \"i{a}_{b}\"\nname = {{ zh = \"合成指标 {n}\", en = \"Synthetic Indicator {n}\" }}\nweight = \"1/{count}\"\n",
                    n = number(l, args.leaves),
                    a = i + 1,
                    b = j + 1
                );
            }
        }
    }
    t
}

/// A grid of `cols × rows` cells, filled row by row with the districts.
struct Grid {
    cols: usize,
    rows: usize,
    n: usize,
}

impl Grid {
    fn new(n: usize) -> Self {
        let cols = (n as f64).sqrt().ceil() as usize;
        let rows = n.div_ceil(cols);
        Grid { cols, rows, n }
    }
    fn cell(&self, k: usize) -> (usize, usize) {
        (k % self.cols, k / self.cols)
    }
}

fn districts_toml(args: &Args, grid: &Grid) -> String {
    let regions = args.regions.min(grid.rows);
    let mut t = String::from("# SYNTHETIC districts made by `cargo run --example synthetic` — not real places.\n");
    for r in 0..regions {
        let _ = write!(
            t,
            "\n[[region]]\nid = \"r{n}\"\nname = {{ zh = \"合成区域 {n}\", en = \"Synthetic Region {n}\" }}\n",
            n = r + 1
        );
    }
    for k in 0..grid.n {
        let (_, row) = grid.cell(k);
        let region = row * regions / grid.rows + 1;
        let num = number(k, grid.n);
        let _ = write!(
            t,
            "\n[[district]]\nid = \"{id}\"\nname = {{ zh = \"合成{num}\", en = \"Syn {num}\" }}\nfull_name = {{ zh = \"合成区{num}\", en = \"Synthetic District {num}\" }}\nregion = \"r{region}\"\nmap_feature = \"Synthetic {num}\"\n",
            id = district_id(k, grid.n),
        );
    }
    t
}

/// A uniform number in [0, 1).
fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// The districts as quadrilaterals on a grid whose vertices are jittered (shared between
/// neighbours, so the cells still tile without gaps or overlaps).
fn geojson(grid: &Grid, rng: &mut ChaCha8Rng) -> String {
    const CELL: f64 = 0.05;
    let (w, h) = (grid.cols + 1, grid.rows + 1);
    let mut vertex = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let inner = x > 0 && x < grid.cols && y > 0 && y < grid.rows;
            let (jx, jy) = if inner { ((unit(rng) - 0.5) * 0.5, (unit(rng) - 0.5) * 0.5) } else { (0.0, 0.0) };
            // Row 0 at the top (north), as districts are numbered from the top left.
            vertex.push((120.0 + (x as f64 + jx) * CELL, 31.0 - (y as f64 + jy) * CELL));
        }
    }
    let v = |x: usize, y: usize| vertex[y * w + x];
    let mut features = Vec::with_capacity(grid.n);
    for k in 0..grid.n {
        let (x, y) = grid.cell(k);
        // Counter-clockwise exterior ring, closed.
        let ring = [v(x, y + 1), v(x + 1, y + 1), v(x + 1, y), v(x, y), v(x, y + 1)];
        let coords: Vec<String> = ring.iter().map(|(lon, lat)| format!("[{lon:.5},{lat:.5}]")).collect();
        features.push(format!(
            "{{\"type\":\"Feature\",\"properties\":{{\"name\":\"Synthetic {}\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[{}]]}}}}",
            number(k, grid.n),
            coords.join(",")
        ));
    }
    format!("{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n", features.join(",\n"))
}

/// Index scores around 100: a district's general level, plus a leaf's own spread, plus noise.
fn values_csv(args: &Args, rng: &mut ChaCha8Rng) -> String {
    let level: Vec<f64> = (0..args.districts).map(|_| 70.0 + 60.0 * unit(rng)).collect();
    let mut t = String::from("district,indicator,value,note\n");
    for l in 0..args.leaves {
        let spread = 0.5 + unit(rng);
        let leaf = number(l, args.leaves);
        for (k, base) in level.iter().enumerate() {
            let v = 100.0 + (base - 100.0) * spread + (unit(rng) - 0.5) * 40.0;
            let _ = writeln!(t, "{},x{leaf},{:.2},synthetic", district_id(k, args.districts), v.max(1.0));
        }
    }
    t
}

fn index_md_en(args: &Args) -> String {
    format!(
        "+++\ndescription = \"A synthetic assessment of {d} made-up districts (not real data).\"\n+++\n\n\
         This edition is synthetic: {d} districts on a jittered grid and {l} indicators with \
         pseudo-random values, made to test cityreport at scale. The overall index of the whole \
         area is {{{{ value(indicator=\"overall\", entity=\"city\") }}}}.\n",
        d = args.districts,
        l = args.leaves
    )
}

fn index_md_zh(args: &Args) -> String {
    format!(
        "+++\ndescription = \"{d} 个虚构区的合成评估（非真实数据）。\"\n+++\n\n\
         本版为合成数据：{d} 个网格状的虚构区、{l} 项指标，数值由伪随机数生成，用于检验 cityreport \
         在大规模下的表现。全域总指数为 {{{{ value(indicator=\"overall\", entity=\"city\") }}}}。\n",
        d = args.districts,
        l = args.leaves
    )
}
