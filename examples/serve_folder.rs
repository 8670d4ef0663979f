//! Try the preview server by hand before the real pipeline is wired in: serves the files of a
//! folder as the site, with live reload. A line starting `ERROR:` in any file fails the build at
//! that line, to see the error overlay.
//!
//!     cargo run --example serve_folder -- FOLDER [PORT]
//!
//! Pages need `<script src="/__cityreport/live.js" defer></script>` to reload.

use std::fs;
use std::path::PathBuf;

use cityreport::output::SiteFiles;
use cityreport::serve::{self, BuildFailure, Rebuild, ServeConfig};

struct Folder {
    root: PathBuf,
}

impl Rebuild for Folder {
    fn rebuild(&mut self, _changed: &[PathBuf]) -> Result<SiteFiles, BuildFailure> {
        let mut site = SiteFiles::new();
        for entry in walkdir::WalkDir::new(&self.root).into_iter().flatten() {
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&self.root) else { continue };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let bytes = fs::read(entry.path()).map_err(|e| BuildFailure::new(format!("{rel}: {e}")))?;
            let text = String::from_utf8_lossy(&bytes);
            if let Some((n, line)) = text.lines().enumerate().find(|(_, l)| l.starts_with("ERROR:")) {
                return Err(BuildFailure { file: Some(rel), line: Some(n + 1), message: line[6..].trim().into() });
            }
            site.insert(rel, bytes);
        }
        Ok(site)
    }
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let port = args.next().and_then(|p| p.parse().ok()).unwrap_or(ServeConfig::default().port);
    let config = ServeConfig { port, watch: vec![root.clone()], ..ServeConfig::default() };
    serve::run(config, Folder { root })
}
