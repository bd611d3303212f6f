//! The homework form: one self-contained HTML page a client fills in offline, in any
//! browser. This module builds what `templates/homework.html` presents: the questionnaire
//! model, the therapist's note, and the JavaScript (`MEND`) that shows and hides questions
//! with mend's own rules and writes the answers file.

use serde::Serialize;

use crate::error::{Error, Problem};
use crate::jsexpr;
use crate::model::ItemType;
use crate::questionnaire::Questionnaire;
use crate::show::{QuestionnaireView, view};

/// The JavaScript runtime that conditions run on.
const RUNTIME: &str = include_str!("../templates/homework-runtime.js");

/// What the therapist adds to a homework file.
#[derive(Debug, Clone, Default)]
pub struct Assignment {
    pub for_name: String,
    pub note: String,
    pub due: String,
}

/// The context of `templates/homework.html`.
#[derive(Debug, Serialize)]
pub struct Homework {
    pub questionnaire: QuestionnaireView,
    /// Markdown rendered by comrak, raw HTML escaped: safe to insert as it is.
    pub description_html: String,
    pub instructions_html: String,
    pub for_name: String,
    pub note: String,
    pub due: String,
    pub generated: String,
    pub mend_version: String,
    /// A script defining `M` (the runtime) and `MEND` (the form's data and behaviour).
    pub mend_js: String,
}

#[derive(Serialize)]
struct Data<'a> {
    questionnaire: Meta<'a>,
    respondent: &'a str,
    #[serde(rename = "fileName")]
    file_name: String,
    #[serde(rename = "storageKey")]
    storage_key: String,
    items: Vec<ItemData<'a>>,
}

#[derive(Serialize)]
struct Meta<'a> {
    id: &'a str,
    version: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct ItemData<'a> {
    id: &'a str,
    section: &'a str,
    #[serde(rename = "type")]
    kind: ItemType,
    required: bool,
    min: Option<f64>,
    max: Option<f64>,
    numeric: bool,
    options: &'a [crate::model::Choice],
}

/// Builds the form's model; fails when a condition cannot run in the browser.
pub fn build(
    q: &Questionnaire,
    assignment: &Assignment,
    generated: &str,
) -> Result<Homework, Error> {
    let md = |text: &str| crate::render::markdown_to_html(text);
    Ok(Homework {
        questionnaire: view(q),
        description_html: md(&q.file.description),
        instructions_html: md(&q.file.instructions),
        for_name: assignment.for_name.clone(),
        note: assignment.note.clone(),
        due: assignment.due.clone(),
        generated: generated.to_string(),
        mend_version: env!("CARGO_PKG_VERSION").to_string(),
        mend_js: script(q, &assignment.for_name)?,
    })
}

fn script(q: &Questionnaire, for_name: &str) -> Result<String, Error> {
    let data = Data {
        questionnaire: Meta {
            id: &q.file.id,
            version: &q.file.version,
            title: &q.file.title,
        },
        respondent: for_name,
        file_name: file_name(&q.file.id, for_name),
        storage_key: format!(
            "mend:{}:{}:{}:{}",
            q.file.id, q.file.version, q.hash, for_name
        ),
        items: q
            .items
            .iter()
            .map(|i| ItemData {
                id: &i.id,
                section: &q.file.sections[i.section].id,
                kind: i.kind,
                required: i.required,
                min: i.min,
                max: i.max,
                numeric: i.numeric,
                options: &i.options,
            })
            .collect(),
    };
    let mut conditions = Vec::new();
    for item in q.items.iter().filter(|i| !i.show_if.is_empty()) {
        let mut fns = Vec::new();
        for c in &item.show_if {
            let js = jsexpr::to_js(&c.source).map_err(|e| {
                Error::invalid(
                    &q.origin,
                    Problem::error(
                        None,
                        format!(
                            "cannot make a homework form: the condition of `{}` (`{}`): {e}",
                            item.id, c.source
                        ),
                    ),
                )
            })?;
            fns.push(format!("(A) => {js}"));
        }
        conditions.push(format!(
            "{}: [{}]",
            jsexpr::json(&item.id).unwrap_or_default(),
            fns.join(", ")
        ));
    }
    let data = jsexpr::json(&data).map_err(|e| Error::Template {
        path: q.origin.clone(),
        message: e,
    })?;
    Ok(format!(
        "{RUNTIME}\nconst MEND = mendForm({data}, {{\n  {}\n}});\n",
        conditions.join(",\n  ")
    ))
}

/// `readiness-alex.yaml`: the questionnaire and the person, safe as a file name.
pub fn file_name(id: &str, for_name: &str) -> String {
    let slug: String = for_name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        format!("{id}-answers.yaml")
    } else {
        format!("{id}-{slug}.yaml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_name("readiness", "Alex M."), "readiness-alex-m.yaml");
        assert_eq!(file_name("readiness", "../../etc"), "readiness-etc.yaml");
        assert_eq!(file_name("causes", ""), "causes-answers.yaml");
    }

    #[test]
    fn every_built_in_condition_runs_in_the_browser() {
        for id in crate::questionnaire::builtin_ids() {
            let q = Questionnaire::open(id).unwrap();
            let hw = build(&q, &Assignment::default(), "2026-11-23").unwrap();
            assert!(hw.mend_js.contains("const MEND = mendForm("));
            assert!(!hw.mend_js.contains("</script"));
        }
    }
}
