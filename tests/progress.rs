//! `mend progress` over dated answer sets of tests/fixtures/mini.yaml, with known changes.
//!
//! mean_ab gives reliability 0.8 and sd 1: the standard error is 1 * sqrt(1 - 0.8) = 0.4472,
//! the standard error of a difference sqrt(2) * 0.4472 = 0.6325, so a change of 2 has
//! RCI 2 / 0.6325 = 3.16 (reliable, above 1.96) and a change of 0.5 has RCI 0.79 (not).

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

/// Writes an answers file for mini: a and b for `mean_ab` (b is reversed).
fn answers(dir: &Path, name: &str, who: &str, date: &str, a: u8, b: u8) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, format!("questionnaire: mini\nversion: \"2.0\"\nrespondent: {who}\ndate: {date}\nanswers:\n  role: hurt\n  a: {a}\n  b: {b}\n")).unwrap();
    path
}

fn progress_json(files: &[PathBuf]) -> serde_json::Value {
    let out = mend()
        .args([
            "progress",
            "-q",
            "tests/fixtures/mini.yaml",
            "--format",
            "json",
        ])
        .args(files)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn three_dated_answer_sets_show_changes_crossings_and_reliable_change() {
    let dir = tempfile::tempdir().unwrap();
    // Given out of order: mend sorts them by date.
    let files = vec![
        answers(dir.path(), "c.yaml", "Alex", "2026-02-01", 4, 2), // mean 4, high
        answers(dir.path(), "a.yaml", "Alex", "2026-01-01", 2, 4), // mean 2, low
        answers(dir.path(), "b.yaml", "Alex", "2026-01-15", 3, 3), // mean 3, mid
    ];
    let v = progress_json(&files);
    assert_eq!(
        v["dates"],
        serde_json::json!(["2026-01-01", "2026-01-15", "2026-02-01"])
    );
    let ab = &v["scales"][0];
    let scores: Vec<f64> = ab["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["score"].as_f64().unwrap())
        .collect();
    assert_eq!(scores, vec![2.0, 3.0, 4.0]);
    assert_eq!(ab["change_since_first"], 2.0);
    assert_eq!(ab["change_since_last"], 1.0);
    assert_eq!(ab["direction"], "better");
    assert_eq!(ab["rci"], 3.16);
    assert_eq!(ab["reliable"], true);
    let crossings: Vec<(&str, &str)> = ab["crossings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["from"].as_str().unwrap(), c["to"].as_str().unwrap()))
        .collect();
    assert_eq!(crossings, vec![("Low", "Middle"), ("Middle", "High")]);
    assert_eq!(v["celebrate"].as_array().unwrap().len(), 2);
    // Markdown: a table with a sparkline; HTML: an inline SVG chart and nothing external.
    mend()
        .args(["progress", "-q", "tests/fixtures/mini.yaml"])
        .args(&files)
        .assert()
        .success()
        .stdout(
            predicate::str::contains(
                "| Mean of A and B | 2 (Low) | 3 (Middle) | 4 (High) | `▃▅▆` | +2 | +1 |",
            )
            .and(predicate::str::contains(
                "This is a reliable change (RCI 3.16)",
            )),
        );
    let html = mend()
        .args([
            "progress",
            "-q",
            "tests/fixtures/mini.yaml",
            "--format",
            "html",
        ])
        .args(&files)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("<svg") && html.contains("<polyline"));
    assert!(!html.contains("<script") && !html.contains("src=\"http"));
}

#[test]
fn noise_is_not_celebrated() {
    let dir = tempfile::tempdir().unwrap();
    // 2.5 (low) to 3 (mid): a band crossed, but a change of 0.5 is RCI 0.79, within noise.
    let files = vec![
        answers(dir.path(), "a.yaml", "Alex", "2026-01-01", 3, 4),
        answers(dir.path(), "b.yaml", "Alex", "2026-01-15", 3, 3),
    ];
    let v = progress_json(&files);
    assert_eq!(v["scales"][0]["rci"], 0.79);
    assert_eq!(v["scales"][0]["reliable"], false);
    assert_eq!(v["scales"][0]["crossings"].as_array().unwrap().len(), 1);
    assert!(
        v["celebrate"].as_array().unwrap().is_empty(),
        "{}",
        v["celebrate"]
    );
}

#[test]
fn dates_people_and_questionnaires_must_match() {
    let dir = tempfile::tempdir().unwrap();
    let a = answers(dir.path(), "a.yaml", "Alex", "2026-01-01", 3, 3);
    let same_day = answers(dir.path(), "b.yaml", "Alex", "2026-01-01", 4, 2);
    mend()
        .args(["progress", "-q", "tests/fixtures/mini.yaml"])
        .arg(&a)
        .arg(&same_day)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the same date (2026-01-01)"));
    let sam = answers(dir.path(), "c.yaml", "Sam", "2026-02-01", 4, 2);
    mend()
        .args(["progress", "-q", "tests/fixtures/mini.yaml"])
        .arg(&a)
        .arg(&sam)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("from Sam, the others from Alex"));
    let undated = dir.path().join("d.yaml");
    fs::write(
        &undated,
        "questionnaire: mini\nversion: \"2.0\"\nanswers:\n  role: hurt\n",
    )
    .unwrap();
    mend()
        .args(["progress", "-q", "tests/fixtures/mini.yaml"])
        .arg(&a)
        .arg(&undated)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("d.yaml").and(predicate::str::contains("no `date:`")));
    mend()
        .args([
            "progress",
            "examples/communication-alex.yaml",
            "examples/readiness-alex.yaml",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not `communication`"));
}

#[test]
fn the_bundled_progress_example_runs() {
    mend()
        .args([
            "progress",
            "examples/progress/communication-alex-2026-10-01.yaml",
            "examples/progress/communication-alex-2026-10-15.yaml",
            "examples/progress/communication-alex-2026-11-01.yaml",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Worth celebrating").and(predicate::str::contains(
                "went from Some time to talk to A steady habit",
            )),
        );
}
