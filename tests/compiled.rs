//! Conditions are compiled into a tree that reads answers by position (`mend::compiled`),
//! which must decide exactly as minijinja does. A differential test: many generated answer
//! sets and raised flags, every condition of every built-in questionnaire and of two fixtures
//! of unusual shapes, decided by the tree (with minijinja where it does not apply) and by
//! minijinja alone, evaluated both with missing values low and high.

mod common;

use mend::Questionnaire;
use mend::answers::{AnswersFile, Responses};
use mend::expr::Condition;
use mend::scoring::{Facts, answer_value, score};
use minijinja::Value;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn questionnaires() -> Vec<Questionnaire> {
    ["readiness", "communication", "causes"]
        .into_iter()
        .map(String::from)
        .chain(["mini.yaml", "conditions.yaml", "rule-shapes.yaml"].map(fixture))
        .map(|name| Questionnaire::open(&name).unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect()
}

/// Random answers, about a third blank, checked against `q`.
fn random_responses(q: &Questionnaire, rng: &mut common::Lcg) -> Responses {
    let file = AnswersFile {
        questionnaire: q.file.id.clone(),
        version: q.file.version.clone(),
        respondent: String::new(),
        date: None,
        answers: common::random_answers(q, rng, 3),
        private: Vec::new(),
    };
    mend::answers::from_file(&file, q).unwrap_or_else(|p| panic!("{p:?}"))
}

/// What minijinja alone decides, always evaluating with missing values low and high.
fn by_minijinja(
    facts: &Facts,
    cond: &Condition,
    value: Option<&Value>,
) -> Result<mend::expr::Outcome, String> {
    cond.eval(&facts.context(false, value), &facts.context(true, value))
}

#[test]
fn compiled_conditions_decide_as_minijinja_does() {
    let mut rng = common::Lcg(7);
    let mut compared = 0usize;
    for q in questionnaires() {
        let flag_names: Vec<String> = q.library.flags.keys().cloned().collect();
        for round in 0..1500 {
            let responses = random_responses(&q, &mut rng);
            let scored = score(&q, &responses);
            let mut facts = Facts::new(&q, &responses, &scored);
            facts.flags = flag_names
                .iter()
                .filter(|_| rng.next(3) == 0)
                .cloned()
                .collect();
            let mut check = |cond: &Condition, value: Option<&Value>, what: &str| {
                let fast = facts.decide(cond, value);
                let slow = by_minijinja(&facts, cond, value);
                assert_eq!(
                    fast, slow,
                    "{} round {round}, {what}: `{}` with flags {:?}",
                    q.file.id, cond.source, facts.flags
                );
                compared += 1;
            };
            for (i, item) in q.items.iter().enumerate() {
                for cond in &item.show_if {
                    check(cond, None, &format!("show_if of {}", item.id));
                }
                if let Some((_, cond)) = &item.flag {
                    // The flag's `value`: the answer when there is one, else a random option.
                    let value = match responses.answered(item) {
                        Some(a) => answer_value(item, a),
                        None if item.options.is_empty() => Value::from(rng.next(12) as i64 - 1),
                        None => Value::from(
                            item.options[rng.next(item.options.len())].value.to_string(),
                        ),
                    };
                    check(cond, Some(&value), &format!("flag of item {i}"));
                }
            }
            for rule in &q.rules {
                check(&rule.when, None, &format!("rule {}", rule.def.id));
            }
        }
    }
    assert!(compared > 100_000, "only {compared} decisions compared");
}

#[test]
fn every_built_in_condition_is_compiled() {
    for q in questionnaires().into_iter().take(3) {
        let conditions = q
            .items
            .iter()
            .flat_map(|i| i.show_if.iter().chain(i.flag.as_ref().map(|f| &f.1)))
            .chain(q.rules.iter().map(|r| &r.when));
        for cond in conditions {
            assert!(cond.is_compiled(), "{}: `{}`", q.file.id, cond.source);
        }
    }
}

#[test]
fn what_the_tree_does_not_cover_is_left_to_minijinja() {
    let q = Questionnaire::open(&fixture("rule-shapes.yaml")).unwrap();
    let not_compiled: Vec<&str> = q
        .rules
        .iter()
        .filter(|r| !r.when.is_compiled())
        .map(|r| r.def.id.as_str())
        .collect();
    // Arithmetic and negation are not in the tree.
    assert_eq!(not_compiled, ["r10", "r28"]);
}
