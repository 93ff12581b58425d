//! Reading input files defensively: size limit, directories, invalid UTF-8, BOM.

use crate::diag::Diagnostic;
use std::io::Read;
use std::path::Path;

/// Larger files are refused before they are read: no profile or state is anywhere near.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

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

/// Read a file as UTF-8 text, refusing directories, oversized files and invalid UTF-8
/// with one diagnostic naming the file (and the position of a bad byte).
pub fn read_text_file(path: &Path) -> Result<SourceText, Diagnostic> {
    let name = path.display().to_string();
    let bytes = read_bytes(path, &name)?;
    decode(&name, bytes)
}

/// Read bytes of a file that must be a regular file within the size limit.
pub fn read_bytes(path: &Path, name: &str) -> Result<Vec<u8>, Diagnostic> {
    let file =
        std::fs::File::open(path).map_err(|e| Diagnostic::whole_file(name, io_message(&e)))?;
    let meta = file
        .metadata()
        .map_err(|e| Diagnostic::whole_file(name, io_message(&e)))?;
    if meta.is_dir() {
        return Err(Diagnostic::whole_file(name, "is a directory, not a file"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(name));
    }
    // Read at most one byte past the limit: the size can change between stat and read,
    // and a FIFO or device reports no size at all.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::whole_file(name, io_message(&e)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(name));
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

fn too_large(name: &str) -> Diagnostic {
    Diagnostic::whole_file(
        name,
        format!(
            "file is larger than the {} MiB limit",
            MAX_FILE_BYTES / (1024 * 1024)
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
