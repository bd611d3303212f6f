//! Translations: texts by id from a file beside the questionnaire, the templates' own words,
//! and a fallback to the original language that says what is untranslated.

use std::fs;

use assert_cmd::Command;
use mend::Questionnaire;
use predicates::prelude::*;

fn mend() -> Command {
    let mut cmd = Command::cargo_bin("mend").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SOURCE_DATE_EPOCH", "1763596800");
    cmd
}

fn mini_es() -> Questionnaire {
    Questionnaire::open_in(
        &format!("{}/tests/fixtures/mini.yaml", env!("CARGO_MANIFEST_DIR")),
        Some("es"),
    )
    .unwrap()
}

#[test]
fn a_translation_replaces_texts_by_id_and_keeps_ids_values_and_scores() {
    let q = mini_es();
    assert_eq!(q.file.title, "Un cuestionario pequeño de prueba");
    assert_eq!(q.file.language, "es");
    let role = q.item("role").unwrap();
    assert_eq!(role.text, "¿Qué te describe mejor?");
    assert_eq!(role.options[0].label, "Mi pareja rompió mi confianza");
    assert_eq!(
        role.options[0].value.to_string(),
        "hurt",
        "values never change"
    );
    assert_eq!(q.item("a").unwrap().options[0].label, "Muy en desacuerdo");
    assert_eq!(q.scales[0].def.title, "Media de A y B");
    // The untranslated rest falls back to English and is listed.
    assert_eq!(q.item("b").unwrap().text, "Item B");
    assert!(
        q.warnings
            .iter()
            .any(|w| w.message.contains("not translated to `es`"))
    );
    assert!(q.untranslated.contains(&"items.b.text".to_string()));
    assert!(!q.untranslated.contains(&"items.a.text".to_string()));
}

#[test]
fn reports_in_spanish_use_the_translation_and_the_templates_words() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("a.yaml");
    fs::write(&answers, "questionnaire: mini\nversion: \"2.0\"\nrespondent: Ana\nanswers:\n  role: hurt\n  a: 5\n  b: 1\n").unwrap();
    mend()
        .args(["report", "tests/fixtures/mini.yaml"])
        .arg(&answers)
        .args(["--lang", "es"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("# Un cuestionario pequeño de prueba")
                .and(predicate::str::contains("Informe de **Ana**"))
                .and(predicate::str::contains("## Tus resultados"))
                .and(predicate::str::contains("### Media de A y B"))
                .and(predicate::str::contains("**Alta**")),
        )
        .stderr(predicate::str::contains("not translated to `es`"));
}

#[test]
fn a_language_without_a_translation_falls_back_with_a_warning() {
    mend()
        .args([
            "report",
            "readiness",
            "examples/readiness-alex.yaml",
            "--lang",
            "xx",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("## Your scores"))
        .stderr(predicate::str::contains(
            "there is no `xx` translation of readiness",
        ));
}

#[test]
fn check_reports_missing_translations_and_unknown_ids() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        format!("{}/tests/fixtures/mini.yaml", env!("CARGO_MANIFEST_DIR")),
        dir.path().join("mini.yaml"),
    )
    .unwrap();
    fs::write(
        dir.path().join("mini.es.yaml"),
        "language: es\ntitle: Mini\nitems:\n  zz: { text: No existe }\n",
    )
    .unwrap();
    mend()
        .arg("check")
        .arg(dir.path().join("mini.es.yaml"))
        .assert()
        .success()
        .stderr(
            predicate::str::contains("the translation has `items.zz`")
                .and(predicate::str::contains("not translated to `es`")),
        );
    fs::write(
        dir.path().join("mini.es.yaml"),
        "language: es\ntitel: Mini\n",
    )
    .unwrap();
    mend()
        .arg("check")
        .arg(dir.path().join("mini.es.yaml"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did you mean `title`"));
}

#[test]
fn check_knows_a_full_translation_with_sections_from_a_questionnaire() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        format!("{}/tests/fixtures/mini.yaml", env!("CARGO_MANIFEST_DIR")),
        dir.path().join("mini.yaml"),
    )
    .unwrap();
    fs::write(dir.path().join("mini.es.yaml"), "language: es\ntitle: Mini\nsections:\n  main: { title: Principal }\nresponse_scales:\n  agree5: { \"1\": Uno }\n").unwrap();
    mend()
        .arg("check")
        .arg(dir.path().join("mini.es.yaml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("0 errors"));
}
