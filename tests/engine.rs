//! The engine through its library API: scoring, missing answers, bands, rules, flags and
//! recommendations, on the small fixture questionnaire `tests/fixtures/mini.yaml`.

use std::path::Path;

use mend::Questionnaire;
use mend::answers;
use mend::report::Report;

fn mini() -> Questionnaire {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini.yaml");
    Questionnaire::open(path.to_str().unwrap()).unwrap_or_else(|e| panic!("{e}"))
}

fn run(answers_yaml: &str) -> Report {
    let q = mini();
    let text = format!(
        "questionnaire: mini\nversion: \"2.0\"\nrespondent: Test\nanswers:\n{answers_yaml}"
    );
    let responses = answers::parse(&text, &q).unwrap_or_else(|p| panic!("{p:?}"));
    mend::assess(&q, &responses, "2026-01-01").unwrap_or_else(|p| panic!("{p:?}"))
}

fn score(r: &Report, scale: &str) -> Option<f64> {
    r.scales.iter().find(|s| s.id == scale).unwrap().score
}

fn band(r: &Report, scale: &str) -> Option<String> {
    r.scales
        .iter()
        .find(|s| s.id == scale)
        .unwrap()
        .band
        .as_ref()
        .map(|b| b.id.clone())
}

fn strategy_ids(r: &Report) -> Vec<&str> {
    r.strategies.iter().map(|s| s.id.as_str()).collect()
}

#[test]
fn reverse_keying_uses_the_items_own_range() {
    // b on 1..5 reversed: 1 -> 5. f on 0..3 reversed: 0 -> 3.
    let r = run("  role: hurt\n  a: 5\n  b: 1\n  f: never\n  d: 3\n");
    assert_eq!(score(&r, "mean_ab"), Some(5.0));
    // mixed = mean(a=5, f reversed=3, d=3) = 11/3
    assert_eq!(score(&r, "mixed"), Some(3.67));
}

#[test]
fn scales_mix_items_with_different_ranges_and_compute_their_range() {
    let r = run("  role: hurt\n  a: 1\n  f: always\n  d: 0\n");
    let mixed = r.scales.iter().find(|s| s.id == "mixed").unwrap();
    assert_eq!(
        (mixed.min, mixed.max),
        (0.33, 6.0),
        "mean of mins (1,0,0) and maxes (5,3,10)"
    );
    assert_eq!(mixed.score, Some(0.33));
}

#[test]
fn weighted_sums_multiply_by_weight() {
    // a=4 (weight 1) + c=often (2, weight 2) = 8
    let r = run("  role: hurt\n  a: 4\n  c: often\n");
    assert_eq!(score(&r, "weighted"), Some(8.0));
    let w = r.scales.iter().find(|s| s.id == "weighted").unwrap();
    assert_eq!((w.min, w.max), (1.0, 11.0));
}

#[test]
fn sums_are_prorated_to_all_items() {
    // a = 4 and b = 2 (reversed 4) answered, c (0-3) blank. The answered sum 8 is 0.75 of
    // the way from 2 to 10 (the lowest and highest a and b allow), so the prorated sum is
    // 0.75 of the way along the whole range 2 to 13: 2 + 0.75 * 11 = 10.25. (With items of
    // equal range this equals the sum times all / answered.)
    let r = run("  role: hurt\n  a: 4\n  b: 2\n");
    let s = r.scales.iter().find(|s| s.id == "sum_abc").unwrap();
    assert_eq!(s.score, Some(10.25));
    assert!(s.prorated);
    assert_eq!((s.answered, s.needed, s.min, s.max), (2, 2, 2.0, 13.0));
}

#[test]
fn too_few_answers_is_not_a_low_score() {
    let r = run("  role: hurt\n  a: 1\n  b: skip\n");
    let s = r.scales.iter().find(|s| s.id == "mean_ab").unwrap();
    assert_eq!(s.score, None, "a prefer-not-to-say is unanswered");
    assert!(s.band.is_none());
    assert_eq!((s.answered, s.needed), (1, 2));
    // The band rule is simply false; the score rule cannot be decided and is listed.
    assert!(r.findings.is_empty());
    assert!(
        r.not_checked
            .iter()
            .any(|n| n.rule == "any_score" && n.reason.contains("Mean of A and B")),
        "{:?}",
        r.not_checked
    );
    assert!(!strategy_ids(&r).contains(&"t_own"));
}

#[test]
fn band_boundaries_are_inclusive_at_from() {
    // a=3, b=3 (reversed 3): exactly 3 -> mid; a=4, b=2 (reversed 4): exactly 4 -> high.
    assert_eq!(
        band(&run("  role: hurt\n  a: 3\n  b: 3\n"), "mean_ab").as_deref(),
        Some("mid")
    );
    assert_eq!(
        band(&run("  role: hurt\n  a: 4\n  b: 2\n"), "mean_ab").as_deref(),
        Some("high")
    );
    // a=3, b=4 (reversed 2): 2.5 -> low
    assert_eq!(
        band(&run("  role: hurt\n  a: 3\n  b: 4\n"), "mean_ab").as_deref(),
        Some("low")
    );
}

#[test]
fn hidden_items_never_count() {
    // e is shown only to `broke`; for `hurt` its answer is ignored and with_hidden uses a alone.
    let r = run("  role: hurt\n  a: 2\n  e: 5\n");
    assert_eq!(score(&r, "with_hidden"), Some(2.0));
    assert_eq!(r.ignored_answers, vec!["e".to_string()]);
    let r = run("  role: broke\n  a: 2\n  e: 5\n");
    assert_eq!(score(&r, "with_hidden"), Some(3.5));
    assert!(r.ignored_answers.is_empty());
}

#[test]
fn totals_are_built_from_subscales() {
    let r = run("  role: hurt\n  a: 4\n  b: 2\n");
    // mean_ab = 4, with_hidden = 4 (a alone) -> total 4
    assert_eq!(score(&r, "total"), Some(4.0));
}

#[test]
fn checklists_score_the_number_ticked_and_missing_options_unanswer_them() {
    assert_eq!(
        score(&run("  role: hurt\n  causes: [lies, debt]\n"), "checklist"),
        Some(2.0)
    );
    assert_eq!(
        score(&run("  role: hurt\n  causes: [none]\n"), "checklist"),
        None
    );
    let r = run("  role: hurt\n  causes: [debt]\n");
    assert!(r.findings.iter().any(|f| f.rule == "debt"));
}

#[test]
fn strategies_are_ranked_deduplicated_and_keep_every_reason() {
    let r = run("  role: broke\n  a: 1\n  b: 5\n  d: 1\n");
    // few_talks (priority 1) and low_ab (priority 2) both recommend t_listen.
    let listen = r.strategies.iter().find(|s| s.id == "t_listen").unwrap();
    assert_eq!(listen.priority, 1);
    assert_eq!(
        listen.reasons,
        vec![
            "you talked 1 times".to_string(),
            "your A and B score is 1 of 5".to_string()
        ]
    );
    assert_eq!(
        r.strategies.iter().filter(|s| s.id == "t_listen").count(),
        1
    );
    assert_eq!(strategy_ids(&r), vec!["t_listen", "t_help", "t_own"]);
    let featured: Vec<bool> = r.strategies.iter().map(|s| s.featured).collect();
    assert_eq!(featured, vec![true, true, true]);
}

#[test]
fn strategies_for_the_other_role_are_not_shown() {
    let r = run("  role: hurt\n  a: 1\n  b: 5\n");
    assert!(strategy_ids(&r).contains(&"t_listen"));
    assert!(
        !strategy_ids(&r).contains(&"t_own"),
        "t_own is for the partner who broke trust"
    );
}

#[test]
fn one_answer_raises_the_safety_flag_and_removes_unsafe_strategies() {
    let r = run("  role: hurt\n  a: 5\n  b: 1\n  d: 1\n  afraid: \"yes\"\n");
    assert_eq!(r.flags.len(), 1);
    assert_eq!(r.flags[0].id, "safety");
    assert!(
        !r.flags[0].resources.is_empty(),
        "the safety flag lists help resources"
    );
    assert!(
        !strategy_ids(&r).contains(&"t_listen"),
        "a joint exercise is removed, not added beside"
    );
    assert!(
        r.held_back
            .iter()
            .any(|h| h.id == "t_listen" && h.flags == vec!["safety".to_string()])
    );
    // The flag's own strategies come first.
    assert_eq!(r.strategies[0].priority, 0);
    assert!(strategy_ids(&r).contains(&"safety_plan"));
    assert!(r.hard);
}

#[test]
fn no_flag_without_the_answer() {
    let r = run("  role: hurt\n  a: 5\n  b: 1\n  d: 1\n  afraid: \"no\"\n");
    assert!(r.flags.is_empty());
    assert!(strategy_ids(&r).contains(&"t_listen"));
}

#[test]
fn required_items_must_be_answered() {
    let q = mini();
    let text = "questionnaire: mini\nversion: \"2.0\"\nanswers:\n  a: 3\n";
    let responses = answers::parse(text, &q).unwrap();
    let problems = mend::assess(&q, &responses, "2026-01-01").unwrap_err();
    assert!(
        problems[0].message.contains("`role` is required"),
        "{}",
        problems[0].message
    );
}

#[test]
fn answers_are_checked_against_the_questionnaire() {
    let q = mini();
    let text = "questionnaire: mini\nversion: \"2.0\"\nanswers:\n  a: 7\n  rol: hurt\n  d: 11\n  causes: [lies, gambling]\n  b: [1, 2]\n";
    let problems = answers::parse(text, &q).unwrap_err();
    let messages: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {}", p.location.unwrap().line, p.message))
        .collect();
    assert_eq!(messages.len(), 5, "{messages:#?}");
    assert!(
        messages[0]
            .starts_with("4: `a`: `7` is not one of its options; allowed: 1 (Strongly disagree)"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].starts_with("5: `rol` is not a question of `mini` (did you mean `role`?)"),
        "{}",
        messages[1]
    );
    assert!(
        messages[2].contains("11 is outside the allowed range from 0 to 10"),
        "{}",
        messages[2]
    );
    assert!(
        messages[3].contains("`gambling` is not one of its options"),
        "{}",
        messages[3]
    );
    assert!(
        messages[4].contains("takes one answer, not a list"),
        "{}",
        messages[4]
    );
}

#[test]
fn answers_for_another_questionnaire_or_version_are_refused() {
    let q = mini();
    let other = answers::parse(
        "questionnaire: readiness\nversion: \"2.0\"\nanswers: {}\n",
        &q,
    )
    .unwrap_err();
    assert!(
        other[0].message.contains("not `mini`"),
        "{}",
        other[0].message
    );
    let old = answers::parse("questionnaire: mini\nversion: 1\nanswers: {}\n", &q).unwrap_err();
    assert!(
        old[0].message.contains("version 1 of `mini`"),
        "{}",
        old[0].message
    );
}

#[test]
fn the_range_shown_is_the_one_possible_with_the_questions_answered() {
    // `mixed` averages a (1-5), f (0-3) and d (0-10); with only d answered, its range is 0-10,
    // not the 0.33-6 of all three, so a score of 9 is never shown "of 6".
    let r = run("  role: hurt\n  d: 9\n");
    let mixed = r.scales.iter().find(|s| s.id == "mixed").unwrap();
    assert_eq!((mixed.score, mixed.min, mixed.max), (Some(9.0), 0.0, 10.0));
    assert_eq!(mixed.position, Some(0.9));
}
