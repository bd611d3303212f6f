//! Checking questionnaires: every problem is found, located, and says how to fix it.

use std::path::Path;

use mend::Questionnaire;
use mend::error::{Problem, Severity};

const BASE: &str = r#"id: t
version: 1
title: T
sections:
  - id: s
    title: S
    items:
      - id: first
        text: First
        options: [{ value: 1, label: One }, { value: 2, label: Two }]
      - id: second
        text: Second
        options: [{ value: 1, label: One }, { value: 2, label: Two }]
scales:
  - id: both
    title: Both
    items: [first, second]
    higher_is: better
    bands:
      - { id: low, label: Low }
      - { id: high, from: 1.5, label: High }
rules:
  - id: r
    when: scales.both.band == "low"
    recommend: [active_listening]
"#;

fn problems(text: &str) -> Vec<Problem> {
    match Questionnaire::parse(Path::new("t.yaml"), text) {
        Ok(q) => q.warnings,
        Err(p) => p.problems,
    }
}

fn errors(text: &str) -> Vec<String> {
    problems(text)
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| match p.location {
            Some(l) => format!("{}:{}: {}", l.line, l.column, p.message),
            None => p.message,
        })
        .collect()
}

#[test]
fn the_base_fixture_is_valid() {
    assert_eq!(errors(BASE), Vec::<String>::new());
}

#[test]
fn unknown_keys_are_located_with_the_nearest_key_suggested() {
    let e = errors(&BASE.replace("        text: First", "        txt: First"));
    assert_eq!(e.len(), 1);
    assert!(
        e[0].starts_with("9:9: sections[0].items[0]: unknown field `txt`"),
        "{}",
        e[0]
    );
    assert!(e[0].ends_with("(did you mean `text`?)"), "{}", e[0]);
}

#[test]
fn unknown_items_in_scales_name_the_scale_and_suggest() {
    let e = errors(&BASE.replace("items: [first, second]", "items: [first, secnd]"));
    assert_eq!(
        e,
        vec!["15:5: scale `both` names the unknown item `secnd` (did you mean `second`?)"]
    );
}

#[test]
fn conditions_that_do_not_compile_are_reported_with_the_rule() {
    let e = errors(&BASE.replace(
        r#"when: scales.both.band == "low""#,
        "when: scales.both.band ==",
    ));
    assert_eq!(e.len(), 1);
    assert!(
        e[0].starts_with("23:5: rule `r`: `when` does not compile: syntax error"),
        "{}",
        e[0]
    );
}

#[test]
fn conditions_may_not_name_unknown_or_later_things() {
    let text = BASE
        .replace(
            "        text: First\n",
            "        text: First\n        show_if: answers.second == 1\n",
        )
        .replace(
            r#"when: scales.both.band == "low""#,
            r#"when: scales.bth.band == "low" and answer.first == 1"#,
        );
    let e = errors(&text);
    assert_eq!(e.len(), 3, "{e:#?}");
    assert!(
        e[0].contains("item `first`: `show_if`")
            && e[0].contains("may only name questions that come before it"),
        "{}",
        e[0]
    );
    assert!(
        e.iter()
            .any(|m| m.contains("`scales.bth` is not a scale (did you mean `both`?)")),
        "{e:#?}"
    );
    assert!(
        e.iter()
            .any(|m| m.contains("unknown name `answer` (did you mean `answers`?)")),
        "{e:#?}"
    );
}

#[test]
fn bands_with_gaps_overlaps_or_no_start_are_refused() {
    let gap = errors(&BASE.replace(
        "{ id: low, label: Low }",
        "{ id: low, from: 1.2, label: Low }",
    ));
    assert!(
        gap[0]
            .contains("the first band `low` starts at 1.2, so scores from 1 up to it have no band"),
        "{gap:?}"
    );
    let overlap = BASE.replace(
        "      - { id: high, from: 1.5, label: High }\n",
        "      - { id: high, from: 1.5, label: High }\n      - { id: top, from: 1.5, label: Top }\n",
    );
    assert!(errors(&overlap)[0].contains("band `top` starts at 1.5, not above the band before it"));
    let no_from = errors(&BASE.replace(
        "{ id: high, from: 1.5, label: High }",
        "{ id: high, label: High }",
    ));
    assert!(
        no_from[0].contains("band `high` needs `from:`"),
        "{no_from:?}"
    );
    let unreachable = problems(&BASE.replace("from: 1.5", "from: 9"));
    assert!(
        unreachable
            .iter()
            .any(|p| p.severity == Severity::Warning && p.message.contains("no one can reach it"))
    );
}

#[test]
fn duplicate_ids_and_unknown_strategies_are_errors() {
    let text = BASE
        .replace("      - id: second\n", "      - id: first\n")
        .replace(
            "recommend: [active_listening]",
            "recommend: [active_listening, activ_listening2]",
        );
    let e = errors(&text);
    assert!(
        e.iter().any(|m| m.contains("item `first` appears twice")),
        "{e:#?}"
    );
    assert!(
        e.iter()
            .any(|m| m.contains("unknown strategy `activ_listening2`")),
        "{e:#?}"
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let text = BASE
        .replace("items: [first, second]", "items: [first, nope]")
        .replace("recommend: [active_listening]", "recommend: [nothing_here]")
        .replace(
            "{ id: high, from: 1.5, label: High }",
            "{ id: High, label: High }",
        );
    assert!(errors(&text).len() >= 4, "{:#?}", errors(&text));
}

#[test]
fn unused_items_are_a_warning_not_an_error() {
    let text = BASE.replace("items: [first, second]", "items: [first]");
    let all = problems(&text);
    assert!(errors(&text).is_empty());
    assert!(all.iter().any(|p| {
        p.severity == Severity::Warning
            && p.message
                .contains("item `second` is in no scale and no rule")
    }));
}

#[test]
fn syntax_errors_and_wrong_types_are_located() {
    let e = errors(&BASE.replace("title: T\n", "title: T\n  oops: [\n"));
    assert!(
        e[0].starts_with("4:7: mapping values are not allowed")
            && e[0].contains("YAML syntax problem"),
        "{e:?}"
    );
    let e = errors(&BASE.replace("    higher_is: better", "    higher_is: up"));
    assert!(
        e[0].starts_with("18:16:")
            && e[0].contains("unknown variant `up`, expected `better` or `worse`"),
        "{e:?}"
    );
}

#[test]
fn items_that_cannot_be_scored_cannot_join_a_scale() {
    let text = BASE.replace(
        "        options: [{ value: 1, label: One }, { value: 2, label: Two }]\n      - id: second",
        "        options: [{ value: a, label: One }, { value: b, label: Two }]\n      - id: second",
    );
    let e = errors(&text);
    assert!(
        e.iter()
            .any(|m| m.contains("cannot score item `first`") && m.contains("add `score:`")),
        "{e:#?}"
    );
}

#[test]
fn a_condition_naming_itself_or_a_later_question_says_so() {
    let text = BASE.replace(
        "        text: First\n",
        "        text: First\n        show_if: answers.second == 1\n",
    );
    let e = errors(&text);
    assert!(
        e[0].contains("`answers.second` is this question or a later one"),
        "{e:?}"
    );
}

#[test]
fn comparing_with_a_text_nothing_can_be_is_a_warning() {
    let misspelt = problems(&BASE.replace(r#"band == "low""#, r#"band in ["low", "middle"]"#));
    assert!(
        misspelt.iter().any(|p| p.severity == Severity::Warning
            && p.message.contains("compares with \"middle\"")
            && p.message.contains("low, high")),
        "{misspelt:#?}"
    );
    let quoted_number =
        problems(&BASE.replace(r#"scales.both.band == "low""#, r#"answers.first >= "1""#));
    assert!(
        quoted_number
            .iter()
            .any(|p| p.message.contains("compares with \"1\"")),
        "{quoted_number:#?}"
    );
    // A free-text item can hold any text, so nothing is said.
    assert!(problems(BASE).is_empty());
}
