//! The `mend` command: parse arguments, call the library, print errors, pick the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use mend::error::{FileProblems, Severity};
use mend::render::Renderer;
use mend::{Error, Format, Questionnaire};

#[derive(Parser)]
#[command(
    name = "mend",
    version,
    about = "Questionnaires and reports for couples rebuilding trust. Everything stays on this computer."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// A folder of templates that replace the built-in ones by file name (see
    /// `mend templates export`).
    #[arg(long, global = true, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// The language of the questions and reports (e.g. `es`), where a translation exists;
    /// anything untranslated stays in the original language.
    #[arg(long, global = true, value_name = "LANG")]
    lang: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// List the built-in questionnaires, or the strategies, flags and help resources that
    /// questionnaires can use.
    #[command(after_help = "Example: mend list strategies")]
    List {
        #[arg(value_enum, default_value = "questionnaires")]
        what: Listing,
    },
    /// Show a questionnaire as a readable document (for printing), or as JSON.
    #[command(after_help = "Example: mend show readiness --format html -o readiness.html")]
    Show {
        /// A built-in id (readiness, communication, causes) or a path to a .yaml file.
        questionnaire: String,
        /// md (a printable document), html (the same as one page) or json (every item with its
        /// options); by default taken from the output file's extension, else md.
        #[arg(long, value_enum)]
        format: Option<OutFormat>,
        #[command(flatten)]
        out: Output,
    },
    /// Check questionnaires, strategy libraries and answers files, reporting every problem.
    #[command(after_help = "Example: mend check questionnaires/ my-questionnaire.yaml")]
    Check {
        /// Files or folders (every .yaml file inside is checked), or built-in ids.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        strict: bool,
    },
    /// Write a blank answers file to fill in with a text editor.
    #[command(after_help = "Example: mend template readiness -o alex.yaml")]
    Template {
        /// A built-in id (readiness, communication, causes) or a path to a .yaml file.
        questionnaire: String,
        #[command(flatten)]
        out: Output,
    },
    /// Answer a questionnaire, one question at a time. Answers are saved after every
    /// question; run the same command again to carry on where you stopped.
    #[command(
        after_help = "Example: mend take readiness --name Alex -o alex.yaml\n\nIn a terminal: arrow keys and Enter to choose, Esc to go back, Ctrl-C to save and stop.\nFrom a pipe or file: one answer per line (an option's value or number; empty skips; < goes back; q stops)."
    )]
    Take {
        /// A built-in id (readiness, communication, causes) or a path to a .yaml file.
        questionnaire: String,
        /// Your name or an alias, written in the answers file.
        #[arg(long)]
        name: Option<String>,
        /// The answers file (default: <questionnaire>-<name>.yaml). If it holds your unfinished
        /// answers, you carry on where you stopped.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Start again even if the file holds finished answers or someone else's.
        #[arg(long)]
        force: bool,
    },
    /// Compare two partners' answers to the same questionnaire: side by side, item by item,
    /// and one joint plan. With one answers file, a first look until the partner answers.
    #[command(
        after_help = "Example: mend compare examples/readiness-alex.yaml examples/readiness-sam.yaml -o us.html\n         mend compare alex.yaml sam.yaml --for therapist"
    )]
    Compare {
        /// One answers file per partner (one or two), for the same questionnaire and version.
        #[arg(required = true, num_args = 1..=2)]
        answers: Vec<PathBuf>,
        /// The questionnaire, when it is not a built-in one (a path to its .yaml file).
        #[arg(short, long)]
        questionnaire: Option<String>,
        /// joint (both partners; the default), therapist (everything), or a partner's name
        /// (that partner's own report).
        #[arg(long = "for", value_name = "WHO", default_value = "joint")]
        reader: String,
        /// Include free-text answers in the joint report.
        #[arg(long)]
        include_notes: bool,
        #[arg(long, value_enum)]
        format: Option<OutFormat>,
        #[command(flatten)]
        out: Output,
    },
    /// Score many respondents from a CSV export (one row each): scores, bands, flags and
    /// strategies, one row out per row in, streaming.
    #[command(
        after_help = "Example: mend batch communication responses.csv -o scores.csv\n         mend batch readiness export.csv --map columns.yaml --reports reports/"
    )]
    Batch {
        /// A built-in id (readiness, communication, causes) or a path to a .yaml file.
        questionnaire: String,
        /// The responses: a CSV file with a header row. Columns are matched to questions by
        /// id or by the question's text; answers may be option values or labels.
        responses: PathBuf,
        /// A YAML file mapping other column headers to question ids (or `id`, `date`, `ignore`).
        #[arg(long, value_name = "FILE")]
        map: Option<PathBuf>,
        /// csv (the default) or json (one JSON object per line).
        #[arg(long, value_enum, default_value = "csv")]
        format: BatchFormat,
        /// Also write one Markdown report per respondent into this folder.
        #[arg(long, value_name = "DIR")]
        reports: Option<PathBuf>,
        /// How many threads score rows, 1 to 64 (default: one per processor). The output is
        /// the same whatever the number.
        #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
        jobs: Option<u16>,
        #[command(flatten)]
        out: Output,
    },
    /// Follow one person's progress: several dated answer sets to the same questionnaire
    /// become each scale's score over time, the changes, the bands crossed, and what to
    /// celebrate.
    #[command(
        after_help = "Example: mend progress examples/progress/communication-alex-*.yaml -o progress.html"
    )]
    Progress {
        /// Two or more answers files of one person, each with its date.
        #[arg(required = true, num_args = 2..)]
        answers: Vec<PathBuf>,
        /// The questionnaire, when it is not a built-in one (a path to its .yaml file).
        #[arg(short, long)]
        questionnaire: Option<String>,
        #[arg(long, value_enum)]
        format: Option<OutFormat>,
        #[command(flatten)]
        out: Output,
    },
    /// Start a new questionnaire: a small, valid, commented file to edit.
    #[command(after_help = "Example: mend new money_talk && mend check money_talk.yaml")]
    New {
        /// The questionnaire's id: lower case letters, digits and _.
        id: String,
        /// The file to write (default: <id>.yaml).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[arg(long)]
        force: bool,
    },
    /// Copy the built-in report templates into a folder, to change them and use them with
    /// --templates.
    #[command(
        after_help = "Example: mend templates export my-templates && mend report readiness alex.yaml --templates my-templates"
    )]
    Templates {
        #[command(subcommand)]
        action: TemplatesAction,
    },
    /// Run golden tests: each `<dir>/tests/*.yaml` holds answers and the scores, bands,
    /// flags and strategies they must give.
    #[command(
        after_help = "Example: mend test questionnaires\n         mend test my-questionnaire-folder --update   (write the current results as expected)"
    )]
    Test {
        /// A folder with questionnaires (`<id>.yaml`) and a `tests/` folder beside them.
        dir: PathBuf,
        /// Write the current results into the test files instead of comparing.
        #[arg(long)]
        update: bool,
    },
    /// Print the JSON Schema of a file format, for editors that complete and check YAML.
    #[command(after_help = "Example: mend schema questionnaire > mend-questionnaire.schema.json")]
    Schema {
        #[arg(value_enum, default_value = "questionnaire")]
        format: SchemaKind,
    },
    /// Print a completion script for a shell (bash, zsh, fish, powershell, elvish).
    #[command(
        after_help = "Example: mend completions bash > ~/.local/share/bash-completion/completions/mend"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print mend's manual page (roff), for `man`.
    #[command(after_help = "Example: mend man > mend.1 && man ./mend.1")]
    Man,
    /// Make a homework form: one HTML file a client fills in offline, in any browser, and
    /// saves as an answers file to send back.
    #[command(
        after_help = "Example: mend homework readiness --for Alex --note \"Before our session on Tuesday\" --due 2026-12-01 -o alex-homework.html"
    )]
    Homework {
        /// A built-in id (readiness, communication, causes) or a path to a .yaml file.
        questionnaire: String,
        /// Who it is for: shown on the form, and used to name the answers file.
        #[arg(long = "for", value_name = "NAME", default_value = "")]
        for_name: String,
        /// A note from the therapist, shown at the top.
        #[arg(long, default_value = "")]
        note: String,
        /// When it is due (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_date, default_value = "")]
        due: String,
        /// Make the printable paper version instead, with boxes to tick.
        #[arg(long)]
        paper: bool,
        #[command(flatten)]
        out: Output,
    },
    /// Score answers and write a report: scores, findings and recommended strategies. Give
    /// several answers files of one person (readiness, communication, causes) for one report
    /// with a section for each and one merged plan.
    #[command(
        after_help = "Example: mend report readiness examples/readiness-alex.yaml --format html -o alex.html\n         mend report examples/readiness-alex.yaml examples/communication-alex.yaml examples/causes-alex.yaml"
    )]
    Report {
        /// Optionally a questionnaire first (a built-in id or a .yaml file), then one or more
        /// answers files. Without a questionnaire, each answers file's own is used (built-in).
        #[arg(required = true, value_name = "[QUESTIONNAIRE] ANSWERS")]
        files: Vec<String>,
        /// md, html or json; by default taken from the output file's extension, else md.
        #[arg(long, value_enum)]
        format: Option<OutFormat>,
        #[command(flatten)]
        out: Output,
    },
}

#[derive(clap::Args)]
struct Output {
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace the output file if it exists.
    #[arg(long)]
    force: bool,
}

#[derive(Subcommand)]
enum TemplatesAction {
    /// Write the built-in templates into a folder.
    Export {
        /// The folder to write them into (created if needed).
        dir: PathBuf,
        /// Replace templates already in the folder.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    Questionnaire,
    Answers,
    Strategies,
    Support,
}

#[derive(Clone, Copy, ValueEnum)]
enum Listing {
    Questionnaires,
    Strategies,
    Flags,
    Resources,
}

#[derive(Clone, Copy, ValueEnum)]
enum BatchFormat {
    Csv,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutFormat {
    Md,
    Html,
    Json,
}

impl OutFormat {
    /// The format asked for, else the one the output file's extension names, else Markdown.
    fn pick(given: Option<OutFormat>, output: Option<&Path>) -> Result<Format, String> {
        let by_extension = output.and_then(|p| p.extension()).and_then(|e| e.to_str());
        Ok(match (given, by_extension) {
            (Some(OutFormat::Md), _) => Format::Markdown,
            (Some(OutFormat::Html), _) => Format::Html,
            (Some(OutFormat::Json), _) => Format::Json,
            (None, Some("html" | "htm")) => Format::Html,
            (None, Some("json")) => Format::Json,
            (None, None | Some("md" | "markdown" | "txt")) => Format::Markdown,
            (None, Some(other)) => {
                return Err(format!(
                    "cannot tell the format from the extension `.{other}`; add --format md, html or json"
                ));
            }
        })
    }
}

/// A date as YYYY-MM-DD (or nothing).
fn parse_date(text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Ok(String::new());
    }
    text.parse::<jiff::civil::Date>()
        .map(|d| d.to_string())
        .map_err(|_| format!("`{text}` is not a date; write it as YYYY-MM-DD, e.g. 2026-12-01"))
}

/// The output format; a usage error (exit 2) when it cannot be told.
fn pick(given: Option<OutFormat>, out: &Output) -> Result<Format, Error> {
    OutFormat::pick(given, out.output.as_deref()).map_err(|message| {
        clap::Error::raw(clap::error::ErrorKind::InvalidValue, format!("{message}\n")).exit()
    })
}

/// `--lang`, for every command that opens a questionnaire.
static LANG: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

/// `--templates DIR`, for every command that renders.
static TEMPLATES_DIR: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();

/// The renderer, with the user's templates when `--templates` was given.
fn renderer() -> Result<Renderer, Error> {
    Renderer::new_in(
        TEMPLATES_DIR.get().and_then(|d| d.as_deref()),
        LANG.get().and_then(|l| l.as_deref()),
    )
}

/// The command line, with a long version that names the built-in questionnaires' versions.
fn cli_command() -> clap::Command {
    use clap::CommandFactory;
    let mut long = format!("{}\nbuilt-in questionnaires:", env!("CARGO_PKG_VERSION"));
    for id in mend::questionnaire::builtin_ids() {
        if let Ok(q) = Questionnaire::open(id) {
            long.push_str(&format!("\n  {id} {} ({})", q.file.version, q.hash));
        }
    }
    Cli::command().long_version(long)
}

fn main() -> ExitCode {
    use clap::FromArgMatches;
    let matches = cli_command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    TEMPLATES_DIR.get_or_init(|| cli.templates.clone());
    LANG.get_or_init(|| cli.lang.clone());
    match run(cli.command) {
        Ok(code) => code,
        Err(err) => {
            let text = match &err {
                Error::Invalid(problems) => problems.to_string(),
                other => format!("error: {other}"),
            };
            eprintln!("{}", paint(&text));
            ExitCode::from(1)
        }
    }
}

/// Colours "error" and "warning" on a terminal, unless NO_COLOR is set (no-color.org).
fn paint(text: &str) -> String {
    use std::io::IsTerminal;
    let colour = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if !colour {
        return text.to_string();
    }
    text.lines()
        .map(|line| {
            line.replacen("error:", "\x1b[1;31merror\x1b[0m:", 1)
                .replacen("warning:", "\x1b[1;33mwarning\x1b[0m:", 1)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn run(command: Command) -> Result<ExitCode, Error> {
    match command {
        Command::List { what } => list(what),
        Command::Show {
            questionnaire,
            format,
            out,
        } => {
            let q = open(&questionnaire)?;
            let view = mend::show::view(&q);
            let text = match pick(format, &out)? {
                Format::Json => mend::to_json(&view),
                Format::Markdown => renderer()?.render("questionnaire.md", &view)?,
                Format::Html => {
                    let r = renderer()?;
                    r.page(&view.title, &r.render("questionnaire.md", &view)?)?
                }
            };
            emit(&out, &text)
        }
        Command::Check { paths, strict } => check(&paths, strict),
        Command::New { id, output, force } => {
            let path = output.unwrap_or_else(|| PathBuf::from(format!("{id}.yaml")));
            let text = mend::newfile::questionnaire(&id).map_err(|message| {
                clap::Error::raw(clap::error::ErrorKind::InvalidValue, format!("{message}\n"))
                    .exit()
            })?;
            mend::output::write_atomic(&path, text.as_bytes(), force)?;
            eprintln!(
                "wrote {}; check it with: mend check {}",
                path.display(),
                path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Templates {
            action: TemplatesAction::Export { dir, force },
        } => {
            std::fs::create_dir_all(&dir).map_err(|source| Error::Write {
                path: dir.clone(),
                source,
            })?;
            for (name, text) in mend::render::TEMPLATES {
                mend::output::write_atomic(&dir.join(name), text.as_bytes(), force)?;
            }
            eprintln!(
                "wrote {} templates to {}; use them with --templates {}",
                mend::render::TEMPLATES.len(),
                dir.display(),
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Test { dir, update } => golden(&dir, update),
        Command::Schema { format } => {
            use mend::schema::Kind;
            let kind = match format {
                SchemaKind::Questionnaire => Kind::Questionnaire,
                SchemaKind::Answers => Kind::Answers,
                SchemaKind::Strategies => Kind::Strategies,
                SchemaKind::Support => Kind::Support,
            };
            print_out(&mend::to_json(&mend::schema::schema(kind)));
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cli_command(), "mend", &mut out);
            print_out(&String::from_utf8_lossy(&out));
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(cli_command())
                .render(&mut out)
                .map_err(|source| Error::Write {
                    path: PathBuf::from("<standard output>"),
                    source,
                })?;
            print_out(&String::from_utf8_lossy(&out));
            Ok(ExitCode::SUCCESS)
        }
        Command::Progress {
            answers,
            questionnaire,
            format,
            out,
        } => {
            let format = pick(format, &out)?;
            emit(&out, &progress(&answers, questionnaire.as_deref(), format)?)
        }
        Command::Batch {
            questionnaire,
            responses,
            map,
            format,
            reports,
            jobs,
            out,
        } => batch(
            &questionnaire,
            &responses,
            map.as_deref(),
            format,
            reports.as_deref(),
            jobs,
            &out,
        ),
        Command::Compare {
            answers,
            questionnaire,
            reader,
            include_notes,
            format,
            out,
        } => {
            let format = pick(format, &out)?;
            let text = compare(
                &answers,
                questionnaire.as_deref(),
                &reader,
                include_notes,
                format,
            )?;
            emit(&out, &text)
        }
        Command::Take {
            questionnaire,
            name,
            output,
            force,
        } => take(&questionnaire, name.as_deref(), output, force),
        Command::Homework {
            questionnaire,
            for_name,
            note,
            due,
            paper,
            out,
        } => {
            let q = open(&questionnaire)?;
            let renderer = renderer()?;
            let html = if paper {
                let view = mend::show::view(&q);
                renderer.page(&view.title, &renderer.render("questionnaire.md", &view)?)?
            } else {
                let assignment = mend::homework::Assignment {
                    for_name,
                    note,
                    due,
                };
                let model = mend::homework::build(&q, &assignment, &mend::today())?;
                renderer.render("homework.html", &model)?
            };
            emit(&out, &html)
        }
        Command::Template { questionnaire, out } => {
            let q = open(&questionnaire)?;
            emit(&out, &mend::blank::blank_answers(&q, &mend::today()))
        }
        Command::Report { files, format, out } => {
            let renderer = renderer()?;
            let format = pick(format, &out)?;
            emit(&out, &report(&files, format, &renderer)?)
        }
    }
}

fn batch(
    questionnaire: &str,
    path: &Path,
    map: Option<&Path>,
    format: BatchFormat,
    reports: Option<&Path>,
    jobs: Option<u16>,
    out: &Output,
) -> Result<ExitCode, Error> {
    use std::io::IsTerminal;
    let q = open(questionnaire)?;
    let map = match map {
        Some(m) => mend::batch::read_map(m)?,
        None => indexmap::IndexMap::new(),
    };
    let read_err = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_err)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(size)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bar.wrap_read(file));
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => {
            return Err(Error::invalid(
                path,
                mend::error::Problem::error(None, format!("the header row cannot be read: {e}")),
            ));
        }
    };
    let (columns, header) = mend::batch::match_columns(&q, &headers, &map);
    for note in header.notes() {
        eprintln!("{}: {note}", path.display());
    }
    if let Some(problem) = header.refusal(&q, &columns) {
        return Err(Error::invalid(path, problem));
    }
    if let Some(dir) = reports {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let format = match format {
        BatchFormat::Csv => mend::batch::Output::Csv,
        BatchFormat::Json => mend::batch::Output::JsonLines,
    };
    let batch = mend::batch::Batch::new(&q, columns, format);
    let renderer = renderer()?;
    let today = mend::today();
    let mut on_bad = |bad: mend::batch::BadRow| {
        bar.suspend(|| {
            eprintln!(
                "{}: row {}: {}; skipped",
                path.display(),
                bad.row,
                bad.reason
            )
        })
    };
    let jobs = jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        usize::from,
    );
    // A row whose report cannot be made (a required answer is missing) is told and counted,
    // and the batch goes on; two rows with the same id get reports of different names.
    let mut without_report = 0usize;
    let mut names = std::collections::HashSet::new();
    let mut on_row = |responses: &mend::answers::Responses,
                      result: &mend::batch::RowResult,
                      row: u64|
     -> Result<(), Error> {
        let Some(dir) = reports else { return Ok(()) };
        let report = match mend::assess(&q, responses, &today) {
            Ok(report) => report,
            Err(problems) => {
                let why: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
                bar.suspend(|| {
                    eprintln!(
                        "{}: row {row}: no report written: {}",
                        path.display(),
                        why.join("; ")
                    )
                });
                without_report += 1;
                return Ok(());
            }
        };
        let mut name = mend::homework::file_name(&q.file.id, &result.id).replace(".yaml", ".md");
        if !names.insert(name.clone()) {
            name = name.replace(".md", &format!("-row{row}.md"));
            names.insert(name.clone());
        }
        mend::output::write_atomic(
            &dir.join(name),
            mend::render_report(&report, Format::Markdown, &renderer)?.as_bytes(),
            out.force,
        )
    };
    // The library names the streams it reads and writes generically; say which files.
    let named = |e: Error, output: &Path| match e {
        Error::Read { path: p, source } if p == Path::new(mend::batch::INPUT) => Error::Read {
            path: path.to_path_buf(),
            source,
        },
        Error::Write { path: p, source } if p == Path::new(mend::batch::OUTPUT) => Error::Write {
            path: output.to_path_buf(),
            source,
        },
        other => other,
    };
    let summary = match &out.output {
        Some(target) => {
            let mut file = mend::output::AtomicFile::create(target, out.force)?;
            let summary = batch
                .run(
                    &mut reader,
                    &mut file,
                    jobs,
                    &mut on_bad,
                    reports.is_some().then_some(&mut on_row),
                )
                .map_err(|e| named(e, target))?;
            file.commit()?;
            summary
        }
        None => batch
            .run(
                &mut reader,
                std::io::stdout().lock(),
                jobs,
                &mut on_bad,
                reports.is_some().then_some(&mut on_row),
            )
            .map_err(|e| named(e, Path::new("<standard output>")))?,
    };
    bar.finish_and_clear();
    eprintln!(
        "{}: scored {} row{}, skipped {} bad row{}, {} flagged ({} with a SAFETY flag)",
        path.display(),
        summary.scored,
        if summary.scored == 1 { "" } else { "s" },
        summary.bad,
        if summary.bad == 1 { "" } else { "s" },
        summary.flagged,
        summary.safety
    );
    if without_report > 0 {
        eprintln!(
            "{}: {without_report} scored row{} got no report (see above)",
            path.display(),
            if without_report == 1 { "" } else { "s" }
        );
    }
    Ok(if summary.bad > 0 || without_report > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn progress(
    paths: &[PathBuf],
    questionnaire: Option<&str>,
    format: Format,
) -> Result<String, Error> {
    let q = questionnaire_for(questionnaire, &paths[0])?;
    let today = mend::today();
    let mut reports: Vec<(PathBuf, mend::report::Report)> = Vec::new();
    for path in paths {
        let responses = mend::answers::load(path, &q)?;
        if responses.date.is_none() {
            return Err(Error::invalid(
                path,
                mend::error::Problem::error(
                    None,
                    "these answers have no `date:`; progress needs the date of each answer set (YYYY-MM-DD)",
                ),
            ));
        }
        let report = mend::assess(&q, &responses, &today).map_err(|problems| {
            Error::Invalid(FileProblems {
                path: path.clone(),
                problems,
            })
        })?;
        reports.push((path.clone(), report));
    }
    reports.sort_by(|a, b| a.1.respondent.date.cmp(&b.1.respondent.date));
    for pair in reports.windows(2) {
        let (a, b) = (&pair[0].1.respondent, &pair[1].1.respondent);
        if a.date == b.date {
            return Err(Error::invalid(
                &pair[1].0,
                mend::error::Problem::error(
                    None,
                    format!(
                        "two answer sets have the same date ({}); progress needs one answer set per date",
                        b.date.clone().unwrap_or_default()
                    ),
                ),
            ));
        }
        if !a.name.is_empty() && !b.name.is_empty() && a.name != b.name {
            return Err(Error::invalid(
                &pair[1].0,
                mend::error::Problem::error(
                    None,
                    format!(
                        "these answers are from {}, the others from {}; progress follows one person",
                        b.name, a.name
                    ),
                ),
            ));
        }
    }
    let reports: Vec<mend::report::Report> = reports.into_iter().map(|(_, r)| r).collect();
    let model = mend::progress::build(&q, &reports, &today);
    let renderer = renderer()?;
    match format {
        Format::Json => Ok(mend::to_json(&model)),
        Format::Markdown => renderer.render("progress.md", &model),
        Format::Html => renderer.page_html(
            &model.questionnaire.title,
            renderer.render("progress.html", &model)?,
        ),
    }
}

fn golden(dir: &Path, update: bool) -> Result<ExitCode, Error> {
    // A questionnaire is looked for in the folder first (`<id>.yaml`), then among the built-ins.
    let find = |id: &str| -> Result<Questionnaire, Error> {
        let local = dir.join(format!("{id}.yaml"));
        if local.is_file() {
            open(&local.to_string_lossy())
        } else {
            open(id)
        }
    };
    let (mut passed, mut failed) = (0, 0);
    for path in mend::golden::files(dir)? {
        let outcome = mend::golden::run(&path, &find, update)?;
        if outcome.differences.is_empty() {
            passed += 1;
        } else {
            failed += 1;
            eprintln!(
                "{}",
                paint(
                    &FileProblems {
                        path: path.clone(),
                        problems: vec![mend::golden::failure(&outcome)]
                    }
                    .to_string()
                )
            );
        }
    }
    let verb = if update { "updated" } else { "passed" };
    print_out(&format!("{passed} {verb}, {failed} failed\n"));
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One person's report on one or more answers files.
fn report(files: &[String], format: Format, renderer: &Renderer) -> Result<String, Error> {
    let given = match files.first() {
        Some(first) if files.len() > 1 && is_questionnaire(first) => Some(open(first)?),
        _ => None,
    };
    let answers = if given.is_some() { &files[1..] } else { files };
    let mut reports = Vec::new();
    for path in answers.iter().map(PathBuf::from) {
        let owned;
        let q = match &given {
            Some(q) => q,
            None => {
                owned = open(&mend::answers::questionnaire_of(&path)?)?;
                &owned
            }
        };
        let responses = mend::answers::load(&path, q)?;
        let report = mend::assess(q, &responses, &mend::today()).map_err(|problems| {
            Error::Invalid(FileProblems {
                path: path.clone(),
                problems,
            })
        })?;
        reports.push(report);
    }
    if let [one] = reports.as_slice() {
        return mend::render_report(one, format, renderer);
    }
    let names: Vec<&str> = reports
        .iter()
        .map(|r| r.respondent.name.as_str())
        .filter(|n| !n.is_empty())
        .collect();
    if names.windows(2).any(|w| w[0] != w[1]) {
        return Err(Error::invalid(
            &answers[1],
            mend::error::Problem::error(
                None,
                format!(
                    "these answers are from different people ({}); one report is for one person, and `mend compare` compares two partners",
                    names.join(", ")
                ),
            ),
        ));
    }
    let lib = mend::library::Library::builtin();
    let avoid = |id: &str| {
        lib.strategies
            .get(id)
            .map(|s| s.avoid_with.clone())
            .unwrap_or_default()
    };
    let combined = mend::combined::combine(reports, &avoid, &mend::today());
    match format {
        Format::Json => Ok(mend::to_json(&combined)),
        Format::Markdown => renderer.render("combined.md", &combined),
        Format::Html => renderer.page("Your reports", &renderer.render("combined.md", &combined)?),
    }
}

/// Whether a command-line name is a questionnaire (a built-in id, or a file with sections).
/// A name that is no file is taken as a questionnaire, so a mistyped id gets its own message.
fn is_questionnaire(name: &str) -> bool {
    match std::fs::read_to_string(name) {
        Ok(text) => mend::yaml::top_keys(&text).iter().any(|k| k == "sections"),
        Err(_) => !Path::new(name).exists(),
    }
}

/// The questionnaire given with `-q`, or else the one the first answers file names.
fn questionnaire_for(given: Option<&str>, first_answers: &Path) -> Result<Questionnaire, Error> {
    match given {
        Some(name) => open(name),
        None => open(&mend::answers::questionnaire_of(first_answers)?),
    }
}

/// Opens a questionnaire and prints its warnings, which do not stop the work.
fn open(name: &str) -> Result<Questionnaire, Error> {
    let q = Questionnaire::open_in(name, LANG.get().and_then(|l| l.as_deref()))?;
    if !q.warnings.is_empty() {
        eprintln!(
            "{}",
            FileProblems {
                path: q.origin.clone(),
                problems: q.warnings.clone(),
            }
        );
    }
    Ok(q)
}

fn emit(out: &Output, text: &str) -> Result<ExitCode, Error> {
    match &out.output {
        Some(path) => {
            mend::output::write_atomic(path, text.as_bytes(), out.force)?;
            eprintln!("wrote {}", path.display());
        }
        None => print_out(text),
    }
    Ok(ExitCode::SUCCESS)
}

fn compare(
    paths: &[PathBuf],
    questionnaire: Option<&str>,
    reader: &str,
    include_notes: bool,
    format: Format,
) -> Result<String, Error> {
    use mend::compare::{Options, Partner, Reader};
    let q = questionnaire_for(questionnaire, &paths[0])?;
    let today = mend::today();
    let mut partners = Vec::new();
    for (n, path) in paths.iter().enumerate() {
        let responses = mend::answers::load(path, &q)?;
        let fallback = if n == 0 { "Partner A" } else { "Partner B" };
        let partner = Partner::assess(&q, responses, fallback, &today).map_err(|problems| {
            Error::Invalid(FileProblems {
                path: path.clone(),
                problems,
            })
        })?;
        partners.push(partner);
    }
    if partners.len() == 2 && partners[0].name == partners[1].name {
        partners[1].name.push_str(" (2)");
    }
    let renderer = renderer()?;
    let options = match reader {
        "joint" => Options {
            reader: Reader::Joint,
            include_notes,
        },
        "therapist" => Options {
            reader: Reader::Therapist,
            include_notes,
        },
        name => {
            let Some(p) = partners.iter().find(|p| p.name.eq_ignore_ascii_case(name)) else {
                let names: Vec<&str> = partners.iter().map(|p| p.name.as_str()).collect();
                clap::Error::raw(
                    clap::error::ErrorKind::InvalidValue,
                    format!(
                        "--for {name}: say joint, therapist, or one of the partners: {}\n",
                        names.join(", ")
                    ),
                )
                .exit()
            };
            return mend::render_report(&p.assessment.report, format, &renderer);
        }
    };
    let comparison = mend::compare::compare(&q, &partners, options, &today);
    match format {
        Format::Json => Ok(mend::to_json(&comparison)),
        Format::Markdown => renderer.render("compare.md", &comparison),
        Format::Html => renderer.page(
            &comparison.questionnaire.title,
            &renderer.render("compare.md", &comparison)?,
        ),
    }
}

fn take(
    questionnaire: &str,
    name: Option<&str>,
    output: Option<PathBuf>,
    force: bool,
) -> Result<ExitCode, Error> {
    use mend::take::{LinePrompter, Outcome, Prompter, Session};
    use std::io::IsTerminal;
    let q = open(questionnaire)?;
    let path = output.unwrap_or_else(|| {
        PathBuf::from(mend::homework::file_name(
            &q.file.id,
            name.unwrap_or_default(),
        ))
    });
    let mut session = Session::open(&q, &path, name, &mend::today(), force)?;
    let mut prompter: Box<dyn Prompter> = if std::io::stdin().is_terminal() {
        Box::new(mend::terminal::TerminalPrompter)
    } else {
        Box::new(LinePrompter::new(
            std::io::stdin().lock(),
            std::io::stderr(),
        ))
    };
    let verb = if session.resuming() {
        "Carrying on with"
    } else {
        "Starting"
    };
    prompter.tell(&format!(
        "{verb} \"{}\". Your answers are saved to {} after every question.",
        q.file.title,
        path.display()
    ));
    if session.run(prompter.as_mut())? == Outcome::Stopped {
        prompter.tell(&format!(
            "Saved. Run the same command again to carry on: mend take {} -o {}",
            q.command_name(),
            path.display()
        ));
        return Ok(ExitCode::SUCCESS);
    }
    prompter.tell(&format!(
        "All done. Your answers are in {}.",
        path.display()
    ));
    if prompter.confirm("Show your report now?")? {
        let responses = mend::answers::load(&path, &q)?;
        let report = mend::assess(&q, &responses, &mend::today()).map_err(|problems| {
            Error::Invalid(FileProblems {
                path: path.clone(),
                problems,
            })
        })?;
        print_out(&mend::render_report(
            &report,
            Format::Markdown,
            &renderer()?,
        )?);
    } else {
        prompter.tell(&format!(
            "For your report later: mend report {} {}",
            q.command_name(),
            path.display()
        ));
    }
    Ok(ExitCode::SUCCESS)
}

fn list(what: Listing) -> Result<ExitCode, Error> {
    use std::fmt::Write as _;
    let lib = mend::library::Library::builtin();
    let mut out = String::new();
    match what {
        Listing::Questionnaires => {
            let _ = writeln!(out, "{:<15} {:>5} {:>8}  title", "id", "items", "minutes");
            for id in mend::questionnaire::builtin_ids() {
                let q = Questionnaire::open(id)?;
                let minutes = q.file.minutes.map(|m| m.to_string()).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{:<15} {:>5} {:>8}  {}",
                    id,
                    q.items.len(),
                    minutes,
                    q.file.title
                );
            }
        }
        Listing::Strategies => {
            let _ = writeln!(
                out,
                "{:<22} {:<14} {:<34} title",
                "id", "for", "held back by flags"
            );
            for s in lib.strategies.values() {
                let audience: Vec<String> = s
                    .audience
                    .iter()
                    .map(|a| format!("{a:?}").to_lowercase())
                    .collect();
                let _ = writeln!(
                    out,
                    "{:<22} {:<14} {:<34} {}",
                    s.id,
                    audience.join(","),
                    s.avoid_with.join(","),
                    s.title
                );
            }
        }
        Listing::Flags => {
            let _ = writeln!(out, "{:<16} {:<40} resources", "id", "recommends");
            for (id, f) in &lib.flags {
                let _ = writeln!(
                    out,
                    "{:<16} {:<40} {}",
                    id,
                    f.recommend.join(","),
                    f.resources.join(",")
                );
            }
        }
        Listing::Resources => {
            let _ = writeln!(out, "{:<18} {:<28} name", "category", "region");
            for r in &lib.resources {
                let _ = writeln!(out, "{:<18} {:<28} {}", r.category, r.region, r.name);
            }
        }
    }
    print_out(&out);
    Ok(ExitCode::SUCCESS)
}

fn check(paths: &[PathBuf], strict: bool) -> Result<ExitCode, Error> {
    let files = mend::check::collect_files(paths)?;
    let (mut errors, mut warnings) = (0, 0);
    for problems in mend::check::check_files(&files) {
        errors += problems
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count();
        warnings += problems
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
            .count();
        if !problems.problems.is_empty() {
            eprintln!("{}", paint(&problems.to_string()));
        }
    }
    print_out(&format!(
        "checked {} file{}: {errors} error{}, {warnings} warning{}\n",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    ));
    Ok(if errors > 0 || (strict && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints to standard output; a reader that went away (`mend list | head`) is not an error.
fn print_out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write to standard output: {e}");
    }
}
