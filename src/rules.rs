//! Rules and flags: from answers and scores to findings, flags and recommendations.

use crate::answers::Responses;
use crate::expr::Outcome;
use crate::questionnaire::Questionnaire;
use crate::scoring::{Facts, Scored, answer_value};

/// A flag that was raised, and what raised it.
#[derive(Debug, Clone, PartialEq)]
pub struct Raised {
    pub flag: String,
    /// Item ids or rule ids that raised it, in order.
    pub by: Vec<Cause>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cause {
    Item(String),
    Rule(String),
}

/// A rule whose condition held.
#[derive(Debug, Clone, PartialEq)]
pub struct Fired {
    pub rule: usize,
    pub finding: String,
    pub because: String,
}

/// A rule that could not be applied, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct NotChecked {
    pub rule: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    pub raised: Vec<Raised>,
    pub fired: Vec<Fired>,
    pub not_checked: Vec<NotChecked>,
}

impl Evaluation {
    pub fn has_flag(&self, flag: &str) -> bool {
        self.raised.iter().any(|r| r.flag == flag)
    }

    fn raise(&mut self, flag: &str, cause: Cause) {
        match self.raised.iter_mut().find(|r| r.flag == flag) {
            Some(r) => r.by.push(cause),
            None => self.raised.push(Raised {
                flag: flag.to_string(),
                by: vec![cause],
            }),
        }
    }
}

/// Applies item flags first (one answer alone can raise a flag), then the rules in order;
/// each rule sees the flags raised before it.
pub fn evaluate(q: &Questionnaire, responses: &Responses, scored: &Scored) -> Evaluation {
    evaluate_with(q, responses, scored, true)
}

/// Like [`evaluate`]; without `texts`, findings and reasons are not filled in (batch scoring
/// needs only which rules fired).
pub fn evaluate_with(
    q: &Questionnaire,
    responses: &Responses,
    scored: &Scored,
    texts: bool,
) -> Evaluation {
    let mut facts = Facts::new(q, responses, scored);
    let mut eval = Evaluation::default();
    for (item, &shown) in q.items.iter().zip(&scored.visible) {
        let (Some((flag, cond)), true) = (&item.flag, shown) else {
            continue;
        };
        let Some(answer) = responses.answered(item) else {
            continue;
        };
        if let Ok(Outcome::True) = facts.decide(cond, Some(&answer_value(item, answer))) {
            eval.raise(flag, Cause::Item(item.id.clone()));
        }
    }
    for (n, rule) in q.rules.iter().enumerate() {
        if facts.flags.len() != eval.raised.len() {
            facts.flags = eval.raised.iter().map(|r| r.flag.clone()).collect();
        }
        match facts.decide(&rule.when, None) {
            Ok(Outcome::True) => {}
            Ok(Outcome::False) => continue,
            Ok(Outcome::Unknown) => {
                eval.not_checked.push(NotChecked {
                    rule: rule.def.id.clone(),
                    reason: missing_reason(q, scored, &facts, &rule.when.refs),
                });
                continue;
            }
            Err(e) => {
                eval.not_checked.push(NotChecked {
                    rule: rule.def.id.clone(),
                    reason: format!("its condition failed: {e}"),
                });
                continue;
            }
        }
        let low = if texts {
            facts.context(false, None)
        } else {
            minijinja::Value::UNDEFINED
        };
        let render = |text: &crate::expr::Text, eval: &mut Evaluation| {
            if !texts {
                return String::new();
            }
            text.render(&low).unwrap_or_else(|e| {
                eval.not_checked.push(NotChecked {
                    rule: rule.def.id.clone(),
                    reason: format!("a text of this rule could not be filled in: {e}"),
                });
                String::new()
            })
        };
        let finding = render(&rule.finding, &mut eval);
        let because = render(&rule.because, &mut eval);
        if let Some(flag) = &rule.def.flag {
            eval.raise(flag, Cause::Rule(rule.def.id.clone()));
        }
        eval.fired.push(Fired {
            rule: n,
            finding,
            because,
        });
    }
    eval
}

/// "it needs an answer to `x`" / "`commitment` has not enough answers", from a condition's names.
fn missing_reason(
    q: &Questionnaire,
    scored: &Scored,
    facts: &Facts,
    refs: &std::collections::BTreeSet<String>,
) -> String {
    let mut missing = Vec::new();
    for name in refs {
        let mut parts = name.split('.');
        match (parts.next(), parts.next()) {
            (Some("answers"), Some(id)) if !facts.has_answer(id) => {
                let text = q.item(id).map(|i| i.text.trim()).unwrap_or(id);
                missing.push(format!("it needs your answer to \u{201c}{text}\u{201d}"));
            }
            (Some("scales"), Some(id)) => {
                let unscored = q
                    .scales
                    .iter()
                    .zip(&scored.scales)
                    .find(|(s, r)| s.def.id == id && r.score.is_none());
                if let Some((s, _)) = unscored {
                    missing.push(format!(
                        "\u{201c}{}\u{201d} has not enough answers to be scored",
                        s.def.title
                    ));
                }
            }
            _ => {}
        }
    }
    missing.dedup();
    if missing.is_empty() {
        "it depends on an answer that is missing".to_string()
    } else {
        missing.join("; ")
    }
}
