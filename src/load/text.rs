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
