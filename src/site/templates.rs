//! Tera templates and static assets: built-in defaults, overridable by a project.
//!
//! The built-ins are compiled into the binary so the tool works with no files around it. A
//! project may put its own `templates/<name>` (same name as a built-in, or a new one a built-in
//! includes) and `assets/<path>` next to `data/`; those replace the built-ins file by file.

use std::collections::BTreeMap;

use tera::Tera;

use super::SiteError;
use crate::model::{FileBytes, ThemeFiles};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/builtin_assets.rs"));
}

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

/// Every built-in template by name.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = builtin!(
    "base.html",
    "macros.html",
    // The header, menus and breadcrumbs every page shares.
    "chrome.html",
    "page.html",
    "root.html",
    "redirect.html",
    "404.html",
    "home.html",
    "method.html",
    "overall.html",
    "regional.html",
    "indicator.html",
    "districts.html",
    "district.html",
    "data.html",
    // Archived editions' and plans' pages (issue 17).
    "standalone.html",
    // The reader's tools (issue 16).
    "weights.html",
    "compare.html",
);

#[derive(Debug, Clone, Default)]
pub struct TemplateSource {
    templates: BTreeMap<String, String>,
    assets: BTreeMap<String, FileBytes>,
}

impl TemplateSource {
    /// The built-in templates and assets only.
    pub fn builtin() -> Self {
        TemplateSource {
            templates: BUILTIN_TEMPLATES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect(),
            assets: embedded::BUILTIN_ASSETS.iter().map(|(n, b)| (n.to_string(), FileBytes::from(*b))).collect(),
        }
    }

    /// The built-ins overridden by a project's own templates and assets (read by the loader).
    pub fn with_theme(theme: &ThemeFiles) -> Self {
        let mut s = Self::builtin();
        s.templates.extend(theme.templates.iter().map(|(n, t)| (n.clone(), t.clone())));
        s.assets.extend(theme.assets.iter().map(|(n, b)| (n.clone(), FileBytes::clone(b))));
        s
    }

    /// Replaces or adds one template (tests, previews of a theme).
    pub fn set_template(&mut self, name: &str, text: &str) {
        self.templates.insert(name.to_string(), text.to_string());
    }

    /// Static files in path order, to be written under `assets/`.
    pub fn assets(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.assets.iter().map(|(k, v)| (k.as_str(), &v[..]))
    }

    /// The font files among the assets (`fonts/*.otf`, `.ttf`, `.otc`, `.ttc`), the shipped
    /// CityReport Sans first, then a project's own: the print edition is set in them.
    pub(crate) fn font_files(&self) -> Vec<&[u8]> {
        let is_font = |p: &str| p.starts_with("fonts/") && [".otf", ".ttf", ".otc", ".ttc"].iter().any(|e| p.to_ascii_lowercase().ends_with(e));
        let mut fonts: Vec<(&str, &[u8])> = self.assets().filter(|(p, _)| is_font(p)).collect();
        fonts.sort_by_key(|(p, _)| (!p.starts_with("fonts/CityReportSans"), *p));
        fonts.into_iter().map(|(_, b)| b).collect()
    }

    pub(crate) fn compile(&self) -> Result<Tera, SiteError> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default also escapes `/`, which makes every link in the source unreadable; the
        // five characters below are all HTML needs in text and quoted attributes.
        tera.set_escape_fn(escape_html);
        tera.add_raw_templates(self.templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_error(&culprit(&e).unwrap_or_default(), None, &e))?;
        Ok(tera)
    }
}

/// The one escaping function of the project (see [`crate::format::escape`]), under the name
/// Tera and the page code know it by.
pub fn escape_html(input: &str) -> String {
    crate::format::escape(input)
}

/// Tera puts the template's name in the first message of the chain when parsing fails.
fn culprit(e: &tera::Error) -> Option<String> {
    let msg = e.to_string();
    let start = msg.find('\'')? + 1;
    let end = start + msg[start..].find('\'')?;
    Some(msg[start..end].to_string())
}

/// A Tera error with its whole cause chain, which is where Tera says what actually went wrong.
pub(crate) fn template_error(template: &str, page: Option<&str>, e: &tera::Error) -> SiteError {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    SiteError::Template { template: template.to_string(), page: page.map(str::to_string), message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_templates_compile() {
        TemplateSource::builtin().compile().unwrap();
    }

    #[test]
    fn project_files_override_builtins_by_name() {
        let mut theme = ThemeFiles::default();
        theme.templates.insert("404.html".into(), "custom".into());
        theme.assets.insert("site.css".into(), FileBytes::from(&b"body{}"[..]));
        let s = TemplateSource::with_theme(&theme);
        assert_eq!(s.templates["404.html"], "custom");
        assert_eq!(&*s.assets["site.css"], b"body{}");
        assert!(s.templates["base.html"].contains("<html"));
    }

    #[test]
    fn a_broken_template_is_named() {
        let mut s = TemplateSource::builtin();
        s.set_template("data.html", "{% if %}");
        let err = s.compile().unwrap_err();
        assert!(matches!(&err, SiteError::Template { template, .. } if template == "data.html"), "{err}");
    }

    /// Every `ui.<key>` a built-in template uses is in the table, so no page can fail at render
    /// time for a missing translation.
    #[test]
    fn templates_use_only_known_keys() {
        let s = crate::i18n::Strings::builtin().unwrap();
        for (name, text) in BUILTIN_TEMPLATES {
            let mut rest = *text;
            while let Some(pos) = rest.find("ui.") {
                let after = &rest[pos + 3..];
                let key: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                assert!(s.get(crate::model::Lang::Zh, &key).is_ok(), "template {name} uses unknown UI string `{key}`");
                rest = after;
            }
        }
    }
}
