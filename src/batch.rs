//! Batch scoring: responses exported by a form tool (one row per respondent) in, one row of
//! scores, bands, flags and strategies per respondent out. Rows are read, scored and written
//! one at a time, so memory does not grow with the number of rows; a bad row is reported with
//! its number and skipped, never silently dropped.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::mpsc;

use indexmap::IndexMap;
use serde::Serialize;

use crate::answers::{Answer, Responses, Written, check_value};
use crate::error::{Error, Location, Problem};
use crate::model::{ItemType, Scalar};
use crate::questionnaire::{ItemInfo, Questionnaire, suits};
use crate::report::ranked;
use crate::{rules, scoring};

/// What a CSV column holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Item(usize),
    Id,
    Date,
    Ignored,
}

/// How the header was understood, told once before scoring.
#[derive(Debug, Default)]
pub struct HeaderReport {
    pub unmatched_columns: Vec<String>,
    pub unanswered_items: Vec<String>,
    /// Questions that two or more columns answer: ambiguous, so the file is refused.
    pub duplicated: Vec<String>,
}

impl HeaderReport {
    /// What to tell before scoring: columns ignored, questions no column answers.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if !self.unmatched_columns.is_empty() {
            notes.push(format!(
                "columns that match no question, ignored (use --map to assign them): {}",
                self.unmatched_columns.join(", ")
            ));
        }
        if !self.unanswered_items.is_empty() {
            notes.push(format!(
                "questions with no column (scored as unanswered): {}",
                self.unanswered_items.join(", ")
            ));
        }
        notes
    }

    /// Why the file cannot be scored at all (at its header row), if it cannot: two columns
    /// answer one question, or no column answers any.
    pub fn refusal(&self, q: &Questionnaire, columns: &[Column]) -> Option<Problem> {
        let at = Some(Location { line: 1, column: 1 });
        if !self.duplicated.is_empty() {
            return Some(Problem::error(
                at,
                format!(
                    "more than one column answers the same question ({}); keep one column per question, or assign the others to `ignore` with --map",
                    self.duplicated.join(", ")
                ),
            ));
        }
        if !columns.iter().any(|c| matches!(c, Column::Item(_))) {
            return Some(Problem::error(
                at,
                format!(
                    "no column matches a question of `{}`: name columns by question id or text, or give --map",
                    q.file.id
                ),
            ));
        }
        None
    }
}

/// A `--map` file: column header -> question id; a header written twice is refused.
#[derive(serde::Deserialize)]
struct MapFile(#[serde(deserialize_with = "crate::model::unique_map")] IndexMap<String, String>);

/// Reads a `--map` file (`"Column header": item_id`, or `id`, `date`, `ignore`).
pub fn read_map(path: &std::path::Path) -> Result<IndexMap<String, String>, Error> {
    let text = crate::questionnaire::read_text(path)?;
    crate::yaml::parse::<MapFile>(&text)
        .map(|m| m.0)
        .map_err(|p| Error::invalid(path, p))
}

/// Counts for the closing summary; `bad` rows make the exit code 1.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub scored: usize,
    pub bad: usize,
    pub flagged: usize,
    pub safety: usize,
}

/// One bad row: its number (the header is row 1, as a spreadsheet counts) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRow {
    pub row: u64,
    pub reason: String,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Csv,
    /// One JSON object per line.
    JsonLines,
}

/// Lower case letters and digits, single spaces: form tools add punctuation and spacing.
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Matches each header to an item (by id, then by its text), the id or date column, or a
/// mapping given with `--map` (header -> item id, or `id`, `date`, `ignore`).
pub fn match_columns(
    q: &Questionnaire,
    headers: &[String],
    map: &IndexMap<String, String>,
) -> (Vec<Column>, HeaderReport) {
    let by_text: HashMap<String, usize> = q
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| (normalize(&item.text), i))
        .collect();
    let mut report = HeaderReport::default();
    let columns: Vec<Column> = headers
        .iter()
        .map(|h| {
            let target = map.get(h).map(String::as_str).unwrap_or(h.trim());
            if let Some(i) = q.item_index(target) {
                return Column::Item(i);
            }
            match normalize(target).as_str() {
                "id" | "respondent" | "respondent id" | "name" => return Column::Id,
                "date" | "timestamp" => return Column::Date,
                "ignore" => return Column::Ignored,
                _ => {}
            }
            match by_text.get(&normalize(target)) {
                Some(&i) => Column::Item(i),
                None => {
                    report.unmatched_columns.push(h.clone());
                    Column::Ignored
                }
            }
        })
        .collect();
    for (n, column) in columns.iter().enumerate() {
        if let Column::Item(i) = column
            && columns[..n].contains(column)
        {
            report.duplicated.push(q.items[*i].id.clone());
        }
    }
    report.unanswered_items = q
        .items
        .iter()
        .enumerate()
        .filter(|(i, _)| !columns.contains(&Column::Item(*i)))
        .map(|(_, item)| item.id.clone())
        .collect();
    (columns, report)
}

/// Reads cells for one item: an option's value or label (any case, any punctuation), a
/// number, or text; a checklist cell lists several, separated by `;` (or `,`). The lookups
/// are built once per column, not per cell.
pub struct CellParser<'q> {
    item: &'q ItemInfo,
    /// Each option's value as written, where no other option is written the same way: a
    /// cell that is exactly one of these is that option, with no lookup or check.
    exact: Vec<(String, usize)>,
    by_value: HashMap<String, Scalar>,
    by_label: HashMap<String, Scalar>,
}

impl<'q> CellParser<'q> {
    pub fn new(item: &'q ItemInfo) -> Self {
        let written: Vec<String> = item.options.iter().map(|o| o.value.to_string()).collect();
        let exact = written
            .iter()
            .enumerate()
            .filter(|(_, w)| written.iter().filter(|x| x == w).count() == 1)
            .map(|(i, w)| (w.clone(), i))
            .collect();
        CellParser {
            item,
            exact,
            by_value: item
                .options
                .iter()
                .map(|o| (o.value.to_string(), o.value.clone()))
                .collect(),
            by_label: item
                .options
                .iter()
                .map(|o| (normalize(&o.label), o.value.clone()))
                .collect(),
        }
    }

    fn one(&self, token: &str) -> Scalar {
        let token = token.trim();
        if !self.by_value.is_empty()
            && let Some(v) = self.by_value.get(token)
        {
            return v.clone();
        }
        if !self.by_label.is_empty()
            && let Some(v) = self.by_label.get(&normalize(token))
        {
            return v.clone();
        }
        match token.parse::<f64>() {
            Ok(n) if n.is_finite() => Scalar::Number(n),
            _ => Scalar::Text(token.to_string()),
        }
    }

    /// The cell as a checked answer; `None` for an empty cell.
    pub fn parse(&self, cell: &str) -> Result<Option<Answer>, String> {
        let cell = cell.trim();
        if cell.is_empty() {
            return Ok(None);
        }
        if matches!(self.item.kind, ItemType::Choice | ItemType::Yesno)
            && let Some((_, i)) = self
                .exact
                .iter()
                // Option values are short: compared inline, byte by byte.
                .find(|(w, _)| w.len() == cell.len() && w.bytes().eq(cell.bytes()))
        {
            return Ok(Some(Answer::Choice(*i)));
        }
        let written = match self.item.kind {
            ItemType::Text => Written::One(Scalar::Text(cell.to_string())),
            ItemType::Multi => {
                let whole = self.one(cell);
                if self.item.options.iter().any(|o| o.value.matches(&whole)) {
                    Written::Many(vec![whole])
                } else {
                    let sep = if cell.contains(';') { ';' } else { ',' };
                    Written::Many(
                        cell.split(sep)
                            .filter(|t| !t.trim().is_empty())
                            .map(|t| self.one(t))
                            .collect(),
                    )
                }
            }
            _ => Written::One(self.one(cell)),
        };
        check_value(self.item, &written).map(Some)
    }
}

/// What one respondent's answers lead to, in the form the output needs (borrowing names from
/// the questionnaire: nothing is copied per row that need not be).
#[derive(Debug)]
pub struct RowResult<'q> {
    pub id: String,
    pub date: String,
    /// Every scale, in questionnaire order.
    pub scales: Vec<ScaleCell<'q>>,
    pub flags: Vec<String>,
    pub safety: bool,
    pub strategies: Vec<&'q str>,
}

#[derive(Debug)]
pub struct ScaleCell<'q> {
    pub id: &'q str,
    pub score: Option<f64>,
    pub band: Option<&'q str>,
}

/// As JSON: `{"id", "date", "scales": {<scale>: {"score", "band"}}, "flags", "safety",
/// "strategies"}`.
impl Serialize for RowResult<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Scales<'a, 'q>(&'a [ScaleCell<'q>]);
        impl Serialize for Scales<'_, '_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                #[derive(Serialize)]
                struct Cell<'a> {
                    score: Option<f64>,
                    band: Option<&'a str>,
                }
                s.collect_map(self.0.iter().map(|c| {
                    let cell = Cell {
                        score: c.score,
                        band: c.band,
                    };
                    (c.id, cell)
                }))
            }
        }
        let mut st = s.serialize_struct("RowResult", 6)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("date", &self.date)?;
        st.serialize_field("scales", &Scales(&self.scales))?;
        st.serialize_field("flags", &self.flags)?;
        st.serialize_field("safety", &self.safety)?;
        st.serialize_field("strategies", &self.strategies)?;
        st.end()
    }
}

/// Scores one respondent: scales, flags, and the strategy ids a report would recommend.
pub fn score_row<'q>(
    q: &'q Questionnaire,
    responses: &Responses,
    id: String,
    date: String,
) -> RowResult<'q> {
    let scored = scoring::score(q, responses);
    let eval = rules::evaluate_with(q, responses, &scored, false);
    let role = q
        .role_item()
        .and_then(|item| match responses.answered(item) {
            // Roles are texts (`hurt`, `broke`); any other value suits every strategy.
            Some(Answer::Choice(i)) => match &item.options[*i].value {
                Scalar::Text(t) => Some(t.as_str()),
                Scalar::Number(_) => None,
            },
            _ => None,
        });
    let mut strategies: Vec<&'q str> = Vec::new();
    for pick in ranked(q, &eval) {
        let Some(s) = q.library.strategies.get(pick.strategy) else {
            continue;
        };
        let fits = suits(&s.audience, role) && !s.avoid_with.iter().any(|f| eval.has_flag(f));
        if fits && !strategies.contains(&pick.strategy) {
            strategies.push(pick.strategy);
        }
    }
    RowResult {
        id,
        date,
        scales: q
            .scales
            .iter()
            .zip(&scored.scales)
            .map(|(info, s)| ScaleCell {
                id: &info.def.id,
                score: s.score,
                band: s.band.map(|b| info.def.bands[b].id.as_str()),
            })
            .collect(),
        safety: eval.has_flag("safety"),
        flags: eval.raised.into_iter().map(|r| r.flag).collect(),
        strategies,
    }
}

/// Streams `input` through scoring into `output`, calling `on_bad` for each bad row and
/// `on_row` after each scored one (for per-respondent reports and progress).
pub struct Batch<'q> {
    q: &'q Questionnaire,
    columns: Vec<Column>,
    parsers: Vec<Option<CellParser<'q>>>,
    format: Output,
}

impl<'q> Batch<'q> {
    pub fn new(q: &'q Questionnaire, columns: Vec<Column>, format: Output) -> Self {
        let parsers = columns
            .iter()
            .map(|c| match c {
                Column::Item(i) => Some(CellParser::new(&q.items[*i])),
                _ => None,
            })
            .collect();
        Batch {
            q,
            columns,
            parsers,
            format,
        }
    }

    /// The output header for CSV: id, the safety flag (so it stands out), each scale's score
    /// and band, all flags, the strategies.
    fn csv_header(&self) -> Vec<String> {
        let mut h = vec![
            "id".to_string(),
            "safety_flag".to_string(),
            "date".to_string(),
        ];
        for s in &self.q.scales {
            h.push(format!("{}_score", s.def.id));
            h.push(format!("{}_band", s.def.id));
        }
        h.push("flags".to_string());
        h.push("strategies".to_string());
        h
    }

    /// Writes one output row field by field, formatting numbers into a reused buffer.
    fn write_csv_record<W: Write>(
        w: &mut csv::Writer<W>,
        r: &RowResult,
        buf: &mut String,
    ) -> csv::Result<()> {
        w.write_field(&r.id)?;
        w.write_field(if r.safety { "SAFETY" } else { "" })?;
        w.write_field(&r.date)?;
        for cell in &r.scales {
            buf.clear();
            if let Some(score) = cell.score {
                write_score(buf, score);
            }
            w.write_field(buf.as_bytes())?;
            w.write_field(cell.band.unwrap_or_default())?;
        }
        joined(buf, r.flags.iter().map(String::as_str));
        w.write_field(buf.as_bytes())?;
        joined(buf, r.strategies.iter().copied());
        w.write_field(buf.as_bytes())?;
        w.write_record(None::<&[u8]>)
    }

    /// Turns one CSV record into checked answers (with the respondent's id and date), or
    /// says what is wrong with it.
    pub fn responses(&self, record: &csv::StringRecord) -> Result<Responses, String> {
        if record.len() != self.columns.len() {
            return Err(format!(
                "it has {} fields, but the header has {}",
                record.len(),
                self.columns.len()
            ));
        }
        let mut responses = Responses::empty(self.q);
        let mut date = String::new();
        for ((column, parser), cell) in self.columns.iter().zip(&self.parsers).zip(record.iter()) {
            match (column, parser) {
                (Column::Item(i), Some(parser)) => match parser.parse(cell) {
                    Ok(answer) => responses.answers[*i] = answer,
                    Err(e) => return Err(format!("column \"{}\": {e}", self.q.items[*i].id)),
                },
                (Column::Id, _) => responses.respondent = cell.trim().to_string(),
                (Column::Date, _) => date = cell.trim().to_string(),
                _ => {}
            }
        }
        responses.date = Some(date);
        Ok(responses)
    }

    /// Runs the batch; the summary counts scored, bad and flagged rows. `on_bad` hears of
    /// each bad row and `on_row` (when given) of each scored one, in the order of the input.
    ///
    /// Rows are read on one thread, scored a chunk at a time on `jobs` threads (at most
    /// [`MAX_JOBS`]), and written in order on the calling thread; only a few chunks are in
    /// flight at any time, so memory does not grow with the number of rows.
    pub fn run<R: Read + Send, W: Write>(
        &self,
        reader: &mut csv::Reader<R>,
        output: W,
        jobs: usize,
        on_bad: &mut dyn FnMut(BadRow),
        mut on_row: Option<&mut OnRow>,
    ) -> Result<Summary, Error> {
        let jobs = jobs.clamp(1, MAX_JOBS);
        let in_flight = 4 * jobs;
        let mut output = std::io::BufWriter::new(output);
        if self.format == Output::Csv {
            let mut header = csv::Writer::from_writer(Vec::new());
            header
                .write_record(self.csv_header())
                .map_err(csv_write_error)?;
            let header = header
                .into_inner()
                .map_err(|e| write_error(std::io::Error::other(e.to_string())))?;
            output.write_all(&header).map_err(write_error)?;
        }
        let keep_rows = on_row.is_some();
        let mut summary = Summary::default();
        std::thread::scope(|scope| -> Result<(), Error> {
            // Empty chunks go round: reader -> workers -> here -> reader. Holding one is the
            // permission to read more, which bounds what is in flight. Every channel end is
            // owned by the thread that uses it, so when any of them stops (the input ends, or
            // writing fails here), the others see it and stop too.
            let (free_tx, free_rx) = mpsc::sync_channel::<Chunk>(in_flight);
            let (work_tx, work_rx) = mpsc::sync_channel::<Chunk>(in_flight);
            let (done_tx, done_rx) = mpsc::sync_channel::<ScoredChunk<'q>>(in_flight);
            for _ in 0..in_flight {
                let _ = free_tx.send(Chunk::default());
            }
            scope.spawn(move || read_chunks(reader, &free_rx, &work_tx));
            let work_rx = std::sync::Arc::new(std::sync::Mutex::new(work_rx));
            for _ in 0..jobs {
                let done_tx = done_tx.clone();
                let work_rx = work_rx.clone();
                scope.spawn(move || {
                    while let Some(chunk) = next_chunk(&work_rx) {
                        if done_tx.send(self.score_chunk(chunk, keep_rows)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop((done_tx, work_rx));
            let mut pending = std::collections::BTreeMap::new();
            let mut next = 0u64;
            for scored in done_rx {
                pending.insert(scored.chunk.seq, scored);
                while let Some(mut scored) = pending.remove(&next) {
                    next += 1;
                    output.write_all(&scored.out).map_err(write_error)?;
                    for outcome in scored.outcomes.drain(..) {
                        match outcome {
                            Outcome::Bad(bad, fatal) => {
                                summary.bad += 1;
                                let reason = bad.reason.clone();
                                on_bad(bad);
                                if fatal {
                                    return Err(Error::Read {
                                        path: INPUT.into(),
                                        source: std::io::Error::other(reason),
                                    });
                                }
                            }
                            Outcome::Scored(row) => {
                                summary.scored += 1;
                                summary.flagged += usize::from(row.flagged);
                                summary.safety += usize::from(row.safety);
                                if let (Some(f), Some((responses, result))) =
                                    (on_row.as_mut(), &row.kept)
                                {
                                    f(responses, result, row.row)?;
                                }
                            }
                        }
                    }
                    if let Some(e) = scored.failed {
                        return Err(e);
                    }
                    // The reader may have finished: then nobody needs the chunk back.
                    let _ = free_tx.try_send(scored.chunk);
                }
            }
            Ok(())
        })?;
        output.flush().map_err(write_error)?;
        Ok(summary)
    }

    /// Parses, scores and formats one chunk of rows.
    fn score_chunk(&self, chunk: Chunk, keep_rows: bool) -> ScoredChunk<'q> {
        let mut scored = ScoredChunk {
            out: Vec::new(),
            outcomes: Vec::with_capacity(chunk.len),
            failed: None,
            chunk,
        };
        let mut csv_out =
            (self.format == Output::Csv).then(|| csv::Writer::from_writer(Vec::new()));
        let mut number = String::new();
        for k in 0..scored.chunk.len {
            if let Some((row, reason, fatal)) = &scored.chunk.unreadable[k] {
                let bad = BadRow {
                    row: *row,
                    reason: reason.clone(),
                };
                scored.outcomes.push(Outcome::Bad(bad, *fatal));
                continue;
            }
            let record = &scored.chunk.records[k];
            let row = record.position().map_or(0, |p| p.line());
            let mut responses = match self.responses(record) {
                Ok(r) => r,
                Err(reason) => {
                    scored
                        .outcomes
                        .push(Outcome::Bad(BadRow { row, reason }, false));
                    continue;
                }
            };
            // The id and date move to the result, unless `on_row` needs the answers whole.
            let (mut id, date) = if keep_rows {
                (
                    responses.respondent.clone(),
                    responses.date.clone().unwrap_or_default(),
                )
            } else {
                (
                    std::mem::take(&mut responses.respondent),
                    responses.date.take().unwrap_or_default(),
                )
            };
            if id.is_empty() {
                id = format!("row {row}");
            }
            let result = score_row(self.q, &responses, id, date);
            let written = match &mut csv_out {
                Some(w) => Self::write_csv_record(w, &result, &mut number).map_err(csv_write_error),
                None => serde_json::to_writer(&mut scored.out, &result)
                    .map_err(|e| write_error(e.into()))
                    .map(|()| scored.out.push(b'\n')),
            };
            if let Err(e) = written {
                scored.failed = Some(e);
                break;
            }
            scored.outcomes.push(Outcome::Scored(Box::new(RowDone {
                row,
                flagged: !result.flags.is_empty(),
                safety: result.safety,
                kept: keep_rows.then_some((responses, result)),
            })));
        }
        if let Some(w) = csv_out {
            match w.into_inner() {
                Ok(bytes) => scored.out = bytes,
                Err(e) => scored.failed = Some(write_error(std::io::Error::other(e.to_string()))),
            }
        }
        scored
    }
}

/// `a;b;c` into `buf`, replacing what it held.
fn joined<'a>(buf: &mut String, parts: impl Iterator<Item = &'a str>) {
    buf.clear();
    for (n, part) in parts.enumerate() {
        if n > 0 {
            buf.push(';');
        }
        buf.push_str(part);
    }
}

/// A score as [`crate::model::write_number`] writes it. Scores are rounded to two decimals,
/// so they can be written from whole hundredths, which is faster than formatting a float;
/// the text is the same (the shortest that reads back as the same number).
fn write_score(out: &mut String, score: f64) {
    use std::fmt::Write;
    let hundredths = (score * 100.0).round();
    if hundredths / 100.0 != score || hundredths.abs() >= 1e15 || score.fract() == 0.0 {
        crate::model::write_number(out, score);
        return;
    }
    let h = hundredths as i64;
    let sign = if h < 0 { "-" } else { "" };
    let (whole, cents) = (h.unsigned_abs() / 100, h.unsigned_abs() % 100);
    // Writing to a String cannot fail.
    let _ = if cents % 10 == 0 {
        write!(out, "{sign}{whole}.{}", cents / 10)
    } else {
        write!(out, "{sign}{whole}.{cents:02}")
    };
}

/// What `Batch::run` calls for each scored row: its answers, result and row number.
pub type OnRow<'a> = dyn FnMut(&Responses, &RowResult, u64) -> Result<(), Error> + 'a;

/// Rows read together and handed to one worker.
#[derive(Default)]
struct Chunk {
    seq: u64,
    /// How many of `records` (kept from chunk to chunk for their buffers) are this chunk's.
    len: usize,
    records: Vec<csv::StringRecord>,
    /// For each row, whether it could not be read: its row number, why, and whether reading
    /// had to stop there.
    unreadable: Vec<Option<(u64, String, bool)>>,
}

/// Rows per chunk: enough to make handing over cheap, few enough to keep memory small.
const CHUNK_ROWS: usize = 1024;

/// Fills free chunks with records until the input ends or fails.
fn read_chunks<R: Read>(
    reader: &mut csv::Reader<R>,
    free: &mpsc::Receiver<Chunk>,
    work: &mpsc::SyncSender<Chunk>,
) {
    let mut seq = 0;
    let mut done = false;
    while !done {
        let Ok(mut chunk) = free.recv() else { return };
        chunk.seq = seq;
        chunk.len = 0;
        seq += 1;
        while chunk.len < CHUNK_ROWS && !done {
            if chunk.records.len() == chunk.len {
                chunk.records.push(csv::StringRecord::new());
                chunk.unreadable.push(None);
            }
            let k = chunk.len;
            chunk.unreadable[k] = None;
            match reader.read_record(&mut chunk.records[k]) {
                Ok(false) => {
                    done = true;
                    continue;
                }
                Ok(true) => {}
                Err(e) => {
                    let row = e.position().map_or(0, |p| p.line());
                    done = matches!(e.kind(), csv::ErrorKind::Io(_));
                    let reason = format!("the line cannot be read: {e}");
                    chunk.unreadable[k] = Some((row, reason, done));
                }
            }
            chunk.len += 1;
        }
        if work.send(chunk).is_err() {
            return;
        }
    }
}

/// The next chunk to score, or `None` when reading is over.
fn next_chunk(work: &std::sync::Mutex<mpsc::Receiver<Chunk>>) -> Option<Chunk> {
    work.lock().ok()?.recv().ok()
}

/// A chunk after scoring: its rows formatted for the output, and what happened to each row.
struct ScoredChunk<'q> {
    chunk: Chunk,
    out: Vec<u8>,
    outcomes: Vec<Outcome<'q>>,
    /// Formatting the output failed (after the rows in `outcomes`).
    failed: Option<Error>,
}

enum Outcome<'q> {
    /// A bad row, and whether reading stopped there.
    Bad(BadRow, bool),
    Scored(Box<RowDone<'q>>),
}

struct RowDone<'q> {
    row: u64,
    flagged: bool,
    safety: bool,
    /// The answers and result, for `on_row`.
    kept: Option<(Responses, RowResult<'q>)>,
}

/// The most scoring threads a batch starts.
pub const MAX_JOBS: usize = 64;

/// How errors name the input and output streams (the caller knows their real names).
pub const INPUT: &str = "<batch input>";
pub const OUTPUT: &str = "<batch output>";

fn write_error(source: std::io::Error) -> Error {
    Error::Write {
        path: OUTPUT.into(),
        source,
    }
}

fn csv_write_error(e: csv::Error) -> Error {
    write_error(e.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_written_as_format_number_writes_them() {
        let mut n = -100_000i64;
        while n <= 100_000 {
            for score in [
                n as f64 / 100.0,
                n as f64 / 7.0,
                crate::scoring::round2(n as f64 / 7.0),
            ] {
                let mut fast = String::new();
                write_score(&mut fast, score);
                assert_eq!(fast, crate::model::format_number(score), "{score}");
            }
            n += 1;
        }
        for score in [
            1e14 + 0.25,
            -0.01,
            0.05,
            123456789.99,
            f64::MAX,
            f64::MIN_POSITIVE,
        ] {
            let mut fast = String::new();
            write_score(&mut fast, score);
            assert_eq!(fast, crate::model::format_number(score), "{score}");
        }
    }
}
