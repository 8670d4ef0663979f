//! Reading analysts' text files: UTF-8 with or without a BOM, LF or CRLF; anything else is
//! reported with advice rather than mis-read.

use std::path::Path;

use crate::diagnostic::Diagnostic;

/// Reads a UTF-8 text file, dropping a leading BOM and turning CRLF line ends into LF (so byte
/// offsets and line numbers refer to what the analyst sees). A file in GBK/GB18030 — what Excel
/// on a Chinese Windows saves by default — gets an error that says so.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::new(path, format!("cannot read the file: {e}")).help("check that the file exists and is readable")
    })?;
    decode_text(path, &bytes)
}

/// Reads `path` as bytes, refusing a file that is, or lies behind, a symbolic link leading
/// outside `project` (the site republishes input files, so a link to /etc/passwd or a file of
/// another project would be published); a link within the project is fine.
pub fn read_inside(path: &Path, project: &Path) -> Result<Vec<u8>, Diagnostic> {
    if let (Ok(real), Ok(project)) = (path.canonicalize(), project.canonicalize())
        && !real.starts_with(&project)
    {
        return Err(Diagnostic::new(path, "this is a symbolic link to a place outside the project; it is not read")
            .help("copy the file into the project instead of linking to it"));
    }
    std::fs::read(path)
        .map_err(|e| Diagnostic::new(path, format!("cannot read the file: {e}")).help("check that the file exists and is readable"))
}

/// [`read_text`] through [`read_inside`].
pub fn read_text_inside(path: &Path, project: &Path) -> Result<String, Diagnostic> {
    decode_text(path, &read_inside(path, project)?)
}

/// See [`read_text`]; `path` is only used in messages.
pub fn decode_text(path: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(if text.contains('\r') { text.replace("\r\n", "\n") } else { text.to_string() }),
        Err(e) => {
            let offset = e.valid_up_to();
            let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            let (_, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            let d = Diagnostic::new(path, "").at_line(line);
            if !had_errors {
                Err(Diagnostic {
                    message: "the file is not UTF-8: it looks GBK/GB18030-encoded (as Excel saves CSV on Chinese Windows)".into(),
                    help: Some("save it as UTF-8 (in Excel: Save As → \"CSV UTF-8\"; in an editor: encoding UTF-8) and run again".into()),
                    ..d
                })
            } else {
                Err(Diagnostic {
                    message: format!("the file is not valid UTF-8 (invalid byte at offset {offset})"),
                    help: Some("save the file as UTF-8 text".into()),
                    ..d
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_link_leaving_the_project_is_refused_one_inside_is_read() {
        let tmp = tempfile::tempdir().unwrap();
        let project = tmp.path().join("proj");
        std::fs::create_dir_all(project.join("data")).unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
        std::fs::write(project.join("data/real.csv"), "a,b\n").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), project.join("data/values.csv")).unwrap();
        std::os::unix::fs::symlink(project.join("data/real.csv"), project.join("data/inside.csv")).unwrap();
        let err = read_text_inside(&project.join("data/values.csv"), &project).unwrap_err();
        assert!(err.message.contains("outside the project") && err.help.is_some(), "{err}");
        assert_eq!(read_text_inside(&project.join("data/inside.csv"), &project).unwrap(), "a,b\n");
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let text = decode_text(Path::new("x.csv"), b"\xEF\xBB\xBFa,b\r\n1,2\r\n").unwrap();
        assert_eq!(text, "a,b\n1,2\n");
    }

    #[test]
    fn names_gbk_files() {
        let (gbk, _, _) = encoding_rs::GBK.encode("district,indicator,value\n浦东,5g,1\n");
        let err = decode_text(Path::new("values.csv"), &gbk).unwrap_err();
        assert!(err.message.contains("GBK"), "{}", err.message);
        assert_eq!(err.line, Some(2));
        assert!(err.help.unwrap().contains("UTF-8"));
    }
}
