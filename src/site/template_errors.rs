//! Where in a template a Tera error happened, for messages that show the line. Tera reports the
//! place of a syntax error (as ` --> line:column` inside its message) but not of a render error;
//! for those, the name Tera quotes (`nosuch.thing`, a filter or function) is looked up in the
//! template's text, which finds the place in every case where the name is written once.

use std::path::{Path, PathBuf};

/// The project template to blame for a Tera error about `template`, the place in it and a
/// one-line message. A render error may come from a template it extends or includes (Tera then
/// names only the page's template), so when the name Tera quotes is not in the named file, the
/// project's other templates are searched in name order.
pub fn locate_in_project(templates_dir: &Path, template: &str, message: &str) -> (PathBuf, Option<(usize, usize)>, String) {
    let named = templates_dir.join(template);
    let text = std::fs::read_to_string(&named).unwrap_or_default();
    let (place, short) = locate(&text, message);
    if place.is_some() && !text.is_empty() {
        return (named, place, short);
    }
    let others = walkdir::WalkDir::new(templates_dir).sort_by_file_name().into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file());
    for entry in others {
        let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
        if let (Some(place), _) = locate(&text, message) {
            return (entry.into_path(), Some(place), short);
        }
    }
    (named, None, short)
}

/// The place (1-based line and column) and a one-line message for a Tera error `message` about
/// a template whose text is `text`.
pub fn locate(text: &str, message: &str) -> (Option<(usize, usize)>, String) {
    if let Some(place) = syntax_error_place(message) {
        // Tera's own rendering of the place (" --> 3:11 | … ^--- = expected …") is replaced by
        // ours; keep its first words and what it expected.
        let head = message.split(" --> ").next().unwrap_or(message).trim_end_matches([' ', ':']);
        let expected = message.lines().filter_map(|l| l.trim().strip_prefix("= ")).collect::<Vec<_>>().join("; ");
        let short = if expected.is_empty() { head.to_string() } else { format!("{head}: {expected}") };
        return (Some(place), short);
    }
    let quoted = message.split('`').nth(1).filter(|q| !q.is_empty());
    let place = quoted.and_then(|q| find_name(text, q)).map(|offset| crate::diagnostic::line_column(text, offset));
    (place, message.to_string())
}

/// First occurrence of `name` in `text` as a whole name (`x` is not found in `extends`).
fn find_name(text: &str, name: &str) -> Option<usize> {
    let is_name_char = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    text.match_indices(name).map(|(i, _)| i).find(|&i| {
        !text[..i].chars().next_back().is_some_and(is_name_char) && !text[i + name.len()..].chars().next().is_some_and(is_name_char)
    })
}

/// `(line, column)` from Tera's " --> 3:11" in a syntax error.
fn syntax_error_place(message: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find(" --> ")? + 5..];
    let token: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == ':').collect();
    let (line, column) = token.split_once(':')?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::TemplateSource;

    fn error_of(template: &str) -> String {
        let mut s = TemplateSource::builtin();
        s.set_template("data.html", template);
        match s.compile() {
            Err(crate::site::SiteError::Template { message, .. }) => message,
            other => panic!("expected a template error, got {other:?}"),
        }
    }

    #[test]
    fn syntax_errors_take_teras_place_and_keep_what_it_expected() {
        let text = "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ x | }}</p>\n{% endblock %}\n";
        let (place, message) = locate(text, &error_of(text));
        assert_eq!(place, Some((3, 11)));
        assert!(message.starts_with("Failed to parse 'data.html': expected"), "{message}");
        assert!(!message.contains('\n'), "{message}");
    }

    #[test]
    fn an_error_in_an_extended_template_is_found_in_the_project() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("page.html"), "<h1>\n{{ page.headline }}</h1>\n").unwrap();
        let message = "Failed to render 'method.html' (error happened in a parent template): Variable `page.headline` not found";
        let (file, place, _) = locate_in_project(dir.path(), "method.html", message);
        assert_eq!((file, place), (dir.path().join("page.html"), Some((2, 4))));
        let (file, place, _) = locate_in_project(dir.path(), "data.html", "Variable `nowhere` not found");
        assert_eq!((file, place), (dir.path().join("data.html"), None));
    }

    #[test]
    fn render_errors_are_placed_at_the_name_they_quote() {
        let text = "a\n<p>{{ nosuch.thing }}</p>\n";
        let message = "Failed to render 'data.html': Variable `nosuch.thing` not found in context while rendering 'data.html'";
        assert_eq!(locate(text, message), (Some((2, 7)), message.to_string()));
        assert_eq!(locate("no such name here", message).0, None);
        let message = "Failed to render 'data.html': Variable `x` not found in context while rendering 'data.html'";
        assert_eq!(locate("{% extends \"b\" %}\n{{ x }}", message).0, Some((2, 4)));
    }
}
