//! The `cityreport` command: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cityreport::build::{build_site, check_project, BuildOptions};

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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, out, drafts, base_url } => {
            let out = out.unwrap_or_else(|| root.join("site"));
            let opts = BuildOptions { drafts, base_url, ..BuildOptions::default() };
            match build_site(&root, &opts) {
                Ok(files) => match files.write_atomically(&out) {
                    Ok(()) => {
                        eprintln!("wrote {} files to {}", files.len(), out.display());
                        ExitCode::SUCCESS
                    }
                    Err(e) => {
                        eprintln!("error: cannot write {}: {e}", out.display());
                        ExitCode::FAILURE
                    }
                },
                Err(e) => {
                    eprintln!("{e}");
                    eprintln!("nothing was written; {} is unchanged", out.display());
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve { root, port, bind } => {
            let builder = cityreport::build::PreviewBuilder::new(root);
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
