//! No data loss: a file mend writes is either the old one or the whole new one, whenever mend
//! is killed; files are created readable by their owner only; and nothing is overwritten
//! without `--force`. Runs the real binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real binary, as a plain process (so that it can be killed at any moment).
fn mend() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("mend"));
    cmd.current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1763596800")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Runs mend to the end; returns the exit code and what it printed on standard error.
fn run(args: &[&str], stdin: &str) -> (Option<i32>, String) {
    let mut cmd = assert_cmd::Command::cargo_bin("mend").unwrap();
    let out = cmd
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1763596800")
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A deterministic pseudo-random sequence (xorshift64*), so that a failure can be replayed.
struct Prng(u64);

impl Prng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The questions of `communication`, as `mend show --format json` gives them.
struct Question {
    id: String,
    kind: String,
    values: Vec<String>,
    min: i64,
    max: i64,
    conditional: bool,
}

fn communication() -> Vec<Question> {
    let out = assert_cmd::Command::cargo_bin("mend")
        .unwrap()
        .args(["show", "communication", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut questions = Vec::new();
    for section in v["sections"].as_array().unwrap() {
        for item in section["items"].as_array().unwrap() {
            let values = item["options"]
                .as_array()
                .map(|o| {
                    o.iter()
                        .map(|o| match &o["value"] {
                            serde_json::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            questions.push(Question {
                id: item["id"].as_str().unwrap().to_string(),
                kind: item["type"].as_str().unwrap().to_string(),
                values,
                min: item["min"].as_f64().unwrap_or(0.0) as i64,
                max: item["max"].as_f64().unwrap_or(10.0) as i64,
                conditional: !item["show_if"].is_null() || !section["show_if"].is_null(),
            });
        }
    }
    questions
}

/// A CSV of `rows` valid responses to `communication` (conditional questions left blank).
fn responses(questions: &[Question], rows: usize, seed: u64) -> String {
    let mut rng = Prng(seed);
    let mut out = String::from("id");
    for q in questions {
        out.push(',');
        out.push_str(&q.id);
    }
    out.push('\n');
    for r in 0..rows {
        out.push_str(&format!("r{r}"));
        for q in questions {
            out.push(',');
            if q.conditional {
                continue;
            }
            match q.kind.as_str() {
                "number" => {
                    let span = (q.max - q.min + 1) as u64;
                    out.push_str(&(q.min + rng.below(span) as i64).to_string());
                }
                "text" => out.push_str("fine"),
                _ => out.push_str(&q.values[rng.below(q.values.len() as u64) as usize]),
            }
        }
        out.push('\n');
    }
    out
}

const OLD: &str = "id,old\nthis is the old file, and it must survive whole\n";

/// What one killed run left.
#[derive(Debug, Default)]
struct Tally {
    old: usize,
    new: usize,
    temp_files: usize,
    temp_bytes: u64,
}

/// Starts `args` (which write `out` with --force) over `OLD`, kills it after `delay`, and
/// checks that `out` is the old file or a whole new one (`whole` says which new ones are).
/// Temporary files a kill leaves (`.mend-*.tmp`, which no process can clean up after
/// SIGKILL) are counted and removed; nothing else may be left.
fn kill_once(
    args: &[&str],
    out: &Path,
    delay: Duration,
    whole: &dyn Fn(&str) -> bool,
    tally: &mut Tally,
) {
    fs::write(out, OLD).unwrap();
    let dir = out.parent().unwrap();
    let before: Vec<_> = names(dir);
    let mut child: Child = mend().args(args).spawn().unwrap();
    std::thread::sleep(delay);
    let _ = child.kill(); // SIGKILL; it may have finished already
    child.wait().unwrap();
    let now = fs::read(out).unwrap();
    let now = String::from_utf8(now).expect("the output is UTF-8");
    if now == OLD {
        tally.old += 1;
    } else {
        assert!(
            whole(&now),
            "after a kill at {delay:?}, {} is torn: {} bytes, ends with {:?}",
            out.display(),
            now.len(),
            &now[now.len().saturating_sub(80)..]
        );
        tally.new += 1;
    }
    for name in names(dir) {
        if before.contains(&name) {
            continue;
        }
        assert!(
            name.starts_with(".mend-") && name.ends_with(".tmp"),
            "a kill left {name}"
        );
        tally.temp_files += 1;
        tally.temp_bytes += fs::metadata(dir.join(&name)).unwrap().len();
        fs::remove_file(dir.join(&name)).unwrap();
    }
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

#[test]
fn a_killed_batch_leaves_the_old_file_or_the_whole_new_one() {
    let start = Instant::now();
    let questions = communication();
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("out");
    fs::create_dir(&work).unwrap();
    let big = dir.path().join("big.csv");
    let small = dir.path().join("small.csv");
    let big_rows = 50_000;
    let small_rows = 500;
    fs::write(&big, responses(&questions, big_rows, 0x6d656e64)).unwrap();
    fs::write(&small, responses(&questions, small_rows, 0x736d616c)).unwrap();
    let out = work.join("scores.csv");

    // The small file's whole output, and how long it takes to write.
    let reference = dir.path().join("reference.csv");
    let t = Instant::now();
    let (code, err) = run(
        &["batch", "communication", s(&small), "-o", s(&reference)],
        "",
    );
    let small_time = t.elapsed();
    assert_eq!(code, Some(0), "{err}");
    let reference = fs::read_to_string(&reference).unwrap();
    let header = reference.lines().next().unwrap().to_string();
    let fields = header.split(',').count();

    // The big file takes many seconds (a debug build): a kill within 800 ms (or the small
    // file's whole run, on a slow machine) lands before or during the write.
    // Its output is whole when it has the header, every row, the right number of fields in
    // each, and a final newline.
    let whole_big = |text: &str| {
        let mut lines = text.lines();
        text.ends_with('\n')
            && lines.next() == Some(header.as_str())
            && lines.clone().count() == big_rows
            && lines
                .enumerate()
                .all(|(i, l)| l.starts_with(&format!("r{i},")) && l.split(',').count() == fields)
    };
    let whole_small = |text: &str| text == reference;

    let mut rng = Prng(0x6b696c6c);
    let (mut big_tally, mut small_tally) = (Tally::default(), Tally::default());
    let iterations = 10;
    let big_span = (small_time.as_millis() as u64).max(800);
    for _ in 0..iterations {
        let delay = Duration::from_millis(rng.below(big_span));
        kill_once(
            &["batch", "communication", s(&big), "-o", s(&out), "--force"],
            &out,
            delay,
            &whole_big,
            &mut big_tally,
        );
        // The small file: delays up to 1.5 times its run, so that some kills come near the
        // end (the flush and the rename) and some runs finish.
        let span = (small_time.as_millis() as u64 * 3 / 2).max(50);
        let delay = Duration::from_millis(rng.below(span));
        kill_once(
            &[
                "batch",
                "communication",
                s(&small),
                "-o",
                s(&out),
                "--force",
            ],
            &out,
            delay,
            &whole_small,
            &mut small_tally,
        );
    }
    eprintln!(
        "batch kill loop: {iterations} kills of a {big_rows}-row batch: {big_tally:?}; \
         {iterations} kills of a {small_rows}-row batch (a whole run takes {small_time:.2?}): \
         {small_tally:?}; in {:.1?}",
        start.elapsed()
    );
    assert_eq!(big_tally.old + big_tally.new, iterations);
    assert!(
        big_tally.temp_bytes > 0,
        "no kill landed while the output was being written: the test proved nothing"
    );
}

#[test]
fn a_killed_report_leaves_the_old_file_or_the_whole_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference.html");
    let t = Instant::now();
    let args = ["report", "readiness", "examples/readiness-alex.yaml", "-o"];
    let (code, err) = run(&[&args[..], &[s(&reference)]].concat(), "");
    let took = t.elapsed();
    assert_eq!(code, Some(0), "{err}");
    let reference = fs::read_to_string(&reference).unwrap();

    let work = dir.path().join("out");
    fs::create_dir(&work).unwrap();
    let out = work.join("report.html");
    let mut rng = Prng(0x7265706f);
    let mut tally = Tally::default();
    let span = (took.as_millis() as u64 * 3 / 2).max(20);
    let iterations = 20;
    for _ in 0..iterations {
        let delay = Duration::from_millis(rng.below(span));
        kill_once(
            &[&args[..], &[s(&out), "--force"]].concat(),
            &out,
            delay,
            &|text| text == reference,
            &mut tally,
        );
    }
    eprintln!("report kill loop: {iterations} kills (a whole run takes {took:.2?}): {tally:?}");
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every command that writes a file, with the file it writes (in `dir`).
fn writers(dir: &Path) -> Vec<(Vec<String>, PathBuf)> {
    let p = |name: &str| dir.join(name);
    let o = |args: &[&str], name: &str| -> (Vec<String>, PathBuf) {
        let mut v: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        v.push("-o".into());
        v.push(s(&p(name)).to_string());
        (v, p(name))
    };
    vec![
        o(&["template", "readiness"], "blank.yaml"),
        o(
            &["report", "readiness", "examples/readiness-alex.yaml"],
            "report.html",
        ),
        o(
            &["report", "readiness", "examples/readiness-alex.yaml"],
            "report.md",
        ),
        o(
            &[
                "compare",
                "examples/readiness-alex.yaml",
                "examples/readiness-sam.yaml",
            ],
            "us.html",
        ),
        o(&["homework", "readiness", "--for", "Alex"], "form.html"),
        o(&["homework", "readiness", "--paper"], "paper.html"),
        o(&["show", "readiness", "--format", "html"], "paper2.html"),
        o(
            &[
                "progress",
                "examples/progress/communication-alex-2026-10-01.yaml",
                "examples/progress/communication-alex-2026-11-01.yaml",
            ],
            "progress.html",
        ),
        o(
            &[
                "batch",
                "tests/fixtures/mini.yaml",
                "tests/fixtures/batch-mini.csv",
            ],
            "scores.csv",
        ),
    ]
}

#[cfg(unix)]
#[test]
fn files_mend_writes_are_readable_by_their_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    for (args, path) in writers(dir.path()) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, err) = run(&args, "");
        // batch-mini.csv has bad rows on purpose: exit 1, but the file is written.
        assert!(code == Some(0) || args[0] == "batch", "{args:?}: {err}");
        assert_eq!(mode(&path), 0o600, "{args:?}");
    }
    // Replacing a file that others could read makes it private too.
    let open = dir.path().join("open.html");
    fs::write(&open, "old").unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&open, fs::Permissions::from_mode(0o644)).unwrap();
    }
    let (code, err) = run(&["show", "readiness", "-o", s(&open), "--force"], "");
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(mode(&open), 0o600);

    // The answers `mend take` saves after every question.
    let answers = dir.path().join("answers.yaml");
    let (code, err) = run(
        &["take", "readiness", "--name", "Alex", "-o", s(&answers)],
        "hurt\nq\n",
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(fs::read_to_string(&answers).unwrap().contains("role: hurt"));
    assert_eq!(mode(&answers), 0o600);

    // One report per respondent with batch --reports.
    let reports = dir.path().join("reports");
    let csv = dir.path().join("r.csv");
    fs::write(&csv, "id,role,ss_safe_feelings\np1,hurt,4\np2,broke,2\n").unwrap();
    let (code, err) = run(
        &["batch", "communication", s(&csv), "--reports", s(&reports)],
        "",
    );
    assert_eq!(code, Some(0), "{err}");
    let written = names(&reports);
    assert_eq!(written, ["communication-p1.md", "communication-p2.md"]);
    for name in written {
        assert_eq!(mode(&reports.join(&name)), 0o600, "{name}");
    }
}

const PRECIOUS: &str = "my precious file\n";

/// `args` must refuse to replace `path` (holding `PRECIOUS`): exit 1, a message naming it,
/// the file unchanged, nothing left beside it.
fn refuses_to_overwrite(args: &[&str], path: &Path, stdin: &str) {
    let dir = path.parent().unwrap();
    let before = names(dir);
    let (code, err) = run(args, stdin);
    assert_eq!(code, Some(1), "{args:?}: {err}");
    assert!(err.contains(s(path)), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert_eq!(fs::read_to_string(path).unwrap(), PRECIOUS, "{args:?}");
    assert_eq!(names(dir), before, "{args:?}: left a file");
}

#[test]
fn no_command_overwrites_a_file_without_force() {
    let dir = tempfile::tempdir().unwrap();
    for (args, path) in writers(dir.path()) {
        fs::write(&path, PRECIOUS).unwrap();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refuses_to_overwrite(&args, &path, "");
        let (_, err) = run(&args, "");
        assert!(
            err.contains("already exists") && err.contains("--force"),
            "{err}"
        );
    }
}

#[test]
fn batch_reports_do_not_overwrite_a_report_of_the_same_name() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    fs::create_dir(&reports).unwrap();
    let existing = reports.join("communication-p2.md");
    fs::write(&existing, PRECIOUS).unwrap();
    let csv = dir.path().join("r.csv");
    fs::write(
        &csv,
        "id,role,ss_safe_feelings\np1,hurt,4\np2,broke,2\np3,both,3\n",
    )
    .unwrap();
    let out = dir.path().join("scores.csv");
    let (code, err) = run(
        &[
            "batch",
            "communication",
            s(&csv),
            "--reports",
            s(&reports),
            "-o",
            s(&out),
        ],
        "",
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(s(&existing)) && err.contains("--force"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&existing).unwrap(), PRECIOUS);
    // The batch stopped at that row: no scores were written, no temporary file is left.
    // (The report of the row before it, p1, was written before the stop.)
    assert!(!out.exists());
    assert_eq!(names(dir.path()), ["r.csv", "reports"]);
    assert_eq!(
        names(&reports),
        ["communication-p1.md", "communication-p2.md"]
    );
}

#[test]
fn take_does_not_overwrite_finished_or_someone_elses_answers() {
    let dir = tempfile::tempdir().unwrap();
    let sam = dir.path().join("sam.yaml");
    let original = fs::read_to_string(root().join("examples/readiness-sam.yaml")).unwrap();
    for name in [Some("Alex"), Some("Sam"), None] {
        fs::write(&sam, &original).unwrap();
        let mut args = vec!["take", "readiness", "-o", s(&sam)];
        if let Some(n) = name {
            args.extend(["--name", n]);
        }
        let (code, err) = run(&args, "hurt\nq\n");
        assert_eq!(code, Some(1), "{name:?}: {err}");
        assert!(err.contains("--force"), "{name:?}: {err}");
        assert_eq!(fs::read_to_string(&sam).unwrap(), original, "{name:?}");
    }
    assert_eq!(names(dir.path()), ["sam.yaml"]);
}

#[cfg(unix)]
#[test]
fn a_symlink_in_the_way_is_neither_followed_nor_replaced_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    let link = dir.path().join("report.html");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    // A dangling link: without --force, mend does not write through it.
    let (code, err) = run(&["show", "readiness", "-o", s(&link)], "");
    assert_eq!(code, Some(1), "{err}");
    assert!(!victim.exists(), "mend wrote through a symlink");
    // With --force, the link itself is replaced; what it pointed to is untouched.
    fs::write(&victim, PRECIOUS).unwrap();
    let (code, err) = run(&["show", "readiness", "-o", s(&link), "--force"], "");
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(fs::read_to_string(&victim).unwrap(), PRECIOUS);
    assert!(
        !fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}
