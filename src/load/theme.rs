//! A project's own `templates/` and `assets/`, which replace the built-in ones file by file.
//! Read here with every other input, so the render stage never touches the disk.

use std::fs;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{FileBytes, ThemeFiles};

pub fn read_theme(root: &Path) -> Result<ThemeFiles, Diagnostics> {
    let mut theme = ThemeFiles::default();
    for (name, path, bytes) in read_tree(&root.join("templates"))? {
        let text = String::from_utf8(bytes).map_err(|_| {
            Diagnostic::new(&path, "the template is not UTF-8 text").help("save the template as UTF-8")
        })?;
        theme.templates.insert(name, text);
    }
    for (name, _, bytes) in read_tree(&root.join("assets"))? {
        theme.assets.insert(name, FileBytes::from(bytes));
    }
    Ok(theme)
}

/// Files below `dir` as (path relative to `dir` with `/`, full path, bytes), in name order;
/// hidden files and folders (editor swap files, .DS_Store) are left out.
fn read_tree(dir: &Path) -> Result<Vec<(String, std::path::PathBuf, Vec<u8>)>, Diagnostic> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Diagnostic::new(dir, format!("cannot read the folder: {e}")))?;
        if entry.file_type().is_file() {
            let Ok(rel) = entry.path().strip_prefix(dir) else { continue };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel.split('/').any(|p| p.starts_with('.')) {
                continue;
            }
            let bytes = fs::read(entry.path())
                .map_err(|e| Diagnostic::new(entry.path(), format!("cannot read the file: {e}")).help("check that it is readable"))?;
            out.push((rel, entry.path().to_path_buf(), bytes));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_templates_and_assets_but_not_hidden_files() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir_all(tmp.path().join("templates")).unwrap();
        fs::create_dir_all(tmp.path().join("assets/img")).unwrap();
        fs::write(tmp.path().join("templates/404.html"), "custom").unwrap();
        fs::write(tmp.path().join("templates/.404.html.swp"), "x").unwrap();
        fs::write(tmp.path().join("assets/img/logo.svg"), "<svg/>").unwrap();
        let theme = read_theme(tmp.path()).unwrap();
        assert_eq!(theme.templates.keys().collect::<Vec<_>>(), ["404.html"]);
        assert_eq!(&*theme.assets["img/logo.svg"], b"<svg/>");
    }

    #[test]
    fn a_template_that_is_not_utf8_is_named() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir_all(tmp.path().join("templates")).unwrap();
        fs::write(tmp.path().join("templates/page.html"), [0xff, 0xfe, 0x00]).unwrap();
        let d = read_theme(tmp.path()).unwrap_err();
        assert!(d.0[0].file.ends_with("templates/page.html"));
    }
}
