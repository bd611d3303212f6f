//! Batch scoring: any bytes as a CSV export for the built-in `communication` questionnaire
//! are scored row by row (bad rows reported and skipped), never a panic.
#![no_main]

use std::sync::LazyLock;

use indexmap::IndexMap;
use libfuzzer_sys::fuzz_target;
use mend::Questionnaire;
use mend::batch::{Batch, Column, Output};

static COMMUNICATION: LazyLock<Questionnaire> =
    LazyLock::new(|| Questionnaire::open("communication").expect("built-in communication loads"));

fuzz_target!(|data: &[u8]| {
    let q = &*COMMUNICATION;
    // The first byte picks the output format, as `--format` does; the rest is the file.
    let (format, csv_bytes) = match data.split_first() {
        Some((b, rest)) if b & 1 == 1 => (Output::JsonLines, rest),
        Some((_, rest)) => (Output::Csv, rest),
        None => (Output::Csv, data),
    };
    // Read the way `mend batch` reads it.
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv_bytes);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(_) => return,
    };
    let (columns, _report) = mend::batch::match_columns(q, &headers, &IndexMap::new());
    if !columns.iter().any(|c| matches!(c, Column::Item(_))) {
        return;
    }
    let batch = Batch::new(q, columns, format);
    let mut bad = 0usize;
    let mut rows = 0usize;
    let summary = batch
        .run(
            &mut reader,
            std::io::sink(),
            2,
            &mut |_| bad += 1,
            Some(&mut |responses, _result, _row| {
                rows += 1;
                // What `--reports DIR` does per row: assess (missing answers are an error).
                let _ = mend::assess(q, responses, "2026-01-01");
                Ok(())
            }),
        )
        .expect("writing to a sink cannot fail");
    assert_eq!(summary.bad, bad, "every bad row is reported");
    assert_eq!(summary.scored, rows, "every scored row is passed on");
});
