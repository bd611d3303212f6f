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

/// Every problem in each file, whatever kind of mend file it is (a built-in id is checked from
/// the copy embedded in mend). Answers files are checked against a questionnaire given in the
/// same call when one has their id, else a built-in one.
pub fn check_files(paths: &[PathBuf]) -> Vec<FileProblems> {
    let texts: Vec<(PathBuf, Result<String, Error>)> = paths
        .iter()
        .map(|p| {
            let builtin = crate::library::builtin::QUESTIONNAIRES
                .iter()
                .find(|(id, _)| !p.exists() && p.as_os_str() == *id);
            match builtin {
                Some((id, text)) => (
                    PathBuf::from(format!("built-in:{id}")),
                    Ok(text.to_string()),
                ),
                None => (p.clone(), read_text(p)),
            }
        })
        .collect();
    let questionnaires: Vec<Questionnaire> = texts
        .iter()
        .filter_map(|(path, text)| {
            let text = text.as_ref().ok()?;
            (kind(text) == Kind::Questionnaire)
                .then(|| Questionnaire::parse(path, text).ok())
                .flatten()
        })
        .collect();
    texts
        .into_iter()
        .map(|(path, text)| {
            let problems = match text {
                Err(Error::Invalid(p)) => return p,
                Err(e) => vec![Problem::error(None, e.to_string())],
                Ok(text) => check_text(&path, &text, &questionnaires),
            };
            FileProblems { path, problems }
        })
        .collect()
}

#[derive(PartialEq)]
enum Kind {
    /// A translation (`readiness.es.yaml`): checked with its original, beside it.
    Translation,
    Questionnaire,
    Answers,
    Strategies,
    Support,
}

/// What kind of mend file a text is, from its top-level keys.
fn kind(text: &str) -> Kind {
    let keys = crate::yaml::top_keys(text);
    let has = |k: &str| keys.iter().any(|x| x == k);
    if has("language") && !has("id") {
        Kind::Translation
    } else if has("sections") || !(has("strategies") || has("flags") || has("answers")) {
        Kind::Questionnaire
    } else if has("answers") {
        Kind::Answers
    } else if has("resources") {
        Kind::Support
    } else {
        Kind::Strategies
    }
}

fn check_text(path: &Path, text: &str, questionnaires: &[Questionnaire]) -> Vec<Problem> {
    match kind(text) {
        Kind::Questionnaire => match Questionnaire::parse(path, text) {
            Ok(q) => q.warnings,
            Err(p) => p.problems,
        },
        Kind::Answers => check_answers(text, questionnaires),
        Kind::Translation => check_translation(path, text),
        Kind::Strategies => {
            let mut problems = crate::library::check_library_file(text, false);
            problems.extend(unrecommended(text, questionnaires));
            problems
        }
        Kind::Support => crate::library::check_library_file(text, true),
    }
}

fn check_answers(text: &str, questionnaires: &[Questionnaire]) -> Vec<Problem> {
    let file: crate::answers::AnswersFile = match crate::yaml::parse(text) {
        Ok(f) => f,
        Err(p) => return vec![p],
    };
    if let Some(q) = questionnaires
        .iter()
        .find(|q| q.file.id == file.questionnaire)
    {
        return crate::answers::parse(text, q).err().unwrap_or_default();
    }
    match Questionnaire::open(&file.questionnaire) {
        Ok(q) => crate::answers::parse(text, &q).err().unwrap_or_default(),
        Err(_) => vec![Problem::warning(
            None,
            format!(
                "answers for `{}`, which is neither a built-in questionnaire nor one given to this check; add its file: mend check <questionnaire.yaml> <answers.yaml>",
                file.questionnaire
            ),
        )],
    }
}

/// Strategies in a library that no rule or flag recommends, in the questionnaires checked
/// with it (or, when none is given, the built-in ones): no report would ever show them.
fn unrecommended(text: &str, given: &[Questionnaire]) -> Vec<Problem> {
    let Ok(file) = crate::yaml::parse::<crate::model::StrategyFile>(text) else {
        return Vec::new();
    };
    let builtins: Vec<Questionnaire>;
    let questionnaires = if given.is_empty() {
        builtins = crate::questionnaire::builtin_ids()
            .iter()
            .filter_map(|id| Questionnaire::open(id).ok())
            .collect();
        &builtins
    } else {
        given
    };
    let locator = crate::locate::Locator::new(text);
    file.strategies
        .iter()
        .filter(|s| {
            !questionnaires.iter().any(|q| {
                q.rules.iter().chain(&q.couple_rules).any(|r| r.def.recommend.contains(&s.id))
                    || q.library.flags.values().any(|f| f.recommend.contains(&s.id))
            })
        })
        .map(|s| Problem::warning(locator.id(&s.id, None), format!("strategy `{}` is recommended by no rule or flag of the questionnaires checked, so no report will show it", s.id)))
        .collect()
}

/// A translation is checked against its original: `readiness.es.yaml` beside `readiness.yaml`
/// (or the built-in library for `strategies.es.yaml` and `support.es.yaml`). What is not
/// translated, and ids the original does not have, are warnings.
fn check_translation(path: &Path, text: &str) -> Vec<Problem> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut parts = name.splitn(3, '.');
    let (Some(stem), Some(lang)) = (parts.next(), parts.next()) else {
        return vec![Problem::error(
            None,
            "a translation file is named <original>.<language>.yaml, e.g. readiness.es.yaml",
        )];
    };
    if stem == "strategies" || stem == "support" {
        return match crate::yaml::parse::<crate::translate::LibraryTranslation>(text) {
            Err(p) => vec![p],
            Ok(t) => {
                let mut lib = crate::library::Library::builtin();
                let mut missing = crate::translate::Missing::default();
                crate::translate::apply_library(&mut lib, &t, &mut missing, stem == "strategies");
                missing
                    .0
                    .iter()
                    .map(|m| Problem::warning(None, format!("not translated to `{lang}`: {m}")))
                    .collect()
            }
        };
    }
    if let Err(p) = crate::yaml::parse::<crate::translate::QuestionnaireTranslation>(text) {
        return vec![p];
    }
    let original = path.with_file_name(format!("{stem}.yaml"));
    let source = match read_text(&original) {
        Ok(t) => t,
        Err(_) => {
            return vec![Problem::error(
                None,
                format!("no original beside it: expected {}", original.display()),
            )];
        }
    };
    match Questionnaire::parse_in(&original, &source, Some(Ok(text.to_string())), Some(lang)) {
        Ok(q) => q
            .warnings
            .into_iter()
            .filter(|p| p.message.contains("translat"))
            .collect(),
        Err(p) => p.problems,
    }
}
