//! All YAML parsing and writing lives here, so that serde_yaml (archived upstream) can be
//! swapped for a maintained fork with the same API (such as serde_norway) in one place.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Location, Problem};

/// Parses `text` as one YAML document into `T`, turning any failure into a located problem
/// that says how to fix it.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Problem::error(
            None,
            "the file is empty; it needs at least the required keys (see docs/authoring.md)",
        ));
    }
    check_nesting(text)?;
    serde_yaml::from_str(text).map_err(|err| problem_from(&err))
}

/// Deeper nesting than any mend file needs; refused before parsing, because the YAML parser
/// takes time growing with the square of the depth of `[[[[...`.
const MAX_NESTING: usize = 64;

fn check_nesting(text: &str) -> Result<(), Problem> {
    let mut depth = 0usize;
    for (n, line) in text.lines().enumerate() {
        for (col, c) in line.char_indices() {
            match c {
                '[' | '{' => depth += 1,
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth > MAX_NESTING {
                return Err(Problem::error(
                    Some(Location {
                        line: n + 1,
                        column: col + 1,
                    }),
                    format!(
                        "the file nests lists or maps more than {MAX_NESTING} levels deep; no mend file needs that many"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Writes `value` as YAML text.
pub fn to_string<T: Serialize>(value: &T) -> String {
    serde_yaml::to_string(value).unwrap_or_else(|err| format!("# cannot write YAML: {err}\n"))
}

/// Quotes `text` as a YAML scalar if it needs quoting, so generated files parse back as written.
pub fn scalar(text: &str) -> String {
    let out = to_string(&text);
    out.trim_end_matches('\n').to_string()
}

fn problem_from(err: &serde_yaml::Error) -> Problem {
    let location = err.location().map(|l| Location {
        line: l.line(),
        column: l.column(),
    });
    let mut message = err.to_string();
    if let Some(loc) = location {
        message = message.replacen(
            &format!(" at line {} column {}", loc.line, loc.column),
            "",
            1,
        );
    }
    if message.contains("repetition limit exceeded") || message.contains("recursion limit exceeded")
    {
        message.push_str(
            ": the file expands into too much data (too many aliases or too deep nesting); write the content out plainly",
        );
    }
    const SYNTAX: &[&str] = &[
        "while parsing",
        "while scanning",
        "not allowed",
        "did not find expected",
        "found character",
        "found unexpected",
    ];
    if SYNTAX.iter().any(|s| message.contains(s)) {
        message.push_str(
            " (a YAML syntax problem: check the indentation, colons and quotes on this line and the one before; text with a colon, # or brackets needs quotes)",
        );
    }
    if let Some(hint) = suggest_field(&message) {
        message.push_str(&hint);
    } else if message.contains("unknown field `")
        && message.split('`').nth(1).is_some_and(|f| f.contains(' '))
    {
        message.push_str(
            " (a text with a comma inside `{ ... }` is split there: put the whole text in quotes, e.g. label: \"Yes, soon\")",
        );
    }
    Problem::error(location, message)
}

/// For serde's "unknown field `x`, expected one of `a`, `b`", suggests the nearest known key.
fn suggest_field(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let unknown = rest.split('`').next()?;
    let expected = rest.split_once("expected")?.1;
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let best = known
        .iter()
        .map(|k| (strsim::levenshtein(unknown, k), *k))
        .min()
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))?;
    Some(format!(" (did you mean `{}`?)", best.1))
}

/// The top-level keys of a YAML mapping (empty if the text is not one), to tell file kinds apart.
pub fn top_keys(text: &str) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(serde_yaml::Value::Mapping(m)) => m
            .keys()
            .filter_map(|k| k.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        text: String,
    }

    #[test]
    fn unknown_key_is_located_and_the_nearest_key_suggested() {
        let p = parse::<Item>("id: a\ntxet: hello\n").unwrap_err();
        assert_eq!(p.location, Some(Location { line: 2, column: 1 }));
        assert!(p.message.contains("unknown field `txet`"), "{}", p.message);
        assert!(
            p.message.ends_with("(did you mean `text`?)"),
            "{}",
            p.message
        );
        assert!(!p.message.contains("at line"), "{}", p.message);
    }

    #[test]
    fn empty_file_says_so() {
        let p = parse::<Item>("\u{feff}  \n").unwrap_err();
        assert!(p.message.contains("empty"));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut doc = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            doc.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let p = parse::<serde_yaml::Value>(&doc).unwrap_err();
        assert!(p.message.contains("too much data"), "{}", p.message);
    }
}
