//! The status of an obligation (`P must A [Q of] X ... by T`) on a day,
//! spec section 7: records that count, fulfilment, violation (final) and
//! the pending/inactive distinction.

use crate::ast::{ClauseBody, ObligationStatus, QualifierKind};
use crate::decimal::Decimal;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::index::ClauseKind;
use crate::eval::query::{Ctx, not_a_clause};
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
pub fn status(
    contract: &Contract,
    scenario: &Scenario,
    id: ClauseId,
    day: NaiveDate,
) -> Result<ObligationState, Diagnostic> {
    status_in(Ctx::new(contract, scenario, None), id, day)
}

pub(crate) fn status_in(
    ctx: Ctx<'_>,
    id: ClauseId,
    day: NaiveDate,
) -> Result<ObligationState, Diagnostic> {
    let (contract, scenario) = (ctx.contract, ctx.scenario);
    let clause = contract
        .clause(id)
        .ok_or_else(|| not_a_clause(contract, id))?;
    let info = contract
        .clause_info(id)
        .ok_or_else(|| not_a_clause(contract, id))?;
    let ClauseBody::Act { object, .. } = &clause.body else {
        return Err(not_an_obligation(contract, id));
    };
    if info.kind != ClauseKind::Must {
        return Err(not_an_obligation(contract, id));
    }
    let env = ctx.env(day);
    let required = object.quantity.as_ref().map(|q| env.eval(q)).transpose()?;
    let mut deadline = Time::Never;
    for qualifier in &clause.qualifiers {
        if let QualifierKind::By(time) = &qualifier.kind {
            deadline = deadline.or(env.time(time)?);
        }
    }

    // Records that count by `day`, in date order (in-force tested once per date).
    let mut counted: Vec<&PerformanceRecord> = Vec::new();
    let mut in_force_on: std::collections::HashMap<NaiveDate, bool> =
        std::collections::HashMap::new();
    for record in &scenario.records {
        let matches = info.parties.contains(&record.party)
            && info.actions.contains(&record.action)
            && info.objects.contains(&record.asset)
            && record.date <= day;
        if !matches {
            continue;
        }
        let active = match in_force_on.get(&record.date) {
            Some(&active) => active,
            None => {
                let active = ctx.in_force(id, record.date)?;
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
        Performance::of(
            counted.iter().copied().filter(|r| r.date <= last),
            required.as_ref(),
        )
    };
    if let Time::Day(deadline) = deadline
        && day > deadline
        && !performed_by(deadline)?.fulfilled
        && in_force_some_day(ctx, id, deadline)?
    {
        return Ok(ObligationState {
            status: ObligationStatus::Violated,
            performed: performed_by(day)?.amount,
        });
    }
    let now = performed_by(day)?;
    let status = if now.fulfilled {
        ObligationStatus::Fulfilled
    } else if ctx.in_force(id, day)? {
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
    fn of<'r>(
        records: impl Iterator<Item = &'r PerformanceRecord>,
        required: Option<&Value>,
    ) -> Result<Performance, Diagnostic> {
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
            let Some(quantity) = &record.quantity else {
                continue;
            };
            total = Value::binary(crate::ast::BinaryOp::Add, &total, quantity).map_err(|e| {
                Diagnostic::new(
                    Code::Eval,
                    format!(
                        "this record's quantity cannot count towards {}: {e}",
                        required.display()
                    ),
                    record.span,
                    format!("{} is {}", quantity.display(), quantity.ty()),
                )
            })?;
        }
        let fulfilled = total
            .compare(required)
            .map(|o| o != Ordering::Less)
            .unwrap_or(false);
        Ok(Performance {
            amount: total.amount().cloned().unwrap_or_else(Decimal::zero),
            fulfilled,
        })
    }
}

/// Whether the clause is in force on some day on or before `last`.
fn in_force_some_day(ctx: Ctx<'_>, id: ClauseId, last: NaiveDate) -> Result<bool, Diagnostic> {
    let (start, end) = ctx.window(id)?;
    let Time::Day(first) = start else {
        return Ok(false);
    };
    let mut days: BTreeSet<NaiveDate> = BTreeSet::new();
    days.insert(first);
    days.extend(
        ctx.scenario
            .events
            .values()
            .copied()
            .filter(|&d| d >= first),
    );
    for day in days {
        if day > last || end.reached_by(day) {
            break;
        }
        if ctx.in_force(id, day)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn not_an_obligation(contract: &Contract, id: ClauseId) -> Diagnostic {
    Diagnostic::new(
        Code::Eval,
        format!(
            "`{}` is not an obligation: only `must` clauses have a status",
            contract.clause_label(id)
        ),
        contract.clause_span(id),
        "not a `must` clause",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{
        DurationLit, DurationUnit, Modality::*, QualifierKind as Q, Sign, TimeExpr, TimeKind,
    };
    use crate::eval::tests::*;
    use ObligationStatus::*;

    fn contract() -> Contract {
        let mut items = decls(&[
            "party:openai",
            "party:microsoft",
            "asset:azure_services",
            "asset:report",
            "asset:fee",
            "action:purchase",
            "action:file",
            "action:pay",
        ]);
        let plus_30_days = TimeExpr {
            kind: TimeKind::Shift {
                base: Box::new(t_name("declared")),
                sign: Sign::Plus,
                duration: DurationLit {
                    amount: 30,
                    unit: DurationUnit::Day,
                    span: sp(),
                },
            },
            span: sp(),
        };
        items.extend([
            event("declared", &[]),
            clause(
                "commitment",
                must_q("openai", "purchase", money("250e9"), "azure_services"),
                vec![with(&["microsoft"]), Q::By(t_date("2030-01-01"))],
            ),
            clause(
                "report_duty",
                act(Must, "openai", "file", "report"),
                vec![Q::From(t_name("declared")), Q::By(plus_30_days)],
            ),
            clause(
                "too_late",
                act(Must, "microsoft", "file", "report"),
                vec![Q::From(t_date("2031-01-01")), Q::By(t_date("2030-01-01"))],
            ),
            clause(
                "fee_duty",
                act(Must, "openai", "pay", "fee"),
                vec![Q::When(name_e("declared")), Q::By(t_date("2029-01-01"))],
            ),
            clause("may_pay", act(May, "openai", "pay", "fee"), vec![]),
        ]);
        contract_of(items)
    }

    fn record(
        party: &str,
        action: &str,
        asset: &str,
        quantity: Option<&str>,
        day: &str,
    ) -> PerformanceRecord {
        PerformanceRecord {
            party: party.into(),
            action: action.into(),
            asset: asset.into(),
            quantity: quantity.map(|q| Value::Money(Decimal::parse(q).unwrap())),
            date: date(day),
            span: sp(),
        }
    }

    fn status_of(c: &Contract, s: &Scenario, label: &str, day: &str) -> (ObligationStatus, String) {
        let state = status(c, s, c.clause_by_label(label).unwrap(), date(day)).unwrap();
        (state.status, state.performed.to_plain_string())
    }

    #[test]
    fn quantities_add_up_to_fulfilment() {
        let c = contract();
        let mut s = Scenario::default();
        s.records.push(record(
            "openai",
            "purchase",
            "azure_services",
            Some("40e9"),
            "2026-06-30",
        ));
        assert_eq!(
            status_of(&c, &s, "commitment", "2026-06-29"),
            (Pending, "0".into())
        );
        assert_eq!(
            status_of(&c, &s, "commitment", "2027-01-01"),
            (Pending, "40000000000".into())
        );
        // A record without a quantity counts nothing towards one; another party's counts nothing.
        s.records.push(record(
            "openai",
            "purchase",
            "azure_services",
            None,
            "2027-01-01",
        ));
        s.records.push(record(
            "microsoft",
            "purchase",
            "azure_services",
            Some("500e9"),
            "2027-01-01",
        ));
        assert_eq!(
            status_of(&c, &s, "commitment", "2027-06-01"),
            (Pending, "40000000000".into())
        );
        s.records.push(record(
            "openai",
            "purchase",
            "azure_services",
            Some("210e9"),
            "2029-12-31",
        ));
        assert_eq!(
            status_of(&c, &s, "commitment", "2029-12-31"),
            (Fulfilled, "250000000000".into())
        );
        assert_eq!(
            status_of(&c, &s, "commitment", "2035-01-01"),
            (Fulfilled, "250000000000".into())
        );
        // Nothing is in force before `effective` (none here) ... and before any record: pending.
        assert_eq!(
            status_of(&c, &Scenario::default(), "commitment", "2020-01-01"),
            (Pending, "0".into())
        );
    }

    #[test]
    fn violation_is_final() {
        let c = contract();
        let mut s = Scenario::default();
        s.records.push(record(
            "openai",
            "purchase",
            "azure_services",
            Some("40e9"),
            "2026-06-30",
        ));
        // On the deadline day itself it is still pending.
        assert_eq!(
            status_of(&c, &s, "commitment", "2030-01-01"),
            (Pending, "40000000000".into())
        );
        assert_eq!(
            status_of(&c, &s, "commitment", "2030-01-02"),
            (Violated, "40000000000".into())
        );
        // A record after the deadline does not cure it.
        s.records.push(record(
            "openai",
            "purchase",
            "azure_services",
            Some("300e9"),
            "2030-02-01",
        ));
        assert_eq!(
            status_of(&c, &s, "commitment", "2031-01-01"),
            (Violated, "340000000000".into())
        );
    }

    #[test]
    fn obligations_without_a_quantity_count_records() {
        let c = contract();
        // Never declared: never in force, deadline never: inactive.
        let mut s = Scenario::default();
        assert_eq!(
            status_of(&c, &s, "report_duty", "2040-01-01"),
            (Inactive, "0".into())
        );
        s.set_event("declared", Some(date("2028-01-01")));
        assert_eq!(
            status_of(&c, &s, "report_duty", "2027-12-31"),
            (Inactive, "0".into())
        );
        assert_eq!(
            status_of(&c, &s, "report_duty", "2028-01-15"),
            (Pending, "0".into())
        );
        // A record before the obligation is in force does not count.
        s.records
            .push(record("openai", "file", "report", None, "2027-12-01"));
        assert_eq!(
            status_of(&c, &s, "report_duty", "2028-01-15"),
            (Pending, "0".into())
        );
        // Deadline declared + 30 days = 2028-01-31.
        assert_eq!(
            status_of(&c, &s, "report_duty", "2028-02-01"),
            (Violated, "0".into())
        );
        s.records
            .push(record("openai", "file", "report", None, "2028-02-05"));
        assert_eq!(
            status_of(&c, &s, "report_duty", "2028-03-01"),
            (Violated, "1".into())
        );
        let mut on_time = s.clone();
        on_time
            .records
            .push(record("openai", "file", "report", None, "2028-01-10"));
        assert_eq!(
            status_of(&c, &on_time, "report_duty", "2028-01-09"),
            (Pending, "0".into())
        );
        assert_eq!(
            status_of(&c, &on_time, "report_duty", "2028-01-10"),
            (Fulfilled, "1".into())
        );
        assert_eq!(
            status_of(&c, &on_time, "report_duty", "2028-03-01"),
            (Fulfilled, "2".into())
        );
    }

    #[test]
    fn violation_needs_the_obligation_in_force_by_the_deadline() {
        let c = contract();
        let s = Scenario::default();
        assert_eq!(
            status_of(&c, &s, "too_late", "2030-06-01"),
            (Inactive, "0".into())
        );
        assert_eq!(
            status_of(&c, &s, "too_late", "2031-06-01"),
            (Pending, "0".into())
        );
        // In force only once `declared` happens (a `when`): found at the event's date.
        assert_eq!(
            status_of(&c, &s, "fee_duty", "2029-06-01"),
            (Inactive, "0".into())
        );
        let mut declared = Scenario::default();
        declared.set_event("declared", Some(date("2028-06-01")));
        assert_eq!(
            status_of(&c, &declared, "fee_duty", "2028-05-31"),
            (Inactive, "0".into())
        );
        assert_eq!(
            status_of(&c, &declared, "fee_duty", "2028-06-01"),
            (Pending, "0".into())
        );
        assert_eq!(
            status_of(&c, &declared, "fee_duty", "2029-01-02"),
            (Violated, "0".into())
        );
        let mut too_late = Scenario::default();
        too_late.set_event("declared", Some(date("2029-06-01")));
        assert_eq!(
            status_of(&c, &too_late, "fee_duty", "2029-07-01"),
            (Pending, "0".into())
        );
    }

    #[test]
    fn only_musts_have_a_status() {
        let c = contract();
        let error = status(
            &c,
            &Scenario::default(),
            c.clause_by_label("may_pay").unwrap(),
            date("2028-01-01"),
        )
        .unwrap_err();
        assert_eq!(error.code, Code::Eval);
    }
}
