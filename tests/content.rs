//! The built-in questionnaires, strategy library and support data: valid, complete, and
//! safe. A safety answer must lead every report and remove every unsafe strategy.

use mend::answers::{self, AnswersFile, Written};
use mend::library::{Library, builtin, check_library_file};
use mend::model::ItemType;
use mend::questionnaire::Parts;
use mend::render::Renderer;
use mend::{Format, Questionnaire};

const IDS: [&str; 3] = ["readiness", "communication", "causes"];
const SEEDS: [&str; 5] = [
    "000_862071f947e4ff95.txt",
    "001_587200fc3efeae7d.txt",
    "002_01732a8fde224c68.txt",
    "003_2beaee87ba497cc1.txt",
    "004_9ba98e235d51802d.txt",
];

#[test]
fn built_in_questionnaires_load_without_warnings() {
    for id in IDS {
        let q = Questionnaire::open(id).unwrap_or_else(|e| panic!("{e}"));
        assert!(q.warnings.is_empty(), "{id}: {:#?}", q.warnings);
    }
}

#[test]
fn built_in_questionnaires_have_the_required_shape() {
    for id in IDS {
        let q = Questionnaire::open(id).unwrap();
        let n = q.items.len();
        assert!((15..=40).contains(&n), "{id} has {n} items");
        let subscales = q
            .scales
            .iter()
            .filter(|s| matches!(s.parts, Parts::Items(_)))
            .count();
        let totals = q
            .scales
            .iter()
            .filter(|s| matches!(s.parts, Parts::Subscales(_)))
            .count();
        assert!(
            subscales >= 2 && totals >= 1,
            "{id}: {subscales} subscales, {totals} totals"
        );
        assert!(
            q.items.iter().any(|i| i.reverse),
            "{id} has no reverse-keyed item"
        );
        assert!(q.role_item().is_some(), "{id} asks no role");
        assert!(
            q.scales.iter().all(|s| !s.def.bands.is_empty()),
            "{id}: every scale has bands"
        );
        assert!(!q.rules.is_empty());
    }
}

#[test]
fn the_strategy_library_and_support_data_are_valid() {
    assert_eq!(check_library_file(builtin::STRATEGIES, false), vec![]);
    assert_eq!(check_library_file(builtin::SUPPORT, true), vec![]);
}

#[test]
fn every_strategy_cites_a_source_article_and_is_recommended_somewhere() {
    let lib = Library::builtin();
    let mut used: Vec<String> = lib
        .flags
        .values()
        .flat_map(|f| f.recommend.clone())
        .collect();
    for id in IDS {
        let q = Questionnaire::open(id).unwrap();
        used.extend(q.rules.iter().flat_map(|r| r.def.recommend.clone()));
    }
    for (id, s) in &lib.strategies {
        assert!(!s.sources.is_empty(), "{id} cites nothing");
        for src in &s.sources {
            assert!(SEEDS.contains(&src.as_str()), "{id} cites unknown {src}");
        }
        assert!(
            used.contains(id),
            "strategy {id} is never recommended by any rule or flag"
        );
    }
}

#[test]
fn every_flag_lists_help_resources_or_strategies() {
    let lib = Library::builtin();
    for name in [
        "safety",
        "self_harm",
        "ongoing_breach",
        "addiction",
        "leaving",
    ] {
        let flag = lib
            .flags
            .get(name)
            .unwrap_or_else(|| panic!("no flag {name}"));
        assert!(!flag.recommend.is_empty(), "{name}");
    }
    let safety = &lib.flags["safety"];
    assert!(!lib.resources_for(&safety.resources).is_empty());
    assert!(safety.message.to_lowercase().contains("emergency"));
}

/// The example answers of `id` with one safety item set to the first value that raises the flag.
fn with_safety_answer(id: &str) -> (Questionnaire, answers::Responses) {
    let q = Questionnaire::open(id).unwrap();
    let text = std::fs::read_to_string(format!(
        "{}/examples/{id}-alex.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let base: AnswersFile = mend::yaml::parse(&text).unwrap();
    for item in q
        .items
        .iter()
        .filter(|i| matches!(&i.flag, Some((f, _)) if f == "safety"))
    {
        for option in item.options.iter().filter(|o| !o.missing) {
            let mut file = base.clone();
            file.answers
                .insert(item.id.clone(), Some(Written::One(option.value.clone())));
            let responses = answers::parse(&mend::yaml::to_string(&file), &q).unwrap();
            let report = mend::assess(&q, &responses, "2026-11-23").unwrap();
            if !report.flags.is_empty() {
                return (q, responses);
            }
        }
    }
    panic!("{id}: no answer raises the safety flag");
}

#[test]
fn a_safety_answer_leads_every_report_and_removes_unsafe_strategies() {
    let renderer = Renderer::new(None).unwrap();
    for id in IDS {
        let (q, responses) = with_safety_answer(id);
        let report = mend::assess(&q, &responses, "2026-11-23").unwrap();
        assert_eq!(report.flags[0].id, "safety", "{id}");
        for s in &report.strategies {
            let def = &q.library.strategies[&s.id];
            assert!(
                !def.avoid_with.contains(&"safety".to_string()),
                "{id}: unsafe strategy {} still recommended",
                s.id
            );
        }
        assert!(
            report.strategies.iter().any(|s| s.id == "safety_plan"),
            "{id}"
        );
        let title = &report.flags[0].title;
        for format in [Format::Markdown, Format::Html, Format::Json] {
            let out = mend::render_report(&report, format, &renderer).unwrap();
            let at_title = out
                .find(title.as_str())
                .unwrap_or_else(|| panic!("{id} {format:?}: no safety title"));
            let at_scores = out
                .find("Your scores")
                .or_else(|| out.find("\"scales\""))
                .unwrap();
            assert!(
                at_title < at_scores,
                "{id} {format:?}: the safety message must come first"
            );
        }
    }
}

#[test]
fn the_example_answers_give_full_reports_without_flags() {
    for id in IDS {
        let q = Questionnaire::open(id).unwrap();
        for who in ["alex", "sam"] {
            let path = format!("{}/examples/{id}-{who}.yaml", env!("CARGO_MANIFEST_DIR"));
            let responses = answers::load(std::path::Path::new(&path), &q).unwrap();
            let report = mend::assess(&q, &responses, "2026-11-23").unwrap();
            assert!(report.flags.is_empty(), "{path}");
            assert!(!report.strategies.is_empty(), "{path}");
            assert!(report.scales.iter().any(|s| s.score.is_some()));
        }
    }
}

#[test]
fn free_text_items_are_never_scored() {
    for id in IDS {
        let q = Questionnaire::open(id).unwrap();
        for s in &q.scales {
            if let Parts::Items(ix) = &s.parts {
                assert!(ix.iter().all(|&i| q.items[i].kind != ItemType::Text));
            }
        }
    }
}

#[test]
fn a_safety_answer_in_one_questionnaire_holds_back_unsafe_strategies_from_all_of_them() {
    let (q, responses) = with_safety_answer("communication");
    let flagged = mend::assess(&q, &responses, "2026-11-23").unwrap();
    let readiness = Questionnaire::open("readiness").unwrap();
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/readiness-alex.yaml");
    let other = mend::assess(
        &readiness,
        &answers::load(&path, &readiness).unwrap(),
        "2026-11-23",
    )
    .unwrap();
    assert!(
        other
            .strategies
            .iter()
            .any(|s| s.id == "recommit" || s.id == "boundaries"),
        "readiness alone recommends joint work"
    );
    let lib = Library::builtin();
    let avoid = |id: &str| {
        lib.strategies
            .get(id)
            .map(|s| s.avoid_with.clone())
            .unwrap_or_default()
    };
    let combined = mend::combined::combine(vec![other, flagged], &avoid, "2026-11-23");
    assert_eq!(combined.flags[0].id, "safety");
    for s in &combined.plan {
        assert!(
            !lib.strategies[&s.id]
                .avoid_with
                .contains(&"safety".to_string()),
            "{} survived",
            s.id
        );
    }
}

#[test]
fn the_spanish_translation_is_complete() {
    for id in IDS {
        let q = Questionnaire::open_in(id, Some("es")).unwrap();
        assert!(
            q.untranslated.is_empty(),
            "{id}: untranslated {:?}",
            q.untranslated
        );
        assert!(
            !q.warnings.iter().any(|w| w.message.contains("translation")),
            "{id}: {:?}",
            q.warnings
        );
        assert_eq!(q.file.language, "es");
    }
}
