//! Finds where an id or key is written in a YAML file, so that problems found after parsing
//! (an unknown item in a scale, a rule that does not compile) can still name a line.

use crate::error::Location;

pub struct Locator<'a> {
    lines: Vec<&'a str>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        Locator {
            lines: text.lines().collect(),
        }
    }

    /// The line that says `id: <id>`, searching after the top-level `section:` key if given.
    pub fn id(&self, id: &str, section: Option<&str>) -> Option<Location> {
        let start = section
            .and_then(|s| {
                let key = format!("{s}:");
                self.lines.iter().position(|l| l.starts_with(&key))
            })
            .unwrap_or(0);
        self.lines
            .iter()
            .enumerate()
            .skip(start)
            .find_map(|(n, line)| {
                let col = find_id(line, id)?;
                Some(Location {
                    line: n + 1,
                    column: col + 1,
                })
            })
    }

    /// The first line whose key is `key` (`key:` at any indentation).
    pub fn key(&self, key: &str) -> Option<Location> {
        self.key_from(0, key)
    }

    /// The first line that holds `value` (a condition's text), to point at it.
    pub fn key_with_value(&self, value: &str) -> Option<Location> {
        let first = value.lines().next()?.trim();
        self.lines.iter().enumerate().find_map(|(n, line)| {
            line.find(first).map(|col| Location {
                line: n + 1,
                column: col + 1,
            })
        })
    }

    /// The first line with key `key` after the top-level key `section:`.
    pub fn key_in(&self, section: &str, key: &str) -> Option<Location> {
        let head = format!("{section}:");
        let start = self.lines.iter().position(|l| l.starts_with(&head))?;
        self.key_from(start + 1, key)
    }

    fn key_from(&self, start: usize, key: &str) -> Option<Location> {
        self.lines
            .iter()
            .enumerate()
            .skip(start)
            .find_map(|(n, line)| {
                let trimmed = line.trim_start().trim_start_matches("- ");
                let rest = trimmed.strip_prefix(key)?;
                rest.starts_with(':').then(|| Location {
                    line: n + 1,
                    column: line.len() - trimmed.len() + 1,
                })
            })
    }
}

/// The column of `id: <id>` in `line`, with the id plain or quoted, as a block or flow key.
fn find_id(line: &str, id: &str) -> Option<usize> {
    let mut search = 0;
    while let Some(pos) = line[search..].find("id:") {
        let at = search + pos;
        let before_ok = at == 0 || matches!(line.as_bytes()[at - 1], b' ' | b'{' | b'-' | b',');
        let value = line[at + 3..].trim_start();
        let value = value.trim_start_matches(['"', '\'']);
        if before_ok
            && let Some(rest) = value.strip_prefix(id)
            && (rest.is_empty() || rest.starts_with([' ', ',', '}', '"', '\'', '#']))
        {
            return Some(at);
        }
        search = at + 3;
    }
    None
}

/// " (did you mean `x`?)" for the nearest of `known`, or nothing when none is close.
pub fn nearest<'k>(name: &str, known: impl IntoIterator<Item = &'k String>) -> String {
    known
        .into_iter()
        .map(|k| (strsim::levenshtein(name, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_block_and_flow_ids_but_not_prefixes() {
        let text = "sections:\n  - id: about\n    items:\n      - { id: want_us_more, text: x }\n      - { id: want_us, text: y }\nscales:\n  - id: about\n";
        let l = Locator::new(text);
        assert_eq!(l.id("about", None).unwrap().line, 2);
        assert_eq!(l.id("want_us", None).unwrap().line, 5);
        assert_eq!(l.id("about", Some("scales")).unwrap().line, 7);
        assert_eq!(l.id("missing", None), None);
    }

    #[test]
    fn nearest_suggests_close_names_only() {
        let known = vec!["commitment".to_string(), "hope".to_string()];
        assert_eq!(
            nearest("comitment", &known),
            " (did you mean `commitment`?)"
        );
        assert_eq!(nearest("zzzzzz", &known), "");
    }
}
