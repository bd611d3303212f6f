//! `mend take` driven through standard input, one answer per line, as a script would.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn take(dir: &Path, input: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("mend")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["take", "tests/fixtures/mini.yaml", "-o"])
        .arg(dir.join("answers.yaml"))
        .args(extra)
        .write_stdin(input)
        .assert()
}

fn saved(dir: &Path) -> serde_yaml::Value {
    let text = fs::read_to_string(dir.join("answers.yaml")).unwrap();
    serde_yaml::from_str::<serde_yaml::Value>(&text).unwrap()["answers"].clone()
}

fn answer(dir: &Path, id: &str) -> String {
    match &saved(dir)[id] {
        serde_yaml::Value::Null => "~".to_string(),
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Number(n) => n.to_string(),
        other => serde_yaml::to_string(other).unwrap().trim().to_string(),
    }
}

#[test]
fn a_whole_questionnaire_by_values_and_numbers_then_the_report() {
    let dir = tempfile::tempdir().unwrap();
    // role, a, b, c, f, d, causes, afraid, notes, then "show the report?"
    take(
        dir.path(),
        "hurt\n4\n2\n3\nnever\n1\n1,2\n2\nAll good\ny\n",
        &["--name", "Alex"],
    )
    .success()
    .stdout(
        predicate::str::contains("## Your scores")
            .and(predicate::str::contains("Report for **Alex**")),
    )
    .stderr(predicate::str::contains("[1 of 9]").and(predicate::str::contains("[9 of 9]")));
    let a = saved(dir.path());
    assert_eq!(answer(dir.path(), "role"), "hurt");
    assert_eq!(answer(dir.path(), "b"), "2");
    assert_eq!(
        answer(dir.path(), "c"),
        "often",
        "option number 3 of `four`"
    );
    assert_eq!(answer(dir.path(), "afraid"), "no");
    assert_eq!(a["causes"][0].as_str(), Some("lies"));
    assert_eq!(a["causes"][1].as_str(), Some("debt"));
    assert!(
        a.get("e").is_none(),
        "e is only for the partner who broke trust"
    );
    // The saved file scores as written: mean_ab = (4 + (6 - 2)) / 2 = 4.
    let report = Command::cargo_bin("mend")
        .unwrap()
        .args(["report", "tests/fixtures/mini.yaml"])
        .arg(dir.path().join("answers.yaml"))
        .args(["--format", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&report).unwrap();
    assert_eq!(report["scales"][0]["score"], 4.0);
}

#[test]
fn conditional_questions_appear_when_their_condition_holds() {
    let dir = tempfile::tempdir().unwrap();
    take(dir.path(), "broke\n4\n2\n3\nnever\n1\n5\n\n2\n\n", &[])
        .success()
        .stderr(predicate::str::contains("[7 of 10]").and(predicate::str::contains("Item E")));
    assert_eq!(answer(dir.path(), "e"), "5");
}

#[test]
fn back_and_skip() {
    let dir = tempfile::tempdir().unwrap();
    // a=4, then back to a, change it to 5, skip b, ...
    take(dir.path(), "hurt\n4\n<\n5\n\n3\nnever\n\n\n2\n\n\n", &[]).success();
    assert_eq!(answer(dir.path(), "a"), "5");
    assert_eq!(answer(dir.path(), "b"), "~", "a skip is saved as a blank");
    assert_eq!(answer(dir.path(), "c"), "often");
}

#[test]
fn going_back_from_the_first_question_says_so() {
    let dir = tempfile::tempdir().unwrap();
    take(dir.path(), "<\nq\n", &[])
        .success()
        .stderr(predicate::str::contains("This is the first question."));
}

#[test]
fn bad_input_is_asked_again_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    take(dir.path(), "\nwizard\nhurt\n9\nabc\n4\nq\n", &[])
        .success()
        .stderr(
            predicate::str::contains("This question needs an answer.")
                .and(predicate::str::contains(
                    "`wizard` is not one of its options",
                ))
                .and(predicate::str::contains("`9` is not one of its options"))
                .and(predicate::str::contains("panicked").not()),
        );
    assert_eq!(answer(dir.path(), "a"), "4");
}

#[test]
fn an_interrupted_session_resumes_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    // Input ends after three answers, as when the terminal closes: saved so far.
    take(dir.path(), "hurt\n4\n2\n", &["--name", "Alex"])
        .success()
        .stderr(predicate::str::contains(
            "Run the same command again to carry on",
        ));
    assert_eq!(answer(dir.path(), "b"), "2");
    assert!(saved(dir.path()).get("c").is_none());
    // Again: carries on at c, the fourth question.
    take(dir.path(), "3\nnever\n1\n\n2\n\nn\n", &["--name", "Alex"])
        .success()
        .stderr(
            predicate::str::contains("Carrying on")
                .and(predicate::str::contains("[4 of 9]"))
                .and(predicate::str::contains("[1 of 9]").not()),
        );
    assert_eq!(answer(dir.path(), "role"), "hurt");
    assert_eq!(answer(dir.path(), "c"), "often");
    assert_eq!(answer(dir.path(), "afraid"), "no");
}

#[test]
fn finished_or_someone_elses_answers_are_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    take(
        dir.path(),
        "hurt\n4\n2\n3\nnever\n1\n1\n2\n\nn\n",
        &["--name", "Alex"],
    )
    .success();
    let before = fs::read_to_string(dir.path().join("answers.yaml")).unwrap();
    take(dir.path(), "q\n", &["--name", "Alex"]).code(1).stderr(
        predicate::str::contains("already complete").and(predicate::str::contains("--force")),
    );
    take(dir.path(), "q\n", &["--name", "Sam"])
        .code(1)
        .stderr(predicate::str::contains("the answers of Alex"));
    assert_eq!(
        fs::read_to_string(dir.path().join("answers.yaml")).unwrap(),
        before
    );
    take(dir.path(), "broke\nq\n", &["--name", "Sam", "--force"]).success();
    assert_eq!(answer(dir.path(), "role"), "broke");
}

#[test]
fn a_file_that_is_not_answers_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("answers.yaml"), "my diary: do not touch\n").unwrap();
    take(dir.path(), "hurt\n", &[])
        .code(1)
        .stderr(predicate::str::contains("cannot resume"));
    assert_eq!(
        fs::read_to_string(dir.path().join("answers.yaml")).unwrap(),
        "my diary: do not touch\n"
    );
}
