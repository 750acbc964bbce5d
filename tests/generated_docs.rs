//! Documentation generated from the code: the rules table and sections of
//! docs/lints.md come from each rule's text in src/lint. When a rule's text
//! changes, regenerate with
//!
//! ```text
//! DEAL_REGENERATE_DOCS=1 cargo test --test generated_docs
//! ```

mod common;

use common::{deal, root};
use deal::lint::docs::{rules_sections, rules_table};

/// `text` with the region between `<!-- generated: NAME ... -->` and
/// `<!-- end generated: NAME -->` replaced by `content`.
fn with_region(text: &str, name: &str, content: &str) -> String {
    let begin = format!("<!-- generated: {name} ");
    let end = format!("<!-- end generated: {name} -->");
    let Some(start) = text.find(&begin) else {
        panic!("docs/lints.md has no `{begin}` marker");
    };
    let Some(body) = text[start..]
        .find("-->\n")
        .map(|at| start + at + "-->\n".len())
    else {
        panic!("the `{begin}` marker is not closed");
    };
    let Some(stop) = text[body..].find(&end).map(|at| body + at) else {
        panic!("docs/lints.md has no `{end}` marker");
    };
    format!("{}{content}{}", &text[..body], &text[stop..])
}

#[test]
fn docs_lints_md_is_generated_from_the_rules() {
    let path = root().join("docs/lints.md");
    let current = std::fs::read_to_string(&path).expect("docs/lints.md is readable");
    let generated = with_region(
        &with_region(&current, "rules-table", &rules_table()),
        "rules",
        &rules_sections(),
    );
    if std::env::var_os("DEAL_REGENERATE_DOCS").is_some() {
        std::fs::write(&path, &generated).expect("docs/lints.md is writable");
        return;
    }
    assert!(
        current == generated,
        "docs/lints.md is stale: regenerate it with\n  DEAL_REGENERATE_DOCS=1 cargo test --test generated_docs"
    );
}

/// `deal check --explain CODE`: exit status, stdout and stderr.
fn explain(code: &str) -> (Option<i32>, String, String) {
    let output = deal()
        .args(["check", "--explain", code])
        .output()
        .expect("deal runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn check_explain_prints_a_lints_documentation() {
    let (status, text, _) = explain("deal::dead-clause");
    assert_eq!(status, Some(0));
    assert!(text.starts_with("deal::dead-clause (warning)\n"), "{text}");
    let rule = deal::lint::rule(deal::diagnostic::Code::DeadClause).expect("a lint");
    assert!(text.contains(rule.doc.trim()), "{text}");
}

#[test]
fn check_explain_describes_a_code_that_is_not_a_lint() {
    let (status, text, _) = explain("event-cycle");
    assert_eq!(status, Some(0));
    assert!(
        text.starts_with("deal::event-cycle (error)\n\n`after` forms a cycle"),
        "{text}"
    );
}

#[test]
fn check_explain_of_an_unknown_code_is_a_usage_error_with_a_suggestion() {
    let (status, _, errors) = explain("deal::dead-clauses");
    assert_eq!(status, Some(2));
    assert!(errors.contains("did you mean `dead-clause`?"), "{errors}");
}
