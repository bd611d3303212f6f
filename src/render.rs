//! Presenting a model: minijinja templates (built in, or overridden from `--templates DIR`)
//! turn it into Markdown; comrak turns Markdown into HTML inside one self-contained page.

use std::path::{Path, PathBuf};

use minijinja::{Environment, Value};
use serde::Serialize;

use crate::error::Error;

/// The built-in templates, embedded so mend needs no files beside it.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("parts.md", include_str!("../templates/parts.md")),
    ("report.md", include_str!("../templates/report.md")),
    ("compare.md", include_str!("../templates/compare.md")),
    ("combined.md", include_str!("../templates/combined.md")),
    ("progress.md", include_str!("../templates/progress.md")),
    ("progress.html", include_str!("../templates/progress.html")),
    (
        "questionnaire.md",
        include_str!("../templates/questionnaire.md"),
    ),
    ("page.html", include_str!("../templates/page.html")),
    ("homework.html", include_str!("../templates/homework.html")),
];

/// Template fuel: plenty for any report, and a stop for a template that loops forever.
const FUEL: u64 = 5_000_000;

pub struct Renderer {
    env: Environment<'static>,
    /// Where each template came from, for error messages.
    origins: Vec<(String, PathBuf)>,
}

impl Renderer {
    /// The built-in templates, each replaced by a file of the same name in `overrides`.
    pub fn new(overrides: Option<&Path>) -> Result<Renderer, Error> {
        Renderer::new_in(overrides, None)
    }

    /// Like [`Renderer::new`], with the templates' own words in `lang` where a translation
    /// of them exists (`messages.<lang>.yaml`, built in or in the templates folder).
    pub fn new_in(overrides: Option<&Path>, lang: Option<&str>) -> Result<Renderer, Error> {
        let mut env = Environment::new();
        env.set_fuel(Some(FUEL));
        env.set_recursion_limit(100);
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .keep_trailing_newline(true)
                .build()
                .expect("the default delimiters are valid"),
        );
        env.add_filter("md", md_escape);
        env.add_filter("nohtml", no_html);
        env.add_filter("quote", quote);
        env.add_filter("num", num);
        env.add_function("t", translator(messages(overrides, lang)?));
        env.add_filter("bar", bar);
        env.add_filter("spark", spark);
        env.add_filter("signed", signed);
        env.add_filter("markdown", |text: &str| {
            minijinja::Value::from_safe_string(markdown_to_html(text))
        });
        if let Some(dir) = overrides.filter(|d| !d.is_dir()) {
            return Err(Error::Read {
                path: dir.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "--templates needs a folder of templates (see `mend templates export`)",
                ),
            });
        }
        let mut origins = Vec::new();
        for (name, builtin) in TEMPLATES {
            let (source, origin) = match overrides.map(|d| d.join(name)).filter(|p| p.is_file()) {
                Some(path) => (crate::questionnaire::read_text(&path)?, path),
                None => (
                    builtin.to_string(),
                    PathBuf::from(format!("built-in:templates/{name}")),
                ),
            };
            env.add_template_owned(name.to_string(), source)
                .map_err(|e| template_error(&origin, e))?;
            origins.push((name.to_string(), origin));
        }
        Ok(Renderer { env, origins })
    }

    /// Renders template `name` with `model` as its context.
    pub fn render(&self, name: &str, model: &impl Serialize) -> Result<String, Error> {
        let origin = self
            .origins
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.clone())
            .unwrap_or_else(|| PathBuf::from(name));
        let tmpl = self
            .env
            .get_template(name)
            .map_err(|e| template_error(&origin, e))?;
        tmpl.render(Value::from(minijinja::value::Serde(model)))
            .map_err(|e| template_error(&origin, e))
    }

    /// One self-contained HTML page (inline CSS, nothing fetched) from Markdown.
    pub fn page(&self, title: &str, markdown: &str) -> Result<String, Error> {
        self.page_html(title, markdown_to_html(markdown))
    }

    /// The same page around HTML that a template made (and escaped) itself.
    pub fn page_html(&self, title: &str, body: String) -> Result<String, Error> {
        #[derive(Serialize)]
        struct Page<'a> {
            title: &'a str,
            body: String,
        }
        self.render("page.html", &Page { title, body })
    }
}

/// Built-in translations of the templates' own words: (language, YAML text).
const MESSAGES: &[(&str, &str)] = &[("es", include_str!("../templates/messages.es.yaml"))];

/// The templates' words in `lang`: English text -> translation.
fn messages(
    overrides: Option<&Path>,
    lang: Option<&str>,
) -> Result<std::collections::HashMap<String, String>, Error> {
    let Some(lang) = lang else {
        return Ok(Default::default());
    };
    let user = overrides
        .map(|d| d.join(format!("messages.{lang}.yaml")))
        .filter(|p| p.is_file());
    let text = match &user {
        Some(path) => crate::questionnaire::read_text(path)?,
        None => MESSAGES
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, t)| t.to_string())
            .unwrap_or_default(),
    };
    if text.trim().is_empty() {
        return Ok(Default::default());
    }
    crate::yaml::parse(&text).map_err(|p| {
        let origin = user
            .unwrap_or_else(|| PathBuf::from(format!("built-in:templates/messages.{lang}.yaml")));
        Error::invalid(origin, p)
    })
}

/// `t("Text with {name}", name=...)`: the text in the report's language (or as written),
/// with each `{name}` replaced by its value.
fn translator(
    messages: std::collections::HashMap<String, String>,
) -> impl Fn(String, minijinja::value::Kwargs) -> Result<String, minijinja::Error> + Send + Sync + 'static
{
    move |text: String, kwargs: minijinja::value::Kwargs| {
        let mut out = messages.get(&text).cloned().unwrap_or(text);
        for key in kwargs.args() {
            let value: Value = kwargs.get(key)?;
            out = out.replace(&format!("{{{key}}}"), &value.to_string());
        }
        kwargs.assert_all_used()?;
        Ok(out)
    }
}

fn template_error(origin: &Path, e: minijinja::Error) -> Error {
    let mut message = e.kind().to_string();
    if let Some(detail) = e.detail() {
        message = format!("{message}: {detail}");
    }
    if let Some(line) = e.line() {
        message = format!("line {line}: {message}");
    }
    Error::Template {
        path: origin.to_path_buf(),
        message,
    }
}

/// Markdown to HTML with raw HTML shown as text (never passed through) and unsafe links dropped.
pub fn markdown_to_html(markdown: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options.extension.tasklist = true;
    options.render.r#unsafe = false;
    options.render.escape = true;
    comrak::markdown_to_html(markdown, &options)
}

/// Escapes text a person typed (names, free-text answers) so Markdown shows it as written.
pub fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (n, line) in text.lines().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let body = line.trim_start();
        out.push_str(&line[..line.len() - body.len()]);
        let mut chars = body.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let starts_block = i == 0 && matches!(c, '-' | '+' | '=');
            let ordered = c.is_ascii_digit()
                && body[..i].chars().all(|d| d.is_ascii_digit())
                && matches!(chars.peek(), Some((_, '.' | ')')))
                && body[i + 2..].chars().next().is_none_or(char::is_whitespace);
            if starts_block || "\\`*_[]<>#|~!&{}".contains(c) {
                out.push('\\');
            }
            out.push(c);
            if ordered {
                let (_, dot) = chars.next().expect("peeked");
                out.push('\\');
                out.push(dot);
            }
        }
    }
    out
}

/// Keeps an author's Markdown but turns raw HTML tags into plain text.
fn no_html(text: &str) -> String {
    text.replace('<', "\\<")
}

/// Escaped text as a Markdown block quote, line by line.
fn quote(text: &str) -> String {
    md_escape(text)
        .lines()
        .map(|l| format!("> {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn num(value: f64) -> String {
    crate::model::format_number((value * 100.0).round() / 100.0)
}

/// A text sparkline for positions from 0 to 1 (a gap for a missing one).
fn spark(positions: Vec<Option<f64>>) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    positions
        .iter()
        .map(|p| match p {
            Some(p) => LEVELS[((p.clamp(0.0, 1.0) * 7.0).round()) as usize],
            None => ' ',
        })
        .collect()
}

/// A change with its sign: +0.5, -1, 0.
fn signed(value: f64) -> String {
    let n = num(value);
    if value > 0.0 { format!("+{n}") } else { n }
}

/// A text bar of ten cells for a position from 0 to 1.
fn bar(position: f64) -> String {
    let filled = (position.clamp(0.0, 1.0) * 10.0).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(10 - filled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_cannot_become_markup() {
        let html = markdown_to_html(&md_escape(
            "<script>alert(1)</script> **x** [a](javascript:alert(1))",
        ));
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<strong>"), "{html}");
        assert!(!html.contains("href"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn line_starts_that_would_make_lists_or_headings_are_escaped() {
        assert_eq!(md_escape("- a\n1. b\n# c"), "\\- a\n1\\. b\n\\# c");
    }

    #[test]
    fn raw_html_in_author_markdown_is_shown_as_text() {
        let html = markdown_to_html("Hello <img src=x onerror=alert(1)> <b>bold</b>");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
    }

    #[test]
    fn javascript_links_are_dropped() {
        let html = markdown_to_html("[click](javascript:alert(1))");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn bars_have_ten_cells() {
        assert_eq!(bar(0.5), "█████░░░░░");
        assert_eq!(bar(2.0), "██████████");
    }
}
