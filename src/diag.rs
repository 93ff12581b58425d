//! Errors about input files: one message naming the file, line and column.

use crate::text::sanitize;
use std::fmt;
use std::ops::Range;

/// A problem found in an input file. Line and column are 1-based; the column counts
/// characters, not bytes, so it matches what an editor shows for Chinese text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    /// A problem with the file as a whole (missing, too large, not a file).
    pub fn whole_file(file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_owned(),
            line: None,
            column: None,
            message: clip(message.into()),
        }
    }

    /// A problem at a byte offset of `text`, whose lines `index` has found.
    pub fn at_indexed(
        file: &str,
        text: &str,
        index: &LineIndex,
        offset: usize,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = index.line_column(text, offset);
        Diagnostic {
            file: file.to_owned(),
            line: Some(line),
            column: Some(column),
            message: clip(message.into()),
        }
    }

    /// A problem at a byte offset of `text`.
    pub fn at(file: &str, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_column(text, offset);
        Diagnostic {
            file: file.to_owned(),
            line: Some(line),
            column: Some(column),
            message: clip(message.into()),
        }
    }

    pub fn at_span(
        file: &str,
        text: &str,
        span: &Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self::at(file, text, span.start, message)
    }

    /// A problem at a known line (e.g. line N of a JSON Lines stream).
    pub fn at_line(
        file: &str,
        line: usize,
        column: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.to_owned(),
            line: Some(line),
            column,
            message: clip(message.into()),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:column: message`, on one line, with anything the input could have
    /// smuggled into the file name or message made visible.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", sanitize(&self.file))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", sanitize(&self.message))
    }
}

impl std::error::Error for Diagnostic {}

/// Messages quote what the input said (`has no setting `…``); an input can say 4 MiB.
/// Longer messages are cut here, so a batch's error list stays small.
const MAX_MESSAGE_CHARS: usize = 1000;

fn clip(message: String) -> String {
    match message.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((at, _)) => format!("{}…", &message[..at]),
        None => message,
    }
}

/// Tell the user about an error on stderr: `privaudit: error: <message>`.
///
/// A diagnostic that cannot be written (stderr closed or full) is dropped, never a panic
/// as `eprintln!` would give: the exit code still says what happened.
pub fn print_error(message: impl fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "privaudit: error: {message}");
}

/// `privaudit: warning: <message>` on stderr: something left out that the exit code does
/// not count.
pub fn print_warning(message: impl fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "privaudit: warning: {message}");
}

/// Where each line of a text starts, found once, so that the line of any offset is a binary
/// search: a profile asks for the line of every setting, default and option, and scanning
/// from the start each time made loading quadratic (30 s for 8,000 settings).
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// The same as [`line_column`], in O(log lines + line length).
    pub fn line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        // The last line starting at or before `offset`.
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line - 1];
        let column = text[start..offset].trim_end_matches('\r').chars().count() + 1;
        (line, column)
    }

    /// The 1-based line of `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }
}

/// 1-based line and character column of a byte offset (clamped to the text).
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].trim_end_matches('\r').chars().count() + 1;
    (line, column)
}

/// serde's messages name our internal types ("expected struct RawApp"); say what the
/// reader would write instead (`container`: "a table" for TOML, "an object" for JSON).
pub fn plain_serde_message(message: &str, container: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("struct ") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "struct ".len()..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if after.starts_with(|c: char| c.is_ascii_uppercase()) {
            out.push_str(container);
            rest = &after[name_len..];
        } else {
            out.push_str("struct ");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Turn a TOML parse or type error into a diagnostic at its position.
pub fn from_toml(file: &str, text: &str, error: &toml::de::Error) -> Diagnostic {
    // toml's message is multi-line with a quoted source excerpt in its Display; the bare
    // message is what we want after our own `file:line:col:` prefix.
    let message = plain_serde_message(&error.message().trim().replace('\n', "; "), "a table");
    match error.span().or_else(|| deep_nesting(text)) {
        Some(span) => Diagnostic::at_span(file, text, &span, message),
        None => Diagnostic::whole_file(file, message),
    }
}

/// Where a TOML text nests deeper than anything real (100 levels of dotted keys, tables
/// or arrays on one line). toml reports its recursion limit for `[a.a.a.…]` without a
/// position; this finds one to point at.
fn deep_nesting(text: &str) -> Option<Range<usize>> {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let mut depth = 0;
        for (i, c) in line.char_indices() {
            if matches!(c, '.' | '[' | '{') {
                depth += 1;
                if depth == 100 {
                    return Some(start + i..start + i + 1);
                }
            }
        }
        start += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_ignore_crlf() {
        let text = "a = 1\r\n名字 = x";
        let offset = text.find('x').unwrap();
        assert_eq!(line_column(text, offset), (2, 6));
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 10_000), (2, 7));
    }

    #[test]
    fn serde_messages_do_not_name_internal_types() {
        assert_eq!(
            plain_serde_message(
                "invalid type: string \"x\", expected struct RawApp",
                "a table"
            ),
            "invalid type: string \"x\", expected a table"
        );
        assert_eq!(
            plain_serde_message("no struct here", "a table"),
            "no struct here"
        );
    }

    #[test]
    fn the_line_index_agrees_with_scanning() {
        let text = "a = 1\r\n名字 = x\n\n[t]\nlast";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 3 {
            assert_eq!(
                index.line_column(text, offset),
                line_column(text, offset),
                "offset {offset}"
            );
            if text.is_char_boundary(offset.min(text.len())) {
                assert_eq!(index.line(offset), line_column(text, offset).0);
            }
        }
    }

    #[test]
    fn long_messages_are_cut() {
        let d = Diagnostic::at_line("f", 1, None, format!("no setting `{}`", "x".repeat(5000)));
        assert_eq!(d.message.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(d.message.ends_with('…'));
    }

    #[test]
    fn display_sanitises_file_and_message() {
        let d = Diagnostic::at_line("evil\u{1b}]0;x", 3, Some(4), "bad \u{1b}[2J");
        assert_eq!(d.to_string(), "evil^[]0;x:3:4: bad ^[[2J");
    }
}
