//! Shortcodes in narrative text: `{{ name(arg="text", arg=3) }}` → a figure from the data.
//!
//! A small hand-written parser (no template engine, no evaluation of arbitrary code): the syntax
//! is one call with named literal arguments. Every error carries the file, line and column, and
//! unknown names come with a "did you mean". Output is Markdown-escaped text, so a district called
//! `*x*` or `<b>` is shown as written.

use std::path::Path;

use super::{PreviousValues, SiteError, markdown};
use crate::format;
use crate::model::{ContentPage, Edition, IndexResults, IndicatorKind, Lang};

/// What shortcodes may look up.
pub struct Scope<'a> {
    pub edition: &'a Edition,
    pub results: &'a IndexResults,
    pub lang: Lang,
    pub previous: Option<&'a PreviousValues>,
    /// The city's name in this language ("全市" / "the city").
    pub city_name: &'a str,
}

#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Str(String),
    Num(f64),
}

#[derive(Debug)]
struct Call {
    name: String,
    name_at: usize,
    /// (name, value, byte offset of the argument)
    args: Vec<(String, Arg, usize)>,
}

/// A problem at a byte offset of the body.
struct Problem {
    at: usize,
    message: String,
}

fn problem(at: usize, message: impl Into<String>) -> Problem {
    Problem { at, message: message.into() }
}

/// Replaces every shortcode in the page's body; the result is Markdown.
pub fn expand(page: &ContentPage, scope: &Scope) -> Result<String, SiteError> {
    expand_text(&page.body, scope).map_err(|p| located(&page.file, page.body_line, &page.body, p))
}

fn located(file: &Path, body_line: usize, body: &str, p: Problem) -> SiteError {
    let before = &body[..p.at.min(body.len())];
    let line = body_line + before.matches('\n').count();
    let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    SiteError::Content { file: file.to_path_buf(), line, column, message: p.message }
}

fn expand_text(body: &str, scope: &Scope) -> Result<String, Problem> {
    let mut out = String::with_capacity(body.len());
    let mut pos = 0;
    while let Some(found) = body[pos..].find("{{") {
        let start = pos + found;
        // `\{{` is a literal `{{`: the backslash stays for Markdown, whose own escape then
        // prints the brace (an even run of backslashes is escaped backslashes, not an escape).
        let backslashes = body[..start].bytes().rev().take_while(|&b| b == b'\\').count();
        if backslashes % 2 == 1 {
            out.push_str(&body[pos..start + 2]);
            pos = start + 2;
            continue;
        }
        out.push_str(&body[pos..start]);
        let (call, end) = Parser { src: body, pos: start + 2 }.call()?;
        out.push_str(&markdown::escape_text(&evaluate(&call, scope)?));
        pos = end;
    }
    out.push_str(&body[pos..]);
    Ok(out)
}

struct Parser<'s> {
    src: &'s str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start_matches([' ', '\t', '\n', '\r']);
        self.pos = self.src.len() - trimmed.len();
    }

    fn expect(&mut self, token: &str, what: &str) -> Result<(), Problem> {
        self.skip_ws();
        if self.rest().starts_with(token) {
            self.pos += token.len();
            Ok(())
        } else {
            Err(problem(self.pos, format!("expected {what} in shortcode, found {}", self.found())))
        }
    }

    fn found(&self) -> String {
        match self.rest().chars().next() {
            None => "the end of the file".into(),
            Some(c) => format!("`{c}`"),
        }
    }

    fn ident(&mut self, what: &str) -> Result<(String, usize), Problem> {
        self.skip_ws();
        let at = self.pos;
        let len = self.rest().find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(self.rest().len());
        if len == 0 {
            return Err(problem(at, format!("expected {what} in shortcode, found {}", self.found())));
        }
        self.pos += len;
        Ok((self.src[at..at + len].to_string(), at))
    }

    /// Parses `name(args) }}` after the opening braces; returns the call and the end offset.
    fn call(mut self) -> Result<(Call, usize), Problem> {
        let (name, name_at) = self.ident("a shortcode name")?;
        self.expect("(", "`(`")?;
        let mut args = Vec::new();
        self.skip_ws();
        if !self.rest().starts_with(')') {
            loop {
                let (arg, at) = self.ident("an argument name")?;
                if args.iter().any(|(a, _, _)| *a == arg) {
                    return Err(problem(at, format!("argument `{arg}` given twice")));
                }
                self.expect("=", "`=` after the argument name")?;
                let value = self.literal()?;
                args.push((arg, value, at));
                self.skip_ws();
                if self.rest().starts_with(',') {
                    self.pos += 1;
                    continue;
                }
                break;
            }
        }
        self.expect(")", "`,` or `)`")?;
        self.expect("}}", "`}}` closing the shortcode")?;
        Ok((Call { name, name_at, args }, self.pos))
    }

    fn literal(&mut self) -> Result<Arg, Problem> {
        self.skip_ws();
        let at = self.pos;
        if self.rest().starts_with('"') {
            let mut value = String::new();
            let mut chars = self.rest()[1..].char_indices();
            while let Some((i, c)) = chars.next() {
                match c {
                    '"' => {
                        self.pos += i + 2;
                        return Ok(Arg::Str(value));
                    }
                    '\\' => match chars.next() {
                        Some((_, e @ ('"' | '\\'))) => value.push(e),
                        _ => return Err(problem(at + i + 1, "only \\\" and \\\\ may be escaped in a string")),
                    },
                    '\n' => break,
                    c => value.push(c),
                }
            }
            return Err(problem(at, "string not closed with `\"` on the same line"));
        }
        let len = self
            .rest()
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
            .unwrap_or(self.rest().len());
        match self.rest()[..len].parse::<f64>() {
            Ok(n) if len > 0 && n.is_finite() => {
                self.pos += len;
                Ok(Arg::Num(n))
            }
            _ => Err(problem(at, format!("expected a \"string\" or a number, found {}", self.found()))),
        }
    }
}

/// The shortcodes there are: a name in the text is looked up in [`SHORTCODES`], and what it does
/// is an exhaustive match on this, so a name cannot be listed without being handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shortcode {
    Value,
    Rank,
    Name,
    Top,
    Bottom,
    Count,
    Diff,
    Weight,
    Change,
}

/// Each shortcode's name and the arguments it takes: (required, optional).
const SHORTCODES: &[(Shortcode, &str, &[&str], &[&str])] = &[
    (Shortcode::Value, "value", &["indicator", "entity"], &[]),
    (Shortcode::Rank, "rank", &["indicator", "entity"], &["scope"]),
    (Shortcode::Name, "name", &[], &["indicator", "entity"]),
    (Shortcode::Top, "top", &["indicator", "n"], &["region"]),
    (Shortcode::Bottom, "bottom", &["indicator", "n"], &["region"]),
    (Shortcode::Count, "count", &["indicator"], &["above", "below", "region"]),
    (Shortcode::Diff, "diff", &["indicator", "a", "b"], &[]),
    (Shortcode::Weight, "weight", &["indicator"], &[]),
    (Shortcode::Change, "change", &["indicator", "entity"], &[]),
];

/// Appends " (did you mean `x`?)" when a known name is close to the unknown one.
fn did_you_mean<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let best = known
        .into_iter()
        .map(|k| (strsim::levenshtein(unknown, k), k))
        .filter(|(d, k)| *d <= (k.chars().count() / 3).max(2))
        .min();
    match best {
        Some((_, k)) => format!(" (did you mean `{k}`?)"),
        None => String::new(),
    }
}

#[derive(Clone, Copy)]
enum Entity {
    City,
    Region(usize),
    District(usize),
}

struct Args<'c, 's> {
    call: &'c Call,
    scope: &'c Scope<'s>,
}

impl Args<'_, '_> {
    fn get(&self, name: &str) -> Option<(&Arg, usize)> {
        self.call.args.iter().find(|(a, _, _)| a == name).map(|(_, v, at)| (v, *at))
    }

    fn str(&self, name: &str) -> Result<Option<(&str, usize)>, Problem> {
        match self.get(name) {
            None => Ok(None),
            Some((Arg::Str(s), at)) => Ok(Some((s.as_str(), at))),
            Some((Arg::Num(_), at)) => Err(problem(at, format!("`{name}` must be a \"string\""))),
        }
    }

    fn indicator(&self) -> Result<usize, Problem> {
        let (id, at) = self.str("indicator")?.ok_or_else(|| problem(self.call.name_at, "missing `indicator`"))?;
        let tree = &self.scope.edition.tree;
        tree.index_of(id).ok_or_else(|| {
            let hint = did_you_mean(id, tree.nodes.iter().map(|n| n.id.as_str()));
            problem(at, format!("unknown indicator `{id}`{hint}"))
        })
    }

    fn entity_named(&self, id: &str, at: usize) -> Result<Entity, Problem> {
        let ds = &self.scope.edition.districts;
        if id == "city" {
            return Ok(Entity::City);
        }
        if let Some(r) = ds.region_index_of(id) {
            return Ok(Entity::Region(r));
        }
        if let Some(d) = ds.index_of(id) {
            return Ok(Entity::District(d));
        }
        let known = std::iter::once("city")
            .chain(ds.regions.iter().map(|r| r.id.as_str()))
            .chain(ds.districts.iter().map(|d| d.id.as_str()));
        Err(problem(at, format!("unknown district, region or `city`: `{id}`{}", did_you_mean(id, known))))
    }

    fn entity(&self, name: &str) -> Result<Entity, Problem> {
        let (id, at) = self.str(name)?.ok_or_else(|| problem(self.call.name_at, format!("missing `{name}`")))?;
        self.entity_named(id, at)
    }

    fn region(&self) -> Result<Option<usize>, Problem> {
        match self.str("region")? {
            None => Ok(None),
            Some((id, at)) => match self.entity_named(id, at)? {
                Entity::Region(r) => Ok(Some(r)),
                _ => Err(problem(at, format!("`{id}` is not a region"))),
            },
        }
    }

    fn count_n(&self) -> Result<usize, Problem> {
        match self.get("n") {
            Some((Arg::Num(n), _)) if *n >= 1.0 && n.fract() == 0.0 => Ok(*n as usize),
            Some((_, at)) => Err(problem(at, "`n` must be a whole number of at least 1")),
            None => Err(problem(self.call.name_at, "missing `n`")),
        }
    }
}

fn value_of(scope: &Scope, node: usize, e: Entity) -> f64 {
    let r = &scope.results.nodes[node];
    match e {
        Entity::City => r.city,
        Entity::Region(i) => r.regions[i],
        Entity::District(i) => r.districts[i],
    }
}

fn entity_name(scope: &Scope, e: Entity) -> String {
    let ds = &scope.edition.districts;
    match e {
        Entity::City => scope.city_name.to_string(),
        Entity::Region(i) => ds.regions[i].name.get(scope.lang).to_string(),
        Entity::District(i) => ds.districts[i].name.get(scope.lang).to_string(),
    }
}

fn evaluate(call: &Call, scope: &Scope) -> Result<String, Problem> {
    let Some(&(kind, _, required, optional)) = SHORTCODES.iter().find(|(_, n, _, _)| *n == call.name) else {
        let hint = did_you_mean(&call.name, SHORTCODES.iter().map(|(_, n, _, _)| *n));
        return Err(problem(call.name_at, format!("unknown shortcode `{}`{hint}", call.name)));
    };
    for (arg, _, at) in &call.args {
        if !required.contains(&arg.as_str()) && !optional.contains(&arg.as_str()) {
            let hint = did_you_mean(arg, required.iter().chain(optional.iter()).copied());
            return Err(problem(*at, format!("`{}` takes no argument `{arg}`{hint}", call.name)));
        }
    }
    let args = Args { call, scope };
    let p = scope.edition.precision;
    let lang = scope.lang;
    let ds = &scope.edition.districts;
    match kind {
        Shortcode::Value => {
            let node = args.indicator()?;
            Ok(format::number(value_of(scope, node, args.entity("entity")?), p))
        }
        Shortcode::Rank => {
            let node = args.indicator()?;
            let (id, at) = args.str("entity")?.unwrap_or_default();
            let Entity::District(d) = args.entity("entity")? else {
                return Err(problem(at, format!("`{id}` is not a district; only districts have ranks")));
            };
            let r = &scope.results.nodes[node];
            match args.str("scope")? {
                None | Some(("all", _)) => Ok(r.rank[d].to_string()),
                Some(("region", _)) => Ok(r.region_rank[d].to_string()),
                Some((other, at)) => Err(problem(at, format!("`scope` is \"all\" or \"region\", not \"{other}\""))),
            }
        }
        Shortcode::Name => match (args.get("indicator"), args.get("entity")) {
            (Some(_), None) => Ok(scope.edition.tree.display_name(args.indicator()?).get(lang).to_string()),
            (None, Some(_)) => Ok(entity_name(scope, args.entity("entity")?)),
            _ => Err(problem(call.name_at, "`name` takes either `indicator` or `entity`")),
        },
        Shortcode::Top | Shortcode::Bottom => {
            let node = args.indicator()?;
            let n = args.count_n()?;
            let region = args.region()?;
            let r = &scope.results.nodes[node];
            let mut ds_in: Vec<usize> = (0..ds.districts.len())
                .filter(|&d| region.is_none_or(|reg| ds.districts[d].region == reg))
                .collect();
            let rank_of = |d: usize| if region.is_some() { r.region_rank[d] } else { r.rank[d] };
            // Ties keep the analysts' district order, as the ranking tables do.
            ds_in.sort_by_key(|&d| (rank_of(d), d));
            if kind == Shortcode::Bottom {
                ds_in.sort_by_key(|&d| (std::cmp::Reverse(rank_of(d)), d));
            }
            if n > ds_in.len() {
                return Err(problem(call.name_at, format!("n = {n} but there are only {} districts", ds_in.len())));
            }
            let names: Vec<String> =
                ds_in[..n].iter().map(|&d| ds.districts[d].name.get(lang).to_string()).collect();
            Ok(format::join_names(&names, lang))
        }
        Shortcode::Count => {
            let node = args.indicator()?;
            let region = args.region()?;
            let (given, above) = match (args.get("above"), args.get("below")) {
                (Some(given), None) => (given, true),
                (None, Some(given)) => (given, false),
                _ => return Err(problem(call.name_at, "`count` takes either `above` or `below`")),
            };
            let threshold = match given {
                (Arg::Num(x), _) => *x,
                (Arg::Str(s), at) => value_of(scope, node, args.entity_named(s, at)?),
            };
            // Compare published values, so the count agrees with the tables readers see.
            let t = format::round(threshold, p);
            let r = &scope.results.nodes[node];
            let n = (0..ds.districts.len())
                .filter(|&d| region.is_none_or(|reg| ds.districts[d].region == reg))
                .filter(|&d| {
                    let v = format::round(r.districts[d], p);
                    if above { v > t } else { v < t }
                })
                .count();
            Ok(n.to_string())
        }
        Shortcode::Diff => {
            let node = args.indicator()?;
            let a = format::round(value_of(scope, node, args.entity("a")?), p);
            let b = format::round(value_of(scope, node, args.entity("b")?), p);
            Ok(format::number(a - b, p))
        }
        Shortcode::Weight => {
            let node = args.indicator()?;
            let ind = &scope.edition.tree.nodes[node];
            if ind.kind == IndicatorKind::Coefficient || ind.parent.is_none() {
                let (id, at) = args.str("indicator")?.unwrap_or_default();
                return Err(problem(at, format!("`{id}` has no weight (it is the root or a coefficient)")));
            }
            Ok(format::percent(ind.weight))
        }
        Shortcode::Change => {
            let node = args.indicator()?;
            let entity = args.entity("entity")?;
            let (eid, _) = args.str("entity")?.unwrap_or_default();
            let Some(prev) = scope.previous else {
                return Err(problem(call.name_at, "no previous edition: `change` needs last year's results"));
            };
            let ind = &scope.edition.tree.nodes[node];
            let old = [Some(&ind.id), ind.continues.as_ref()]
                .into_iter()
                .flatten()
                .find_map(|id| prev.values.get(&(id.clone(), eid.to_string())));
            let Some(old) = old else {
                return Err(problem(
                    call.name_at,
                    format!("the {} edition has no value of `{}` for `{eid}`", prev.year, ind.id),
                ));
            };
            let now = format::round(value_of(scope, node, entity), p);
            Ok(format::signed(now - format::round(*old, p), p))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Call, String> {
        Parser { src, pos: 2 }.call().map(|(c, _)| c).map_err(|p| format!("{}: {}", p.at, p.message))
    }

    #[test]
    fn parses_named_literal_arguments() {
        let c = parse("{{ top(indicator=\"overall\", n=3, region = \"cen\\\"tral\") }}").unwrap();
        assert_eq!(c.name, "top");
        assert_eq!(c.args[0].1, Arg::Str("overall".into()));
        assert_eq!(c.args[1].1, Arg::Num(3.0));
        assert_eq!(c.args[2].1, Arg::Str("cen\"tral".into()));
        assert!(parse("{{ weight() }}").unwrap().args.is_empty());
    }

    #[test]
    fn syntax_errors_say_what_was_expected() {
        assert!(parse("{{ value(indicator=\"x\" }}").unwrap_err().contains("`,` or `)`"));
        assert!(parse("{{ value(indicator=x) }}").unwrap_err().contains("a \"string\" or a number"));
        assert!(parse("{{ value(indicator=\"x) }}").unwrap_err().contains("not closed"));
        assert!(parse("{{ value(indicator=\"x\") ").unwrap_err().contains("`}}`"));
        assert!(parse("{{ value(a=\"1\", a=\"2\") }}").unwrap_err().contains("twice"));
    }

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("infr", ["infra", "app", "env"]), " (did you mean `infra`?)");
        assert_eq!(did_you_mean("zzzzzz", ["infra", "app"]), "");
    }
}
