//! `Rules::from_files` with one rules file replaced by fuzzed YAML: the
//! built-in lexicon, entities, story and claims, except the file picked by
//! the first byte. Must return Ok or Err (with diagnostics that render),
//! never panic or hang.
#![no_main]
use kzcheck::rules::{RuleFile, Rules};
use libfuzzer_sys::fuzz_target;

const FILES: &[(&str, &str)] = &[
    (
        "claims/casualties.yaml",
        include_str!("../../rules/claims/casualties.yaml"),
    ),
    ("entities.yaml", include_str!("../../rules/entities.yaml")),
    ("story.yaml", include_str!("../../rules/story.yaml")),
    ("lexicon.yaml", include_str!("../../rules/lexicon.yaml")),
    (
        "claims/forces.yaml",
        include_str!("../../rules/claims/forces.yaml"),
    ),
    (
        "claims/people.yaml",
        include_str!("../../rules/claims/people.yaml"),
    ),
    (
        "claims/timeline.yaml",
        include_str!("../../rules/claims/timeline.yaml"),
    ),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(yaml) = std::str::from_utf8(rest) else {
        return;
    };
    // Mostly the claims (patterns, macros, examples); sometimes the others.
    let replaced = match pick % 8 {
        0..=3 => 0,
        4 => 1,
        5 => 2,
        6 => 3,
        _ => 4,
    };
    let files: Vec<RuleFile> = FILES
        .iter()
        .enumerate()
        .map(|(i, (name, text))| RuleFile {
            name: name.to_string(),
            display: format!("fuzz/{name}"),
            text: if i == replaced {
                yaml.to_string()
            } else {
                text.to_string()
            },
        })
        .collect();
    match Rules::from_files(files, "fuzz") {
        Ok(rules) => {
            let ex = kzcheck::extract::Extractor::new(&rules);
            let doc =
                ex.prepare("قالت وزارة الدفاع إن 18 شخصا قتلوا يوم الخميس 6 كانون الثاني 2022.");
            let _ = ex.extract(&doc);
        }
        Err(e) => {
            let mut out = String::new();
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .with_width(80)
                .render_report(&mut out, &e)
                .expect("a rules error renders");
        }
    }
});
