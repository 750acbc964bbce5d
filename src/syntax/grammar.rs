//! The pest parser generated from `grammar/deal.pest`. Private to `syntax`.
//!
//! pest is used without its `std` feature: that feature probes the native
//! stack on every rule, sequence, repetition and look-ahead (a quarter of
//! the parse time), and our prescan already refuses nesting deeper than
//! `limits::MAX_NESTING` before pest runs, which bounds pest's recursion.
//! Without `std` the generated code names the `alloc` crate, which
//! `lib.rs` declares.

#[derive(pest_derive::Parser)]
#[grammar = "grammar/deal.pest"]
pub(super) struct DealParser;

/// The rules that are a name in some role (a declared name, or a reference
/// to a party, action, asset, event, label, ...): atomic tokens, read by
/// lowering as they are and named by the error messages by their role.
pub(super) fn is_name_rule(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::decl_name
            | Rule::party_ref
            | Rule::action_ref
            | Rule::object_ref
            | Rule::venue_ref
            | Rule::recipient_ref
            | Rule::counterparty_ref
            | Rule::label_ref
            | Rule::clause_label
            | Rule::event_ref
            | Rule::member_ref
            | Rule::time_ref
            | Rule::value_ref
            | Rule::scenario_name
            | Rule::fact_ref
    )
}
