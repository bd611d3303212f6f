//! Tools for authors and the command line around them: lints, `mend new`, template export,
//! completions, the man page and the version.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use mend::Questionnaire;
use mend::error::Severity;
use predicates::prelude::*;

fn mend() -> Command {
    let mut cmd = Command::cargo_bin("mend").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn warnings(text: &str) -> Vec<String> {
    let q = Questionnaire::parse(Path::new("t.yaml"), text).unwrap_or_else(|e| panic!("{e}"));
    q.warnings
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .map(|p| p.message.clone())
        .collect()
}

fn starter() -> String {
    mend::newfile::questionnaire("lint_test").unwrap()
}

#[test]
fn the_starter_questionnaire_is_clean() {
    assert!(
        warnings(&starter()).is_empty(),
        "{:?}",
        warnings(&starter())
    );
}

#[test]
fn lint_reverse_keying_on_an_item_in_no_scale() {
    let text = starter().replace("      - { id: heard, text: In the past two weeks I felt heard by my partner., scale: agree5 }", "      - { id: heard, text: In the past two weeks I felt heard by my partner., scale: agree5 }\n      - { id: extra, text: Extra., scale: agree5, reverse: true }");
    assert!(
        warnings(&text)
            .iter()
            .any(|w| w.contains("`extra` is `reverse` but in no scale")),
        "{:?}",
        warnings(&text)
    );
}

#[test]
fn lint_texts_too_long_for_a_phone_or_empty() {
    let long = "word ".repeat(60);
    let text = starter().replace(
        "In the past two weeks I felt heard by my partner.",
        long.trim(),
    );
    assert!(
        warnings(&text)
            .iter()
            .any(|w| w.contains("long for a phone screen")),
        "{:?}",
        warnings(&text)
    );
    let label = starter().replace(
        "{ value: 4, label: Agree }",
        &format!("{{ value: 4, label: {} }}", "x".repeat(80)),
    );
    assert!(warnings(&label).iter().any(|w| w.contains("option label")));
    let empty = starter().replace("In the past two weeks I felt heard by my partner.", "\"\"");
    assert!(warnings(&empty).iter().any(|w| w.contains("empty `text`")));
}

#[test]
fn lint_bands_no_one_can_reach() {
    let text = starter().replace("from: 3.5", "from: 7");
    assert!(
        warnings(&text)
            .iter()
            .any(|w| w.contains("no one can reach it"))
    );
}

#[test]
fn lint_a_condition_that_can_never_be_true_for_any_band() {
    let text = starter().replace(r#"band == "low""#, r#"band == "lo""#);
    assert!(
        warnings(&text)
            .iter()
            .any(|w| w.contains("compares with \"lo\"")),
        "{:?}",
        warnings(&text)
    );
}

#[test]
fn lint_a_strategy_nothing_recommends() {
    let text = format!(
        "{}\nstrategies:\n  - id: my_walk\n    title: Walk\n    for: [couple]\n    summary: Walk.\n    steps: \"1. Walk.\"\n",
        starter()
    );
    assert!(
        warnings(&text)
            .iter()
            .any(|w| w.contains("strategy `my_walk` is recommended by no rule"))
    );
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("strategies.yaml");
    fs::write(&lib, "strategies:\n  - id: orphan\n    title: Orphan\n    for: [couple]\n    summary: S.\n    steps: \"1. S.\"\n").unwrap();
    mend()
        .arg("check")
        .arg(&lib)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "strategy `orphan` is recommended by no rule or flag",
        ));
}

#[test]
fn lint_a_condition_naming_a_later_item_is_an_error() {
    let text = starter().replace("      - { id: heard,", "      - { id: early, text: Early., scale: agree5, show_if: answers.heard == 1 }\n      - { id: heard,");
    let err = Questionnaire::parse(Path::new("t.yaml"), &text).unwrap_err();
    assert!(
        err.to_string().contains("is this question or a later one"),
        "{err}"
    );
}

#[test]
fn warnings_fail_only_with_strict() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("w.yaml");
    fs::write(&file, starter().replace("from: 3.5", "from: 7")).unwrap();
    mend()
        .arg("check")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 warning"));
    mend()
        .args(["check", "--strict"])
        .arg(&file)
        .assert()
        .code(1);
}

#[test]
fn mend_new_writes_a_questionnaire_that_checks_clean_and_scores() {
    let dir = tempfile::tempdir().unwrap();
    mend()
        .current_dir(dir.path())
        .args(["new", "money_talk"])
        .assert()
        .success();
    let path = dir.path().join("money_talk.yaml");
    mend()
        .args(["check", "--strict"])
        .arg(&path)
        .assert()
        .success();
    mend()
        .current_dir(dir.path())
        .args(["new", "money_talk"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"));
    mend().args(["new", "Money-Talk"]).assert().code(2);
}

#[test]
fn exported_templates_override_the_built_in_ones_by_name() {
    let dir = tempfile::tempdir().unwrap();
    mend()
        .args(["templates", "export"])
        .arg(dir.path())
        .assert()
        .success();
    for (name, text) in mend::render::TEMPLATES {
        assert_eq!(&fs::read_to_string(dir.path().join(name)).unwrap(), text);
    }
    let report = dir.path().join("report.md");
    fs::write(
        &report,
        fs::read_to_string(&report)
            .unwrap()
            .replace(r#"## {{ t("Your scores") }}"#, "## Where you stand"),
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
        .stdout(
            predicate::str::contains("## Where you stand")
                .and(predicate::str::contains("## Your scores").not()),
        );
    // The same folder serves every command.
    fs::write(
        dir.path().join("compare.md"),
        "JOINT {{ partners | length }}\n",
    )
    .unwrap();
    mend()
        .args([
            "compare",
            "examples/readiness-alex.yaml",
            "examples/readiness-sam.yaml",
            "--templates",
        ])
        .arg(dir.path())
        .assert()
        .success()
        .stdout("JOINT 2\n");
    mend()
        .args([
            "report",
            "readiness",
            "examples/readiness-alex.yaml",
            "--templates",
            "no-such-folder",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("needs a folder"));
}

#[test]
fn completions_for_each_shell_and_a_man_page() {
    for (shell, marker) in [
        ("bash", "_mend()"),
        ("zsh", "#compdef mend"),
        ("fish", "complete -c mend"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        mend()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(marker).and(predicate::str::contains("compare")));
    }
    mend()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH mend 1").and(predicate::str::contains("homework")));
}

#[test]
fn the_version_names_the_built_in_questionnaires() {
    mend().arg("--version").assert().success().stdout(
        predicate::str::contains(env!("CARGO_PKG_VERSION"))
            .and(predicate::str::contains("readiness 1.0"))
            .and(predicate::str::contains("causes 1.0")),
    );
}

#[test]
fn errors_are_plain_when_not_on_a_terminal() {
    mend()
        .args(["report", "readiness", "no-such.yaml"])
        .env_remove("NO_COLOR")
        .assert()
        .code(1)
        .stderr(
            predicate::str::starts_with("error: ").and(predicate::str::contains("\u{1b}[").not()),
        );
}
