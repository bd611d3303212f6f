//! Rendering a report from fuzzed answers to the built-in `readiness` questionnaire: any
//! answers that parse and assess render as Markdown and HTML without a panic or a template
//! error, and the HTML never contains a script element (a property, not just "no crash").
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use mend::render::Renderer;
use mend::{Format, Questionnaire};

static READINESS: LazyLock<Questionnaire> =
    LazyLock::new(|| Questionnaire::open("readiness").expect("built-in readiness loads"));

static RENDERER: LazyLock<Renderer> =
    LazyLock::new(|| Renderer::new(None).expect("built-in templates load"));

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let q = &*READINESS;
    let Ok(responses) = mend::answers::parse(&text, q) else {
        return;
    };
    let Ok(report) = mend::assess(q, &responses, "2026-01-01") else {
        return;
    };
    let md = mend::render_report(&report, Format::Markdown, &RENDERER)
        .expect("the built-in templates render any assessed answers");
    let html = mend::render_report(&report, Format::Html, &RENDERER)
        .expect("the built-in templates render any assessed answers as HTML");
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "the HTML report contains a <script> element\n--- markdown ---\n{md}\n--- html ---\n{html}"
    );
    let _ = mend::render_report(&report, Format::Json, &RENDERER);
});
