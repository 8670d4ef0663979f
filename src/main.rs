//! The `cityreport` command: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cityreport::build::{build_site, check_project, BuildOptions};
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
        /// enables sitemap.xml, canonical links and absolute link-preview images.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Create a minimal working project (one small edition in both languages) in DIR.
    Init {
        /// Folder to create the project in.
        dir: PathBuf,
    },
    /// Scaffold the next edition from the latest one: indicator system, districts, map and
    /// narrative skeletons copied, a values template with every district × indicator, status draft.
    New {
        /// Year of the new edition.
        year: u16,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, out, drafts, base_url } => {
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
            let files = match build_site(&root, &opts) {
                Ok(files) => files,
                Err(e) => {
                    eprintln!("{e}");
                    eprintln!("nothing was written; {} is unchanged", out.display());
                    return ExitCode::FAILURE;
                }
            };
            let waiting = |holder: &str| eprintln!("waiting for {holder} to finish writing {}", out.display());
            match target.write(&files, waiting) {
                Ok(written) => {
                    for dir in &written.stale_removed {
                        eprintln!("removed {}, left behind by an interrupted build", dir.display());
                    }
                    if let Some((dir, e)) = &written.old_left {
                        eprintln!("warning: the previous site, now at {}, could not be deleted: {e}; the next build tries again", dir.display());
                    }
                    eprintln!("wrote {} files to {}", files.len(), out.display());
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
        Command::New { year, root } => match cityreport::scaffold::new_edition(&root, year) {
            Ok(made) => {
                eprintln!("created edition {year} (draft) from {}: {} files", made.from_year, made.files.len());
                eprintln!("values.csv lists {} values to fill in; `cityreport check` shows what is still missing", made.empty_values);
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        Command::Check { root } => {
            match check_project(&root) {
                Ok(editions) => {
                    for ce in &editions {
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
                    if let Ok(project) = cityreport::load::load_project(&root) {
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
