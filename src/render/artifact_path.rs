//! The path of a reported file as CI tools want it: relative to the
//! working directory with forward slashes (GitHub annotations, JUnit,
//! GitLab Code Quality), or as a SARIF artifact location, a percent-encoded
//! URI relative to the `SRCROOT` base whose absolute `file:` URI the run
//! states in `originalUriBaseIds`.
//!
//! Paths are read as text in the style of the platform that produced them
//! (`PathStyle`), not through `std::path`, so the Windows reading (either
//! slash separates, drive letters, `\\server\share`) is the same code on
//! every platform and is tested on each.

/// The SARIF base every relative `uri` is resolved against: the working
/// directory `deal` ran in.
pub const SRCROOT: &str = "SRCROOT";

/// How a path's text is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathStyle {
    /// `/` separates; a backslash is part of a file name.
    Unix,
    /// `\` and `/` both separate; `C:` drives and `\\server\share` roots.
    Windows,
}

impl PathStyle {
    /// The style of the paths this build of `deal` is given.
    pub const NATIVE: PathStyle = if cfg!(windows) {
        PathStyle::Windows
    } else {
        PathStyle::Unix
    };

    fn is_separator(self, c: char) -> bool {
        c == '/' || (self == PathStyle::Windows && c == '\\')
    }
}

/// Where an absolute path starts.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Root {
    /// `/` (or, on Windows, `\` on the current drive).
    Slash,
    /// `C:\`
    Drive(char),
    /// `\\server\share`
    Share(String, String),
}

/// A path split into its root (none for a relative path) and its names,
/// `.` and empty names dropped.
#[derive(Debug)]
struct ParsedPath<'a> {
    root: Option<Root>,
    names: Vec<&'a str>,
}

fn parse(text: &str, style: PathStyle) -> ParsedPath<'_> {
    let mut rest = text;
    let mut root = None;
    if style == PathStyle::Windows {
        // `\\?\C:\x` and `\\?\UNC\server\share\x` are the verbatim forms of
        // `C:\x` and `\\server\share\x`.
        if let Some(unc) = rest
            .strip_prefix(r"\\?\UNC\")
            .or_else(|| rest.strip_prefix(r"\\?\unc\"))
        {
            rest = unc;
            root = share(&mut rest, style);
        } else if let Some(verbatim) = rest.strip_prefix(r"\\?\") {
            rest = verbatim;
        } else if rest.starts_with(r"\\") || rest.starts_with("//") {
            rest = rest.get(2..).unwrap_or("");
            root = share(&mut rest, style);
        }
        if root.is_none() {
            let mut chars = rest.chars();
            if let (Some(letter), Some(':')) = (chars.next(), chars.next())
                && letter.is_ascii_alphabetic()
            {
                root = Some(Root::Drive(letter.to_ascii_uppercase()));
                rest = rest.get(2..).unwrap_or("");
            }
        }
    }
    if root.is_none() && rest.starts_with(|c| style.is_separator(c)) {
        root = Some(Root::Slash);
    }
    let names = rest
        .split(|c| style.is_separator(c))
        .filter(|name| !name.is_empty() && *name != ".")
        .collect();
    ParsedPath { root, names }
}

/// The `server` and `share` of a UNC path, taken off the front of `rest`.
fn share(rest: &mut &str, style: PathStyle) -> Option<Root> {
    let mut parts = rest.splitn(3, |c| style.is_separator(c));
    let server = parts.next().filter(|s| !s.is_empty())?;
    let share = parts.next().filter(|s| !s.is_empty())?;
    let root = Root::Share(server.to_string(), share.to_string());
    *rest = parts.next().unwrap_or("");
    Some(root)
}

/// The names of `path` below `dir`, when `path` is absolute and lies
/// below `dir` (compared without case on Windows, as its file systems do).
fn names_below<'a>(
    path: &ParsedPath<'a>,
    dir: &ParsedPath<'_>,
    style: PathStyle,
) -> Option<Vec<&'a str>> {
    let same = |a: &str, b: &str| match style {
        PathStyle::Unix => a == b,
        PathStyle::Windows => a.eq_ignore_ascii_case(b),
    };
    let same_root = match (&path.root, &dir.root) {
        (Some(Root::Share(s1, h1)), Some(Root::Share(s2, h2))) => same(s1, s2) && same(h1, h2),
        (Some(a), Some(b)) => a == b,
        _ => false,
    };
    if !same_root || dir.names.len() > path.names.len() {
        return None;
    }
    let below = path
        .names
        .iter()
        .zip(&dir.names)
        .all(|(name, dir_name)| same(name, dir_name));
    below.then(|| path.names.get(dir.names.len()..).unwrap_or(&[]).to_vec())
}

/// Percent-encode everything but unreserved characters and `/`.
fn percent_encode_path(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn encode_names(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| percent_encode_path(name))
        .collect::<Vec<_>>()
        .join("/")
}

/// The `file:` URI of an absolute path; `trailing_slash` for a directory.
fn file_uri(path: &ParsedPath<'_>, trailing_slash: bool) -> String {
    let names = encode_names(&path.names);
    let slash = if trailing_slash && !names.is_empty() {
        "/"
    } else {
        ""
    };
    match &path.root {
        Some(Root::Drive(letter)) => format!("file:///{letter}:/{names}{slash}"),
        Some(Root::Share(server, share)) => format!(
            "file://{}/{}/{names}{slash}",
            percent_encode_path(server),
            percent_encode_path(share)
        ),
        Some(Root::Slash) | None => format!("file:///{names}{slash}"),
    }
}

/// A SARIF `artifactLocation`: a `uri` and, when it is relative, the base
/// it is relative to.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    pub uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
}

/// The SARIF artifact location of the file named `name` (as `deal` was
/// given it): relative to `SRCROOT` when it is relative or lies below the
/// working directory, else an absolute `file:` URI.
pub fn artifact_location(name: &str, working_dir: Option<&str>) -> ArtifactLocation {
    artifact_location_in(name, working_dir, PathStyle::NATIVE)
}

pub fn artifact_location_in(
    name: &str,
    working_dir: Option<&str>,
    style: PathStyle,
) -> ArtifactLocation {
    let path = parse(name, style);
    if path.root.is_none() {
        return ArtifactLocation {
            uri: encode_names(&path.names),
            uri_base_id: Some(SRCROOT),
        };
    }
    let below = working_dir.and_then(|dir| names_below(&path, &parse(dir, style), style));
    match below {
        Some(names) => ArtifactLocation {
            uri: encode_names(&names),
            uri_base_id: Some(SRCROOT),
        },
        None => ArtifactLocation {
            uri: file_uri(&path, false),
            uri_base_id: None,
        },
    }
}

/// The absolute `file:` URI of the working directory, ending in `/` as a
/// SARIF base URI must; none when it is not an absolute path.
pub fn base_uri(working_dir: &str) -> Option<String> {
    base_uri_in(working_dir, PathStyle::NATIVE)
}

pub fn base_uri_in(working_dir: &str, style: PathStyle) -> Option<String> {
    let dir = parse(working_dir, style);
    dir.root.is_some().then(|| {
        let uri = file_uri(&dir, true);
        if uri.ends_with('/') {
            uri
        } else {
            format!("{uri}/")
        }
    })
}

/// A file's path relative to the working directory with forward slashes,
/// as GitHub annotations, JUnit and GitLab Code Quality show it. A path
/// outside the working directory keeps its root.
pub fn relative_path(name: &str, working_dir: Option<&str>) -> String {
    relative_path_in(name, working_dir, PathStyle::NATIVE)
}

pub fn relative_path_in(name: &str, working_dir: Option<&str>, style: PathStyle) -> String {
    let path = parse(name, style);
    if path.root.is_some()
        && let Some(names) =
            working_dir.and_then(|dir| names_below(&path, &parse(dir, style), style))
    {
        return names.join("/");
    }
    match style {
        PathStyle::Unix => name.to_string(),
        PathStyle::Windows => name.replace('\\', "/"),
    }
}

/// The working directory as text, for the functions above.
pub fn working_dir_text(dir: Option<&std::path::Path>) -> Option<String> {
    dir.map(|dir| dir.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::PathStyle::{Unix, Windows};
    use super::*;

    fn location(uri: &str, base: bool) -> ArtifactLocation {
        ArtifactLocation {
            uri: uri.to_string(),
            uri_base_id: base.then_some(SRCROOT),
        }
    }

    #[test]
    fn unix_paths_below_the_working_directory_are_relative() {
        let cwd = Some("/work/repo");
        assert_eq!(
            artifact_location_in("/work/repo/sub/a.deal", cwd, Unix),
            location("sub/a.deal", true)
        );
        assert_eq!(
            artifact_location_in("sub/a.deal", cwd, Unix),
            location("sub/a.deal", true)
        );
        assert_eq!(
            artifact_location_in("./sub/./a.deal", cwd, Unix),
            location("sub/a.deal", true)
        );
        // A sibling whose name starts like the working directory is outside it.
        assert_eq!(
            artifact_location_in("/work/repository/a.deal", cwd, Unix),
            location("file:///work/repository/a.deal", false)
        );
        assert_eq!(
            artifact_location_in("../other/a.deal", cwd, Unix),
            location("../other/a.deal", true)
        );
    }

    #[test]
    fn a_backslash_in_a_unix_name_is_part_of_the_name() {
        assert_eq!(
            artifact_location_in("back\\slash.deal", Some("/w"), Unix),
            location("back%5Cslash.deal", true)
        );
        assert_eq!(
            relative_path_in("/w/back\\slash.deal", Some("/w"), Unix),
            "back\\slash.deal"
        );
    }

    #[test]
    fn windows_paths_with_backslashes_and_drive_letters() {
        let cwd = Some(r"C:\Users\Ann\repo");
        assert_eq!(
            artifact_location_in(r"C:\Users\Ann\repo\contracts\a.deal", cwd, Windows),
            location("contracts/a.deal", true)
        );
        // Drive letters and names compare without case; either slash separates.
        assert_eq!(
            artifact_location_in(r"c:/users/ann/REPO\contracts\a.deal", cwd, Windows),
            location("contracts/a.deal", true)
        );
        assert_eq!(
            artifact_location_in(r"contracts\sub\a.deal", cwd, Windows),
            location("contracts/sub/a.deal", true)
        );
        assert_eq!(
            artifact_location_in(r"D:\shared\a.deal", cwd, Windows),
            location("file:///D:/shared/a.deal", false)
        );
        assert_eq!(
            artifact_location_in(r"\\?\C:\Users\Ann\repo\a.deal", cwd, Windows),
            location("a.deal", true)
        );
        assert_eq!(
            artifact_location_in(r"\\server\share\deals\a.deal", cwd, Windows),
            location("file://server/share/deals/a.deal", false)
        );
        assert_eq!(
            artifact_location_in(
                r"\\?\UNC\server\share\deals\a.deal",
                Some(r"\\SERVER\share"),
                Windows
            ),
            location("deals/a.deal", true)
        );
        assert_eq!(
            base_uri_in(r"C:\Users\Ann\repo", Windows).as_deref(),
            Some("file:///C:/Users/Ann/repo/")
        );
        assert_eq!(base_uri_in(r"c:\", Windows).as_deref(), Some("file:///C:/"));
        assert_eq!(
            relative_path_in(r"C:\Users\Ann\repo\contracts\a.deal", cwd, Windows),
            "contracts/a.deal"
        );
        assert_eq!(
            relative_path_in(r"contracts\a.deal", cwd, Windows),
            "contracts/a.deal"
        );
        assert_eq!(
            relative_path_in(r"D:\x\a.deal", cwd, Windows),
            "D:/x/a.deal"
        );
    }

    #[test]
    fn names_are_percent_encoded() {
        assert_eq!(
            artifact_location_in("/w/my deals/Öl & Gas #1.deal", Some("/w"), Unix),
            location("my%20deals/%C3%96l%20%26%20Gas%20%231.deal", true)
        );
        assert_eq!(
            artifact_location_in(r"C:\w\50% off\a.deal", Some(r"C:\w"), Windows),
            location("50%25%20off/a.deal", true)
        );
        assert_eq!(
            base_uri_in("/home/a b/ü", Unix).as_deref(),
            Some("file:///home/a%20b/%C3%BC/")
        );
        assert_eq!(base_uri_in("/", Unix).as_deref(), Some("file:///"));
        assert_eq!(base_uri_in("relative", Unix), None);
    }
}
