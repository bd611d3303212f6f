//! `cargo bench --bench batch`: batch scoring against the floor of reading the same CSV, on
//! 10^4 synthetic responses to the built-in `communication` questionnaire, generated in memory
//! with a fixed seed. The whole-process benchmark (files, pandas, peak memory) is
//! `bench/run.sh`; both are described in docs/performance.md.
//!
//! - `csv_read`: every record through a `csv::Reader` into one reused `StringRecord` (the floor);
//! - `csv_read_and_parse`: the same, plus turning each record into checked answers;
//! - `score`: scales and bands only (`scoring::score`), on answers parsed beforehand;
//! - `score_row`: scales, flags, rules and strategies (`batch::score_row`), on parsed answers;
//! - `batch_run`: `Batch::run` end to end (read, parse, score, write CSV to a sink).

use std::sync::LazyLock;

use divan::Bencher;
use divan::counter::ItemsCount;
use mend::batch::{Batch, Column, Output};
use mend::model::{ItemType, Scalar};
use mend::questionnaire::Questionnaire;

const ROWS: usize = 10_000;
const QUESTIONNAIRE: &str = "communication";

static Q: LazyLock<Questionnaire> =
    LazyLock::new(|| Questionnaire::open(QUESTIONNAIRE).expect("the built-in questionnaire"));
static DATA: LazyLock<Vec<u8>> = LazyLock::new(|| generate(&Q, ROWS, 42));

fn main() {
    divan::main();
}

/// A small deterministic generator (xorshift64*), so the data is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const TEXTS: &[&str] = &[
    "We talked more this week.",
    "Hard to say, it depends on the day",
    "He said \"later\" again, and then forgot.",
    "no",
];

/// `rows` responses as CSV: an `id` column and one per item; option values, subsets joined by
/// `;`, whole numbers in range, short texts; about 10% of the item cells blank.
fn generate(q: &Questionnaire, rows: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed.max(1));
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["id".to_string()];
    header.extend(q.items.iter().map(|i| i.id.clone()));
    w.write_record(&header).unwrap();
    let mut row: Vec<String> = Vec::new();
    for n in 1..=rows {
        row.clear();
        row.push(format!("r{n}"));
        for item in &q.items {
            if rng.below(10) == 0 {
                row.push(String::new());
                continue;
            }
            let value = |s: &Scalar| s.to_string();
            row.push(match item.kind {
                ItemType::Choice | ItemType::Yesno => {
                    value(&item.options[rng.below(item.options.len())].value)
                }
                ItemType::Multi => {
                    let picked: Vec<String> = item
                        .options
                        .iter()
                        .filter(|_| rng.below(2) == 0)
                        .map(|o| value(&o.value))
                        .collect();
                    picked.join(";")
                }
                ItemType::Number => {
                    let (lo, hi) = (item.min.unwrap_or(0.0), item.max.unwrap_or(10.0));
                    (lo as i64 + rng.below((hi - lo) as usize + 1) as i64).to_string()
                }
                ItemType::Text => TEXTS[rng.below(TEXTS.len())].to_string(),
            });
        }
        w.write_record(&row).unwrap();
    }
    w.into_inner().unwrap()
}

fn reader(data: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().flexible(true).from_reader(data)
}

fn batch() -> Batch<'static> {
    let headers: Vec<String> = reader(&DATA)
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let (columns, _) = mend::batch::match_columns(&Q, &headers, &indexmap::IndexMap::new());
    assert!(
        columns
            .iter()
            .filter(|c| matches!(c, Column::Item(_)))
            .count()
            == Q.items.len()
    );
    Batch::new(&Q, columns, Output::Csv)
}

/// Every row's checked answers, parsed once for the scoring benchmarks.
fn parsed() -> Vec<mend::answers::Responses> {
    let b = batch();
    let mut r = reader(&DATA);
    r.records()
        .map(|rec| b.responses(&rec.unwrap()).unwrap())
        .collect()
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn csv_read(bencher: Bencher) {
    let data = &*DATA;
    bencher.counter(ItemsCount::new(ROWS)).bench(|| {
        let mut r = reader(data);
        let mut record = csv::StringRecord::new();
        let mut n = 0usize;
        while r.read_record(&mut record).unwrap() {
            n += record.len();
        }
        n
    });
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn csv_read_and_parse(bencher: Bencher) {
    let b = batch();
    bencher.counter(ItemsCount::new(ROWS)).bench(|| {
        let mut r = reader(&DATA);
        let mut record = csv::StringRecord::new();
        let mut n = 0usize;
        while r.read_record(&mut record).unwrap() {
            n += b.responses(&record).unwrap().answers.len();
        }
        n
    });
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn score(bencher: Bencher) {
    let rows = parsed();
    bencher.counter(ItemsCount::new(ROWS)).bench(|| {
        rows.iter()
            .map(|r| mend::scoring::score(&Q, r).scales.len())
            .sum::<usize>()
    });
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn score_row(bencher: Bencher) {
    let rows = parsed();
    bencher.counter(ItemsCount::new(ROWS)).bench(|| {
        rows.iter()
            .map(|r| {
                mend::batch::score_row(&Q, r, String::new(), String::new())
                    .strategies
                    .len()
            })
            .sum::<usize>()
    });
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn batch_run(bencher: Bencher) {
    let b = batch();
    bencher.counter(ItemsCount::new(ROWS)).bench(|| {
        let mut r = reader(&DATA);
        let summary = b
            .run(&mut r, std::io::sink(), 1, &mut |_| {}, None)
            .unwrap();
        assert_eq!(summary.scored, ROWS);
        summary
    });
}
