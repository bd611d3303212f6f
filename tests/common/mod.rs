//! Helpers shared by the differential tests: a small deterministic generator and random
//! answer sets, so failures can be replayed.

use indexmap::IndexMap;
use mend::Questionnaire;
use mend::answers::Written;
use mend::model::{ItemType, Scalar};

/// A linear congruential generator: the same seed gives the same answer sets.
pub struct Lcg(pub u64);

impl Lcg {
    /// A number below `n`.
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Random answers: about one in `blank` items left blank; every option (including "prefer
/// not to say") and every whole number in range equally likely; texts with and without an x.
pub fn random_answers(
    q: &Questionnaire,
    rng: &mut Lcg,
    blank: usize,
) -> IndexMap<String, Option<Written>> {
    let mut out = IndexMap::new();
    for item in &q.items {
        if rng.next(blank) == 0 {
            continue;
        }
        let written = match item.kind {
            ItemType::Choice | ItemType::Yesno => {
                Written::One(item.options[rng.next(item.options.len())].value.clone())
            }
            ItemType::Multi => Written::Many(
                item.options
                    .iter()
                    .filter(|_| rng.next(3) == 0)
                    .map(|o| o.value.clone())
                    .collect(),
            ),
            ItemType::Number => {
                let (lo, hi) = (item.min.unwrap_or(0.0), item.max.unwrap_or(10.0));
                Written::One(Scalar::Number(lo + rng.next((hi - lo) as usize + 1) as f64))
            }
            ItemType::Text => Written::One(Scalar::Text(match rng.next(2) {
                0 => format!("note {}", rng.next(100)),
                _ => "x marks it".to_string(),
            })),
        };
        out.insert(item.id.clone(), Some(written));
    }
    out
}
