//! The status of an obligation (`P must A [Q of] X ... by T`) on a day,
//! spec section 7: records that count, fulfilment, violation (final) and
//! the pending/inactive distinction.

use crate::ast::{ClauseBody, ObligationStatus, QualifierKind};
use crate::decimal::Decimal;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::expr::Env;
use crate::eval::index::ClauseKind;
use crate::eval::query::{in_force, not_a_clause, window};
use crate::eval::scenario::{PerformanceRecord, Scenario};
use crate::eval::time::Time;
use crate::eval::value::Value;
use crate::eval::{ClauseId, Contract};
use chrono::NaiveDate;
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// An obligation's status on a day, with what has been performed so far:
/// the summed quantity (a percent as its fraction) or, without a quantity,
/// the number of records that count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObligationState {
    pub status: ObligationStatus,
    pub performed: Decimal,
}

/// The status of the `must` clause `id` on `day`.
///
/// A record counts when its party, action and asset match the clause
/// (groups and `anyone` included), it is dated on or before `day`, and the
/// obligation is in force on its date. The obligation is `violated` once the
/// deadline has passed (`day > T`) without fulfilment by T, provided it was in
/// force on some day up to T; violation is final. Else `fulfilled` once the
/// records reach the quantity (any one record without a quantity), else
/// `pending` while in force and `inactive` when not.
///
/// "In force on some day up to T" is decided exactly without scanning the
/// calendar: within a clause's window, whether it is in force changes only
/// when an event happens (conditions read facts, which are fixed for a
/// scenario, and events), so the window's first day and the event dates
/// inside it are the only days to test.
pub fn status(contract: &Contract, scenario: &Scenario, id: ClauseId, day: NaiveDate) -> Result<ObligationState, Diagnostic> {
    let clause = contract.clause(id).ok_or_else(|| not_a_clause(contract, id))?;
    let info = contract.clause_info(id).ok_or_else(|| not_a_clause(contract, id))?;
    let ClauseBody::Act { object, .. } = &clause.body else {
        return Err(not_an_obligation(contract, id));
    };
    if info.kind != ClauseKind::Must {
        return Err(not_an_obligation(contract, id));
    }
    let env = Env::new(contract, scenario, day);
    let required = object.quantity.as_ref().map(|q| env.eval(q)).transpose()?;
    let mut deadline = Time::Never;
    for qualifier in &clause.qualifiers {
        if let QualifierKind::By(time) = &qualifier.kind {
            deadline = deadline.or(env.time(time)?);
        }
    }

    // Records that count by `day`, in date order (in-force tested once per date).
    let mut counted: Vec<&PerformanceRecord> = Vec::new();
    let mut in_force_on: std::collections::HashMap<NaiveDate, bool> = std::collections::HashMap::new();
    for record in &scenario.records {
        let matches = info.parties.contains(&record.party)
            && info.actions.contains(&record.action)
            && info.objects.iter().any(|o| *o == record.asset)
            && record.date <= day;
        if !matches {
            continue;
        }
        let active = match in_force_on.get(&record.date) {
            Some(&active) => active,
            None => {
                let active = in_force(contract, scenario, id, record.date)?;
                in_force_on.insert(record.date, active);
                active
            }
        };
        if active {
            counted.push(record);
        }
    }
    counted.sort_by_key(|r| r.date);

    let performed_by = |last: NaiveDate| -> Result<Performance, Diagnostic> {
        Performance::of(counted.iter().copied().filter(|r| r.date <= last), required.as_ref())
    };
    if let Time::Day(deadline) = deadline
        && day > deadline
        && !performed_by(deadline)?.fulfilled
        && in_force_some_day(contract, scenario, id, deadline)?
    {
        return Ok(ObligationState {
            status: ObligationStatus::Violated,
            performed: performed_by(day)?.amount,
        });
    }
    let now = performed_by(day)?;
    let status = if now.fulfilled {
        ObligationStatus::Fulfilled
    } else if in_force(contract, scenario, id, day)? {
        ObligationStatus::Pending
    } else {
        ObligationStatus::Inactive
    };
    Ok(ObligationState {
        status,
        performed: now.amount,
    })
}

/// What a set of counted records adds up to.
struct Performance {
    amount: Decimal,
    fulfilled: bool,
}

impl Performance {
    fn of<'r>(records: impl Iterator<Item = &'r PerformanceRecord>, required: Option<&Value>) -> Result<Performance, Diagnostic> {
        let Some(required) = required else {
            let count = records.count();
            return Ok(Performance {
                amount: Decimal::from(i64::try_from(count).unwrap_or(i64::MAX)),
                fulfilled: count > 0,
            });
        };
        let Some(zero) = Value::of_type(&required.ty(), Decimal::zero()) else {
            // A quantity the checker would reject (a date, a bool...): nothing adds up to it.
            return Ok(Performance {
                amount: Decimal::zero(),
                fulfilled: false,
            });
        };
        let mut total = zero;
        for record in records {
            // A record without a quantity counts nothing towards one.
            let Some(quantity) = &record.quantity else { continue };
            total = Value::binary(crate::ast::BinaryOp::Add, &total, quantity).map_err(|e| {
                Diagnostic::new(
                    Code::Eval,
                    format!("this record's quantity cannot count towards {}: {e}", required.display()),
                    record.span,
                    format!("{} is {}", quantity.display(), quantity.ty()),
                )
            })?;
        }
        let fulfilled = total.compare(required).map(|o| o != Ordering::Less).unwrap_or(false);
        Ok(Performance {
            amount: total.amount().cloned().unwrap_or_else(Decimal::zero),
            fulfilled,
        })
    }
}

/// Whether the clause is in force on some day on or before `last`.
fn in_force_some_day(contract: &Contract, scenario: &Scenario, id: ClauseId, last: NaiveDate) -> Result<bool, Diagnostic> {
    let (start, end) = window(contract, scenario, id)?;
    let Time::Day(first) = start else { return Ok(false) };
    let mut days: BTreeSet<NaiveDate> = BTreeSet::new();
    days.insert(first);
    days.extend(scenario.events.values().copied().filter(|&d| d >= first));
    for day in days {
        if day > last || end.reached_by(day) {
            break;
        }
        if in_force(contract, scenario, id, day)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn not_an_obligation(contract: &Contract, id: ClauseId) -> Diagnostic {
    Diagnostic::new(
        Code::Eval,
        format!("`{}` is not an obligation: only `must` clauses have a status", contract.clause_label(id)),
        contract.clause_span(id),
        "not a `must` clause",
    )
}
