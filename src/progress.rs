//! Progress over time: several dated answer sets of one person to one questionnaire become
//! each scale's score over time, the change since the first and the last time, the bands
//! crossed, and what to celebrate. Where a scale gives its reliability and standard
//! deviation, a change is marked reliable or not with the reliable change index (Jacobson &
//! Truax, 1991), so that noise is not celebrated as progress.

use serde::Serialize;

use crate::model::Direction;
use crate::questionnaire::Questionnaire;
use crate::report::{BandView, FlagView, QuestionnaireRef, Report};

/// |RCI| above this is a reliable change (95% confidence).
pub const RCI_THRESHOLD: f64 = 1.96;

#[derive(Debug, Serialize)]
pub struct Progress {
    pub mend_version: String,
    pub generated: String,
    pub questionnaire: QuestionnaireRef,
    pub respondent: String,
    pub dates: Vec<String>,
    /// Flags raised by the latest answers: they lead the report.
    pub flags: Vec<FlagView>,
    pub scales: Vec<ScaleProgress>,
    /// Changes worth celebrating, in plain words.
    pub celebrate: Vec<String>,
    /// Whether any scale could be checked for reliable change.
    pub reliability_checked: bool,
}

#[derive(Debug, Serialize)]
pub struct ScaleProgress {
    pub id: String,
    pub title: String,
    pub min: f64,
    pub max: f64,
    pub higher_is: Direction,
    pub points: Vec<Point>,
    /// Latest score minus the first, and minus the one before it.
    pub change_since_first: Option<f64>,
    pub change_since_last: Option<f64>,
    /// `better`, `harder` or `same`, since the first time, read with `higher_is`.
    pub direction: Option<String>,
    pub crossings: Vec<Crossing>,
    /// The reliable change index from the first to the latest score, when the scale gives
    /// its reliability and standard deviation; and whether it passes 1.96.
    pub rci: Option<f64>,
    pub reliable: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct Point {
    pub date: String,
    pub score: Option<f64>,
    pub band: Option<BandView>,
    /// Where the score sits between min and max (0 to 1), for charts.
    pub position: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Crossing {
    pub date: String,
    pub from: String,
    pub to: String,
    /// Whether the move is in the healthy direction.
    pub better: bool,
}

/// Builds the progress model from reports of one person, oldest first.
pub fn build(q: &Questionnaire, reports: &[Report], generated: &str) -> Progress {
    let dates: Vec<String> = reports
        .iter()
        .map(|r| r.respondent.date.clone().unwrap_or_default())
        .collect();
    let scales: Vec<ScaleProgress> = q
        .scales
        .iter()
        .enumerate()
        .map(|(i, info)| scale_progress(info, i, reports, &dates))
        .collect();
    let celebrate = scales.iter().flat_map(celebrations).collect();
    Progress {
        mend_version: env!("CARGO_PKG_VERSION").to_string(),
        generated: generated.to_string(),
        questionnaire: reports[0].questionnaire.clone(),
        respondent: reports[0].respondent.name.clone(),
        flags: reports.last().map(|r| r.flags.clone()).unwrap_or_default(),
        reliability_checked: scales.iter().any(|s| s.rci.is_some()),
        dates,
        scales,
        celebrate,
    }
}

fn scale_progress(
    info: &crate::questionnaire::ScaleInfo,
    i: usize,
    reports: &[Report],
    dates: &[String],
) -> ScaleProgress {
    let (min, max) = (info.min, info.max);
    let points: Vec<Point> = reports
        .iter()
        .zip(dates)
        .map(|(r, date)| {
            let v = &r.scales[i];
            Point {
                date: date.clone(),
                score: v.score,
                band: v.band.clone(),
                position: v.score.map(|s| {
                    if max > min {
                        ((s - min) / (max - min)).clamp(0.0, 1.0)
                    } else {
                        0.0
                    }
                }),
            }
        })
        .collect();
    let scores: Vec<f64> = points.iter().filter_map(|p| p.score).collect();
    let change = |a: Option<&f64>, b: Option<&f64>| match (a, b) {
        (Some(a), Some(b)) if scores.len() > 1 => Some(crate::scoring::round2(b - a)),
        _ => None,
    };
    let change_since_first = change(scores.first(), scores.last());
    let change_since_last = change(scores.get(scores.len().saturating_sub(2)), scores.last());
    let rci = match (info.def.reliability, info.def.sd, change_since_first) {
        (Some(r), Some(sd), Some(diff)) => {
            let standard_error = sd * (1.0 - r).sqrt();
            let s_diff = (2.0 * standard_error * standard_error).sqrt();
            Some(crate::scoring::round2(diff / s_diff))
        }
        _ => None,
    };
    ScaleProgress {
        id: info.def.id.clone(),
        title: info.def.title.clone(),
        min,
        max,
        higher_is: info.def.higher_is,
        direction: change_since_first.map(|d| direction(d, info.def.higher_is).to_string()),
        crossings: crossings(info, &points),
        reliable: rci.map(|r| r.abs() > RCI_THRESHOLD),
        rci,
        change_since_first,
        change_since_last,
        points,
    }
}

fn direction(change: f64, higher_is: Direction) -> &'static str {
    match (change, higher_is) {
        (d, _) if d.abs() < 0.005 => "same",
        (d, Direction::Better) if d > 0.0 => "better",
        (d, Direction::Worse) if d < 0.0 => "better",
        _ => "harder",
    }
}

/// Band changes between consecutive scored points.
fn crossings(info: &crate::questionnaire::ScaleInfo, points: &[Point]) -> Vec<Crossing> {
    let position = |id: &str| info.def.bands.iter().position(|b| b.id == id);
    let banded: Vec<(&Point, &BandView)> = points
        .iter()
        .filter_map(|p| p.band.as_ref().map(|b| (p, b)))
        .collect();
    banded
        .windows(2)
        .filter(|w| w[0].1.id != w[1].1.id)
        .map(|w| {
            let up = position(&w[1].1.id) > position(&w[0].1.id);
            Crossing {
                date: w[1].0.date.clone(),
                from: w[0].1.label.clone(),
                to: w[1].1.label.clone(),
                better: up == (info.def.higher_is == Direction::Better),
            }
        })
        .collect()
}

/// "“Time to talk” went from Rarely to A steady habit": healthy band moves, unless the scale
/// can check reliability and the change is within noise.
fn celebrations(s: &ScaleProgress) -> Vec<String> {
    if s.reliable == Some(false) {
        return Vec::new();
    }
    s.crossings
        .iter()
        .filter(|c| c.better)
        .map(|c| {
            format!(
                "\u{201c}{}\u{201d} went from {} to {} (by {}).",
                s.title, c.from, c.to, c.date
            )
        })
        .collect()
}
