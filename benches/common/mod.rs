//! Generated contracts for the benchmarks: any number of clauses in the
//! shapes real contracts use (may / must / must not / holds / holds no /
//! exclusive; on, to, with, from, until, through, by, when, unless and
//! notwithstanding qualifiers; groups; a handful of events in an `after`
//! chain; facts with defaults). The result checks clean, so the benches
//! measure the work a real contract costs, not error reporting.
//!
//! Clauses come in blocks of eight around one asset, so the number of
//! clauses per (action, asset) stays the same however large the contract.
//! Two clauses of each block have no label (they are named `clause_LINE`).

// Each bench uses part of the generator.
#![allow(dead_code)]

use std::fmt::Write;

pub const PARTIES: usize = 20;
pub const EVENTS: usize = 6;
pub const VENUES: usize = 8;
pub const ACTIONS: usize = 10;
pub const GROUPS: usize = 4;
const CLAUSES_PER_BLOCK: usize = 8;

/// The sizes the benches compare: 10x steps.
pub const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

fn party(i: usize) -> String {
    format!("p{}", i % PARTIES)
}

fn action(i: usize) -> String {
    format!("act{}", i % ACTIONS)
}

fn venue(i: usize) -> String {
    format!("v{}", i % VENUES)
}

fn event(i: usize) -> String {
    format!("e{}", i % EVENTS)
}

/// A contract of exactly `clauses` clauses.
pub fn contract(clauses: usize) -> String {
    let blocks = clauses.div_ceil(CLAUSES_PER_BLOCK);
    let mut out = String::with_capacity(clauses * 80 + 4096);
    out.push_str("// A generated contract for the benchmarks.\n");
    out.push_str("deal \"Generated agreement\"\neffective 2025-01-01\n\n");
    for p in 0..PARTIES {
        let _ = writeln!(out, "party p{p} \"Party {p}\"");
    }
    out.push_str("event e0 \"The first milestone\" by p0\n");
    for e in 1..EVENTS {
        let _ = writeln!(out, "event e{e} by p{} after e{}", e % PARTIES, e - 1);
    }
    for v in 0..VENUES {
        let _ = writeln!(out, "venue v{v}");
    }
    for g in 0..GROUPS {
        let _ = writeln!(
            out,
            "group clouds{g} = {}, {}",
            venue(2 * g),
            venue(2 * g + 1)
        );
    }
    for a in 0..ACTIONS {
        let _ = writeln!(out, "action act{a}");
    }
    out.push_str("let review = 2026-01-01 + 18 months\n");
    out.push_str("let threshold = $100M\n");
    out.push_str("/// Annual revenue of the buyer.\nfact revenue: money = $50M\n");
    out.push_str("fact guardrails: bool = false\n\n");
    let mut written = 0;
    for b in 0..blocks {
        let _ = writeln!(out, "asset a{b} \"Asset {b}\"\nasset x{b}");
        let x = party(b);
        let y = party(b + 1);
        let z = party(b + 2);
        let act = action(b);
        let v = venue(b);
        let v2 = venue(b + 1);
        let g = b % GROUPS;
        let k = event(b);
        let shapes = [
            format!(
                "/// Block {b}: use of a{b}.\nb{b}_use: {x} may {act} a{b} on {v}, {v2} until {k} or review"
            ),
            format!(
                "b{b}_buy: {x} must {act} ${}M of a{b} with {y}\n  by 2030-01-01",
                b % 90 + 10
            ),
            format!("b{b}_ban: {y} must not {act} a{b} on clouds{g} when revenue > threshold"),
            format!(
                "b{b}_carve: {y} may {act} a{b} on clouds{g} to {z}\n  from {k} + 6 months notwithstanding b{b}_ban"
            ),
            if b % 50 == 0 {
                format!("b{b}_ip: {x} holds 0.01% of {z}")
            } else {
                format!("b{b}_ip: {x} holds a{b} through 2032-12-31")
            },
            format!("{y} holds no a{b} unless guardrails"),
            format!("b{b}_excl: exclusive x{b} on {v} until {k} or 2031-01-01"),
            format!("{z} may {act} x{b} on {v} with {x}"),
        ];
        for shape in shapes {
            if written == clauses {
                break;
            }
            out.push_str(&shape);
            out.push('\n');
            written += 1;
        }
        out.push('\n');
    }
    out
}

/// A `may` query that the clauses of block `b` decide (the carve-out, in
/// force from its event), for a contract with more than `b` blocks.
pub fn may_query(b: usize) -> String {
    format!(
        "may {} {} a{b} on {} to {}",
        party(b + 1),
        action(b),
        venue(2 * (b % GROUPS)),
        party(b + 2)
    )
}
