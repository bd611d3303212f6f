//! Translations: a file beside a questionnaire (`readiness.es.yaml`) gives its texts in
//! another language, by id; the strategy library and the support data have theirs
//! (`strategies.es.yaml`, `support.es.yaml`). Applied on top of the original, so ids, values,
//! scores and conditions stay one and the same; whatever is not translated falls back to the
//! original language, and mend lists it.

use indexmap::IndexMap;
use serde::Deserialize;

use crate::library::Library;
use crate::model::{QuestionnaireFile, Resource};

/// A questionnaire's translation file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionnaireTranslation {
    pub language: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub instructions: Option<String>,
    /// Per response scale: option value -> label.
    #[serde(default)]
    pub response_scales: IndexMap<String, IndexMap<String, String>>,
    #[serde(default)]
    pub sections: IndexMap<String, SectionText>,
    #[serde(default)]
    pub items: IndexMap<String, ItemText>,
    #[serde(default)]
    pub scales: IndexMap<String, ScaleText>,
    #[serde(default)]
    pub rules: IndexMap<String, RuleText>,
    #[serde(default)]
    pub couple_rules: IndexMap<String, RuleText>,
    /// The labels of yes/no questions.
    pub yes_no: Option<crate::model::YesNo>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionText {
    pub title: Option<String>,
    pub intro: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemText {
    pub text: Option<String>,
    pub help: Option<String>,
    pub conversation: Option<String>,
    /// Option value -> label, for the item's own options.
    #[serde(default)]
    pub options: IndexMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleText {
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub bands: IndexMap<String, BandText>,
    pub couple: Option<CoupleText>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandText {
    pub label: Option<String>,
    pub text: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoupleText {
    pub both_healthy: Option<String>,
    pub both_not: Option<String>,
    pub one_each: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleText {
    pub finding: Option<String>,
    pub because: Option<String>,
}

/// The library's translation: strategies (and source titles) or flags and resources.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibraryTranslation {
    pub language: String,
    #[serde(default)]
    pub sources: IndexMap<String, String>,
    #[serde(default)]
    pub strategies: IndexMap<String, StrategyText>,
    #[serde(default)]
    pub flags: IndexMap<String, FlagText>,
    /// The help resources for readers of this language, replacing the original list.
    pub resources: Option<Vec<Resource>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyText {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub steps: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagText {
    pub title: Option<String>,
    pub message: Option<String>,
}

/// Collects what had no translation, by a short path (`items.role.text`).
#[derive(Debug, Default)]
pub struct Missing(pub Vec<String>);

impl Missing {
    fn set(&mut self, target: &mut String, value: Option<&String>, path: impl FnOnce() -> String) {
        match value {
            Some(v) => *target = v.clone(),
            None if !target.trim().is_empty() => self.0.push(path()),
            None => {}
        }
    }
}

/// Applies a questionnaire translation to the file model.
pub fn apply(file: &mut QuestionnaireFile, t: &QuestionnaireTranslation, missing: &mut Missing) {
    file.language = t.language.clone();
    missing.set(&mut file.title, t.title.as_ref(), || "title".into());
    missing.set(&mut file.description, t.description.as_ref(), || {
        "description".into()
    });
    missing.set(&mut file.instructions, t.instructions.as_ref(), || {
        "instructions".into()
    });
    let uses_yes_no = file
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .any(|i| i.kind == crate::model::ItemType::Yesno);
    match &t.yes_no {
        Some(labels) => file.yes_no = labels.clone(),
        None if uses_yes_no => missing.0.push("yes_no".into()),
        None => {}
    }
    for (name, options) in file.response_scales.iter_mut() {
        let labels = t.response_scales.get(name);
        for o in options.iter_mut() {
            let key = o.value.to_string();
            missing.set(&mut o.label, labels.and_then(|l| l.get(&key)), || {
                format!("response_scales.{name}.{key}")
            });
        }
    }
    for section in &mut file.sections {
        let st = t.sections.get(&section.id);
        missing.set(
            &mut section.title,
            st.and_then(|s| s.title.as_ref()),
            || format!("sections.{}.title", section.id),
        );
        missing.set(
            &mut section.intro,
            st.and_then(|s| s.intro.as_ref()),
            || format!("sections.{}.intro", section.id),
        );
        for item in &mut section.items {
            let it = t.items.get(&item.id);
            let id = item.id.clone();
            missing.set(&mut item.text, it.and_then(|i| i.text.as_ref()), || {
                format!("items.{id}.text")
            });
            missing.set(&mut item.help, it.and_then(|i| i.help.as_ref()), || {
                format!("items.{id}.help")
            });
            missing.set(
                &mut item.conversation,
                it.and_then(|i| i.conversation.as_ref()),
                || format!("items.{id}.conversation"),
            );
            for o in item.options.iter_mut().flatten() {
                let key = o.value.to_string();
                missing.set(&mut o.label, it.and_then(|i| i.options.get(&key)), || {
                    format!("items.{id}.options.{key}")
                });
            }
        }
    }
    for scale in &mut file.scales {
        let sc = t.scales.get(&scale.id);
        let id = scale.id.clone();
        missing.set(&mut scale.title, sc.and_then(|s| s.title.as_ref()), || {
            format!("scales.{id}.title")
        });
        missing.set(
            &mut scale.description,
            sc.and_then(|s| s.description.as_ref()),
            || format!("scales.{id}.description"),
        );
        for band in &mut scale.bands {
            let bt = sc.and_then(|s| s.bands.get(&band.id));
            missing.set(&mut band.label, bt.and_then(|b| b.label.as_ref()), || {
                format!("scales.{id}.bands.{}.label", band.id)
            });
            missing.set(&mut band.text, bt.and_then(|b| b.text.as_ref()), || {
                format!("scales.{id}.bands.{}.text", band.id)
            });
        }
        if let Some(c) = &mut scale.couple {
            let ct = sc.and_then(|s| s.couple.as_ref());
            missing.set(
                &mut c.both_healthy,
                ct.and_then(|c| c.both_healthy.as_ref()),
                || format!("scales.{id}.couple.both_healthy"),
            );
            missing.set(
                &mut c.both_not,
                ct.and_then(|c| c.both_not.as_ref()),
                || format!("scales.{id}.couple.both_not"),
            );
            missing.set(
                &mut c.one_each,
                ct.and_then(|c| c.one_each.as_ref()),
                || format!("scales.{id}.couple.one_each"),
            );
        }
    }
    for (rules, texts, key) in [
        (&mut file.rules, &t.rules, "rules"),
        (&mut file.couple.rules, &t.couple_rules, "couple_rules"),
    ] {
        for rule in rules.iter_mut() {
            let rt = texts.get(&rule.id);
            missing.set(
                &mut rule.finding,
                rt.and_then(|r| r.finding.as_ref()),
                || format!("{key}.{}.finding", rule.id),
            );
            missing.set(
                &mut rule.because,
                rt.and_then(|r| r.because.as_ref()),
                || format!("{key}.{}.because", rule.id),
            );
        }
    }
}

/// Applies a library translation (strategies, or flags and resources).
pub fn apply_library(
    lib: &mut Library,
    t: &LibraryTranslation,
    missing: &mut Missing,
    strategies: bool,
) {
    if strategies {
        for (file, title) in &t.sources {
            lib.sources.insert(file.clone(), title.clone());
        }
        for (id, s) in lib.strategies.iter_mut() {
            let st = t.strategies.get(id);
            missing.set(&mut s.title, st.and_then(|s| s.title.as_ref()), || {
                format!("strategies.{id}.title")
            });
            missing.set(&mut s.summary, st.and_then(|s| s.summary.as_ref()), || {
                format!("strategies.{id}.summary")
            });
            missing.set(&mut s.steps, st.and_then(|s| s.steps.as_ref()), || {
                format!("strategies.{id}.steps")
            });
        }
    } else {
        for (id, f) in lib.flags.iter_mut() {
            let ft = t.flags.get(id);
            missing.set(&mut f.title, ft.and_then(|f| f.title.as_ref()), || {
                format!("flags.{id}.title")
            });
            missing.set(&mut f.message, ft.and_then(|f| f.message.as_ref()), || {
                format!("flags.{id}.message")
            });
        }
        match &t.resources {
            Some(resources) => lib.resources = resources.clone(),
            None => missing.0.push("resources".into()),
        }
    }
}

/// Ids in a translation that the questionnaire does not have (a typo, or a removed question).
pub fn unknown_ids(file: &QuestionnaireFile, t: &QuestionnaireTranslation) -> Vec<String> {
    let items: Vec<&str> = file
        .sections
        .iter()
        .flat_map(|s| s.items.iter().map(|i| i.id.as_str()))
        .collect();
    let mut out = Vec::new();
    let mut check = |kind: &str, ids: Vec<&String>, known: &dyn Fn(&str) -> bool| {
        out.extend(
            ids.into_iter()
                .filter(|id| !known(id))
                .map(|id| format!("{kind}.{id}")),
        );
    };
    check("items", t.items.keys().collect(), &|id| items.contains(&id));
    check("sections", t.sections.keys().collect(), &|id| {
        file.sections.iter().any(|s| s.id == id)
    });
    check("scales", t.scales.keys().collect(), &|id| {
        file.scales.iter().any(|s| s.id == id)
    });
    check("rules", t.rules.keys().collect(), &|id| {
        file.rules.iter().any(|r| r.id == id)
    });
    check("couple_rules", t.couple_rules.keys().collect(), &|id| {
        file.couple.rules.iter().any(|r| r.id == id)
    });
    check(
        "response_scales",
        t.response_scales.keys().collect(),
        &|id| file.response_scales.contains_key(id),
    );
    out
}
