//! File system helpers shared by the subcommands: finding `.deal` files,
//! reading them safely, and writing atomically.

use crate::limits::MAX_FILE_BYTES;
use crate::source::SourceFile;
use std::io::Write;
use std::path::{Path, PathBuf};

/// An I/O or usage problem: reported on one line, exit status 2.
#[derive(Debug)]
pub struct IoProblem(pub String);

impl std::fmt::Display for IoProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Every file named, and every `*.deal` file below each directory named,
/// sorted within each directory so output order is deterministic.
pub fn collect_deal_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, IoProblem> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|e| IoProblem(format!("cannot read `{}`: {}", path.display(), e)))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found, 0)?;
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Directory depth at which walking stops: deep trees are not contracts.
const MAX_WALK_DEPTH: usize = 64;

fn walk(dir: &Path, found: &mut Vec<PathBuf>, depth: usize) -> Result<(), IoProblem> {
    if depth > MAX_WALK_DEPTH {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| IoProblem(format!("cannot read directory `{}`: {}", dir.display(), e)))?;
    for entry in entries {
        let entry = entry
            .map_err(|e| IoProblem(format!("cannot read directory `{}`: {}", dir.display(), e)))?;
        let path = entry.path();
        // Symlinked directories are not followed: they can form loops.
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            walk(&path, found, depth + 1)?;
        } else if path.extension().is_some_and(|e| e == "deal") {
            found.push(path);
        }
    }
    Ok(())
}

/// Read a contract: refuses files over the size limit and text that is not UTF-8.
pub fn read_source(path: &Path) -> Result<SourceFile, IoProblem> {
    let name = display_name(path);
    let meta =
        std::fs::metadata(path).map_err(|e| IoProblem(format!("cannot read `{name}`: {e}")))?;
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(IoProblem(format!(
            "`{name}` is {} bytes, more than the {} byte limit for a contract",
            meta.len(),
            MAX_FILE_BYTES
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| IoProblem(format!("cannot read `{name}`: {e}")))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&e.as_bytes()[..offset]);
            let line = before.matches('\n').count() + 1;
            Err(IoProblem(format!(
                "`{name}` is not UTF-8 text (invalid byte at line {line}, byte offset {offset})"
            )))
        }
    }
}

/// The name a file is shown by: as given, with `./` dropped.
pub fn display_name(path: &Path) -> String {
    let text = path.to_string_lossy();
    text.strip_prefix("./").unwrap_or(&text).to_string()
}

/// Write `contents` to `path` atomically: a temporary file in the same
/// directory, flushed to disk, then renamed over the target. A crash leaves
/// either the old file or the new one, never half of one.
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), IoProblem> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_string());
    let temp = dir.join(format!(".{}.{}.tmp", file_name, std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        std::fs::rename(&temp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        IoProblem(format!("cannot write `{}`: {}", path.display(), e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_contents() {
        let dir = std::env::temp_dir().join(format!("deal-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.deal");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn non_utf8_is_a_one_line_problem() {
        let dir = std::env::temp_dir().join(format!("deal-utf8-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bad.deal");
        std::fs::write(&path, b"party a\n\xff\xfe").unwrap();
        let err = read_source(&path).unwrap_err();
        assert!(err.0.contains("not UTF-8"), "{}", err.0);
        assert!(err.0.contains("line 2"), "{}", err.0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
