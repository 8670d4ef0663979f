//! Sites built once per test process and shared by every test that only reads them. A full
//! build of the demo takes many seconds, and a dozen tests read the same built demo; before the
//! tests were one binary, each built its own. A test that edits a project or its site makes its
//! own copy instead (`common::copy_demo`).
//!
//! Each shared project lives in a fixed folder of the test binary's scratch space under
//! `target/tmp/shared/`, emptied before it is built so that nothing of an earlier run counts. Not
//! a temp dir: a static is never dropped, so a temp dir held by one would never be removed.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, OnceLock};

use cityreport::output::SiteFiles;

/// A project built by the CLI into a folder of its own (`--out`), apart from the project's `site/`.
pub struct Built {
    /// The project's inputs. Read them; never edit them.
    pub project: PathBuf,
    /// The built site. Read it; never edit it.
    pub out: PathBuf,
    /// What the build printed to stderr.
    pub stderr: String,
    files: OnceLock<SiteFiles>,
}

impl Built {
    /// Every file of the built site keyed by its `/`-separated path, read from disk once.
    pub fn files(&self) -> &SiteFiles {
        self.files.get_or_init(|| super::site::load_site_dir(&self.out))
    }
}

/// Makes `target/tmp/shared/<name>`, links it to the shared figure cache, fills it with `fill`
/// and builds it with `cityreport build <options> --root … --out …/site-out`. A failed build
/// fails the test that asked first (and the next one to ask tries again: nothing was stored).
fn build_once(name: &str, options: &[&str], fill: impl FnOnce(&Path)) -> Built {
    let project = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("shared").join(name);
    if project.exists() {
        fs::remove_dir_all(&project).unwrap();
    }
    fs::create_dir_all(&project).unwrap();
    super::link_shared_png_cache(&project);
    fill(&project);
    let out = project.join("site-out");
    let mut args = vec!["build"];
    args.extend(options);
    args.extend(["--root", project.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    let output = super::cityreport(&args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "cityreport build of the shared {name} failed:\n{}{stderr}", String::from_utf8_lossy(&output.stdout));
    Built { project, out, stderr, files: OnceLock::new() }
}

/// The demo, built by the CLI.
pub fn demo() -> &'static Built {
    static DEMO: OnceLock<Built> = OnceLock::new();
    DEMO.get_or_init(|| build_once("demo", &[], super::copy_demo_inputs))
}

/// The bundled fictional project, `examples/example-city` (its data and content), built by the
/// CLI with `--quiet`.
pub fn example() -> &'static Built {
    static EXAMPLE: OnceLock<Built> = OnceLock::new();
    EXAMPLE.get_or_init(|| {
        build_once("example-city", &["--quiet"], |project| {
            for dir in ["data", "content"] {
                super::copy_dir(&super::demo_root().join("examples/example-city").join(dir), &project.join(dir));
            }
        })
    })
}

/// The demo with the clearly synthetic 2021 edition of tests/fixtures/synthetic-2021 added,
/// built by the CLI.
pub fn demo_with_synthetic_2021() -> &'static Built {
    static TWO_EDITIONS: OnceLock<Built> = OnceLock::new();
    TWO_EDITIONS.get_or_init(|| {
        build_once("demo-with-synthetic-2021", &[], |project| {
            super::copy_demo_inputs(project);
            super::copy_dir(&super::demo_root().join("tests/fixtures/synthetic-2021"), project);
        })
    })
}

/// The demo built in memory by the library (`build::build_site`), from a scratch copy that uses
/// the shared figure cache.
pub fn demo_site() -> &'static SiteFiles {
    static SITE: LazyLock<SiteFiles> = LazyLock::new(|| {
        let tmp = super::copy_demo();
        cityreport::build::build_site(tmp.path(), &cityreport::build::BuildOptions::default()).unwrap()
    });
    &SITE
}
