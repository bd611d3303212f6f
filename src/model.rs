//! The file formats, exactly as authors write them (see docs/authoring.md).
//! These types only describe the files; `questionnaire.rs` checks and resolves them.

use std::fmt;

use indexmap::IndexMap;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A single value written in a file: a number or a short text (`4`, `often`, `yes`).
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Number(f64),
    Text(String),
}

impl Scalar {
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Scalar::Number(n) => Some(*n),
            Scalar::Text(_) => None,
        }
    }

    /// Two values match when they are the same number or the same text.
    pub fn matches(&self, other: &Scalar) -> bool {
        match (self, other) {
            (Scalar::Number(a), Scalar::Number(b)) => a == b,
            (Scalar::Text(a), Scalar::Text(b)) => a == b,
            _ => false,
        }
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Number(n) => write!(f, "{}", format_number(*n)),
            Scalar::Text(t) => f.write_str(t),
        }
    }
}

/// Numbers print without a trailing `.0` when whole, as people write them.
pub fn format_number(n: f64) -> String {
    let mut out = String::new();
    write_number(&mut out, n);
    out
}

/// [`format_number`] into a buffer, for output written row after row.
pub fn write_number(out: &mut String, n: f64) {
    use std::fmt::Write;
    // Writing to a String cannot fail.
    let _ = if n.fract() == 0.0 && n.abs() < 1e15 {
        write!(out, "{}", n as i64)
    } else {
        write!(out, "{n}")
    };
}

impl Serialize for Scalar {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Scalar::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => s.serialize_i64(*n as i64),
            Scalar::Number(n) => s.serialize_f64(*n),
            Scalar::Text(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl serde::de::Visitor<'_> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or a short text")
    }
    fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v as f64))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Scalar, E> {
        if v.is_finite() {
            Ok(Scalar::Number(v))
        } else {
            Err(E::custom("a value must be a finite number"))
        }
    }
    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_string()))
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Scalar, E> {
        Err(E::custom(format!(
            "`{v}` is read as true/false; write a number or a text value, quoted if needed (\"{v}\")"
        )))
    }
}

impl JsonSchema for Scalar {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Scalar".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "description": "A number or a short text.", "type": ["number", "string"] })
    }
}

impl JsonSchema for Needs {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Needs".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "How many answers a scale needs: a count (3), a share (0.8 or \"80%\"), or \"all\".",
            "anyOf": [
                { "type": "integer", "minimum": 1 },
                { "type": "number", "exclusiveMinimum": 0, "maximum": 1 },
                { "type": "string", "pattern": "^(all|[0-9]+(\\.[0-9]+)?\\s*%)$" }
            ]
        })
    }
}

/// A map whose keys must be unique: YAML lets a key be written twice and keeps the last,
/// which would silently lose an answer or a definition; mend refuses it instead.
pub fn unique_map<'de, D, V>(d: D) -> Result<IndexMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Unique<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Unique<V> {
        type Value = IndexMap<String, V>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a mapping")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = IndexMap::new();
            while let Some((key, value)) = map.next_entry::<String, V>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!(
                        "`{key}` is written twice; keep one"
                    )));
                }
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Unique(std::marker::PhantomData))
}

/// Accepts `version: 1`, `version: 1.2` or `version: "1.2"` alike.
pub fn scalar_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Scalar::deserialize(d).map(|s| s.to_string())
}

/// A questionnaire file.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionnaireFile {
    pub id: String,
    #[serde(deserialize_with = "scalar_text")]
    #[schemars(with = "Scalar")]
    pub version: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub instructions: String,
    pub minutes: Option<u32>,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub sources: Vec<String>,
    pub role_item: Option<String>,
    #[serde(default, deserialize_with = "unique_map")]
    pub response_scales: IndexMap<String, Vec<Choice>>,
    pub sections: Vec<Section>,
    #[serde(default)]
    pub scales: Vec<Scale>,
    #[serde(default)]
    pub rules: Vec<Rule>,
    #[serde(default)]
    pub strategies: Vec<Strategy>,
    #[serde(default, deserialize_with = "unique_map")]
    pub flags: IndexMap<String, FlagDef>,
    /// How two partners' answers are compared (`mend compare`).
    #[serde(default)]
    pub couple: CoupleSettings,
    /// The labels of yes/no questions (default: Yes and No), for questionnaires in other
    /// languages.
    #[serde(default)]
    pub yes_no: YesNo,
}

/// The labels of the built-in options of `yesno` items.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YesNo {
    pub yes: String,
    pub no: String,
}

impl Default for YesNo {
    fn default() -> Self {
        YesNo {
            yes: "Yes".into(),
            no: "No".into(),
        }
    }
}

/// Settings for comparing two partners.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoupleSettings {
    /// Answers at least this share of an item's range apart are a "different view".
    #[serde(default = "default_different_by")]
    pub different_by: f64,
    /// Items about the partner paired with items about oneself, for perception gaps.
    #[serde(default)]
    pub pairs: Vec<Pair>,
    /// Rules over the pair (gaps, both low, one ready and one not) for the joint plan.
    #[serde(default)]
    pub rules: Vec<Rule>,
}

impl Default for CoupleSettings {
    fn default() -> Self {
        CoupleSettings {
            different_by: default_different_by(),
            pairs: Vec::new(),
            rules: Vec::new(),
        }
    }
}

fn default_different_by() -> f64 {
    0.5
}

/// "My partner listens to me" (about the partner) and "I listen to my partner" (about oneself).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    /// The item a person answers about themself.
    #[serde(rename = "self")]
    pub about_self: String,
    /// The item a person answers about their partner.
    pub partner: String,
}

fn default_language() -> String {
    "en".to_string()
}

/// One option of a choice or checklist item.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: Scalar,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub missing: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub intro: String,
    pub show_if: Option<String>,
    pub items: Vec<Item>,
}

/// The kinds of question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ItemType {
    #[default]
    Choice,
    Yesno,
    Multi,
    Number,
    Text,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub text: String,
    #[serde(rename = "type", default)]
    pub kind: ItemType,
    pub scale: Option<String>,
    pub options: Option<Vec<Choice>>,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub required: bool,
    pub show_if: Option<String>,
    #[serde(default)]
    pub reverse: bool,
    pub weight: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub flag: Option<ItemFlag>,
    /// An open question for the couple when their answers to this item differ.
    #[serde(default)]
    pub conversation: String,
}

/// A flag raised by one item's answer alone.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemFlag {
    pub name: String,
    pub when: String,
}

/// How a scale combines its items' (or subscales') scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Sum,
    #[default]
    Mean,
    WeightedSum,
}

/// Whether a higher score is the healthier or the harder result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Better,
    Worse,
}

/// How many answers a scale needs before it is scored.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Needs {
    Count(usize),
    Share(f64),
    All,
}

impl Default for Needs {
    fn default() -> Self {
        Needs::Share(0.8)
    }
}

impl Needs {
    /// The number of answers needed out of `shown` items.
    pub fn required(&self, shown: usize) -> usize {
        match *self {
            Needs::Count(n) => n.min(shown).max(1),
            Needs::Share(s) => ((s * shown as f64) - 1e-9).ceil().max(1.0) as usize,
            Needs::All => shown.max(1),
        }
    }
}

impl fmt::Display for Needs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Needs::Count(n) => write!(f, "{n} answers"),
            Needs::Share(s) => write!(f, "{}% of the questions", format_number(s * 100.0)),
            Needs::All => f.write_str("every question"),
        }
    }
}

impl<'de> Deserialize<'de> for Needs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NeedsVisitor)
    }
}

struct NeedsVisitor;

const NEEDS_HELP: &str = "`needs` is a count (3), a share (0.8 or \"80%\"), or `all`";

impl serde::de::Visitor<'_> for NeedsVisitor {
    type Value = Needs;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(NEEDS_HELP)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Needs, E> {
        if v == 0 {
            return Err(E::custom(format!(
                "{NEEDS_HELP}; 0 would score a scale nobody answered"
            )));
        }
        Ok(Needs::Count(v as usize))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Needs, E> {
        match u64::try_from(v) {
            Ok(v) => self.visit_u64(v),
            Err(_) => Err(E::custom(NEEDS_HELP)),
        }
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Needs, E> {
        if v > 0.0 && v <= 1.0 {
            Ok(Needs::Share(v))
        } else {
            Err(E::custom(format!(
                "{NEEDS_HELP}; a share is above 0 and at most 1"
            )))
        }
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Needs, E> {
        if v == "all" {
            return Ok(Needs::All);
        }
        match v.strip_suffix('%').map(|p| p.trim().parse::<f64>()) {
            Some(Ok(p)) => self.visit_f64(p / 100.0),
            _ => Err(E::custom(NEEDS_HELP)),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub items: Vec<String>,
    #[serde(default)]
    pub subscales: Vec<String>,
    #[serde(default)]
    pub score: Method,
    #[serde(default)]
    pub needs: Needs,
    pub higher_is: Direction,
    #[serde(default)]
    pub bands: Vec<Band>,
    /// Sentences for the couple report, one per combination of healthy bands.
    pub couple: Option<CoupleSentences>,
    /// The scale's reliability (e.g. Cronbach's alpha, 0 to 1) and standard deviation in a
    /// reference sample: with both, progress reports mark changes as reliable or not.
    pub reliability: Option<f64>,
    pub sd: Option<f64>,
}

/// What the couple report says of a scale: both in a healthy band, neither, or one each.
/// `one_each` may use `{{ concerned }}` and `{{ content }}` for the partners' names.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoupleSentences {
    pub both_healthy: String,
    pub both_not: String,
    pub one_each: String,
}

/// A band starts at `from` (inclusive) and runs to the next band's `from`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub id: String,
    pub from: Option<f64>,
    pub label: String,
    #[serde(default)]
    pub text: String,
    /// Whether this band is a healthy result (default: only the best band is).
    pub healthy: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub when: String,
    #[serde(default)]
    pub finding: String,
    #[serde(default)]
    pub recommend: Vec<String>,
    #[serde(default)]
    pub because: String,
    #[serde(default = "default_priority")]
    pub priority: u8,
    pub flag: Option<String>,
}

fn default_priority() -> u8 {
    3
}

/// Who a strategy is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// The partner whose trust was broken.
    Hurt,
    /// The partner who broke trust.
    Broke,
    /// Both partners, together.
    Couple,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Strategy {
    pub id: String,
    pub title: String,
    #[serde(rename = "for")]
    pub audience: Vec<Audience>,
    pub summary: String,
    pub steps: String,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub avoid_with: Vec<String>,
}

/// The strategy library file: the source articles and the strategies that cite them.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StrategyFile {
    #[serde(default)]
    pub sources: IndexMap<String, String>,
    pub strategies: Vec<Strategy>,
}

/// What a raised flag puts at the top of a report.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlagDef {
    pub title: String,
    pub message: String,
    #[serde(default)]
    pub recommend: Vec<String>,
    #[serde(default)]
    pub resources: Vec<String>,
    /// A private flag (safety, self-harm) is never shown in a joint report: it gets a neutral
    /// line instead, and no joint exercises.
    #[serde(default)]
    pub private: bool,
}

/// A place to get help, kept as data so it can be localised.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    pub category: String,
    pub name: String,
    pub region: String,
    pub contact: String,
    #[serde(default)]
    pub note: String,
}

/// The support file: flags and help resources.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportFile {
    #[serde(deserialize_with = "unique_map")]
    pub flags: IndexMap<String, FlagDef>,
    pub resources: Vec<Resource>,
}
