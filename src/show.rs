//! A questionnaire as a plain document model: every item with its options resolved inline.
//! `mend show` prints it as JSON, or through `templates/questionnaire.md` for reading and printing.

use serde::Serialize;

use crate::model::{ItemType, Scalar};
use crate::questionnaire::Questionnaire;

#[derive(Debug, Serialize)]
pub struct QuestionnaireView {
    pub id: String,
    pub version: String,
    pub title: String,
    pub description: String,
    pub instructions: String,
    pub minutes: Option<u32>,
    /// The item that asks who answers (hurt, broke, both), if any.
    pub role_item: Option<String>,
    pub item_count: usize,
    pub sections: Vec<SectionView>,
}

#[derive(Debug, Serialize)]
pub struct SectionView {
    pub id: String,
    pub title: String,
    pub intro: String,
    pub show_if: Option<String>,
    /// The section's condition in words, for people filling in a paper copy.
    pub condition: Option<String>,
    pub items: Vec<ItemView>,
}

#[derive(Debug, Serialize)]
pub struct ItemView {
    /// The question's number, counting from 1 through the whole questionnaire.
    pub number: usize,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ItemType,
    pub text: String,
    pub help: String,
    pub required: bool,
    pub show_if: Option<String>,
    /// The item's own condition in words.
    pub condition: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct OptionView {
    pub value: Scalar,
    pub label: String,
}

/// The document model of `q`.
pub fn view(q: &Questionnaire) -> QuestionnaireView {
    let sections = q
        .file
        .sections
        .iter()
        .enumerate()
        .map(|(n, s)| SectionView {
            id: s.id.clone(),
            title: s.title.clone(),
            intro: s.intro.clone(),
            show_if: s.show_if.clone(),
            condition: s.show_if.as_ref().and_then(|src| in_words(q, src)),
            items: q
                .items
                .iter()
                .filter(|i| i.section == n)
                .map(|i| ItemView {
                    number: q.item_index(&i.id).map_or(0, |n| n + 1),
                    id: i.id.clone(),
                    kind: i.kind,
                    text: i.text.clone(),
                    help: i.help.clone(),
                    required: i.required,
                    show_if: own_condition(s, &i.id),
                    condition: own_condition(s, &i.id).and_then(|src| in_words(q, &src)),
                    options: i
                        .options
                        .iter()
                        .map(|o| OptionView {
                            value: o.value.clone(),
                            label: o.label.clone(),
                        })
                        .collect(),
                    min: i.min,
                    max: i.max,
                })
                .collect(),
        })
        .collect();
    QuestionnaireView {
        id: q.file.id.clone(),
        version: q.file.version.clone(),
        title: q.file.title.clone(),
        description: q.file.description.clone(),
        instructions: q.file.instructions.clone(),
        minutes: q.file.minutes,
        role_item: q.file.role_item.clone(),
        item_count: q.items.len(),
        sections,
    }
}

fn own_condition(section: &crate::model::Section, id: &str) -> Option<String> {
    section
        .items
        .iter()
        .find(|x| x.id == id)
        .and_then(|x| x.show_if.clone())
}

/// "Answer only if it applies, given your answer to question 1 (“...”)": a condition in
/// words, naming the earlier questions it depends on.
fn in_words(q: &Questionnaire, source: &str) -> Option<String> {
    let cond = crate::expr::Condition::compile(source).ok()?;
    let questions: Vec<String> = cond
        .refs
        .iter()
        .filter_map(|r| r.strip_prefix("answers."))
        .filter_map(|id| {
            let n = q.item_index(id)?;
            Some(format!(
                "question {} (\u{201c}{}\u{201d})",
                n + 1,
                q.items[n].text.trim()
            ))
        })
        .collect();
    (!questions.is_empty()).then(|| {
        format!(
            "Answer only if it applies to you, given your answer to {}.",
            questions.join(" and ")
        )
    })
}
