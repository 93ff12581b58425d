//! Checking many account states: inputs read lazily, checked on every core in bounded
//! chunks, results written in input order. Memory stays flat however many states come,
//! because at most one chunk of inputs and results is held at a time.

use crate::diag::Diagnostic;
use crate::source::{MAX_FILE_BYTES, read_text_file};
use crate::state::{AccountState, parse_state_json, parse_state_toml};
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

/// How far past the size limit an over-long JSON Lines line is skipped in search of its
/// end before the stream is given up.
const MAX_SKIPPED_BYTES: u64 = 64 * 1024 * 1024;

/// A chunk also ends when the inputs it holds reach this many bytes (JSON Lines records
/// are held as text until they are checked).
const MAX_CHUNK_BYTES: usize = 1024 * 1024;

/// How many states are read, checked and written per round. A rendered report is 10 to
/// 30 KB in the document formats, and a few chunks per worker are in flight: 64 keeps
/// that under a few MiB (512 reached 57 MiB at a million states) and is no slower.
pub const CHUNK: usize = 64;

/// One account state to check, not yet read or parsed.
pub enum StateInput {
    File(PathBuf),
    /// An entry of a state directory that is not a regular file (a FIFO would block the
    /// batch forever, a device could be endless): reported, never opened.
    NotAFile(PathBuf),
    JsonLine {
        source: String,
        line: usize,
        text: Result<String, Diagnostic>,
    },
}

impl StateInput {
    /// The name reports give the state: the file path, or `source:line`. File names are
    /// untrusted text too (a state directory may hold a file named with escape sequences),
    /// so they are made safe here, where they enter the reports.
    pub fn name(&self) -> String {
        match self {
            StateInput::File(path) | StateInput::NotAFile(path) => match path.to_str() {
                Some(name) => crate::text::sanitize(name),
                None => crate::text::sanitize(&path.display().to_string()),
            },
            StateInput::JsonLine { source, line, .. } => {
                crate::text::sanitize(&format!("{source}:{line}"))
            }
        }
    }

    /// Bytes held until the input is checked: a JSON Lines record's text (files are read
    /// by the worker that checks them).
    pub fn weight(&self) -> usize {
        match self {
            StateInput::JsonLine { text: Ok(text), .. } => text.len(),
            _ => 0,
        }
    }

    /// Read and parse (on a worker thread).
    pub fn load(&self) -> Result<AccountState, Diagnostic> {
        match self {
            StateInput::File(path) => {
                read_text_file(path).and_then(|source| parse_state_toml(&source))
            }
            StateInput::NotAFile(_) => Err(Diagnostic::whole_file(
                &self.name(),
                "not a regular file; skipped",
            )),
            StateInput::JsonLine { source, line, text } => {
                let text = text.as_ref().map_err(Clone::clone)?;
                // Messages name the stream and the line (`states.jsonl:12: ...`).
                parse_state_json(source, *line, text)
            }
        }
    }
}

/// The `*.toml` entries of a directory, in name order. Regular files (and links to them)
/// are read; anything else is reported as not a file.
pub fn state_dir_inputs(dir: &Path) -> Result<Vec<StateInput>, Diagnostic> {
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
    let mut files: Vec<(std::ffi::OsString, StateInput)> = entries
        .flatten()
        .filter(|e| {
            Path::new(&e.file_name())
                .extension()
                .is_some_and(|x| x == "toml")
        })
        .map(|e| {
            let path = e.path();
            // The listing gives the type without another system call; only links are
            // followed to see what they point at.
            let regular = match e.file_type() {
                Ok(t) if t.is_file() => true,
                Ok(t) if t.is_symlink() => std::fs::metadata(&path).is_ok_and(|m| m.is_file()),
                _ => false,
            };
            let input = if regular {
                StateInput::File(path)
            } else {
                StateInput::NotAFile(path)
            };
            (e.file_name(), input)
        })
        .collect();
    // All in one directory: comparing the names as bytes gives the same order as comparing
    // whole paths, without splitting each path into components on every comparison.
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(files.into_iter().map(|(_, input)| input).collect())
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
            // Room for a line of exactly the limit and its CRLF: only a line whose end was
            // not found within that is cut short.
            let read = (&mut self.reader)
                .take(MAX_FILE_BYTES + 2)
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
            let limit = format!("line is larger than the {} MiB limit", MAX_FILE_BYTES >> 20);
            let ended = buf.ends_with(b"\n");
            if ended {
                buf.pop();
                if buf.ends_with(b"\r") {
                    buf.pop();
                }
                if buf.len() as u64 > MAX_FILE_BYTES {
                    return fail(limit);
                }
            } else if buf.len() as u64 > MAX_FILE_BYTES {
                // Skip the rest of the over-long line without holding it in memory, but
                // not forever: a stream without line breaks (`/dev/zero`) ends here.
                let mut skipped = buf.len() as u64;
                let mut rest = Vec::new();
                loop {
                    rest.clear();
                    match (&mut self.reader)
                        .take(64 * 1024)
                        .read_until(b'\n', &mut rest)
                    {
                        // The stream ended with this line.
                        Ok(0) => return fail(limit),
                        Err(e) => {
                            self.done = true;
                            return fail(format!("{limit}; then cannot read: {e}"));
                        }
                        Ok(n) => skipped += n as u64,
                    }
                    if rest.ends_with(b"\n") {
                        return fail(limit);
                    }
                    if skipped > MAX_SKIPPED_BYTES {
                        self.done = true;
                        return fail(format!(
                            "{limit} and does not end within {} MiB; stopped reading",
                            MAX_SKIPPED_BYTES >> 20
                        ));
                    }
                }
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

/// Run `work` over `inputs` on `workers` long-lived threads, in chunks of `chunk`, and
/// hand the results to `write` in input order on the calling thread.
///
/// A feeder thread reads the inputs; the workers take chunks from a bounded queue; this
/// thread puts finished chunks back in order. At most a few chunks per worker are in
/// flight, so memory stays flat however long the input. `write` returns `false` to stop
/// early (the reader went away, or the first result is fatal); everything then winds down.
pub fn ordered_pipeline<T, U>(
    inputs: impl Iterator<Item = T> + Send,
    workers: usize,
    chunk: usize,
    weight: impl Fn(&T) -> usize + Send,
    work: impl Fn(&T) -> U + Sync,
    mut write: impl FnMut(U) -> bool,
) where
    T: Send,
    U: Send,
{
    use std::collections::BTreeMap;
    use std::sync::mpsc::sync_channel;
    use std::sync::{Arc, Mutex};

    let workers = workers.max(1);
    std::thread::scope(|scope| {
        let (job_tx, job_rx) = sync_channel::<(usize, Vec<T>)>(workers);
        let (done_tx, done_rx) = sync_channel::<(usize, Vec<U>)>(workers);
        // Shared by the workers only: when they have all stopped, the feeder's sends fail.
        let job_rx = Arc::new(Mutex::new(job_rx));
        let work = &work;
        for _ in 0..workers {
            let job_rx = Arc::clone(&job_rx);
            let done_tx = done_tx.clone();
            scope.spawn(move || {
                loop {
                    let job = job_rx
                        .lock()
                        .map_err(|_| ())
                        .and_then(|rx| rx.recv().map_err(|_| ()));
                    let Ok((seq, items)) = job else { break };
                    let results = items.iter().map(work).collect();
                    if done_tx.send((seq, results)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(job_rx);
        drop(done_tx);
        // A chunk may only be fed with a token, and a token comes back when its chunk has
        // been written: however slow one input is (a FIFO, a slow disk), no more than
        // `in_flight` chunks are read, checked or waiting to be written.
        let in_flight = 4 * workers;
        let (token_tx, token_rx) = sync_channel::<()>(in_flight);
        for _ in 0..in_flight {
            let _ = token_tx.send(());
        }
        scope.spawn(move || {
            let mut inputs = inputs;
            let mut seq = 0;
            while token_rx.recv().is_ok() {
                let mut items = Vec::new();
                let mut bytes = 0;
                while items.len() < chunk && bytes < MAX_CHUNK_BYTES {
                    let Some(item) = inputs.next() else { break };
                    bytes += weight(&item);
                    items.push(item);
                }
                if items.is_empty() || job_tx.send((seq, items)).is_err() {
                    break;
                }
                seq += 1;
            }
        });
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        'receive: for (seq, results) in done_rx.iter() {
            waiting.insert(seq, results);
            while let Some(results) = waiting.remove(&next) {
                next += 1;
                for result in results {
                    if !write(result) {
                        break 'receive;
                    }
                }
                let _ = token_tx.send(());
            }
        }
        // Dropping the receiver stops the workers, and dropping the tokens the feeder.
        drop(token_tx);
    });
}

/// Worker threads to use: one per core.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn a_stalled_input_holds_back_only_a_few_chunks() {
        let started = AtomicUsize::new(0);
        let seen_while_stalled = AtomicUsize::new(0);
        let mut written = Vec::new();
        ordered_pipeline(
            0..10_000usize,
            2,
            1,
            |_| 0,
            |&i| {
                if i == 0 {
                    // The first input is slow (a FIFO, a slow disk): the other worker must
                    // not run ahead through the whole batch meanwhile.
                    std::thread::sleep(Duration::from_millis(300));
                    seen_while_stalled.store(started.load(Ordering::SeqCst), Ordering::SeqCst);
                }
                started.fetch_add(1, Ordering::SeqCst);
                i
            },
            |i| {
                written.push(i);
                true
            },
        );
        assert_eq!(written, (0..10_000).collect::<Vec<_>>());
        let ahead = seen_while_stalled.load(Ordering::SeqCst);
        assert!(
            ahead <= 4 * 2,
            "{ahead} inputs were checked while the first one stalled"
        );
    }
}
