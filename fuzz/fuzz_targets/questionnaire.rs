//! Loading a questionnaire: any bytes (as lossy UTF-8) give a questionnaire or a list of
//! problems, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mend::Questionnaire;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = Questionnaire::parse(Path::new("fuzz.yaml"), &text);
});
