//! Numbers, ranks, lists and dates as readers of each language expect them.

use crate::model::Lang;

/// Rounds as the print does (half up). The engine ranks on exactly this rounding, so the site
/// uses the engine's function rather than its own: a shown value and its rank cannot disagree.
pub fn round(x: f64, precision: u8) -> f64 {
    crate::compute::round_half_up(x, precision)
}

/// Escapes text for HTML and XML (pages, the sitemap, SVG figures): element content and single-
/// or double-quoted attributes. `&#39;` rather than `&apos;`, which HTML 4 readers do not know.
/// Control characters other than tab and line breaks are not allowed in XML 1.0 and are dropped.
/// Bytes as lowercase hexadecimal (cache keys, content hashes in file names, manifests).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A published value: rounded, fixed decimals, a real minus sign.
pub fn number(x: f64, precision: u8) -> String {
    let r = round(x, precision);
    let s = format!("{:.*}", precision as usize, r.abs());
    if r < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("\u{2212}{s}")
    } else {
        s
    }
}

/// A difference with an explicit sign ("+3.91", "−0.40", "0.00").
pub fn signed(x: f64, precision: u8) -> String {
    let s = number(x, precision);
    if round(x, precision) > 0.0 { format!("+{s}") } else { s }
}

/// A share as a percentage with at most two decimals and no trailing zeros ("20%", "22.5%",
/// "42.86%"): weights like 3/7 have no short exact form.
pub fn percent(share: f64) -> String {
    percent_to(share, 2)
}

/// A share as a percentage with at most `decimals` decimals, trailing zeros dropped: "22.5%",
/// "25%". Tables show weights to two decimals; the framework diagram, short of room, to one.
pub fn percent_to(share: f64, decimals: u8) -> String {
    let s = format!("{:.*}", decimals as usize, round(share * 100.0, decimals));
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
    format!("{s}%")
}

/// A rank in running text: "第 3 名" / "3rd".
pub fn rank_prose(rank: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第 {rank} 名"),
        Lang::En => format!("{rank}{}", ordinal_suffix(rank)),
    }
}

fn ordinal_suffix(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// Joins names as a sentence would: "浦东、徐汇和黄浦" / "Pudong, Xuhui and Huangpu".
pub fn join_names(names: &[String], lang: Lang) -> String {
    let (sep, last) = match lang {
        Lang::Zh => ("、", "和"),
        Lang::En => (", ", " and "),
    };
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., tail] => format!("{}{last}{tail}", init.join(sep)),
    }
}

/// Most names a caption lists; past this many, a count reads better than the list.
pub const MAX_LISTED_NAMES: usize = 5;

/// `first`, then `names`, joined as a sentence lists them ("全市、北部和南部" / "the city, North
/// and South"); `None` when there are more than [`MAX_LISTED_NAMES`] names.
pub fn list_after(first: &str, names: &[&str], lang: Lang) -> Option<String> {
    if names.len() > MAX_LISTED_NAMES {
        return None;
    }
    let all: Vec<String> = std::iter::once(first).chain(names.iter().copied()).map(String::from).collect();
    Some(join_names(&all, lang))
}

/// An ISO date ("2020-12-10") per language: "2020 年 12 月 10 日" / "10 December 2020".
/// Anything that is not an ISO date is shown as given.
/// A file's size as the pages show it next to a link: "812.4 KB", "3.1 MB".
pub fn file_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0)
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

pub fn date(iso: &str, lang: Lang) -> String {
    const MONTHS: [&str; 12] = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ];
    let parts: Vec<&str> = iso.split('-').collect();
    let parsed = match parts.as_slice() {
        [y, m, d] => match (y.parse::<u32>(), m.parse::<usize>(), d.parse::<u32>()) {
            (Ok(y), Ok(m @ 1..=12), Ok(d @ 1..=31)) => Some((y, m, d)),
            _ => None,
        },
        _ => None,
    };
    // As much of the date as is known: "2020-12" is a month, "2020" a year.
    let month = match parts.as_slice() {
        [y, m] if y.len() == 4 => match (y.parse::<u32>(), m.parse::<usize>()) {
            (Ok(y), Ok(m @ 1..=12)) => Some((y, m)),
            _ => None,
        },
        _ => None,
    };
    match (parsed, month, lang) {
        (Some((y, m, d)), _, Lang::Zh) => format!("{y} 年 {m} 月 {d} 日"),
        (Some((y, m, d)), _, Lang::En) => format!("{d} {} {y}", MONTHS[m - 1]),
        (None, Some((y, m)), Lang::Zh) => format!("{y} 年 {m} 月"),
        (None, Some((y, m)), Lang::En) => format!("{} {y}", MONTHS[m - 1]),
        (None, None, _) => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_after_the_city_reads_well_for_one_to_five_names_and_gives_up_past_them() {
        assert_eq!(list_after("全市", &["北部"], Lang::Zh).as_deref(), Some("全市和北部"));
        assert_eq!(list_after("the city", &["North"], Lang::En).as_deref(), Some("the city and North"));
        assert_eq!(list_after("全市", &["北部", "南部", "东部"], Lang::Zh).as_deref(), Some("全市、北部、南部和东部"));
        let five = ["A", "B", "C", "D", "E"];
        assert_eq!(list_after("the city", &five, Lang::En).as_deref(), Some("the city, A, B, C, D and E"));
        assert_eq!(list_after("the city", &["A", "B", "C", "D", "E", "F"], Lang::En), None);
        assert_eq!(list_after("全市", &[], Lang::Zh).as_deref(), Some("全市"));
    }

    #[test]
    fn rounds_half_up_despite_binary_representation() {
        assert_eq!(number(1.005, 2), "1.01");
        assert_eq!(number(109.765, 2), "109.77");
        assert_eq!(number(0.985, 2), "0.99");
        assert_eq!(number(2.0, 2), "2.00");
        assert_eq!(number(-0.4, 2), "\u{2212}0.40");
        assert_eq!(number(-0.001, 2), "0.00");
    }

    #[test]
    fn signs_and_percentages() {
        assert_eq!(signed(3.91, 2), "+3.91");
        assert_eq!(signed(-1.2, 2), "\u{2212}1.20");
        assert_eq!(signed(0.001, 2), "0.00");
        assert_eq!(percent(0.2), "20%");
        assert_eq!(percent(9.0 / 40.0), "22.5%");
        assert_eq!(percent(3.0 / 7.0), "42.86%");
        assert_eq!(percent(0.2 * 9.0 / 40.0), "4.5%");
    }

    #[test]
    fn ranks_lists_dates_per_language() {
        assert_eq!(rank_prose(3, Lang::Zh), "第 3 名");
        assert_eq!(rank_prose(3, Lang::En), "3rd");
        assert_eq!(rank_prose(11, Lang::En), "11th");
        assert_eq!(rank_prose(22, Lang::En), "22nd");
        let names: Vec<String> = ["浦东", "徐汇", "黄浦"].map(String::from).to_vec();
        assert_eq!(join_names(&names, Lang::Zh), "浦东、徐汇和黄浦");
        let names: Vec<String> = ["Pudong", "Xuhui"].map(String::from).to_vec();
        assert_eq!(join_names(&names, Lang::En), "Pudong and Xuhui");
        assert_eq!(date("2020-12-10", Lang::Zh), "2020 年 12 月 10 日");
        assert_eq!(date("2020-12-10", Lang::En), "10 December 2020");
        assert_eq!(date("winter", Lang::En), "winter");
        assert_eq!(date("2020-12", Lang::Zh), "2020 年 12 月");
        assert_eq!(date("2020-12", Lang::En), "December 2020");
        assert_eq!(date("2020-13", Lang::En), "2020-13");
        assert_eq!(date("2020", Lang::Zh), "2020");
    }
}
