//! Media types of the files a report site contains, by extension.
//!
//! Text types name UTF-8 explicitly: the site is bilingual, and a browser guessing the charset
//! of a CSS or CSV file shows Chinese as mojibake.

/// The `Content-Type` for a site key.
pub(crate) fn for_key(key: &str) -> &'static str {
    let name = key.rsplit('/').next().unwrap_or(key);
    let ext = match name.rsplit_once('.') {
        Some((_, ext)) => ext.to_ascii_lowercase(),
        None => return "application/octet-stream",
    };
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "application/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "otf" => "font/otf",
        "ttf" => "font/ttf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "geojson" => "application/geo+json",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::for_key;

    #[test]
    fn types_of_a_report_site() {
        assert_eq!(for_key("2020/zh/index.html"), "text/html; charset=utf-8");
        assert_eq!(for_key("assets/site.css"), "text/css; charset=utf-8");
        assert_eq!(for_key("charts/a.SVG"), "image/svg+xml");
        assert_eq!(for_key("data/2020.csv"), "text/csv; charset=utf-8");
        assert_eq!(for_key("sitemap.xml"), "application/xml");
        assert_eq!(for_key("assets/NotoSansSC.woff2"), "font/woff2");
        assert_eq!(for_key("assets/live.js"), "application/javascript; charset=utf-8");
        // A dot in a folder name is not an extension.
        assert_eq!(for_key("v1.2/LICENSE"), "application/octet-stream");
    }
}
