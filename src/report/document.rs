//! A batch written as one document, report by report.
//!
//! A batch can hold a million account states, so no format keeps the reports until the
//! end: the document's opening is written first, then each report as soon as it is
//! checked (rendered on the worker thread that checked it, see [`render`]), then the
//! closing. What the closing needs is bounded however long the batch: SARIF aggregates
//! alike findings into one result (see [`sarif`]), so its results and rules grow with the
//! profiles' settings, not with the states, and the JSON and SARIF documents list at most
//! [`MAX_LISTED_ERRORS`] input errors and count the rest.

use super::json;
use super::{Checked, Format, Style, github, gitlab, junit, markdown, sarif, text};
use crate::diag::Diagnostic;
use std::io::{self, Write};

/// How many input errors a JSON or SARIF document lists by message; the others are
/// counted (`errors_unlisted`). Each one is also printed on stderr as it is found.
pub const MAX_LISTED_ERRORS: usize = 1000;

/// One report, rendered for its place in the document.
pub struct Piece<'a> {
    pub(super) bytes: Vec<u8>,
    /// SARIF only: the report's findings, aggregated by the writer (see [`sarif::Run`]).
    pub(super) found: Option<sarif::Found<'a>>,
    /// Findings `--min-severity` left out of the report (for a closing that counts them).
    pub(super) left_out: usize,
}

impl Piece<'_> {
    /// Reports already rendered, one after another (JSON Lines lines, say).
    pub fn bytes(bytes: Vec<u8>) -> Self {
        Piece {
            bytes,
            found: None,
            left_out: 0,
        }
    }
}

/// Render one report for `format`. Pure work on the report: safe to run on any thread.
/// (Batches of JSON Lines put their lines together from a [`LineCache`](json::LineCache)
/// instead.)
pub fn render<'a>(format: Format, checked: &Checked<'a>, style: Style<'_>) -> Piece<'a> {
    match format {
        Format::Text => Piece::bytes(text::render(checked, style).into_bytes()),
        Format::Jsonl => Piece::bytes(json::line(checked, style, None)),
        Format::Json => Piece::bytes(json::pretty(checked, style)),
        Format::Markdown => Piece::bytes(markdown::render(checked, style).into_bytes()),
        Format::Junit => Piece::bytes(junit::suite(checked, style)),
        Format::Github => Piece {
            left_out: checked.report.summary.left_out,
            ..Piece::bytes(github::annotations(checked, style))
        },
        Format::Gitlab => Piece::bytes(gitlab::issues(checked, style)),
        Format::Sarif => sarif::results(checked),
    }
}

/// Writes a document of `format` to `out`: [`start`](Self::start) writes the opening,
/// then [`piece`](Self::piece) and [`error`](Self::error) in input order, then
/// [`finish`](Self::finish) the closing.
pub struct DocumentWriter<'a, W: Write> {
    out: W,
    format: Format,
    /// JUnit: the run's start, written on the suites of states that could not be checked
    /// (the checked ones carry it from [`junit::timed_suite`]).
    timestamp: Option<junit::Timestamp>,
    /// GitHub: what was annotated, for the closing line.
    github: github::Tally,
    /// GitLab: issues written so far (the array's separators depend on it).
    gitlab_issues: usize,
    style: Style<'a>,
    pieces: usize,
    /// Bad states listed so far: (name, record key, message).
    errors: Vec<(String, Option<String>, String)>,
    errors_unlisted: usize,
    sarif: sarif::Run<'a>,
}

impl<'a, W: Write> DocumentWriter<'a, W> {
    pub fn new(format: Format, style: Style<'a>, out: W) -> Self {
        DocumentWriter {
            out,
            format,
            timestamp: None,
            github: github::Tally::default(),
            gitlab_issues: 0,
            style,
            pieces: 0,
            errors: Vec::new(),
            errors_unlisted: 0,
            sarif: sarif::Run::default(),
        }
    }

    /// Stamp JUnit suites with the run's start.
    pub fn with_timestamp(mut self, timestamp: junit::Timestamp) -> Self {
        self.timestamp = Some(timestamp);
        self
    }

    pub fn start(&mut self) -> io::Result<()> {
        match self.format {
            Format::Json => write!(
                self.out,
                "{{\n  \"schema_version\": {},\n  \"reports\": [",
                json::SCHEMA_VERSION
            ),
            Format::Sarif => self.out.write_all(sarif::OPENING.as_bytes()),
            Format::Junit => self.out.write_all(junit::OPENING.as_bytes()),
            Format::Gitlab => self.out.write_all(b"["),
            Format::Text | Format::Jsonl | Format::Markdown | Format::Github => Ok(()),
        }
    }

    /// Where the document goes.
    pub fn output(&self) -> &W {
        &self.out
    }

    /// Write out what is buffered (a live stream's results, while more input is awaited).
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// The output, without writing the closing (the document is abandoned).
    pub fn into_output(self) -> W {
        self.out
    }

    pub fn piece(&mut self, piece: Piece<'a>) -> io::Result<()> {
        let first = self.pieces == 0;
        self.pieces += 1;
        match self.format {
            // Reports are separated by a blank line (text) or simply follow each other.
            Format::Text | Format::Markdown if !first => self.out.write_all(b"\n")?,
            Format::Json => {
                self.out
                    .write_all(if first { b"\n    " } else { b",\n    " })?;
                return write_indented(&mut self.out, &piece.bytes, b"    ");
            }
            Format::Sarif => {
                self.sarif.add(piece);
                return Ok(());
            }
            Format::Github => {
                self.github.left_out += piece.left_out;
                self.github.add(&piece.bytes);
            }
            // A report with nothing open adds no issue.
            Format::Gitlab if piece.bytes.is_empty() => return Ok(()),
            Format::Gitlab => {
                let first = self.gitlab_issues == 0;
                self.gitlab_issues += 1 + piece.bytes.iter().filter(|&&b| b == b'\n').count();
                self.out.write_all(if first { b"\n" } else { b",\n" })?;
            }
            _ => {}
        }
        self.out.write_all(&piece.bytes)
    }

    /// JSON Lines lines rendered elsewhere (a block of them, by the worker that checked
    /// it), written as they are.
    pub fn lines(&mut self, lines: &[u8]) -> io::Result<()> {
        debug_assert_eq!(self.format, Format::Jsonl);
        self.pieces += 1;
        self.out.write_all(lines)
    }

    /// A state that could not be checked (`state` is its name, `key` its record key).
    pub fn error(
        &mut self,
        state: &str,
        key: Option<&str>,
        problem: &Diagnostic,
    ) -> io::Result<()> {
        match self.format {
            Format::Jsonl => {
                let mut line = Vec::new();
                json::write_error_line(&mut line, state, key, problem);
                self.out.write_all(&line)
            }
            Format::Junit => {
                self.out
                    .write_all(&junit::error_suite(state, problem, self.timestamp))
            }
            Format::Github => {
                self.github.bad_states += 1;
                self.out
                    .write_all(&github::error_line(state, problem, self.style.lang))
            }
            Format::Gitlab => {
                let first = self.gitlab_issues == 0;
                self.gitlab_issues += 1;
                self.out.write_all(if first { b"\n" } else { b",\n" })?;
                self.out
                    .write_all(&gitlab::error_issue(state, problem, self.style.lang))
            }
            // Kept for the closing (text and Markdown also told on stderr): a report read
            // on its own, a checklist posted to a pull request, must not look complete.
            Format::Json | Format::Sarif | Format::Text | Format::Markdown => {
                if self.errors.len() < MAX_LISTED_ERRORS {
                    let key = key.map(str::to_owned);
                    self.errors
                        .push((state.to_owned(), key, problem.to_string()));
                } else {
                    self.errors_unlisted += 1;
                }
                Ok(())
            }
        }
    }

    /// The listed bad states' messages.
    fn messages(&self) -> Vec<String> {
        self.errors.iter().map(|(_, _, m)| m.clone()).collect()
    }

    /// Write the closing and hand back the output.
    pub fn finish(mut self) -> io::Result<W> {
        match self.format {
            Format::Json => {
                self.out
                    .write_all(if self.pieces > 0 { b"\n  ]" } else { b"]" })?;
                self.out.write_all(b",\n  \"errors\": ")?;
                let errors: Vec<json::InputError<'_>> = self
                    .errors
                    .iter()
                    .map(|(state, key, message)| {
                        json::InputError::new(message.clone(), state, key.as_deref())
                    })
                    .collect();
                let errors = serde_json::to_vec_pretty(&errors).expect("strings serialise to JSON");
                write_indented(&mut self.out, &errors, b"  ")?;
                if self.errors_unlisted > 0 {
                    write!(
                        self.out,
                        ",\n  \"errors_unlisted\": {}",
                        self.errors_unlisted
                    )?;
                }
                self.out.write_all(b"\n}\n")?;
            }
            Format::Sarif => {
                let messages = self.messages();
                self.sarif.write_closing(
                    &mut self.out,
                    &messages,
                    self.errors_unlisted,
                    self.style,
                )?
            }
            Format::Junit => self.out.write_all(junit::CLOSING.as_bytes())?,
            Format::Github => self
                .out
                .write_all(self.github.summary(self.style.lang).as_bytes())?,
            Format::Gitlab => self.out.write_all(if self.gitlab_issues > 0 {
                b"\n]\n"
            } else {
                b"]\n"
            })?,
            Format::Text | Format::Markdown if !self.errors.is_empty() => {
                let text = not_checked(
                    self.format,
                    &self.messages(),
                    self.errors_unlisted,
                    self.pieces > 0,
                    self.style.lang,
                );
                self.out.write_all(text.as_bytes())?;
            }
            Format::Text | Format::Jsonl | Format::Markdown => {}
        }
        Ok(self.out)
    }
}

/// The closing of a text or Markdown document that had states it could not check: each
/// one's message, and how many more there were.
fn not_checked(
    format: Format,
    errors: &[String],
    unlisted: usize,
    after_reports: bool,
    lang: crate::text::Lang,
) -> String {
    use crate::text::Lang;
    let total = errors.len() + unlisted;
    let mut out = String::from(if after_reports { "\n" } else { "" });
    let heading = match lang {
        Lang::En => format!(
            "Not checked ({total}): these states could not be read or do not fit their app's \
             profile"
        ),
        Lang::Zh => format!("未能检查（{total} 项）：以下账户状态无法读取，或与应用档案不符"),
    };
    match format {
        Format::Markdown => {
            out.push_str(&format!("## {}\n\n", markdown::escape(&heading)));
            for error in errors {
                out.push_str(&format!("- {}\n", markdown::escape(error)));
            }
        }
        _ => {
            out.push_str(&heading);
            out.push('\n');
            for error in errors {
                out.push_str(&format!("  {error}\n"));
            }
        }
    }
    if unlisted > 0 {
        let more = match lang {
            Lang::En => format!("and {unlisted} more, each told on stderr"),
            Lang::Zh => format!("另有 {unlisted} 项，均已在标准错误输出中列出"),
        };
        match format {
            Format::Markdown => out.push_str(&format!("- {}\n", markdown::escape(&more))),
            _ => out.push_str(&format!("  {more}\n")),
        }
    }
    out
}

/// Write `text` with `indent` after every line break (JSON strings hold no raw line
/// breaks, so this only indents the document's structure).
fn write_indented(out: &mut impl Write, text: &[u8], indent: &[u8]) -> io::Result<()> {
    let mut lines = text.split(|&b| b == b'\n');
    if let Some(first) = lines.next() {
        out.write_all(first)?;
    }
    for line in lines {
        out.write_all(b"\n")?;
        out.write_all(indent)?;
        out.write_all(line)?;
    }
    Ok(())
}

/// A whole document of already checked reports, as bytes (for the TUI, tests and small
/// batches). `errors` are `(state name, problem)` pairs.
pub fn document(
    format: Format,
    checked: &[Checked<'_>],
    errors: &[(String, Diagnostic)],
    style: Style<'_>,
) -> Vec<u8> {
    let mut writer = DocumentWriter::new(format, style, Vec::new());
    writer.start().expect("writing to memory cannot fail");
    for c in checked {
        let piece = render(format, c, style);
        writer.piece(piece).expect("writing to memory cannot fail");
    }
    for (state, problem) in errors {
        writer
            .error(state, None, problem)
            .expect("writing to memory cannot fail");
    }
    writer.finish().expect("writing to memory cannot fail")
}
