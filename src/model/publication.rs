//! Publication basics of an edition (issue 12): when it appeared, how to cite it, the licence of
//! its data and whom to contact. Every part is optional; where a source is silent the key is left
//! out of edition.toml and the pages say so or leave the line out, never guess.

use serde::{Deserialize, Serialize};

use super::Bilingual;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Publication {
    /// "2020", "2020-12" or "2020-12-10": as much of the date as is known (checked by load).
    pub date: Option<String>,
    /// The citation as the publisher asks for it, per language; generated when absent.
    pub cite: Option<Bilingual>,
    pub licence: Option<Licence>,
    /// An e-mail address or a web address.
    pub contact: Option<String>,
}

/// The licence the edition's data are published under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    /// Its name as readers know it ("CC BY 4.0"), the same in both languages.
    pub name: String,
    /// Where its terms can be read (absolute http(s) address).
    pub url: Option<String>,
}
