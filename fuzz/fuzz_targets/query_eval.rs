//! A contract and a query: the input's last line is the query, everything
//! before it the contract. When both load, the query is answered under an
//! empty scenario on a fixed day (with what would change the answer, and the
//! human and JSON answers `deal query` prints), and every `expect` block and
//! assertion of the contract is checked as `deal test` checks them. None of
//! it may panic.
#![no_main]

use chrono::NaiveDate;
use deal::ast::ItemKind;
use deal::render::answer::{render_human, render_json};
use deal::render::ask::ask;
use deal::eval::{Scenario, run_expectations};
use deal::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (contract_text, query_text) = text.rsplit_once('\n').unwrap_or(("", text));
    let loaded = deal::load(SourceFile::new("fuzz.deal", contract_text));
    let Ok(contract) = loaded.contract() else {
        return;
    };
    for item in &contract.file.items {
        if let ItemKind::Scenario(block) = &item.kind {
            let _ = run_expectations(&contract, block);
        }
    }
    for outcome in deal::analysis::check_assertions(&contract) {
        let _ = deal::analysis::failure_json(&contract, &outcome);
    }
    let scenario = Scenario::default();
    let Some(day) = NaiveDate::from_ymd_opt(2030, 6, 15) else {
        return;
    };
    let Ok(asked) = ask(&contract, &scenario, query_text, day) else {
        return;
    };
    let explained = asked.explained(&contract, &scenario, query_text, day);
    let _ = render_human(&explained);
    let _ = render_json(&explained);
});
