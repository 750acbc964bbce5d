//! Reading literal tokens the grammar has already delimited: numbers (exact,
//! within the limits), dates (validated), durations and string escapes.
//! Each function returns the value or a diagnostic labelled on the token.

use crate::ast::DurationUnit;
use crate::decimal::Decimal;
use crate::diagnostic::{Code, Diagnostic};
use crate::limits::{MAX_DECIMAL_DIGITS, MAX_DECIMAL_EXPONENT};
use crate::source::Span;
use chrono::{Datelike, NaiveDate};

/// A number as written (`1_000`, `0.5`, `1e27`) scaled by `10^shift` (money
/// scales, percent), read exactly.
pub(super) fn number(text: &str, shift: i64, span: Span) -> Result<Decimal, Diagnostic> {
    let (mantissa, exponent_text) = match text.find(['e', 'E']) {
        Some(at) => (text.get(..at).unwrap_or(""), text.get(at + 1..)),
        None => (text, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((int, frac)) => (int, frac),
        None => (mantissa, ""),
    };
    let digits: String = int_part
        .chars()
        .chain(frac_part.chars())
        .filter(char::is_ascii_digit)
        .collect();
    let frac_len = frac_part.chars().filter(char::is_ascii_digit).count();
    let out_of_range = || {
        Diagnostic::new(
            Code::Syntax,
            format!("the number `{text}` is out of range"),
            span,
            "too large or too small",
        )
        .with_help(format!(
            "a number's magnitude must be at least 1e-{MAX_DECIMAL_EXPONENT} and less than 1e{}",
            MAX_DECIMAL_EXPONENT + 1
        ))
    };
    let written_exponent: i64 = match exponent_text {
        Some(e) => e.parse().map_err(|_| out_of_range())?,
        None => 0,
    };
    let significant = digits.trim_start_matches('0');
    if significant.len() as u64 > MAX_DECIMAL_DIGITS {
        return Err(Diagnostic::new(
            Code::Syntax,
            format!("the number `{}` has too many digits", shorten(text)),
            span,
            format!("more than {MAX_DECIMAL_DIGITS} significant digits"),
        )
        .with_help(format!(
            "write at most {MAX_DECIMAL_DIGITS} significant digits"
        )));
    }
    // The exponent of the last digit written.
    let exponent = written_exponent
        .checked_sub(frac_len as i64)
        .and_then(|e| e.checked_add(shift))
        .ok_or_else(out_of_range)?;
    if !significant.is_empty() {
        // The decimal magnitude of the leading digit.
        let magnitude = exponent + significant.len() as i64 - 1;
        if !(-MAX_DECIMAL_EXPONENT..=MAX_DECIMAL_EXPONENT).contains(&magnitude) {
            return Err(out_of_range());
        }
    }
    let canonical = if significant.is_empty() {
        "0".to_string()
    } else {
        format!("{significant}e{exponent}")
    };
    Decimal::parse(&canonical).ok_or_else(out_of_range)
}

/// The power of ten a money scale letter stands for (`$2M`: 6).
pub fn money_scale(letter: &str) -> Option<i64> {
    match letter {
        "K" => Some(3),
        "M" => Some(6),
        "B" => Some(9),
        "T" => Some(12),
        _ => None,
    }
}

/// At most 40 characters of a long token, for messages.
fn shorten(text: &str) -> String {
    if text.chars().count() <= 40 {
        text.to_string()
    } else {
        let head: String = text.chars().take(37).collect();
        format!("{head}...")
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date written `YYYY-MM-DD`, as in a contract: the one reading of dates
/// shared by the parser, scenario values and `--at`/`--event`/`:event`.
pub fn iso_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// A `YYYY-MM-DD` token (the grammar guarantees the shape), or a diagnostic
/// saying why it is no date.
pub(super) fn date(text: &str, span: Span) -> Result<NaiveDate, Diagnostic> {
    if let Some(date) = iso_date(text) {
        return Ok(date);
    }
    let mut parts = text.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (Some(Some(year)), Some(Some(month)), Some(Some(day))) =
        (parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed_date(text, span));
    };
    let not_a_date = |why: String| {
        Diagnostic::new(
            Code::Syntax,
            format!("{text} is not a date: {why}"),
            span,
            "not a date",
        )
    };
    if !(1..=12).contains(&month) {
        return Err(not_a_date(format!("there is no month {month:02}")));
    }
    let year_i32 = i32::try_from(year).map_err(|_| malformed_date(text, span))?;
    let days_in_month = days_in_month(year_i32, month);
    if day == 0 || day > days_in_month {
        let month_name = MONTHS
            .get(month as usize - 1)
            .copied()
            .unwrap_or("that month");
        return Err(not_a_date(format!(
            "{month_name} {year} has {days_in_month} days"
        )));
    }
    NaiveDate::from_ymd_opt(year_i32, month, day)
        .ok_or_else(|| not_a_date("it is out of range".to_string()))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(year, month, 1);
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    match (first, next) {
        (Some(first), Some(next)) => next.signed_duration_since(first).num_days() as u32,
        _ => 31,
    }
}

/// `2030-1-1` and other dates not written `YYYY-MM-DD`.
pub(super) fn malformed_date(text: &str, span: Span) -> Diagnostic {
    let parts: Vec<&str> = text.split('-').collect();
    let suggestion = match parts.as_slice() {
        [y, m, d]
            if y.len() == 4 && m.len() <= 2 && d.len() <= 2 && !m.is_empty() && !d.is_empty() =>
        {
            Some(format!("{y}-{m:0>2}-{d:0>2}"))
        }
        _ => None,
    };
    let help = match suggestion {
        Some(fixed)
            if NaiveDate::parse_from_str(&fixed, "%Y-%m-%d").is_ok_and(|d| d.year() >= 0) =>
        {
            format!("dates are written YYYY-MM-DD: `{fixed}`")
        }
        _ => "dates are written YYYY-MM-DD, e.g. 2030-01-01".to_string(),
    };
    Diagnostic::new(
        Code::Syntax,
        format!("`{}` is not written as a date", shorten(text)),
        span,
        "expected YYYY-MM-DD",
    )
    .with_help(help)
}

/// The amount and unit of `N days` (the grammar guarantees the unit word).
pub(super) fn duration(
    amount: &str,
    word: &str,
    span: Span,
) -> Result<(u32, DurationUnit), Diagnostic> {
    let unit = match word.trim_end_matches('s') {
        "day" => DurationUnit::Day,
        "week" => DurationUnit::Week,
        "month" => DurationUnit::Month,
        _ => DurationUnit::Year,
    };
    if !amount.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return Err(Diagnostic::new(
            Code::Syntax,
            format!("a duration is a whole number of {word}: `{amount}` is not"),
            span,
            "not a whole number",
        )
        .with_help("write a whole number, e.g. `30 days` or `18 months`"));
    }
    let digits: String = amount.chars().filter(char::is_ascii_digit).collect();
    let value = digits.parse::<u32>().map_err(|_| {
        Diagnostic::new(
            Code::Syntax,
            format!("the duration `{} {word}` is too long", shorten(amount)),
            span,
            "too long",
        )
        .with_help(format!("a duration counts at most {} {word}", u32::MAX))
    })?;
    Ok((value, unit))
}

/// The value of a string literal token (with its quotes). Unknown escapes
/// are reported, each labelled on itself.
pub(super) fn string(token: &str, span: Span) -> Result<String, Vec<Diagnostic>> {
    let inner = token
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(token);
    let mut value = String::with_capacity(inner.len());
    let mut errors = Vec::new();
    let mut chars = inner.char_indices();
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        match chars.next() {
            Some((_, '"')) => value.push('"'),
            Some((_, '\\')) => value.push('\\'),
            Some((_, 'n')) => value.push('\n'),
            Some((_, 't')) => value.push('\t'),
            Some((_, other)) => {
                // +1 for the opening quote.
                let start = span.start + 1 + at;
                let escape_span = Span::new(start, start + 1 + other.len_utf8());
                errors.push(
                    Diagnostic::new(
                        Code::Syntax,
                        format!("unknown escape `\\{other}` in a string"),
                        escape_span,
                        "unknown escape",
                    )
                    .with_help("the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`; write `\\\\` for a backslash"),
                );
            }
            None => value.push('\\'),
        }
    }
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(errors)
    }
}
