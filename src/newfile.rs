//! `mend new`: a small, valid, commented questionnaire to start from.

const TEMPLATE: &str = include_str!("../templates/new-questionnaire.yaml");

/// The starter questionnaire with `id`, or why the id cannot be used.
pub fn questionnaire(id: &str) -> Result<String, String> {
    let mut chars = id.chars();
    let valid = matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'));
    if !valid {
        return Err(format!(
            "`{id}` cannot be an id: use lower case letters, digits and _, starting with a letter (e.g. money_talk)"
        ));
    }
    Ok(TEMPLATE.replace("__ID__", id))
}
