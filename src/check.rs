//! `mend check`: find out what kind of mend file each path is, and report all its problems.

use std::path::{Path, PathBuf};

use crate::error::{Error, FileProblems, Problem};
use crate::questionnaire::{Questionnaire, read_text};

/// The files to check: each file given, and every `.yaml`/`.yml` file inside each folder.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|source| Error::Read {
                    path: path.clone(),
                    source,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
                })
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Every problem in one file, whatever kind of mend file it is.
pub fn check_file(path: &Path) -> FileProblems {
    let problems = match read_text(path) {
        Err(Error::Invalid(p)) => return p,
        Err(e) => vec![Problem::error(None, e.to_string())],
        Ok(text) => check_text(path, &text),
    };
    FileProblems {
        path: path.to_path_buf(),
        problems,
    }
}

fn check_text(path: &Path, text: &str) -> Vec<Problem> {
    let keys = crate::yaml::top_keys(text);
    let has = |k: &str| keys.iter().any(|x| x == k);
    if has("sections") || !(has("strategies") || has("flags") || has("answers")) {
        match Questionnaire::parse(path, text) {
            Ok(q) => q.warnings,
            Err(p) => p.problems,
        }
    } else if has("answers") {
        check_answers(text)
    } else {
        crate::library::check_library_file(text, has("resources"))
    }
}

/// Answers files are checked against their questionnaire when it is a built-in one.
fn check_answers(text: &str) -> Vec<Problem> {
    let file: crate::answers::AnswersFile = match crate::yaml::parse(text) {
        Ok(f) => f,
        Err(p) => return vec![p],
    };
    match Questionnaire::open(&file.questionnaire) {
        Ok(q) => crate::answers::parse(text, &q).err().unwrap_or_default(),
        Err(_) => vec![Problem::warning(
            None,
            format!(
                "answers for `{}`, which is not a built-in questionnaire; check them with `mend report <questionnaire file> <answers>`",
                file.questionnaire
            ),
        )],
    }
}
