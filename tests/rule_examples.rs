//! Every rule's examples are tests: `match` examples give a claim with the
//! value they name, `no_match` examples give none.
use kzcheck::rules::Rules;
use std::path::Path;

#[test]
fn every_rule_example_holds() {
    let rules = Rules::from_dir(Path::new("rules")).expect("rules load");
    assert!(!rules.claims.is_empty());
    let failures = kzcheck::check::run_examples(&rules);
    let report: Vec<String> = failures
        .iter()
        .map(|f| {
            format!(
                "{}:{} rule {}: «{}»: {}",
                f.file, f.line, f.rule, f.text, f.problem
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} example(s) fail:\n{}",
        failures.len(),
        report.join("\n")
    );
}

#[test]
fn builtin_rules_are_the_rules_folder() {
    let a = Rules::builtin().expect("built-in rules load");
    let b = Rules::from_dir(Path::new("rules")).expect("rules load");
    let ids = |r: &Rules| r.claims.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
}
