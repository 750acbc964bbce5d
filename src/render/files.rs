//! File system helpers shared by the subcommands: finding `.deal` files,
//! reading them safely, and writing atomically.

use crate::limits::MAX_FILE_BYTES;
use crate::source::SourceFile;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// An I/O or usage problem: reported on one line, exit status 2.
#[derive(Debug)]
pub struct IoProblem(pub String);

impl std::fmt::Display for IoProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A contract to read: named on the command line, or found by a directory
/// walk. The walk may already have refused it (a FIFO, a device, a link out
/// of the tree, a directory too deep to search): the refusal is reported for
/// that file while the others are still read.
#[derive(Debug)]
pub struct DealFile {
    pub path: PathBuf,
    /// Found by a walk: only a regular file is read, so that a FIFO or
    /// device swapped in after the walk cannot block or flood the reader.
    walked: bool,
    refusal: Option<String>,
}

impl DealFile {
    /// The file's contract text, or why it cannot be read.
    pub fn read(&self) -> Result<SourceFile, IoProblem> {
        if let Some(refusal) = &self.refusal {
            return Err(IoProblem(refusal.clone()));
        }
        read_bounded(&self.path, self.walked)
    }
}

/// Every file named, and every `*.deal` file below each directory named,
/// sorted within each directory so output order is deterministic.
pub fn collect_deal_files(paths: &[PathBuf]) -> Result<Vec<DealFile>, IoProblem> {
    let mut files = Vec::new();
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            // Reported for this file; the others are still read.
            Err(e) => {
                files.push(DealFile {
                    path: path.clone(),
                    walked: false,
                    refusal: Some(format!("cannot read `{}`: {e}", path.display())),
                });
                continue;
            }
        };
        if meta.is_dir() {
            // Links found below are followed only to files inside this tree.
            let root = std::fs::canonicalize(path)
                .map_err(|e| IoProblem(format!("cannot read `{}`: {}", path.display(), e)))?;
            let mut found = Vec::new();
            walk(&root, path, &mut found, 0)?;
            found.sort_by(|a, b| a.path.cmp(&b.path));
            files.extend(found);
        } else {
            files.push(DealFile {
                path: path.clone(),
                walked: false,
                refusal: None,
            });
        }
    }
    Ok(files)
}

/// Directory depth at which walking stops: deep trees are not contracts, and
/// a directory past it is reported rather than silently passed over.
pub const MAX_WALK_DEPTH: usize = 64;

fn walk(root: &Path, dir: &Path, found: &mut Vec<DealFile>, depth: usize) -> Result<(), IoProblem> {
    if depth > MAX_WALK_DEPTH {
        found.push(DealFile {
            path: dir.to_path_buf(),
            walked: true,
            refusal: Some(format!(
                "`{}` is nested more than {MAX_WALK_DEPTH} directories deep: it was not searched",
                display_name(dir)
            )),
        });
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
            walk(root, &path, found, depth + 1)?;
        } else if path.extension().is_some_and(|e| e == "deal") {
            let refusal = walked_file_refusal(root, &path, &file_type);
            found.push(DealFile {
                path,
                walked: true,
                refusal,
            });
        }
    }
    Ok(())
}

/// Why a `*.deal` entry of a walk is not read: it is not a regular file, or
/// it is a link leading out of the tree (a committed `leak.deal ->
/// /etc/passwd` would otherwise be quoted in diagnostics).
fn walked_file_refusal(root: &Path, path: &Path, file_type: &std::fs::FileType) -> Option<String> {
    let name = display_name(path);
    if file_type.is_file() {
        return None;
    }
    if !file_type.is_symlink() {
        return Some(format!("`{name}` is not a regular file: it was not read"));
    }
    let target = match std::fs::canonicalize(path) {
        Ok(target) => target,
        Err(e) => return Some(format!("cannot read `{name}`: {e}")),
    };
    if !target.starts_with(root) {
        return Some(format!(
            "`{name}` is a symbolic link to a file outside the directory being read: \
             it was not followed"
        ));
    }
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_file() => None,
        Ok(_) => Some(format!("`{name}` is not a regular file: it was not read")),
        Err(e) => Some(format!("cannot read `{name}`: {e}")),
    }
}

/// Read a contract named by the user: refuses more than the size limit
/// (counted while reading, so devices and pipes are bounded too) and text
/// that is not UTF-8.
pub fn read_source(path: &Path) -> Result<SourceFile, IoProblem> {
    read_bounded(path, false)
}

fn read_bounded(path: &Path, regular_only: bool) -> Result<SourceFile, IoProblem> {
    let name = display_name(path);
    let cannot = |e: std::io::Error| IoProblem(format!("cannot read `{name}`: {e}"));
    let file = open_for_reading(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if meta.is_dir() {
        return Err(IoProblem(format!(
            "`{name}` is a directory, not a contract file"
        )));
    }
    if regular_only && !meta.is_file() {
        return Err(IoProblem(format!(
            "`{name}` is not a regular file: it was not read"
        )));
    }
    let too_big = |size: u64| {
        IoProblem(format!(
            "`{name}` is {size} bytes, more than the {MAX_FILE_BYTES} byte limit for a contract"
        ))
    };
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(too_big(meta.len()));
    }
    let bytes = read_at_most(file, MAX_FILE_BYTES).map_err(cannot)?;
    if bytes.len() > MAX_FILE_BYTES {
        if meta.is_file() {
            return Err(too_big(meta.len().max(bytes.len() as u64)));
        }
        // A pipe or device has no size to quote: it gave more than the limit.
        return Err(IoProblem(format!(
            "`{name}` holds more than the {MAX_FILE_BYTES} byte limit for a contract"
        )));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(e.as_bytes().get(..offset).unwrap_or(&[]));
            let line = before.matches('\n').count() + 1;
            Err(IoProblem(format!(
                "`{name}` is not UTF-8 text (invalid byte at line {line}, byte offset {offset})"
            )))
        }
    }
}

/// Up to `limit + 1` bytes of `reader`: one byte more than allowed is enough
/// to refuse, and an endless device is never read past it.
pub fn read_at_most(reader: impl Read, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Open without waiting for a writer: opening a FIFO for reading blocks until
/// someone opens it for writing, which may be never. Reads then block as
/// usual, so a pipe that is being fed (`/dev/stdin`) is read to its end.
#[cfg(unix)]
fn open_for_reading(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::AsRawFd;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let fd = file.as_raw_fd();
    // SAFETY: `fd` is owned by `file`, open for the duration of both calls;
    // F_GETFL/F_SETFL only change the file status flags.
    let cleared = unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        flags >= 0 && libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) >= 0
    };
    if !cleared {
        return Err(std::io::Error::last_os_error());
    }
    Ok(file)
}

#[cfg(not(unix))]
fn open_for_reading(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// The name a file is shown by: as given, with `./` dropped.
pub fn display_name(path: &Path) -> String {
    let text = path.to_string_lossy();
    text.strip_prefix("./").unwrap_or(&text).to_string()
}

/// Write `contents` to `path` atomically: a temporary file in the same
/// directory, flushed to disk, then renamed over the target. A crash leaves
/// either the old file or the new one, never half of one.
///
/// The temporary file is created exclusively under an unpredictable name
/// (so a link planted in the directory is never followed), and removed on
/// any failure, a full disk or a file size limit included. A symbolic link
/// is written through: its target gets the new text and the link stays.
/// Anything but a regular file (a device, a FIFO) is refused rather than
/// replaced by one.
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), IoProblem> {
    let _file_size_limit = FileSizeSignalIgnored::new();
    let shown = path.display();
    let target = write_target(path)?;
    let cannot = |e: std::io::Error| IoProblem(format!("cannot write `{shown}`: {e}"));
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_string());
    let prefix = format!(".{file_name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A new file gets the usual mode (0666 less the umask), not 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(&dir).map_err(cannot)?;
    // On any error below, dropping `temp` removes the temporary file.
    temp.as_file_mut().write_all(contents).map_err(cannot)?;
    temp.as_file().sync_all().map_err(cannot)?;
    if let Ok(meta) = std::fs::metadata(&target) {
        temp.as_file()
            .set_permissions(meta.permissions())
            .map_err(cannot)?;
    }
    temp.persist(&target).map_err(|e| cannot(e.error))?;
    Ok(())
}

/// While it lives, SIGXFSZ is ignored. Past a file size limit (`ulimit -f`)
/// the kernel would kill the writer with it, leaving the temporary file
/// behind and no message; ignored, the write fails with EFBIG instead and
/// is reported like any other failed write (exit 2). Only around these
/// writes: elsewhere `println!` would panic on EFBIG, where the signal ends
/// the process cleanly.
struct FileSizeSignalIgnored {
    #[cfg(unix)]
    previous: libc::sighandler_t,
}

impl FileSizeSignalIgnored {
    fn new() -> Self {
        #[cfg(unix)]
        {
            // SAFETY: changes one signal's disposition, restored on drop; no
            // other thread writes files while a contract is written.
            let previous = unsafe { libc::signal(libc::SIGXFSZ, libc::SIG_IGN) };
            let previous = if previous == libc::SIG_ERR {
                libc::SIG_DFL
            } else {
                previous
            };
            FileSizeSignalIgnored { previous }
        }
        #[cfg(not(unix))]
        FileSizeSignalIgnored {}
    }
}

impl Drop for FileSizeSignalIgnored {
    fn drop(&mut self) {
        #[cfg(unix)]
        // SAFETY: restores the disposition `new` replaced.
        unsafe {
            libc::signal(libc::SIGXFSZ, self.previous);
        }
    }
}

/// The regular file a write to `path` replaces: `path` itself, or the file a
/// symbolic link at `path` leads to.
fn write_target(path: &Path) -> Result<PathBuf, IoProblem> {
    let shown = path.display();
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(path.to_path_buf()),
        Err(e) => return Err(IoProblem(format!("cannot write `{shown}`: {e}"))),
    };
    let not_regular = || {
        IoProblem(format!(
            "cannot write `{shown}`: it is not a regular file (deal writes only regular files)"
        ))
    };
    if meta.is_file() {
        return Ok(path.to_path_buf());
    }
    if !meta.file_type().is_symlink() {
        return Err(not_regular());
    }
    let target = std::fs::canonicalize(path).map_err(|e| {
        IoProblem(format!(
            "cannot write `{shown}`: it is a symbolic link whose target cannot be read ({e})"
        ))
    })?;
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_file() => Ok(target),
        Ok(_) => Err(not_regular()),
        Err(e) => Err(IoProblem(format!("cannot write `{shown}`: {e}"))),
    }
}

/// Whether two paths name the same existing file (through links too).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
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
