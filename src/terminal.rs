//! The interactive terminal prompter for `mend take`: arrow keys and Enter to choose, Esc to
//! go back, Ctrl-C to save and stop. Built on inquire, which handles the terminal.

use std::path::PathBuf;

use inquire::error::InquireError;
use inquire::{Confirm, MultiSelect, Select, Text};

use crate::answers::Written;
use crate::error::Error;
use crate::model::ItemType;
use crate::take::{Ask, Prompter, Reply, parse_reply};

pub struct TerminalPrompter;

const SKIP: &str = "(skip this question)";
const BACK: &str = "(go back)";
const STOP: &str = "(save and stop for now)";

impl Prompter for TerminalPrompter {
    fn ask(&mut self, ask: &Ask) -> Result<Reply, Error> {
        let item = ask.item;
        let title = format!(
            "[{} of {}] {} | {}",
            ask.position,
            ask.total,
            ask.section,
            item.text.trim()
        );
        let result = match item.kind {
            ItemType::Choice | ItemType::Yesno => choose(ask, &title),
            ItemType::Multi => tick(ask, &title),
            ItemType::Number | ItemType::Text => type_in(ask, &title),
        };
        match result {
            Ok(reply) => Ok(reply),
            Err(InquireError::OperationCanceled) => Ok(Reply::Back),
            Err(InquireError::OperationInterrupted) => Ok(Reply::Quit),
            Err(e) => Err(terminal_error(e)),
        }
    }

    fn tell(&mut self, message: &str) {
        eprintln!("{message}");
    }

    fn confirm(&mut self, question: &str) -> Result<bool, Error> {
        match Confirm::new(question).with_default(false).prompt() {
            Ok(yes) => Ok(yes),
            Err(InquireError::OperationCanceled | InquireError::OperationInterrupted) => Ok(false),
            Err(e) => Err(terminal_error(e)),
        }
    }
}

fn terminal_error(e: InquireError) -> Error {
    Error::Read {
        path: PathBuf::from("<terminal>"),
        source: std::io::Error::other(e.to_string()),
    }
}

fn choose(ask: &Ask, title: &str) -> Result<Reply, InquireError> {
    let item = ask.item;
    let mut entries: Vec<String> = item.options.iter().map(|o| o.label.clone()).collect();
    if !item.required {
        entries.push(SKIP.to_string());
    }
    if ask.can_go_back {
        entries.push(BACK.to_string());
    }
    entries.push(STOP.to_string());
    let start = match ask.current {
        Some(Written::One(v)) => item
            .options
            .iter()
            .position(|o| o.value.matches(v))
            .unwrap_or(0),
        _ => 0,
    };
    let picked = Select::new(title, entries)
        .with_help_message("↑↓ move, Enter choose, Esc back, Ctrl-C save and stop")
        .with_starting_cursor(start)
        .raw_prompt()?;
    Ok(match item.options.get(picked.index) {
        Some(o) => Reply::Answer(Written::One(o.value.clone())),
        None => extra(&picked.value),
    })
}

fn extra(entry: &str) -> Reply {
    match entry {
        SKIP => Reply::Skip,
        BACK => Reply::Back,
        _ => Reply::Quit,
    }
}

fn tick(ask: &Ask, title: &str) -> Result<Reply, InquireError> {
    let item = ask.item;
    let labels: Vec<String> = item.options.iter().map(|o| o.label.clone()).collect();
    let ticked: Vec<usize> = match ask.current {
        Some(Written::Many(vs)) => item
            .options
            .iter()
            .enumerate()
            .filter(|(_, o)| vs.iter().any(|v| o.value.matches(v)))
            .map(|(i, _)| i)
            .collect(),
        _ => Vec::new(),
    };
    let picked = MultiSelect::new(title, labels)
        .with_help_message("↑↓ move, Space tick, Enter done (nothing ticked skips), Esc back, Ctrl-C save and stop")
        .with_default(&ticked)
        .raw_prompt()?;
    if picked.is_empty() {
        return Ok(Reply::Skip);
    }
    Ok(Reply::Answer(Written::Many(
        picked
            .iter()
            .map(|p| item.options[p.index].value.clone())
            .collect(),
    )))
}

fn type_in(ask: &Ask, title: &str) -> Result<Reply, InquireError> {
    let current = match ask.current {
        Some(Written::One(v)) => v.to_string(),
        _ => String::new(),
    };
    let help = match (ask.item.kind, ask.item.min, ask.item.max) {
        (ItemType::Number, Some(a), Some(b)) => format!(
            "a number from {} to {}; empty to skip, Esc back, Ctrl-C save and stop",
            crate::model::format_number(a),
            crate::model::format_number(b)
        ),
        _ => "empty to skip, Esc back, Ctrl-C save and stop".to_string(),
    };
    let line = Text::new(title)
        .with_help_message(&help)
        .with_initial_value(&current)
        .prompt()?;
    Ok(if line.trim().is_empty() {
        Reply::Skip
    } else {
        Reply::Answer(parse_reply(ask.item, line.trim()))
    })
}
