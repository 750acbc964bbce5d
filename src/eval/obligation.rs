//! Obligations (spec section 7, v2): debts, recurring obligations and
//! continuing duties; their instances; the allocation of performance
//! records to open instances, earliest deadline first; status and
//! discharge.
//!
//! Every status is computed from one allocation of the scenario's records
//! in date order (`allocate`). While a record is being allocated, whether a
//! clause is in force may read another obligation's status: that read sees
//! the ledger of the records allocated before it (`Ctx::ledger`), so the
//! allocation never recurses into itself.

use crate::ast::{Name, ObligationStatus, QualifierKind};
use crate::decimal::Decimal;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::error::EvalError;
use crate::eval::expr::StatusOracle;
use crate::eval::force::{Ctx, MAX_STATUS_DEPTH, not_a_clause, shift};
use crate::eval::index::{ClauseInfo, ClauseKind, Slot};
use crate::eval::ledger::{Ledger, Share};
use crate::eval::scenario::{PerformanceRecord, Scenario};
use crate::eval::time::Time;
use crate::eval::value::Value;
use crate::eval::{ClauseId, Contract};
use crate::limits::MAX_INSTANCES;
use chrono::NaiveDate;
use std::cmp::Ordering;

/// The three kinds of `must` (section 7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObligationKind {
    /// A quantity, a deadline, or both: one instance.
    Debt,
    /// `every D`: one instance per period, due D' after its last day with
    /// `within D'` (as (months, days) pairs).
    Recurring {
        period: (i64, i64),
        grace: Option<(i64, i64)>,
    },
    /// Neither: pending while in force; records never fulfil it.
    Duty,
}

/// One instance of a debt or recurring obligation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    /// 0 for a debt; the period's number for a recurring obligation.
    pub index: usize,
    /// The first day it is owed.
    pub begins: NaiveDate,
    /// A recurring instance's period `[from, until)`.
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub due: Time,
    /// The quantity owed; `None`: one record.
    pub owed: Option<Value>,
}

/// An obligation's status on a day (section 7), with the instance that
/// decides it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObligationState {
    pub status: ObligationStatus,
    /// What has been performed: for a debt or a recurring obligation the
    /// quantity allocated to the deciding instance (a percent as its
    /// fraction) or the number of records; for a duty the number of
    /// matching records dated on days it is in force.
    pub performed: Decimal,
    /// The quantity owed (`1` for one record); none for a duty.
    pub owed: Option<Decimal>,
    /// The deciding instance's deadline (`None` when it has none, or for a duty).
    pub due: Option<NaiveDate>,
    /// For a recurring obligation, the deciding instance's period.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// The records allocated to the deciding instance, in date order.
    pub records: Vec<usize>,
}

/// The status of the `must` clause `id` on `day`.
pub fn status(
    contract: &Contract,
    scenario: &Scenario,
    id: ClauseId,
    day: NaiveDate,
) -> Result<ObligationState, EvalError> {
    status_in(Ctx::new(contract, scenario, None), id, day)
}

pub(crate) fn status_in(
    ctx: Ctx<'_>,
    id: ClauseId,
    day: NaiveDate,
) -> Result<ObligationState, EvalError> {
    obligation_info(ctx.contract, id)?;
    match ctx.ledger {
        Some(ledger) => state_from(ctx, ledger, id, day),
        None => {
            let ledger = allocate(ctx, day)?;
            state_from(ctx, &ledger, id, day)
        }
    }
}

/// Whether the obligation is discharged on `day` (a debt fulfilled, every
/// begun instance of a recurring obligation fulfilled; a duty never).
pub(crate) fn discharged(ctx: Ctx<'_>, id: ClauseId, day: NaiveDate) -> Result<bool, EvalError> {
    let mut owned = None;
    let ledger = ledger_by(ctx, day, &mut owned)?;
    let instances = instances(ctx, id, day)?;
    if matches!(kind_of(ctx.contract, id), ObligationKind::Duty) || instances.is_empty() {
        return Ok(false);
    }
    for instance in &instances {
        if fulfilled_on(ledger, id, instance, day)?.is_none() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether a recurring obligation has an instance open on `day`: begun,
/// not fulfilled and not past its deadline.
pub(crate) fn has_open_instance(
    ctx: Ctx<'_>,
    id: ClauseId,
    day: NaiveDate,
) -> Result<bool, EvalError> {
    if !matches!(kind_of(ctx.contract, id), ObligationKind::Recurring { .. }) {
        return Ok(false);
    }
    let mut owned = None;
    let ledger = ledger_by(ctx, day, &mut owned)?;
    for instance in instances(ctx, id, day)? {
        if Time::Day(day) <= instance.due && fulfilled_on(ledger, id, &instance, day)?.is_none() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The allocation a reading on `day` sees: the one in progress, if a
/// record is being allocated, else the scenario's records up to `day`
/// (kept in `owned`).
fn ledger_by<'l>(
    ctx: Ctx<'l>,
    day: NaiveDate,
    owned: &'l mut Option<Ledger>,
) -> Result<&'l Ledger, EvalError> {
    match ctx.ledger {
        Some(ledger) => Ok(ledger),
        None => Ok(owned.insert(allocate(ctx, day)?)),
    }
}

/// What kind of obligation the `must` clause `id` is.
pub fn kind_of(contract: &Contract, id: ClauseId) -> ObligationKind {
    let Some(clause) = contract.clause(id) else {
        return ObligationKind::Duty;
    };
    let mut period = None;
    let mut grace = None;
    let mut deadline = false;
    for qualifier in &clause.qualifiers {
        match &qualifier.kind {
            QualifierKind::Every(duration) => period = Some(duration.months_days()),
            QualifierKind::Within {
                duration,
                after: None,
            } => grace = Some(duration.months_days()),
            QualifierKind::Within { after: Some(_), .. } | QualifierKind::By(_) => deadline = true,
            _ => {}
        }
    }
    match period {
        Some(period) => ObligationKind::Recurring { period, grace },
        None if deadline || clause.body.object().quantity.is_some() => ObligationKind::Debt,
        None => ObligationKind::Duty,
    }
}

/// A debt's deadline: the earliest `by`, or `T + D` for `within D after T`.
pub fn deadline(ctx: Ctx<'_>, id: ClauseId) -> Result<Time, EvalError> {
    let contract = ctx.contract;
    let clause = contract
        .clause(id)
        .ok_or_else(|| not_a_clause(contract, id))?;
    let env = ctx.env(contract.effective().unwrap_or(NaiveDate::MIN));
    let mut due = Time::Never;
    for qualifier in &clause.qualifiers {
        match &qualifier.kind {
            QualifierKind::By(time) => due = due.or(env.time(time)?),
            QualifierKind::Within {
                duration,
                after: Some(time),
            } => due = due.or(shift(env.time(time)?, duration, qualifier.span)?),
            _ => {}
        }
    }
    Ok(due)
}

/// The instances of obligation `id` that have begun on or before `last`,
/// in order. A duty has none.
pub fn instances(ctx: Ctx<'_>, id: ClauseId, last: NaiveDate) -> Result<Vec<Instance>, EvalError> {
    let contract = ctx.contract;
    let clause = contract
        .clause(id)
        .ok_or_else(|| not_a_clause(contract, id))?;
    match kind_of(contract, id) {
        ObligationKind::Duty => Ok(Vec::new()),
        ObligationKind::Debt => {
            let Some(begins) = ctx.first_day_in_force(id, last)? else {
                return Ok(Vec::new());
            };
            let owed = owed_on(ctx, id, begins)?;
            Ok(vec![Instance {
                index: 0,
                begins,
                period: None,
                due: deadline(ctx, id)?,
                owed,
            }])
        }
        ObligationKind::Recurring { period, grace } => {
            let (start, end) = ctx.window(id)?;
            let Time::Day(start) = start else {
                return Ok(Vec::new());
            };
            let mut out = Vec::new();
            for index in 0.. {
                let from = period_start(start, period, index, clause.span)?;
                if from > last || end.reached_by(from) {
                    break;
                }
                if index >= MAX_INSTANCES {
                    return Err(too_many_instances(contract, id).into());
                }
                let next = period_start(start, period, index + 1, clause.span)?;
                let until = Time::Day(next).or(end);
                let Time::Day(until) = until else {
                    continue;
                };
                if !ctx.in_force(id, from)? {
                    continue;
                }
                let last_day = until.pred_opt().unwrap_or(until);
                let due = match grace {
                    Some((months, days)) => {
                        Time::Day(last_day).shift(months, days).map_err(|e| {
                            EvalError::OutOfRange {
                                message: e.to_string(),
                                span: clause.span,
                                label: "out of range",
                            }
                        })?
                    }
                    None => Time::Day(last_day),
                };
                out.push(Instance {
                    index,
                    begins: from,
                    period: Some((from, until)),
                    due,
                    owed: owed_on(ctx, id, from)?,
                });
            }
            Ok(out)
        }
    }
}

/// `start + k·D`, each period computed from the start so month ends do not drift.
fn period_start(
    start: NaiveDate,
    (months, days): (i64, i64),
    index: usize,
    span: crate::source::Span,
) -> Result<NaiveDate, EvalError> {
    let k = i64::try_from(index).unwrap_or(i64::MAX);
    let out_of_range = || EvalError::OutOfRange {
        message: "a period of this recurring obligation falls outside the supported calendar"
            .to_string(),
        span,
        label: "recurring obligation",
    };
    let shifted = Time::Day(start)
        .shift(
            months.checked_mul(k).ok_or_else(out_of_range)?,
            days.checked_mul(k).ok_or_else(out_of_range)?,
        )
        .map_err(|_| out_of_range())?;
    shifted.day().ok_or_else(out_of_range)
}

/// The quantity an instance beginning on `day` owes (evaluated only then).
fn owed_on(ctx: Ctx<'_>, id: ClauseId, day: NaiveDate) -> Result<Option<Value>, EvalError> {
    let contract = ctx.contract;
    let clause = contract
        .clause(id)
        .ok_or_else(|| not_a_clause(contract, id))?;
    clause
        .body
        .object()
        .quantity
        .as_ref()
        .map(|q| ctx.env(day).eval(q))
        .transpose()
}

/// Whether a record matches an obligation (section 7, "Matching").
pub fn record_matches(info: &ClauseInfo, record: &PerformanceRecord) -> bool {
    info.parties.contains(&record.party)
        && info.actions.contains(&record.action)
        && info.objects.contains(&record.asset)
        && info.sets.iter().all(|(slot, members)| {
            let named = record.names(*slot);
            if named.is_empty() {
                return false;
            }
            named.iter().any(|name| members.contains(name))
        })
}

/// One open instance a record could go to, with what orders them.
struct Open {
    due: Time,
    id: ClauseId,
    instance: Instance,
}

/// Allocate the scenario's records dated on or before `last` (section 7,
/// "Allocation"): in date order (on one day, as written), each to the open
/// instances it matches, earliest deadline first (none last), ties in
/// source order, then by period.
pub fn allocate(ctx: Ctx<'_>, last: NaiveDate) -> Result<Ledger, EvalError> {
    let contract = ctx.contract;
    let mut order: Vec<usize> = (0..ctx.scenario.records.len()).collect();
    order.sort_by_key(|&i| ctx.scenario.records.get(i).map(|r| r.date));
    let mut ledger = Ledger::default();
    // Assumed performance in date order (a debt's fulfilment, or one
    // instance's), before the records of the same day.
    let mut assumed: Vec<(NaiveDate, ClauseId, Option<usize>)> = ctx
        .scenario
        .fulfilments
        .iter()
        .map(|(&id, f)| (f.date, id, None))
        .chain(
            ctx.scenario
                .instance_fulfilments
                .iter()
                .map(|(&(id, instance), f)| (f.date, id, Some(instance))),
        )
        .collect();
    assumed.sort();
    let mut assumed = assumed.into_iter().peekable();
    for index in order {
        let day = ctx.scenario.records.get(index).map(|r| r.date);
        while let Some((date, id, instance)) = assumed.next_if(|(date, ..)| Some(*date) < day) {
            if date <= last {
                assume(ctx, &mut ledger, id, instance, date)?;
            }
        }
        let Some(record) = ctx.scenario.records.get(index) else {
            continue;
        };
        if record.date > last {
            break;
        }
        let mut open = Vec::new();
        {
            let seen = Ctx {
                ledger: Some(&ledger),
                ..ctx
            };
            for info in contract.act_candidates(&record.action, &record.asset) {
                if info.kind != ClauseKind::Must || !record_matches(info, record) {
                    continue;
                }
                let kind = kind_of(contract, info.id);
                if kind == ObligationKind::Duty {
                    continue;
                }
                if kind == ObligationKind::Debt && !seen.in_force(info.id, record.date)? {
                    continue;
                }
                for instance in instances(seen, info.id, record.date)? {
                    let past_deadline = instance.due.day().is_some_and(|due| record.date > due);
                    if past_deadline
                        || fulfilled_on(&ledger, info.id, &instance, record.date)?.is_some()
                        || violated(&ledger, info.id, &instance, record.date)?
                    {
                        continue;
                    }
                    open.push(Open {
                        due: instance.due,
                        id: info.id,
                        instance,
                    });
                }
            }
        }
        open.sort_by(|a, b| {
            a.due
                .cmp(&b.due)
                .then(a.id.cmp(&b.id))
                .then(a.instance.index.cmp(&b.instance.index))
        });
        give(&mut ledger, index, record, &open)?;
    }
    for (date, id, instance) in assumed {
        if date <= last {
            assume(ctx, &mut ledger, id, instance, date)?;
        }
    }
    Ok(ledger)
}

/// An analysed future's performance: the debt (or the recurring
/// obligation's instance `instance`) is fulfilled on `date` if it is open
/// then, as a record paying what it owes would fulfil it.
fn assume(
    ctx: Ctx<'_>,
    ledger: &mut Ledger,
    id: ClauseId,
    instance: Option<usize>,
    date: NaiveDate,
) -> Result<(), EvalError> {
    let kind = kind_of(ctx.contract, id);
    let seen = Ctx {
        ledger: Some(&*ledger),
        ..ctx
    };
    let instance = match (kind, instance) {
        (ObligationKind::Debt, None) => {
            if !seen.in_force(id, date)? {
                return Ok(());
            }
            instances(seen, id, date)?.into_iter().next()
        }
        (ObligationKind::Recurring { .. }, Some(wanted)) => instances(seen, id, date)?
            .into_iter()
            .find(|instance| instance.index == wanted),
        _ => None,
    };
    let Some(instance) = instance else {
        return Ok(());
    };
    let past_deadline = instance.due.day().is_some_and(|due| date > due);
    if past_deadline || fulfilled_on(ledger, id, &instance, date)?.is_some() {
        return Ok(());
    }
    ledger.add(
        id,
        instance.index,
        Share {
            record: usize::MAX,
            date,
            amount: None,
            whole: true,
        },
    );
    Ok(())
}

/// Hand one record to the open instances in order: a quantity fills what
/// each still lacks and passes the rest on; a record without one (or that
/// reaches an instance owing one record first) fulfils one instance.
fn give(
    ledger: &mut Ledger,
    index: usize,
    record: &PerformanceRecord,
    open: &[Open],
) -> Result<(), EvalError> {
    let mut rest = record.quantity.clone();
    for candidate in open {
        let share = |amount| Share {
            record: index,
            date: record.date,
            amount,
            whole: false,
        };
        match (&candidate.instance.owed, &rest) {
            (None, _) => {
                if rest.as_ref() == record.quantity.as_ref() {
                    ledger.add(candidate.id, candidate.instance.index, share(None));
                    return Ok(());
                }
            }
            // A record without a quantity counts nothing towards one.
            (Some(_), None) => {}
            (Some(owed), Some(left)) => {
                let have = allocated(ledger, candidate.id, candidate.instance.index, owed, None)
                    .map_err(|e| quantity_error(record, owed, e))?;
                let lacking = Value::binary(crate::ast::BinaryOp::Sub, owed, &have)
                    .map_err(|e| quantity_error(record, owed, e.to_string()))?;
                let take = match left.compare(&lacking) {
                    Ok(Ordering::Greater) => lacking,
                    Ok(_) => left.clone(),
                    Err(e) => return Err(quantity_error(record, owed, e.to_string()).into()),
                };
                let remaining = Value::binary(crate::ast::BinaryOp::Sub, left, &take)
                    .map_err(|e| quantity_error(record, owed, e.to_string()))?;
                ledger.add(candidate.id, candidate.instance.index, share(Some(take)));
                if remaining.amount().is_some_and(|a| a.is_zero()) {
                    return Ok(());
                }
                rest = Some(remaining);
            }
        }
    }
    Ok(())
}

fn quantity_error(record: &PerformanceRecord, owed: &Value, why: String) -> Diagnostic {
    Diagnostic::new(
        Code::Eval,
        format!(
            "this record's quantity cannot count towards {}: {why}",
            owed.display()
        ),
        record.span,
        match &record.quantity {
            Some(q) => format!("{} is {}", q.display(), q.ty()),
            None => "this record".to_string(),
        },
    )
}

/// The quantity allocated to an instance by records dated on or before
/// `by` (all of them without `by`), as a value of the owed type.
fn allocated(
    ledger: &Ledger,
    id: ClauseId,
    instance: usize,
    owed: &Value,
    by: Option<NaiveDate>,
) -> Result<Value, String> {
    let zero = Value::of_type(&owed.ty(), Decimal::zero())
        .ok_or_else(|| format!("{} is not a quantity", owed.display()))?;
    let mut total = zero;
    for share in ledger.shares(id, instance) {
        if by.is_some_and(|by| share.date > by) {
            continue;
        }
        if let Some(amount) = &share.amount {
            total = Value::binary(crate::ast::BinaryOp::Add, &total, amount)
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(total)
}

/// The day an instance was fulfilled, if it was by `day`.
fn fulfilled_on(
    ledger: &Ledger,
    id: ClauseId,
    instance: &Instance,
    day: NaiveDate,
) -> Result<Option<NaiveDate>, EvalError> {
    let shares = ledger.shares(id, instance.index);
    if let Some(whole) = shares.iter().find(|s| s.whole && s.date <= day) {
        return Ok(Some(whole.date));
    }
    let Some(owed) = &instance.owed else {
        return Ok(shares.iter().map(|s| s.date).find(|&d| d <= day));
    };
    for share in shares.iter().filter(|s| s.date <= day) {
        let total = allocated(ledger, id, instance.index, owed, Some(share.date))
            .map_err(|e| Diagnostic::new(Code::Eval, e, Default::default(), "here"))?;
        if total.compare(owed).is_ok_and(|o| o != Ordering::Less) {
            return Ok(Some(share.date));
        }
    }
    Ok(None)
}

/// An instance is violated on `day` once its deadline has passed without
/// fulfilment on or before it, provided it had begun by then.
fn violated(
    ledger: &Ledger,
    id: ClauseId,
    instance: &Instance,
    day: NaiveDate,
) -> Result<bool, EvalError> {
    let Time::Day(due) = instance.due else {
        return Ok(false);
    };
    Ok(day > due && instance.begins <= due && fulfilled_on(ledger, id, instance, due)?.is_none())
}

fn state_from(
    ctx: Ctx<'_>,
    ledger: &Ledger,
    id: ClauseId,
    day: NaiveDate,
) -> Result<ObligationState, EvalError> {
    let kind = kind_of(ctx.contract, id);
    if kind == ObligationKind::Duty {
        return duty_state(ctx, id, day);
    }
    let instances = instances(ctx, id, day)?;
    let mut states = Vec::with_capacity(instances.len());
    for instance in &instances {
        let status = if fulfilled_on(ledger, id, instance, day)?.is_some() {
            ObligationStatus::Fulfilled
        } else if violated(ledger, id, instance, day)? {
            ObligationStatus::Violated
        } else {
            ObligationStatus::Pending
        };
        states.push(status);
    }
    let pick = |wanted: ObligationStatus| states.iter().position(|&s| s == wanted);
    let deciding = pick(ObligationStatus::Violated)
        .or_else(|| pick(ObligationStatus::Pending))
        .or_else(|| states.len().checked_sub(1));
    let (Some(position), Some(instance)) = (
        deciding,
        deciding.and_then(|position| instances.get(position)),
    ) else {
        return Ok(ObligationState {
            status: ObligationStatus::Inactive,
            performed: Decimal::zero(),
            owed: None,
            due: deadline(ctx, id)?.day(),
            period: None,
            records: Vec::new(),
        });
    };
    let mut status = states
        .get(position)
        .copied()
        .unwrap_or(ObligationStatus::Inactive);
    // A debt that is neither fulfilled nor violated is pending only while
    // it is in force.
    if kind == ObligationKind::Debt
        && status == ObligationStatus::Pending
        && !ctx.in_force(id, day)?
    {
        status = ObligationStatus::Inactive;
    }
    let shares = ledger.shares(id, instance.index);
    let counted: Vec<_> = shares.iter().filter(|s| s.date <= day).collect();
    let performed = match &instance.owed {
        Some(owed) => allocated(ledger, id, instance.index, owed, Some(day))
            .ok()
            .and_then(|v| v.amount().cloned())
            .unwrap_or_else(Decimal::zero),
        None => Decimal::from(i64::try_from(counted.len()).unwrap_or(i64::MAX)),
    };
    Ok(ObligationState {
        status,
        performed,
        owed: Some(match &instance.owed {
            Some(owed) => owed.amount().cloned().unwrap_or_else(Decimal::zero),
            None => Decimal::from(1),
        }),
        due: instance.due.day(),
        period: instance.period,
        records: counted
            .iter()
            .filter(|s| !s.whole)
            .map(|s| s.record)
            .collect(),
    })
}

/// A continuing duty: pending while in force, inactive when not; it counts
/// the matching records dated on days it is in force.
fn duty_state(ctx: Ctx<'_>, id: ClauseId, day: NaiveDate) -> Result<ObligationState, EvalError> {
    let info = ctx
        .contract
        .clause_info(id)
        .ok_or_else(|| not_a_clause(ctx.contract, id))?;
    let mut records = Vec::new();
    for (index, record) in ctx.scenario.records.iter().enumerate() {
        if record.date <= day && record_matches(info, record) && ctx.in_force(id, record.date)? {
            records.push(index);
        }
    }
    let status = if ctx.in_force(id, day)? {
        ObligationStatus::Pending
    } else {
        ObligationStatus::Inactive
    };
    Ok(ObligationState {
        status,
        performed: Decimal::from(i64::try_from(records.len()).unwrap_or(i64::MAX)),
        owed: None,
        due: None,
        period: None,
        records,
    })
}

/// The clause `id` as an obligation, or why it is not one.
fn obligation_info(contract: &Contract, id: ClauseId) -> Result<&ClauseInfo, EvalError> {
    let info = contract
        .clause_info(id)
        .ok_or_else(|| not_a_clause(contract, id))?;
    if info.kind != ClauseKind::Must {
        return Err(not_an_obligation(contract, id).into());
    }
    Ok(info)
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

fn too_many_instances(contract: &Contract, id: ClauseId) -> Diagnostic {
    Diagnostic::new(
        Code::Limit,
        format!(
            "`{}` has more than {MAX_INSTANCES} periods up to this day",
            contract.clause_label(id)
        ),
        contract.clause_span(id),
        "recurring obligation",
    )
    .with_help("ask about an earlier day, or give the recurrence a longer period")
}

impl StatusOracle for Ctx<'_> {
    fn status_on(&self, label: &Name, day: NaiveDate) -> Result<ObligationStatus, EvalError> {
        let id = self.status_target(label)?;
        Ok(status_in(self.deeper(label)?, id, day)?.status)
    }

    fn status_changes(&self, label: &Name, last: NaiveDate) -> Result<Vec<NaiveDate>, EvalError> {
        let id = self.status_target(label)?;
        let ctx = self.deeper(label)?;
        let mut days = ctx.change_days(id, last)?;
        for instance in instances(ctx, id, last)? {
            days.push(instance.begins);
            if let Some((_, until)) = instance.period {
                days.push(until);
            }
            if let Some(after_due) = instance.due.day().and_then(|d| d.succ_opt()) {
                days.push(after_due);
            }
        }
        Ok(days)
    }
}

impl Ctx<'_> {
    fn status_target(&self, label: &Name) -> Result<ClauseId, EvalError> {
        let id = self.contract.clause_by_label(&label.text).ok_or_else(|| {
            Diagnostic::new(
                Code::UnknownClause,
                format!("no clause is labelled `{}`", label.text),
                label.span,
                "not a clause label",
            )
        })?;
        obligation_info(self.contract, id)?;
        Ok(id)
    }

    fn deeper(&self, label: &Name) -> Result<Self, EvalError> {
        if self.status_depth >= MAX_STATUS_DEPTH {
            return Err(Diagnostic::new(
                Code::Limit,
                format!("status conditions nest deeper than {MAX_STATUS_DEPTH} obligations"),
                label.span,
                "too deep",
            )
            .with_help(
                "simplify the chain of obligations whose conditions read each other's status",
            )
            .into());
        }
        Ok(Ctx {
            status_depth: self.status_depth + 1,
            ..*self
        })
    }
}

/// A record's slot names, for explanations.
pub fn slot_text(record: &PerformanceRecord) -> String {
    let mut out = String::new();
    for slot in [Slot::On, Slot::To, Slot::With] {
        let names = record.names(slot);
        if !names.is_empty() {
            out.push_str(&format!(" {} {}", slot.keyword(), names.join(", ")));
        }
    }
    out
}
