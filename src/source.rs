//! Reading input files defensively: size limit, directories, invalid UTF-8, BOM.

use crate::diag::Diagnostic;
use std::io::Read;
use std::path::Path;

/// Larger account states, config files and JSON Lines records are refused: none is
/// anywhere near.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Larger profiles are refused. A profile of 50,000 settings with both languages and menu
/// paths is about 37 MB; loading one costs about 20 times its size in memory (as parsing
/// it alone does), so the limit also bounds what a hostile profile can take.
pub const MAX_PROFILE_BYTES: u64 = 64 * 1024 * 1024;

/// A file's text, ready to parse, with the name used in messages.
#[derive(Clone, Debug)]
pub struct SourceText {
    pub name: String,
    pub text: String,
}

impl SourceText {
    /// Text that did not come from a file (embedded profiles, JSON Lines records).
    pub fn from_string(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_owned(),
            None => text,
        };
        SourceText {
            name: name.into(),
            text,
        }
    }
}

/// May a file be a stream rather than a regular file?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Streams {
    /// Only a regular file (or a link to one) is read: the file was found by the program
    /// (in its data or config directory, in a listed directory), where a FIFO or a device
    /// is a mistake or a trap, and opening a FIFO would wait forever for a writer.
    Refused,
    /// A pipe or a device is read too (a process substitution `<(...)`, `/dev/stdin`): the
    /// person named this path on the command line, so waiting for its writer is what they
    /// asked for. Reading stops one byte past the size limit, so an endless device is
    /// refused rather than read forever.
    Allowed,
}

/// Read a file as UTF-8 text, refusing anything but a regular file, files over
/// [`MAX_FILE_BYTES`] and invalid UTF-8 with one diagnostic naming the file (and the
/// position of a bad byte).
pub fn read_text_file(path: &Path) -> Result<SourceText, Diagnostic> {
    let name = path.display().to_string();
    let bytes = read_bytes_from(path, &name, MAX_FILE_BYTES, Streams::Refused)?;
    decode(&name, bytes)
}

/// [`read_text_file`] for a path named on the command line, which may be a pipe.
pub fn read_text_file_or_stream(path: &Path) -> Result<SourceText, Diagnostic> {
    let name = path.display().to_string();
    let bytes = read_bytes_from(path, &name, MAX_FILE_BYTES, Streams::Allowed)?;
    decode(&name, bytes)
}

/// [`read_text_file`] for a profile, which may be up to [`MAX_PROFILE_BYTES`].
pub fn read_profile_file(path: &Path) -> Result<SourceText, Diagnostic> {
    let name = path.display().to_string();
    let bytes = read_bytes_from(path, &name, MAX_PROFILE_BYTES, Streams::Refused)?;
    decode(&name, bytes)
}

/// [`read_profile_file`] for a path named on the command line, which may be a pipe.
pub fn read_profile_file_or_stream(path: &Path) -> Result<SourceText, Diagnostic> {
    let name = path.display().to_string();
    let bytes = read_bytes_from(path, &name, MAX_PROFILE_BYTES, Streams::Allowed)?;
    decode(&name, bytes)
}

/// Read one of many small files (an account state of a directory batch) as UTF-8 text,
/// named `name` in messages (see [`read_small_file_into`]).
pub fn read_small_text_file(path: &Path, name: String) -> Result<SourceText, Diagnostic> {
    let mut bytes = Vec::new();
    read_small_file_into(path, &name, &mut bytes)?;
    let mut source = decode(&name, bytes)?;
    source.name = name;
    Ok(source)
}

/// Read one of many small files into `bytes` (replacing what it held; a buffer reused from
/// file to file): one `open`, reads until the end, one `close`. No `stat`: a directory
/// fails to read, and the size is checked as the bytes come.
///
/// A stream is read too ([`Streams::Allowed`]): these are `--state` files named on the
/// command line (`--state <(...)`, `--state /dev/stdin` work) and entries of a
/// `--state-dir`, whose listing already gives each entry's type without a system call and
/// never hands a FIFO or device here (see `batch::state_dir_inputs`).
pub fn read_small_file_into(
    path: &Path,
    name: &str,
    bytes: &mut Vec<u8>,
) -> Result<(), Diagnostic> {
    read_small_file_named(path, || name.to_owned(), bytes)
}

/// [`read_small_file_into`], with the name made only for a message (a batch's name is
/// sanitised, which a file read without trouble does not need).
pub fn read_small_file_named(
    path: &Path,
    name: impl Fn() -> String,
    bytes: &mut Vec<u8>,
) -> Result<(), Diagnostic> {
    use std::io::ErrorKind;
    let fail = |e: &std::io::Error| {
        let message = match e.kind() {
            ErrorKind::IsADirectory => "is a directory, not a file".to_owned(),
            _ => io_message(e),
        };
        Diagnostic::whole_file(&name(), message)
    };
    let file = std::fs::File::open(path).map_err(|e| fail(&e))?;
    bytes.clear();
    bytes.reserve(4096);
    // Read at most one byte past the limit.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(bytes)
        .map_err(|e| fail(&e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(&name(), MAX_FILE_BYTES));
    }
    Ok(())
}

/// Read bytes of a file that must be a regular file within `limit` bytes.
pub fn read_bytes(path: &Path, name: &str, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    read_bytes_from(path, name, limit, Streams::Refused)
}

/// Read bytes of a file within `limit` bytes; a stream only if `streams` allows it.
pub fn read_bytes_from(
    path: &Path,
    name: &str,
    limit: u64,
    streams: Streams,
) -> Result<Vec<u8>, Diagnostic> {
    let file = open(path, streams).map_err(|e| Diagnostic::whole_file(name, io_message(&e)))?;
    let meta = file
        .metadata()
        .map_err(|e| Diagnostic::whole_file(name, io_message(&e)))?;
    if meta.is_dir() {
        return Err(Diagnostic::whole_file(name, "is a directory, not a file"));
    }
    if streams == Streams::Refused
        && let Some(kind) = not_regular(&meta)
    {
        return Err(Diagnostic::whole_file(
            name,
            format!("is a {kind}, not a regular file"),
        ));
    }
    if meta.len() > limit {
        return Err(too_large(name, limit));
    }
    // Read at most one byte past the limit: the size can change between stat and read,
    // and a FIFO or device reports no size at all.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::whole_file(name, io_message(&e)))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(name, limit));
    }
    Ok(bytes)
}

/// Open `path` for reading. Where streams are refused, the file is opened without
/// blocking: opening a FIFO waits for a writer (forever, if none comes), and opening some
/// devices waits too; with `O_NONBLOCK` the open returns at once and the caller's `fstat`
/// of the opened file refuses what is not a regular file. Nothing is ever checked by path
/// before the open, so a file swapped between a check and the open cannot slip through.
///
/// `O_NONBLOCK` is left set on the regular files that pass: it has no effect on regular
/// files (a read of one never waits for a writer), so the reads that follow are the same.
fn open(path: &Path, streams: Streams) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    if streams == Streams::Refused {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NOCTTY: a terminal device opened here must not become our controlling terminal.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    #[cfg(not(unix))]
    let _ = streams;
    options.open(path)
}

/// What a file is when it is not a regular file (nor a directory), in words.
fn not_regular(meta: &std::fs::Metadata) -> Option<&'static str> {
    if meta.is_file() || meta.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return Some("FIFO (named pipe)");
        }
        if t.is_socket() {
            return Some("socket");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("device");
        }
    }
    Some("special file")
}

/// Decode UTF-8, dropping a byte-order mark; an empty file is an error of its own.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<SourceText, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            // Everything before the bad byte is valid, so we can say where it is.
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            return Err(Diagnostic::at(
                name,
                prefix,
                valid,
                format!(
                    "invalid UTF-8 (byte 0x{:02X}); save the file as UTF-8",
                    bytes[valid]
                ),
            ));
        }
    };
    let source = SourceText::from_string(name, text);
    if source.text.trim().is_empty() {
        return Err(Diagnostic::whole_file(name, "file is empty"));
    }
    Ok(source)
}

fn too_large(name: &str, limit: u64) -> Diagnostic {
    Diagnostic::whole_file(
        name,
        format!(
            "file is larger than the {} MiB limit",
            limit / (1024 * 1024)
        ),
    )
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => format!("cannot read: {e}"),
    }
}

/// The `*.toml` files in `dir`, in name order; none when it cannot be read (a profile or
/// catalog directory is usually absent).
pub fn toml_files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<std::path::PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_points_at_the_bad_byte() {
        let err = decode("f.toml", b"a = 1\nb = \"x\xffy\"".to_vec()).unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(7)));
    }

    #[test]
    fn bom_is_dropped_and_empty_is_refused() {
        assert_eq!(
            decode("f", b"\xEF\xBB\xBFa = 1".to_vec()).unwrap().text,
            "a = 1"
        );
        assert!(decode("f", b"\xEF\xBB\xBF \n".to_vec()).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn found_files_must_be_regular_named_ones_may_be_streams() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("p.toml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // No writer: a blocking open would wait forever. Refused at once instead.
        let err = read_text_file(&fifo).unwrap_err();
        assert_eq!(err.message, "is a FIFO (named pipe), not a regular file");
        assert!(read_profile_file(&fifo).is_err());
        let err = read_text_file(Path::new("/dev/null")).unwrap_err();
        assert_eq!(err.message, "is a device, not a regular file");
        // Named on purpose: waited for and read.
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::write(fifo, "a = 1\n").unwrap())
        };
        assert_eq!(read_text_file_or_stream(&fifo).unwrap().text, "a = 1\n");
        writer.join().unwrap();
        // A regular file opened without blocking reads as ever.
        let file = dir.path().join("f.toml");
        std::fs::write(&file, "b = 2\n").unwrap();
        assert_eq!(read_text_file(&file).unwrap().text, "b = 2\n");
    }
}
