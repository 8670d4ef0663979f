//! `sitemap.xml` with the language versions of every page (`xhtml:link rel="alternate"`), which
//! search engines use to send readers to their language.

use super::links;
use super::pages::SitemapEntry;
use super::templates::escape_html;

pub(crate) fn render(base: &str, pages: &[SitemapEntry]) -> String {
    let mut sorted: Vec<&SitemapEntry> = pages.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let url = |p: &str| escape_html(&links::absolute(base, p));
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for page in sorted {
        out.push_str(&format!("  <url>\n    <loc>{}</loc>\n", url(&page.path)));
        for (lang, path) in &page.alternates {
            out.push_str(&format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}\"/>\n",
                url(path)
            ));
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    out
}
