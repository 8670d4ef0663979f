//! Arbitrary bytes split into a plan.toml and an actuals.csv (at the first NUL byte; without
//! one, the bytes are the plan and the seed's actuals are read against it). Any panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

const SEED_ACTUALS: &str = include_str!("../seeds/plan/actuals.csv");

fuzz_target!(|data: &[u8]| {
    let (plan, actuals) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, SEED_ACTUALS.as_bytes()),
    };
    let path = std::path::Path::new("input");
    if let (Ok(plan), Ok(actuals)) = (cityreport::load::decode_text(path, plan), cityreport::load::decode_text(path, actuals)) {
        cityreport::load::fuzzing::plan(&plan, &actuals);
    }
});
