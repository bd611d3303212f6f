//! Two partners, one picture: where a couple agree, where they see things differently, and a
//! joint plan. One scoring, three audiences: each partner's own report (the single report),
//! the joint report that is safe for both to read, and the therapist's report with everything.

use minijinja::Value;
use serde::Serialize;

use crate::answers::Responses;
use crate::error::Problem;
use crate::expr::{HIGH, Outcome};
use crate::model::{Audience, Direction, ItemType, Resource};
use crate::questionnaire::{ItemInfo, Parts, Questionnaire, RuleInfo};
use crate::report::{
    BandView, Finding, NotCheckedView, QuestionnaireRef, SourceView, picks, strategy_view,
};
use crate::{Assessment, assess_fully};

/// Who a comparison is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reader {
    /// Both partners: nothing private, nothing that a flag makes unsafe to share.
    Joint,
    /// The therapist: everything, flags included, item by item.
    Therapist,
}

/// One partner: their answers and what they lead to.
pub struct Partner {
    pub name: String,
    pub responses: Responses,
    pub assessment: Assessment,
}

impl Partner {
    /// Scores one partner's answers; `fallback` names them when the file gives no name.
    pub fn assess(
        q: &Questionnaire,
        responses: Responses,
        fallback: &str,
        generated: &str,
    ) -> Result<Partner, Vec<Problem>> {
        let assessment = assess_fully(q, &responses, generated)?;
        let name = if responses.respondent.trim().is_empty() {
            fallback.to_string()
        } else {
            responses.respondent.trim().to_string()
        };
        Ok(Partner {
            name,
            responses,
            assessment,
        })
    }

    fn role(&self) -> Option<&str> {
        self.assessment.report.respondent.role.as_deref()
    }

    fn is_private(&self, item: &str) -> bool {
        self.responses.private.iter().any(|p| p == item)
    }
}

#[derive(Debug, Serialize)]
pub struct Comparison {
    pub mend_version: String,
    pub generated: String,
    pub reader: Reader,
    pub questionnaire: QuestionnaireRef,
    pub partners: Vec<PartnerView>,
    /// Only one partner has answered so far.
    pub solo: bool,
    /// In a joint report when a private flag (safety, self-harm) was raised: a neutral notice
    /// in place of everything else, which says nothing of who answered what.
    pub support_first: Option<SupportNotice>,
    pub flags: Vec<PartnerFlag>,
    pub scales: Vec<ScalePair>,
    pub findings: Vec<Finding>,
    pub strengths: Vec<ItemPair>,
    pub growth: Vec<ItemPair>,
    pub different: Vec<ItemPair>,
    pub perception: Vec<PerceptionGap>,
    pub plan: Vec<PlanItem>,
    /// Some answers were kept private by a partner and are not shown.
    pub withheld_private: bool,
    pub notes: Vec<PartnerNote>,
    /// Free-text answers exist but were left out (no `--include-notes`).
    pub notes_left_out: bool,
    pub not_checked: Vec<NotCheckedView>,
    /// For the therapist: every scored or screening item with both answers.
    pub items: Vec<ItemPair>,
}

#[derive(Debug, Serialize)]
pub struct PartnerView {
    pub name: String,
    pub role: Option<String>,
    pub role_label: Option<String>,
    pub questions_shown: usize,
    pub questions_answered: usize,
}

#[derive(Debug, Serialize)]
pub struct SupportNotice {
    pub message: String,
    pub resources: Vec<Resource>,
}

#[derive(Debug, Serialize)]
pub struct PartnerFlag {
    pub id: String,
    pub title: String,
    pub message: String,
    /// The partner who raised it (therapist report only).
    pub partner: Option<String>,
    pub raised_by: Vec<String>,
    pub resources: Vec<Resource>,
}

#[derive(Debug, Serialize)]
pub struct ScalePair {
    pub id: String,
    pub title: String,
    pub min: f64,
    pub max: f64,
    pub higher_is: Direction,
    pub is_total: bool,
    /// One per partner, in the partners' order.
    pub scores: Vec<Option<f64>>,
    pub bands: Vec<Option<BandView>>,
    pub healthy: Vec<Option<bool>>,
    /// Whether any of the scale's questions were asked of each partner.
    pub applies: Vec<bool>,
    /// The absolute difference between the two scores.
    pub gap: Option<f64>,
    /// The gap in plain words.
    pub reading: String,
    /// `both_healthy`, `both_not` or `one_each`.
    pub combination: Option<String>,
    /// The questionnaire's sentence for that combination, with names filled in.
    pub sentence: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemPair {
    pub id: String,
    pub text: String,
    pub answers: Vec<String>,
    /// An open question for the couple (for different views).
    pub conversation: String,
    /// Therapist report: which answers are marked private, and whether it is a screening item.
    pub private: Vec<bool>,
    pub screening: bool,
}

#[derive(Debug, Serialize)]
pub struct PerceptionGap {
    /// Whose behaviour is described.
    pub about: String,
    /// Who describes it.
    pub by: String,
    pub partner_question: String,
    pub partner_says: String,
    pub self_question: String,
    pub self_says: String,
    pub differs: bool,
}

#[derive(Debug, Serialize)]
pub struct PlanItem {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub steps: String,
    /// "Sam (the partner who broke trust)", "both of you".
    pub for_whom: String,
    pub priority: u8,
    pub reasons: Vec<PlanReason>,
    pub sources: Vec<SourceView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanReason {
    /// Whose answers led to it: a partner's name, or "both of you".
    pub from: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct PartnerNote {
    pub partner: String,
    pub question: String,
    pub text: String,
}

/// Options that change what a comparison shows.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub reader: Reader,
    pub include_notes: bool,
}

const NEUTRAL: &str = "Before working on this together, we recommend that each of you first talks with a counsellor or therapist on your own. This is a common and sensible first step, and it says nothing about who answered what. The individual reports, and the therapist, can help you decide what comes next.";

/// Compares one or two partners' answers to `q`.
pub fn compare(
    q: &Questionnaire,
    partners: &[Partner],
    options: Options,
    generated: &str,
) -> Comparison {
    let private_flag = partners.iter().any(|p| {
        p.assessment
            .eval
            .raised
            .iter()
            .any(|r| q.library.flags.get(&r.flag).is_some_and(|f| f.private))
    });
    let mut c = Comparison {
        mend_version: env!("CARGO_PKG_VERSION").to_string(),
        generated: generated.to_string(),
        reader: options.reader,
        questionnaire: partners[0].assessment.report.questionnaire.clone(),
        partners: partners.iter().map(partner_view).collect(),
        solo: partners.len() == 1,
        support_first: None,
        flags: Vec::new(),
        scales: Vec::new(),
        findings: Vec::new(),
        strengths: Vec::new(),
        growth: Vec::new(),
        different: Vec::new(),
        perception: Vec::new(),
        plan: Vec::new(),
        withheld_private: false,
        notes: Vec::new(),
        notes_left_out: false,
        not_checked: Vec::new(),
        items: Vec::new(),
    };
    if options.reader == Reader::Joint && private_flag {
        c.support_first = Some(SupportNotice {
            message: NEUTRAL.to_string(),
            resources: q
                .library
                .resources_for(&["counselling".to_string()])
                .into_iter()
                .cloned()
                .collect(),
        });
        c.plan = individual_help(q, partners);
        return c;
    }
    c.flags = flags(q, partners, options.reader);
    c.scales = scales(q, partners);
    let (findings, couple_picks, not_checked) = couple_rules(q, partners);
    c.findings = findings;
    c.not_checked = not_checked;
    if options.reader == Reader::Therapist {
        for p in partners {
            c.findings
                .extend(p.assessment.report.findings.iter().map(|f| Finding {
                    rule: f.rule.clone(),
                    text: format!("{}: {}", p.name, f.text),
                    priority: f.priority,
                }));
        }
    }
    if partners.len() == 2 {
        let visible_to = |i: usize| partners.iter().all(|p| p.assessment.scored.visible[i]);
        for (i, item) in q.items.iter().enumerate() {
            if !visible_to(i) {
                continue;
            }
            let withheld =
                options.reader == Reader::Joint && partners.iter().any(|p| p.is_private(&item.id));
            c.withheld_private |= withheld
                && partners
                    .iter()
                    .any(|p| p.responses.answered(item).is_some());
            if withheld || (options.reader == Reader::Joint && item.flag.is_some()) {
                continue;
            }
            if options.reader == Reader::Therapist && (item.range.is_some() || item.flag.is_some())
            {
                c.items.push(item_pair(item, partners));
            }
            match classify(q, item, partners) {
                Some(Agreement::Strength) => c.strengths.push(item_pair(item, partners)),
                Some(Agreement::Growth) => c.growth.push(item_pair(item, partners)),
                Some(Agreement::Different) => c.different.push(item_pair(item, partners)),
                None => {}
            }
        }
        c.perception = perception(q, partners, options.reader);
    }
    c.plan = plan(q, partners, couple_picks, options.reader);
    let notes = notes(q, partners, options.reader);
    if options.include_notes || options.reader == Reader::Therapist {
        c.notes = notes;
    } else {
        c.notes_left_out = !notes.is_empty();
    }
    c
}

fn partner_view(p: &Partner) -> PartnerView {
    let r = &p.assessment.report;
    PartnerView {
        name: p.name.clone(),
        role: r.respondent.role.clone(),
        role_label: r.respondent.role_label.clone(),
        questions_shown: r.questions_shown,
        questions_answered: r.questions_answered,
    }
}

/// In the joint report under a private flag: individual support, for both.
fn individual_help(q: &Questionnaire, partners: &[Partner]) -> Vec<PlanItem> {
    let Some(view) = strategy_view(q, "individual_support", 0) else {
        return Vec::new();
    };
    vec![PlanItem {
        id: view.id,
        title: view.title,
        summary: view.summary,
        steps: view.steps,
        for_whom: if partners.len() == 2 {
            "each of you, on your own".to_string()
        } else {
            partners[0].name.clone()
        },
        priority: 0,
        reasons: Vec::new(),
        sources: view.sources,
    }]
}

fn flags(q: &Questionnaire, partners: &[Partner], reader: Reader) -> Vec<PartnerFlag> {
    let mut out: Vec<PartnerFlag> = Vec::new();
    for (id, def) in &q.library.flags {
        for p in partners {
            let Some(flag) = p.assessment.report.flags.iter().find(|f| &f.id == id) else {
                continue;
            };
            match reader {
                Reader::Therapist => out.push(PartnerFlag {
                    id: id.clone(),
                    title: def.title.clone(),
                    message: def.message.clone(),
                    partner: Some(p.name.clone()),
                    raised_by: flag.raised_by.clone(),
                    resources: flag.resources.clone(),
                }),
                // Shown once, without saying whose answers raised it.
                Reader::Joint if !def.private && !out.iter().any(|f| &f.id == id) => {
                    out.push(PartnerFlag {
                        id: id.clone(),
                        title: def.title.clone(),
                        message: def.message.clone(),
                        partner: None,
                        raised_by: Vec::new(),
                        resources: flag.resources.clone(),
                    })
                }
                Reader::Joint => {}
            }
        }
    }
    out
}

fn scales(q: &Questionnaire, partners: &[Partner]) -> Vec<ScalePair> {
    q.scales
        .iter()
        .enumerate()
        .map(|(i, info)| {
            let views: Vec<&crate::report::ScaleView> = partners
                .iter()
                .map(|p| &p.assessment.report.scales[i])
                .collect();
            let scores: Vec<Option<f64>> = views.iter().map(|v| v.score).collect();
            let healthy: Vec<Option<bool>> = partners
                .iter()
                .map(|p| p.assessment.scored.scales[i].band.map(|b| info.healthy[b]))
                .collect();
            let gap = match scores.as_slice() {
                [Some(a), Some(b)] => Some(crate::scoring::round2((a - b).abs())),
                _ => None,
            };
            let combination = match healthy.as_slice() {
                [Some(true), Some(true)] => Some("both_healthy"),
                [Some(false), Some(false)] => Some("both_not"),
                [Some(_), Some(_)] => Some("one_each"),
                _ => None,
            };
            ScalePair {
                id: info.def.id.clone(),
                title: info.def.title.clone(),
                min: info.min,
                max: info.max,
                higher_is: info.def.higher_is,
                is_total: matches!(info.parts, Parts::Subscales(_)),
                scores,
                bands: views.iter().map(|v| v.band.clone()).collect(),
                applies: views.iter().map(|v| v.items > 0).collect(),
                gap,
                reading: reading(gap, info.max - info.min, combination),
                sentence: combination
                    .map(|c| sentence(info, c, partners, &healthy))
                    .unwrap_or_default(),
                combination: combination.map(str::to_string),
                healthy,
            }
        })
        .collect()
}

/// The gap between two scores in plain words, relative to the scale's range.
fn reading(gap: Option<f64>, span: f64, combination: Option<&str>) -> String {
    let Some(gap) = gap else { return String::new() };
    let share = if span > 0.0 { gap / span } else { 0.0 };
    match share {
        s if s < 0.1 && combination == Some("one_each") => {
            "Your scores are close, though they fall on either side of a band's edge."
        }
        s if s < 0.1 => "You see this much the same way.",
        s if s < 0.25 => "Your views are close.",
        s if s < 0.5 => "You see this somewhat differently.",
        _ => "You see this very differently.",
    }
    .to_string()
}

fn sentence(
    info: &crate::questionnaire::ScaleInfo,
    combination: &str,
    partners: &[Partner],
    healthy: &[Option<bool>],
) -> String {
    let Some(s) = &info.def.couple else {
        return String::new();
    };
    let text = match combination {
        "both_healthy" => &s.both_healthy,
        "both_not" => &s.both_not,
        _ => &s.one_each,
    };
    let content = healthy
        .iter()
        .position(|h| *h == Some(true))
        .map(|i| partners[i].name.clone());
    let concerned = healthy
        .iter()
        .position(|h| *h == Some(false))
        .map(|i| partners[i].name.clone());
    let ctx = minijinja::context! { content => content, concerned => concerned };
    crate::expr::Text {
        source: text.clone(),
    }
    .render(&ctx)
    .unwrap_or_else(|_| text.clone())
}

enum Agreement {
    Strength,
    Growth,
    Different,
}

/// Where an answer sits on its item's range, turned so that the healthy end is 1.
fn position(q: &Questionnaire, item: &ItemInfo, p: &Partner) -> Option<f64> {
    let index = q.item_index(&item.id)?;
    let score = p.assessment.scored.item_scores[index]?;
    let (lo, hi) = item.range?;
    if hi <= lo {
        return None;
    }
    let pos = (score - lo) / (hi - lo);
    // The item's first scale says which end is healthy.
    let worse = q
        .scales
        .iter()
        .find(|s| matches!(&s.parts, Parts::Items(ix) if ix.contains(&index)))
        .is_some_and(|s| s.def.higher_is == Direction::Worse);
    Some(if worse { 1.0 - pos } else { pos })
}

fn in_a_scale(q: &Questionnaire, item: &ItemInfo) -> bool {
    let Some(index) = q.item_index(&item.id) else {
        return false;
    };
    q.scales
        .iter()
        .any(|s| matches!(&s.parts, Parts::Items(ix) if ix.contains(&index)))
}

fn classify(q: &Questionnaire, item: &ItemInfo, partners: &[Partner]) -> Option<Agreement> {
    if !in_a_scale(q, item) {
        return None;
    }
    let a = position(q, item, &partners[0])?;
    let b = position(q, item, &partners[1])?;
    if (a - b).abs() + 1e-9 >= q.file.couple.different_by {
        Some(Agreement::Different)
    } else if a > 0.5 && b > 0.5 {
        Some(Agreement::Strength)
    } else if a < 0.5 && b < 0.5 {
        Some(Agreement::Growth)
    } else {
        None
    }
}

fn answer_text(item: &ItemInfo, p: &Partner) -> String {
    p.responses
        .given(item)
        .map(|a| a.display(item))
        .unwrap_or_else(|| "(no answer)".to_string())
}

fn item_pair(item: &ItemInfo, partners: &[Partner]) -> ItemPair {
    let conversation = if item.conversation.trim().is_empty() {
        format!(
            "You answered \u{201c}{}\u{201d} differently. What is behind each of your answers?",
            item.text.trim()
        )
    } else {
        item.conversation.trim().to_string()
    };
    ItemPair {
        id: item.id.clone(),
        text: item.text.clone(),
        answers: partners.iter().map(|p| answer_text(item, p)).collect(),
        conversation,
        private: partners.iter().map(|p| p.is_private(&item.id)).collect(),
        screening: item.flag.is_some(),
    }
}

fn perception(q: &Questionnaire, partners: &[Partner], reader: Reader) -> Vec<PerceptionGap> {
    let mut out = Vec::new();
    for &(about_self, about_partner) in &q.pairs {
        let (self_item, partner_item) = (&q.items[about_self], &q.items[about_partner]);
        for (by, about) in [(0, 1), (1, 0)] {
            let (describer, described) = (&partners[by], &partners[about]);
            let private =
                describer.is_private(&partner_item.id) || described.is_private(&self_item.id);
            if reader == Reader::Joint && private {
                continue;
            }
            let (Some(view), Some(own)) = (
                position(q, partner_item, describer),
                position(q, self_item, described),
            ) else {
                continue;
            };
            out.push(PerceptionGap {
                about: described.name.clone(),
                by: describer.name.clone(),
                partner_question: partner_item.text.clone(),
                partner_says: answer_text(partner_item, describer),
                self_question: self_item.text.clone(),
                self_says: answer_text(self_item, described),
                differs: (view - own).abs() + 1e-9 >= q.file.couple.different_by,
            });
        }
    }
    out
}

/// The names the couple rules see: per scale the gap, the lower and higher score, how many
/// partners are in a healthy band, both bands; both roles; every raised flag.
fn couple_facts(q: &Questionnaire, partners: &[Partner], high: bool) -> Value {
    let missing = |v: Option<Value>| match (v, high) {
        (Some(v), _) => Some(v),
        (None, true) => Some(Value::from(HIGH)),
        (None, false) => None,
    };
    let mut scales = std::collections::BTreeMap::new();
    for (i, info) in q.scales.iter().enumerate() {
        let scores: Vec<Option<f64>> = partners
            .iter()
            .map(|p| p.assessment.scored.scales[i].score)
            .collect();
        let both: Option<(f64, f64)> = match scores.as_slice() {
            [Some(a), Some(b)] => Some((*a, *b)),
            _ => None,
        };
        let bands: Vec<Option<usize>> = partners
            .iter()
            .map(|p| p.assessment.scored.scales[i].band)
            .collect();
        let healthy = if bands.len() == 2 && bands.iter().all(Option::is_some) {
            Some(bands.iter().flatten().filter(|b| info.healthy[**b]).count())
        } else {
            None
        };
        let mut fields = std::collections::BTreeMap::new();
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = missing(v) {
                fields.insert(k.to_string(), v);
            }
        };
        let number = crate::scoring::number_value;
        put(
            "gap",
            both.map(|(a, b)| number(crate::scoring::round2((a - b).abs()))),
        );
        put("low", both.map(|(a, b)| number(a.min(b))));
        put("high", both.map(|(a, b)| number(a.max(b))));
        put("healthy", healthy.map(Value::from));
        fields.insert(
            "bands".to_string(),
            Value::from(
                bands
                    .iter()
                    .flatten()
                    .map(|b| info.def.bands[*b].id.clone())
                    .collect::<Vec<_>>(),
            ),
        );
        scales.insert(info.def.id.clone(), Value::from(fields));
    }
    let roles: Vec<String> = partners
        .iter()
        .filter_map(|p| p.role().map(str::to_string))
        .collect();
    let flags: Vec<String> = partners
        .iter()
        .flat_map(|p| p.assessment.eval.raised.iter().map(|r| r.flag.clone()))
        .collect();
    minijinja::context! { scales => Value::from(scales), roles => roles, flags => flags }
}

type CoupleOutcome = (Vec<Finding>, Vec<(String, u8, String)>, Vec<NotCheckedView>);

fn couple_rules(q: &Questionnaire, partners: &[Partner]) -> CoupleOutcome {
    let (mut findings, mut chosen, mut not_checked) = (Vec::new(), Vec::new(), Vec::new());
    if partners.len() < 2 {
        return (findings, chosen, not_checked);
    }
    let (low, high) = (
        couple_facts(q, partners, false),
        couple_facts(q, partners, true),
    );
    for rule in &q.couple_rules {
        match rule.when.eval(&low, &high) {
            Ok(Outcome::True) => fire(rule, &low, &mut findings, &mut chosen),
            Ok(Outcome::False) => {}
            Ok(Outcome::Unknown) => not_checked.push(NotCheckedView {
                rule: rule.def.id.clone(),
                reason: "it needs a score that one of you does not have yet".to_string(),
            }),
            Err(e) => not_checked.push(NotCheckedView {
                rule: rule.def.id.clone(),
                reason: format!("its condition failed: {e}"),
            }),
        }
    }
    (findings, chosen, not_checked)
}

fn fire(
    rule: &RuleInfo,
    ctx: &Value,
    findings: &mut Vec<Finding>,
    chosen: &mut Vec<(String, u8, String)>,
) {
    let finding = rule.finding.render(ctx).unwrap_or_default();
    if !finding.is_empty() {
        findings.push(Finding {
            rule: rule.def.id.clone(),
            text: finding.clone(),
            priority: rule.def.priority,
        });
    }
    let because = rule.because.render(ctx).unwrap_or_default();
    let reason = if because.is_empty() { finding } else { because };
    for s in &rule.def.recommend {
        chosen.push((s.clone(), rule.def.priority, reason.clone()));
    }
}

/// Who a strategy is for, by name: the partners whose role it suits.
fn for_whom(audience: &[Audience], partners: &[Partner]) -> Option<String> {
    if audience.contains(&Audience::Couple) {
        return Some(if partners.len() == 2 {
            "both of you, together".to_string()
        } else {
            partners[0].name.clone()
        });
    }
    let names: Vec<String> = partners
        .iter()
        .filter(|p| crate::questionnaire::suits(audience, p.role()))
        .map(|p| match p.assessment.report.respondent.role.as_deref() {
            Some("hurt") => format!("{} (the partner who was hurt)", p.name),
            Some("broke") => format!("{} (the partner who broke trust)", p.name),
            _ => p.name.clone(),
        })
        .collect();
    (!names.is_empty()).then(|| names.join(" and "))
}

/// The joint plan: both partners' recommendations and the couple rules', merged, with whose
/// answers led to each; strategies a raised flag holds back are left out for both.
fn plan(
    q: &Questionnaire,
    partners: &[Partner],
    couple: Vec<(String, u8, String)>,
    reader: Reader,
) -> Vec<PlanItem> {
    let raised = |f: &str| partners.iter().any(|p| p.assessment.eval.has_flag(f));
    let mut all: Vec<(String, u8, PlanReason)> = Vec::new();
    for p in partners {
        for pick in picks(q, &p.assessment.eval) {
            let refers_to_private = pick.rule.is_some_and(|r| {
                q.rules[r]
                    .when
                    .refs
                    .iter()
                    .filter_map(|n| n.strip_prefix("answers."))
                    .any(|id| p.is_private(id))
            });
            let text = if refers_to_private && reader == Reader::Joint {
                "(the details are kept private)".to_string()
            } else {
                pick.reason
            };
            all.push((
                pick.strategy,
                pick.priority,
                PlanReason {
                    from: p.name.clone(),
                    text,
                },
            ));
        }
    }
    for (s, priority, text) in couple {
        all.push((
            s,
            priority,
            PlanReason {
                from: "both of you".to_string(),
                text,
            },
        ));
    }
    all.sort_by_key(|a| a.1);
    let mut out: Vec<PlanItem> = Vec::new();
    for (id, priority, reason) in all {
        if !crate::report::blocking_flags(q, &id, &raised).is_empty() {
            continue;
        }
        let Some(view) = strategy_view(q, &id, priority) else {
            continue;
        };
        let Some(for_whom) = for_whom(&view.audience, partners) else {
            continue;
        };
        match out.iter_mut().find(|p| p.id == id) {
            Some(item) => {
                if !reason.text.is_empty() && !item.reasons.contains(&reason) {
                    item.reasons.push(reason);
                }
            }
            None => out.push(PlanItem {
                id: view.id,
                title: view.title,
                summary: view.summary,
                steps: view.steps,
                for_whom,
                priority,
                reasons: if reason.text.is_empty() {
                    Vec::new()
                } else {
                    vec![reason]
                },
                sources: view.sources,
            }),
        }
    }
    out
}

fn notes(q: &Questionnaire, partners: &[Partner], reader: Reader) -> Vec<PartnerNote> {
    let mut out = Vec::new();
    for p in partners {
        for (item, shown) in q.items.iter().zip(&p.assessment.scored.visible) {
            if item.kind != ItemType::Text
                || !shown
                || (reader == Reader::Joint && p.is_private(&item.id))
            {
                continue;
            }
            if let Some(crate::answers::Answer::Text(t)) = p.responses.answered(item) {
                out.push(PartnerNote {
                    partner: p.name.clone(),
                    question: item.text.clone(),
                    text: t.clone(),
                });
            }
        }
    }
    out
}
