//! The tokeniser of the search index. `assets/search.js` applies the very same rules to queries
//! and to the text it highlights; a change here must be made there too (the browser test proves
//! that both sides agree on the demo's queries).
//!
//! - Characters are folded one by one: full-width ASCII to ASCII ("５Ｇ" → "5G"), then lower case.
//! - Chinese (Han) runs become overlapping bigrams ("政务云" → 政务, 务云): no dictionary is
//!   needed, every word of two or more characters is found, and a run of one character is kept
//!   as that character. A query of one character matches every bigram containing it.
//! - Other letters and digits form words. An apostrophe inside a word is dropped ("Jing'an" →
//!   "jingan"); a point between digits is kept ("78.12"). Letter-only words get the light
//!   "S-stemmer" of Harman (1991): plural endings only, so "cities" and "city" meet, while words
//!   are never cut down to unrecognisable stems (which would break matching prefixes as one
//!   types).

/// One term and where it came from in the text, in chars of the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub start: usize,
    pub end: usize,
}

/// Han ideographs: the CJK Unified Ideographs blocks and extensions, and compatibility
/// ideographs. Kept to plain ranges so the script can use the same ones.
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// Full-width ASCII forms to ASCII, ideographic space to space, then lower case.
pub fn fold(c: char) -> impl Iterator<Item = char> {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    c.to_lowercase()
}

/// Folded text with only what the tokeniser looks at (letters, digits, Han): the form names
/// are compared in, so that "5G 建设应用" and "5g建设应用" are the same name.
pub fn name_key(text: &str) -> String {
    text.chars().flat_map(fold).filter(|c| is_han(*c) || c.is_alphanumeric()).collect()
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Every term of `text`, in order.
pub fn tokenize(text: &str) -> Vec<Token> {
    // Folding one char at a time keeps positions in the original text for highlighting.
    let chars: Vec<(char, usize)> =
        text.chars().enumerate().flat_map(|(i, c)| fold(c).map(move |f| (f, i))).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (c, pos) = chars[i];
        if is_han(c) {
            let start = i;
            while i < chars.len() && is_han(chars[i].0) {
                i += 1;
            }
            let run = &chars[start..i];
            if run.len() == 1 {
                out.push(Token { term: c.to_string(), start: pos, end: pos + 1 });
            }
            for pair in run.windows(2) {
                out.push(Token { term: [pair[0].0, pair[1].0].iter().collect(), start: pair[0].1, end: pair[1].1 + 1 });
            }
        } else if c.is_alphanumeric() {
            let mut word = String::new();
            let mut end = pos;
            while i < chars.len() {
                let (c, p) = chars[i];
                let next = chars.get(i + 1).map(|x| x.0);
                let prev = word.chars().last();
                if c.is_alphanumeric() && !is_han(c) {
                    word.push(c);
                } else if is_apostrophe(c) && prev.is_some_and(char::is_alphabetic) && next.is_some_and(|n| n.is_alphabetic() && !is_han(n)) {
                    // Inside a word: dropped.
                } else if c == '.' && prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit()) {
                    word.push(c);
                } else {
                    break;
                }
                end = p + 1;
                i += 1;
            }
            out.push(Token { term: stem(&word), start: pos, end });
        } else {
            i += 1;
        }
    }
    out
}

/// Harman's S-stemmer for words of letters only; anything with a digit is an id or a number and
/// stays as written.
pub fn stem(word: &str) -> String {
    let n = word.chars().count();
    if n < 4 || !word.chars().all(char::is_alphabetic) {
        return word.to_string();
    }
    if let Some(base) = word.strip_suffix("ies")
        && !word.ends_with("eies")
        && !word.ends_with("aies")
    {
        return format!("{base}y");
    }
    if let Some(base) = word.strip_suffix("es")
        && !word.ends_with("aes")
        && !word.ends_with("ees")
        && !word.ends_with("oes")
    {
        return format!("{base}e");
    }
    if let Some(base) = word.strip_suffix('s')
        && !word.ends_with("us")
        && !word.ends_with("ss")
    {
        return base.to_string();
    }
    word.to_string()
}

/// The terms of `text` only.
pub fn terms(text: &str) -> Vec<String> {
    tokenize(text).into_iter().map(|t| t.term).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_runs_become_overlapping_bigrams() {
        assert_eq!(terms("政务云平台"), ["政务", "务云", "云平", "平台"]);
        assert_eq!(terms("（市）"), ["市"]);
        // Every bigram of a word is a bigram of any text containing the word: the recall
        // guarantee that makes a dictionary unnecessary.
        let text = terms("本市网络安全状况系数为 0.95");
        for t in terms("网络安全") {
            assert!(text.contains(&t), "{t}");
        }
    }

    #[test]
    fn words_numbers_and_ids() {
        assert_eq!(terms("5G 建设应用"), ["5g", "建设", "设应", "应用"]);
        assert_eq!(terms("５Ｇ网络"), ["5g", "网络"]);
        assert_eq!(terms("In 2020, 78.12 points."), ["in", "2020", "78.12", "point"]);
        assert_eq!(terms("Jing'an District’s"), ["jingan", "district"]);
        assert_eq!(terms("end. 'quoted'"), ["end", "quoted"]);
        assert_eq!(terms("covid-19"), ["covid", "19"]);
    }

    #[test]
    fn light_stemming_joins_plurals_only() {
        for (a, b) in [("cities", "city"), ("districts", "district"), ("indices", "indice"), ("services", "service")] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("address"), "address");
        assert_eq!(stem("broadband"), "broadband");
        assert_eq!(stem("gas"), "gas");
        assert_eq!(stem("5gs"), "5gs");
    }

    #[test]
    fn positions_point_into_the_original_text() {
        let text = "Ａ区 Broadband";
        let toks = tokenize(text);
        let chars: Vec<char> = text.chars().collect();
        let span = |t: &Token| chars[t.start..t.end].iter().collect::<String>();
        assert_eq!(toks.iter().map(span).collect::<Vec<_>>(), ["Ａ", "区", "Broadband"]);
    }

    #[test]
    fn name_keys_ignore_spacing_case_and_width() {
        assert_eq!(name_key("5G 建设应用"), name_key("５ｇ建设应用"));
        assert_eq!(name_key("Jing'an"), "jingan");
    }
}
