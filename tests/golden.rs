//! `mend test`: the built-in questionnaires' own golden tests pass, and a change to a
//! questionnaire that changes a result is shown as a clear difference.

use std::fs;

use assert_cmd::Command;
use predicates::prelude::*;

fn mend() -> Command {
    let mut cmd = Command::cargo_bin("mend").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

#[test]
fn the_built_in_questionnaires_pass_their_golden_tests() {
    mend()
        .args(["test", "questionnaires"])
        .assert()
        .success()
        .stdout(predicate::str::contains("7 passed, 0 failed"));
}

#[test]
fn a_changed_questionnaire_shows_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("tests")).unwrap();
    let q = fs::read_to_string(format!(
        "{}/questionnaires/communication.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    // Move the "listening" bands up: Alex's 2.71 falls to the lowest band.
    assert!(q.contains("from: 2.5"));
    fs::write(
        dir.path().join("communication.yaml"),
        q.replacen("from: 2.5", "from: 3.5", 2),
    )
    .unwrap();
    let golden = format!(
        "{}/questionnaires/tests/communication-alex.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    fs::copy(&golden, dir.path().join("tests/alex.yaml")).unwrap();
    mend()
        .arg("test")
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("0 passed, 1 failed"))
        .stderr(
            predicate::str::contains("alex.yaml").and(predicate::str::contains(
                "scale `safe_space`: expected 3.2 (mixed), got 3.2 (low)",
            )),
        );
    // --update takes the new results as the expectation.
    mend()
        .arg("test")
        .arg(dir.path())
        .arg("--update")
        .assert()
        .success();
    mend()
        .arg("test")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("1 passed, 0 failed"));
}
