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

/// `privaudit: notice: <message>` on stderr: something done on purpose that the user
/// should still hear of (an entry of theirs replacing a built-in one).
pub fn print_notice(message: impl fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "privaudit: notice: {message}");
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

/// The syntax a message is about: TOML says "table" and "array", JSON "object" and
/// "array".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Toml,
    Json,
}

/// serde words its messages for Rust programmers: "expected struct RawApp", "invalid type:
/// sequence, expected a map", "expected a TOML datetime". Say them in the input's own words
/// ("invalid type: array, expected a table"). This is the one place such phrases are
/// rewritten; our own types also describe themselves where they are parsed
/// ([`map_only!`](crate::diag::map_only)).
///
/// Only the parts serde wrote are touched: a message `invalid type: UNEXPECTED, expected
/// EXPECTED` has its UNEXPECTED rewritten when it is a bare kind of value (never a quoted
/// value from the input), and its EXPECTED when it is one of serde's own phrases.
pub fn plain_serde_message(message: &str, syntax: Syntax) -> String {
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        // `unknown variant `x`, expected `en` or `zh``: a variant is Rust's word.
        return format!("unknown value {rest}");
    }
    let (head, rest) = match ["invalid type: ", "invalid value: "]
        .into_iter()
        .find_map(|p| message.strip_prefix(p).map(|rest| (p, rest)))
    {
        Some(found) => found,
        None => return plain_expected_tail(message, syntax),
    };
    const SEP: &str = ", expected ";
    let Some((unexpected, expected)) = rest.split_once(SEP) else {
        return message.to_owned();
    };
    // A bare kind has no quoted value after it; a value from the input (`string "x, expected
    // y"`) could hold the separator, so the expected part is taken from the last one.
    let (unexpected, expected) = match plain_unexpected(unexpected, syntax) {
        Some(plain) => (plain.to_owned(), expected),
        None => {
            let at = rest.rfind(SEP).unwrap_or(0);
            (rest[..at].to_owned(), &rest[at + SEP.len()..])
        }
    };
    format!(
        "{head}{unexpected}{SEP}{}",
        plain_expected(expected, syntax).unwrap_or_else(|| expected.to_owned())
    )
}

/// "invalid length 0, expected struct RawApp" and the like: the expected part only.
fn plain_expected_tail(message: &str, syntax: Syntax) -> String {
    const SEP: &str = ", expected ";
    if !message.starts_with("invalid length ") {
        return message.to_owned();
    }
    match message.rsplit_once(SEP) {
        Some((before, expected)) => match plain_expected(expected, syntax) {
            Some(plain) => format!("{before}{SEP}{plain}"),
            None => message.to_owned(),
        },
        None => message.to_owned(),
    }
}

/// serde's name for a kind of value, in the input's words.
fn plain_unexpected(unexpected: &str, syntax: Syntax) -> Option<&'static str> {
    Some(match (unexpected, syntax) {
        ("sequence", _) => "array",
        ("map", Syntax::Toml) => "table",
        ("map", Syntax::Json) => "object",
        ("unit value" | "null", Syntax::Json) => "null",
        _ => return None,
    })
}

/// serde's description of what it wanted, in the input's words.
fn plain_expected(expected: &str, syntax: Syntax) -> Option<String> {
    let container = match syntax {
        Syntax::Toml => "a table",
        Syntax::Json => "an object",
    };
    let plain = match expected {
        "a sequence" | "a tuple" => "an array",
        "a map" => container,
        "a TOML datetime" | "a date-time" => "a date such as 2026-11-01",
        "a borrowed string" => "a string",
        _ => {
            // `struct RawApp`, `enum ConfigLang`: a Rust type's name.
            let name = expected
                .strip_prefix("struct ")
                .or_else(|| expected.strip_prefix("enum "))?;
            if !name.starts_with(|c: char| c.is_ascii_uppercase())
                || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                return None;
            }
            if expected.starts_with("enum ") {
                "a string"
            } else {
                container
            }
        }
    };
    Some(plain.to_owned())
}

/// Implements `Deserialize` for a struct whose derived impl is generated as an inherent
/// function (`#[serde(remote = "Self")]`): the value must be a table (TOML) or an object
/// (JSON), and a value of another kind is described as `$what`, never by the struct's
/// name. (serde's derived structs also accept an array, fields by position, so `app = [1]`
/// said "expected a string", about the first field.)
macro_rules! map_only {
    ($ty:ident, $what:expr) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        map: A,
                    ) -> Result<$ty, A::Error> {
                        // The derived, inherent `deserialize`.
                        $ty::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    }
                }
                d.deserialize_map(Visitor)
            }
        }
    };
}
pub(crate) use map_only;

/// Turn a TOML parse or type error into a diagnostic at its position.
pub fn from_toml(file: &str, text: &str, error: &toml::de::Error) -> Diagnostic {
    // toml's message is multi-line with a quoted source excerpt in its Display; the bare
    // message is what we want after our own `file:line:col:` prefix.
    let mut message =
        plain_serde_message(&error.message().trim().replace('\n', "; "), Syntax::Toml);
    let span = error.span().or_else(|| deep_nesting(text));
    // toml hands a date or time to serde as a table of its own, so a date where a string
    // belongs is "invalid type: table"; no table starts with a digit.
    if let Some(rest) = message.strip_prefix("invalid type: table, ")
        && span
            .as_ref()
            .and_then(|s| text.get(s.start..))
            .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()))
    {
        message = format!("invalid type: datetime, {rest}");
    }
    match span {
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
        let toml = |m| plain_serde_message(m, Syntax::Toml);
        let json = |m| plain_serde_message(m, Syntax::Json);
        assert_eq!(
            toml("invalid type: string \"x\", expected struct RawApp"),
            "invalid type: string \"x\", expected a table"
        );
        assert_eq!(
            json("invalid type: integer `3`, expected struct RawJsonWaiver"),
            "invalid type: integer `3`, expected an object"
        );
        assert_eq!(
            toml("invalid type: sequence, expected a map"),
            "invalid type: array, expected a table"
        );
        assert_eq!(
            json("invalid type: map, expected a sequence"),
            "invalid type: object, expected an array"
        );
        assert_eq!(
            json("invalid type: null, expected a map"),
            "invalid type: null, expected an object"
        );
        assert_eq!(
            toml("invalid type: string \"soon\", expected a TOML datetime"),
            "invalid type: string \"soon\", expected a date such as 2026-11-01"
        );
        assert_eq!(
            toml("invalid type: integer `3`, expected enum ConfigLang"),
            "invalid type: integer `3`, expected a string"
        );
        assert_eq!(
            toml("invalid length 0, expected struct RawApp"),
            "invalid length 0, expected a table"
        );
        // Text the input quoted is left alone, even when it reads like serde's words.
        assert_eq!(
            toml("invalid type: string \"map, expected struct X\", expected a string"),
            "invalid type: string \"map, expected struct X\", expected a string"
        );
        assert_eq!(
            toml("unknown variant `fr`, expected `en` or `zh`"),
            "unknown value `fr`, expected `en` or `zh`"
        );
        assert_eq!(toml("no struct here"), "no struct here");
        assert_eq!(
            toml("unknown field `struct Foo`, expected `reason` or `expires`"),
            "unknown field `struct Foo`, expected `reason` or `expires`"
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
