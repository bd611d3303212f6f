//! Finds where an id or key is written in a YAML file, so that problems found after parsing
//! (an unknown item in a scale, a rule that does not compile) can still name a line.

use crate::error::Location;

pub struct Locator<'a> {
    lines: Vec<&'a str>,
    /// Every `id: <id>` by id: (line index, column), in file order. Built once, so finding
    /// thousands of ids stays linear.
    ids: std::collections::HashMap<String, Vec<(usize, usize)>>,
    /// Every `key:` by key: (line index, column), in file order.
    keys: std::collections::HashMap<String, Vec<(usize, usize)>>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        let lines: Vec<&str> = text.lines().collect();
        let mut ids: std::collections::HashMap<String, Vec<(usize, usize)>> = Default::default();
        let mut keys: std::collections::HashMap<String, Vec<(usize, usize)>> = Default::default();
        for (n, line) in lines.iter().enumerate() {
            for (col, id) in ids_in(line) {
                ids.entry(id).or_default().push((n, col));
            }
            let trimmed = line.trim_start().trim_start_matches("- ");
            if let Some((key, _)) = trimmed.split_once(':') {
                keys.entry(key.trim_matches(['"', '\'']).to_string())
                    .or_default()
                    .push((n, line.len() - trimmed.len()));
            }
        }
        Locator { lines, ids, keys }
    }

    /// The line of a top-level key (written at the start of a line), or the file's start.
    fn section_start(&self, section: Option<&str>) -> usize {
        section
            .and_then(|s| {
                self.keys
                    .get(s)?
                    .iter()
                    .find(|(_, col)| *col == 0)
                    .map(|(n, _)| *n)
            })
            .unwrap_or(0)
    }

    /// The line that says `id: <id>`, searching after the top-level `section:` key if given.
    pub fn id(&self, id: &str, section: Option<&str>) -> Option<Location> {
        let start = self.section_start(section);
        let &(line, col) = self.ids.get(id)?.iter().find(|(n, _)| *n >= start)?;
        Some(Location {
            line: line + 1,
            column: col + 1,
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
        let start = self.keys.get(section)?.iter().find(|(_, col)| *col == 0)?.0;
        self.key_from(start + 1, key)
    }

    fn key_from(&self, start: usize, key: &str) -> Option<Location> {
        let &(line, col) = self.keys.get(key)?.iter().find(|(n, _)| *n >= start)?;
        Some(Location {
            line: line + 1,
            column: col + 1,
        })
    }
}

/// Each `id: <value>` in a line (block or flow style, plain or quoted), with its column.
fn ids_in(line: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut search = 0;
    while let Some(pos) = line[search..].find("id:") {
        let at = search + pos;
        let before_ok = at == 0 || matches!(line.as_bytes()[at - 1], b' ' | b'{' | b'-' | b',');
        if before_ok {
            let value = line[at + 3..].trim_start().trim_start_matches(['"', '\'']);
            let end = value
                .find([' ', ',', '}', '"', '\'', '#'])
                .unwrap_or(value.len());
            if end > 0 {
                out.push((at, value[..end].to_string()));
            }
        }
        search = at + 3;
    }
    out
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
