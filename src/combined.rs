//! One person's several questionnaires in one report: a section for each, and one plan
//! merged from all of them, with every flag applied to the whole plan.

use serde::Serialize;

use crate::report::{FlagView, HeldBack, Report, StrategyView};

/// How many strategies the merged plan shows in full.
pub const FEATURED: usize = 5;

#[derive(Debug, Serialize)]
pub struct Combined {
    pub mend_version: String,
    pub generated: String,
    pub respondent: String,
    /// Flags raised by any questionnaire, once each; they lead the report.
    pub flags: Vec<FlagView>,
    /// Each questionnaire's report (its scores and findings are shown; its strategies are
    /// merged into `plan`).
    pub sections: Vec<Report>,
    pub plan: Vec<StrategyView>,
    pub held_back: Vec<HeldBack>,
    pub hard: bool,
}

/// Merges reports of one person. `avoid` gives the flags each strategy must not be used with.
pub fn combine(
    reports: Vec<Report>,
    avoid: &dyn Fn(&str) -> Vec<String>,
    generated: &str,
) -> Combined {
    let mut flags: Vec<FlagView> = Vec::new();
    for f in reports.iter().flat_map(|r| &r.flags) {
        match flags.iter_mut().find(|x| x.id == f.id) {
            Some(x) => x.raised_by.extend(f.raised_by.iter().cloned()),
            None => flags.push(f.clone()),
        }
    }
    let raised: Vec<&str> = flags.iter().map(|f| f.id.as_str()).collect();
    let mut plan: Vec<StrategyView> = Vec::new();
    let mut held_back: Vec<HeldBack> = reports.iter().flat_map(|r| r.held_back.clone()).collect();
    let mut all: Vec<(&Report, &StrategyView)> = reports
        .iter()
        .flat_map(|r| r.strategies.iter().map(move |s| (r, s)))
        .collect();
    all.sort_by_key(|(_, s)| s.priority);
    for (report, s) in all {
        let blocking: Vec<String> = avoid(&s.id)
            .into_iter()
            .filter(|f| raised.contains(&f.as_str()))
            .collect();
        if !blocking.is_empty() {
            if !held_back.iter().any(|h| h.id == s.id) {
                held_back.push(HeldBack {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    flags: blocking,
                });
            }
            continue;
        }
        let reasons = s
            .reasons
            .iter()
            .map(|r| format!("{} ({})", r, report.questionnaire.title));
        match plan.iter_mut().find(|p| p.id == s.id) {
            Some(p) => {
                p.priority = p.priority.min(s.priority);
                p.reasons.extend(reasons);
            }
            None => {
                let mut view = s.clone();
                view.reasons = reasons.collect();
                plan.push(view);
            }
        }
    }
    held_back.dedup_by(|a, b| a.id == b.id);
    for (n, p) in plan.iter_mut().enumerate() {
        p.featured = n < FEATURED;
    }
    Combined {
        mend_version: env!("CARGO_PKG_VERSION").to_string(),
        generated: generated.to_string(),
        respondent: reports
            .first()
            .map(|r| r.respondent.name.clone())
            .unwrap_or_default(),
        hard: reports.iter().any(|r| r.hard),
        flags,
        sections: reports,
        plan,
        held_back,
    }
}
