//! Conditions and reason texts: minijinja expressions and templates, compiled once at load.
//!
//! Missing values (unanswered items, scales without enough answers) need care: minijinja
//! orders an undefined value below every number, so `score < 2` would be true for a scale
//! nobody answered. mend evaluates a condition twice, with each missing number taken as the
//! lowest and then as the highest possible value; if the results differ, the condition
//! depends on the missing value and is [`Outcome::Unknown`]: it is not applied.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use minijinja::{Environment, Expression, Value};

/// Enough fuel for any sensible condition, and a stop for a runaway one.
const CONDITION_FUEL: u64 = 50_000;

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_fuel(Some(CONDITION_FUEL));
        env.set_recursion_limit(50);
        env
    })
}

/// Marks a missing number in the "high" evaluation: it orders above every number and text.
pub const HIGH: &str = "\u{10FFFF}";

/// A compiled condition with the names it refers to (`answers.role`, `scales.x.score`).
pub struct Condition {
    pub source: String,
    expr: Expression<'static, 'static>,
    pub refs: BTreeSet<String>,
    /// The names as (first part, second part): `answers.role` is (`answers`, `role`).
    pub names: Vec<(String, Option<String>)>,
}

impl std::fmt::Debug for Condition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Condition({:?})", self.source)
    }
}

/// The result of a condition over answers that may have gaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    True,
    False,
    /// The result depends on an answer or score that is missing.
    Unknown,
}

impl Condition {
    /// Compiles `source`; the error is minijinja's, which points at the bad spot.
    pub fn compile(source: &str) -> Result<Condition, String> {
        let expr = env()
            .compile_expression_owned(source.to_string())
            .map_err(describe)?;
        let refs: BTreeSet<String> = expr.undeclared_variables(true).into_iter().collect();
        let names = refs
            .iter()
            .map(|r| {
                let mut parts = r.split('.');
                let head = parts.next().unwrap_or_default().to_string();
                (head, parts.next().map(str::to_string))
            })
            .collect();
        Ok(Condition {
            source: source.to_string(),
            expr,
            refs,
            names,
        })
    }

    /// Evaluates with missing numbers low (`low`) and high (`high`); agreement decides.
    pub fn eval(&self, low: &Value, high: &Value) -> Result<Outcome, String> {
        self.eval_if(low, high, true)
    }

    /// Like [`Condition::eval`], skipping the high evaluation when `may_differ` is false
    /// (the caller knows none of the names it uses is missing).
    pub fn eval_if(&self, low: &Value, high: &Value, may_differ: bool) -> Result<Outcome, String> {
        let a = self.truth(low)?;
        if !may_differ {
            return Ok(if a { Outcome::True } else { Outcome::False });
        }
        let b = self.truth(high)?;
        Ok(match (a, b) {
            (true, true) => Outcome::True,
            (false, false) => Outcome::False,
            _ => Outcome::Unknown,
        })
    }

    fn truth(&self, ctx: &Value) -> Result<bool, String> {
        self.expr
            .eval(ctx.clone())
            .map(|v| v.is_true())
            .map_err(describe)
    }
}

/// A text with `{{ ... }}` placeholders (a rule's `because` or `finding`), checked at load.
#[derive(Debug, Clone)]
pub struct Text {
    pub source: String,
}

impl Text {
    pub fn compile(source: &str) -> Result<Text, String> {
        env().template_from_str(source).map_err(describe)?;
        Ok(Text {
            source: source.to_string(),
        })
    }

    pub fn render(&self, ctx: &Value) -> Result<String, String> {
        if !self.source.contains("{{") && !self.source.contains("{%") {
            return Ok(self.source.trim().to_string());
        }
        env()
            .render_str(&self.source, ctx.clone())
            .map(|s| s.trim().to_string())
            .map_err(describe)
    }
}

/// minijinja's error in one line: its kind and detail, without the debug dump.
fn describe(err: minijinja::Error) -> String {
    match err.detail() {
        Some(detail) => format!("{}: {detail}", err.kind()),
        None => err.kind().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    fn outcome(src: &str, low: Value, high: Value) -> Outcome {
        Condition::compile(src).unwrap().eval(&low, &high).unwrap()
    }

    #[test]
    fn a_missing_score_makes_an_ordering_unknown() {
        let low = context! { scales => context! { c => context! { band => Value::UNDEFINED } } };
        let high = context! { scales => context! { c => context! { score => HIGH } } };
        assert_eq!(
            outcome("scales.c.score < 2", low.clone(), high.clone()),
            Outcome::Unknown
        );
        assert_eq!(outcome("scales.c.band == 'low'", low, high), Outcome::False);
    }

    #[test]
    fn or_still_fires_when_the_other_side_holds() {
        let low = context! { answers => context! { b => "yes" } };
        let high = context! { answers => context! { a => HIGH, b => "yes" } };
        assert_eq!(
            outcome("answers.a > 3 or answers.b == 'yes'", low, high),
            Outcome::True
        );
    }

    #[test]
    fn compile_errors_say_what_is_wrong() {
        let err = Condition::compile("answers.a ==").unwrap_err();
        assert!(err.contains("syntax error"), "{err}");
    }

    #[test]
    fn refs_are_nested_names() {
        let c = Condition::compile("answers.role in ['a'] and scales.x.score > 1").unwrap();
        assert!(c.refs.contains("answers.role"), "{:?}", c.refs);
        assert!(c.refs.contains("scales.x.score"), "{:?}", c.refs);
    }

    #[test]
    fn runaway_conditions_run_out_of_fuel() {
        let c = Condition::compile("range(100000) | list | length > 0").unwrap();
        let err = c.eval(&context! {}, &context! {}).unwrap_err();
        assert!(err.contains("fuel") || err.contains("range"), "{err}");
    }
}
