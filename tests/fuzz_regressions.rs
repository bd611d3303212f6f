//! The fuzz targets in `fuzz/` (run with `cargo fuzz`, outside CI), replayed in the normal
//! test suite on their committed seeds (`fuzz/seeds/<target>/`) and on every input a fuzz run
//! has found to crash (added below as its own test). Each input goes through the same API
//! calls as its target and must give a result or a proper error, never a panic.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use mend::batch::{Batch, Column, Output};
use mend::render::Renderer;
use mend::{Format, Questionnaire};

fn seeds(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let path = e.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} has seeds", dir.display());
    files
}

fn mini() -> Questionnaire {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    Questionnaire::parse(&path, &text).unwrap()
}

/// `fuzz_targets/questionnaire.rs`
fn questionnaire(data: &[u8]) -> Result<Questionnaire, String> {
    let text = String::from_utf8_lossy(data);
    Questionnaire::parse(Path::new("fuzz.yaml"), &text).map_err(|e| format!("{e:?}"))
}

/// `fuzz_targets/answers.rs`: how many of the two questionnaires accepted the answers.
fn answers(data: &[u8], qs: &[&Questionnaire]) -> usize {
    let text = String::from_utf8_lossy(data);
    let mut accepted = 0;
    for q in qs {
        match mend::answers::parse(&text, q) {
            Ok(responses) => {
                accepted += 1;
                let _ = mend::assess(q, &responses, "2026-01-01");
            }
            Err(problems) => assert!(!problems.is_empty(), "a rejection says why"),
        }
    }
    accepted
}

/// `fuzz_targets/batch_csv.rs`: the summary, or None when the header matches no question.
fn batch_csv(data: &[u8], q: &Questionnaire) -> Option<mend::batch::Summary> {
    let (format, csv_bytes) = match data.split_first() {
        Some((b, rest)) if b & 1 == 1 => (Output::JsonLines, rest),
        Some((_, rest)) => (Output::Csv, rest),
        None => (Output::Csv, data),
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv_bytes);
    let headers: Vec<String> = reader.headers().ok()?.iter().map(str::to_string).collect();
    let (columns, _) = mend::batch::match_columns(q, &headers, &IndexMap::new());
    if !columns.iter().any(|c| matches!(c, Column::Item(_))) {
        return None;
    }
    let batch = Batch::new(q, columns, format);
    let mut bad = 0;
    let summary = batch
        .run(
            &mut reader,
            std::io::sink(),
            2,
            &mut |_| bad += 1,
            Some(&mut |responses, _, _| {
                let _ = mend::assess(q, responses, "2026-01-01");
                Ok(())
            }),
        )
        .expect("writing to a sink cannot fail");
    assert_eq!(summary.bad, bad);
    Some(summary)
}

/// `fuzz_targets/report.rs`: the HTML report, when the answers parse and assess.
fn report(data: &[u8], q: &Questionnaire, renderer: &Renderer) -> Option<String> {
    let text = String::from_utf8_lossy(data);
    let responses = mend::answers::parse(&text, q).ok()?;
    let report = mend::assess(q, &responses, "2026-01-01").ok()?;
    mend::render_report(&report, Format::Markdown, renderer).expect("Markdown renders");
    let html = mend::render_report(&report, Format::Html, renderer).expect("HTML renders");
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "no <script> in the HTML report"
    );
    Some(html)
}

#[test]
fn questionnaire_seeds_replay() {
    let results: Vec<bool> = seeds("questionnaire")
        .iter()
        .map(|(_, data)| questionnaire(data).is_ok())
        .collect();
    assert!(
        results.iter().any(|ok| *ok),
        "some seed is a valid questionnaire"
    );
    assert!(results.iter().any(|ok| !*ok), "some seed is rejected");
}

#[test]
fn answers_seeds_replay() {
    let readiness = Questionnaire::open("readiness").unwrap();
    let mini = mini();
    let accepted: usize = seeds("answers")
        .iter()
        .map(|(_, data)| answers(data, &[&readiness, &mini]))
        .sum();
    assert!(accepted > 0, "some seed is accepted");
}

#[test]
fn batch_csv_seeds_replay() {
    let q = Questionnaire::open("communication").unwrap();
    let scored: usize = seeds("batch_csv")
        .iter()
        .filter_map(|(_, data)| batch_csv(data, &q))
        .map(|s| s.scored)
        .sum();
    assert!(scored > 0, "some seed row is scored");
}

#[test]
fn report_seeds_replay() {
    let q = Questionnaire::open("readiness").unwrap();
    let renderer = Renderer::new(None).unwrap();
    for (path, data) in seeds("report") {
        assert!(
            report(&data, &q, &renderer).is_some(),
            "{} renders a report",
            path.display()
        );
    }
}

// Crashes found by `cargo fuzz run` go below, one test each, with the minimised input inline.
