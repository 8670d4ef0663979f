//! Arbitrary bytes as edition_toml: decoding (UTF-8, BOM, CRLF, GBK detection) and then the loader, with
//! every diagnostic rendered. Any panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    cityreport::load::fuzzing::bytes_as_text(data);
    if let Ok(text) = cityreport::load::decode_text(std::path::Path::new("input"), data) {
        cityreport::load::fuzzing::edition_toml(&text);
    }
});
