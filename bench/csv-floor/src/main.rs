//! Reads every record of a CSV file the way `mend batch` does (a flexible `csv::Reader`,
//! one reused `StringRecord`, UTF-8 checked), and prints how many records and fields it read.
//! This is the floor that batch scoring is measured against.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: csv-floor <file.csv>");
        return ExitCode::from(2);
    };
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(1);
        }
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
    let mut record = csv::StringRecord::new();
    let (mut records, mut fields, mut bad) = (0u64, 0u64, 0u64);
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                records += 1;
                fields += record.len() as u64;
            }
            Ok(false) => break,
            Err(_) => bad += 1,
        }
    }
    println!("{records} records, {fields} fields, {bad} unreadable");
    ExitCode::SUCCESS
}
