//! Loading answers: any bytes (as lossy UTF-8) checked against the built-in `readiness`
//! questionnaire and the test suite's `mini` fixture give answers or problems, never a panic.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use mend::Questionnaire;

static READINESS: LazyLock<Questionnaire> =
    LazyLock::new(|| Questionnaire::open("readiness").expect("built-in readiness loads"));

static MINI: LazyLock<Questionnaire> = LazyLock::new(|| {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/mini.yaml");
    let text = std::fs::read_to_string(&path).expect("tests/fixtures/mini.yaml is readable");
    Questionnaire::parse(&path, &text).expect("tests/fixtures/mini.yaml is valid")
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for q in [&*READINESS, &*MINI] {
        if let Ok(responses) = mend::answers::parse(&text, q) {
            // Whatever was accepted must also score (or say what is missing) without a panic.
            let _ = mend::assess(q, &responses, "2026-01-01");
        }
    }
});
