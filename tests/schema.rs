//! The JSON Schemas accept every bundled file and refuse broken ones, so an editor using them
//! agrees with `mend check` on structure.

use std::path::Path;

use mend::schema::{Kind, schema};

fn as_json(yaml: &str) -> serde_json::Value {
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    serde_json::to_value(value).unwrap()
}

fn valid(kind: Kind, yaml: &str) -> Result<(), String> {
    let validator = jsonschema::validator_for(&schema(kind)).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&as_json(yaml))
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn every_bundled_file_is_valid_against_its_schema() {
    for q in ["readiness", "communication", "causes"] {
        valid(
            Kind::Questionnaire,
            &read(&format!("questionnaires/{q}.yaml")),
        )
        .unwrap_or_else(|e| panic!("{q}: {e}"));
        for who in ["alex", "sam"] {
            valid(Kind::Answers, &read(&format!("examples/{q}-{who}.yaml")))
                .unwrap_or_else(|e| panic!("{q}-{who}: {e}"));
        }
    }
    for fixture in ["tests/fixtures/mini.yaml", "tests/fixtures/conditions.yaml"] {
        valid(Kind::Questionnaire, &read(fixture)).unwrap_or_else(|e| panic!("{fixture}: {e}"));
    }
    valid(Kind::Strategies, &read("questionnaires/strategies.yaml")).unwrap();
    valid(Kind::Support, &read("questionnaires/support.yaml")).unwrap();
    valid(
        Kind::Questionnaire,
        &mend::newfile::questionnaire("x").unwrap(),
    )
    .unwrap();
}

#[test]
fn broken_files_are_refused_by_the_schema() {
    let good = read("tests/fixtures/mini.yaml");
    for (what, broken) in [
        (
            "a misspelt key",
            good.replace("higher_is: better", "higer_is: better"),
        ),
        (
            "an unknown item type",
            good.replace("type: yesno", "type: slider"),
        ),
        ("a wrong needs", good.replace("needs: all", "needs: most")),
        (
            "a missing title",
            good.replace("title: A small test questionnaire\n", ""),
        ),
        (
            "a list where a text goes",
            good.replace("title: A small test questionnaire", "title: [a, b]"),
        ),
    ] {
        assert!(
            valid(Kind::Questionnaire, &broken).is_err(),
            "the schema accepts {what}"
        );
    }
    assert!(
        valid(
            Kind::Answers,
            "questionnaire: mini\nversion: 1\nanswer:\n  a: 1\n"
        )
        .is_err()
    );
}

#[test]
fn the_command_prints_each_schema() {
    for kind in ["questionnaire", "answers", "strategies", "support"] {
        let out = assert_cmd::Command::cargo_bin("mend")
            .unwrap()
            .args(["schema", kind])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert!(v["$schema"].as_str().unwrap().contains("json-schema.org"));
    }
}
