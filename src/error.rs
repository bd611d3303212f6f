//! Errors and problems, as types. They are rendered to text once, at the edge (`main.rs`).

use std::fmt;
use std::path::PathBuf;

/// A place in a file, 1-based, so messages read like editors count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// How bad a problem is: errors stop mend from using a file, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One thing wrong with a file: what, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub location: Option<Location>,
    pub message: String,
}

impl Problem {
    pub fn error(location: Option<Location>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            location,
            message: message.into(),
        }
    }

    pub fn warning(location: Option<Location>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            location,
            message: message.into(),
        }
    }
}

/// Problems found in one file, printed one per line as `file:line:column: severity: message`.
#[derive(Debug, Clone, PartialEq)]
pub struct FileProblems {
    pub path: PathBuf,
    pub problems: Vec<Problem>,
}

impl FileProblems {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

impl fmt::Display for FileProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", self.path.display())?;
            if let Some(loc) = p.location {
                write!(f, ":{}:{}", loc.line, loc.column)?;
            }
            let sev = match p.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            write!(f, ": {sev}: {}", p.message)?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in mend's library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{}: already exists; mend does not overwrite files: choose another name, or add --force to replace it",
        path.display()
    )]
    Exists { path: PathBuf },
    #[error("{0}")]
    Invalid(FileProblems),
    #[error(
        "unknown questionnaire `{name}`: it is neither a built-in ({builtins}) nor a file; give a built-in id or the path to a .yaml file"
    )]
    UnknownQuestionnaire { name: String, builtins: String },
    #[error("{}: template error: {message}", path.display())]
    Template { path: PathBuf, message: String },
}

impl Error {
    /// The error for one problem in one file.
    pub fn invalid(path: impl Into<PathBuf>, problem: Problem) -> Self {
        Error::Invalid(FileProblems {
            path: path.into(),
            problems: vec![problem],
        })
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
