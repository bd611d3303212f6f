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

fn comparison(q: &str, reader: mend::compare::Reader, format: Format) -> String {
    use mend::compare::{Options, Partner};
    let questionnaire = Questionnaire::open(q).unwrap();
    let partners: Vec<Partner> = ["alex", "sam"]
        .iter()
        .map(|who| {
            let path =
                Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("examples/{q}-{who}.yaml"));
            let responses = mend::answers::load(&path, &questionnaire).unwrap();
            Partner::assess(&questionnaire, responses, who, "2026-11-23").unwrap()
        })
        .collect();
    let c = mend::compare::compare(
        &questionnaire,
        &partners,
        Options {
            reader,
            include_notes: false,
        },
        "2026-11-23",
    );
    match format {
        Format::Json => mend::to_json(&c),
        _ => Renderer::new(None)
            .unwrap()
            .render("compare.md", &c)
            .unwrap(),
    }
}

#[test]
fn example_comparisons() {
    use mend::compare::Reader;
    insta::with_settings!({ filters => vec![(r"mend \d+\.\d+\.\d+", "mend [version]"), (r#""mend_version": "[^"]+""#, r#""mend_version": "[version]""#)] }, {
        for q in ["readiness", "communication", "causes"] {
            insta::assert_snapshot!(format!("{q}-joint.md"), comparison(q, Reader::Joint, Format::Markdown));
            insta::assert_snapshot!(format!("{q}-joint.json"), comparison(q, Reader::Joint, Format::Json));
        }
        insta::assert_snapshot!("readiness-therapist.md", comparison("readiness", Reader::Therapist, Format::Markdown));
    });
}
