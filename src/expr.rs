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

use crate::compiled::{self, Node, Resolve, Slots};

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
    /// The same condition over answers and scores by position, once linked to its
    /// questionnaire (see [`Condition::link`]); `None` leaves it to minijinja.
    fast: Option<Node>,
    /// What a missing value of could change the result, by position.
    deps: Vec<Dep>,
}

/// A value a condition reads that may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dep {
    Answer(usize),
    Scale(usize),
    /// All answers or all scales at once: anything could be missing.
    Any,
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

impl Outcome {
    /// Agreement of the low and the high evaluation decides.
    fn of(low: bool, high: bool) -> Outcome {
        match (low, high) {
            (true, true) => Outcome::True,
            (false, false) => Outcome::False,
            _ => Outcome::Unknown,
        }
    }
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
            fast: None,
            deps: Vec::new(),
        })
    }

    /// Resolves the names to positions in their questionnaire, so that [`Condition::decide`]
    /// can run without minijinja. Only numbers can be missing-but-ordered, so only numeric
    /// items (`numeric`) and scales count as dependencies.
    pub fn link(&mut self, names: &dyn Resolve, numeric: &dyn Fn(usize) -> bool) {
        self.fast = compiled::compile(&self.source, names);
        self.deps = self
            .names
            .iter()
            .filter_map(|(head, name)| match (head.as_str(), name) {
                ("answers", Some(id)) => names.item(id).filter(|&i| numeric(i)).map(Dep::Answer),
                ("scales", Some(id)) => names.scale(id).map(Dep::Scale),
                ("answers" | "scales", None) => Some(Dep::Any),
                _ => None,
            })
            .collect();
    }

    /// The items whose answers the compiled tree reads as values.
    pub fn values_read(&self, out: &mut Vec<usize>) {
        if let Some(node) = &self.fast {
            node.values_read(out);
        }
    }

    /// Whether the compiled tree covers this condition (for tests and benchmarks).
    pub fn is_compiled(&self) -> bool {
        self.fast.is_some()
    }

    /// Whether a value this condition reads is missing, so that the result could depend on it.
    pub fn may_depend_on_missing(
        &self,
        answered: &dyn Fn(usize) -> bool,
        scored: &dyn Fn(usize) -> bool,
    ) -> bool {
        self.deps.iter().any(|d| match *d {
            Dep::Answer(i) => !answered(i),
            Dep::Scale(i) => !scored(i),
            Dep::Any => true,
        })
    }

    /// Evaluates over `slots` with the compiled tree, low and (if `may_differ`) high; where
    /// the tree does not apply, minijinja decides over the contexts `full` builds.
    pub fn decide<S: Slots + ?Sized>(
        &self,
        slots: &S,
        may_differ: bool,
        full: &dyn Fn(bool) -> Value,
    ) -> Result<Outcome, String> {
        if let Some(node) = &self.fast
            && let Ok(low) = node.truth(slots, false)
        {
            if !may_differ {
                return Ok(Outcome::of(low, low));
            }
            if let Ok(high) = node.truth(slots, true) {
                return Ok(Outcome::of(low, high));
            }
        }
        self.eval_if(&full(false), &full(true), may_differ)
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
        Ok(Outcome::of(a, self.truth(high)?))
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
