//! Comparing two partners, with expectations computed by hand on tests/fixtures/mini.yaml.
//!
//! Positions are each answer's place on its item's range, turned so the healthy end is 1
//! (the item's first scale decides: `mixed` says higher is worse). With different_by 0.5:
//!   a: Alex 5 -> 1.0, Sam 4 -> 0.75           both healthy, 0.25 apart -> shared strength
//!   b (reversed): Alex 1 -> 5 -> 1.0, Sam 2 -> 4 -> 0.75               -> shared strength
//!   c: Alex always 3 -> 1.0, Sam never 0 -> 0.0, 1.0 apart            -> different view
//!   f (reversed, in `mixed`, worse): Alex rarely 1 -> 2 -> 2/3 -> 1/3;
//!      Sam often 2 -> 1 -> 1/3 -> 2/3; 1/3 apart, one each side       -> unclassified
//!   d (in `mixed`, worse): Alex 10 -> 1.0 -> 0.0, Sam 0 -> 1.0, apart  -> different view
//!   causes (in `checklist`, worse): both [lies, debt] -> 2 of 2 -> 0.0 -> shared growth area
//! Scales: mean_ab Alex 5, Sam 4 (both in `high`, the best band, so healthy: both_healthy);
//! sum_abc Alex 5 + 5 + 3 = 13, Sam 4 + 4 + 0 = 8, gap 5.

use mend::Questionnaire;
use mend::compare::{Comparison, Options, Partner, Reader};
use mend::render::Renderer;

const ALEX: &str = "respondent: Alex\nanswers:\n  role: hurt\n  a: 5\n  b: 1\n  c: always\n  f: rarely\n  d: 10\n  causes: [lies, debt]\n  afraid: \"no\"\n  notes: Alex's own words\n";
const SAM: &str = "respondent: Sam\nanswers:\n  role: broke\n  a: 4\n  b: 2\n  c: never\n  f: often\n  d: 0\n  e: 3\n  causes: [lies, debt]\n  afraid: \"no\"\n  notes: Sam's own words\n";

fn mini() -> Questionnaire {
    Questionnaire::open(&format!(
        "{}/tests/fixtures/mini.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn partner(q: &Questionnaire, body: &str) -> Partner {
    let text = format!("questionnaire: mini\nversion: \"2.0\"\n{body}");
    let responses = mend::answers::parse(&text, q).unwrap_or_else(|p| panic!("{p:?}"));
    Partner::assess(q, responses, "Partner", "2026-11-23").unwrap()
}

fn compare(alex: &str, sam: &str, reader: Reader) -> Comparison {
    let q = mini();
    let partners = vec![partner(&q, alex), partner(&q, sam)];
    mend::compare::compare(
        &q,
        &partners,
        Options {
            reader,
            include_notes: false,
        },
        "2026-11-23",
    )
}

fn ids(items: &[mend::compare::ItemPair]) -> Vec<&str> {
    items.iter().map(|i| i.id.as_str()).collect()
}

#[test]
fn items_are_grouped_as_strengths_growth_areas_and_different_views() {
    let c = compare(ALEX, SAM, Reader::Joint);
    assert_eq!(ids(&c.strengths), vec!["a", "b"]);
    assert_eq!(ids(&c.growth), vec!["causes"]);
    assert_eq!(ids(&c.different), vec!["c", "d"]);
    assert_eq!(
        c.different[0].answers,
        vec!["Nearly all the time".to_string(), "Never".to_string()]
    );
    assert!(
        c.different[0].conversation.contains("Item C"),
        "a conversation starter from the question"
    );
    assert!(
        ids(&c.strengths)
            .iter()
            .chain(ids(&c.different).iter())
            .all(|id| *id != "afraid"),
        "screening items are never compared in a joint report"
    );
}

#[test]
fn scales_side_by_side_with_the_questionnaires_sentence() {
    let c = compare(ALEX, SAM, Reader::Joint);
    let ab = &c.scales[0];
    assert_eq!(ab.scores, vec![Some(5.0), Some(4.0)]);
    assert_eq!(ab.combination.as_deref(), Some("both_healthy"));
    assert_eq!(ab.sentence, "You are both high on A and B.");
    // Sam lower on A and B: 2 and 4 reversed to 2 -> mean 2, band `low`.
    let c = compare(
        ALEX,
        &SAM.replace("a: 4", "a: 2").replace("b: 2", "b: 4"),
        Reader::Joint,
    );
    assert_eq!(c.scales[0].combination.as_deref(), Some("one_each"));
    assert_eq!(
        c.scales[0].sentence,
        "Sam is not high on A and B, while Alex is."
    );
    assert_eq!(
        c.scales[0].reading, "You see this very differently.",
        "3 apart on a 1 to 5 range"
    );
}

#[test]
fn perception_pairs_compare_a_view_of_the_partner_with_what_the_partner_says() {
    let c = compare(ALEX, SAM, Reader::Joint);
    // Alex's `a` (about Sam) is 1.0; Sam's `c` (about himself) is 0.0: they differ.
    let by_alex = c.perception.iter().find(|g| g.by == "Alex").unwrap();
    assert_eq!(by_alex.about, "Sam");
    assert!(by_alex.differs);
    // Sam's `a` (0.75) against Alex's `c` (1.0): close.
    assert!(!c.perception.iter().find(|g| g.by == "Sam").unwrap().differs);
}

#[test]
fn couple_rules_choose_strategies_for_the_joint_plan() {
    let c = compare(ALEX, SAM, Reader::Joint);
    assert!(c.findings.iter().any(|f| f.rule == "both_high"));
    let help = c.plan.iter().find(|p| p.id == "t_help").unwrap();
    assert!(
        help.reasons
            .iter()
            .any(|r| r.from == "both of you" && r.text == "your A and B scores are 4 and 5")
    );
    let listen = c.plan.iter().find(|p| p.id == "t_listen").unwrap();
    assert!(
        listen
            .reasons
            .iter()
            .any(|r| r.text == "your sums are 5 apart")
    );
    assert_eq!(listen.for_whom, "both of you, together");
}

#[test]
fn the_joint_plan_has_no_duplicates_and_says_whose_answers_led_to_each() {
    // Both partners' low A and B make `low_ab` fire for each; d = 1 makes `few_talks` fire.
    let low = "  a: 1\n  b: 5\n  d: 1\n";
    let alex = format!("respondent: Alex\nanswers:\n  role: hurt\n{low}");
    let sam = format!("respondent: Sam\nanswers:\n  role: broke\n{low}");
    let c = compare(&alex, &sam, Reader::Joint);
    let mut ids: Vec<&str> = c.plan.iter().map(|p| p.id.as_str()).collect();
    let total = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total, "no strategy twice");
    let listen = c.plan.iter().find(|p| p.id == "t_listen").unwrap();
    let from: Vec<&str> = listen.reasons.iter().map(|r| r.from.as_str()).collect();
    assert!(from.contains(&"Alex") && from.contains(&"Sam"));
    // t_own is for the partner who broke trust: in the joint plan, for Sam by name.
    let own = c.plan.iter().find(|p| p.id == "t_own").unwrap();
    assert_eq!(own.for_whom, "Sam (the partner who broke trust)");
}

#[test]
fn private_answers_and_notes_stay_out_of_the_joint_report() {
    let sam = format!("private: [c]\n{SAM}");
    let c = compare(ALEX, &sam, Reader::Joint);
    assert!(!ids(&c.different).contains(&"c"));
    assert!(c.withheld_private);
    assert!(c.notes.is_empty() && c.notes_left_out);
    let t = compare(ALEX, &sam, Reader::Therapist);
    assert!(
        ids(&t.different).contains(&"c"),
        "the therapist sees everything"
    );
    assert!(
        t.items
            .iter()
            .any(|i| i.id == "c" && i.private == vec![false, true])
    );
    assert_eq!(t.notes.len(), 2);
}

fn render_all(c: &Comparison) -> Vec<String> {
    let r = Renderer::new(None).unwrap();
    let md = r.render("compare.md", c).unwrap();
    let html = r.page("x", &md).unwrap();
    vec![md, html, mend::to_json(c)]
}

#[test]
fn a_safety_flag_is_never_revealed_in_the_joint_report() {
    let q = mini();
    let lib = mend::library::Library::builtin();
    let afraid_text = q.item("afraid").unwrap().text.clone();
    let safety_title = lib.flags["safety"].title.clone();
    let sam_afraid = SAM.replace("afraid: \"no\"", "afraid: \"yes\"");
    let alex_afraid = ALEX.replace("afraid: \"no\"", "afraid: \"yes\"");
    let when_sam = compare(ALEX, &sam_afraid, Reader::Joint);
    let when_alex = compare(&alex_afraid, SAM, Reader::Joint);
    assert!(when_sam.support_first.is_some());
    assert!(
        when_sam.scales.is_empty() && when_sam.different.is_empty() && when_sam.flags.is_empty()
    );
    assert_eq!(
        when_sam
            .plan
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>(),
        vec!["individual_support"]
    );
    for out in render_all(&when_sam) {
        for secret in [
            afraid_text.as_str(),
            safety_title.as_str(),
            "safety_plan",
            "raised",
            "Yes",
        ] {
            assert!(
                !out.contains(secret),
                "the joint report reveals {secret:?}:\n{out}"
            );
        }
    }
    // Whoever raised it, the joint report is the same: it cannot point at anyone.
    assert_eq!(render_all(&when_sam), render_all(&when_alex));
    // The therapist sees it in full, with whose answers raised it.
    let t = compare(ALEX, &sam_afraid, Reader::Therapist);
    let flag = t.flags.iter().find(|f| f.id == "safety").unwrap();
    assert_eq!(flag.partner.as_deref(), Some("Sam"));
    assert_eq!(flag.raised_by, vec![afraid_text]);
}

#[test]
fn one_partner_alone_reads_as_a_first_look() {
    let q = mini();
    let c = mend::compare::compare(
        &q,
        &[partner(&q, ALEX)],
        Options {
            reader: Reader::Joint,
            include_notes: false,
        },
        "2026-11-23",
    );
    assert!(c.solo);
    let md = Renderer::new(None)
        .unwrap()
        .render("compare.md", &c)
        .unwrap();
    assert!(md.contains("Only one of you has answered so far"), "{md}");
    assert!(!c.plan.is_empty());
}
