//! The strategy library and the support data (flags and help resources), shared by every
//! questionnaire. The built-in ones are embedded in the binary; a questionnaire may add its own.

use indexmap::IndexMap;

use crate::error::{Problem, Severity};
use crate::locate::Locator;
use crate::model::{FlagDef, Resource, Strategy, StrategyFile, SupportFile};
use crate::yaml;

/// The built-in files, embedded so that `mend` works with no files around it.
pub mod builtin {
    pub const STRATEGIES: &str = include_str!("../questionnaires/strategies.yaml");
    pub const SUPPORT: &str = include_str!("../questionnaires/support.yaml");
    /// The built-in questionnaires: (id, YAML text).
    /// Built-in translations: (file stem, language, YAML text).
    pub const TRANSLATIONS: &[(&str, &str, &str)] = &[
        (
            "readiness",
            "es",
            include_str!("../questionnaires/readiness.es.yaml"),
        ),
        (
            "communication",
            "es",
            include_str!("../questionnaires/communication.es.yaml"),
        ),
        (
            "causes",
            "es",
            include_str!("../questionnaires/causes.es.yaml"),
        ),
        (
            "strategies",
            "es",
            include_str!("../questionnaires/strategies.es.yaml"),
        ),
        (
            "support",
            "es",
            include_str!("../questionnaires/support.es.yaml"),
        ),
    ];

    /// The built-in translation of `stem` into `lang`, if there is one.
    pub fn translation(stem: &str, lang: &str) -> Option<&'static str> {
        TRANSLATIONS
            .iter()
            .find(|(s, l, _)| *s == stem && *l == lang)
            .map(|(_, _, t)| *t)
    }

    pub const QUESTIONNAIRES: &[(&str, &str)] = &[
        (
            "readiness",
            include_str!("../questionnaires/readiness.yaml"),
        ),
        (
            "communication",
            include_str!("../questionnaires/communication.yaml"),
        ),
        ("causes", include_str!("../questionnaires/causes.yaml")),
    ];
}

/// Strategies, flags, resources and source articles, merged and looked up by id.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub sources: IndexMap<String, String>,
    pub strategies: IndexMap<String, Strategy>,
    pub flags: IndexMap<String, FlagDef>,
    pub resources: Vec<Resource>,
}

impl Library {
    /// The library that ships with mend.
    pub fn builtin() -> Library {
        // The embedded files are checked by the test suite, so a failure here is a build bug.
        let strategies: StrategyFile =
            yaml::parse(builtin::STRATEGIES).expect("built-in strategies.yaml is valid");
        let support: SupportFile =
            yaml::parse(builtin::SUPPORT).expect("built-in support.yaml is valid");
        let mut lib = Library::default();
        lib.add_strategies(strategies);
        lib.add_support(support);
        lib
    }

    /// The built-in library in `lang`, noting in `missing` what has no translation.
    pub fn builtin_in(lang: &str, missing: &mut crate::translate::Missing) -> Library {
        let mut lib = Library::builtin();
        for (stem, is_strategies) in [("strategies", true), ("support", false)] {
            match builtin::translation(stem, lang)
                .map(yaml::parse::<crate::translate::LibraryTranslation>)
            {
                Some(Ok(t)) => {
                    crate::translate::apply_library(&mut lib, &t, missing, is_strategies)
                }
                _ => missing.0.push(format!("{stem}.yaml")),
            }
        }
        lib
    }

    pub fn add_strategies(&mut self, file: StrategyFile) -> Vec<String> {
        self.sources.extend(file.sources);
        self.add_strategy_list(file.strategies)
    }

    /// Adds strategies; returns the ids that were already there (and are not replaced).
    pub fn add_strategy_list(&mut self, list: Vec<Strategy>) -> Vec<String> {
        let mut clashes = Vec::new();
        for s in list {
            if self.strategies.contains_key(&s.id) {
                clashes.push(s.id.clone());
            } else {
                self.strategies.insert(s.id.clone(), s);
            }
        }
        clashes
    }

    pub fn add_support(&mut self, file: SupportFile) {
        self.flags.extend(file.flags);
        self.resources.extend(file.resources);
    }

    /// Problems in the library as a whole: references between strategies, flags and resources.
    pub fn problems(&self, locator: &Locator) -> Vec<Problem> {
        let mut out = Vec::new();
        for s in self.strategies.values() {
            let at = locator.id(&s.id, None);
            for flag in &s.avoid_with {
                if !self.flags.contains_key(flag) {
                    out.push(Problem::error(
                        at,
                        format!(
                            "strategy `{}`: `avoid_with` names the unknown flag `{flag}`{}",
                            s.id,
                            crate::locate::nearest(flag, self.flags.keys())
                        ),
                    ));
                }
            }
            if s.audience.is_empty() {
                out.push(Problem::error(
                    at,
                    format!(
                        "strategy `{}`: `for` is empty; say who it is for: hurt, broke or couple",
                        s.id
                    ),
                ));
            }
            for src in &s.sources {
                if !self.sources.is_empty() && !self.sources.contains_key(src) {
                    out.push(Problem::warning(
                        at,
                        format!(
                            "strategy `{}` cites `{src}`, which is not in the list of sources",
                            s.id
                        ),
                    ));
                }
            }
        }
        for (id, flag) in &self.flags {
            let at = locator.key(id);
            for s in &flag.recommend {
                if !self.strategies.contains_key(s) {
                    out.push(Problem::error(
                        at,
                        format!(
                            "flag `{id}` recommends the unknown strategy `{s}`{}",
                            crate::locate::nearest(s, self.strategies.keys())
                        ),
                    ));
                }
            }
            for cat in &flag.resources {
                if !self.resources.iter().any(|r| &r.category == cat) {
                    out.push(Problem::error(
                        at,
                        format!(
                            "flag `{id}` lists resources of category `{cat}`, but there are none"
                        ),
                    ));
                }
            }
        }
        out
    }

    /// The resources of the given categories, in file order.
    pub fn resources_for(&self, categories: &[String]) -> Vec<&Resource> {
        categories
            .iter()
            .flat_map(|c| self.resources.iter().filter(move |r| &r.category == c))
            .collect()
    }
}

/// Checks a stand-alone strategy library or support file, as `mend check` does.
pub fn check_library_file(text: &str, is_support: bool) -> Vec<Problem> {
    let locator = Locator::new(text);
    let mut lib = Library::builtin();
    let mut out = Vec::new();
    if is_support {
        match yaml::parse::<SupportFile>(text) {
            Ok(file) => {
                lib.flags.clear();
                lib.resources.clear();
                lib.add_support(file);
            }
            Err(p) => return vec![p],
        }
    } else {
        match yaml::parse::<StrategyFile>(text) {
            Ok(file) => {
                let mut seen = std::collections::HashSet::new();
                for s in &file.strategies {
                    if !seen.insert(s.id.clone()) {
                        out.push(Problem::error(
                            locator.id(&s.id, None),
                            format!("strategy `{}` is defined twice; ids must be unique", s.id),
                        ));
                    }
                }
                // The file's strategies replace the built-in ones of the same id, so that the
                // built-in flags still find theirs; only this file's entries are judged.
                let ids: Vec<String> = file.strategies.iter().map(|s| s.id.clone()).collect();
                lib.sources.extend(file.sources);
                for st in file.strategies {
                    lib.strategies.insert(st.id.clone(), st);
                }
                out.extend(
                    lib.problems(&locator)
                        .into_iter()
                        .filter(|p| ids.iter().any(|id| p.message.contains(&format!("`{id}`")))),
                );
                out.sort_by_key(|p| (p.severity != Severity::Error, p.location.map(|l| l.line)));
                return out;
            }
            Err(p) => return vec![p],
        }
    }
    out.extend(lib.problems(&locator));
    out.sort_by_key(|p| (p.severity != Severity::Error, p.location.map(|l| l.line)));
    out
}
