//! Hostile inputs, run through the real `mend` binary.
//!
//! The corpus is in `tests/hostile/` (see its README.md); inputs too big to commit (deep
//! nesting, huge scalars, long files, random bytes) are generated here into a temporary
//! folder. Each invalid input must be refused with exit code 1, a message naming the file, no
//! panic, and no output file (nor a stray temporary file beside it). Hostile *text* in valid
//! inputs must never become active content in the HTML mend writes: the pages are parsed
//! with a real HTML parser (scraper, on html5ever) rather than searched as text.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use scraper::{Html, Node, Selector};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path in the corpus, relative to the crate (as a person would type it).
fn corpus(rel: &str) -> PathBuf {
    PathBuf::from("tests/hostile").join(rel)
}

fn mend() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("mend").unwrap();
    cmd.current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1763596800")
        .write_stdin("q\n");
    cmd
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

/// What a run printed, and how long it took.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

fn run(args: &[OsString]) -> Run {
    let start = Instant::now();
    let out = mend().args(args).output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        took: start.elapsed(),
    }
}

/// Only a guard against hangs (a process still running is killed and the test fails): the
/// times themselves are measured and reported in docs/robustness.md, never asserted.
const SLOW: Duration = Duration::from_secs(120);

/// The first lines of a message, for assertion failures (some messages are megabytes).
fn head(text: &str) -> String {
    text.chars().take(1500).collect()
}

/// Runs `args` followed by `-o <fresh folder>/<output>` and checks that mend refused: exit
/// code 1, the file named in the message with `expect` in it, no panic, no output file and
/// nothing else left in the folder. Returns how long it took.
fn refused(args: &[OsString], output: &str, names: &Path, expect: &str) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(output);
    let mut all = args.to_vec();
    all.push("-o".into());
    all.push(out.clone().into());
    let r = run(&all);
    let what = format!("mend {:?}", args);
    assert!(
        !r.stderr.contains("panicked") && !r.stderr.contains("RUST_BACKTRACE"),
        "{what}: panicked:\n{}",
        head(&r.stderr)
    );
    assert_eq!(
        r.code,
        Some(1),
        "{what}: exit code; stderr:\n{}",
        head(&r.stderr)
    );
    let name = names.display().to_string();
    assert!(
        r.stderr.contains(&name),
        "{what}: the message does not name {name}:\n{}",
        head(&r.stderr)
    );
    assert!(
        r.stderr.contains(expect),
        "{what}: the message does not say `{expect}`:\n{}",
        head(&r.stderr)
    );
    assert!(!out.exists(), "{what}: wrote {}", out.display());
    let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "{what}: left {left:?}");
    assert!(r.took < SLOW, "{what}: took {:?}", r.took);
    r.took
}

/// Every command that reads a questionnaire (or only `show` and `check`, for inputs that
/// are slow to refuse), each refusing `q`: the message must say `expect` for `mend show`.
fn questionnaire_refused(q: &Path, expect: &str, every_command: bool) -> Duration {
    let qs = q.as_os_str();
    let with = |args: &[&str]| -> Vec<OsString> {
        let mut v = os(&args[..1]);
        v.push(qs.to_owned());
        v.extend(os(&args[1..]));
        v
    };
    let took = refused(&with(&["show"]), "q.html", q, expect);
    if !every_command {
        check_refused(q);
        return took;
    }
    refused(&with(&["show", "--format", "json"]), "q.json", q, "");
    refused(&with(&["template"]), "answers.yaml", q, "");
    refused(&with(&["homework", "--for", "Alex"]), "form.html", q, "");
    refused(&with(&["homework", "--paper"]), "paper.html", q, "");
    refused(&with(&["take", "--name", "Alex"]), "answers.yaml", q, "");
    refused(
        &with(&["batch", "tests/fixtures/batch-mini.csv"]),
        "scores.csv",
        q,
        "",
    );
    // Given first with answers, a file that is not a questionnaire is read as answers.
    refused(
        &with(&["report", "examples/readiness-alex.yaml"]),
        "report.html",
        q,
        "",
    );
    check_refused(q);
    took
}

/// Every command that reads answers (to `readiness`), each refusing `a` (or only `report`
/// and `check`); the message must say `expect` for `mend report`.
fn answers_refused(a: &Path, expect: &str, every_command: bool) -> Duration {
    let a = a.as_os_str().to_owned();
    let p = Path::new(&a);
    let took = refused(
        &[
            "report".into(),
            "readiness".into(),
            a.clone(),
            "--format".into(),
            "html".into(),
        ],
        "report.html",
        p,
        expect,
    );
    if !every_command {
        check_refused(p);
        return took;
    }
    refused(&["report".into(), a.clone()], "report.md", p, "");
    refused(
        &[
            "compare".into(),
            a.clone(),
            "examples/readiness-sam.yaml".into(),
        ],
        "us.html",
        p,
        "",
    );
    refused(
        &[
            "compare".into(),
            "-q".into(),
            "readiness".into(),
            "examples/readiness-alex.yaml".into(),
            a.clone(),
            "--for".into(),
            "therapist".into(),
        ],
        "us.html",
        p,
        "",
    );
    refused(
        &[
            "progress".into(),
            "-q".into(),
            "readiness".into(),
            "examples/readiness-alex.yaml".into(),
            a.clone(),
        ],
        "progress.html",
        p,
        "",
    );
    check_refused(p);
    took
}

/// `mend check` on a file finds its errors (a folder is a place to look for files, not one).
fn check_refused(file: &Path) {
    if file.is_dir() {
        return;
    }
    let r = run(&[OsString::from("check"), file.into()]);
    assert_eq!(r.code, Some(1), "check {file:?}: {}", head(&r.stderr));
    assert!(
        r.stderr.contains(&file.display().to_string()),
        "check {file:?}"
    );
    assert!(!r.stderr.contains("panicked"), "check {file:?}");
}

/// Files in a corpus folder, sorted, except those named in `skip`.
fn files(folder: &str, ext: &str, skip: &[&str]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(root().join("tests/hostile").join(folder))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(ext) && !skip.contains(&n.as_str()))
        .map(|n| corpus(&format!("{folder}/{n}")))
        .collect();
    out.sort();
    out
}

/// Files that must work (a BOM), or that show a bug in mend (tested, ignored, below).
const NOT_REFUSED: &[&str] = &[
    "bom.yaml",
    "duplicate-key-in-a-map.yaml",
    "duplicate-answer.yaml",
];

/// What the message must say for each committed case (`q`: a questionnaire, else answers).
fn expected(name: &str, q: bool) -> &'static str {
    match name {
        "alias-bomb.yaml" if q => "unknown field `a`",
        "alias-bomb-top-level.yaml" => "unknown field `a`",
        "alias-bomb.yaml" | "alias-bomb-in-a-key.yaml" | "not-a-map.yaml" => "invalid type",
        "blank.yaml" => "",
        "duplicate-top-level-key.yaml" => "duplicate field",
        "empty.yaml" => "empty",
        "invalid-utf8.yaml" => "not UTF-8",
        "nan-and-bools.yaml" => "finite number",
        "syntax-error.yaml" => "YAML syntax problem",
        "tabs.yaml" => "",
        other => panic!("no expectation for {other}: add one"),
    }
}

#[test]
fn every_hostile_questionnaire_is_refused() {
    let cases = files("questionnaires", ".yaml", NOT_REFUSED);
    assert!(cases.len() >= 9, "{cases:?}");
    for q in &cases {
        let name = q.file_name().unwrap().to_str().unwrap();
        let took = questionnaire_refused(q, expected(name, true), true);
        eprintln!("questionnaire {name}: refused in {took:.2?}");
    }
}

#[test]
fn every_hostile_answers_file_is_refused() {
    let cases = files("answers", ".yaml", NOT_REFUSED);
    assert!(cases.len() >= 10, "{cases:?}");
    for a in &cases {
        let name = a.file_name().unwrap().to_str().unwrap();
        let took = answers_refused(a, expected(name, false), true);
        eprintln!("answers {name}: refused in {took:.2?}");
    }
}

#[test]
fn tabs_are_refused_with_a_located_message() {
    for (kind, q) in [("questionnaires", true), ("answers", false)] {
        let file = corpus(&format!("{kind}/tabs.yaml"));
        let args = if q {
            vec!["show".into(), file.clone().into()]
        } else {
            vec!["report".into(), "readiness".into(), file.clone().into()]
        };
        let r = run(&args);
        assert_eq!(r.code, Some(1));
        let at = format!("{}:", file.display());
        let line = r.stderr.lines().find(|l| l.starts_with(&at)).unwrap();
        // file:line:column: error: ... (a YAML syntax problem ...)
        let rest = &line[at.len()..];
        assert!(
            rest.split(':').next().unwrap().parse::<usize>().is_ok(),
            "{line}"
        );
        assert!(line.contains("YAML syntax problem"), "{line}");
    }
}

/// A deterministic stream of pseudo-random bytes (xorshift64*).
fn random_bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..n)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

/// Hostile files too big to commit, written into `dir`: (name, questionnaire text, answers
/// text, what the message must say).
fn generated(dir: &Path) -> Vec<(String, PathBuf, PathBuf, &'static str)> {
    let mut out = Vec::new();
    let mut add = |name: &str, q: Vec<u8>, a: Vec<u8>, expect: &'static str| {
        let qp = dir.join(format!("q-{name}.yaml"));
        let ap = dir.join(format!("a-{name}.yaml"));
        fs::write(&qp, q).unwrap();
        fs::write(&ap, a).unwrap();
        out.push((name.to_string(), qp, ap, expect));
    };
    let answers_head = "questionnaire: readiness\nversion: \"1.0\"\n";
    // Very deep nesting: 5,000 levels of flow sequences and flow maps, 1,000 of block maps
    // (deeper flow nesting is slow to refuse: see very_deep_flow_nesting_... below).
    let n = 5_000;
    let seqs = format!("{}{}", "[".repeat(n), "]".repeat(n));
    add(
        "deep-flow-sequences",
        format!("id: {seqs}\n").into_bytes(),
        format!("{answers_head}answers:\n  notes: {seqs}\n").into_bytes(),
        "nests lists or maps more than",
    );
    let maps = format!("{}1{}", "{a: ".repeat(n), "}".repeat(n));
    add(
        "deep-flow-maps",
        format!("id: {maps}\n").into_bytes(),
        format!("{answers_head}answers:\n  notes: {maps}\n").into_bytes(),
        "nests lists or maps more than",
    );
    let block: String = (0..1_000)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    add(
        "deep-block-maps",
        format!("id: x\nversion: \"1\"\ntitle: T\nsections:\n{block}").into_bytes(),
        format!("{answers_head}answers:\n{block}").into_bytes(),
        "",
    );
    // A huge scalar: 7 MB (under mend's 8 MiB limit on a file) as a title, and as a
    // respondent's name with a 7 MB answer.
    let huge = "A".repeat(7 << 20);
    add(
        "huge-scalar",
        format!("id: x\nversion: \"1\"\ntitle: {huge}\n").into_bytes(),
        format!("{answers_head}respondent: {huge}\nanswers:\n  role: {huge}\n").into_bytes(),
        "",
    );
    // The same, 64 MB: refused for its size before it is read.
    let huge = "A".repeat(64 << 20);
    add(
        "huge-file",
        format!("id: x\nversion: \"1\"\ntitle: {huge}\n").into_bytes(),
        format!("{answers_head}respondent: {huge}\n").into_bytes(),
        "the most mend reads",
    );
    // A very long file (120,000 lines, 7 MB) whose mistake is on its last line.
    let padding = "# a line of a very long file, written by a tool gone wrong\n".repeat(120_000);
    add(
        "long-file",
        format!("id: x\nversion: \"1\"\n{padding}title: [oops\n").into_bytes(),
        format!("{answers_head}{padding}answers: [oops\n").into_bytes(),
        ":120003:",
    );
    // A binary file: random bytes.
    add(
        "binary",
        random_bytes(0x6d656e64, 4096),
        random_bytes(0x68617264, 4096),
        "not UTF-8",
    );
    out
}

#[test]
fn generated_hostile_files_are_refused_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    for (name, q, a, expect) in generated(dir.path()) {
        let tq = questionnaire_refused(&q, expect, false);
        let ta = answers_refused(&a, expect, false);
        eprintln!("generated {name}: questionnaire refused in {tq:.2?}, answers in {ta:.2?}");
    }
}

#[test]
fn a_directory_a_missing_file_and_an_unreadable_file_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("folder.yaml");
    fs::create_dir(&folder).unwrap();
    questionnaire_refused(&folder, "cannot read", true);
    answers_refused(&folder, "cannot read", true);

    let missing = dir.path().join("no-such-file.yaml");
    questionnaire_refused(&missing, "", true);
    answers_refused(&missing, "cannot read", true);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.path().join("locked.yaml");
        fs::copy(root().join("examples/readiness-alex.yaml"), &locked).unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        // Root (and CAP_DAC_OVERRIDE) reads anything: then there is nothing to test.
        // SAFETY: geteuid has no preconditions and cannot fail.
        let root_user = unsafe { libc::geteuid() } == 0;
        if root_user || fs::read(&locked).is_ok() {
            eprintln!("skipped the unreadable-file case: running as root, every file is readable");
        } else {
            questionnaire_refused(&locked, "cannot read", true);
            answers_refused(&locked, "cannot read", true);
        }
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o600)).unwrap();
    }
}

#[test]
fn a_byte_order_mark_is_read_as_the_text_after_it() {
    let with = run(&os(&["show", "tests/hostile/questionnaires/bom.yaml"]));
    let without = run(&os(&["show", "tests/fixtures/mini.yaml"]));
    assert_eq!(with.code, Some(0), "{}", with.stderr);
    assert_eq!(with.stdout, without.stdout);

    let with = run(&os(&[
        "report",
        "readiness",
        "tests/hostile/answers/bom.yaml",
        "--format",
        "json",
    ]));
    let without = run(&os(&[
        "report",
        "readiness",
        "examples/readiness-alex.yaml",
        "--format",
        "json",
    ]));
    assert_eq!(with.code, Some(0), "{}", with.stderr);
    assert_eq!(with.stdout, without.stdout);
    // Without the questionnaire named: read from the file, after its BOM.
    let r = run(&os(&["report", "tests/hostile/answers/bom.yaml"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let r = run(&os(&["check", "tests/hostile/answers/bom.yaml"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);

    let r = run(&os(&[
        "batch",
        "communication",
        "tests/hostile/csv/bom.csv",
    ]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.lines().nth(1).unwrap().starts_with("p1,"),
        "{}",
        r.stdout
    );
}

/// Runs `mend batch communication <csv> -o out.csv`; returns the run and the output, if any.
fn batch(csv: &Path, extra: &[&str]) -> (Run, Option<String>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scores.csv");
    let mut args = os(&["batch", "communication"]);
    args.push(csv.into());
    args.extend(os(extra));
    args.push("-o".into());
    args.push(out.clone().into());
    let r = run(&args);
    assert!(!r.stderr.contains("panicked"), "{}", head(&r.stderr));
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        names.iter().all(|n| n == "scores.csv"),
        "a stray file is left: {names:?}"
    );
    (r, fs::read_to_string(&out).ok(), dir)
}

#[test]
fn a_csv_that_cannot_be_read_at_all_is_refused_without_output() {
    for (name, expect) in [
        ("invalid-utf8-header.csv", "the header row cannot be read"),
        ("empty.csv", "no column matches a question"),
        ("no-matching-column.csv", "no column matches a question"),
    ] {
        let csv = corpus(&format!("csv/{name}"));
        let (r, out, _dir) = batch(&csv, &[]);
        assert_eq!(r.code, Some(1), "{name}: {}", r.stderr);
        assert!(r.stderr.contains(&csv.display().to_string()), "{name}");
        assert!(r.stderr.contains(expect), "{name}: {}", r.stderr);
        assert!(out.is_none(), "{name}: wrote {out:?}");
    }
}

#[test]
fn bad_csv_rows_are_named_and_skipped_and_only_good_rows_are_written() {
    // (file, rows named as bad, ids of the rows that must be scored)
    let cases: &[(&str, &[u32], &[&str])] = &[
        // The quote opened on row 3 is never closed: the rest of the file is that one field.
        ("unclosed-quote.csv", &[3], &["p1"]),
        ("stray-quote.csv", &[3, 4], &["p1", "p4"]),
        ("wrong-field-counts.csv", &[3, 4], &["p1", "p4"]),
        ("invalid-utf8-row.csv", &[3], &["p1", "p3", "p4"]),
    ];
    for (name, bad, good) in cases {
        let csv = corpus(&format!("csv/{name}"));
        let (r, out, _dir) = batch(&csv, &[]);
        assert_eq!(r.code, Some(1), "{name}: {}", r.stderr);
        for row in *bad {
            let said = format!("{}: row {row}: ", csv.display());
            assert!(
                r.stderr.contains(&said),
                "{name}: no `{said}`:\n{}",
                r.stderr
            );
        }
        let out = out.unwrap_or_else(|| panic!("{name}: no output"));
        assert!(out.ends_with('\n'));
        let mut lines = out.lines();
        assert!(lines.next().unwrap().starts_with("id,safety_flag,"));
        let ids: Vec<&str> = lines.map(|l| l.split(',').next().unwrap()).collect();
        assert_eq!(&ids, good, "{name}");
        let summary = format!("skipped {} bad row", bad.len());
        assert!(r.stderr.contains(&summary), "{name}: {}", r.stderr);
    }
}

#[test]
fn hostile_column_maps_are_refused() {
    let csv = corpus("csv/stray-quote.csv");
    for map in files("maps", ".yaml", &["duplicate-key.yaml"]) {
        let (r, out, _dir) = batch(&csv, &["--map", map.to_str().unwrap()]);
        assert_eq!(r.code, Some(1), "{map:?}: {}", r.stderr);
        assert!(r.stderr.contains(&map.display().to_string()), "{map:?}");
        assert!(out.is_none(), "{map:?}");
    }
}

/// `mend report` with `--templates dir`: refused, naming `dir/report.md`.
fn template_refused(dir: &Path, expect: &str) -> Duration {
    let mut args = os(&["report", "readiness", "examples/readiness-alex.yaml"]);
    args.push("--templates".into());
    args.push(dir.into());
    args.extend(os(&["--format", "html"]));
    refused(&args, "report.html", &dir.join("report.md"), expect)
}

#[test]
fn hostile_templates_are_stopped_with_a_clear_error() {
    for (case, expect) in [
        ("loop-forever", "ran out of fuel"),
        ("output-bomb", "ran out of fuel"),
        ("recursion", "recursion limit exceeded"),
        ("syntax-error", "syntax error"),
        ("include-itself", "include"),
        ("include-outside", "template not found"),
        ("unknown-filter", "unknown filter"),
    ] {
        let took = template_refused(&corpus(&format!("templates/{case}")), expect);
        eprintln!("template {case}: stopped in {took:.2?}");
    }
    // Deeply nested blocks: 5,000 `{% if %}` inside each other.
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("deep");
    fs::create_dir(&t).unwrap();
    let n = 5_000;
    fs::write(
        t.join("report.md"),
        format!("{}x{}", "{% if true %}".repeat(n), "{% endif %}".repeat(n)),
    )
    .unwrap();
    let took = template_refused(&t, "recursion limit");
    eprintln!("template deep-nesting: stopped in {took:.2?}");
    // A template that is not UTF-8.
    let t = dir.path().join("binary");
    fs::create_dir(&t).unwrap();
    fs::write(t.join("report.md"), random_bytes(7, 2048)).unwrap();
    template_refused(&t, "not UTF-8");
}

#[test]
fn take_does_not_resume_from_or_replace_a_hostile_answers_file() {
    let dir = tempfile::tempdir().unwrap();
    for a in files("answers", ".yaml", NOT_REFUSED) {
        let copy = dir.path().join(a.file_name().unwrap());
        fs::copy(root().join(&a), &copy).unwrap();
        let before = fs::read(&copy).unwrap();
        let mut args = os(&["take", "readiness", "--name", "Alex", "-o"]);
        args.push(copy.clone().into());
        let r = run(&args);
        assert_eq!(r.code, Some(1), "{a:?}: {}", r.stderr);
        assert!(r.stderr.contains(&copy.display().to_string()), "{a:?}");
        assert!(!r.stderr.contains("panicked"), "{a:?}");
        assert_eq!(fs::read(&copy).unwrap(), before, "{a:?} was changed");
    }
    let left = fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(left, files("answers", ".yaml", NOT_REFUSED).len());
}

// ---------------------------------------------------------------------------------------
// Bugs found in mend: each test states what should happen, and is ignored until it does.

#[test]
fn a_key_written_twice_in_a_map_is_refused() {
    // `role: hurt` then `role: broke`: the report is silently written for `broke`.
    answers_refused(&corpus("answers/duplicate-answer.yaml"), "role", true);
    // `agree5` twice under response_scales: the second silently replaces the first.
    questionnaire_refused(
        &corpus("questionnaires/duplicate-key-in-a-map.yaml"),
        "agree5",
        true,
    );
}

#[test]
fn a_column_mapped_twice_is_refused() {
    let map = corpus("maps/duplicate-key.yaml");
    let (r, out, _dir) = batch(
        &corpus("csv/stray-quote.csv"),
        &["--map", map.to_str().unwrap()],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains(&map.display().to_string()),
        "{}",
        r.stderr
    );
    assert!(out.is_none());
}

#[test]
fn two_columns_for_one_question_are_refused() {
    let csv = corpus("csv/duplicate-column.csv");
    let (r, out, _dir) = batch(&csv, &[]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("role"), "{}", r.stderr);
    assert!(out.is_none());
}

#[test]
fn a_templates_folder_that_does_not_exist_is_refused() {
    let r = run(&os(&[
        "report",
        "readiness",
        "examples/readiness-alex.yaml",
        "--templates",
        "no/such/folder",
    ]));
    assert_eq!(r.code, Some(1), "{}", head(&r.stdout));
    assert!(r.stderr.contains("no/such/folder"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn an_endless_file_is_refused_at_the_size_limit() {
    use std::os::unix::process::CommandExt;
    // mend may use at most 1 GiB of address space here, so that the bug cannot hurt the
    // machine: today it fails with "cannot read: out of memory" after filling it.
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("mend"));
    cmd.args(["report", "readiness", "/dev/zero"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe, and nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 1 << 30,
                rlim_max: 1 << 30,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the most mend reads"), "{stderr}");
}

/// Bounded time for inputs that are only big: refused within 15 s by a debug build (release
/// is several times faster). A run still going then is killed, and the test fails at once.
fn refused_quickly(args: &[OsString], file: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.html");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("mend"))
        .current_dir(root())
        .args(args)
        .arg("-o")
        .arg(&out)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > SLOW {
            let _ = child.kill();
            let _ = child.wait();
            panic!("mend {args:?} was still running after {SLOW:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{}", head(&stderr));
    assert!(
        stderr.contains(&file.display().to_string()),
        "{}",
        head(&stderr)
    );
    assert!(!out.exists());
}

#[test]
fn an_answers_file_with_many_keys_is_refused_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("many-keys.yaml");
    let keys: String = (0..100_000).map(|i| format!("  x{i}: 1\n")).collect();
    fs::write(
        &a,
        format!("questionnaire: readiness\nversion: \"1.0\"\nanswers:\n{keys}"),
    )
    .unwrap();
    let mut args = os(&["report", "readiness"]);
    args.push(a.clone().into());
    refused_quickly(&args, &a);
}

#[test]
fn a_questionnaire_with_many_items_is_checked_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let q = dir.path().join("many-items.yaml");
    let items: String = (0..10_000)
        .map(|i| format!("      - {{ id: i{i}, text: Item {i}, type: text }}\n"))
        .collect();
    fs::write(
        &q,
        format!("id: big\nversion: \"1\"\ntitle: Big\nsections:\n  - id: s\n    title: S\n    items:\n{items}      - {{ id: last, text: Last, scale: no_such_scale }}\n"),
    )
    .unwrap();
    let mut args = os(&["show"]);
    args.push(q.clone().into());
    refused_quickly(&args, &q);
}

#[test]
fn very_deep_flow_nesting_is_refused_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let q = dir.path().join("deeper.yaml");
    let n = 200_000;
    fs::write(&q, format!("id: {}{}\n", "[".repeat(n), "]".repeat(n))).unwrap();
    let mut args = os(&["show"]);
    args.push(q.clone().into());
    refused_quickly(&args, &q);
}

// ---------------------------------------------------------------------------------------
// Hostile text in valid inputs: nothing may become active in the HTML.

/// Payloads that would be markup if they were not escaped (they are in every text field of
/// tests/hostile/text/questionnaire.yaml and in the answers' names and free text).
const MARKUP: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<svg onload=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<div <p",
    "<!--",
];

/// Template syntax that must arrive as text: evaluated, it would give 49, nine X and (in the
/// answers) 777777.
const TEMPLATE: &[&str] = &["{{ 7*7 }}", "{% for x in range(9) %}X{% endfor %}"];
const EVALUATED: &[&str] = &["XXXXXXXXX", "777777"];

/// The end of every respondent's name: if it were evaluated, "<!-- 49 XXXXXXXXX 777777".
const NAME_TAIL: &str =
    "<div <p <!-- {{ 7*7 }} {% for x in range(9) %}X{% endfor %} {{ 7*111111 }}";

/// Attributes that hold text for people or machines, never a URL or code.
const INERT_ATTRIBUTES: &[&str] = &["alt", "title", "aria-label", "value", "placeholder"];
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "ping",
    "srcset",
    "manifest",
];
const ACTIVE_ELEMENTS: &[&str] = &[
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "link",
];

/// A URL as a browser reads it: ASCII whitespace and control characters anywhere are
/// dropped, case does not matter.
fn url_scheme(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Parses `html` and checks that nothing in it can run; returns the scripts' texts and all
/// text outside scripts and styles.
fn inert(what: &str, html: &str) -> (Vec<String>, String) {
    let doc = Html::parse_document(html);
    let mut scripts = Vec::new();
    let mut text = String::new();
    for node in doc.tree.nodes() {
        match node.value() {
            Node::Element(el) => {
                let name = el.name();
                assert!(
                    !ACTIVE_ELEMENTS.contains(&name),
                    "{what}: a <{name}> element"
                );
                if name == "script" {
                    let body: String = node
                        .children()
                        .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                        .collect();
                    scripts.push(body);
                }
                if name == "meta" {
                    let equiv = el.attr("http-equiv").unwrap_or_default();
                    assert!(
                        !equiv.eq_ignore_ascii_case("refresh"),
                        "{what}: a meta refresh"
                    );
                }
                for (attr, value) in el.attrs() {
                    let attr = attr.to_ascii_lowercase();
                    assert!(
                        !attr.starts_with("on"),
                        "{what}: <{name} {attr}=\"{value}\">"
                    );
                    if URL_ATTRIBUTES.contains(&attr.as_str()) {
                        let url = url_scheme(value);
                        for scheme in ["javascript:", "vbscript:", "data:text/html"] {
                            assert!(
                                !url.starts_with(scheme),
                                "{what}: <{name} {attr}=\"{value}\">"
                            );
                        }
                    }
                    if value.contains("alert(1)") || value.contains("{{") {
                        assert!(
                            INERT_ATTRIBUTES.contains(&attr.as_str()),
                            "{what}: payload text in <{name} {attr}=\"{value}\">"
                        );
                    }
                }
            }
            Node::Text(t) => {
                let parent = node
                    .parent()
                    .and_then(|p| p.value().as_element().map(|e| e.name().to_string()));
                if !matches!(parent.as_deref(), Some("script" | "style")) {
                    text.push_str(t);
                }
            }
            Node::Comment(c) => {
                assert!(
                    !c.contains("alert(1)") && !c.contains("{{"),
                    "{what}: a payload became a comment: {:?}",
                    head(c)
                );
            }
            _ => {}
        }
    }
    // Payloads arrive as text, whole: escaped, not dropped.
    for p in MARKUP.iter().chain(TEMPLATE) {
        assert!(
            text.contains(p),
            "{what}: the text `{p}` is not shown as written"
        );
    }
    for e in EVALUATED {
        assert!(
            !text.contains(e),
            "{what}: template syntax was evaluated ({e})"
        );
    }
    // No element came from a payload: only mend's own.
    let selector = Selector::parse("svg, img, a[href], details, iframe").unwrap();
    for el in doc.select(&selector) {
        let v = el.value();
        let href = v.attr("href").or(v.attr("src")).unwrap_or("#");
        assert!(
            v.name() == "svg"
                || href.is_empty()
                || href.starts_with('#')
                || href.starts_with("http"),
            "{what}: <{} href/src=\"{href}\">",
            v.name()
        );
    }
    (scripts, text)
}

fn text_file(name: &str) -> OsString {
    corpus(&format!("text/{name}")).into()
}

/// Runs mend and returns what it wrote to `-o <tmp>/<output>`.
fn written(args: Vec<OsString>, output: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(output);
    let mut all = args;
    all.push("-o".into());
    all.push(out.clone().into());
    let r = run(&all);
    assert_eq!(r.code, Some(0), "mend {all:?}:\n{}", head(&r.stderr));
    fs::read_to_string(&out).unwrap()
}

fn q_then(first: &[&str], rest: &[&str]) -> Vec<OsString> {
    let mut v = os(first);
    v.push(text_file("questionnaire.yaml"));
    for r in rest {
        if r.ends_with(".yaml") {
            v.push(text_file(r));
        } else {
            v.push(r.into());
        }
    }
    v
}

#[test]
fn hostile_text_in_a_report_stays_text() {
    let html = written(
        q_then(&["report"], &["alex-1.yaml", "--format", "html"]),
        "report.html",
    );
    let (scripts, text) = inert("report", &html);
    assert!(scripts.is_empty(), "report: {} scripts", scripts.len());
    assert!(text.contains("Alex <script>alert(1)</script>"));
    assert!(
        text.contains(NAME_TAIL),
        "report: the name is not shown as written"
    );
    // The flag, the findings (with the answer inserted), the strategies: all there, as text.
    for seen in [
        "Flag <script>",
        "Finding <script>",
        "You wrote: Alex wrote <script>",
        "Strategy <script>",
        "Step <script>",
    ] {
        assert!(text.contains(seen), "report: no `{seen}`");
    }
}

#[test]
fn hostile_text_in_a_comparison_stays_text() {
    for extra in [
        &["--include-notes"][..],
        &["--for", "therapist"],
        &["--for", "therapist", "--include-notes"],
    ] {
        let mut args = os(&["compare", "-q"]);
        args.push(text_file("questionnaire.yaml"));
        args.push(text_file("alex-1.yaml"));
        args.push(text_file("sam.yaml"));
        args.extend(os(&["--format", "html"]));
        args.extend(os(extra));
        let html = written(args, "us.html");
        let what = format!("compare {extra:?}");
        let (scripts, text) = inert(&what, &html);
        assert!(scripts.is_empty(), "{what}: {} scripts", scripts.len());
        assert!(
            text.contains(NAME_TAIL),
            "{what}: a name is not shown as written"
        );
        // The couple sentence, with both names filled in as text.
        assert!(
            text.contains("Alex <script>alert(1)</script>")
                && text.contains("Sam <script>alert(1)</script>"),
            "{what}"
        );
    }
}

#[test]
fn hostile_text_in_a_progress_report_stays_text() {
    let html = written(
        q_then(
            &["progress", "-q"],
            &["alex-1.yaml", "alex-2.yaml", "--format", "html"],
        ),
        "progress.html",
    );
    let (scripts, text) = inert("progress", &html);
    assert!(scripts.is_empty());
    assert!(
        text.contains(NAME_TAIL),
        "progress: the name is not shown as written"
    );
}

#[test]
fn hostile_text_in_a_printable_questionnaire_stays_text() {
    for args in [
        q_then(&["show"], &["--format", "html"]),
        q_then(&["homework"], &["--paper"]),
    ] {
        let html = written(args.clone(), "q.html");
        let (scripts, _) = inert(&format!("{args:?}"), &html);
        assert!(scripts.is_empty());
    }
}

#[test]
fn hostile_text_in_a_homework_form_stays_data() {
    let name = format!("Alex {} {}", MARKUP.join(" "), TEMPLATE.join(" "));
    let note = format!("Note {} {}", MARKUP.join(" "), TEMPLATE.join(" "));
    let mut args = q_then(&["homework"], &["--due", "2026-12-01"]);
    args.extend([
        "--for".into(),
        name.clone().into(),
        "--note".into(),
        note.clone().into(),
    ]);
    let html = written(args, "form.html");
    let (scripts, text) = inert("homework", &html);
    assert!(text.contains(&name), "the name is not shown as written");
    assert!(text.contains(&note), "the note is not shown as written");
    // The form's own two scripts: the runtime with the form's data, and its behaviour.
    assert_eq!(scripts.len(), 2, "homework: scripts");
    for s in &scripts {
        for p in MARKUP {
            assert!(!s.contains(p), "homework: a script holds `{p}`");
        }
        assert!(!s.to_ascii_lowercase().contains("</script"));
    }
    // Every payload in the scripts is inside the JSON data given to mendForm(...): without it,
    // no `alert(` is left; with it, the texts come back exactly as written.
    let data_script = scripts.iter().find(|s| s.contains("mendForm(")).unwrap();
    let start =
        data_script.find("const MEND = mendForm(").unwrap() + "const MEND = mendForm(".len();
    let mut stream =
        serde_json::Deserializer::from_str(&data_script[start..]).into_iter::<serde_json::Value>();
    let data = stream.next().unwrap().unwrap();
    let end = start + stream.byte_offset();
    let outside = format!("{}{}", &data_script[..start], &data_script[end..]);
    assert!(
        !outside.contains("alert("),
        "homework: a payload outside the JSON data"
    );
    for other in scripts.iter().filter(|s| !s.contains("mendForm(")) {
        assert!(
            !other.contains("alert("),
            "homework: a payload in the form's script"
        );
    }
    assert_eq!(data["respondent"], serde_json::Value::from(name.as_str()));
    let title = data["questionnaire"]["title"].as_str().unwrap();
    assert!(
        title.starts_with("Title <script>alert(1)</script>"),
        "{title}"
    );
    assert!(title.contains("{{ 7*7 }}"), "{title}");
}

#[test]
fn template_syntax_in_answers_is_never_evaluated_in_any_format() {
    for format in ["md", "json"] {
        let r = run(&q_then(&["report"], &["alex-1.yaml", "--format", format]));
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        for e in EVALUATED {
            assert!(
                !r.stdout.contains(e),
                "report --format {format}: evaluated ({e})"
            );
        }
        let r = run(&q_then(
            &["compare", "-q"],
            &[
                "alex-1.yaml",
                "sam.yaml",
                "--for",
                "therapist",
                "--format",
                format,
            ],
        ));
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        for e in EVALUATED {
            assert!(
                !r.stdout.contains(e),
                "compare --format {format}: evaluated ({e})"
            );
        }
    }
    let r = run(&q_then(&["report"], &["alex-1.yaml", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        v["respondent"]["name"]
            .as_str()
            .unwrap()
            .ends_with(NAME_TAIL.split("<!-- ").nth(1).unwrap())
    );
}

/// mini.yaml with item `e`'s condition replaced.
fn mini_with_condition(dir: &Path, condition: &str) -> PathBuf {
    let mini = fs::read_to_string(root().join("tests/fixtures/mini.yaml")).unwrap();
    let old = "show_if: 'answers.role == \"broke\"'";
    assert!(mini.contains(old));
    let path = dir.join("condition.yaml");
    let quoted = condition.replace('\'', "''");
    fs::write(&path, mini.replace(old, &format!("show_if: '{quoted}'"))).unwrap();
    path
}

#[test]
fn homework_refuses_conditions_it_cannot_translate() {
    let dir = tempfile::tempdir().unwrap();
    for (condition, expect) in [
        // A call to a function: refused when the questionnaire is read.
        ("range(10) | length > 3", "unknown name `range`"),
        (
            "answers.role == \"broke\" and range(10)",
            "unknown name `range`",
        ),
        // A method call, a filter: fine in a report, never translated into the form.
        (
            "answers.role.upper() == \"BROKE\"",
            "a call cannot be used in the homework form",
        ),
        (
            "answers.role | upper == \"BROKE\"",
            "a filter expression cannot be used",
        ),
        ("answers.d ** 2 > 3", "cannot be used in the homework form"),
    ] {
        let q = mini_with_condition(dir.path(), condition);
        let mut args = os(&["homework"]);
        args.push(q.clone().into());
        refused(&args, "form.html", &q, expect);
    }
}

#[test]
fn a_condition_cannot_close_the_forms_script() {
    let dir = tempfile::tempdir().unwrap();
    let q = mini_with_condition(
        dir.path(),
        "answers.role == \"</script><script>alert(1)</script><!--\"",
    );
    let mut args = os(&["homework"]);
    args.push(q.into());
    let r_dir = tempfile::tempdir().unwrap();
    let out = r_dir.path().join("form.html");
    args.extend(["-o".into(), out.clone().into()]);
    let r = run(&args);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let html = fs::read_to_string(out).unwrap();
    let doc = Html::parse_document(&html);
    let scripts: Vec<String> = doc
        .select(&Selector::parse("script").unwrap())
        .map(|s| s.text().collect())
        .collect();
    assert_eq!(scripts.len(), 2);
    for s in &scripts {
        assert!(!s.contains("</script") && !s.contains("<script") && !s.contains("<!--"));
    }
}
