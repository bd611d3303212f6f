//! `mend batch` on a small CSV with hand-computed expectations (tests/fixtures/batch-mini.csv,
//! scored with tests/fixtures/mini.yaml).
//!
//! p1 (hurt): a 5, b 1 (reversed 5), c always (3), f rarely (1, reversed 2), d 10, both causes.
//!   mean_ab (5 + 5) / 2 = 5 (high); sum_abc 5 + 5 + 3 = 13; weighted 5 + 2 * 3 = 11;
//!   mixed (5 + 2 + 10) / 3 = 5.67 (hard); with_hidden: e is hidden for `hurt`, so 5;
//!   checklist 2; total mean(5, 5) = 5. Only `any_score` fires: t_help.
//! p2 (broke): a 4, b 2 (4), c Never (0), f often (2, reversed 1), d 0, lies.
//!   mean_ab 4; sum_abc 8; weighted 4; mixed 5 / 3 = 1.67 (fine); with_hidden: e has no
//!   column, needs all: not scored. d < 3 fires `few_talks`: t_listen, t_help.
//! p3: `a` is 7, not an option: bad row. p4: too few fields: bad row.
//! p5 (hurt, afraid yes): SAFETY; t_listen is held back, the flag's strategies lead.

use std::fs;

use assert_cmd::Command;
use predicates::prelude::*;

fn mend() -> Command {
    let mut cmd = Command::cargo_bin("mend").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// The names of the files in `dir`, sorted.
fn file_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn rows(csv_text: &[u8]) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv_text);
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .zip(r.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn scores_match_hand_computed_values_and_bad_rows_are_reported_and_counted() {
    let out = mend()
        .args(["batch", "tests/fixtures/mini.yaml", "tests/fixtures/batch-mini.csv"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("row 4: column \"a\": `7` is not one of its options")
                .and(predicate::str::contains("row 5: it has 6 fields, but the header has 11"))
                .and(predicate::str::contains("scored 3 rows, skipped 2 bad rows, 1 flagged (1 with a SAFETY flag)"))
                .and(predicate::str::contains("columns that match no question, ignored (use --map to assign them): Favourite colour"))
                .and(predicate::str::contains("questions with no column (scored as unanswered): e, notes")),
        )
        .get_output()
        .stdout
        .clone();
    let rows = rows(&out);
    assert_eq!(rows.len(), 3);
    let p1 = &rows[0];
    assert_eq!(p1["id"], "p1");
    assert_eq!(p1["date"], "2026-11-01");
    for (k, v) in [
        ("mean_ab_score", "5"),
        ("mean_ab_band", "high"),
        ("sum_abc_score", "13"),
        ("weighted_score", "11"),
        ("mixed_score", "5.67"),
        ("mixed_band", "hard"),
        ("with_hidden_score", "5"),
        ("checklist_score", "2"),
        ("total_score", "5"),
        ("strategies", "t_help"),
        ("safety_flag", ""),
    ] {
        assert_eq!(p1[k], v, "p1 {k}");
    }
    let p2 = &rows[1];
    for (k, v) in [
        ("mean_ab_score", "4"),
        ("sum_abc_score", "8"),
        ("weighted_score", "4"),
        ("mixed_score", "1.67"),
        ("mixed_band", "fine"),
        ("with_hidden_score", ""),
        ("strategies", "t_listen;t_help"),
    ] {
        assert_eq!(p2[k], v, "p2 {k}");
    }
    let p5 = &rows[2];
    assert_eq!(p5["safety_flag"], "SAFETY");
    assert_eq!(p5["flags"], "safety");
    assert!(p5["strategies"].starts_with("safety_plan;"));
    assert!(!p5["strategies"].contains("t_listen"));
}

#[test]
fn a_mapping_assigns_other_headers_and_json_lines_are_one_object_per_row() {
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("export.csv");
    fs::write(
        &csv_path,
        "Q1,Q2,Who,Colour\n5,1,hurt,blue\n2,4,broke,red\n",
    )
    .unwrap();
    let map = dir.path().join("map.yaml");
    fs::write(&map, "Q1: a\nQ2: b\nWho: role\nColour: ignore\n").unwrap();
    let out = mend()
        .args(["batch", "tests/fixtures/mini.yaml"])
        .arg(&csv_path)
        .arg("--map")
        .arg(&map)
        .args(["--format", "json"])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("Colour")
                .not()
                .and(predicate::str::contains(
                    "scored 2 rows, skipped 0 bad rows",
                )),
        )
        .get_output()
        .stdout
        .clone();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["scales"]["mean_ab"]["score"], 5.0);
    assert_eq!(lines[1]["scales"]["mean_ab"]["score"], 2.0);
    assert_eq!(lines[1]["scales"]["mean_ab"]["band"], "low");
    assert_eq!(lines[0]["id"], "row 2");
}

#[test]
fn reports_are_written_one_per_respondent_and_outputs_are_never_overwritten_silently() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scores.csv");
    let reports = dir.path().join("reports");
    mend()
        .args([
            "batch",
            "tests/fixtures/mini.yaml",
            "tests/fixtures/batch-mini.csv",
            "-o",
        ])
        .arg(&out)
        .arg("--reports")
        .arg(&reports)
        .assert()
        .code(1);
    assert_eq!(rows(&fs::read(&out).unwrap()).len(), 3);
    let names = file_names(&reports);
    assert_eq!(names, vec!["mini-p1.md", "mini-p2.md", "mini-p5.md"]);
    let p5 = fs::read_to_string(reports.join("mini-p5.md")).unwrap();
    assert!(p5.contains("## Before anything else") && p5.contains("Report for **p5**"));
    mend()
        .args([
            "batch",
            "tests/fixtures/mini.yaml",
            "tests/fixtures/batch-mini.csv",
            "-o",
        ])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"));
}

#[test]
fn a_csv_matching_no_question_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("other.csv");
    fs::write(&csv_path, "x,y\n1,2\n").unwrap();
    mend()
        .args(["batch", "tests/fixtures/mini.yaml"])
        .arg(&csv_path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no column matches a question of `mini`",
        ));
}

/// Many rows (more than a few chunks), good and bad, in a known order.
fn many_rows(n: usize) -> String {
    let mut text = String::from("id,role,a,b,c,f,d,causes,afraid\n");
    let roles = ["hurt", "broke", "both"];
    let four = ["never", "rarely", "often", "always"];
    for i in 0..n {
        let row = match i % 97 {
            13 => format!("r{i},hurt,9,1,never,never,1,lies,no\n"), // not an option
            41 => format!("r{i},hurt,3\n"),                         // too few fields
            _ => format!(
                "r{i},{},{},{},{},{},{},{},{}\n",
                roles[i % 3],
                1 + i % 5,
                1 + (i / 5) % 5,
                four[i % 4],
                four[(i / 4) % 4],
                i % 11,
                ["lies", "debt", "lies;debt", ""][i % 4],
                if i % 7 == 0 { "yes" } else { "no" }
            ),
        };
        text.push_str(&row);
    }
    text
}

#[test]
fn the_output_is_the_same_whatever_the_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.csv");
    fs::write(&input, many_rows(5000)).unwrap();
    let run = |jobs: &str, format: &str| {
        let out = mend()
            .args(["batch", "tests/fixtures/mini.yaml"])
            .arg(&input)
            .args(["--format", format, "-j", jobs])
            .assert()
            .code(1)
            .get_output()
            .clone();
        (out.stdout, String::from_utf8(out.stderr).unwrap())
    };
    for format in ["csv", "json"] {
        let (one, one_err) = run("1", format);
        assert!(
            one_err.contains("scored 4896 rows, skipped 104 bad rows"),
            "{one_err}"
        );
        for jobs in ["2", "7"] {
            let (many, many_err) = run(jobs, format);
            assert!(one == many, "{format} output differs with -j {jobs}");
            assert_eq!(
                one_err.replace(&input.display().to_string(), ""),
                many_err.replace(&input.display().to_string(), ""),
                "{format} messages differ with -j {jobs}"
            );
        }
    }
    // Bad rows are told in the order of the input.
    let (_, err) = run("7", "csv");
    let rows: Vec<u64> = err
        .lines()
        .filter_map(|l| l.split(": row ").nth(1)?.split(':').next()?.parse().ok())
        .collect();
    assert_eq!(rows.len(), 104);
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "{rows:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_stops_the_batch_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.csv");
    fs::write(&input, many_rows(20_000)).unwrap();
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mend"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["batch", "tests/fixtures/mini.yaml"])
        .arg(&input)
        .args(["-j", "3"])
        .stdout(full)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("<standard output>: cannot write: No space left on device"),
        "{err}"
    );
}

#[test]
fn a_thread_count_out_of_range_is_a_usage_error() {
    for jobs in ["0", "65", "many"] {
        mend()
            .args([
                "batch",
                "tests/fixtures/mini.yaml",
                "tests/fixtures/batch-mini.csv",
                "-j",
                jobs,
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--jobs"));
    }
}

#[test]
fn a_row_without_a_report_is_told_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    // q2 has no role (required for a report); q1 answers twice under the same id.
    fs::write(
        &input,
        "id,role,a,b\nq1,hurt,4,2\nq2,,3,3\nq1,broke,5,1\nq3,both,2,2\n",
    )
    .unwrap();
    let reports = dir.path().join("reports");
    let out = mend()
        .args(["batch", "tests/fixtures/mini.yaml"])
        .arg(&input)
        .arg("--reports")
        .arg(&reports)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("row 3: no report written: `role` is required")
                .and(predicate::str::contains(
                    "scored 4 rows, skipped 0 bad rows",
                ))
                .and(predicate::str::contains("1 scored row got no report")),
        )
        .get_output()
        .stdout
        .clone();
    assert_eq!(rows(&out).len(), 4, "every row is scored");
    let names = file_names(&reports);
    assert_eq!(names, ["mini-q1-row4.md", "mini-q1.md", "mini-q3.md"]);
    let second = fs::read_to_string(reports.join("mini-q1-row4.md")).unwrap();
    assert!(second.contains("Report for **q1**"), "{second}");
}
