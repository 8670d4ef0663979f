//! A built site folder served over HTTP on 127.0.0.1 by the preview server's HTTP layer, as a
//! plain static server: the files are handed back unchanged on every "rebuild", nothing is
//! watched and no live-reload script is added (the files are not a preview build).

use std::path::{Path, PathBuf};
use std::time::Duration;

use cityreport::output::SiteFiles;
use cityreport::serve::{self, BuildFailure, Rebuild, ServeConfig, ServerHandle};

struct Fixed(SiteFiles);

impl Rebuild for Fixed {
    fn rebuild(&mut self, _changed: &[PathBuf]) -> Result<SiteFiles, BuildFailure> {
        Ok(self.0.clone())
    }
}

/// Serves every file under `dir` at the server's root; the handle's `addr()` says where.
pub fn serve_dir(dir: &Path) -> ServerHandle {
    let mut files = SiteFiles::new();
    for (path, bytes) in super::snapshot(dir) {
        files.insert(path.to_string_lossy().replace('\\', "/"), bytes);
    }
    let config = ServeConfig { port: 0, watch: Vec::new(), debounce: Duration::from_millis(50), ..ServeConfig::default() };
    serve::start(config, Fixed(files)).unwrap()
}
