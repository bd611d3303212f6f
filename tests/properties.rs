//! Property tests: random valid answer sets for every built-in questionnaire (and the test
//! fixture) score without error, within range; a reverse-keyed item moves its scale the other
//! way; adding answers (that change no condition) never takes a score away.

use indexmap::IndexMap;
use mend::Questionnaire;
use mend::answers::{AnswersFile, Responses, Written};
use mend::model::{ItemType, Scalar};
use proptest::prelude::*;

fn questionnaires() -> Vec<Questionnaire> {
    let mut all: Vec<Questionnaire> = ["readiness", "communication", "causes"]
        .iter()
        .map(|id| Questionnaire::open(id).unwrap())
        .collect();
    all.push(
        Questionnaire::open(&format!(
            "{}/tests/fixtures/mini.yaml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    );
    all
}

/// A valid answer for each item from a random number; `None` leaves it blank.
fn answer(q: &Questionnaire, i: usize, pick: u32) -> Option<Written> {
    let item = &q.items[i];
    let n = pick as usize;
    match item.kind {
        ItemType::Choice | ItemType::Yesno => Some(Written::One(
            item.options[n % item.options.len()].value.clone(),
        )),
        ItemType::Multi => Some(Written::Many(
            item.options
                .iter()
                .enumerate()
                .filter(|(k, _)| (n >> k) & 1 == 1)
                .map(|(_, o)| o.value.clone())
                .collect(),
        )),
        ItemType::Number => {
            let (lo, hi) = (item.min.unwrap_or(0.0), item.max.unwrap_or(100.0));
            Some(Written::One(Scalar::Number(
                lo + (n as f64 % (hi - lo + 1.0)).floor(),
            )))
        }
        ItemType::Text => Some(Written::One(Scalar::Text(format!("note {n}")))),
    }
}

fn responses(q: &Questionnaire, picks: &[(bool, u32)]) -> Responses {
    let mut answers = IndexMap::new();
    for (i, (given, pick)) in picks.iter().enumerate().take(q.items.len()) {
        // The role is required: always answer it.
        let is_role = q.file.role_item.as_deref() == Some(q.items[i].id.as_str());
        if *given || is_role {
            answers.insert(q.items[i].id.clone(), answer(q, i, *pick));
        }
    }
    let file = AnswersFile {
        questionnaire: q.file.id.clone(),
        version: q.file.version.clone(),
        respondent: "P".into(),
        date: None,
        answers,
        private: Vec::new(),
    };
    mend::answers::from_file(&file, q).unwrap_or_else(|p| panic!("{p:?}"))
}

fn picks() -> impl Strategy<Value = Vec<(bool, u32)>> {
    prop::collection::vec((any::<bool>(), any::<u32>()), 45)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_answers_score_within_range(picks in picks()) {
        for q in questionnaires() {
            let r = responses(&q, &picks);
            let report = mend::assess(&q, &r, "2026-11-23").unwrap_or_else(|p| panic!("{}: {p:?}", q.file.id));
            for s in &report.scales {
                if let Some(score) = s.score {
                    prop_assert!(s.min - 1e-9 <= score && score <= s.max + 1e-9, "{} {}: {score} outside {}..{}", q.file.id, s.id, s.min, s.max);
                    // Sums stay on the scale's whole range; a mean, on the range of what was answered.
                    let info = q.scales.iter().find(|x| x.def.id == s.id).unwrap();
                    if info.def.score != mend::model::Method::Mean {
                        prop_assert!(info.min - 0.01 <= score && score <= info.max + 0.01, "{} {}: {score} outside {}..{}", q.file.id, s.id, info.min, info.max);
                    }
                }
            }
        }
    }

    #[test]
    fn batch_scoring_agrees_with_the_report(picks in picks()) {
        for q in questionnaires() {
            let r = responses(&q, &picks);
            let report = mend::assess(&q, &r, "2026-11-23").unwrap_or_else(|p| panic!("{}: {p:?}", q.file.id));
            let row = mend::batch::score_row(&q, &r, String::new(), String::new());
            let from_report: Vec<&str> = report.strategies.iter().map(|s| s.id.as_str()).collect();
            prop_assert_eq!(&row.strategies, &from_report, "{}", q.file.id);
            for (cell, view) in row.scales.iter().zip(&report.scales) {
                prop_assert_eq!(cell.id, view.id.as_str());
                prop_assert_eq!(cell.score, view.score, "{} {}", q.file.id, cell.id);
                prop_assert_eq!(cell.band, view.band.as_ref().map(|b| b.id.as_str()), "{} {}", q.file.id, cell.id);
            }
        }
    }

    #[test]
    fn a_reverse_keyed_item_moves_its_scale_the_other_way(picks in picks()) {
        for q in questionnaires() {
            let base = responses(&q, &picks);
            let scored = mend::scoring::score(&q, &base);
            for (si, scale) in q.scales.iter().enumerate() {
                let mend::questionnaire::Parts::Items(ix) = &scale.parts else { continue };
                for &i in ix.iter().filter(|&&i| q.items[i].reverse && q.items[i].kind == ItemType::Choice && scored.visible[i]) {
                    let item = &q.items[i];
                    // The option with the lowest and the highest own score.
                    let scored_options: Vec<_> = item.options.iter().filter(|o| !o.missing).collect();
                    let own = |o: &&mend::model::Choice| o.score.or(o.value.as_number()).unwrap();
                    let low = scored_options.iter().min_by(|a, b| own(a).total_cmp(&own(b))).unwrap();
                    let high = scored_options.iter().max_by(|a, b| own(a).total_cmp(&own(b))).unwrap();
                    let with = |o: &mend::model::Choice| {
                        let mut r = base.clone();
                        r.answers[item.position] = Some(mend::answers::Answer::Choice(item.options.iter().position(|x| x.value.matches(&o.value)).unwrap()));
                        mend::scoring::score(&q, &r).scales[si].score
                    };
                    if let (Some(a), Some(b)) = (with(low), with(high)) {
                        prop_assert!(b < a, "{} {}: raising reversed item {} raised the score ({a} -> {b})", q.file.id, scale.def.id, item.id);
                    }
                }
            }
        }
    }

    #[test]
    fn adding_answers_never_takes_a_score_away(picks in picks(), more in picks()) {
        for q in questionnaires() {
            // Items that conditions read change which questions are asked; keep them fixed.
            let read_by_conditions: Vec<String> = q.items.iter().flat_map(|i| i.show_if.iter()).flat_map(|c| c.refs.iter()).filter_map(|r| r.strip_prefix("answers.").map(str::to_string)).collect();
            let fewer = responses(&q, &picks);
            let mut combined: Vec<(bool, u32)> = picks.clone();
            for (i, (extra, pick)) in more.iter().enumerate().take(q.items.len()) {
                if *extra && !combined[i].0 && !read_by_conditions.contains(&q.items[i].id) {
                    combined[i] = (true, *pick);
                }
            }
            let more_answers = responses(&q, &combined);
            let a = mend::scoring::score(&q, &fewer).scales;
            let b = mend::scoring::score(&q, &more_answers).scales;
            for (i, (x, y)) in a.iter().zip(&b).enumerate() {
                prop_assert!(x.score.is_none() || y.score.is_some(), "{} {}: scored with fewer answers, not with more", q.file.id, q.scales[i].def.id);
            }
        }
    }
}
