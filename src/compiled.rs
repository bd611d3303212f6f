//! Conditions compiled once into a small tree that reads a person's answers and scores by
//! position. Batch scoring evaluates every condition for every row; running them through
//! minijinja's VM needs a context of maps built per row, which cost far more than the
//! conditions themselves.
//!
//! The tree covers the usual shapes (names, literals, comparisons, `in`, `and`/`or`/`not`,
//! `if`/`else`, tests such as `is defined`, `| length`) and computes with minijinja's own
//! `Value` and its ordering, so results are the same as the VM's. Anything else is not
//! compiled, and an evaluation that would fail returns `Err`: in both cases the caller asks
//! minijinja (see `expr::Condition::decide`), so the tree only ever makes things faster.

use minijinja::Value;
use minijinja::machinery::ast::{BinOpKind, CompareOpKind, Expr, UnaryOpKind};
use minijinja::machinery::parse_expr;
use minijinja::value::ValueKind;

/// What conditions read, by position: resolved once, when the questionnaire is loaded.
pub trait Slots {
    /// An item's answer as conditions see it; undefined when missing, except that a missing
    /// number is `expr::HIGH` in the high view.
    fn answer(&self, item: usize, high: bool) -> Value;
    /// A scale's field; `None` where scales cannot be read (then minijinja decides).
    fn scale(&self, scale: usize, field: ScaleField, high: bool) -> Option<Value>;
    /// The flags raised so far.
    fn flags(&self) -> &[String];
    /// The answer an item flag's condition is about (`value`).
    fn value(&self) -> Value;
    /// A choice item's answer as the option chosen (see [`Resolve::options`]).
    fn choice(&self, item: usize, high: bool) -> Choice;
    /// A scale's band; `None` when it has none, or scales cannot be read here.
    fn band(&self, scale: usize) -> Option<Option<usize>>;
}

/// What a choice item's answer can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Option(usize),
    /// Unanswered (or not shown): undefined.
    Missing,
    /// Unanswered, in the high view of an item whose options are numbers (`expr::HIGH`).
    High,
}

/// The fields of `scales.<id>` that conditions can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaleField {
    Score,
    Band,
    Label,
    Answered,
    Items,
    Min,
    Max,
    /// Any other name: undefined.
    Other,
}

impl ScaleField {
    fn of(name: &str) -> ScaleField {
        match name {
            "score" => ScaleField::Score,
            "band" => ScaleField::Band,
            "label" => ScaleField::Label,
            "answered" => ScaleField::Answered,
            "items" => ScaleField::Items,
            "min" => ScaleField::Min,
            "max" => ScaleField::Max,
            _ => ScaleField::Other,
        }
    }
}

/// How names resolve: an item's position, a scale's position.
pub trait Resolve {
    fn item(&self, id: &str) -> Option<usize>;
    fn scale(&self, id: &str) -> Option<usize>;
    /// A choice item's option values as conditions see them, and whether a missing answer
    /// is `HIGH` in the high view; `None` for other items.
    fn options(&self, item: usize) -> Option<(&[Value], bool)>;
    /// A scale's bands as (id, label).
    fn bands(&self, scale: usize) -> Vec<(Value, Value)>;
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
    In,
    NotIn,
}

impl Cmp {
    fn of(op: &CompareOpKind) -> Cmp {
        match op {
            CompareOpKind::Eq => Cmp::Eq,
            CompareOpKind::Ne => Cmp::Ne,
            CompareOpKind::Lt => Cmp::Lt,
            CompareOpKind::Lte => Cmp::Lte,
            CompareOpKind::Gt => Cmp::Gt,
            CompareOpKind::Gte => Cmp::Gte,
            CompareOpKind::In => Cmp::In,
            CompareOpKind::NotIn => Cmp::NotIn,
        }
    }
}

/// A test without arguments (`x is defined`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    Defined,
    Undefined,
    None,
    Number,
    String,
    True,
    False,
}

/// A compiled condition.
#[derive(Debug)]
pub enum Node {
    Const(Value),
    /// A list of literals, kept as a vector for `in`; as a value, the list (`None` for a
    /// tuple: minijinja decides).
    List(Vec<Value>, Option<Value>),
    Answer(usize),
    Scale(usize, ScaleField),
    Flags,
    ItemValue,
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    /// `a < b < c`: each comparison in turn, false at the first that fails.
    Compare(Box<Node>, Vec<(Cmp, Node)>),
    If(Box<Node>, Box<Node>, Option<Box<Node>>),
    Test(Test, Box<Node>),
    Length(Box<Node>),
    /// A part that reads one answer or band of a few possible values, worked out for each
    /// of them when compiled (`None` where the tree gives up).
    Table(Slot, Box<Table>),
}

/// The one thing a [`Node::Table`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Choice(usize),
    Band(usize),
}

/// A part's value for each state of its slot.
#[derive(Debug)]
pub struct Table {
    /// For each option (or band).
    each: Vec<Option<Value>>,
    missing: Option<Value>,
    high: Option<Value>,
}

/// Compiles `source`, or `None` when it uses something the tree does not cover.
pub fn compile(source: &str, names: &dyn Resolve) -> Option<Node> {
    let expr = parse_expr(source).ok()?;
    Some(tabulate(node(&expr, names)?, names))
}

/// What a part of a condition reads.
enum Reads {
    Nothing,
    One(Slot),
    /// Several things, or one with too many values to list.
    Many,
}

impl Reads {
    fn and(self, other: Reads) -> Reads {
        match (self, other) {
            (Reads::Nothing, r) | (r, Reads::Nothing) => r,
            (Reads::One(a), Reads::One(b)) if a == b => Reads::One(a),
            _ => Reads::Many,
        }
    }
}

impl Node {
    fn children(&self) -> Vec<&Node> {
        match self {
            Node::Not(a) | Node::Test(_, a) | Node::Length(a) => vec![a],
            Node::And(a, b) | Node::Or(a, b) => vec![a, b],
            Node::Compare(first, ops) => std::iter::once(&**first)
                .chain(ops.iter().map(|(_, n)| n))
                .collect(),
            Node::If(a, b, c) => [Some(&**a), Some(&**b), c.as_deref()]
                .into_iter()
                .flatten()
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The items whose answers this reads as values (not through a table).
    pub fn values_read(&self, out: &mut Vec<usize>) {
        match self {
            Node::Answer(i) => out.push(*i),
            other => other
                .children()
                .into_iter()
                .for_each(|c| c.values_read(out)),
        }
    }

    fn reads(&self, names: &dyn Resolve) -> Reads {
        match self {
            Node::Const(_) | Node::List(..) => Reads::Nothing,
            Node::Answer(i) if names.options(*i).is_some() => Reads::One(Slot::Choice(*i)),
            Node::Scale(i, ScaleField::Band | ScaleField::Label) => Reads::One(Slot::Band(*i)),
            Node::Answer(_) | Node::Scale(..) | Node::Flags | Node::ItemValue => Reads::Many,
            Node::Table(..) => Reads::Many,
            other => other
                .children()
                .into_iter()
                .fold(Reads::Nothing, |acc, c| acc.and(c.reads(names))),
        }
    }
}

/// Replaces each largest part that reads a single choice answer or band by its table.
fn tabulate(node: Node, names: &dyn Resolve) -> Node {
    if let Reads::One(slot) = node.reads(names) {
        return Node::Table(slot, Box::new(Table::of(&node, slot, names)));
    }
    let t = |n: Box<Node>| Box::new(tabulate(*n, names));
    match node {
        Node::Not(a) => Node::Not(t(a)),
        Node::Test(k, a) => Node::Test(k, t(a)),
        Node::Length(a) => Node::Length(t(a)),
        Node::And(a, b) => Node::And(t(a), t(b)),
        Node::Or(a, b) => Node::Or(t(a), t(b)),
        Node::Compare(first, ops) => Node::Compare(
            t(first),
            ops.into_iter()
                .map(|(op, n)| (op, tabulate(n, names)))
                .collect(),
        ),
        Node::If(a, b, c) => Node::If(t(a), t(b), c.map(t)),
        other => other,
    }
}

/// Slots that hold one state of one slot, for working out a table.
struct Fixed<'a> {
    state: Choice,
    options: &'a [Value],
    bands: &'a [(Value, Value)],
}

impl Slots for Fixed<'_> {
    fn answer(&self, _: usize, _: bool) -> Value {
        match self.state {
            Choice::Option(k) => self.options[k].clone(),
            Choice::Missing => Value::UNDEFINED,
            Choice::High => Value::from(crate::expr::HIGH),
        }
    }
    fn scale(&self, _: usize, field: ScaleField, _: bool) -> Option<Value> {
        Some(match (self.state, field) {
            (Choice::Option(b), ScaleField::Band) => self.bands[b].0.clone(),
            (Choice::Option(b), ScaleField::Label) => self.bands[b].1.clone(),
            _ => Value::UNDEFINED,
        })
    }
    fn flags(&self) -> &[String] {
        &[]
    }
    fn value(&self) -> Value {
        Value::UNDEFINED
    }
    fn choice(&self, _: usize, _: bool) -> Choice {
        self.state
    }
    fn band(&self, _: usize) -> Option<Option<usize>> {
        Some(match self.state {
            Choice::Option(b) => Some(b),
            _ => None,
        })
    }
}

impl Table {
    fn of(node: &Node, slot: Slot, names: &dyn Resolve) -> Table {
        let (options, high, bands) = match slot {
            Slot::Choice(i) => {
                let (options, high) = names.options(i).unwrap_or((&[], false));
                (options.to_vec(), high, Vec::new())
            }
            Slot::Band(i) => (Vec::new(), false, names.bands(i)),
        };
        let count = options.len().max(bands.len());
        let at = |state: Choice| {
            let fixed = Fixed {
                state,
                options: &options,
                bands: &bands,
            };
            node.eval(&fixed, state == Choice::High).ok()
        };
        Table {
            each: (0..count).map(|k| at(Choice::Option(k))).collect(),
            missing: at(Choice::Missing),
            high: if high {
                at(Choice::High)
            } else {
                at(Choice::Missing)
            },
        }
    }

    fn get(&self, state: Choice) -> Result<Value, GaveUp> {
        let v = match state {
            Choice::Option(k) => self.each.get(k).and_then(Option::as_ref),
            Choice::Missing => self.missing.as_ref(),
            Choice::High => self.high.as_ref(),
        };
        v.cloned().ok_or(GaveUp)
    }
}

fn node(expr: &Expr, names: &dyn Resolve) -> Option<Node> {
    Some(match expr {
        Expr::Const(c) => Node::Const(c.value.clone()),
        Expr::Var(_) | Expr::GetAttr(_) | Expr::GetItem(_) => name(&path(expr)?, names)?,
        Expr::List(l) => consts(&l.items, false)?,
        Expr::Tuple(t) => consts(&t.items, true)?,
        Expr::UnaryOp(u) if matches!(u.op, UnaryOpKind::Neg) => match &u.expr {
            // `-2`: negated as minijinja negates, once.
            Expr::Const(c) => Node::Const(negate(&c.value)?),
            _ => return None,
        },
        Expr::UnaryOp(u) if matches!(u.op, UnaryOpKind::Not) => {
            Node::Not(Box::new(node(&u.expr, names)?))
        }
        Expr::BinOp(b) => {
            let (l, r) = (node(&b.left, names)?, node(&b.right, names)?);
            let cmp = match b.op {
                BinOpKind::ScAnd => return Some(Node::And(Box::new(l), Box::new(r))),
                BinOpKind::ScOr => return Some(Node::Or(Box::new(l), Box::new(r))),
                BinOpKind::Eq => Cmp::Eq,
                BinOpKind::Ne => Cmp::Ne,
                BinOpKind::Lt => Cmp::Lt,
                BinOpKind::Lte => Cmp::Lte,
                BinOpKind::Gt => Cmp::Gt,
                BinOpKind::Gte => Cmp::Gte,
                BinOpKind::In => Cmp::In,
                _ => return None,
            };
            Node::Compare(Box::new(l), vec![(cmp, r)])
        }
        Expr::Compare(c) => Node::Compare(
            Box::new(node(&c.expr, names)?),
            c.ops
                .iter()
                .map(|op| Some((Cmp::of(&op.op), node(&op.expr, names)?)))
                .collect::<Option<Vec<_>>>()?,
        ),
        Expr::IfExpr(i) => Node::If(
            Box::new(node(&i.test_expr, names)?),
            Box::new(node(&i.true_expr, names)?),
            match &i.false_expr {
                Some(e) => Some(Box::new(node(e, names)?)),
                None => None,
            },
        ),
        Expr::Test(t) if t.args.is_empty() => {
            let test = match t.name {
                "defined" => Test::Defined,
                "undefined" => Test::Undefined,
                "none" => Test::None,
                "number" => Test::Number,
                "string" => Test::String,
                "true" => Test::True,
                "false" => Test::False,
                _ => return None,
            };
            Node::Test(test, Box::new(node(&t.expr, names)?))
        }
        Expr::Filter(f) if f.name == "length" && f.args.is_empty() => {
            Node::Length(Box::new(node(f.expr.as_ref()?, names)?))
        }
        _ => return None,
    })
}

/// A list (or tuple) of literals; a tuple is kept for `in` only (as a value it is left to
/// minijinja, whose tuples differ from lists in comparisons).
fn consts(items: &[Expr], tuple: bool) -> Option<Node> {
    let values = items
        .iter()
        .map(|e| match e {
            Expr::Const(c) => Some(c.value.clone()),
            _ => None,
        })
        .collect::<Option<Vec<Value>>>()?;
    let list = (!tuple).then(|| Value::from(values.clone()));
    Some(Node::List(values, list))
}

/// `-value` by minijinja itself.
fn negate(value: &Value) -> Option<Value> {
    let env = minijinja::Environment::new();
    let expr = env.compile_expression("-x").ok()?;
    expr.eval(minijinja::context! { x => value.clone() }).ok()
}

/// `answers.x`, `answers["x"]`, `scales.x.score` as their parts.
fn path<'a>(expr: &'a Expr<'a>) -> Option<Vec<&'a str>> {
    match expr {
        Expr::Var(v) => Some(vec![v.id]),
        Expr::GetAttr(g) => {
            let mut p = path(&g.expr)?;
            p.push(g.name);
            Some(p)
        }
        Expr::GetItem(g) => {
            let Expr::Const(c) = &g.subscript_expr else {
                return None;
            };
            let mut p = path(&g.expr)?;
            p.push(c.value.as_str()?);
            Some(p)
        }
        _ => None,
    }
}

fn name(parts: &[&str], names: &dyn Resolve) -> Option<Node> {
    Some(match parts {
        ["answers", id] => match names.item(id) {
            Some(i) => Node::Answer(i),
            // The answers have no such key: undefined, as in minijinja.
            None => Node::Const(Value::UNDEFINED),
        },
        ["scales", id, field] => Node::Scale(names.scale(id)?, ScaleField::of(field)),
        ["flags"] => Node::Flags,
        ["value"] => Node::ItemValue,
        _ => return None,
    })
}

/// Why the tree gave up; minijinja then decides, and words any error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GaveUp;

impl Node {
    /// Whether the condition holds, with missing numbers low or `high`.
    pub fn truth<S: Slots + ?Sized>(&self, s: &S, high: bool) -> Result<bool, GaveUp> {
        Ok(self.eval(s, high)?.is_true())
    }

    fn eval<S: Slots + ?Sized>(&self, s: &S, high: bool) -> Result<Value, GaveUp> {
        Ok(match self {
            Node::Const(v) => v.clone(),
            Node::List(_, v) => v.clone().ok_or(GaveUp)?,
            Node::Answer(i) => s.answer(*i, high),
            Node::Scale(i, f) => s.scale(*i, *f, high).ok_or(GaveUp)?,
            Node::Flags => Value::from(s.flags().to_vec()),
            Node::ItemValue => s.value(),
            Node::Not(e) => Value::from(!e.eval(s, high)?.is_true()),
            Node::And(l, r) => {
                let left = l.eval(s, high)?;
                if left.is_true() {
                    r.eval(s, high)?
                } else {
                    left
                }
            }
            Node::Or(l, r) => {
                let left = l.eval(s, high)?;
                if left.is_true() {
                    left
                } else {
                    r.eval(s, high)?
                }
            }
            Node::Compare(first, ops) => {
                let mut left = first.eval(s, high)?;
                for (op, right) in ops {
                    let holds = match op {
                        Cmp::In | Cmp::NotIn if ops.len() == 1 => {
                            right.contains(&left, s, high)? == (*op == Cmp::In)
                        }
                        _ => {
                            let r = right.eval(s, high)?;
                            let holds = compare(*op, &left, &r)?;
                            left = r;
                            holds
                        }
                    };
                    if !holds {
                        return Ok(Value::from(false));
                    }
                }
                Value::from(true)
            }
            Node::If(test, yes, no) => {
                if test.eval(s, high)?.is_true() {
                    yes.eval(s, high)?
                } else {
                    match no {
                        Some(no) => no.eval(s, high)?,
                        None => Value::UNDEFINED,
                    }
                }
            }
            Node::Test(t, e) => {
                let v = e.eval(s, high)?;
                Value::from(match t {
                    Test::Defined => !v.is_undefined(),
                    Test::Undefined => v.is_undefined(),
                    Test::None => v.is_none(),
                    Test::Number => matches!(v.kind(), ValueKind::Number | ValueKind::Bool),
                    Test::String => v.kind() == ValueKind::String,
                    Test::True => minijinja::tests::is_true(&v),
                    Test::False => minijinja::tests::is_false(&v),
                })
            }
            Node::Table(slot, table) => table.get(match *slot {
                Slot::Choice(i) => s.choice(i, high),
                Slot::Band(i) => match s.band(i).ok_or(GaveUp)? {
                    Some(b) => Choice::Option(b),
                    None => Choice::Missing,
                },
            })?,
            Node::Length(e) => {
                let v = e.eval(s, high)?;
                if v.is_undefined() {
                    Value::from(0usize)
                } else {
                    Value::from(v.len().ok_or(GaveUp)?)
                }
            }
        })
    }

    /// `needle in self`, as minijinja decides it, without building lists that are known.
    fn contains<S: Slots + ?Sized>(
        &self,
        needle: &Value,
        s: &S,
        high: bool,
    ) -> Result<bool, GaveUp> {
        match self {
            Node::List(items, _) => Ok(items.iter().any(|v| v == needle)),
            // Flags are texts: nothing but a text can equal one.
            Node::Flags => Ok(needle
                .as_str()
                .is_some_and(|n| s.flags().iter().any(|f| f == n))),
            other => contains(&other.eval(s, high)?, needle),
        }
    }
}

fn compare(op: Cmp, a: &Value, b: &Value) -> Result<bool, GaveUp> {
    Ok(match op {
        Cmp::Eq => a == b,
        Cmp::Ne => a != b,
        Cmp::Lt => a < b,
        Cmp::Lte => a <= b,
        Cmp::Gt => a > b,
        Cmp::Gte => a >= b,
        Cmp::In => contains(b, a)?,
        Cmp::NotIn => !contains(b, a)?,
    })
}

/// minijinja's `in`: nothing is in an undefined value, a text holds texts, a list its items.
fn contains(container: &Value, needle: &Value) -> Result<bool, GaveUp> {
    if container.is_undefined() {
        return Ok(false);
    }
    if let Some(text) = container.as_str() {
        return Ok(match needle.as_str() {
            Some(n) => text.contains(n),
            None => text.contains(&needle.to_string()),
        });
    }
    match container.kind() {
        ValueKind::Seq | ValueKind::Iterable => Ok(container
            .try_iter()
            .map_err(|_| GaveUp)?
            .any(|v| v == *needle)),
        _ => Err(GaveUp),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two items (`n`, a number; `c`, a checklist) and one scale.
    struct Row {
        n: Option<i64>,
        c: Vec<&'static str>,
        score: Option<f64>,
        flags: Vec<String>,
    }

    impl Slots for Row {
        fn answer(&self, item: usize, high: bool) -> Value {
            match (item, self.n) {
                (0, Some(n)) => Value::from(n),
                (0, None) if high => Value::from(crate::expr::HIGH),
                (1, _) if !self.c.is_empty() => Value::from(self.c.clone()),
                _ => Value::UNDEFINED,
            }
        }
        fn scale(&self, _: usize, field: ScaleField, high: bool) -> Option<Value> {
            Some(match (field, self.score) {
                (ScaleField::Score, Some(s)) => Value::from(s),
                (ScaleField::Score, None) if high => Value::from(crate::expr::HIGH),
                _ => Value::UNDEFINED,
            })
        }
        fn flags(&self) -> &[String] {
            &self.flags
        }
        fn value(&self) -> Value {
            Value::UNDEFINED
        }
        fn choice(&self, _: usize, _: bool) -> Choice {
            Choice::Missing
        }
        fn band(&self, _: usize) -> Option<Option<usize>> {
            Some(None)
        }
    }

    struct Names;

    impl Resolve for Names {
        fn item(&self, id: &str) -> Option<usize> {
            ["n", "c"].iter().position(|n| *n == id)
        }
        fn scale(&self, id: &str) -> Option<usize> {
            (id == "s").then_some(0)
        }
        fn options(&self, _: usize) -> Option<(&[Value], bool)> {
            None
        }
        fn bands(&self, _: usize) -> Vec<(Value, Value)> {
            Vec::new()
        }
    }

    fn truth(src: &str, row: &Row, high: bool) -> Result<bool, GaveUp> {
        compile(src, &Names)
            .unwrap_or_else(|| panic!("`{src}` was not compiled"))
            .truth(row, high)
    }

    #[test]
    fn the_usual_conditions_are_decided_by_the_tree() {
        let row = Row {
            n: Some(3),
            c: vec!["x", "y"],
            score: Some(2.5),
            flags: vec!["safety".into()],
        };
        for (src, expected) in [
            ("answers.n > 2", true),
            ("1 < answers.n < 3", false),
            ("\"y\" in answers.c and \"z\" not in answers.c", true),
            ("answers.c | length == 2", true),
            ("answers.n in [1, 2, 3]", true),
            ("answers[\"n\"] == 3 or answers.nope", true),
            ("scales.s.score >= 2.5 and \"safety\" in flags", true),
            ("(answers.n if answers.n is number else 0) > -1", true),
            ("answers.nope is defined", false),
        ] {
            assert_eq!(truth(src, &row, false), Ok(expected), "{src}");
        }
    }

    #[test]
    fn a_missing_number_is_low_then_high() {
        let row = Row {
            n: None,
            c: Vec::new(),
            score: None,
            flags: Vec::new(),
        };
        assert_eq!(truth("answers.n < 2", &row, false), Ok(true));
        assert_eq!(truth("answers.n < 2", &row, true), Ok(false));
        assert_eq!(truth("scales.s.score > 2", &row, true), Ok(true));
        assert_eq!(truth("\"x\" in answers.c", &row, false), Ok(false));
    }

    #[test]
    fn what_would_fail_is_given_up() {
        let row = Row {
            n: Some(3),
            c: Vec::new(),
            score: None,
            flags: Vec::new(),
        };
        // minijinja cannot look for something in a number: it words that error itself.
        assert_eq!(truth("1 in answers.n", &row, false), Err(GaveUp));
        assert!(compile("answers.n + 1 > 2", &Names).is_none());
        assert!(compile("range(3) | list", &Names).is_none());
        assert!(compile("scales.unknown.score > 1", &Names).is_none());
    }
}
