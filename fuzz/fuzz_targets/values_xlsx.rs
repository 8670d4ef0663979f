//! Arbitrary bytes as values.xlsx: the zip, the workbook's XML, cell references (far or crafted
//! ones), shared strings, then the checks against the starter's tree; every diagnostic rendered.
//! Any panic, or an allocation the size of the sheet's rectangle, is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    cityreport::load::fuzzing::values_xlsx(data);
});
