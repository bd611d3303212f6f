//! Loading and checking a questionnaire: from the YAML file model to a resolved questionnaire
//! whose options are inlined, score ranges computed and conditions compiled.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, FileProblems, Location, Problem, Severity};
use crate::expr::{Condition, Text};
use crate::library::{Library, builtin};
use crate::locate::{Locator, nearest};
use crate::model::{
    Audience, Band, Choice, ItemType, Method, QuestionnaireFile, Rule, Scalar, Scale,
};
use crate::yaml;

/// A questionnaire ready to use: checked, with everything resolved.
#[derive(Debug)]
pub struct Questionnaire {
    pub file: QuestionnaireFile,
    /// Where it came from: a path, or `built-in:<id>`.
    pub origin: PathBuf,
    /// A short hash of the file's text, so a report names exactly what produced it.
    pub hash: String,
    pub items: Vec<ItemInfo>,
    pub scales: Vec<ScaleInfo>,
    pub rules: Vec<RuleInfo>,
    /// Rules over a couple's two answer sets, for the joint plan.
    pub couple_rules: Vec<RuleInfo>,
    /// Perception pairs: (the item about oneself, the item about the partner).
    pub pairs: Vec<(usize, usize)>,
    pub library: Library,
    /// Item ids to their place, and which items take numbers: for fast lookups per answer set.
    pub index: std::sync::Arc<std::collections::HashMap<String, usize>>,
    pub numeric: std::sync::Arc<Vec<bool>>,
    /// Items whose answers compiled conditions read as values (the others they read by the
    /// option chosen, or not at all): only these need a value per answer set.
    pub read_as_value: Vec<bool>,
    /// Texts with no translation into the language asked for (they stay in the original).
    pub untranslated: Vec<String>,
    /// Problems that do not stop mend from using it.
    pub warnings: Vec<Problem>,
}

/// An item with its options resolved and its conditions compiled.
#[derive(Debug)]
pub struct ItemInfo {
    pub id: String,
    /// Its place in the questionnaire, where its answer is kept in `Responses`.
    pub position: usize,
    pub section: usize,
    pub text: String,
    pub help: String,
    pub kind: ItemType,
    pub options: Vec<Choice>,
    /// Each option's value as conditions see it, made once (see `scoring::answer_value`).
    pub option_values: Vec<minijinja::Value>,
    pub required: bool,
    /// All must hold for the item to be shown: the section's condition, then the item's.
    pub show_if: Vec<Condition>,
    pub reverse: bool,
    pub weight: f64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The lowest and highest score, when the item can be scored.
    pub range: Option<(f64, f64)>,
    pub flag: Option<(String, Condition)>,
    /// Whether its answers are numbers (and so can be compared with `<`).
    pub numeric: bool,
    /// An open question for a couple who answer it differently.
    pub conversation: String,
}

/// What a scale is made of.
#[derive(Debug, Clone)]
pub enum Parts {
    Items(Vec<usize>),
    Subscales(Vec<usize>),
}

#[derive(Debug)]
pub struct ScaleInfo {
    pub def: Scale,
    pub parts: Parts,
    pub min: f64,
    pub max: f64,
    /// For each band, whether it is a healthy result.
    pub healthy: Vec<bool>,
}

#[derive(Debug)]
pub struct RuleInfo {
    pub def: Rule,
    pub when: Condition,
    pub because: Text,
    pub finding: Text,
}

/// Item and scale ids to their positions, and what choice answers and bands can be, for
/// compiling conditions.
struct Positions<'a> {
    items: HashMap<String, usize>,
    scales: HashMap<String, usize>,
    /// Per item: its option values, if it is a choice, and whether its answers are numbers.
    options: Vec<Option<(Vec<minijinja::Value>, bool)>>,
    scale_info: &'a [ScaleInfo],
}

impl crate::compiled::Resolve for Positions<'_> {
    fn item(&self, id: &str) -> Option<usize> {
        self.items.get(id).copied()
    }
    fn scale(&self, id: &str) -> Option<usize> {
        self.scales.get(id).copied()
    }
    fn options(&self, item: usize) -> Option<(&[minijinja::Value], bool)> {
        self.options[item]
            .as_ref()
            .map(|(values, numeric)| (values.as_slice(), *numeric))
    }
    fn bands(&self, scale: usize) -> Vec<(minijinja::Value, minijinja::Value)> {
        self.scale_info[scale]
            .def
            .bands
            .iter()
            .map(|b| {
                (
                    minijinja::Value::from(b.id.as_str()),
                    minijinja::Value::from(b.label.as_str()),
                )
            })
            .collect()
    }
}

/// Compiles every condition a person's answers are checked with (visibility, item flags,
/// rules) to read answers and scores by position; says which items they read as values.
fn link_conditions(
    items: &mut [ItemInfo],
    scales: &[ScaleInfo],
    rules: &mut [RuleInfo],
) -> Vec<bool> {
    let positions = Positions {
        items: items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.id.clone(), i))
            .collect(),
        scales: scales
            .iter()
            .enumerate()
            .map(|(i, s)| (s.def.id.clone(), i))
            .collect(),
        options: items
            .iter()
            .map(|item| {
                matches!(item.kind, ItemType::Choice | ItemType::Yesno)
                    .then(|| (item.option_values.clone(), item.numeric))
            })
            .collect(),
        scale_info: scales,
    };
    let numeric: Vec<bool> = items.iter().map(|i| i.numeric).collect();
    let numeric = |i: usize| numeric[i];
    for item in items.iter_mut() {
        for c in &mut item.show_if {
            c.link(&positions, &numeric);
        }
        if let Some((_, c)) = &mut item.flag {
            c.link(&positions, &numeric);
        }
    }
    for rule in rules.iter_mut() {
        rule.when.link(&positions, &numeric);
    }
    let mut read = Vec::new();
    for item in items.iter() {
        for c in item.show_if.iter().chain(item.flag.as_ref().map(|f| &f.1)) {
            c.values_read(&mut read);
        }
    }
    for rule in rules.iter() {
        rule.when.values_read(&mut read);
    }
    let mut read_as_value = vec![false; items.len()];
    for i in read {
        read_as_value[i] = true;
    }
    read_as_value
}

const SCALE_FIELDS: &[&str] = &["score", "band", "label", "answered", "items", "min", "max"];
const COUPLE_FIELDS: &[&str] = &["gap", "low", "high", "healthy", "bands"];
/// Longest item text and option label that still read well on a phone.
const TEXT_MAX: usize = 200;
const LABEL_MAX: usize = 60;

impl Questionnaire {
    /// Loads a built-in questionnaire by id, or a questionnaire file by path.
    pub fn open(name: &str) -> Result<Questionnaire, Error> {
        Questionnaire::open_in(name, None)
    }

    /// Loads a questionnaire in a language (`es`), from its translation beside it (built in,
    /// or `<name>.<lang>.yaml` beside a file); untranslated texts keep the original language,
    /// and a warning lists them.
    pub fn open_in(name: &str, lang: Option<&str>) -> Result<Questionnaire, Error> {
        if let Some((id, text)) = builtin::QUESTIONNAIRES.iter().find(|(id, _)| *id == name) {
            let origin = PathBuf::from(format!("built-in:{id}"));
            let translation = lang.map(|l| {
                builtin::translation(id, l)
                    .map(str::to_string)
                    .ok_or_else(|| no_translation(id, l))
            });
            return Questionnaire::parse_in(&origin, text, translation, lang)
                .map_err(Error::Invalid);
        }
        let path = Path::new(name);
        if !path.exists() && !name.contains(['/', '\\', '.']) {
            return Err(Error::UnknownQuestionnaire {
                name: name.to_string(),
                builtins: builtin_ids().join(", "),
            });
        }
        let text = read_text(path)?;
        let translation = lang.map(|l| {
            let beside = path.with_extension(format!("{l}.yaml"));
            if beside.is_file() {
                read_text(&beside).map_err(|e| e.to_string())
            } else {
                Err(no_translation(&beside.display().to_string(), l))
            }
        });
        Questionnaire::parse_in(path, &text, translation, lang).map_err(Error::Invalid)
    }

    /// Parses and checks a questionnaire's text; errors come back all together.
    pub fn parse(origin: &Path, text: &str) -> Result<Questionnaire, FileProblems> {
        Questionnaire::parse_in(origin, text, None, None)
    }

    /// Like [`Questionnaire::parse`], applying a translation's text (or the reason there is
    /// none, which becomes a warning) and the library's translation into `lang`.
    pub fn parse_in(
        origin: &Path,
        text: &str,
        translation: Option<Result<String, String>>,
        lang: Option<&str>,
    ) -> Result<Questionnaire, FileProblems> {
        let mut file: QuestionnaireFile = yaml::parse(text).map_err(|p| FileProblems {
            path: origin.to_path_buf(),
            problems: vec![p],
        })?;
        let mut missing = crate::translate::Missing::default();
        let mut notes = Vec::new();
        match translation {
            Some(Ok(t)) => {
                match yaml::parse::<crate::translate::QuestionnaireTranslation>(&t) {
                    Ok(t) => {
                        for id in crate::translate::unknown_ids(&file, &t) {
                            notes.push(Problem::warning(None, format!("the translation has `{id}`, which the questionnaire does not have")));
                        }
                        crate::translate::apply(&mut file, &t, &mut missing);
                    }
                    Err(p) => notes.push(Problem::warning(
                        None,
                        format!(
                            "its translation cannot be read ({}); showing it in its own language",
                            p.message
                        ),
                    )),
                }
            }
            Some(Err(why)) => notes.push(Problem::warning(None, why)),
            None => {}
        }
        let library = match lang {
            Some(l) => Library::builtin_in(l, &mut missing),
            None => Library::builtin(),
        };
        if !missing.0.is_empty() {
            let shown: Vec<&str> = missing.0.iter().take(8).map(String::as_str).collect();
            let more = if missing.0.len() > shown.len() {
                format!(", and {} more", missing.0.len() - shown.len())
            } else {
                String::new()
            };
            notes.push(Problem::warning(
                None,
                format!("{} texts are not translated to `{}` and stay in the original language: {}{more}", missing.0.len(), lang.unwrap_or_default(), shown.join(", ")),
            ));
        }
        let mut checker = Checker::new(text, library);
        checker.problems.extend(notes);
        let mut q = checker.resolve(file, origin, text);
        q.untranslated = missing.0;
        let mut problems = checker.problems;
        problems.sort_by_key(|p| {
            (
                p.location.map(|l| (l.line, l.column)),
                std::cmp::Reverse(p.severity),
            )
        });
        if problems.iter().any(|p| p.severity == Severity::Error) {
            return Err(FileProblems {
                path: origin.to_path_buf(),
                problems,
            });
        }
        Ok(Questionnaire {
            warnings: problems,
            ..q
        })
    }

    /// How to name this questionnaire on the command line: its id if built in, else its path.
    pub fn command_name(&self) -> String {
        let origin = self.origin.to_string_lossy();
        match origin.strip_prefix("built-in:") {
            Some(id) => id.to_string(),
            None => origin.into_owned(),
        }
    }

    pub fn item(&self, id: &str) -> Option<&ItemInfo> {
        self.item_index(id).map(|i| &self.items[i])
    }

    pub fn item_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The ids of the role item's options, when the questionnaire asks for a role.
    pub fn role_item(&self) -> Option<&ItemInfo> {
        self.file.role_item.as_deref().and_then(|id| self.item(id))
    }
}

fn no_translation(what: &str, lang: &str) -> String {
    format!("there is no `{lang}` translation of {what}; showing it in its own language")
}

/// The ids of the built-in questionnaires.
pub fn builtin_ids() -> Vec<&'static str> {
    builtin::QUESTIONNAIRES.iter().map(|(id, _)| *id).collect()
}

/// The largest questionnaire, answers or template file mend reads: far above any real one,
/// and a bound on memory and time for a hostile one.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Reads a UTF-8 text file, saying clearly when it is not one.
pub fn read_text(path: &Path) -> Result<String, Error> {
    let read_err = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    // Read at most one byte past the limit: a size the file system reports can lie
    // (`/dev/zero`, a pipe), the bytes read cannot.
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(read_err)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::invalid(
            path,
            Problem::error(
                None,
                format!(
                    "the file is larger than {} MB, the most mend reads here (CSV responses for `mend batch` have no limit)",
                    MAX_FILE_BYTES / 1_000_000
                ),
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::invalid(
            path,
            Problem::error(
                None,
                format!(
                    "the file is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
                    e.utf8_error().valid_up_to()
                ),
            ),
        )
    })
}

fn short_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
}

/// Collects every problem while resolving, rather than stopping at the first.
struct Checker<'t> {
    locator: Locator<'t>,
    library: Library,
    problems: Vec<Problem>,
}

impl<'t> Checker<'t> {
    fn new(text: &'t str, library: Library) -> Self {
        Checker {
            locator: Locator::new(text),
            library,
            problems: Vec::new(),
        }
    }

    fn error(&mut self, at: Option<Location>, message: String) {
        self.problems.push(Problem::error(at, message));
    }

    fn warn(&mut self, at: Option<Location>, message: String) {
        self.problems.push(Problem::warning(at, message));
    }

    fn check_id(&mut self, what: &str, id: &str, at: Option<Location>) {
        if !valid_id(id) {
            self.error(
                at,
                format!(
                    "{what} id `{id}` is not allowed: use lower case letters, digits and `_`, starting with a letter"
                ),
            );
        }
    }

    fn resolve(&mut self, mut file: QuestionnaireFile, origin: &Path, text: &str) -> Questionnaire {
        let top = self.locator.id(&file.id, None);
        self.check_id("questionnaire", &file.id.clone(), top);
        self.merge_library(&mut file);
        let mut items = self.resolve_items(&file);
        let scales = self.resolve_scales(&file, &items);
        let mut rules = self.resolve_rules(&file.rules, "rules", &Scope::Rule(&items, &scales));
        let read_as_value = link_conditions(&mut items, &scales, &mut rules);
        let couple_rules =
            self.resolve_rules(&file.couple.rules, "couple", &Scope::Couple(&scales));
        let pairs = self.resolve_pairs(&file, &items);
        self.check_role(&file, &items);
        self.check_unused(&items, &scales, &rules, &file);
        self.check_literals(&items, &scales, &rules);
        let lib_problems = self.library.problems(&self.locator);
        // Problems in the built-in library are reported by its own tests, not against this file.
        self.problems.extend(lib_problems.into_iter().filter(|p| {
            file.strategies
                .iter()
                .any(|s| p.message.contains(&format!("`{}`", s.id)))
                || file
                    .flags
                    .keys()
                    .any(|f| p.message.contains(&format!("`{f}`")))
        }));
        Questionnaire {
            untranslated: Vec::new(),
            index: std::sync::Arc::new(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (item.id.clone(), i))
                    .collect(),
            ),
            numeric: std::sync::Arc::new(items.iter().map(|i| i.numeric).collect()),
            read_as_value,
            origin: origin.to_path_buf(),
            hash: short_hash(text),
            items,
            scales,
            rules,
            couple_rules,
            pairs,
            library: self.library.clone(),
            warnings: Vec::new(),
            file,
        }
    }

    fn merge_library(&mut self, file: &mut QuestionnaireFile) {
        // A questionnaire's own sources may be cited by its own strategies.
        for src in &file.sources {
            self.library
                .sources
                .entry(src.clone())
                .or_insert_with(|| src.clone());
        }
        for s in &file.strategies {
            let at = self.locator.id(&s.id, Some("strategies"));
            self.check_id("strategy", &s.id, at);
        }
        let clashes = self.library.add_strategy_list(file.strategies.clone());
        for id in clashes {
            let at = self.locator.id(&id, Some("strategies"));
            self.error(
                at,
                format!(
                    "strategy `{id}` already exists in the built-in library; give yours another id"
                ),
            );
        }
        for (id, flag) in &file.flags {
            let at = self.locator.key(id);
            self.check_id("flag", id, at);
            self.library.flags.insert(id.clone(), flag.clone());
        }
    }

    fn resolve_items(&mut self, file: &QuestionnaireFile) -> Vec<ItemInfo> {
        let mut items: Vec<ItemInfo> = Vec::new();
        let all_ids: Vec<String> = file
            .sections
            .iter()
            .flat_map(|s| s.items.iter().map(|i| i.id.clone()))
            .collect();
        let mut seen_sections = HashSet::new();
        let mut seen_items: HashSet<String> = HashSet::new();
        for (s_index, section) in file.sections.iter().enumerate() {
            let s_at = self.locator.id(&section.id, Some("sections"));
            self.check_id("section", &section.id, s_at);
            if !seen_sections.insert(section.id.clone()) {
                self.error(
                    s_at,
                    format!("section `{}` appears twice; ids must be unique", section.id),
                );
            }
            if section.items.is_empty() {
                self.error(s_at, format!("section `{}` has no items", section.id));
            }
            let section_if = section.show_if.as_ref().and_then(|src| {
                let what = format!("section `{}`: `show_if`", section.id);
                self.condition(&what, src, s_at, &Scope::Answers(&items, &all_ids))
            });
            for item in &section.items {
                let at = self.locator.id(&item.id, Some("sections"));
                self.check_id("item", &item.id, at);
                if !seen_items.insert(item.id.clone()) {
                    self.error(
                        at,
                        format!("item `{}` appears twice; ids must be unique", item.id),
                    );
                }
                let options = self.options(file, item, at);
                let mut show_if: Vec<Condition> = Vec::new();
                if let Some(src) = &section_if {
                    show_if.push(Condition::compile(&src.source).expect("compiled before"));
                }
                if let Some(src) = &item.show_if {
                    let what = format!("item `{}`: `show_if`", item.id);
                    if let Some(c) =
                        self.condition(&what, src, at, &Scope::Answers(&items, &all_ids))
                    {
                        show_if.push(c);
                    }
                }
                let range = self.item_range(item, &options, at);
                let mut scope_items: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
                scope_items.push(&item.id);
                let flag = item.flag.as_ref().and_then(|f| {
                    if !self.library.flags.contains_key(&f.name) {
                        let hint = nearest(&f.name, self.library.flags.keys());
                        self.error(
                            at,
                            format!("item `{}`: unknown flag `{}`{hint}", item.id, f.name),
                        );
                    }
                    let what = format!("item `{}`: flag `when`", item.id);
                    self.condition(&what, &f.when, at, &Scope::ItemFlag(&scope_items))
                        .map(|c| (f.name.clone(), c))
                });
                let numeric = match item.kind {
                    ItemType::Number => true,
                    ItemType::Choice => options
                        .iter()
                        .all(|o| o.missing || o.value.as_number().is_some()),
                    _ => false,
                };
                if item.kind == ItemType::Number
                    && item.min.zip(item.max).is_some_and(|(a, b)| a >= b)
                {
                    self.error(at, format!("item `{}`: `min` must be below `max`", item.id));
                }
                if item.weight.is_some_and(|w| !w.is_finite() || w <= 0.0) {
                    self.error(
                        at,
                        format!("item `{}`: `weight` must be a positive number", item.id),
                    );
                }
                items.push(ItemInfo {
                    id: item.id.clone(),
                    position: items.len(),
                    section: s_index,
                    text: item.text.clone(),
                    help: item.help.clone(),
                    kind: item.kind,
                    option_values: options
                        .iter()
                        .map(|o| crate::scoring::scalar_value(&o.value))
                        .collect(),
                    options,
                    required: item.required,
                    show_if,
                    reverse: item.reverse,
                    weight: item.weight.unwrap_or(1.0),
                    min: item.min,
                    max: item.max,
                    range,
                    flag,
                    numeric,
                    conversation: item.conversation.clone(),
                });
            }
        }
        items
    }

    fn options(
        &mut self,
        file: &QuestionnaireFile,
        item: &crate::model::Item,
        at: Option<Location>,
    ) -> Vec<Choice> {
        let id = &item.id;
        let options = match (item.kind, &item.scale, &item.options) {
            (ItemType::Choice | ItemType::Multi, Some(_), Some(_)) => {
                self.error(
                    at,
                    format!("item `{id}` has both `scale` and `options`; keep one"),
                );
                Vec::new()
            }
            (ItemType::Choice | ItemType::Multi, Some(name), None) => {
                match file.response_scales.get(name) {
                    Some(opts) => opts.clone(),
                    None => {
                        let hint = nearest(name, file.response_scales.keys());
                        self.error(
                            at,
                            format!("item `{id}` uses the unknown response scale `{name}`{hint}"),
                        );
                        Vec::new()
                    }
                }
            }
            (ItemType::Choice | ItemType::Multi, None, Some(opts)) => opts.clone(),
            (ItemType::Choice | ItemType::Multi, None, None) => {
                self.error(
                    at,
                    format!("item `{id}` needs its options: add `scale: <name>` or `options:`"),
                );
                Vec::new()
            }
            (ItemType::Yesno, None, None) => vec![
                Choice {
                    value: Scalar::Text("yes".into()),
                    label: file.yes_no.yes.clone(),
                    score: Some(1.0),
                    missing: false,
                },
                Choice {
                    value: Scalar::Text("no".into()),
                    label: file.yes_no.no.clone(),
                    score: Some(0.0),
                    missing: false,
                },
            ],
            (kind, _, _) if item.scale.is_some() || item.options.is_some() => {
                let kind = format!("{kind:?}").to_lowercase();
                self.error(
                    at,
                    format!("item `{id}` is of type `{kind}`, which takes no `scale` or `options`"),
                );
                Vec::new()
            }
            _ => Vec::new(),
        };
        let mut seen: Vec<&Scalar> = Vec::new();
        for o in &options {
            if seen.iter().any(|s| s.matches(&o.value)) {
                self.error(
                    at,
                    format!("item `{id}`: the option value `{}` appears twice", o.value),
                );
            }
            seen.push(&o.value);
        }
        if matches!(item.kind, ItemType::Choice | ItemType::Multi)
            && !options.is_empty()
            && options.iter().all(|o| o.missing)
        {
            self.error(
                at,
                format!(
                    "item `{id}`: every option is `missing: true`, so it can never be answered"
                ),
            );
        }
        options
    }

    /// The lowest and highest score an item can give, or `None` if it cannot be scored.
    fn item_range(
        &mut self,
        item: &crate::model::Item,
        options: &[Choice],
        at: Option<Location>,
    ) -> Option<(f64, f64)> {
        let scores: Option<Vec<f64>> = options
            .iter()
            .filter(|o| !o.missing)
            .map(|o| o.score.or(o.value.as_number()))
            .collect();
        match item.kind {
            ItemType::Choice | ItemType::Yesno => {
                let scores = scores.filter(|s| !s.is_empty())?;
                Some(min_max(&scores))
            }
            ItemType::Multi => {
                let per: Vec<f64> = options
                    .iter()
                    .filter(|o| !o.missing)
                    .map(|o| o.score.unwrap_or(1.0))
                    .collect();
                let low: f64 = per.iter().filter(|s| **s < 0.0).sum();
                let high: f64 = per.iter().filter(|s| **s > 0.0).sum();
                Some((low, high))
            }
            ItemType::Number => item.min.zip(item.max),
            ItemType::Text => {
                if item.reverse {
                    self.error(
                        at,
                        format!(
                            "item `{}`: free text is never scored, so it cannot be `reverse`",
                            item.id
                        ),
                    );
                }
                None
            }
        }
    }

    fn resolve_scales(&mut self, file: &QuestionnaireFile, items: &[ItemInfo]) -> Vec<ScaleInfo> {
        let mut scales: Vec<ScaleInfo> = Vec::new();
        for def in &file.scales {
            let at = self.locator.id(&def.id, Some("scales"));
            self.check_id("scale", &def.id, at);
            if scales.iter().any(|s| s.def.id == def.id) {
                self.error(
                    at,
                    format!("scale `{}` appears twice; ids must be unique", def.id),
                );
            }
            let parts = match (def.items.is_empty(), def.subscales.is_empty()) {
                (false, true) => Parts::Items(self.scale_items(def, items, at)),
                (true, false) => Parts::Subscales(self.scale_subscales(def, &scales, at)),
                (false, false) => {
                    self.error(at, format!("scale `{}` has both `items` and `subscales`; a scale is built from one or the other", def.id));
                    Parts::Items(Vec::new())
                }
                (true, true) => {
                    self.error(
                        at,
                        format!(
                            "scale `{}` needs `items: [...]` or `subscales: [...]`",
                            def.id
                        ),
                    );
                    Parts::Items(Vec::new())
                }
            };
            let (min, max) = scale_range(def.score, &parts, items, &scales);
            self.check_bands(def, min, max, at);
            match (def.reliability, def.sd) {
                (Some(r), Some(sd)) if !(r > 0.0 && r < 1.0) || sd <= 0.0 => self.error(
                    at,
                    format!("scale `{}`: `reliability` is between 0 and 1 (not including them) and `sd` is above 0", def.id),
                ),
                (Some(_), None) | (None, Some(_)) => self.error(
                    at,
                    format!("scale `{}`: give both `reliability` and `sd` (a reliable change needs both), or neither", def.id),
                ),
                _ => {}
            }
            if let Some(c) = &def.couple {
                for (key, text) in [
                    ("both_healthy", &c.both_healthy),
                    ("both_not", &c.both_not),
                    ("one_each", &c.one_each),
                ] {
                    self.text(&format!("scale `{}`: `couple.{key}`", def.id), text, at);
                }
            }
            scales.push(ScaleInfo {
                def: def.clone(),
                parts,
                min,
                max,
                healthy: healthy_bands(def),
            });
        }
        scales
    }

    fn scale_items(&mut self, def: &Scale, items: &[ItemInfo], at: Option<Location>) -> Vec<usize> {
        let mut out = Vec::new();
        for id in &def.items {
            match items.iter().position(|i| &i.id == id) {
                None => {
                    let hint = nearest(id, items.iter().map(|i| &i.id));
                    self.error(
                        at,
                        format!("scale `{}` names the unknown item `{id}`{hint}", def.id),
                    );
                }
                Some(_) if out.iter().any(|&i: &usize| &items[i].id == id) => {
                    self.error(at, format!("scale `{}` lists item `{id}` twice", def.id));
                }
                Some(i) if items[i].range.is_none() => {
                    let why = match items[i].kind {
                        ItemType::Text => "free text is never scored".to_string(),
                        ItemType::Number => "give the number item a `min` and `max`".to_string(),
                        _ => "some of its options have no numeric `score`; add `score:` to each option".to_string(),
                    };
                    self.error(
                        at,
                        format!("scale `{}` cannot score item `{id}`: {why}", def.id),
                    );
                }
                Some(i) => out.push(i),
            }
        }
        out
    }

    fn scale_subscales(
        &mut self,
        def: &Scale,
        scales: &[ScaleInfo],
        at: Option<Location>,
    ) -> Vec<usize> {
        if def.score == Method::WeightedSum {
            self.error(at, format!("scale `{}`: `weighted_sum` weighs items, so a total of subscales uses `sum` or `mean`", def.id));
        }
        let mut out = Vec::new();
        for id in &def.subscales {
            match scales.iter().position(|s| &s.def.id == id) {
                None => {
                    let hint = nearest(id, scales.iter().map(|s| &s.def.id));
                    let later = if hint.is_empty() {
                        " (subscales must be listed before the total that uses them)"
                    } else {
                        ""
                    };
                    self.error(
                        at,
                        format!(
                            "scale `{}` names the unknown subscale `{id}`{hint}{later}",
                            def.id
                        ),
                    );
                }
                Some(i) if scales[i].def.higher_is != def.higher_is => {
                    self.error(at, format!("scale `{}` adds up `{id}`, but one says higher is better and the other worse; give them the same `higher_is`", def.id));
                }
                Some(i) => out.push(i),
            }
        }
        out
    }

    fn check_bands(&mut self, def: &Scale, min: f64, max: f64, at: Option<Location>) {
        let mut ids = HashSet::new();
        let mut previous: Option<f64> = None;
        for (n, band) in def.bands.iter().enumerate() {
            self.check_id("band", &band.id, at);
            if !ids.insert(&band.id) {
                self.error(
                    at,
                    format!("scale `{}`: band `{}` appears twice", def.id, band.id),
                );
            }
            self.check_band(def, n, band, previous, min, max, at);
            previous = band.from.or(previous).or(Some(min));
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn check_band(
        &mut self,
        def: &Scale,
        n: usize,
        band: &Band,
        previous: Option<f64>,
        min: f64,
        max: f64,
        at: Option<Location>,
    ) {
        let (scale, id) = (&def.id, &band.id);
        let num = crate::model::format_number;
        match (n, band.from) {
            (0, Some(from)) if from > min => self.error(
                at,
                format!("scale `{scale}`: the first band `{id}` starts at {}, so scores from {} up to it have no band; remove its `from`", num(from), num(min)),
            ),
            (0, _) => {}
            (_, None) => self.error(at, format!("scale `{scale}`: band `{id}` needs `from:` (the lowest score it covers); only the first band starts at the bottom")),
            (_, Some(from)) if previous.is_some_and(|p| from <= p) => self.error(
                at,
                format!("scale `{scale}`: band `{id}` starts at {}, not above the band before it; list bands from low to high with rising `from`", num(from)),
            ),
            (_, Some(from)) if from > max => self.warn(
                at,
                format!("scale `{scale}`: band `{id}` starts at {}, above the highest possible score {}, so no one can reach it", num(from), num(max)),
            ),
            _ => {}
        }
    }

    fn resolve_pairs(
        &mut self,
        file: &QuestionnaireFile,
        items: &[ItemInfo],
    ) -> Vec<(usize, usize)> {
        let at = self.locator.key("pairs");
        if !(file.couple.different_by > 0.0 && file.couple.different_by <= 1.0) {
            self.error(self.locator.key("different_by"), "`different_by` is a share of an item's range, above 0 and at most 1 (0.5 is two steps on a 1 to 5 scale)".to_string());
        }
        let mut out = Vec::new();
        for pair in &file.couple.pairs {
            let mut find = |id: &str| match items.iter().position(|i| i.id == id) {
                Some(i) if items[i].range.is_some() => Some(i),
                Some(_) => {
                    self.error(
                        at,
                        format!("pair: item `{id}` is not scored, so it cannot be compared"),
                    );
                    None
                }
                None => {
                    let hint = nearest(id, items.iter().map(|i| &i.id));
                    self.error(at, format!("pair: unknown item `{id}`{hint}"));
                    None
                }
            };
            if let (Some(a), Some(b)) = (find(&pair.about_self), find(&pair.partner)) {
                out.push((a, b));
            }
        }
        out
    }

    fn resolve_rules(&mut self, rules: &[Rule], section: &str, scope: &Scope) -> Vec<RuleInfo> {
        let mut out: Vec<RuleInfo> = Vec::new();
        for rule in rules {
            let at = self.locator.id(&rule.id, Some(section));
            self.check_id("rule", &rule.id, at);
            if out.iter().any(|r| r.def.id == rule.id) {
                self.error(
                    at,
                    format!("rule `{}` appears twice; ids must be unique", rule.id),
                );
            }
            for s in &rule.recommend {
                if !self.library.strategies.contains_key(s) {
                    let hint = nearest(s, self.library.strategies.keys());
                    self.error(
                        at,
                        format!(
                            "rule `{}` recommends the unknown strategy `{s}`{hint}",
                            rule.id
                        ),
                    );
                }
            }
            if let Some(flag) = &rule.flag
                && !self.library.flags.contains_key(flag)
            {
                let hint = nearest(flag, self.library.flags.keys());
                self.error(
                    at,
                    format!("rule `{}` raises the unknown flag `{flag}`{hint}", rule.id),
                );
            }
            if !(1..=5).contains(&rule.priority) {
                self.error(
                    at,
                    format!("rule `{}`: `priority` is 1 (most urgent) to 5", rule.id),
                );
            }
            if rule.recommend.is_empty() && rule.finding.trim().is_empty() && rule.flag.is_none() {
                self.warn(
                    at,
                    format!(
                        "rule `{}` has no `finding`, `recommend` or `flag`, so it changes nothing",
                        rule.id
                    ),
                );
            }
            if matches!(scope, Scope::Couple(_)) && rule.flag.is_some() {
                self.error(at, format!("couple rule `{}`: flags come from each partner's own answers, so a couple rule cannot raise one", rule.id));
            }
            let what = format!("rule `{}`: `when`", rule.id);
            let when = self.condition(&what, &rule.when, at, scope);
            let because = self.text(&format!("rule `{}`: `because`", rule.id), &rule.because, at);
            let finding = self.text(&format!("rule `{}`: `finding`", rule.id), &rule.finding, at);
            if let (Some(when), Some(because), Some(finding)) = (when, because, finding) {
                out.push(RuleInfo {
                    def: rule.clone(),
                    when,
                    because,
                    finding,
                });
            }
        }
        out
    }

    fn text(&mut self, what: &str, source: &str, at: Option<Location>) -> Option<Text> {
        Text::compile(source)
            .map_err(|e| self.error(at, format!("{what} does not compile: {e}")))
            .ok()
    }

    fn condition(
        &mut self,
        what: &str,
        source: &str,
        at: Option<Location>,
        scope: &Scope,
    ) -> Option<Condition> {
        let cond = match Condition::compile(source) {
            Ok(c) => c,
            Err(e) => {
                self.error(at, format!("{what} does not compile: {e}"));
                return None;
            }
        };
        let mut ok = true;
        for name in &cond.refs {
            if let Err(msg) = scope.check(name) {
                self.error(at, format!("{what} `{source}`: {msg}"));
                ok = false;
            }
        }
        ok.then_some(cond)
    }

    /// Warns about a condition comparing with a text that none of the things it names can
    /// take (a misspelt band id, a quoted number for a number item): it could never match.
    fn check_literals(&mut self, items: &[ItemInfo], scales: &[ScaleInfo], rules: &[RuleInfo]) {
        let mut checks: Vec<(String, &Condition, Option<&ItemInfo>)> = Vec::new();
        for item in items {
            for c in &item.show_if {
                checks.push((format!("item `{}`: `show_if`", item.id), c, None));
            }
            if let Some((_, c)) = &item.flag {
                checks.push((format!("item `{}`: flag `when`", item.id), c, Some(item)));
            }
        }
        for rule in rules {
            checks.push((format!("rule `{}`: `when`", rule.def.id), &rule.when, None));
        }
        for (what, cond, own) in checks {
            let Some(known) = self.literal_values(cond, items, scales, own) else {
                continue;
            };
            for literal in string_literals(&cond.source) {
                if !known.contains(&literal) {
                    let at = self.locator.key_with_value(&cond.source);
                    self.warn(
                        at,
                        format!(
                            "{what} compares with \"{literal}\", which none of the answers or bands it names can be (they can be: {}); it can never match",
                            if known.is_empty() { "numbers only".to_string() } else { known.join(", ") }
                        ),
                    );
                }
            }
        }
    }

    /// Every text value the names in a condition can take, or `None` if one of them can be
    /// any text (a free-text item, or a name mend cannot enumerate).
    fn literal_values(
        &self,
        cond: &Condition,
        items: &[ItemInfo],
        scales: &[ScaleInfo],
        own: Option<&ItemInfo>,
    ) -> Option<Vec<String>> {
        let options = |item: &ItemInfo| -> Option<Vec<String>> {
            match item.kind {
                ItemType::Text => None,
                // Number values never equal a quoted text, so only text values count.
                _ => Some(
                    item.options
                        .iter()
                        .filter_map(|o| match &o.value {
                            Scalar::Text(t) => Some(t.clone()),
                            Scalar::Number(_) => None,
                        })
                        .collect(),
                ),
            }
        };
        let mut known = Vec::new();
        for name in &cond.refs {
            let parts: Vec<&str> = name.split('.').collect();
            match parts.as_slice() {
                ["answers", id] => known.extend(options(items.iter().find(|i| i.id == *id)?)?),
                ["value"] => known.extend(options(own?)?),
                ["scales", id, field] => {
                    let scale = scales.iter().find(|s| s.def.id == *id)?;
                    match *field {
                        "band" => known.extend(scale.def.bands.iter().map(|b| b.id.clone())),
                        "label" => known.extend(scale.def.bands.iter().map(|b| b.label.clone())),
                        _ => {}
                    }
                }
                ["flags"] => known.extend(self.library.flags.keys().cloned()),
                _ => return None,
            }
        }
        Some(known)
    }

    fn check_role(&mut self, file: &QuestionnaireFile, items: &[ItemInfo]) {
        let Some(role) = &file.role_item else { return };
        let at = self.locator.key("role_item");
        let Some(item) = items.iter().find(|i| &i.id == role) else {
            let hint = nearest(role, items.iter().map(|i| &i.id));
            self.error(
                at,
                format!("`role_item` names the unknown item `{role}`{hint}"),
            );
            return;
        };
        for o in item.options.iter().filter(|o| !o.missing) {
            if !matches!(&o.value, Scalar::Text(t) if ["hurt", "broke", "both"].contains(&t.as_str()))
            {
                self.error(at, format!("the role item `{role}` has the option `{}`; role options are `hurt`, `broke` and `both`", o.value));
            }
        }
    }

    fn check_unused(
        &mut self,
        items: &[ItemInfo],
        scales: &[ScaleInfo],
        rules: &[RuleInfo],
        file: &QuestionnaireFile,
    ) {
        let mut used: HashSet<&str> = HashSet::new();
        for s in scales {
            if let Parts::Items(ix) = &s.parts {
                used.extend(ix.iter().map(|&i| items[i].id.as_str()));
            }
        }
        let refs: BTreeSet<&str> = rules
            .iter()
            .flat_map(|r| r.when.refs.iter())
            .chain(
                items
                    .iter()
                    .flat_map(|i| i.show_if.iter().flat_map(|c| c.refs.iter())),
            )
            .filter_map(|r| r.strip_prefix("answers."))
            .collect();
        used.extend(refs);
        used.extend(file.role_item.as_deref());
        self.check_texts_and_keying(items, scales, file);
        for item in items {
            if item.kind != ItemType::Text
                && item.flag.is_none()
                && !used.contains(item.id.as_str())
            {
                let at = self.locator.id(&item.id, Some("sections"));
                self.warn(at, format!("item `{}` is in no scale and no rule, so its answer changes nothing in a report", item.id));
            }
        }
    }
}

impl Checker<'_> {
    /// Lints for authors: reversing an item no scale uses, empty or phone-unfriendly texts,
    /// and a strategy of the questionnaire's own that nothing recommends.
    fn check_texts_and_keying(
        &mut self,
        items: &[ItemInfo],
        scales: &[ScaleInfo],
        file: &QuestionnaireFile,
    ) {
        let in_a_scale: HashSet<&str> = scales
            .iter()
            .filter_map(|s| match &s.parts {
                Parts::Items(ix) => Some(ix.iter().map(|&i| items[i].id.as_str())),
                Parts::Subscales(_) => None,
            })
            .flatten()
            .collect();
        for item in items {
            let at = self.locator.id(&item.id, Some("sections"));
            if item.reverse && !in_a_scale.contains(item.id.as_str()) {
                self.warn(
                    at,
                    format!(
                        "item `{}` is `reverse` but in no scale, so reversing it changes nothing",
                        item.id
                    ),
                );
            }
            let length = item.text.trim().chars().count();
            if length == 0 {
                self.warn(at, format!("item `{}` has an empty `text`", item.id));
            } else if length > TEXT_MAX {
                self.warn(at, format!("item `{}`: its text has {length} characters, long for a phone screen; aim for under {TEXT_MAX}", item.id));
            }
            if let Some(o) = item
                .options
                .iter()
                .find(|o| o.label.trim().chars().count() > LABEL_MAX)
            {
                self.warn(at, format!("item `{}`: the option label \"{}\" is long for a phone screen; aim for under {LABEL_MAX} characters", item.id, o.label.trim()));
            }
        }
        for s in &file.strategies {
            let recommended = file
                .rules
                .iter()
                .chain(&file.couple.rules)
                .any(|r| r.recommend.contains(&s.id))
                || self
                    .library
                    .flags
                    .values()
                    .any(|f| f.recommend.contains(&s.id));
            if !recommended {
                let at = self.locator.id(&s.id, Some("strategies"));
                self.warn(
                    at,
                    format!(
                        "strategy `{}` is recommended by no rule, so no report will show it",
                        s.id
                    ),
                );
            }
        }
    }
}

/// What a condition may refer to, depending on where it is written.
enum Scope<'a> {
    /// `show_if`: answers to earlier items only (all the ids, to explain a later one).
    Answers(&'a [ItemInfo], &'a [String]),
    /// An item's flag: `value`, and answers to this and earlier items.
    ItemFlag(&'a [&'a str]),
    /// A rule: answers, scales and flags.
    Rule(&'a [ItemInfo], &'a [ScaleInfo]),
    /// A couple rule: the pair's scales, roles and flags.
    Couple(&'a [ScaleInfo]),
}

impl Scope<'_> {
    fn check(&self, name: &str) -> Result<(), String> {
        let mut parts = name.split('.');
        let head = parts.next().unwrap_or_default();
        let second = parts.next();
        let item_ids: Vec<String> = match self {
            Scope::Answers(items, _) | Scope::Rule(items, _) => {
                items.iter().map(|i| i.id.clone()).collect()
            }
            Scope::ItemFlag(ids) => ids.iter().map(|s| s.to_string()).collect(),
            Scope::Couple(_) => Vec::new(),
        };
        match (head, self) {
            ("answers", _) => match second {
                None => Ok(()),
                Some(id) if item_ids.iter().any(|i| i == id) => Ok(()),
                Some(id) if matches!(self, Scope::Answers(_, all) if all.iter().any(|i| i == id)) => {
                    Err(format!(
                        "`answers.{id}` is this question or a later one; a condition may only name questions that come before it, so move `{id}` up or the condition down"
                    ))
                }
                Some(id) => {
                    let hint = nearest(id, &item_ids);
                    let order = if matches!(self, Scope::Rule(..)) {
                        ""
                    } else {
                        " (conditions may only name items that come before)"
                    };
                    Err(format!("`answers.{id}` is not an item{hint}{order}"))
                }
            },
            ("value", Scope::ItemFlag(_)) => Ok(()),
            ("flags", Scope::Rule(..) | Scope::Couple(_)) => Ok(()),
            ("roles", Scope::Couple(_)) => Ok(()),
            ("scales", Scope::Couple(scales)) => {
                let Some(id) = second else { return Ok(()) };
                let ids: Vec<String> = scales.iter().map(|s| s.def.id.clone()).collect();
                if !ids.iter().any(|s| s == id) {
                    return Err(format!("`scales.{id}` is not a scale{}", nearest(id, &ids)));
                }
                match parts.next() {
                    Some(field) if !COUPLE_FIELDS.contains(&field) => Err(format!(
                        "`scales.{id}.{field}` is not known in a couple rule; a scale there has {}",
                        COUPLE_FIELDS.join(", ")
                    )),
                    _ => Ok(()),
                }
            }
            ("scales", Scope::Rule(_, scales)) => {
                let Some(id) = second else { return Ok(()) };
                let ids: Vec<String> = scales.iter().map(|s| s.def.id.clone()).collect();
                if !ids.iter().any(|s| s == id) {
                    return Err(format!(
                        "`scales.{id}` is not a scale{} (a rule may only use scales listed under `scales:`)",
                        nearest(id, &ids)
                    ));
                }
                match parts.next() {
                    Some(field) if !SCALE_FIELDS.contains(&field) => Err(format!(
                        "`scales.{id}.{field}` is not known; a scale has {}",
                        SCALE_FIELDS.join(", ")
                    )),
                    _ => Ok(()),
                }
            }
            _ => {
                let allowed: &[&str] = match self {
                    Scope::Answers(..) => &["answers"],
                    Scope::ItemFlag(_) => &["value", "answers"],
                    Scope::Rule(..) => &["answers", "scales", "flags"],
                    Scope::Couple(_) => &["scales", "roles", "flags"],
                };
                let known: Vec<String> = allowed.iter().map(|s| s.to_string()).collect();
                Err(format!(
                    "unknown name `{head}`{}; here you can use {}",
                    nearest(head, &known),
                    allowed.join(", ")
                ))
            }
        }
    }
}

/// The quoted strings in an expression, for the literal check.
fn string_literals(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        if c != '"' && c != '\'' {
            continue;
        }
        let mut literal = String::new();
        while let Some(d) = chars.next() {
            match d {
                '\\' => literal.extend(chars.next()),
                d if d == c => break,
                d => literal.push(d),
            }
        }
        out.push(literal);
    }
    out
}

/// Which bands are healthy: those marked, or else the best one.
fn healthy_bands(def: &Scale) -> Vec<bool> {
    let n = def.bands.len();
    if def.bands.iter().any(|b| b.healthy.is_some()) {
        return def.bands.iter().map(|b| b.healthy == Some(true)).collect();
    }
    let best = match def.higher_is {
        crate::model::Direction::Better => n.saturating_sub(1),
        crate::model::Direction::Worse => 0,
    };
    (0..n).map(|i| i == best).collect()
}

fn min_max(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

/// The lowest and highest possible score of a scale, from its parts' ranges.
fn scale_range(
    method: Method,
    parts: &Parts,
    items: &[ItemInfo],
    scales: &[ScaleInfo],
) -> (f64, f64) {
    let ranges: Vec<(f64, f64, f64)> = match parts {
        Parts::Items(ix) => ix
            .iter()
            .filter_map(|&i| items[i].range.map(|(lo, hi)| (lo, hi, items[i].weight)))
            .collect(),
        Parts::Subscales(ix) => ix
            .iter()
            .map(|&i| (scales[i].min, scales[i].max, 1.0))
            .collect(),
    };
    if ranges.is_empty() {
        return (0.0, 0.0);
    }
    let n = ranges.len() as f64;
    let (lo, hi): (f64, f64) = match method {
        Method::Sum => ranges
            .iter()
            .fold((0.0, 0.0), |(a, b), r| (a + r.0, b + r.1)),
        Method::Mean => {
            let (a, b) = ranges
                .iter()
                .fold((0.0, 0.0), |(a, b), r| (a + r.0, b + r.1));
            (a / n, b / n)
        }
        Method::WeightedSum => ranges
            .iter()
            .fold((0.0, 0.0), |(a, b), r| (a + r.0 * r.2, b + r.1 * r.2)),
    };
    (crate::scoring::round2(lo), crate::scoring::round2(hi))
}

/// Whether a strategy written for `audience` suits a person whose role is `role`.
pub fn suits(audience: &[Audience], role: Option<&str>) -> bool {
    match role {
        Some("hurt") => audience
            .iter()
            .any(|a| matches!(a, Audience::Hurt | Audience::Couple)),
        Some("broke") => audience
            .iter()
            .any(|a| matches!(a, Audience::Broke | Audience::Couple)),
        _ => true,
    }
}
