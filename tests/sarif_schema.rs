//! Every SARIF document `deal check --format sarif` writes for the test
//! corpus, the examples, the regression and hostile inputs, and a folder
//! with unreadable files validates against the OASIS SARIF 2.1.0 JSON
//! schema (`tests/schemas/sarif-2.1.0.json`), formats (`uri`) included.

mod common;

use common::{TempDir, deal, root};
use serde_json::Value;
use std::path::Path;

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("tests/schemas/sarif-2.1.0.json"))
        .expect("the vendored SARIF schema is readable");
    let mut schema: Value = serde_json::from_str(&text).expect("the SARIF schema is JSON");
    // The schema's pattern for a `language` (of a run and of a tool
    // component) has a stray `]` that the meta-schema's `regex` format
    // rejects once formats are checked; it is read here as its description
    // says (`en` or `en-US`). `deal` writes no `language`.
    let fixed = fix_language_patterns(&mut schema);
    assert_eq!(fixed, 2, "the vendored schema has changed");
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn fix_language_patterns(schema: &mut Value) -> usize {
    const STRAY: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match schema {
        Value::Object(fields) => fields
            .iter_mut()
            .map(|(key, value)| {
                if key == "pattern" && value == STRAY {
                    *value = Value::from("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
                    1
                } else {
                    fix_language_patterns(value)
                }
            })
            .sum(),
        Value::Array(items) => items.iter_mut().map(fix_language_patterns).sum(),
        _ => 0,
    }
}

/// `deal check --format sarif ARGS` run in `dir`: the document, checked
/// against the schema.
fn valid_sarif(validator: &jsonschema::Validator, dir: &Path, args: &[&str]) -> Value {
    let output = deal()
        .current_dir(dir)
        .args(["check", "--format", "sarif"])
        .args(args)
        .output()
        .unwrap();
    let log: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "deal check --format sarif {args:?}: not JSON ({e}):\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .take(20)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF for {args:?} does not validate:\n{}",
        errors.join("\n")
    );
    log
}

#[test]
fn sarif_of_every_corpus_validates_against_the_schema() {
    let validator = validator();
    for folder in [
        "tests/corpus",
        "examples",
        "tests/regressions",
        "tests/hostile",
        "tests/v2",
    ] {
        if !root().join(folder).is_dir() {
            continue;
        }
        let log = valid_sarif(&validator, root(), &[folder]);
        let results = log["runs"][0]["results"].as_array().unwrap();
        if folder == "tests/corpus" {
            assert!(results.len() > 20, "the error corpus reports: {results:?}");
        }
    }
}

#[test]
fn sarif_with_unreadable_files_and_odd_names_validates() {
    let validator = validator();
    let dir = TempDir::new("sarif-schema");
    dir.write("a.deal", "party a\nparty a\n");
    dir.write("my deals/50% off & <more>.deal", "party a\nparty a\n");
    dir.write("back\\slash.deal", "party a\nasset unused\n");
    std::fs::write(dir.path().join("b.deal"), b"\xff\n").unwrap();
    let log = valid_sarif(&validator, dir.path(), &[".", "missing.deal"]);
    let run = &log["runs"][0];
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    let base = run["originalUriBaseIds"]["SRCROOT"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    let locations: Vec<&Value> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"]["artifactLocation"])
        .collect();
    assert!(
        locations
            .iter()
            .any(|l| l["uri"] == "my%20deals/50%25%20off%20%26%20%3Cmore%3E.deal"),
        "{locations:?}"
    );
    for location in locations {
        assert_eq!(location["uriBaseId"], "SRCROOT", "{location}");
    }
    // An absolute path outside the working directory is a `file:` URI.
    let outside = TempDir::new("sarif-schema-outside");
    let file = outside.write("x.deal", "party a\nparty a\n");
    let log = valid_sarif(&validator, dir.path(), &[file.to_str().unwrap()]);
    let location =
        &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert!(
        location["uri"].as_str().unwrap().starts_with("file:///"),
        "{location}"
    );
    assert!(location.get("uriBaseId").is_none(), "{location}");
}

/// The driver's `informationUri` and every rule's `helpUri` point at
/// docs/lints.md, at an anchor its headings really make.
#[test]
fn help_uris_point_at_sections_of_the_lints_page() {
    let validator = validator();
    let log = valid_sarif(&validator, root(), &["examples/msft_openai_2025.deal"]);
    let driver = &log["runs"][0]["tool"]["driver"];
    let information = driver["informationUri"].as_str().unwrap();
    assert!(information.ends_with("/lints.md"), "{information}");
    let page = std::fs::read_to_string(root().join("docs/lints.md")).unwrap();
    // GitHub's anchors: the heading in lower case, without punctuation.
    let anchors: Vec<String> = page
        .lines()
        .filter_map(|line| line.strip_prefix("## "))
        .map(|heading| {
            heading
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '-' || *c == ' ')
                .map(|c| if c == ' ' { '-' } else { c })
                .collect()
        })
        .collect();
    let mut linked = 0;
    for rule in driver["rules"].as_array().unwrap() {
        let Some(help) = rule["helpUri"].as_str() else {
            assert!(
                rule["properties"]["tags"][0] != "lint",
                "a lint without a helpUri: {rule}"
            );
            continue;
        };
        let (page_uri, anchor) = help.split_once('#').unwrap();
        assert_eq!(page_uri, information);
        assert!(
            anchors.iter().any(|a| a == anchor),
            "{help}: docs/lints.md has no such anchor ({anchors:?})"
        );
        linked += 1;
    }
    assert_eq!(linked, 7, "every lint links to its section");
}

/// The validator does reject what the schema forbids, so a passing test
/// above means something.
#[test]
fn the_schema_rejects_a_malformed_log() {
    let validator = validator();
    let log = serde_json::json!({
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "deal", "informationUri": "not a uri"}},
            "results": [{"message": {"text": "x"}, "level": "fatal"}]
        }]
    });
    let errors = validator.iter_errors(&log).count();
    assert!(errors >= 2, "{errors} errors");
}
