//! Answers files: reading them, and checking them against their questionnaire.

use std::fmt;
use std::path::Path;

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Error, FileProblems, Problem};
use crate::locate::{Locator, nearest};
use crate::model::{ItemType, Scalar, format_number, scalar_text};
use crate::questionnaire::{ItemInfo, Questionnaire, read_text};
use crate::yaml;

/// An answers file, as written by `mend template` or by hand.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersFile {
    pub questionnaire: String,
    #[serde(deserialize_with = "scalar_text")]
    #[schemars(with = "Scalar")]
    pub version: String,
    #[serde(default)]
    pub respondent: String,
    #[serde(default, deserialize_with = "optional_text")]
    #[schemars(with = "Option<Scalar>")]
    pub date: Option<String>,
    #[serde(default, deserialize_with = "crate::model::unique_map")]
    pub answers: IndexMap<String, Option<Written>>,
    /// Items whose answers this person keeps out of joint reports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub private: Vec<String>,
}

fn optional_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<Scalar>::deserialize(d).map(|s| s.map(|s| s.to_string()))
}

/// A value as written in the file: one value, or a list for checklists.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Written {
    One(Scalar),
    Many(Vec<Scalar>),
}

impl<'de> Deserialize<'de> for Written {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(WrittenVisitor)
    }
}

struct WrittenVisitor;

impl<'de> serde::de::Visitor<'de> for WrittenVisitor {
    type Value = Written;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an answer: a value, or a list of values for a checklist")
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Written, E> {
        Ok(Written::One(Scalar::Number(v as f64)))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Written, E> {
        Ok(Written::One(Scalar::Number(v as f64)))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Written, E> {
        if v.is_finite() {
            Ok(Written::One(Scalar::Number(v)))
        } else {
            Err(E::custom("an answer must be a finite number"))
        }
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Written, E> {
        Ok(Written::One(Scalar::Text(v.to_string())))
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Written, E> {
        Err(E::custom(format!(
            "`{v}` is read as true/false; write the option's value, e.g. `yes` or `no`"
        )))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Written, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element::<Scalar>()? {
            out.push(v);
        }
        Ok(Written::Many(out))
    }
}

/// One checked answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The index of the chosen option.
    Choice(usize),
    /// The indexes of the ticked options.
    Multi(Vec<usize>),
    Number(f64),
    Text(String),
}

/// A person's checked answers to one questionnaire.
#[derive(Debug, Clone)]
pub struct Responses {
    pub respondent: String,
    pub date: Option<String>,
    /// Answers in questionnaire order (`ItemInfo::position`); `None` is a blank. An item
    /// answered with a "prefer not to say" option has its answer here too.
    pub answers: Vec<Option<Answer>>,
    /// Items this person keeps out of joint reports.
    pub private: Vec<String>,
}

impl Responses {
    /// No answers yet, for `q`.
    pub fn empty(q: &Questionnaire) -> Responses {
        Responses {
            respondent: String::new(),
            date: None,
            answers: vec![None; q.items.len()],
            private: Vec::new(),
        }
    }

    /// What was written for this item, even a "prefer not to say".
    pub fn given(&self, item: &ItemInfo) -> Option<&Answer> {
        self.answers.get(item.position)?.as_ref()
    }

    /// Whether this item has a real answer (not blank, not a `missing: true` option).
    pub fn answered(&self, item: &ItemInfo) -> Option<&Answer> {
        let a = self.given(item)?;
        let skipped = match a {
            Answer::Choice(i) => item.options[*i].missing,
            // Nothing ticked is a blank, as in the form and in `mend take`.
            Answer::Multi(ix) => ix.is_empty() || ix.iter().any(|&i| item.options[i].missing),
            Answer::Text(t) => t.trim().is_empty(),
            Answer::Number(_) => false,
        };
        (!skipped).then_some(a)
    }
}

impl Answer {
    /// The answer as people read it: the option labels, or the number or text.
    pub fn display(&self, item: &ItemInfo) -> String {
        match self {
            Answer::Choice(i) => item.options[*i].label.clone(),
            Answer::Multi(ix) => ix
                .iter()
                .map(|&i| item.options[i].label.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            Answer::Number(n) => format_number(*n),
            Answer::Text(t) => t.clone(),
        }
    }
}

/// The questionnaire id an answers file names, read before anything else is checked.
pub fn questionnaire_of(path: &Path) -> Result<String, Error> {
    #[derive(Deserialize)]
    struct Head {
        questionnaire: String,
    }
    let text = read_text(path)?;
    yaml::parse::<Head>(&text)
        .map(|h| h.questionnaire)
        .map_err(|p| Error::invalid(path, p))
}

/// More problems than this in one answers file are not listed one by one.
const MAX_PROBLEMS: usize = 200;

/// Reads an answers file and checks it against `q`, reporting every problem at once.
pub fn load(path: &Path, q: &Questionnaire) -> Result<Responses, Error> {
    let text = read_text(path)?;
    parse(&text, q).map_err(|problems| {
        Error::Invalid(FileProblems {
            path: path.to_path_buf(),
            problems,
        })
    })
}

/// Parses answers text and checks it against `q`.
pub fn parse(text: &str, q: &Questionnaire) -> Result<Responses, Vec<Problem>> {
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(vec![Problem::error(
            None,
            format!(
                "the answers file is empty; `mend template {}` writes one to fill in",
                q.command_name()
            ),
        )]);
    }
    let file: AnswersFile = yaml::parse(text).map_err(|p| vec![p])?;
    check(&file, text, q)
}

/// Checks an answers file already read (as `mend take` holds it), without line numbers.
pub fn from_file(file: &AnswersFile, q: &Questionnaire) -> Result<Responses, Vec<Problem>> {
    check(file, "", q)
}

fn check(file: &AnswersFile, text: &str, q: &Questionnaire) -> Result<Responses, Vec<Problem>> {
    let locator = Locator::new(text);
    let mut problems = Vec::new();
    if file.questionnaire != q.file.id {
        problems.push(Problem::error(
            locator.key("questionnaire"),
            format!(
                "these answers are for the questionnaire `{}`, not `{}`; use the questionnaire they were written for",
                file.questionnaire, q.file.id
            ),
        ));
        return Err(problems);
    }
    if file.version != q.file.version {
        problems.push(Problem::error(
            locator.key("version"),
            format!(
                "these answers are for version {} of `{}`, but the questionnaire is version {}; answer the current version (mend template {}) or use the matching questionnaire file",
                file.version, q.file.id, q.file.version, q.command_name()
            ),
        ));
    }
    if let Some(date) = &file.date
        && date.parse::<jiff::civil::Date>().is_err()
    {
        problems.push(Problem::error(
            locator.key("date"),
            format!("`date: {date}` is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20"),
        ));
    }
    let mut answers = vec![None; q.items.len()];
    for (id, written) in &file.answers {
        if problems.len() >= MAX_PROBLEMS {
            problems.push(Problem::error(
                None,
                format!(
                    "… and more: mend stops listing after {MAX_PROBLEMS} problems; fix these first"
                ),
            ));
            break;
        }
        let at = locator.key_in("answers", id);
        let Some(item) = q.item(id) else {
            let hint = nearest(id, q.items.iter().map(|i| &i.id));
            problems.push(Problem::error(
                at,
                format!(
                    "`{id}` is not a question of `{}`{hint}; remove it or correct its id",
                    q.file.id
                ),
            ));
            continue;
        };
        let Some(written) = written else { continue };
        match check_value(item, written) {
            Ok(a) => answers[item.position] = Some(a),
            Err(msg) => problems.push(Problem::error(at, format!("`{id}`: {msg}"))),
        }
    }
    for id in &file.private {
        if q.item(id).is_none() {
            let hint = nearest(id, q.items.iter().map(|i| &i.id));
            problems.push(Problem::error(
                locator.key("private"),
                format!(
                    "`private` names `{id}`, which is not a question of `{}`{hint}",
                    q.file.id
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(Responses {
            respondent: file.respondent.clone(),
            date: file.date.clone(),
            answers,
            private: file.private.clone(),
        })
    } else {
        Err(problems)
    }
}

/// Checks one written value against its item, saying what is allowed when it is not.
pub fn check_value(item: &ItemInfo, written: &Written) -> Result<Answer, String> {
    match (item.kind, written) {
        (ItemType::Text, Written::One(s)) => Ok(Answer::Text(s.to_string())),
        (ItemType::Number, Written::One(Scalar::Number(n))) => {
            let below = item.min.is_some_and(|m| *n < m);
            let above = item.max.is_some_and(|m| *n > m);
            if below || above {
                Err(format!(
                    "{} is outside the allowed range {}",
                    format_number(*n),
                    range_text(item)
                ))
            } else {
                Ok(Answer::Number(*n))
            }
        }
        (ItemType::Number, Written::One(Scalar::Text(t))) => Err(format!(
            "`{t}` is not a number; write a number {}",
            range_text(item)
        )),
        (ItemType::Choice | ItemType::Yesno, Written::One(v)) => {
            option_index(item, v).map(Answer::Choice)
        }
        (ItemType::Multi, Written::Many(vs)) => {
            let ix = vs
                .iter()
                .map(|v| option_index(item, v))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Answer::Multi(ix))
        }
        (ItemType::Multi, Written::One(v)) => option_index(item, v).map(|i| Answer::Multi(vec![i])),
        (_, Written::Many(_)) => Err(format!(
            "this question takes one answer, not a list; {}",
            allowed(item)
        )),
    }
}

fn option_index(item: &ItemInfo, v: &Scalar) -> Result<usize, String> {
    item.options
        .iter()
        .position(|o| o.value.matches(v))
        .or_else(|| {
            // `"3"` written for the value 3, or 3 for the value `"3"`.
            let text = v.to_string();
            item.options
                .iter()
                .position(|o| o.value.to_string() == text)
        })
        .ok_or_else(|| format!("`{v}` is not one of its options; {}", allowed(item)))
}

/// "allowed: 1 (Strongly disagree), 2 (Disagree), ..." for messages and templates.
pub fn allowed(item: &ItemInfo) -> String {
    match item.kind {
        ItemType::Number => format!("write a number {}", range_text(item)),
        ItemType::Text => "write any text".to_string(),
        _ => {
            let opts: Vec<String> = item
                .options
                .iter()
                .map(|o| format!("{} ({})", o.value, o.label))
                .collect();
            let list = if item.kind == ItemType::Multi {
                " (a list, e.g. [a, b])"
            } else {
                ""
            };
            format!("allowed{list}: {}", opts.join(", "))
        }
    }
}

fn range_text(item: &ItemInfo) -> String {
    match (item.min, item.max) {
        (Some(a), Some(b)) => format!("from {} to {}", format_number(a), format_number(b)),
        (Some(a), None) => format!("of at least {}", format_number(a)),
        (None, Some(b)) => format!("of at most {}", format_number(b)),
        (None, None) => String::new(),
    }
}
