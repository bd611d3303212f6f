//! `mend test`: golden tests for authors. Beside a questionnaire, `tests/*.yaml` files each
//! hold answers and the scores, bands, flags and strategies they must give; a change to the
//! questionnaire that changes a result shows up as a clear difference.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::answers::AnswersFile;
use crate::error::{Error, Problem};
use crate::questionnaire::{Questionnaire, read_text};
use crate::yaml;

/// One golden test file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Golden {
    /// The answers, as in an answers file.
    pub answers: AnswersFile,
    /// What they must give.
    #[serde(default)]
    pub expect: Expected,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// Per scale: its score (or null for "not enough answers") and band id.
    #[serde(default)]
    pub scales: IndexMap<String, ExpectedScale>,
    #[serde(default)]
    pub flags: Vec<String>,
    /// The recommended strategies' ids, most urgent first.
    #[serde(default)]
    pub strategies: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedScale {
    pub score: Option<f64>,
    pub band: Option<String>,
}

/// The outcome of one golden file: its differences (empty when it passes).
#[derive(Debug)]
pub struct Outcome {
    pub path: PathBuf,
    pub differences: Vec<String>,
}

/// The golden files of a questionnaire folder: `<dir>/tests/*.yaml`, sorted.
pub fn files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let tests = dir.join("tests");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&tests)
        .map_err(|source| Error::Read {
            path: tests.clone(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    out.sort();
    Ok(out)
}

/// What the answers actually give, in the golden format.
pub fn actual(q: &Questionnaire, answers: &AnswersFile, path: &Path) -> Result<Expected, Error> {
    let invalid = |problems| {
        Error::Invalid(crate::error::FileProblems {
            path: path.to_path_buf(),
            problems,
        })
    };
    let responses = crate::answers::from_file(answers, q).map_err(invalid)?;
    let report = crate::assess(q, &responses, "").map_err(invalid)?;
    Ok(Expected {
        scales: report
            .scales
            .iter()
            .map(|s| {
                (
                    s.id.clone(),
                    ExpectedScale {
                        score: s.score,
                        band: s.band.as_ref().map(|b| b.id.clone()),
                    },
                )
            })
            .collect(),
        flags: report.flags.iter().map(|f| f.id.clone()).collect(),
        strategies: report.strategies.iter().map(|s| s.id.clone()).collect(),
    })
}

/// Runs one golden file against the questionnaire `find` gives for its answers' id. With
/// `update`, writes the actual results as the new expectation instead.
pub fn run(
    path: &Path,
    find: &dyn Fn(&str) -> Result<Questionnaire, Error>,
    update: bool,
) -> Result<Outcome, Error> {
    let golden: Golden = yaml::parse(&read_text(path)?).map_err(|p| Error::invalid(path, p))?;
    let q = find(&golden.answers.questionnaire)?;
    let got = actual(&q, &golden.answers, path)?;
    if update {
        let text = format!(
            "# Golden test for `mend test`: these answers must give these results.\n{}",
            yaml::to_string(&Golden {
                expect: got,
                ..golden
            })
        );
        crate::output::write_atomic(path, text.as_bytes(), true)?;
        return Ok(Outcome {
            path: path.to_path_buf(),
            differences: Vec::new(),
        });
    }
    Ok(Outcome {
        path: path.to_path_buf(),
        differences: differences(&golden.expect, &got),
    })
}

/// Plain-words differences between what was expected and what came out.
pub fn differences(want: &Expected, got: &Expected) -> Vec<String> {
    let mut out = Vec::new();
    let show = |s: Option<&ExpectedScale>| match s {
        Some(ExpectedScale {
            score: Some(v),
            band,
        }) => format!(
            "{}{}",
            crate::model::format_number(*v),
            band.as_ref().map(|b| format!(" ({b})")).unwrap_or_default()
        ),
        Some(ExpectedScale { score: None, .. }) => "not enough answers".to_string(),
        None => "no such scale".to_string(),
    };
    for (id, w) in &want.scales {
        let g = got.scales.get(id);
        if g != Some(w) {
            out.push(format!(
                "scale `{id}`: expected {}, got {}",
                show(Some(w)),
                show(g)
            ));
        }
    }
    if want.flags != got.flags {
        out.push(format!(
            "flags: expected [{}], got [{}]",
            want.flags.join(", "),
            got.flags.join(", ")
        ));
    }
    if want.strategies != got.strategies {
        out.push(format!(
            "strategies: expected [{}], got [{}]",
            want.strategies.join(", "),
            got.strategies.join(", ")
        ));
    }
    out
}

/// The problem for a golden file that fails, for consistent error output.
pub fn failure(outcome: &Outcome) -> Problem {
    Problem::error(
        None,
        format!(
            "golden test failed:\n  {}",
            outcome.differences.join("\n  ")
        ),
    )
}
