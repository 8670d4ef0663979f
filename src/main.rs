//! The `cityreport` command: a thin layer over the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cityreport::build::{check_project, BuildOptions};
use cityreport::output::OutputTarget;

#[derive(Parser)]
#[command(name = "cityreport", version, about = "Builds a bilingual report site for an annual composite-index assessment")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the data and narrative, compute every index, and write the site.
    ///
    /// Nothing is written unless the whole build succeeds; the previous site stays as it was.
    /// The output folder must be absent, empty, or a site cityreport built before (it holds a
    /// .cityreport-site file); anything else is refused, as are the project and its input folders.
    /// While another build writes the same output, waits up to 30 seconds (or the number of
    /// seconds in the environment variable CITYREPORT_LOCK_WAIT).
    Build {
        /// Project folder (the one holding data/ and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: ROOT/site].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Include editions and pages marked draft.
        #[arg(long)]
        drafts: bool,
        /// Absolute address the site will be published at (e.g. https://example.org/reports/smart-city/);
        /// enables sitemap.xml, canonical links and absolute link-preview images. Must be an
        /// http(s) address without a query or fragment.
        #[arg(long, value_parser = cityreport::build::check_base_url)]
        base_url: Option<String>,
        /// No progress bar and no summary; only warnings and errors. (The bar is shown only on a
        /// terminal, and only once a build has taken a second.)
        #[arg(long, short)]
        quiet: bool,
    },
    /// Create a minimal working project (one small edition in both languages) in DIR.
    Init {
        /// Folder to create the project in.
        dir: PathBuf,
    },
    /// Scaffold the next edition from the latest one: indicator system, districts, map and
    /// narrative skeletons copied, a values template with every district × indicator, status draft.
    ///
    /// The values template is values.xlsx when the latest edition gave its values as a workbook,
    /// else values.csv; --xlsx or --csv chooses.
    New {
        /// Year of the new edition.
        year: u16,
        /// Write the values template as an Excel workbook (values.xlsx): names and units beside
        /// the ids, the value cells shaded, the header row frozen.
        #[arg(long, conflicts_with = "csv")]
        xlsx: bool,
        /// Write the values template as values.csv.
        #[arg(long)]
        csv: bool,
        /// Project folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Preview the site with drafts, rebuilding and reloading open pages whenever a file changes.
    ///
    /// Builds into memory (site/ is never touched) and serves only on this machine unless --bind
    /// says otherwise.
    Serve {
        /// Project folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (0 = any free port).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Address to listen on; 0.0.0.0 makes the preview visible to other machines.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
    },
    /// Freeze an edition: mark it published and keep its pages, charts and downloads byte for
    /// byte in archive/<year>/ with a SHA-256 manifest. Later builds copy them unchanged.
    Publish {
        /// Year of the edition.
        year: u16,
        /// Project folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Replace an edition that is already frozen; the previous version stays reachable as
        /// <year>-r<N>.
        #[arg(long)]
        force: bool,
    },
    /// Check every frozen edition (archive/ and the built site/) against its manifest, naming
    /// each changed, missing or extra file.
    Verify {
        /// Project folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Built site to check as well [default: ROOT/site].
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check the data and narrative without writing anything.
    Check {
        /// Project folder (the one holding data/ and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// How long `build` waits for another build of the same output: CITYREPORT_LOCK_WAIT seconds, or
/// the library's default.
fn lock_wait() -> std::time::Duration {
    std::env::var("CITYREPORT_LOCK_WAIT")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(cityreport::output::DEFAULT_LOCK_WAIT, std::time::Duration::from_secs_f64)
}

/// The terminal progress bar of `build`: hidden for the first second (a quick build shows
/// nothing), then a line with the stage, a bar of steps where the stage counts them, and the
/// elapsed time. With the environment variable CITYREPORT_TIMINGS set, each stage's duration is
/// printed when it ends (for profiling; with or without a bar).
struct Bar {
    bar: indicatif::ProgressBar,
    start: std::time::Instant,
    shown: std::sync::atomic::AtomicBool,
    visible: bool,
    /// The current stage and when it began, when timings are printed.
    timing: Option<std::sync::Mutex<Option<(String, std::time::Instant)>>>,
}

impl Bar {
    fn new(visible: bool, timings: bool) -> Self {
        let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden());
        let timing = timings.then(|| std::sync::Mutex::new(None));
        Bar { bar, start: std::time::Instant::now(), shown: false.into(), visible, timing }
    }

    /// Prints how long the current stage took, and starts timing `next`.
    fn time_stage(&self, next: Option<&str>) {
        let Some(timing) = &self.timing else { return };
        let mut current = timing.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((name, began)) = current.take() {
            self.bar.suspend(|| eprintln!("{name:>9}: {:.2} s", began.elapsed().as_secs_f64()));
        }
        *current = next.map(|n| (n.to_string(), std::time::Instant::now()));
    }

    fn show_after_a_second(&self) {
        use std::sync::atomic::Ordering;
        if self.visible && !self.shown.load(Ordering::Relaxed) && self.start.elapsed() >= std::time::Duration::from_secs(1) && !self.shown.swap(true, Ordering::Relaxed) {
            self.bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(std::time::Duration::from_millis(200));
        }
    }
}

impl cityreport::progress::Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        self.time_stage(Some(name));
        let template = if total > 0 {
            "{spinner} {prefix:>9} [{bar:30}] {pos}/{len}  {elapsed}"
        } else {
            "{spinner} {prefix:>9}  {elapsed}"
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            self.bar.set_style(style.progress_chars("=> "));
        }
        self.bar.set_prefix(name.to_string());
        self.bar.set_length(total);
        self.bar.set_position(0);
        self.show_after_a_second();
    }

    fn advance(&self, n: u64) {
        self.bar.inc(n);
        self.show_after_a_second();
    }
}

/// Clears the progress bar when the build's messages are about to be printed.
struct ClearOnDrop(Option<std::sync::Arc<Bar>>);

impl Drop for ClearOnDrop {
    fn drop(&mut self) {
        if let Some(b) = &self.0 {
            b.time_stage(None);
            b.bar.finish_and_clear();
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, out, drafts, base_url, quiet } => {
            let visible = !quiet && std::io::stderr().is_terminal();
            let timings = std::env::var_os("CITYREPORT_TIMINGS").is_some();
            let bar = (visible || timings).then(|| std::sync::Arc::new(Bar::new(visible, timings)));
            cityreport::progress::listen(bar.clone().map(|b| b as std::sync::Arc<dyn cityreport::progress::Progress>));
            // Whatever happens next, the bar is cleared before any message is printed.
            let _clear = ClearOnDrop(bar.clone());
            let clear = || if let Some(b) = &bar { b.time_stage(None); b.bar.finish_and_clear() };
            let out = out.unwrap_or_else(|| root.join("site"));
            // Checked before rendering so a wrong --out fails at once; `write` checks again under
            // the output's lock just before writing.
            let target = match OutputTarget::new(&root, &out) {
                Ok(t) => t.with_lock_wait(lock_wait()),
                Err(e) => {
                    eprintln!("{e}");
                    eprintln!("nothing was written");
                    return ExitCode::FAILURE;
                }
            };
            let opts = BuildOptions { drafts, base_url, ..BuildOptions::default() };
            let waiting = |holder: &str| {
                if let Some(b) = &bar {
                    b.bar.suspend(|| eprintln!("waiting for {holder} to finish writing {}", out.display()));
                } else {
                    eprintln!("waiting for {holder} to finish writing {}", out.display());
                }
            };
            // Files stream into a staging folder as they are made; it replaces the site only
            // when the whole build succeeded.
            let built = cityreport::build::build_to(&root, &opts, &target, waiting);
            clear();
            match built {
                Ok(built) => {
                    let written = &built.written;
                    for dir in &written.stale_removed {
                        eprintln!("removed {}, left behind by an interrupted build", dir.display());
                    }
                    if let Some((dir, e)) = &written.old_left {
                        eprintln!("warning: the previous site, now at {}, could not be deleted: {e}; the next build tries again", dir.display());
                    }
                    if !quiet && built.unchanged {
                        eprintln!("{} is up to date: no input changed since the build that wrote its {} files", out.display(), built.files);
                    } else if !quiet {
                        eprintln!("wrote {} files to {}", built.files, out.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    eprintln!("nothing was written; {} is unchanged", out.display());
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve { root, port, bind } => {
            let builder = cityreport::serve::PreviewBuilder::new(root);
            let config = cityreport::serve::ServeConfig { bind, port, watch: builder.watched_folders(), ..Default::default() };
            match cityreport::serve::run(config, builder) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot serve: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Publish { year, root, force } => match cityreport::archive::publish(&root, year, force) {
            Ok(n) => {
                eprintln!("froze edition {year}: {n} files in {}", root.join("archive").join(year.to_string()).display());
                eprintln!("commit archive/{year}/ to keep it; `cityreport build` now copies it unchanged");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        Command::Verify { root, out } => {
            let out = out.unwrap_or_else(|| root.join("site"));
            let (editions, problems) = cityreport::archive::verify(&root, Some(&out));
            for p in &problems {
                println!("{p}");
            }
            if problems.is_empty() {
                eprintln!("verified {editions} frozen edition(s): every file matches its manifest");
                ExitCode::SUCCESS
            } else {
                eprintln!("error: {} file(s) differ from the manifests of the frozen editions", problems.len());
                ExitCode::FAILURE
            }
        }
        Command::Init { dir } => match cityreport::scaffold::init_project(&dir) {
            Ok(files) => {
                eprintln!("created a project with {} files in {}", files.len(), dir.display());
                eprintln!("next: cityreport build --root {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        Command::New { year, root, xlsx, csv } => {
            use cityreport::scaffold::ValuesTemplate;
            let template = match (xlsx, csv) {
                (true, _) => ValuesTemplate::Xlsx,
                (_, true) => ValuesTemplate::Csv,
                _ => ValuesTemplate::FollowPrevious,
            };
            match cityreport::scaffold::new_edition_with(&root, year, template) {
                Ok(made) => {
                    eprintln!("created edition {year} (draft) from {}: {} files", made.from_year, made.files.len());
                    eprintln!("{} lists {} values to fill in; `cityreport check` shows what is still missing", made.values_file, made.empty_values);
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check { root } => {
            match check_project(&root) {
                Ok(checked) => {
                    for ce in &checked.editions {
                        let e = &ce.edition;
                        eprintln!(
                            "{}: ok — {} indicators, {} districts, {} values, {} narrative pages",
                            e.year,
                            e.tree.nodes.len(),
                            e.districts.districts.len(),
                            e.values.by_node.values().map(|v| v.len()).sum::<usize>(),
                            e.content.len()
                        );
                    }
                    // Plans whose targets still lack outcomes (issue 17): listed, not an error.
                    {
                        let project = &checked.project;
                        for (plan, missing) in cityreport::compute::plans::targets_without_actuals(&project.plans) {
                            let total = project.plans.iter().find(|p| p.id == plan).map_or(0, |p| p.targets.len());
                            eprintln!(
                                "plan {plan}: {} of {total} targets have no outcome yet in data/plans/{plan}/actuals.csv: {}",
                                missing.len(),
                                missing.join(", ")
                            );
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
