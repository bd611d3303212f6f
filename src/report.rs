//! The report model: plain serializable data built from scores and rules. Templates only
//! present it, and `--format json` prints it as it is.

use serde::Serialize;

use crate::answers::{Answer, Responses};
use crate::model::{Audience, Direction, Method, Resource};
use crate::questionnaire::{Questionnaire, suits};
use crate::rules::{Cause, Evaluation};
use crate::scoring::Scored;

/// How many strategies a report shows in full; the rest are listed briefly.
pub const FEATURED: usize = 3;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub mend_version: String,
    /// The day the report was made (or `SOURCE_DATE_EPOCH`'s day, for reproducible builds).
    pub generated: String,
    pub questionnaire: QuestionnaireRef,
    pub respondent: Respondent,
    /// Raised flags, most important first; when any is present it leads the report.
    pub flags: Vec<FlagView>,
    pub scales: Vec<ScaleView>,
    pub findings: Vec<Finding>,
    /// Ranked, de-duplicated; the first few are `featured`.
    pub strategies: Vec<StrategyView>,
    /// Strategies a rule chose but a raised flag made unsafe or untimely.
    pub held_back: Vec<HeldBack>,
    pub not_checked: Vec<NotCheckedView>,
    /// Free-text answers, given back to the person who wrote them.
    pub notes: Vec<Note>,
    /// Answers to questions that did not apply (their condition did not hold), not counted.
    pub ignored_answers: Vec<String>,
    /// Questions shown to this person, and how many of them have an answer.
    pub questions_shown: usize,
    pub questions_answered: usize,
    /// Flags whose screening questions were shown but left blank (the person's choice; the
    /// report gently says where help is anyway).
    pub unanswered_screens: Vec<String>,
    /// True when results are hard (a flag, or a scale in its hardest band): the report then
    /// suggests going through it with a therapist.
    pub hard: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionnaireRef {
    pub id: String,
    pub version: String,
    pub title: String,
    pub hash: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Respondent {
    pub name: String,
    pub date: Option<String>,
    /// `hurt`, `broke` or `both`, when the questionnaire asks.
    pub role: Option<String>,
    pub role_label: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FlagView {
    pub id: String,
    pub title: String,
    pub message: String,
    pub resources: Vec<Resource>,
    /// The questions whose answers raised it, and the rules that did.
    pub raised_by: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScaleView {
    pub id: String,
    pub title: String,
    pub description: String,
    /// `None` when there were not enough answers.
    pub score: Option<f64>,
    pub min: f64,
    pub max: f64,
    pub band: Option<BandView>,
    pub answered: usize,
    /// Items (or subscales) shown to this person.
    pub items: usize,
    pub needed: usize,
    pub method: Method,
    pub prorated: bool,
    pub higher_is: Direction,
    /// Where the score sits between min and max, 0 to 1, for bars.
    pub position: Option<f64>,
    pub is_total: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct BandView {
    pub id: String,
    pub label: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: String,
    pub text: String,
    pub priority: u8,
}

#[derive(Debug, Clone, Serialize)]
pub struct StrategyView {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub steps: String,
    #[serde(rename = "for")]
    pub audience: Vec<Audience>,
    pub sources: Vec<SourceView>,
    pub priority: u8,
    /// Every reason it was chosen, with the numbers.
    pub reasons: Vec<String>,
    pub featured: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub file: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeldBack {
    pub id: String,
    pub title: String,
    /// The flags that hold it back.
    pub flags: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NotCheckedView {
    pub rule: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub item: String,
    pub question: String,
    pub text: String,
}

/// Builds the report model; `generated` is the date to print.
pub fn build(
    q: &Questionnaire,
    responses: &Responses,
    scored: &Scored,
    eval: &Evaluation,
    generated: &str,
) -> Report {
    let role = role_of(q, responses);
    let flags = flag_views(q, eval);
    let scales = scale_views(q, scored);
    let (strategies, held_back) = choose_strategies(q, eval, role.as_ref().map(|r| r.0.as_str()));
    let hard = !flags.is_empty()
        || scales
            .iter()
            .zip(&q.scales)
            .any(|(v, s)| in_hardest_band(v, s));
    Report {
        mend_version: env!("CARGO_PKG_VERSION").to_string(),
        generated: generated.to_string(),
        questionnaire: QuestionnaireRef {
            id: q.file.id.clone(),
            version: q.file.version.clone(),
            title: q.file.title.clone(),
            hash: q.hash.clone(),
        },
        respondent: Respondent {
            name: responses.respondent.clone(),
            date: responses.date.clone(),
            role: role.as_ref().map(|r| r.0.clone()),
            role_label: role.map(|r| r.1),
        },
        flags,
        scales,
        findings: eval
            .fired
            .iter()
            .filter(|f| !f.finding.is_empty())
            .map(|f| Finding {
                rule: q.rules[f.rule].def.id.clone(),
                text: f.finding.clone(),
                priority: q.rules[f.rule].def.priority,
            })
            .collect(),
        strategies,
        held_back,
        not_checked: eval
            .not_checked
            .iter()
            .map(|n| NotCheckedView {
                rule: n.rule.clone(),
                reason: n.reason.clone(),
            })
            .collect(),
        notes: notes(q, responses, scored),
        ignored_answers: crate::scoring::ignored(q, responses, scored),
        questions_shown: scored.visible.iter().filter(|v| **v).count(),
        questions_answered: q
            .items
            .iter()
            .zip(&scored.visible)
            .filter(|(item, shown)| **shown && responses.answered(item).is_some())
            .count(),
        unanswered_screens: unanswered_screens(q, responses, scored, eval),
        hard,
    }
}

fn role_of(q: &Questionnaire, responses: &Responses) -> Option<(String, String)> {
    let item = q.role_item()?;
    match responses.answered(item)? {
        Answer::Choice(i) => {
            let o = &item.options[*i];
            Some((o.value.to_string(), o.label.clone()))
        }
        _ => None,
    }
}

fn flag_views(q: &Questionnaire, eval: &Evaluation) -> Vec<FlagView> {
    // Flags appear in the library's order, so `safety` (listed first) always leads.
    q.library
        .flags
        .iter()
        .filter_map(|(id, def)| {
            let raised = eval.raised.iter().find(|r| &r.flag == id)?;
            Some(FlagView {
                id: id.clone(),
                title: def.title.clone(),
                message: def.message.clone(),
                resources: q
                    .library
                    .resources_for(&def.resources)
                    .into_iter()
                    .cloned()
                    .collect(),
                raised_by: raised
                    .by
                    .iter()
                    .map(|c| match c {
                        Cause::Item(id) => q.item(id).map(|i| i.text.clone()).unwrap_or_default(),
                        Cause::Rule(id) => format!("rule `{id}`"),
                    })
                    .collect(),
            })
        })
        .collect()
}

fn scale_views(q: &Questionnaire, scored: &Scored) -> Vec<ScaleView> {
    q.scales
        .iter()
        .zip(&scored.scales)
        .map(|(info, s)| {
            let span = s.max - s.min;
            ScaleView {
                id: info.def.id.clone(),
                title: info.def.title.clone(),
                description: info.def.description.clone(),
                score: s.score,
                min: s.min,
                max: s.max,
                band: s.band.map(|b| {
                    let band = &info.def.bands[b];
                    BandView {
                        id: band.id.clone(),
                        label: band.label.clone(),
                        text: band.text.clone(),
                    }
                }),
                answered: s.answered,
                items: s.shown,
                needed: s.needed,
                method: info.def.score,
                prorated: s.prorated,
                higher_is: info.def.higher_is,
                position: s.score.map(|v| {
                    if span > 0.0 {
                        ((v - s.min) / span).clamp(0.0, 1.0)
                    } else {
                        0.0
                    }
                }),
                is_total: matches!(info.parts, crate::questionnaire::Parts::Subscales(_)),
            }
        })
        .collect()
}

fn in_hardest_band(view: &ScaleView, info: &crate::questionnaire::ScaleInfo) -> bool {
    let (Some(band), Some(first), Some(last)) =
        (&view.band, info.def.bands.first(), info.def.bands.last())
    else {
        return false;
    };
    let hardest = match info.def.higher_is {
        Direction::Better => first,
        Direction::Worse => last,
    };
    info.def.bands.len() > 1 && band.id == hardest.id
}

/// One recommendation before merging: a strategy, how urgent, why, and which rule chose it
/// (`None` for a raised flag's own strategies).
#[derive(Debug, Clone)]
pub struct Pick {
    pub strategy: String,
    pub priority: u8,
    pub reason: String,
    pub rule: Option<usize>,
}

/// Every recommendation of a raised flag (priority 0) or a fired rule, most urgent first.
pub fn picks(q: &Questionnaire, eval: &Evaluation) -> Vec<Pick> {
    ranked(q, eval)
        .into_iter()
        .map(|r| {
            let reason = match r.source {
                Source::Flag(def) => format!("your answers raised this concern: {}", def.title),
                Source::Rule(n) => {
                    let fired = &eval.fired[n];
                    if fired.because.is_empty() {
                        fired.finding.clone()
                    } else {
                        fired.because.clone()
                    }
                }
            };
            Pick {
                strategy: r.strategy.to_string(),
                priority: r.priority,
                reason,
                rule: match r.source {
                    Source::Flag(_) => None,
                    Source::Rule(n) => Some(eval.fired[n].rule),
                },
            }
        })
        .collect()
}

/// A recommendation before its reason is worded.
pub struct Ranked<'q> {
    pub strategy: &'q str,
    pub priority: u8,
    source: Source<'q>,
}

enum Source<'q> {
    Flag(&'q crate::model::FlagDef),
    /// The index in `Evaluation::fired`.
    Rule(usize),
}

/// The order of [`picks`] without the reasons (batch scoring needs only the strategies).
pub fn ranked<'q>(q: &'q Questionnaire, eval: &Evaluation) -> Vec<Ranked<'q>> {
    let mut out = Vec::new();
    for (id, def) in &q.library.flags {
        if eval.has_flag(id) {
            out.extend(def.recommend.iter().map(|s| Ranked {
                strategy: s,
                priority: 0,
                source: Source::Flag(def),
            }));
        }
    }
    for (n, fired) in eval.fired.iter().enumerate() {
        let rule = &q.rules[fired.rule].def;
        out.extend(rule.recommend.iter().map(|s| Ranked {
            strategy: s,
            priority: rule.priority,
            source: Source::Rule(n),
        }));
    }
    // Stable: most urgent first, so each strategy's first reason is its most urgent one.
    out.sort_by_key(|p| p.priority);
    out
}

/// A strategy from the library, as reports show it.
pub fn strategy_view(q: &Questionnaire, id: &str, priority: u8) -> Option<StrategyView> {
    let s = q.library.strategies.get(id)?;
    Some(StrategyView {
        id: id.to_string(),
        title: s.title.clone(),
        summary: s.summary.clone(),
        steps: s.steps.clone(),
        audience: s.audience.clone(),
        sources: s
            .sources
            .iter()
            .map(|f| SourceView {
                file: f.clone(),
                title: q.library.sources.get(f).cloned().unwrap_or_default(),
            })
            .collect(),
        priority,
        reasons: Vec::new(),
        featured: false,
    })
}

/// The flags raised that hold a strategy back.
pub fn blocking_flags(q: &Questionnaire, id: &str, raised: &dyn Fn(&str) -> bool) -> Vec<String> {
    q.library.strategies.get(id).map_or_else(Vec::new, |s| {
        s.avoid_with.iter().filter(|f| raised(f)).cloned().collect()
    })
}

/// Ranks recommendations: merges repeats (keeping every reason), drops what does not suit
/// the person's role, and holds back what a raised flag makes unsafe.
fn choose_strategies(
    q: &Questionnaire,
    eval: &Evaluation,
    role: Option<&str>,
) -> (Vec<StrategyView>, Vec<HeldBack>) {
    let mut chosen: Vec<StrategyView> = Vec::new();
    let mut held_back: Vec<HeldBack> = Vec::new();
    for pick in picks(q, eval) {
        let Some(mut view) = strategy_view(q, &pick.strategy, pick.priority) else {
            continue;
        };
        let blocking = blocking_flags(q, &view.id, &|f| eval.has_flag(f));
        if !blocking.is_empty() {
            if !held_back.iter().any(|h| h.id == view.id) {
                held_back.push(HeldBack {
                    id: view.id,
                    title: view.title,
                    flags: blocking,
                });
            }
            continue;
        }
        if !suits(&view.audience, role) {
            continue;
        }
        match chosen.iter_mut().find(|c| c.id == view.id) {
            Some(c) => {
                c.priority = c.priority.min(pick.priority);
                if !pick.reason.is_empty() && !c.reasons.contains(&pick.reason) {
                    c.reasons.push(pick.reason);
                }
            }
            None => {
                if !pick.reason.is_empty() {
                    view.reasons.push(pick.reason);
                }
                chosen.push(view);
            }
        }
    }
    for c in chosen.iter_mut().take(FEATURED) {
        c.featured = true;
    }
    (chosen, held_back)
}

fn unanswered_screens(
    q: &Questionnaire,
    responses: &Responses,
    scored: &Scored,
    eval: &Evaluation,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (item, shown) in q.items.iter().zip(&scored.visible) {
        let Some((flag, _)) = &item.flag else {
            continue;
        };
        if *shown
            && responses.answered(item).is_none()
            && !eval.has_flag(flag)
            && !out.contains(flag)
        {
            out.push(flag.clone());
        }
    }
    out
}

fn notes(q: &Questionnaire, responses: &Responses, scored: &Scored) -> Vec<Note> {
    q.items
        .iter()
        .zip(&scored.visible)
        .filter(|(item, shown)| **shown && item.kind == crate::model::ItemType::Text)
        .filter_map(|(item, _)| match responses.answered(item)? {
            Answer::Text(t) => Some(Note {
                item: item.id.clone(),
                question: item.text.clone(),
                text: t.clone(),
            }),
            _ => None,
        })
        .collect()
}
