//! The real `mend` binary, run as a person would: every command, exit codes, messages,
//! and files that are written whole or not at all.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn mend() -> Command {
    let mut cmd = Command::cargo_bin("mend").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SOURCE_DATE_EPOCH", "1763596800");
    cmd
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

#[test]
fn list_shows_the_built_in_questionnaires() {
    mend().arg("list").assert().success().stdout(
        predicate::str::contains("readiness")
            .and(predicate::str::contains("communication"))
            .and(predicate::str::contains("causes")),
    );
}

#[test]
fn report_markdown_from_the_bundled_example() {
    mend()
        .args(["report", "readiness", "examples/readiness-alex.yaml"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("## Your scores")
                .and(predicate::str::contains("not a diagnosis"))
                .and(predicate::str::contains("Made by mend"))
                .and(predicate::str::contains("on 2025-11-20")),
        );
}

#[test]
fn report_html_is_one_self_contained_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("alex.html");
    mend()
        .args([
            "report",
            "communication",
            "examples/communication-alex.yaml",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let html = fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("<style>"));
    for external in ["<script", "<link", "src=\"http", "@import", "url("] {
        assert!(!html.contains(external), "found {external}");
    }
}

#[test]
fn report_json_is_the_report_model() {
    let out = mend()
        .args([
            "report",
            "causes",
            "examples/causes-sam.yaml",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["questionnaire"]["id"], "causes");
    assert!(v["questionnaire"]["hash"].as_str().unwrap().len() == 12);
    assert_eq!(v["respondent"]["name"], "Sam");
    let scale = &v["scales"][0];
    for key in [
        "id", "title", "score", "min", "max", "band", "answered", "items",
    ] {
        assert!(scale.get(key).is_some(), "scales[0] has no `{key}`");
    }
    assert!(v["strategies"][0]["reasons"].is_array());
    assert!(v["flags"].is_array() && v["findings"].is_array());
}

#[test]
fn a_path_works_wherever_a_built_in_id_does() {
    mend()
        .args([
            "report",
            "questionnaires/readiness.yaml",
            "examples/readiness-sam.yaml",
        ])
        .assert()
        .success();
}

#[test]
fn show_prints_a_document_or_json_with_options_inline() {
    mend()
        .args(["show", "readiness"])
        .assert()
        .success()
        .stdout(predicate::str::contains("☐"));
    let out = mend()
        .args(["show", "communication", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let item = &v["sections"][0]["items"][0];
    assert!(item["id"].is_string() && item["type"].is_string() && item["text"].is_string());
    assert!(item["options"][0]["value"].is_string() || item["options"][0]["value"].is_number());
    assert!(item["options"][0]["label"].is_string());
}

#[test]
fn template_writes_a_blank_answers_file_that_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("blank.yaml");
    mend()
        .args(["template", "readiness", "-o"])
        .arg(&path)
        .assert()
        .success();
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("questionnaire: readiness"));
    assert!(
        text.contains("# allowed: "),
        "each item lists its allowed values"
    );
    // A blank file is valid answers, only the required role is missing.
    mend()
        .args(["report", "readiness"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("`role` is required"));
}

#[test]
fn an_existing_file_is_never_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.yaml");
    fs::write(&path, "my precious answers").unwrap();
    mend()
        .args(["template", "readiness", "-o"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("already exists").and(predicate::str::contains("--force")),
        );
    assert_eq!(fs::read_to_string(&path).unwrap(), "my precious answers");
    mend()
        .args(["template", "readiness", "--force", "-o"])
        .arg(&path)
        .assert()
        .success();
    assert!(
        fs::read_to_string(&path)
            .unwrap()
            .contains("questionnaire: readiness")
    );
}

#[test]
fn check_passes_on_the_built_in_files() {
    mend()
        .args(["check", "questionnaires", "examples"])
        .assert()
        .success()
        .stdout(predicate::str::contains(" 0 errors"));
}

#[test]
fn check_reports_every_problem_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    fs::write(
        &bad,
        "id: bad\nversion: 1\ntitle: Bad\nsections:\n  - id: s\n    title: S\n    items:\n      - { id: a, text: A, scale: agree9 }\nscales:\n  - id: x\n    title: X\n    items: [b]\n    higher_is: better\n",
    )
    .unwrap();
    mend()
        .arg("check")
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains(
                "bad.yaml:8:11: error: item `a` uses the unknown response scale `agree9`",
            )
            .and(predicate::str::contains(
                "bad.yaml:10:5: error: scale `x` names the unknown item `b`",
            )),
        )
        .stdout(predicate::str::contains("2 errors"));
}

#[test]
fn bad_answers_give_exit_1_the_file_and_line_and_no_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.yaml");
    let out = dir.path().join("report.html");
    fs::write(
        &answers,
        "questionnaire: readiness\nversion: \"1.0\"\nanswers:\n  role: hurt\n  nope: 3\n",
    )
    .unwrap();
    mend()
        .args(["report", "readiness"])
        .arg(&answers)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "answers.yaml:5:3: error: `nope` is not a question of `readiness`",
        ));
    assert!(!out.exists());
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left behind"
    );
}

#[test]
fn broken_yaml_and_missing_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("broken.yaml");
    fs::write(&answers, "questionnaire: readiness\nanswers: [\n").unwrap();
    mend()
        .args(["report", "readiness"])
        .arg(&answers)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("broken.yaml:")
                .and(predicate::str::contains("panicked").not()),
        );
    mend()
        .args(["report", "readiness", "does-not-exist.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does-not-exist.yaml: cannot read"));
    mend()
        .args(["report", "nonsense", "examples/readiness-alex.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown questionnaire `nonsense`"));
    fs::write(&answers, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    mend()
        .args(["report", "readiness"])
        .arg(&answers)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not UTF-8"));
}

#[test]
fn answers_for_the_wrong_questionnaire_are_refused() {
    mend()
        .args(["report", "communication", "examples/readiness-alex.yaml"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("readiness-alex.yaml")
                .and(predicate::str::contains("not `communication`")),
        );
}

#[test]
fn usage_errors_exit_with_2() {
    mend().arg("report").assert().code(2);
    mend()
        .args(["report", "readiness", "x.yaml", "--format", "pdf"])
        .assert()
        .code(2);
    mend().arg("frobnicate").assert().code(2);
}

#[test]
fn every_command_has_help_with_an_example() {
    for cmd in ["list", "show", "check", "template", "report"] {
        mend()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Example:"));
    }
}

#[test]
fn the_example_answers_exist_for_two_partners_of_each_questionnaire() {
    for q in ["readiness", "communication", "causes"] {
        for who in ["alex", "sam"] {
            assert!(example(&format!("{q}-{who}.yaml")).is_file());
        }
    }
}

#[test]
fn templates_can_be_overridden_by_file_name() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("report.md"),
        "Hello {{ respondent.name | md }}: {{ scales | length }} scales\n",
    )
    .unwrap();
    mend()
        .args([
            "report",
            "readiness",
            "examples/readiness-alex.yaml",
            "--templates",
        ])
        .arg(dir.path())
        .assert()
        .success()
        .stdout("Hello Alex: 7 scales\n");
}

#[test]
fn a_runaway_or_broken_template_is_stopped_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("report.md"),
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    )
    .unwrap();
    mend()
        .args([
            "report",
            "readiness",
            "examples/readiness-alex.yaml",
            "--templates",
        ])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("report.md: template error")
                .and(predicate::str::contains("fuel")),
        );
    fs::write(dir.path().join("report.md"), "{% if %}").unwrap();
    mend()
        .args([
            "report",
            "readiness",
            "examples/readiness-alex.yaml",
            "--templates",
        ])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "report.md: template error: line 1: syntax error",
        ));
}

#[test]
fn typed_text_is_escaped_in_html_reports() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("a.yaml");
    let text = fs::read_to_string(example("communication-alex.yaml")).unwrap();
    let hostile = text
        .replace(
            "respondent: Alex",
            "respondent: \"<script>alert(1)</script>{{ 7*7 }}\"",
        )
        .replace(
            "Our Sunday walks",
            "<img src=x onerror=alert(1)> [x](javascript:alert(1)) {% raw %}Our Sunday walks",
        );
    assert_ne!(hostile, text, "the example changed: update this test");
    fs::write(&answers, hostile).unwrap();
    let out = mend()
        .args(["report", "communication", "--format", "html"])
        .arg(&answers)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let html = String::from_utf8(out).unwrap();
    assert!(!html.contains("<script"), "script survived");
    assert!(!html.contains("<img"), "img survived");
    assert!(
        !html.contains("href=\"javascript"),
        "javascript: link survived"
    );
    assert!(
        html.contains("[x](javascript:alert(1))"),
        "the link text is shown as typed, not as a link"
    );
    assert!(
        html.contains("{{ 7*7 }}"),
        "answers are never evaluated as templates"
    );
}

#[test]
fn list_shows_strategies_flags_and_resources() {
    mend()
        .args(["list", "strategies"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("active_listening").and(predicate::str::contains("safety")),
        );
    mend()
        .args(["list", "flags"])
        .assert()
        .success()
        .stdout(predicate::str::contains("self_harm"));
    mend()
        .args(["list", "resources"])
        .assert()
        .success()
        .stdout(predicate::str::contains("domestic_violence"));
}

#[test]
fn an_output_extension_mend_cannot_write_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.pdf");
    mend()
        .args(["report", "readiness", "examples/readiness-alex.yaml", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--format"));
    assert!(!out.exists());
}

#[test]
fn check_reads_answers_against_a_questionnaire_given_beside_them() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.yaml");
    fs::write(
        &answers,
        "questionnaire: mini\nversion: \"2.0\"\nanswers:\n  role: hurt\n  a: 9\n",
    )
    .unwrap();
    mend()
        .args(["check", "tests/fixtures/mini.yaml"])
        .arg(&answers)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "answers.yaml:5:3: error: `a`: `9` is not one of its options",
        ));
}

#[test]
fn hints_name_a_custom_questionnaire_by_its_path() {
    let out = mend()
        .args(["template", "tests/fixtures/mini.yaml"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("# Then: mend report tests/fixtures/mini.yaml <this file>")
    );
}

#[test]
fn the_paper_version_says_conditions_in_words() {
    mend()
        .args(["show", "readiness"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains(
                "Answer only if it applies to you, given your answer to question 1",
            )
            .and(predicate::str::contains("answers.").not()),
        );
}

#[test]
fn compare_two_partners_for_the_couple_the_therapist_or_one_partner() {
    let joint = mend()
        .args([
            "compare",
            "examples/communication-alex.yaml",
            "examples/communication-sam.yaml",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let joint = String::from_utf8(joint).unwrap();
    assert!(joint.contains("## Side by side") && joint.contains("Your joint plan"));
    assert!(
        !joint.contains("Weeknights still go wrong"),
        "free text stays out without --include-notes"
    );
    mend()
        .args([
            "compare",
            "examples/communication-alex.yaml",
            "examples/communication-sam.yaml",
            "--include-notes",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Weeknights still go wrong"));
    mend()
        .args([
            "compare",
            "examples/communication-alex.yaml",
            "examples/communication-sam.yaml",
            "--for",
            "therapist",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("For the therapist only")
                .and(predicate::str::contains("## Item by item")),
        );
    mend()
        .args([
            "compare",
            "examples/communication-alex.yaml",
            "examples/communication-sam.yaml",
            "--for",
            "sam",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Report for **Sam**"));
    mend()
        .args([
            "compare",
            "examples/communication-alex.yaml",
            "examples/communication-sam.yaml",
            "--for",
            "nobody",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Alex, Sam"));
}

#[test]
fn compare_refuses_answers_to_different_questionnaires_or_versions() {
    mend()
        .args([
            "compare",
            "examples/communication-alex.yaml",
            "examples/readiness-sam.yaml",
        ])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("readiness-sam.yaml")
                .and(predicate::str::contains("not `communication`")),
        );
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.yaml");
    let text = fs::read_to_string(example("communication-sam.yaml"))
        .unwrap()
        .replace("version: \"1.0\"", "version: \"0.9\"");
    fs::write(&old, text).unwrap();
    mend()
        .args(["compare", "examples/communication-alex.yaml"])
        .arg(&old)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("version 0.9 of `communication`"));
}

#[test]
fn compare_html_is_self_contained() {
    let out = mend()
        .args([
            "compare",
            "examples/causes-alex.yaml",
            "examples/causes-sam.yaml",
            "--format",
            "html",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let html = String::from_utf8(out).unwrap();
    for external in ["<script", "<link", "src=\"http", "@import", "url("] {
        assert!(!html.contains(external), "found {external}");
    }
    assert!(html.contains("<table>"), "the side-by-side table renders");
}

#[test]
fn one_report_for_several_questionnaires_of_one_person() {
    let out = mend()
        .args([
            "report",
            "examples/readiness-alex.yaml",
            "examples/communication-alex.yaml",
            "examples/causes-alex.yaml",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["sections"].as_array().unwrap().len(), 3);
    let ids: Vec<&str> = v["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        ids.len(),
        "no strategy twice in the merged plan"
    );
    mend()
        .args([
            "report",
            "examples/readiness-alex.yaml",
            "examples/communication-sam.yaml",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("different people"));
}
