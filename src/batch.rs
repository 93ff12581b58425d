//! Checking many account states: inputs read lazily, checked on every core in bounded
//! chunks, results written in input order. Memory stays flat however many states come,
//! because at most one chunk of inputs and results is held at a time.

use crate::diag::Diagnostic;
use crate::source::{MAX_FILE_BYTES, read_text_file};
use crate::state::{AccountState, parse_state_json, parse_state_toml};
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

/// How many states are read, checked and written per round.
pub const CHUNK: usize = 2048;

/// One account state to check, not yet read or parsed.
pub enum StateInput {
    File(PathBuf),
    JsonLine {
        source: String,
        line: usize,
        text: Result<String, Diagnostic>,
    },
}

impl StateInput {
    /// The name reports give the state: the file path, or `source:line`.
    pub fn name(&self) -> String {
        match self {
            StateInput::File(path) => path.display().to_string(),
            StateInput::JsonLine { source, line, .. } => format!("{source}:{line}"),
        }
    }

    /// Read and parse (on a worker thread).
    pub fn load(&self) -> Result<AccountState, Diagnostic> {
        match self {
            StateInput::File(path) => {
                read_text_file(path).and_then(|source| parse_state_toml(&source))
            }
            StateInput::JsonLine { source, line, text } => {
                let text = text.as_ref().map_err(Clone::clone)?;
                let mut state = parse_state_json(source, *line, text)?;
                state.source = format!("{source}:{line}");
                Ok(state)
            }
        }
    }
}

/// The `*.toml` files of a directory, in name order.
pub fn state_dir_files(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let name = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostic::whole_file(
            &name,
            match e.kind() {
                std::io::ErrorKind::NotFound => "no such directory".to_owned(),
                _ => format!("cannot read directory: {e}"),
            },
        )
    })?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

/// Lines of a JSON Lines stream as inputs, read lazily. Blank lines are skipped (but
/// counted); a line over the size limit or not UTF-8 becomes an input that fails.
pub struct JsonLines<R> {
    reader: R,
    source: String,
    line: usize,
    done: bool,
}

impl<R: BufRead> JsonLines<R> {
    pub fn new(reader: R, source: impl Into<String>) -> Self {
        JsonLines {
            reader,
            source: source.into(),
            line: 0,
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = StateInput;

    fn next(&mut self) -> Option<StateInput> {
        while !self.done {
            let mut buf = Vec::new();
            let read = (&mut self.reader)
                .take(MAX_FILE_BYTES + 1)
                .read_until(b'\n', &mut buf);
            self.line += 1;
            let line = self.line;
            let source = self.source.clone();
            let fail = |message: String| {
                Some(StateInput::JsonLine {
                    source: source.clone(),
                    line,
                    text: Err(Diagnostic::at_line(&source, line, None, message)),
                })
            };
            match read {
                Ok(0) => return None,
                Err(e) => {
                    // A read error ends the stream; it is reported as this line's error.
                    self.done = true;
                    return fail(format!("cannot read: {e}"));
                }
                Ok(_) => {}
            }
            if buf.len() as u64 > MAX_FILE_BYTES {
                // Skip the rest of the over-long line without holding it in memory.
                let mut rest = Vec::new();
                while let Ok(n) = (&mut self.reader)
                    .take(64 * 1024)
                    .read_until(b'\n', &mut rest)
                {
                    if n == 0 || rest.ends_with(b"\n") {
                        break;
                    }
                    rest.clear();
                }
                return fail("line is larger than the 4 MiB limit".to_owned());
            }
            let text = match String::from_utf8(buf) {
                Ok(text) => text,
                Err(e) => {
                    let at = e.utf8_error().valid_up_to();
                    return fail(format!("invalid UTF-8 at byte {}", at + 1));
                }
            };
            let text = text.trim_start_matches('\u{feff}').trim();
            if text.is_empty() {
                continue;
            }
            return Some(StateInput::JsonLine {
                source,
                line,
                text: Ok(text.to_owned()),
            });
        }
        None
    }
}

/// Map `work` over `items` on `workers` threads, keeping the order.
pub fn parallel_map<T: Sync, U: Send>(
    items: &[T],
    workers: usize,
    work: impl Fn(&T) -> U + Sync,
) -> Vec<U> {
    let workers = workers.clamp(1, items.len().max(1));
    if workers == 1 {
        return items.iter().map(work).collect();
    }
    let size = items.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(size)
            .map(|part| scope.spawn(|| part.iter().map(&work).collect::<Vec<U>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker threads do not panic"))
            .collect()
    })
}

/// Worker threads to use: one per core.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
