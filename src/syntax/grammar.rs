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

impl Rule {
    /// The rule a pair of the fast path (`file_fast` in the grammar) stands
    /// for: lowering reads every pair through this, so both entry rules
    /// give one AST.
    pub(super) fn canonical(self) -> Rule {
        match self {
            Rule::clause_fast => Rule::clause,
            Rule::act_body_fast => Rule::act_body,
            Rule::holds_body_fast => Rule::holds_body,
            Rule::object_fast => Rule::object,
            Rule::q_on_fast => Rule::q_on,
            Rule::q_to_fast => Rule::q_to,
            Rule::q_with_fast => Rule::q_with,
            Rule::q_notwithstanding_fast => Rule::q_notwithstanding,
            Rule::q_when_fast => Rule::q_when,
            Rule::q_from_fast => Rule::q_from,
            Rule::q_until_fast => Rule::q_until,
            Rule::q_through_fast => Rule::q_through,
            Rule::q_by_fast => Rule::q_by,
            Rule::time_fast => Rule::time,
            Rule::time_conj_fast => Rule::time_conj,
            Rule::time_shifted_fast => Rule::time_shifted,
            Rule::time_ref_fast => Rule::time_ref,
            Rule::q_unless_fast => Rule::q_unless,
            Rule::expr_fast => Rule::expr,
            Rule::operand_fast => Rule::operand,
            Rule::value_plain => Rule::value_ref,
            Rule::clause_label_fast => Rule::clause_label,
            Rule::party_ref_fast => Rule::party_ref,
            Rule::action_ref_fast => Rule::action_ref,
            Rule::object_name | Rule::object_ref_fast => Rule::object_ref,
            Rule::venue_ref_fast => Rule::venue_ref,
            Rule::recipient_ref_fast => Rule::recipient_ref,
            Rule::counterparty_ref_fast => Rule::counterparty_ref,
            Rule::label_ref_fast => Rule::label_ref,
            rule => rule,
        }
    }

    /// A name of the fast path, read without the keyword check: lowering
    /// refuses the fast tree when one is a reserved word.
    pub(super) fn is_unchecked_name(self) -> bool {
        matches!(
            self,
            Rule::object_name
                | Rule::value_plain
                | Rule::time_ref_fast
                | Rule::clause_label_fast
                | Rule::party_ref_fast
                | Rule::action_ref_fast
                | Rule::object_ref_fast
                | Rule::venue_ref_fast
                | Rule::recipient_ref_fast
                | Rule::counterparty_ref_fast
                | Rule::label_ref_fast
        )
    }
}
