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
        Command::Build { root, out, drafts } => {
            let out = out.unwrap_or_else(|| root.join("site"));
            let opts = BuildOptions { drafts, preview: false };
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
        Command::Check { root } => match check_project(&root) {
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
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
    }
}
