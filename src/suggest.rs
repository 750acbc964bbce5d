//! "Did you mean …?": the nearest candidate by edit distance, offered only
//! when it is close enough to be a plausible typo.

/// Names longer than this get no suggestion: the distance is quadratic and a
/// name this long is not a typo of a short one.
const MAX_SUGGEST_LEN: usize = 64;

/// Optimal string alignment distance: Levenshtein plus the transposition of
/// two adjacent characters (`azrue` is one edit from `azure`).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rolling rows: two back (for transpositions), previous, current.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            let mut best = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
            let transposed =
                i > 0 && j > 0 && a.get(i - 1) == Some(&cb) && b.get(j - 1) == Some(&ca);
            if transposed {
                best = best.min(before[j - 1] + 1);
            }
            current[j + 1] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The candidate nearest to `name`, if any is within a third of its length
/// (at least one edit). Ties go to the alphabetically first candidate.
pub fn nearest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let length = name.chars().count();
    if length > MAX_SUGGEST_LEN {
        return None;
    }
    let limit = (length / 3).max(1);
    candidates
        .into_iter()
        .filter(|candidate| *candidate != name)
        .filter(|candidate| candidate.chars().count().abs_diff(length) <= limit)
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

/// `did you mean `x`?` for the nearest candidate, if one is close enough.
pub(crate) fn did_you_mean<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<String> {
    nearest(name, candidates).map(|candidate| format!("did you mean `{candidate}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("azure", "azure"), 0);
        assert_eq!(edit_distance("azur", "azure"), 1);
        assert_eq!(edit_distance("azrue", "azure"), 1);
        assert_eq!(edit_distance("aws", "gcp"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn nearest_only_when_close() {
        let names = ["aws", "azure", "gcp"];
        assert_eq!(nearest("azur", names), Some("azure"));
        assert_eq!(nearest("oracle", names), None);
        assert_eq!(
            nearest("azure", names),
            None,
            "the name itself is no suggestion"
        );
        assert_eq!(
            did_you_mean("gpc", names).as_deref(),
            Some("did you mean `gcp`?")
        );
    }

    #[test]
    fn ties_go_to_the_first_alphabetically() {
        assert_eq!(nearest("ab", ["ac", "aa"]), Some("aa"));
    }
}
