//! GitLab Code Quality: a JSON array of issues, each with a description,
//! a check name (the diagnostic code), a fingerprint, a severity and a
//! location (a path relative to the working directory and a line), which
//! GitLab shows in merge requests and the pipeline's Code Quality tab.
//!
//! Severities: an error is `major`, a warning `minor`, and a file that
//! could not be read `critical` (nothing in it was checked).
//!
//! The fingerprint identifies an issue across runs so GitLab can tell new
//! findings from old ones: a hash of the relative path, the code, the
//! message and the text of the line the finding is on (not its number, so
//! an issue keeps its fingerprint when lines are added above it), and how
//! many identical issues came before it in the file. The hash is a 64-bit
//! FNV-1a written out here: `std`'s `DefaultHasher` may change between
//! Rust releases, which would make every issue look new after an upgrade.
//!
//! Issues are written one at a time, like SARIF results, so the memory
//! used does not grow with the number of findings (beyond a count per
//! distinct fingerprint).

use super::artifact_path::relative_path;
use super::report::{FileReport, Unreadable, full_text};
use crate::diagnostic::{Diagnostic, Severity};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    categories: [&'static str; 1],
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// The Code Quality severity of a diagnostic.
pub fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
    }
}

const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// 64-bit FNV-1a of `bytes`, continuing from `hash`.
fn fnv1a_extend(mut hash: u64, bytes: &[u8]) -> u64 {
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

/// 64-bit FNV-1a of the parts, each followed by the byte 0xFF (which UTF-8
/// never contains), so `("ab", "c")` and `("a", "bc")` differ.
pub fn fnv1a(parts: &[&[u8]]) -> u64 {
    parts.iter().fold(FNV_OFFSET_BASIS, |hash, part| {
        fnv1a_extend(fnv1a_extend(hash, part), &[0xff])
    })
}

/// The fingerprint of the `occurrence`-th (from 0) issue with this path,
/// code, message and line text.
pub fn fingerprint(path: &str, code: &str, message: &str, line: &str, occurrence: usize) -> String {
    let occurrence = occurrence.to_string();
    let hash = fnv1a(&[
        path.as_bytes(),
        code.as_bytes(),
        message.as_bytes(),
        line.trim().as_bytes(),
        occurrence.as_bytes(),
    ]);
    format!("{hash:016x}")
}

/// The issues, each built when the serializer reaches it.
struct Issues<'a> {
    reports: &'a [FileReport],
    unreadable: &'a [Unreadable],
    working_dir: Option<&'a str>,
}

impl Serialize for Issues<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let working_dir = self.working_dir;
        let unreadable = self.unreadable.iter().map(move |u| {
            let path = relative_path(&u.file, working_dir);
            Issue {
                kind: "issue",
                description: u.message.clone(),
                check_name: "deal::io".to_string(),
                fingerprint: fingerprint(&path, "deal::io", "", "", 0),
                severity: "critical",
                categories: ["Bug Risk"],
                location: Location {
                    path,
                    lines: Lines { begin: 1, end: 1 },
                },
            }
        });
        let findings = self.reports.iter().flat_map(move |report| {
            let path = relative_path(&report.source.name, working_dir);
            let mut seen: HashMap<u64, usize> = HashMap::new();
            report
                .diagnostics
                .iter()
                .map(move |d| issue(report, &path, d, &mut seen))
        });
        serializer.collect_seq(unreadable.chain(findings))
    }
}

fn issue(report: &FileReport, path: &str, d: &Diagnostic, seen: &mut HashMap<u64, usize>) -> Issue {
    let span = d.primary_span();
    let (begin, _) = report.source.line_col(span.start);
    let (end, _) = report.source.line_col(span.end);
    let line = report.source.line_text(span.start);
    let code = d.code.as_str();
    let key = fnv1a(&[
        code.as_bytes(),
        d.message.as_bytes(),
        line.trim().as_bytes(),
    ]);
    let occurrence = seen.entry(key).or_insert(0);
    let fingerprint = fingerprint(path, &code, &d.message, line, *occurrence);
    *occurrence += 1;
    Issue {
        kind: "issue",
        description: full_text(d),
        check_name: code,
        fingerprint,
        severity: severity(d.severity),
        categories: ["Bug Risk"],
        location: Location {
            path: path.to_string(),
            lines: Lines {
                begin,
                end: end.max(begin),
            },
        },
    }
}

/// Write the Code Quality report: the files that could not be read, then
/// an issue per diagnostic.
pub fn write(
    out: impl std::io::Write,
    reports: &[FileReport],
    unreadable: &[Unreadable],
    working_dir: Option<&Path>,
) -> std::io::Result<()> {
    let working_dir = working_dir.map(|dir| dir.to_string_lossy().into_owned());
    let issues = Issues {
        reports,
        unreadable,
        working_dir: working_dir.as_deref(),
    };
    serde_json::to_writer_pretty(out, &issues).map_err(std::io::Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        let bare = |text: &[u8]| fnv1a_extend(FNV_OFFSET_BASIS, text);
        assert_eq!(bare(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(bare(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(bare(b"foobar"), 0x8594_4171_f739_67e8);
        assert_ne!(fnv1a(&[b"ab", b"c"]), fnv1a(&[b"a", b"bc"]));
    }

    #[test]
    fn fingerprints_are_fixed_and_tell_occurrences_apart() {
        let first = fingerprint("a.deal", "deal::unused", "m", "  party x  ", 0);
        assert_eq!(
            first,
            fingerprint("a.deal", "deal::unused", "m", "party x", 0)
        );
        assert_eq!(first.len(), 16);
        assert_ne!(
            first,
            fingerprint("a.deal", "deal::unused", "m", "party x", 1)
        );
        assert_ne!(
            first,
            fingerprint("b.deal", "deal::unused", "m", "party x", 0)
        );
        // The same inputs give the same value on every platform and release.
        assert_eq!(first, "ba4b71015d673f96");
    }
}
