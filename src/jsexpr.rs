//! Conditions for the browser. The homework form must show and hide questions as a client
//! answers, offline, without a script engine of mend's own. minijinja parses the condition
//! (its `unstable_machinery` parser; the version is pinned in Cargo.toml), and this module
//! writes the same expression as JavaScript over a small runtime (`templates/homework-runtime.js`)
//! that follows minijinja's rules for truth, ordering and `in`. Only a safe subset is
//! translated: names resolve to the answers only, literals are JSON, and anything else
//! (calls, filters other than `length`) is refused when the form is made.

use minijinja::machinery::ast::{BinOpKind, CompareOpKind, Expr, UnaryOpKind};
use minijinja::machinery::parse_expr;

/// The condition as a JavaScript expression over `A` (the answers) and `M` (the runtime).
pub fn to_js(source: &str) -> Result<String, String> {
    let expr = parse_expr(source).map_err(|e| e.to_string())?;
    emit(&expr)
}

fn emit(expr: &Expr) -> Result<String, String> {
    Ok(match expr {
        Expr::Var(v) => match v.id {
            "answers" => "A".to_string(),
            "value" => "V".to_string(),
            other => {
                return Err(format!(
                    "the name `{other}` cannot be used in the homework form"
                ));
            }
        },
        Expr::Const(c) => json(&c.value)?,
        Expr::GetAttr(g) => format!("M.get({}, {})", emit(&g.expr)?, json(&g.name)?),
        Expr::GetItem(g) => format!("M.get({}, {})", emit(&g.expr)?, emit(&g.subscript_expr)?),
        Expr::List(l) => list(&l.items)?,
        Expr::Tuple(t) => list(&t.items)?,
        Expr::UnaryOp(u) => match u.op {
            UnaryOpKind::Not => format!("!M.t({})", emit(&u.expr)?),
            UnaryOpKind::Neg => format!("M.neg({})", emit(&u.expr)?),
        },
        Expr::BinOp(b) => {
            let (l, r) = (emit(&b.left)?, emit(&b.right)?);
            match b.op {
                BinOpKind::ScAnd => format!("(M.t({l}) && M.t({r}))"),
                BinOpKind::ScOr => format!("(M.t({l}) || M.t({r}))"),
                BinOpKind::Eq => format!("M.cmp(\"eq\", {l}, {r})"),
                BinOpKind::Ne => format!("M.cmp(\"ne\", {l}, {r})"),
                BinOpKind::Lt => format!("M.cmp(\"lt\", {l}, {r})"),
                BinOpKind::Lte => format!("M.cmp(\"lte\", {l}, {r})"),
                BinOpKind::Gt => format!("M.cmp(\"gt\", {l}, {r})"),
                BinOpKind::Gte => format!("M.cmp(\"gte\", {l}, {r})"),
                BinOpKind::In => format!("M.isin({l}, {r})"),
                BinOpKind::Add => format!("M.arith(\"+\", {l}, {r})"),
                BinOpKind::Sub => format!("M.arith(\"-\", {l}, {r})"),
                BinOpKind::Mul => format!("M.arith(\"*\", {l}, {r})"),
                BinOpKind::Div => format!("M.arith(\"/\", {l}, {r})"),
                other => {
                    return Err(format!(
                        "the operator {other:?} cannot be used in the homework form"
                    ));
                }
            }
        }
        Expr::Compare(c) => {
            let mut parts = Vec::new();
            let mut left = emit(&c.expr)?;
            for op in &c.ops {
                let right = emit(&op.expr)?;
                parts.push(match op.op {
                    CompareOpKind::Eq => format!("M.cmp(\"eq\", {left}, {right})"),
                    CompareOpKind::Ne => format!("M.cmp(\"ne\", {left}, {right})"),
                    CompareOpKind::Lt => format!("M.cmp(\"lt\", {left}, {right})"),
                    CompareOpKind::Lte => format!("M.cmp(\"lte\", {left}, {right})"),
                    CompareOpKind::Gt => format!("M.cmp(\"gt\", {left}, {right})"),
                    CompareOpKind::Gte => format!("M.cmp(\"gte\", {left}, {right})"),
                    CompareOpKind::In => format!("M.isin({left}, {right})"),
                    CompareOpKind::NotIn => format!("!M.isin({left}, {right})"),
                });
                left = right;
            }
            format!("({})", parts.join(" && "))
        }
        Expr::IfExpr(i) => {
            let otherwise = match &i.false_expr {
                Some(e) => emit(e)?,
                None => "undefined".to_string(),
            };
            format!(
                "(M.t({}) ? {} : {otherwise})",
                emit(&i.test_expr)?,
                emit(&i.true_expr)?
            )
        }
        Expr::Test(t) if t.args.is_empty() && TESTS.contains(&t.name) => {
            format!("M.test({}, {})", json(&t.name)?, emit(&t.expr)?)
        }
        Expr::Filter(f) if f.name == "length" && f.args.is_empty() => match &f.expr {
            Some(e) => format!("M.len({})", emit(e)?),
            None => return Err("`length` needs a value".to_string()),
        },
        other => {
            return Err(format!(
                "a {} cannot be used in the homework form; use comparisons, `in`, `and`, `or`, `not`, `is defined`",
                other.description()
            ));
        }
    })
}

/// The tests the runtime knows.
const TESTS: &[&str] = &[
    "defined",
    "undefined",
    "none",
    "number",
    "string",
    "true",
    "false",
];

fn list(items: &[Expr]) -> Result<String, String> {
    let parts = items.iter().map(emit).collect::<Result<Vec<_>, _>>()?;
    Ok(format!("[{}]", parts.join(", ")))
}

/// JSON for a literal, with `<`, `>` and `&` escaped so it can never close a `<script>`.
pub fn json(value: &impl serde::Serialize) -> Result<String, String> {
    let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
    Ok(script_safe(&text))
}

/// Escapes what could end a script element or start an HTML comment inside JSON text.
pub fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_the_usual_conditions() {
        assert_eq!(
            to_js(r#"answers.role in ["broke", "both"]"#).unwrap(),
            r#"M.isin(M.get(A, "role"), ["broke", "both"])"#
        );
        assert_eq!(
            to_js(r#"answers.n > 2 and not answers.x == "yes""#).unwrap(),
            r#"(M.t(M.cmp("gt", M.get(A, "n"), 2)) && M.t(!M.t(M.cmp("eq", M.get(A, "x"), "yes"))))"#
        );
        assert_eq!(
            to_js("answers.notes is defined").unwrap(),
            r#"M.test("defined", M.get(A, "notes"))"#
        );
    }

    #[test]
    fn refuses_what_could_run_code() {
        for bad in [
            "range(10)",
            "answers.x.__class__()",
            "cycler",
            "answers | tojson",
            "self",
        ] {
            assert!(to_js(bad).is_err(), "{bad} was translated");
        }
    }

    #[test]
    fn literals_cannot_close_the_script() {
        let js = to_js(r#"answers.x == "</script><script>alert(1)""#).unwrap();
        assert!(!js.contains("</script>"), "{js}");
    }
}
