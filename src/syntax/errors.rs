//! pest's first error, reworded for the people who write contracts: what was
//! expected in words they know (never rule names), what was found, and a
//! help line for the common mistakes.

use super::grammar::Rule;
use super::is_keyword;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use pest::error::{Error, ErrorVariant, InputLocation};

/// What was being parsed: words differ slightly (a query has no "file").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Context {
    File,
    Query,
}

/// Where pest gave up (a byte offset).
pub(super) fn position(error: &Error<Rule>) -> usize {
    match error.location {
        InputLocation::Pos(pos) => pos,
        InputLocation::Span((start, _)) => start,
    }
}

pub(super) fn from_pest(error: &Error<Rule>, text: &str, context: Context) -> Diagnostic {
    let at = position(error).min(text.len());
    let positives = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { .. } => {
            return Diagnostic::new(
                Code::Limit,
                "the text is too complex to parse",
                Span::new(at, at),
                "parsing stopped here",
            )
            .with_help("split long expressions into `let` values");
        }
    };
    let found = Found::at(text, at);
    let previous = previous_word(text, at);
    let expected = describe(&positives, context);

    let expects_name = !positives.is_empty() && positives.iter().all(|r| is_name_role(*r));
    let after_qualifier = previous.and_then(|(word, _)| needs_help(word, &positives));

    // A keyword where a name belongs: the most common surprise.
    if let (true, Some(word), None) = (expects_name, found.word(), &after_qualifier)
        && is_keyword(word)
    {
        let mut diagnostic = Diagnostic::new(
            Code::Syntax,
            format!("`{word}` is a reserved word and cannot be a name"),
            found.span,
            "reserved word",
        );
        diagnostic = if word == "not" && previous.is_some_and(|(w, _)| w == "may") {
            diagnostic.with_help(
                "for a prohibition write `must not`, e.g. `openai must not host api on gcp`",
            )
        } else {
            diagnostic.with_help(format!("choose another name, e.g. `{word}_`"))
        };
        return diagnostic;
    }

    let message = match &expected {
        Some(list) => format!("expected {list}, found {}", found.describe()),
        None => format!("unexpected {}", found.describe()),
    };
    let label = match &expected {
        Some(list) => format!("expected {list}"),
        None => "unexpected".to_string(),
    };
    // At the end of the input, point at the last token ("expected ... after
    // this") rather than at an empty spot below it.
    let (span, label) = match (found.is_end(), previous_token(text, at)) {
        (true, Some(last)) => (last, format!("{label} after this")),
        _ => (found.span, label),
    };
    let diagnostic = Diagnostic::new(Code::Syntax, message, span, label);

    if let Some(help) = misplaced_help(text, at, &found, previous, &positives) {
        return diagnostic.with_help(help);
    }
    if let Some(help) = after_qualifier {
        return diagnostic.with_help(help);
    }
    let expects_operator = positives.iter().any(|r| is_operator(*r));
    if found.text.starts_with('=') && !found.text.starts_with("==") && expects_operator {
        return diagnostic.with_help("use `==` to compare");
    }
    if let Some(word) = found.raw_word()
        && word.chars().any(|c| c.is_ascii_uppercase())
    {
        let lower = word.to_ascii_lowercase();
        if is_keyword(&lower) {
            return diagnostic.with_help(format!("keywords are written in lowercase: `{lower}`"));
        }
        if positives.iter().any(|r| is_name_role(*r)) {
            return diagnostic.with_help(format!(
                "names are written in lowercase letters, digits and `_`, e.g. `{lower}`"
            ));
        }
    }
    if found.text.starts_with(|c: char| c.is_ascii_digit())
        && let Some(letter) = found
            .text
            .find(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
        && let (Some(number), Some(word)) = (found.text.get(..letter), found.text.get(letter..))
    {
        return diagnostic.with_help(format!(
            "put a space between a number and its unit: `{number} {word}`"
        ));
    }
    if found.text == ";" {
        return diagnostic.with_help("no `;` is needed: start the next item on a new line");
    }
    diagnostic
}

/// Help for forms written as in prose rather than as deal text: `in eu` for
/// `on eu`, `50M` for `$50M`, `01/01/2038` or `1 Jan 2038` for a date, a
/// computed quantity without parentheses, `within 30 days of X`.
fn misplaced_help(
    text: &str,
    at: usize,
    found: &Found<'_>,
    previous: Option<(&str, usize)>,
    positives: &[Rule],
) -> Option<String> {
    let line = rest_of_line(text, at);
    // `marlow may commercialise hlv204 in eu`: `in` was read as the party
    // of a new clause, so the venue is where a modality was expected.
    if let (Some(("in", _)), Some(venue)) = (previous, found.word())
        && positives
            .iter()
            .any(|r| matches!(r, Rule::modality | Rule::kw_may | Rule::kw_holds))
    {
        return Some(format!("venues take `on`: `on {venue}`"));
    }
    if let Some(date) = prose_date(line) {
        return Some(format!("dates are written YYYY-MM-DD, e.g. {date}"));
    }
    if let Some(amount) = money_without_dollar(found.text) {
        return Some(format!("amounts of money start with `$`: `${amount}`"));
    }
    if matches!(found.text, "*" | "/" | "+" | "-") && positives.contains(&Rule::kw_of) {
        let before = text.get(..at)?.trim_end();
        let start = before.rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let first = before.get(start..)?;
        let (computed, object) = line.split_once(" of ")?;
        let object = object.split_whitespace().next()?;
        return Some(format!(
            "put a computed quantity in parentheses: `({first} {}) of {object}`",
            computed.trim()
        ));
    }
    // `within 45 days of approval`: `within`, the amount, the unit, here.
    if let Some(("within", start)) = previous_word_before(text, at, 3)
        && found.word().is_some_and(|w| w == "of" || w == "from")
        && positives.contains(&Rule::kw_after)
    {
        let head = text.get(start..at)?.trim_end();
        let trigger = line.split_whitespace().nth(1)?;
        return Some(format!(
            "a deadline after an event takes `after`: `{head} after {trigger}`"
        ));
    }
    None
}

/// The text from `at` to the end of its line.
fn rest_of_line(text: &str, at: usize) -> &str {
    let rest = text.get(at..).unwrap_or("");
    rest.split('\n').next().unwrap_or(rest)
}

/// The word `back` words before `at` (1 is the one just before).
fn previous_word_before(text: &str, at: usize, back: usize) -> Option<(&str, usize)> {
    let mut end = at;
    let mut word = None;
    for _ in 0..back {
        let (w, start) = previous_word(text, end)?;
        word = Some((w, start));
        end = start;
    }
    word
}

/// `50M`, `1.5B`: a number with a money scale and no `$`; the amount as
/// written.
fn money_without_dollar(token: &str) -> Option<&str> {
    let scale = token.chars().next_back()?;
    let number = token.get(..token.len() - scale.len_utf8())?;
    let is_number = !number.is_empty()
        && number.starts_with(|c: char| c.is_ascii_digit())
        && number.chars().all(|c| c.is_ascii_digit() || c == '.');
    (matches!(scale, 'K' | 'M' | 'B' | 'T') && is_number).then_some(token)
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A date written as in prose at the start of `line` (`01/01/2038`,
/// `1.1.2038`, `1 Jan 2038`, `January 1, 2038`), as an ISO example: the
/// same date when the order of day and month is clear, else both readings.
fn prose_date(line: &str) -> Option<String> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .take(3)
        .collect();
    let month_of = |word: &str| -> Option<u32> {
        let lower = word.to_ascii_lowercase();
        let position = MONTHS
            .iter()
            .position(|m| lower.len() >= 3 && lower.starts_with(m))?;
        u32::try_from(position + 1).ok()
    };
    let number = |word: &str| word.parse::<u32>().ok();
    let iso = |year: u32, month: u32, day: u32| -> Option<String> {
        chrono::NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
            .map(|d| d.format("%Y-%m-%d").to_string())
    };
    let numeric: Vec<u32> = words
        .first()?
        .split(['/', '.'])
        .map(number)
        .collect::<Option<Vec<u32>>>()
        .unwrap_or_default();
    if let [a, b, year] = numeric[..]
        && year >= 1000
        && words.first()?.contains(['/', '.'])
    {
        let day_first = iso(year, b, a);
        let month_first = iso(year, a, b);
        return match (day_first, month_first) {
            (Some(x), Some(y)) if x == y => Some(x),
            (Some(x), Some(y)) => Some(format!("{x} (or {y})")),
            (Some(x), None) | (None, Some(x)) => Some(x),
            (None, None) => None,
        };
    }
    match words[..] {
        [day, month, year] if number(day).is_some() && month_of(month).is_some() => {
            iso(number(year)?, month_of(month)?, number(day)?)
        }
        [month, day, year] if month_of(month).is_some() && number(day).is_some() => {
            iso(number(year)?, month_of(month)?, number(day)?)
        }
        _ => None,
    }
}

/// The token at the error position.
struct Found<'t> {
    text: &'t str,
    span: Span,
}

impl<'t> Found<'t> {
    fn at(text: &'t str, at: usize) -> Self {
        let rest = text.get(at..).unwrap_or("");
        let len = token_len(rest);
        Found {
            text: rest.get(..len).unwrap_or(""),
            span: Span::new(at, at + len),
        }
    }

    fn is_end(&self) -> bool {
        self.text.is_empty()
    }

    /// The token if it is a word (letters, digits, `_`).
    fn raw_word(&self) -> Option<&'t str> {
        self.text
            .chars()
            .next()
            .filter(|c| c.is_ascii_alphabetic() || *c == '_')
            .map(|_| self.text)
    }

    /// The token if it is a lowercase word (a name or a keyword).
    fn word(&self) -> Option<&'t str> {
        self.raw_word().filter(|w| {
            w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
    }

    fn describe(&self) -> String {
        match self.text.chars().next() {
            None => "end of file".to_string(),
            Some(c) if c.is_whitespace() => "white space".to_string(),
            Some(_) => format!("`{}`", self.text),
        }
    }
}

/// The length in bytes of the token that starts `rest`.
fn token_len(rest: &str) -> usize {
    let mut chars = rest.char_indices();
    let Some((_, first)) = chars.next() else {
        return 0;
    };
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if word(first) {
        let end = rest
            .find(|c: char| !(word(c) || c == '.'))
            .unwrap_or(rest.len());
        return end.min(40);
    }
    if first == '"' {
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let close = rest
            .get(1..line_end)
            .and_then(|s| s.find('"'))
            .map(|i| i + 2);
        return close.unwrap_or(line_end).min(60);
    }
    for op in ["==", "!=", "<=", ">=", "//"] {
        if rest.starts_with(op) {
            return 2;
        }
    }
    first.len_utf8()
}

/// The span of the token just before `at` (skipping white space).
fn previous_token(text: &str, at: usize) -> Option<Span> {
    let before = text.get(..at)?.trim_end();
    let last = before.chars().next_back()?;
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let start = if is_word(last) {
        before.rfind(|c: char| !is_word(c)).map_or(0, |i| i + 1)
    } else {
        before.len() - last.len_utf8()
    };
    Some(Span::new(start, before.len()))
}

/// The word just before `at`, skipping white space.
fn previous_word(text: &str, at: usize) -> Option<(&str, usize)> {
    let before = text.get(..at)?.trim_end();
    let start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    let word = before.get(start..)?;
    (!word.is_empty()).then_some((word, start))
}

/// The help line for a qualifier (or `by`/`after` of an event) with nothing
/// usable after it.
fn needs_help(previous: &str, positives: &[Rule]) -> Option<String> {
    let expects = |rules: &[Rule]| positives.iter().any(|r| rules.contains(r));
    let time_rules = [
        Rule::time,
        Rule::time_conj,
        Rule::time_shifted,
        Rule::time_ref,
        Rule::date,
        Rule::bad_date,
    ];
    let help = match previous {
        "on" if expects(&[Rule::venue_ref]) => {
            "`on` needs one or more venue names, e.g. `on azure`"
        }
        "to" if expects(&[Rule::recipient_ref]) => {
            "`to` needs one or more recipient (party) names, e.g. `to us_natsec`"
        }
        "with" if expects(&[Rule::counterparty_ref]) => {
            "`with` needs one or more counterparty (party) names, e.g. `with microsoft`"
        }
        "from" if expects(&time_rules) => {
            "`from` needs a time: a date, an event or a `let` date, e.g. `from 2026-01-01`"
        }
        "until" if expects(&time_rules) => {
            "`until` needs a time: a date, an event or a `let` date, e.g. `until agi_verified`"
        }
        "through" if expects(&time_rules) => "`through` needs a date, e.g. `through 2032-12-31`",
        "by" if expects(&time_rules) => {
            "`by` needs a deadline: a date, an event or a `let` date, e.g. `by 2030-06-30`"
        }
        "by" if expects(&[Rule::party_ref]) => {
            "`by` needs the party that causes the event, e.g. `by openai`"
        }
        "after" if expects(&[Rule::event_ref]) => {
            "`after` needs one or more event names, e.g. `after agi_declared`"
        }
        "when" | "unless" if expects(&[Rule::expr, Rule::operand, Rule::value_ref]) => {
            return Some(format!(
                "`{previous}` needs a condition, e.g. `{previous} profits_reached`"
            ));
        }
        "within" if expects(&[Rule::duration, Rule::duration_amount]) => {
            "`within` needs a duration, e.g. `within 30 days after approval` (or `within 45 days` on an `every` obligation)"
        }
        "every" if expects(&[Rule::duration, Rule::duration_amount]) => {
            "`every` needs a duration, e.g. `every 3 months` for a quarterly obligation"
        }
        "survives" if expects(&[Rule::duration, Rule::duration_amount]) => {
            "`survives` takes an optional duration, e.g. `survives 5 years`"
        }
        "notwithstanding" if expects(&[Rule::label_ref]) => {
            "`notwithstanding` needs one or more clause labels, e.g. `notwithstanding api_exclusive`"
        }
        _ => return None,
    };
    Some(help.to_string())
}

fn is_name_role(rule: Rule) -> bool {
    super::grammar::is_name_rule(rule) || matches!(rule, Rule::object | Rule::type_name)
}

fn is_operator(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::op_or
            | Rule::op_and
            | Rule::op_eq
            | Rule::op_ne
            | Rule::op_lt
            | Rule::op_le
            | Rule::op_gt
            | Rule::op_ge
            | Rule::op_add
            | Rule::op_sub
            | Rule::op_mul
            | Rule::op_div
    )
}

/// Rules that start a top-level item (pest reports the first token of an
/// item rule when that token is all it tried).
fn starts_item(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::deal_title
            | Rule::kw_deal
            | Rule::effective
            | Rule::kw_effective
            | Rule::event_decl
            | Rule::kw_event
            | Rule::simple_decl
            | Rule::group
            | Rule::kw_group
            | Rule::let_item
            | Rule::kw_let
            | Rule::fact
            | Rule::kw_fact
            | Rule::scenario
            | Rule::kw_scenario
            | Rule::assertion
            | Rule::kw_assert
            | Rule::clause
    )
}

fn starts_scenario_line(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::expect_block
            | Rule::kw_expect
            | Rule::event_line
            | Rule::fact_line
            | Rule::fact_ref
            | Rule::record
    )
}

fn starts_expectation(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::expect_status
            | Rule::kw_status
            | Rule::expect_no
            | Rule::expect_unspecified
            | Rule::kw_unspecified
            | Rule::expect_yes
            | Rule::expect_expr
            | Rule::expect_term
    )
}

/// "X, Y or Z" for the expected rules, grouped and deduplicated; `None` when
/// nothing useful can be said.
fn describe(positives: &[Rule], context: Context) -> Option<String> {
    let mut rules: Vec<Rule> = positives.to_vec();
    // Groups, named after the specific words (they read best last).
    let mut groups: Vec<&'static str> = Vec::new();

    if rules
        .iter()
        .any(|r| is_operator(*r) || *r == Rule::shift_op)
    {
        rules.retain(|r| !is_operator(*r) && *r != Rule::shift_op);
        groups.push("an operator");
    }
    if rules.contains(&Rule::operand) {
        // A prefix operator is possible wherever a value is.
        rules.retain(|r| !matches!(r, Rule::op_not | Rule::op_neg));
    }
    if let Some(at) = rules.iter().position(|r| *r == Rule::modality) {
        rules.splice(at..=at, [Rule::kw_may, Rule::kw_must]);
    }
    // Punctuation reads best after the words.
    rules.sort_by_key(|r| is_punctuation(*r));
    if rules.iter().filter(|r| is_qualifier_keyword(**r)).count() >= 5 {
        rules.retain(|r| !is_qualifier_keyword(*r));
        groups.push("a qualifier such as `on`, `until` or `when`");
    }
    if rules.contains(&Rule::expect_yes) || rules.contains(&Rule::kw_unspecified) {
        rules.retain(|r| {
            !starts_expectation(*r)
                && !matches!(
                    r,
                    Rule::kw_not | Rule::op_not | Rule::op_neg | Rule::operand
                )
        });
        groups.push("an expectation (a query, `not`, `unspecified`, `status` or a condition)");
    }
    if rules.contains(&Rule::fact_ref) || rules.contains(&Rule::kw_expect) {
        // A scenario line starts with a name (event, fact, record) or `expect`.
        rules.retain(|r| {
            !starts_scenario_line(*r) && !matches!(r, Rule::event_ref | Rule::party_ref)
        });
        groups.push("a scenario line (an event date, a fact value, a record or `expect at`)");
    }
    if rules.contains(&Rule::clause) || rules.contains(&Rule::file) {
        rules.retain(|r| !starts_item(*r) && !matches!(r, Rule::EOI | Rule::file));
        groups.push(if rules.is_empty() && groups.is_empty() {
            "a clause or a declaration"
        } else {
            "a new clause or declaration"
        });
    }

    let mut words: Vec<&'static str> = Vec::new();
    for rule in rules {
        if let Some(word) = description(rule)
            && !words.contains(&word)
        {
            words.push(word);
        }
    }
    words.extend(groups);
    // In a file, "a new clause or declaration" already says the item may
    // end; a query may end only where it is complete.
    if context == Context::Query && !words.is_empty() && positives.contains(&Rule::EOI) {
        words.push("the end of the query");
    }
    // The end of the input is worth naming only when nothing else fits.
    if words.is_empty() {
        if positives.contains(&Rule::EOI) {
            return Some(match context {
                Context::File => "end of file".to_string(),
                Context::Query => "the end of the query".to_string(),
            });
        }
        return None;
    }
    Some(join_or(&words))
}

fn is_punctuation(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::colon
            | Rule::comma
            | Rule::lparen
            | Rule::rparen
            | Rule::lbrace
            | Rule::rbrace
            | Rule::eq_sign
    )
}

pub(super) fn is_qualifier_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_on
            | Rule::kw_to
            | Rule::kw_with
            | Rule::kw_from
            | Rule::kw_until
            | Rule::kw_through
            | Rule::kw_by
            | Rule::kw_when
            | Rule::kw_unless
            | Rule::kw_notwithstanding
    )
}

fn join_or(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// A rule in words a user knows. `None` for rules never worth naming.
fn description(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::file => "a clause or a declaration",
        Rule::query_only => "a query",
        Rule::EOI => return None,
        Rule::query => "a query",
        Rule::deal_title | Rule::kw_deal => "`deal`",
        Rule::effective | Rule::kw_effective => "`effective`",
        Rule::simple_decl => "a declaration",
        Rule::event_decl | Rule::kw_event => "`event`",
        Rule::kw_party => "`party`",
        Rule::kw_asset => "`asset`",
        Rule::kw_venue => "`venue`",
        Rule::kw_action => "`action`",
        Rule::kw_unit => "`unit`",
        Rule::group | Rule::kw_group => "`group`",
        Rule::let_item | Rule::kw_let => "`let`",
        Rule::fact | Rule::kw_fact => "`fact`",
        Rule::kw_by => "`by`",
        Rule::kw_after => "`after`",
        Rule::kw_may => "`may`",
        Rule::kw_must => "`must`",
        Rule::kw_not | Rule::op_not => "`not`",
        Rule::kw_holds => "`holds`",
        Rule::kw_no => "`no`",
        Rule::kw_exclusive | Rule::exclusive_body => "`exclusive`",
        Rule::kw_of => "`of`",
        Rule::kw_on => "`on`",
        Rule::kw_to => "`to`",
        Rule::kw_with => "`with`",
        Rule::kw_from => "`from`",
        Rule::kw_until => "`until`",
        Rule::kw_through => "`through`",
        Rule::kw_when => "`when`",
        Rule::kw_unless => "`unless`",
        Rule::kw_notwithstanding => "`notwithstanding`",
        Rule::kw_scenario | Rule::scenario => "`scenario`",
        Rule::kw_expect | Rule::expect_block => "`expect at`",
        Rule::kw_at => "`at`",
        Rule::kw_is => "`is`",
        Rule::kw_assert | Rule::assertion => "`assert`",
        Rule::kw_always => "`always`",
        Rule::kw_never => "`never`",
        Rule::quantifier => "`always`, `always not` or `never`",
        Rule::kw_unspecified => "`unspecified`",
        Rule::kw_status | Rule::status_query | Rule::expect_status => "`status`",
        Rule::keyword => "a reserved word",
        Rule::colon => "`:`",
        Rule::comma => "`,`",
        Rule::lparen => "`(`",
        Rule::rparen => "`)`",
        Rule::lbrace => "`{`",
        Rule::rbrace => "`}`",
        Rule::eq_sign => "`=`",
        Rule::decl_name => "a name",
        Rule::party_ref => "a party name",
        Rule::action_ref => "an action name",
        Rule::object_ref | Rule::object => "an asset name",
        Rule::object_quantity => "a quantity",
        Rule::venue_ref => "a venue name",
        Rule::recipient_ref => "a recipient (party) name",
        Rule::counterparty_ref => "a counterparty (party) name",
        Rule::label_ref => "a clause label",
        Rule::clause_label => "a label",
        Rule::event_ref => "an event name",
        Rule::member_ref => "a member name",
        Rule::time_ref => "an event name",
        Rule::value_ref => "a name",
        Rule::unit_word => "a unit name",
        Rule::scenario_name => "a scenario name",
        Rule::fact_ref => "a fact name",
        Rule::type_name => {
            "a type (`money`, `percent`, `number`, `bool`, `date`, `duration` or a unit)"
        }
        Rule::string => "a string in double quotes",
        Rule::num | Rule::number => "a number",
        Rule::money_scale => "a scale (K, M, B or T)",
        Rule::duration_word => "a duration word (`days`, `weeks`, `months` or `years`)",
        Rule::date | Rule::bad_date => "a date like 2030-12-31",
        Rule::duration | Rule::duration_amount => "a duration like `30 days`",
        Rule::money | Rule::bad_money => "an amount like `$5M`",
        Rule::percent | Rule::bad_percent => "a percentage like `27%`",
        Rule::quantity => "a quantity like `5e26 flop`",
        Rule::bool => "`true` or `false`",
        Rule::op_neg => "`-`",
        Rule::paren_expr => "`(`",
        Rule::operand | Rule::expect_term => "a value",
        Rule::expr | Rule::expect_expr => "an expression",
        Rule::time | Rule::time_conj | Rule::time_shifted | Rule::time_paren => {
            "a time (a date, an event or a `let` date)"
        }
        Rule::shift_op => "`+` or `-`",
        Rule::clause => "a clause",
        Rule::holds_body | Rule::act_body => "a clause",
        Rule::modality => "`may`, `must` or `must not`",
        Rule::q_on => "`on`",
        Rule::q_to => "`to`",
        Rule::q_with => "`with`",
        Rule::q_from => "`from`",
        Rule::q_until => "`until`",
        Rule::q_through => "`through`",
        Rule::q_by => "`by`",
        Rule::q_when => "`when`",
        Rule::q_unless => "`unless`",
        Rule::q_notwithstanding => "`notwithstanding`",
        Rule::may_query => "`may`",
        Rule::must_query => "`must`",
        Rule::holds_query => "`holds`",
        Rule::event_line => "an event date",
        Rule::fact_line => "a fact value",
        Rule::record => "a record",
        Rule::record_on => "`on`",
        Rule::expect_no => "`not`",
        Rule::expect_unspecified => "`unspecified`",
        Rule::expect_yes => "a query",
        Rule::status_word => "a status (`inactive`, `pending`, `fulfilled` or `violated`)",
        _ => return None,
    })
}

#[cfg(test)]
mod unit_tests {
    use super::*;

    #[test]
    fn joins_with_commas_and_or() {
        assert_eq!(join_or(&["a"]), "a");
        assert_eq!(join_or(&["a", "b"]), "a or b");
        assert_eq!(join_or(&["a", "b", "c"]), "a, b or c");
    }

    #[test]
    fn prose_dates_become_iso_examples() {
        assert_eq!(prose_date("01/01/2038 x").as_deref(), Some("2038-01-01"));
        assert_eq!(prose_date("31/12/2038").as_deref(), Some("2038-12-31"));
        assert_eq!(prose_date("12/31/2038").as_deref(), Some("2038-12-31"));
        assert_eq!(
            prose_date("03/04/2038").as_deref(),
            Some("2038-04-03 (or 2038-03-04)")
        );
        assert_eq!(prose_date("1 Jan 2038").as_deref(), Some("2038-01-01"));
        assert_eq!(prose_date("January 1, 2038").as_deref(), Some("2038-01-01"));
        assert_eq!(prose_date("1.1.2038").as_deref(), Some("2038-01-01"));
        assert_eq!(prose_date("30 days"), None);
        assert_eq!(prose_date("45/45/2038"), None);
    }

    #[test]
    fn money_scales_without_a_dollar() {
        assert_eq!(money_without_dollar("50M"), Some("50M"));
        assert_eq!(money_without_dollar("1.5B"), Some("1.5B"));
        assert_eq!(money_without_dollar("5e26"), None);
        assert_eq!(money_without_dollar("M"), None);
        assert_eq!(money_without_dollar("30d"), None);
    }

    #[test]
    fn tokens_are_cut_sensibly() {
        assert_eq!(token_len("deal_b x"), 6);
        assert_eq!(token_len("== 3"), 2);
        assert_eq!(token_len("\"abc\" x"), 5);
        assert_eq!(token_len("–x"), 3);
        assert_eq!(token_len(""), 0);
    }
}
