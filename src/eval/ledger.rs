//! Which performance records went to which instance of which obligation
//! (spec section 7, "Allocation"). Pure data: `eval::obligation` fills it,
//! and an evaluation context carries the part filled so far, so that a
//! status condition read while a record is being allocated sees exactly the
//! records allocated before it.

use crate::eval::ClauseId;
use crate::eval::value::Value;
use chrono::NaiveDate;
use std::collections::HashMap;

/// One record's share in one instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Share {
    /// The record's index in the scenario's `records`.
    pub record: usize,
    pub date: NaiveDate,
    /// The part of the record's quantity this instance took; `None` for a
    /// record that fulfils an instance owing one record.
    pub amount: Option<Value>,
    /// A fulfilment an analysis assumes: it fulfils the instance whatever
    /// the instance owes.
    pub whole: bool,
}

/// The allocation so far: per obligation and instance number, its shares in
/// the order they were allocated (which is date order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    shares: HashMap<(ClauseId, usize), Vec<Share>>,
}

impl Ledger {
    pub fn shares(&self, id: ClauseId, instance: usize) -> &[Share] {
        self.shares
            .get(&(id, instance))
            .map_or(&[][..], |shares| shares.as_slice())
    }

    pub fn add(&mut self, id: ClauseId, instance: usize, share: Share) {
        self.shares.entry((id, instance)).or_default().push(share);
    }
}
