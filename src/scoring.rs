//! From checked answers to scores: which items were shown, each item's score, and each
//! scale's score and band. A blank is never a zero; hidden items never count.

use std::collections::HashMap;
use std::sync::Arc;

use minijinja::Value;
use minijinja::value::{Enumerator, Object};

use crate::answers::{Answer, Responses};
use crate::compiled::{Choice, ScaleField, Slots};
use crate::expr::{Condition, HIGH, Outcome};
use crate::model::{Method, Scalar};
use crate::questionnaire::{ItemInfo, Parts, Questionnaire, ScaleInfo};

/// Rounds to two decimals: scores are banded as they are shown.
pub fn round2(x: f64) -> f64 {
    // Adding 0.0 turns -0.0 into 0.0, so no report ever shows "-0".
    (x * 100.0).round() / 100.0 + 0.0
}

/// One scale's result.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleScore {
    /// `None` when there were not enough answers.
    pub score: Option<f64>,
    /// The index of the band, when scored and the scale has bands.
    pub band: Option<usize>,
    /// Parts (items or subscales) with a usable answer or score.
    pub answered: usize,
    /// Parts shown to this person.
    pub shown: usize,
    /// Parts needed for a score.
    pub needed: usize,
    /// Whether a sum was scaled up from fewer answers.
    pub prorated: bool,
    /// The lowest and highest score possible with the parts this person answered (with items
    /// of different ranges, this can differ from the scale's full range).
    pub min: f64,
    pub max: f64,
}

/// Everything scoring found out, in questionnaire order.
#[derive(Debug, Clone)]
pub struct Scored {
    pub visible: Vec<bool>,
    pub item_scores: Vec<Option<f64>>,
    pub scales: Vec<ScaleScore>,
    /// Whether each item has a real answer (shown or not).
    pub answered: Vec<bool>,
    /// The answer as conditions see it, for the items compiled conditions read as values
    /// (`Questionnaire::read_as_value`); `None` for the others.
    pub values: Vec<Option<Value>>,
    /// For choice items answered, the option chosen.
    pub choices: Vec<Option<usize>>,
}

/// Scores `responses` on every scale of `q`.
pub fn score(q: &Questionnaire, responses: &Responses) -> Scored {
    let n = q.items.len();
    let (mut answered, mut values, mut choices, mut raw_scores) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for (item, &read) in q.items.iter().zip(&q.read_as_value) {
        let answer = responses.answered(item);
        answered.push(answer.is_some());
        values.push(answer.filter(|_| read).map(|a| answer_value(item, a)));
        choices.push(match answer {
            Some(Answer::Choice(k)) => Some(*k),
            _ => None,
        });
        raw_scores.push(answer.and_then(|a| answer_score(item, a)));
    }
    let visible = visibility(q, responses, &answered, &values, &choices);
    let item_scores: Vec<Option<f64>> = raw_scores
        .into_iter()
        .zip(&visible)
        .map(|(score, &shown)| score.filter(|_| shown))
        .collect();
    let mut scales: Vec<ScaleScore> = Vec::with_capacity(q.scales.len());
    for scale in &q.scales {
        let s = scale_score(scale, &q.items, &visible, &item_scores, &scales);
        scales.push(s);
    }
    Scored {
        visible,
        item_scores,
        scales,
        answered,
        values,
        choices,
    }
}

/// Items that were answered but not shown (their condition did not hold): ignored.
pub fn ignored(q: &Questionnaire, responses: &Responses, scored: &Scored) -> Vec<String> {
    q.items
        .iter()
        .zip(&scored.visible)
        .filter(|(item, shown)| !**shown && responses.given(item).is_some())
        .map(|(item, _)| item.id.clone())
        .collect()
}

/// Decides, in order, which items are shown: a condition that is false or unknown hides.
/// A condition names only earlier items, whose visibility is known by then.
fn visibility(
    q: &Questionnaire,
    responses: &Responses,
    answered: &[bool],
    values: &[Option<Value>],
    choices: &[Option<usize>],
) -> Vec<bool> {
    let mut visible: Vec<bool> = Vec::with_capacity(q.items.len());
    for item in &q.items {
        let shown = item.show_if.is_empty() || {
            let slots = RowSlots {
                q,
                answered,
                values,
                choices,
                visible: &visible,
                scored: None,
                flags: &[],
                value: None,
            };
            let full = |high: bool| {
                let all = Arc::new(all_values(q, responses));
                let view = AnswersView::new(q, all, Arc::new(visible.clone()));
                context(view.value(high), Value::UNDEFINED, &[], None)
            };
            // Scales are not known yet: any condition naming one may depend on them.
            item.show_if.iter().all(|c| {
                let may_differ = c.may_depend_on_missing(&|i| slots.has_answer(i), &|_| false);
                matches!(c.decide(&slots, may_differ, &full), Ok(Outcome::True))
            })
        };
        visible.push(shown);
    }
    visible
}

/// What conditions read for one person, by position (see [`crate::compiled`]): answers to
/// items shown, scales once scored, flags raised so far, and an item flag's `value`.
pub struct RowSlots<'a> {
    q: &'a Questionnaire,
    answered: &'a [bool],
    /// Values of the items read as values (see `Scored::values`).
    values: &'a [Option<Value>],
    choices: &'a [Option<usize>],
    /// Visibility decided so far (a prefix while deciding visibility).
    visible: &'a [bool],
    /// `None` while deciding visibility: scales are not known yet.
    scored: Option<&'a Scored>,
    flags: &'a [String],
    value: Option<&'a Value>,
}

impl RowSlots<'_> {
    fn has_answer(&self, i: usize) -> bool {
        self.visible.get(i).copied().unwrap_or(false) && self.answered[i]
    }
}

impl Slots for RowSlots<'_> {
    fn answer(&self, i: usize, high: bool) -> Value {
        match &self.values[i] {
            Some(v) if self.has_answer(i) => v.clone(),
            _ if high && self.q.numeric[i] => Value::from(HIGH),
            _ => Value::UNDEFINED,
        }
    }

    fn scale(&self, i: usize, field: ScaleField, high: bool) -> Option<Value> {
        let s = &self.scored?.scales[i];
        let bands = &self.q.scales[i].def.bands;
        Some(match field {
            ScaleField::Score => match s.score {
                Some(x) => number_value(x),
                None if high => Value::from(HIGH),
                None => Value::UNDEFINED,
            },
            ScaleField::Band => s
                .band
                .map_or(Value::UNDEFINED, |b| Value::from(bands[b].id.as_str())),
            ScaleField::Label => s
                .band
                .map_or(Value::UNDEFINED, |b| Value::from(bands[b].label.as_str())),
            ScaleField::Answered => Value::from(s.answered),
            ScaleField::Items => Value::from(s.shown),
            ScaleField::Min => number_value(s.min),
            ScaleField::Max => number_value(s.max),
            ScaleField::Other => Value::UNDEFINED,
        })
    }

    fn flags(&self) -> &[String] {
        self.flags
    }

    fn value(&self) -> Value {
        self.value.cloned().unwrap_or(Value::UNDEFINED)
    }

    fn choice(&self, i: usize, high: bool) -> Choice {
        match self.choices[i] {
            Some(k) if self.has_answer(i) => Choice::Option(k),
            _ if high && self.q.numeric[i] => Choice::High,
            _ => Choice::Missing,
        }
    }

    fn band(&self, i: usize) -> Option<Option<usize>> {
        Some(self.scored?.scales[i].band)
    }
}

/// Every item's answer as conditions see it, or `None` if unanswered (for minijinja).
fn all_values(q: &Questionnaire, responses: &Responses) -> Vec<Option<Value>> {
    q.items
        .iter()
        .map(|item| responses.answered(item).map(|a| answer_value(item, a)))
        .collect()
}

/// An item's score, reversed if it is reverse keyed; `None` if unanswered or unscorable.
pub fn item_score(item: &ItemInfo, responses: &Responses) -> Option<f64> {
    answer_score(item, responses.answered(item)?)
}

/// The score of an answer (already known to be a real one), reversed if need be.
fn answer_score(item: &ItemInfo, answer: &Answer) -> Option<f64> {
    let (lo, hi) = item.range?;
    let raw = match answer {
        Answer::Choice(i) => option_score(item, *i)?,
        Answer::Multi(ix) => ix
            .iter()
            .map(|&i| item.options[i].score.unwrap_or(1.0))
            .sum(),
        Answer::Number(n) => *n,
        Answer::Text(_) => return None,
    };
    Some(if item.reverse { lo + hi - raw } else { raw })
}

fn option_score(item: &ItemInfo, i: usize) -> Option<f64> {
    let o = &item.options[i];
    o.score.or(o.value.as_number())
}

fn scale_score(
    scale: &ScaleInfo,
    items: &[ItemInfo],
    visible: &[bool],
    item_scores: &[Option<f64>],
    earlier: &[ScaleScore],
) -> ScaleScore {
    // Over the usable parts: the sums of their values, lowest and highest possible scores
    // (times their weights for a weighted sum), in the parts' order.
    let weighted = scale.def.score == Method::WeightedSum;
    let (mut raw, mut lo, mut hi, mut answered) = (0.0, 0.0, 0.0, 0usize);
    let mut add = |[v, l, h, w]: [f64; 4]| {
        let w = if weighted { w } else { 1.0 };
        raw += v * w;
        lo += l * w;
        hi += h * w;
        answered += 1;
    };
    let (shown, all) = match &scale.parts {
        Parts::Items(ix) => {
            for &i in ix {
                if let (Some((l, h)), Some(v)) = (items[i].range, item_scores[i]) {
                    add([v, l, h, items[i].weight]);
                }
            }
            (ix.iter().filter(|&&i| visible[i]).count(), ix.len())
        }
        Parts::Subscales(ix) => {
            for &i in ix {
                if let Some(v) = earlier[i].score {
                    add([v, earlier[i].min, earlier[i].max, 1.0]);
                }
            }
            (ix.len(), ix.len())
        }
    };
    let needed = scale.def.needs.required(shown);
    let mut result = ScaleScore {
        score: None,
        band: None,
        answered,
        shown,
        needed,
        prorated: false,
        min: scale.min,
        max: scale.max,
    };
    if shown == 0 || answered < needed || answered == 0 {
        return result;
    }
    let complete = answered == all;
    let (score, min, max) = match scale.def.score {
        Method::Mean => {
            // The mean of what was answered; its range is the one those questions allow.
            let n = answered as f64;
            (raw / n, lo / n, hi / n)
        }
        _ if complete => (raw, lo, hi),
        // Prorated: the same place between lowest and highest as the answered questions
        // reach, on the range of all of them. With equal ranges this is the sum times
        // all / answered; with mixed ranges it never leaves the scale's range.
        _ if hi > lo => (
            scale.min + (raw - lo) / (hi - lo) * (scale.max - scale.min),
            scale.min,
            scale.max,
        ),
        _ => (scale.min, scale.min, scale.max),
    };
    let score = round2(score);
    result.min = round2(min);
    result.max = round2(max);
    result.prorated = scale.def.score != Method::Mean && answered < all;
    result.band = band_of(scale, score);
    result.score = Some(score);
    result
}

/// The band a score falls in: the last band whose `from` is at or below it.
pub fn band_of(scale: &ScaleInfo, score: f64) -> Option<usize> {
    scale
        .def
        .bands
        .iter()
        .rposition(|b| b.from.is_none_or(|from| score >= from))
}

/// The answers as conditions see them, looked up lazily: only answers to items shown count,
/// and in the "high" view a missing number orders above everything (see `expr`).
#[derive(Debug)]
struct AnswersView {
    values: Arc<Vec<Option<Value>>>,
    /// Visibility of the items decided so far (a prefix while deciding visibility).
    visible: Arc<Vec<bool>>,
    index: Arc<HashMap<String, usize>>,
    numeric: Arc<Vec<bool>>,
    high: bool,
}

impl AnswersView {
    fn new(q: &Questionnaire, values: Arc<Vec<Option<Value>>>, visible: Arc<Vec<bool>>) -> Self {
        AnswersView {
            values,
            visible,
            index: q.index.clone(),
            numeric: q.numeric.clone(),
            high: false,
        }
    }

    fn value(&self, high: bool) -> Value {
        Value::from_object(AnswersView {
            values: self.values.clone(),
            visible: self.visible.clone(),
            index: self.index.clone(),
            numeric: self.numeric.clone(),
            high,
        })
    }

    fn answer(&self, i: usize) -> Option<&Value> {
        if self.visible.get(i).copied().unwrap_or(false) {
            self.values[i].as_ref()
        } else {
            None
        }
    }
}

impl Object for AnswersView {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let i = *self.index.get(key.as_str()?)?;
        match self.answer(i) {
            Some(v) => Some(v.clone()),
            None if self.high && self.numeric[i] => Some(Value::from(HIGH)),
            None => None,
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let mut keys: Vec<(&String, &usize)> = self
            .index
            .iter()
            .filter(|(_, i)| self.answer(**i).is_some())
            .collect();
        keys.sort_by_key(|(_, i)| **i);
        Enumerator::Values(
            keys.into_iter()
                .map(|(k, _)| Value::from(k.as_str()))
                .collect(),
        )
    }
}

/// The whole context of a condition: answers, scales, flags, and an item's own `value`.
fn context(answers: Value, scales: Value, flags: &[String], value: Option<&Value>) -> Value {
    let mut ctx: Vec<(&str, Value)> = vec![
        ("answers", answers),
        ("scales", scales),
        ("flags", Value::from(flags.to_vec())),
    ];
    if let Some(v) = value {
        ctx.push(("value", v.clone()));
    }
    map(ctx)
}

/// The names rules see, for one person: answers to the items shown, scales, and the flags
/// raised so far. Conditions read them by position ([`Facts::slots`]); minijinja contexts
/// ([`Facts::context`]) are built only for texts and for conditions the tree does not cover.
pub struct Facts<'a> {
    q: &'a Questionnaire,
    responses: &'a Responses,
    scored: &'a Scored,
    pub flags: Vec<String>,
}

impl<'a> Facts<'a> {
    /// Answers, scales and flags, for rules and item flags.
    pub fn new(q: &'a Questionnaire, responses: &'a Responses, scored: &'a Scored) -> Facts<'a> {
        Facts {
            q,
            responses,
            scored,
            flags: Vec::new(),
        }
    }

    /// What conditions read, with an item flag's `value` when there is one.
    pub fn slots<'s>(&'s self, value: Option<&'s Value>) -> RowSlots<'s> {
        RowSlots {
            q: self.q,
            answered: &self.scored.answered,
            values: &self.scored.values,
            choices: &self.scored.choices,
            visible: &self.scored.visible,
            scored: Some(self.scored),
            flags: &self.flags,
            value,
        }
    }

    /// The minijinja context: missing values absent (they order below everything), or with
    /// `high`, missing numbers above everything; `value` bound for an item's flag.
    pub fn context(&self, high: bool, value: Option<&Value>) -> Value {
        let answers = AnswersView::new(
            self.q,
            Arc::new(all_values(self.q, self.responses)),
            Arc::new(self.scored.visible.clone()),
        );
        context(answers.value(high), self.scales(high), &self.flags, value)
    }

    fn scales(&self, high: bool) -> Value {
        let mut out = Vec::new();
        for (info, s) in self.q.scales.iter().zip(&self.scored.scales) {
            let mut fields: Vec<(&str, Value)> = vec![
                ("answered", Value::from(s.answered)),
                ("items", Value::from(s.shown)),
                ("min", number_value(s.min)),
                ("max", number_value(s.max)),
            ];
            match s.score {
                Some(score) => fields.push(("score", number_value(score))),
                None if high => fields.push(("score", Value::from(HIGH))),
                None => {}
            }
            if let Some(b) = s.band {
                let band = &info.def.bands[b];
                fields.push(("band", Value::from(band.id.as_str())));
                fields.push(("label", Value::from(band.label.as_str())));
            }
            out.push((info.def.id.clone(), map(fields)));
        }
        map(out)
    }

    /// Decides a condition: by position where it was compiled, else with minijinja.
    pub fn decide(&self, cond: &Condition, value: Option<&Value>) -> Result<Outcome, String> {
        let slots = self.slots(value);
        let may_differ = cond.may_depend_on_missing(&|i| slots.has_answer(i), &|i| {
            self.scored.scales[i].score.is_some()
        });
        cond.decide(&slots, may_differ, &|high| self.context(high, value))
    }

    /// Whether an answer is present (to explain why a condition could not be checked).
    pub fn has_answer(&self, id: &str) -> bool {
        self.q
            .index
            .get(id)
            .is_some_and(|&i| self.slots(None).has_answer(i))
    }
}

/// A minijinja map from key-value pairs.
fn map<K: Into<String>>(pairs: Vec<(K, Value)>) -> Value {
    Value::from(
        pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v))
            .collect::<std::collections::BTreeMap<String, Value>>(),
    )
}

/// How an answer looks to conditions: the option's value, a list of values, a number or text.
pub fn answer_value(item: &ItemInfo, answer: &Answer) -> Value {
    match answer {
        Answer::Choice(i) => item.option_values[*i].clone(),
        Answer::Multi(ix) => Value::from_iter(ix.iter().map(|&i| item.option_values[i].clone())),
        Answer::Number(n) => number_value(*n),
        Answer::Text(t) => Value::from(t.as_str()),
    }
}

/// An option's value as conditions see it.
pub fn scalar_value(s: &Scalar) -> Value {
    match s {
        Scalar::Number(n) => number_value(*n),
        Scalar::Text(t) => Value::from(t.as_str()),
    }
}

/// Whole numbers become integers, so `answers.x == 3` and `{{ answers.x }}` read naturally.
pub fn number_value(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Value::from(n as i64)
    } else {
        Value::from(n)
    }
}
