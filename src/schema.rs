//! JSON Schemas of mend's file formats, generated from the same Rust types the loader reads,
//! so they cannot drift from what mend accepts. Editors use them to complete keys and show
//! mistakes while typing (see docs/authoring.md).

use crate::answers::AnswersFile;
use crate::model::{QuestionnaireFile, StrategyFile, SupportFile};

/// The file formats that have a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Questionnaire,
    Answers,
    Strategies,
    Support,
}

/// The JSON Schema of one file format.
pub fn schema(kind: Kind) -> serde_json::Value {
    let schema = match kind {
        Kind::Questionnaire => schemars::schema_for!(QuestionnaireFile),
        Kind::Answers => schemars::schema_for!(AnswersFile),
        Kind::Strategies => schemars::schema_for!(StrategyFile),
        Kind::Support => schemars::schema_for!(SupportFile),
    };
    schema.to_value()
}
