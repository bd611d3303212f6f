//! mend: questionnaires for couples rebuilding trust, scored and turned into tailored reports.
//!
//! Data flows one way: a questionnaire is loaded and checked ([`questionnaire`]), answers are
//! checked against it ([`answers`]), scored ([`scoring`]), rules are applied ([`rules`]), and the
//! result becomes a plain report model ([`report`]) that templates present ([`render`]).

pub mod answers;
pub mod batch;
pub mod blank;
pub mod check;
pub mod combined;
pub mod compare;
pub mod compiled;
pub mod error;
pub mod expr;
pub mod golden;
pub mod homework;
pub mod jsexpr;
pub mod library;
pub mod locate;
pub mod model;
pub mod newfile;
pub mod output;
pub mod progress;
pub mod questionnaire;
pub mod render;
pub mod report;
pub mod rules;
pub mod schema;
pub mod scoring;
pub mod show;
pub mod take;
pub mod terminal;
pub mod translate;
pub mod yaml;

pub use error::{Error, Result};
pub use questionnaire::Questionnaire;

use answers::Responses;
use error::Problem;
use report::Report;

/// Output formats for reports and documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Json,
}

/// Scores answers, applies the rules and builds the report model.
/// Fails when a required question (that was shown) has no answer.
pub fn assess(
    q: &Questionnaire,
    responses: &Responses,
    generated: &str,
) -> Result<Report, Vec<Problem>> {
    assess_fully(q, responses, generated).map(|a| a.report)
}

/// Everything one person's answers lead to: scores, rules and the report model.
pub struct Assessment {
    pub scored: scoring::Scored,
    pub eval: rules::Evaluation,
    pub report: Report,
}

/// Like [`assess`], keeping the scores and the rules' outcome (for comparisons).
pub fn assess_fully(
    q: &Questionnaire,
    responses: &Responses,
    generated: &str,
) -> Result<Assessment, Vec<Problem>> {
    let scored = scoring::score(q, responses);
    let missing: Vec<Problem> = q
        .items
        .iter()
        .zip(&scored.visible)
        .filter(|(item, shown)| **shown && item.required && responses.answered(item).is_none())
        .map(|(item, _)| {
            Problem::error(
                None,
                format!(
                    "`{}` is required but has no answer (\"{}\"); {}",
                    item.id,
                    item.text.trim(),
                    answers::allowed(item)
                ),
            )
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let eval = rules::evaluate(q, responses, &scored);
    let report = report::build(q, responses, &scored, &eval, generated);
    Ok(Assessment {
        scored,
        eval,
        report,
    })
}

/// Renders a report model in `format`.
pub fn render_report(
    report: &Report,
    format: Format,
    renderer: &render::Renderer,
) -> Result<String> {
    match format {
        Format::Json => Ok(to_json(report)),
        Format::Markdown => renderer.render("report.md", report),
        Format::Html => {
            let md = renderer.render("report.md", report)?;
            renderer.page(&report.questionnaire.title, &md)
        }
    }
}

/// Pretty JSON with a final newline.
pub fn to_json(value: &impl serde::Serialize) -> String {
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// Today's date (UTC), or the day of `SOURCE_DATE_EPOCH` when set, so output can be reproduced.
pub fn today() -> String {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    now.to_zoned(jiff::tz::TimeZone::UTC).date().to_string()
}
