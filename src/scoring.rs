//! From checked answers to scores: which items were shown, each item's score, and each
//! scale's score and band. A blank is never a zero; hidden items never count.

use minijinja::Value;

use crate::answers::{Answer, Responses};
use crate::expr::{HIGH, Outcome};
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
    /// Items that were answered but not shown (their condition did not hold): ignored.
    pub ignored: Vec<String>,
}

/// Scores `responses` on every scale of `q`.
pub fn score(q: &Questionnaire, responses: &Responses) -> Scored {
    let visible = visibility(q, responses);
    let item_scores: Vec<Option<f64>> = q
        .items
        .iter()
        .zip(&visible)
        .map(|(item, &shown)| shown.then(|| item_score(item, responses)).flatten())
        .collect();
    let ignored = q
        .items
        .iter()
        .zip(&visible)
        .filter(|(item, shown)| !**shown && responses.answers.contains_key(&item.id))
        .map(|(item, _)| item.id.clone())
        .collect();
    let mut scales: Vec<ScaleScore> = Vec::new();
    for scale in &q.scales {
        let s = scale_score(scale, &q.items, &visible, &item_scores, &scales);
        scales.push(s);
    }
    Scored {
        visible,
        item_scores,
        scales,
        ignored,
    }
}

/// Decides, in order, which items are shown: a condition that is false or unknown hides.
fn visibility(q: &Questionnaire, responses: &Responses) -> Vec<bool> {
    let mut visible = Vec::with_capacity(q.items.len());
    for item in &q.items {
        let facts = Facts::answers_only(q, responses, &visible);
        let shown = item
            .show_if
            .iter()
            .all(|c| matches!(c.eval(&facts.low(), &facts.high()), Ok(Outcome::True)));
        visible.push(shown);
    }
    visible
}

/// An item's score, reversed if it is reverse keyed; `None` if unanswered or unscorable.
pub fn item_score(item: &ItemInfo, responses: &Responses) -> Option<f64> {
    let (lo, hi) = item.range?;
    let raw = match responses.answered(item)? {
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
    // Each usable part as (value, lowest, highest, weight), and the weights of all parts.
    let (parts, shown, all_weights): (Vec<[f64; 4]>, usize, Vec<f64>) = match &scale.parts {
        Parts::Items(ix) => (
            ix.iter()
                .filter_map(|&i| {
                    let (lo, hi) = items[i].range?;
                    item_scores[i].map(|v| [v, lo, hi, items[i].weight])
                })
                .collect(),
            ix.iter().filter(|&&i| visible[i]).count(),
            ix.iter().map(|&i| items[i].weight).collect(),
        ),
        Parts::Subscales(ix) => (
            ix.iter()
                .filter_map(|&i| {
                    earlier[i]
                        .score
                        .map(|v| [v, earlier[i].min, earlier[i].max, 1.0])
                })
                .collect(),
            ix.len(),
            vec![1.0; ix.len()],
        ),
    };
    let needed = scale.def.needs.required(shown);
    let answered = parts.len();
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
    // The score, and the lowest and highest it could have been with these same parts answered.
    let combine = |k: usize| -> f64 {
        let n = answered as f64;
        match scale.def.score {
            Method::Mean => parts.iter().map(|p| p[k]).sum::<f64>() / n,
            Method::Sum => parts.iter().map(|p| p[k]).sum::<f64>() * all_weights.len() as f64 / n,
            Method::WeightedSum => {
                let answered_weight: f64 = parts.iter().map(|p| p[3]).sum();
                let all_weight: f64 = all_weights.iter().sum();
                parts.iter().map(|p| p[k] * p[3]).sum::<f64>() * all_weight / answered_weight
            }
        }
    };
    let score = round2(combine(0));
    result.min = round2(combine(1));
    result.max = round2(combine(2));
    result.prorated = scale.def.score != Method::Mean && answered < all_weights.len();
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

/// The names conditions see, built twice: missing numbers low (absent) and high.
pub struct Facts {
    answers: Vec<(String, Value)>,
    missing_numbers: Vec<String>,
    scales: Vec<ScaleFacts>,
    pub flags: Vec<String>,
}

/// What conditions see of one scale; `score` is missing when it could not be scored.
struct ScaleFacts {
    id: String,
    fields: Vec<(&'static str, Value)>,
    unscored: bool,
}

impl Facts {
    /// Answers to the items decided visible so far (for `show_if`).
    fn answers_only(q: &Questionnaire, responses: &Responses, visible: &[bool]) -> Facts {
        let mut answers = Vec::new();
        let mut missing_numbers = Vec::new();
        for (i, item) in q.items.iter().enumerate() {
            let value = visible
                .get(i)
                .copied()
                .unwrap_or(false)
                .then(|| responses.answered(item).map(|a| answer_value(item, a)))
                .flatten();
            match value {
                Some(v) => answers.push((item.id.clone(), v)),
                None if item.numeric => missing_numbers.push(item.id.clone()),
                None => {}
            }
        }
        Facts {
            answers,
            missing_numbers,
            scales: Vec::new(),
            flags: Vec::new(),
        }
    }

    /// Answers, scales and flags, for rules and item flags.
    pub fn new(q: &Questionnaire, responses: &Responses, scored: &Scored) -> Facts {
        let mut facts = Facts::answers_only(q, responses, &scored.visible);
        for (info, s) in q.scales.iter().zip(&scored.scales) {
            let mut fields: Vec<(&'static str, Value)> = vec![
                ("answered", Value::from(s.answered)),
                ("items", Value::from(s.shown)),
                ("min", number_value(s.min)),
                ("max", number_value(s.max)),
            ];
            if let Some(score) = s.score {
                fields.push(("score", number_value(score)));
            }
            if let Some(b) = s.band {
                let band = &info.def.bands[b];
                fields.push(("band", Value::from(band.id.as_str())));
                fields.push(("label", Value::from(band.label.as_str())));
            }
            facts.scales.push(ScaleFacts {
                id: info.def.id.clone(),
                fields,
                unscored: s.score.is_none(),
            });
        }
        facts
    }

    /// The context with missing values absent: they order below everything.
    pub fn low(&self) -> Value {
        self.context(false, None)
    }

    /// The context with missing numbers high: they order above everything.
    pub fn high(&self) -> Value {
        self.context(true, None)
    }

    /// Both contexts with `value` bound, for an item's flag.
    pub fn with_value(&self, value: &Value) -> (Value, Value) {
        (
            self.context(false, Some(value)),
            self.context(true, Some(value)),
        )
    }

    fn context(&self, high: bool, value: Option<&Value>) -> Value {
        let mut answers: Vec<(String, Value)> = self.answers.clone();
        let mut scales: Vec<(String, Value)> = Vec::new();
        if high {
            answers.extend(
                self.missing_numbers
                    .iter()
                    .map(|id| (id.clone(), Value::from(HIGH))),
            );
        }
        for scale in &self.scales {
            let mut fields = scale.fields.clone();
            if high && scale.unscored {
                fields.push(("score", Value::from(HIGH)));
            }
            scales.push((scale.id.clone(), map(fields)));
        }
        let mut ctx: Vec<(&str, Value)> = vec![
            ("answers", map(answers)),
            ("scales", map(scales)),
            ("flags", Value::from(self.flags.clone())),
        ];
        if let Some(v) = value {
            ctx.push(("value", v.clone()));
        }
        map(ctx)
    }

    /// Whether an answer is present (to explain why a condition could not be checked).
    pub fn has_answer(&self, id: &str) -> bool {
        self.answers.iter().any(|(k, _)| k == id)
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
        Answer::Choice(i) => scalar_value(&item.options[*i].value),
        Answer::Multi(ix) => {
            Value::from_iter(ix.iter().map(|&i| scalar_value(&item.options[i].value)))
        }
        Answer::Number(n) => number_value(*n),
        Answer::Text(t) => Value::from(t.as_str()),
    }
}

fn scalar_value(s: &Scalar) -> Value {
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
