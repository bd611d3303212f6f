//! A blank answers file: every item present, with a comment giving its text and the values
//! it allows, ready to fill in with a text editor.

use crate::answers::allowed;
use crate::questionnaire::Questionnaire;
use crate::yaml::scalar;

/// The text of a blank answers file for `q`, dated `today`.
pub fn blank_answers(q: &Questionnaire, today: &str) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# Answers to \"{}\" ({} version {}).\n",
        one_line(&q.file.title),
        q.file.id,
        q.file.version
    ));
    out.push_str("# Write each answer after its colon. Leave an answer blank to skip it.\n");
    out.push_str(&format!(
        "# Then: mend report {} <this file>\n",
        q.command_name()
    ));
    out.push_str(&format!("questionnaire: {}\n", scalar(&q.file.id)));
    out.push_str(&format!("version: {}\n", quoted(&q.file.version)));
    out.push_str("respondent: \"\"   # your name or an alias\n");
    out.push_str(&format!("date: {today}\n"));
    out.push_str("answers:\n");
    let mut section = usize::MAX;
    for item in &q.items {
        if item.section != section {
            section = item.section;
            out.push_str(&format!(
                "\n  # == {} ==\n",
                one_line(&q.file.sections[section].title)
            ));
        }
        out.push_str(&format!("  # {}", one_line(&item.text)));
        if item.required {
            out.push_str(" (required)");
        }
        out.push('\n');
        if !item.show_if.is_empty() {
            let conds: Vec<&str> = item.show_if.iter().map(|c| c.source.as_str()).collect();
            out.push_str(&format!(
                "  # Only if: {}\n",
                one_line(&conds.join(" and "))
            ));
        }
        out.push_str(&format!("  # {}\n", one_line(&allowed(item))));
        out.push_str(&format!("  {}:\n", item.id));
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Always quoted, so `1.0` stays the text "1.0" when read back.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
