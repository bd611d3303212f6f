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
}

#[derive(Subcommand)]
enum Command {
    /// List the built-in questionnaires.
    #[command(after_help = "Example: mend list")]
    List,
    /// Show a questionnaire as a readable document (for printing), or as JSON.
    #[command(after_help = "Example: mend show readiness --format html -o readiness.html")]
    Show {
        /// A built-in id (readiness, communication, causes) or a path to a .yaml file.
        questionnaire: String,
        #[arg(long, value_enum)]
        format: Option<OutFormat>,
        #[command(flatten)]
        out: Output,
    },
    /// Check questionnaires, strategy libraries and answers files, reporting every problem.
    #[command(after_help = "Example: mend check questionnaires/ my-questionnaire.yaml")]
    Check {
        /// Files or folders (every .yaml file inside is checked).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Write a blank answers file to fill in with a text editor.
    #[command(after_help = "Example: mend template readiness -o alex.yaml")]
    Template {
        questionnaire: String,
        #[command(flatten)]
        out: Output,
    },
    /// Score answers and write a report: scores, findings and recommended strategies.
    #[command(
        after_help = "Example: mend report readiness examples/readiness-alex.yaml --format html -o alex.html"
    )]
    Report {
        /// A built-in id (readiness, communication, causes) or a path to a .yaml file.
        questionnaire: String,
        /// The answers file.
        answers: PathBuf,
        /// md, html or json; by default taken from the output file's extension, else md.
        #[arg(long, value_enum)]
        format: Option<OutFormat>,
        /// A folder of templates that replace the built-in ones by file name.
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
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

#[derive(Clone, Copy, ValueEnum)]
enum OutFormat {
    Md,
    Html,
    Json,
}

impl OutFormat {
    fn pick(given: Option<OutFormat>, output: Option<&Path>) -> Format {
        let by_extension = output.and_then(|p| p.extension()).and_then(|e| e.to_str());
        match (given, by_extension) {
            (Some(OutFormat::Md), _) => Format::Markdown,
            (Some(OutFormat::Html), _) => Format::Html,
            (Some(OutFormat::Json), _) => Format::Json,
            (None, Some("html" | "htm")) => Format::Html,
            (None, Some("json")) => Format::Json,
            _ => Format::Markdown,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(err) => {
            match &err {
                Error::Invalid(problems) => eprintln!("{problems}"),
                other => eprintln!("error: {other}"),
            }
            ExitCode::from(1)
        }
    }
}

fn run(command: Command) -> Result<ExitCode, Error> {
    match command {
        Command::List => list(),
        Command::Show {
            questionnaire,
            format,
            out,
        } => {
            let q = open(&questionnaire)?;
            let view = mend::show::view(&q);
            let text = match OutFormat::pick(format, out.output.as_deref()) {
                Format::Json => mend::to_json(&view),
                Format::Markdown => Renderer::new(None)?.render("questionnaire.md", &view)?,
                Format::Html => {
                    let r = Renderer::new(None)?;
                    r.page(&view.title, &r.render("questionnaire.md", &view)?)?
                }
            };
            emit(&out, &text)
        }
        Command::Check { paths } => check(&paths),
        Command::Template { questionnaire, out } => {
            let q = open(&questionnaire)?;
            emit(&out, &mend::blank::blank_answers(&q, &mend::today()))
        }
        Command::Report {
            questionnaire,
            answers,
            format,
            templates,
            out,
        } => {
            let q = open(&questionnaire)?;
            let responses = mend::answers::load(&answers, &q)?;
            let report = mend::assess(&q, &responses, &mend::today()).map_err(|problems| {
                Error::Invalid(FileProblems {
                    path: answers.clone(),
                    problems,
                })
            })?;
            let renderer = Renderer::new(templates.as_deref())?;
            let format = OutFormat::pick(format, out.output.as_deref());
            emit(&out, &mend::render_report(&report, format, &renderer)?)
        }
    }
}

/// Opens a questionnaire and prints its warnings, which do not stop the work.
fn open(name: &str) -> Result<Questionnaire, Error> {
    let q = Questionnaire::open(name)?;
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
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn list() -> Result<ExitCode, Error> {
    println!("{:<15} {:>5} {:>8}  title", "id", "items", "minutes");
    for id in mend::questionnaire::builtin_ids() {
        let q = Questionnaire::open(id)?;
        let minutes = q.file.minutes.map(|m| m.to_string()).unwrap_or_default();
        println!(
            "{:<15} {:>5} {:>8}  {}",
            id,
            q.items.len(),
            minutes,
            q.file.title
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn check(paths: &[PathBuf]) -> Result<ExitCode, Error> {
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
            eprintln!("{problems}");
        }
    }
    println!(
        "checked {} file{}: {errors} error{}, {warnings} warning{}",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    );
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
