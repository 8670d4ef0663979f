//! Every user-facing string in both languages — pages, figures, downloads — from `strings.toml`
//! compiled into the binary: the one translation mechanism of the tool.
//!
//! Rule (decided, not inherited): there is no fallback. A string missing in either language, or
//! a key a template or the code asks for that the table does not have, stops the build — a page
//! silently showing Chinese in the English site is worse than a failed build. Templates read the
//! strings as `ui.<key>`, which Tera rejects when undefined.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::Lang;

/// A string missing or incomplete in the translation table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslationError {
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for TranslationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UI string `{}`: {}", self.key, self.message)
    }
}

impl std::error::Error for TranslationError {}

const BUILTIN: &str = include_str!("strings.toml");

#[derive(Debug, Deserialize)]
struct Entry {
    zh: Option<String>,
    en: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Strings {
    zh: BTreeMap<String, String>,
    en: BTreeMap<String, String>,
}

impl Strings {
    /// The strings built into the tool, parsed once per process (a build asks for them at
    /// several stages).
    pub fn builtin() -> Result<Strings, TranslationError> {
        static PARSED: std::sync::OnceLock<Result<Strings, TranslationError>> = std::sync::OnceLock::new();
        PARSED.get_or_init(|| Strings::parse(BUILTIN)).clone()
    }

    pub fn parse(text: &str) -> Result<Strings, TranslationError> {
        let table: BTreeMap<String, Entry> = toml::from_str(text).map_err(|e| TranslationError {
            key: String::new(),
            message: format!("strings.toml does not parse: {e}"),
        })?;
        let mut s = Strings { zh: BTreeMap::new(), en: BTreeMap::new() };
        for (key, entry) in table {
            for (lang, text) in [(Lang::Zh, entry.zh), (Lang::En, entry.en)] {
                match text {
                    Some(t) if !t.trim().is_empty() => {
                        s.map_mut(lang).insert(key.clone(), t);
                    }
                    _ => {
                        return Err(TranslationError {
                            key,
                            message: format!("no {} translation", lang.code()),
                        });
                    }
                }
            }
        }
        Ok(s)
    }

    fn map_mut(&mut self, lang: Lang) -> &mut BTreeMap<String, String> {
        match lang {
            Lang::Zh => &mut self.zh,
            Lang::En => &mut self.en,
        }
    }

    /// Every string of one language, for templates.
    pub fn all(&self, lang: Lang) -> &BTreeMap<String, String> {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    pub fn get(&self, lang: Lang, key: &str) -> Result<&str, TranslationError> {
        self.all(lang).get(key).map(String::as_str).ok_or_else(|| TranslationError {
            key: key.to_string(),
            message: "not in strings.toml".into(),
        })
    }

    /// A string with `{name}` placeholders filled in.
    pub fn fill(&self, lang: Lang, key: &str, args: &[(&str, &str)]) -> Result<String, TranslationError> {
        let mut s = self.get(lang, key)?.to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_is_complete() {
        let s = Strings::builtin().unwrap();
        assert_eq!(s.zh.keys().collect::<Vec<_>>(), s.en.keys().collect::<Vec<_>>());
        assert!(s.zh.len() > 50);
    }

    #[test]
    fn missing_language_is_an_error() {
        let err = Strings::parse("[home]\nzh = \"首页\"\n").unwrap_err();
        assert!(matches!(&err, TranslationError { key, message } if key == "home" && message.contains("en")));
        assert!(Strings::parse("[home]\nzh = \"首页\"\nen = \"  \"\n").is_err());
    }

    #[test]
    fn unknown_key_is_an_error() {
        let s = Strings::builtin().unwrap();
        assert!(s.get(Lang::En, "no_such_key").is_err());
    }
}
