//! `mend take`: answering a questionnaire one question at a time. The session logic lives
//! here; asking is behind the [`Prompter`] trait, so the terminal (inquire), a script of
//! lines on standard input, and tests all drive the same session. Answers are saved after
//! every question, so nothing is lost when the session stops, and running it again resumes.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::answers::{self, AnswersFile, Written};
use crate::error::{Error, Problem};
use crate::model::Scalar;
use crate::questionnaire::{ItemInfo, Questionnaire, read_text};
use crate::{output, scoring, yaml};

/// One question, as a prompter shows it.
pub struct Ask<'a> {
    pub item: &'a ItemInfo,
    pub section: &'a str,
    /// The question's place among the questions shown, from 1.
    pub position: usize,
    pub total: usize,
    /// The answer given before, if any (when going back or resuming).
    pub current: Option<&'a Written>,
    pub can_go_back: bool,
}

/// What the person did with a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Answer(Written),
    Skip,
    Back,
    Quit,
}

/// Asks questions and shows messages: the terminal, a script, or a test.
pub trait Prompter {
    fn ask(&mut self, ask: &Ask) -> Result<Reply, Error>;
    fn tell(&mut self, message: &str);
    fn confirm(&mut self, question: &str) -> Result<bool, Error>;
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Finished,
    Stopped,
}

/// A person's answers in progress, saved to `path` after every question.
pub struct Session<'q> {
    q: &'q Questionnaire,
    path: PathBuf,
    file: AnswersFile,
}

impl<'q> Session<'q> {
    /// Starts a new session, or resumes the unfinished one in `path`. Refuses, unless
    /// `force`, to touch a file that is someone else's, finished, or not answers to `q`.
    pub fn open(
        q: &'q Questionnaire,
        path: &Path,
        name: Option<&str>,
        today: &str,
        force: bool,
    ) -> Result<Session<'q>, Error> {
        let fresh = AnswersFile {
            questionnaire: q.file.id.clone(),
            version: q.file.version.clone(),
            respondent: name.unwrap_or_default().to_string(),
            date: Some(today.to_string()),
            answers: IndexMap::new(),
            private: Vec::new(),
        };
        if force || !path.exists() {
            return Ok(Session {
                q,
                path: path.to_path_buf(),
                file: fresh,
            });
        }
        let refuse = |why: String| {
            Error::invalid(
                path,
                Problem::error(
                    None,
                    format!(
                        "{why}; choose another file with -o, or add --force to start again (this replaces it)"
                    ),
                ),
            )
        };
        let file: AnswersFile = yaml::parse(&read_text(path)?)
            .map_err(|p| refuse(format!("cannot resume: {}", p.message)))?;
        if file.questionnaire != q.file.id || file.version != q.file.version {
            return Err(refuse(format!(
                "it holds answers to `{}` version {}, not to this questionnaire",
                file.questionnaire, file.version
            )));
        }
        if let Some(name) = name
            && !file.respondent.is_empty()
            && file.respondent != name
        {
            return Err(refuse(format!(
                "it holds the answers of {}",
                file.respondent
            )));
        }
        let session = Session {
            q,
            path: path.to_path_buf(),
            file,
        };
        if session.next_unasked()?.is_none() {
            return Err(refuse("these answers are already complete".to_string()));
        }
        Ok(session)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether some questions were answered before this session (it resumes).
    pub fn resuming(&self) -> bool {
        !self.file.answers.is_empty()
    }

    /// Which items are shown, given the answers so far.
    fn visible(&self) -> Result<Vec<bool>, Error> {
        let responses = answers::from_file(&self.file, self.q).map_err(|problems| {
            Error::Invalid(crate::error::FileProblems {
                path: self.path.clone(),
                problems,
            })
        })?;
        Ok(scoring::score(self.q, &responses).visible)
    }

    /// The first shown question not yet asked (absent from the file; a skip is written blank).
    fn next_unasked(&self) -> Result<Option<usize>, Error> {
        let visible = self.visible()?;
        Ok(self
            .q
            .items
            .iter()
            .zip(&visible)
            .position(|(item, &shown)| shown && !self.file.answers.contains_key(&item.id)))
    }

    /// Asks until every shown question has been asked, or the person stops.
    pub fn run(&mut self, prompter: &mut dyn Prompter) -> Result<Outcome, Error> {
        let mut cursor: Option<usize> = None;
        loop {
            let visible = self.visible()?;
            let Some(index) = cursor.or(self.next_unasked()?) else {
                return Ok(Outcome::Finished);
            };
            let item = &self.q.items[index];
            let shown: Vec<usize> = (0..visible.len()).filter(|&i| visible[i]).collect();
            let ask = Ask {
                item,
                section: &self.q.file.sections[item.section].title,
                position: shown.iter().position(|&i| i == index).map_or(1, |p| p + 1),
                total: shown.len(),
                current: self.file.answers.get(&item.id).and_then(|a| a.as_ref()),
                can_go_back: shown.first().is_some_and(|&first| first < index),
            };
            match prompter.ask(&ask)? {
                Reply::Quit => {
                    self.save()?;
                    return Ok(Outcome::Stopped);
                }
                Reply::Back => match shown.iter().rev().find(|&&i| i < index) {
                    Some(&previous) => cursor = Some(previous),
                    None => prompter.tell("This is the first question."),
                },
                Reply::Skip if item.required => prompter.tell("This question needs an answer."),
                Reply::Skip => {
                    self.record(item, None)?;
                    cursor = None;
                }
                Reply::Answer(written) => match answers::check_value(item, &written) {
                    Ok(_) => {
                        self.record(item, Some(written))?;
                        cursor = None;
                    }
                    Err(message) => prompter.tell(&format!("{message}. Please try again.")),
                },
            }
        }
    }

    /// Records an answer (or a skip) and saves the file at once.
    fn record(&mut self, item: &ItemInfo, answer: Option<Written>) -> Result<(), Error> {
        self.file.answers.insert(item.id.clone(), answer);
        self.save()
    }

    /// Writes the answers in questionnaire order, atomically.
    pub fn save(&mut self) -> Result<(), Error> {
        let mut ordered = IndexMap::new();
        for item in &self.q.items {
            if let Some((k, v)) = self.file.answers.shift_remove_entry(&item.id) {
                ordered.insert(k, v);
            }
        }
        self.file.answers = ordered;
        let text = format!(
            "# Answers to \"{}\", saved by `mend take` after every question.\n{}",
            self.q.file.title.replace('\n', " "),
            yaml::to_string(&self.file)
        );
        output::write_atomic(&self.path, text.as_bytes(), true)
    }
}

/// Reads one answer per line: an option's value or its number, several separated by commas
/// for a checklist; an empty line skips, `<` goes back, `q` saves and stops. For scripts,
/// tests, and terminals without cursor keys.
pub struct LinePrompter<R, W> {
    input: R,
    output: W,
}

impl<R: std::io::BufRead, W: std::io::Write> LinePrompter<R, W> {
    pub fn new(input: R, output: W) -> Self {
        LinePrompter { input, output }
    }

    fn read_line(&mut self) -> Result<Option<String>, Error> {
        let mut line = String::new();
        let n = self
            .input
            .read_line(&mut line)
            .map_err(|source| Error::Read {
                path: PathBuf::from("<standard input>"),
                source,
            })?;
        Ok((n > 0).then(|| line.trim_end_matches(['\n', '\r']).to_string()))
    }
}

impl<R: std::io::BufRead, W: std::io::Write> Prompter for LinePrompter<R, W> {
    fn ask(&mut self, ask: &Ask) -> Result<Reply, Error> {
        let item = ask.item;
        let mut text = format!(
            "\n[{} of {}] {}\n{}\n",
            ask.position,
            ask.total,
            ask.section,
            item.text.trim()
        );
        for (n, o) in item.options.iter().enumerate() {
            text.push_str(&format!("  {}) {}\n", n + 1, o.label));
        }
        let hint = match item.kind {
            crate::model::ItemType::Multi => "numbers or values, separated by commas",
            crate::model::ItemType::Number => "a number",
            crate::model::ItemType::Text => "your answer",
            _ => "a number or a value",
        };
        text.push_str(&format!(
            "> ({hint}; empty to skip, < to go back, q to save and stop) "
        ));
        let _ = self.output.write_all(text.as_bytes());
        let _ = self.output.flush();
        let Some(line) = self.read_line()? else {
            return Ok(Reply::Quit);
        };
        let line = line.trim();
        Ok(match line {
            "" => Reply::Skip,
            "<" | "back" => Reply::Back,
            "q" | "quit" => Reply::Quit,
            _ => Reply::Answer(parse_reply(item, line)),
        })
    }

    fn tell(&mut self, message: &str) {
        let _ = writeln!(self.output, "{message}");
    }

    fn confirm(&mut self, question: &str) -> Result<bool, Error> {
        let _ = write!(self.output, "{question} [y/N] ");
        let _ = self.output.flush();
        Ok(matches!(
            self.read_line()?.as_deref().map(str::trim),
            Some("y" | "Y" | "yes")
        ))
    }
}

/// A typed line as an answer: an option's value if one matches, else its number in the list.
pub fn parse_reply(item: &ItemInfo, line: &str) -> Written {
    let one = |token: &str| -> Scalar {
        let token = token.trim();
        if let Some(o) = item.options.iter().find(|o| o.value.to_string() == token) {
            return o.value.clone();
        }
        match token.parse::<usize>() {
            Ok(n) if n >= 1 && n <= item.options.len() => item.options[n - 1].value.clone(),
            _ => match token.parse::<f64>() {
                Ok(x) => Scalar::Number(x),
                Err(_) => Scalar::Text(token.to_string()),
            },
        }
    };
    match item.kind {
        crate::model::ItemType::Text => Written::One(Scalar::Text(line.to_string())),
        crate::model::ItemType::Multi => Written::Many(
            line.split(',')
                .filter(|t| !t.trim().is_empty())
                .map(one)
                .collect(),
        ),
        _ => Written::One(one(line)),
    }
}
