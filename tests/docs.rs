//! The complete example in docs/authoring.md is real: it loads without a problem, and its
//! answers give the report the page describes. So the documentation cannot drift.

use std::path::Path;

fn yaml_blocks_after(doc: &str, heading: &str) -> Vec<String> {
    let start = doc
        .find(heading)
        .unwrap_or_else(|| panic!("no heading {heading}"));
    doc[start..]
        .split("```yaml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap().to_string())
        .collect()
}

#[test]
fn the_complete_example_in_the_authoring_guide_works_as_described() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/authoring.md"))
            .unwrap();
    let blocks = yaml_blocks_after(&doc, "## A complete example");
    let q = mend::Questionnaire::parse(Path::new("my-checkin.yaml"), &blocks[0])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(q.warnings.is_empty(), "{:#?}", q.warnings);
    let responses = mend::answers::parse(&blocks[1], &q).unwrap();
    let report = mend::assess(&q, &responses, "2026-11-23").unwrap();
    let heard = &report.scales[0];
    assert_eq!(
        (heard.score, heard.answered, heard.needed),
        (Some(2.0), 2, 2)
    );
    assert_eq!(heard.band.as_ref().unwrap().label, "Not heard");
    assert_eq!(report.scales[1].score, Some(2.0));
    let ids: Vec<&str> = report.strategies.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "active_listening",
            "safe_conversations",
            "weekly_checkins",
            "date_walk"
        ]
    );
    assert!(report.flags.is_empty());

    let afraid = blocks[1].replace("afraid: \"no\"", "afraid: \"yes\"");
    let report = mend::assess(
        &q,
        &mend::answers::parse(&afraid, &q).unwrap(),
        "2026-11-23",
    )
    .unwrap();
    assert_eq!(report.flags[0].id, "safety");
    assert!(
        report
            .strategies
            .iter()
            .all(|s| s.id != "date_walk" && s.id != "active_listening")
    );
}

#[test]
fn every_complete_snippet_in_the_authoring_guide_is_valid_yaml() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/authoring.md"))
            .unwrap();
    // Snippets with "..." are outlines, not files; every other snippet must parse.
    let complete: Vec<String> = yaml_blocks_after(&doc, "# Writing a questionnaire")
        .into_iter()
        .filter(|b| !b.contains("..."))
        .collect();
    assert!(
        complete.len() >= 6,
        "found only {} complete snippets",
        complete.len()
    );
    for block in complete {
        if let Err(e) = serde_yaml::from_str::<serde_yaml::Value>(&block) {
            panic!("not YAML ({e}):\n{block}");
        }
    }
}

#[test]
fn the_report_model_page_documents_every_key_of_the_json() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reports.md"))
            .unwrap();
    let q = mend::Questionnaire::open("readiness").unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/readiness-sam.yaml");
    let responses = mend::answers::load(&path, &q).unwrap();
    let report = mend::assess(&q, &responses, "2026-11-23").unwrap();
    let json: serde_json::Value = serde_json::from_str(&mend::to_json(&report)).unwrap();
    let mut keys: Vec<String> = Vec::new();
    for (k, v) in json.as_object().unwrap() {
        keys.push(k.clone());
        let first = v.as_array().and_then(|a| a.first()).or(Some(v));
        if let Some(obj) = first.and_then(|x| x.as_object()) {
            keys.extend(obj.keys().cloned());
        }
    }
    for key in keys {
        assert!(
            doc.contains(&format!("`{key}`")),
            "docs/reports.md does not mention `{key}`"
        );
    }
}

#[test]
fn the_templates_page_lists_every_template() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/templates.md"))
            .unwrap();
    for (name, _) in mend::render::TEMPLATES {
        assert!(
            doc.contains(&format!("`{name}`")),
            "docs/templates.md does not list {name}"
        );
    }
}

fn keys_of(json: &serde_json::Value) -> Vec<String> {
    let mut keys = Vec::new();
    for (k, v) in json.as_object().unwrap() {
        keys.push(k.clone());
        let first = v.as_array().and_then(|a| a.first()).or(Some(v));
        if let Some(obj) = first.and_then(|x| x.as_object()) {
            keys.extend(obj.keys().cloned());
        }
    }
    keys
}

#[test]
fn the_comparison_and_progress_models_are_documented_too() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reports.md"))
            .unwrap();
    let run = |args: &[&str]| -> serde_json::Value {
        let out = assert_cmd::Command::cargo_bin("mend")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).unwrap()
    };
    let compare = run(&[
        "compare",
        "examples/readiness-alex.yaml",
        "examples/readiness-sam.yaml",
        "--for",
        "therapist",
        "--format",
        "json",
    ]);
    let progress = run(&[
        "progress",
        "examples/progress/communication-alex-2026-10-01.yaml",
        "examples/progress/communication-alex-2026-11-01.yaml",
        "--format",
        "json",
    ]);
    for key in keys_of(&compare).into_iter().chain(keys_of(&progress)) {
        assert!(
            doc.contains(&format!("`{key}`")),
            "docs/reports.md does not mention `{key}`"
        );
    }
}
