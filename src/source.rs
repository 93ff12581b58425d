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

/// Read a file as UTF-8 text, refusing directories, files over [`MAX_FILE_BYTES`] and
/// invalid UTF-8 with one diagnostic naming the file (and the position of a bad byte).
pub fn read_text_file(path: &Path) -> Result<SourceText, Diagnostic> {
    let name = path.display().to_string();
    let bytes = read_bytes(path, &name, MAX_FILE_BYTES)?;
    decode(&name, bytes)
}

/// [`read_text_file`] for a profile, which may be up to [`MAX_PROFILE_BYTES`].
pub fn read_profile_file(path: &Path) -> Result<SourceText, Diagnostic> {
    let name = path.display().to_string();
    let bytes = read_bytes(path, &name, MAX_PROFILE_BYTES)?;
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
pub fn read_small_file_into(
    path: &Path,
    name: &str,
    bytes: &mut Vec<u8>,
) -> Result<(), Diagnostic> {
    use std::io::ErrorKind;
    let fail = |e: &std::io::Error| {
        let message = match e.kind() {
            ErrorKind::IsADirectory => "is a directory, not a file".to_owned(),
            _ => io_message(e),
        };
        Diagnostic::whole_file(name, message)
    };
    let file = std::fs::File::open(path).map_err(|e| fail(&e))?;
    bytes.clear();
    bytes.reserve(4096);
    // Read at most one byte past the limit.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(bytes)
        .map_err(|e| fail(&e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(name, MAX_FILE_BYTES));
    }
    Ok(())
}

/// Read bytes of a file that must be a regular file within `limit` bytes.
pub fn read_bytes(path: &Path, name: &str, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let file =
        std::fs::File::open(path).map_err(|e| Diagnostic::whole_file(name, io_message(&e)))?;
    let meta = file
        .metadata()
        .map_err(|e| Diagnostic::whole_file(name, io_message(&e)))?;
    if meta.is_dir() {
        return Err(Diagnostic::whole_file(name, "is a directory, not a file"));
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
}
