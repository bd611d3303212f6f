//! Snapshots of the reports for every bundled example answers file, in Markdown and JSON.
//! Review changes with `cargo insta review`.

use std::path::Path;

use mend::render::Renderer;
use mend::{Format, Questionnaire};

fn report(q: &str, who: &str, format: Format) -> String {
    let questionnaire = Questionnaire::open(q).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("examples/{q}-{who}.yaml"));
    let responses = mend::answers::load(&path, &questionnaire).unwrap();
    let report = mend::assess(&questionnaire, &responses, "2026-11-23").unwrap();
    mend::render_report(&report, format, &Renderer::new(None).unwrap()).unwrap()
}

#[test]
fn example_reports() {
    insta::with_settings!({ filters => vec![(r"mend \d+\.\d+\.\d+", "mend [version]"), (r#""mend_version": "[^"]+""#, r#""mend_version": "[version]""#)] }, {
        for q in ["readiness", "communication", "causes"] {
            for who in ["alex", "sam"] {
                insta::assert_snapshot!(format!("{q}-{who}.md"), report(q, who, Format::Markdown));
                insta::assert_snapshot!(format!("{q}-{who}.json"), report(q, who, Format::Json));
            }
        }
    });
}
