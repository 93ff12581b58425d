//! Checking many account states: inputs read lazily, checked on every core in bounded
//! chunks, results written in input order. Memory stays flat however many states come,
//! because at most one chunk of inputs and results is held at a time.

use crate::diag::Diagnostic;
use crate::source::{MAX_FILE_BYTES, read_small_text_file};
use crate::state::{AccountState, parse_state_json, parse_state_toml_owned, record_key};
use crate::text::decimal;
use std::io::{BufRead, BufReader, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How far past the size limit an over-long JSON Lines line is skipped in search of its
/// end before the stream is given up.
const MAX_SKIPPED_BYTES: u64 = 64 * 1024 * 1024;

/// A block of JSON Lines records also ends when its text reaches this many bytes (records
/// are held as text until they are checked).
const MAX_CHUNK_BYTES: usize = 1024 * 1024;

/// How many states are read, checked and written per round. A rendered report is 10 to
/// 30 KB in the document formats, and a few chunks per worker are in flight: 64 keeps
/// that under a few MiB (512 reached 57 MiB at a million states) and is no slower.
pub const CHUNK: usize = 64;

/// Account states to check, not yet read or parsed: state files, or a block of JSON Lines.
pub enum StateInput {
    /// Up to a chunk of state files, checked together on one worker.
    Files(Vec<PathBuf>),
    /// An entry of a state directory that is not a regular file (a FIFO would block the
    /// batch forever, a device could be endless): reported, never opened.
    NotAFile(PathBuf),
    Lines(LineBlock),
}

impl StateInput {
    /// How much of a pipeline chunk the input fills: a state file or entry counts one
    /// state (a chunk holds [`CHUNK`]); a block of JSON Lines records fills a chunk on its
    /// own, since it is already bounded in records and bytes (a few blocks of long lines
    /// must not add up to a chunk of 64 lines of 4 MiB).
    pub fn weight(&self) -> usize {
        match self {
            StateInput::Files(paths) => paths.len(),
            StateInput::NotAFile(_) => 1,
            StateInput::Lines(_) => CHUNK,
        }
    }

    /// The input was read up to where more input must be waited for (a live stream gone
    /// quiet): its results should be written out at once.
    pub fn ends_idle(&self) -> bool {
        matches!(self, StateInput::Lines(block) if block.idle)
    }

    /// Reading stopped in this input before the end of the stream (its last record says
    /// why): the rest was never checked.
    pub fn stopped_reading(&self) -> bool {
        matches!(self, StateInput::Lines(block) if block.stopped)
    }
}

/// The name reports give a state file. File names are untrusted text too (a state
/// directory may hold a file named with escape sequences), so they are made safe here,
/// where they enter the reports.
pub fn file_name(path: &Path) -> String {
    match path.to_str() {
        Some(name) => crate::text::sanitize(name),
        None => crate::text::sanitize(&path.display().to_string()),
    }
}

/// Read and parse a state file (on a worker thread); `name` is its [`file_name`].
pub fn load_file(path: &Path, name: String) -> Result<AccountState, Diagnostic> {
    // Messages show the name made safe, as the report does (making it safe twice changes
    // nothing).
    read_small_text_file(path, name).and_then(parse_state_toml_owned)
}

/// The error for an entry of a state directory that is not a regular file.
pub fn not_a_file(path: &Path) -> Diagnostic {
    Diagnostic::whole_file(&file_name(path), "not a regular file; skipped")
}

/// Consecutive records of a JSON Lines stream, read together: one buffer and one hand-over
/// to a worker per block instead of per line.
pub struct LineBlock {
    /// The stream's name as given (messages make it safe when they are shown).
    source: Arc<str>,
    /// The same, made safe, for the state names reports carry.
    safe_source: Arc<str>,
    /// The safe name as JSON string content (escaped, without quotes).
    json_source: Arc<str>,
    /// The records' text, one after another.
    text: String,
    records: Vec<Record>,
    /// The block ended because the input read so far was used up: more may be a while
    /// coming, so what the block gives should be written out now, not buffered.
    idle: bool,
    /// Reading stopped in this block, before the end of the input.
    stopped: bool,
}

struct Record {
    line: usize,
    /// Where the record is in the block's text, or why the line could not be read (boxed:
    /// a block holds a thousand records, nearly all of them good).
    text: Result<Range<usize>, Box<Diagnostic>>,
}

impl LineBlock {
    /// The block's records, in input order.
    pub fn lines(&self) -> impl Iterator<Item = LineInput<'_>> {
        self.records.iter().map(|record| LineInput {
            block: self,
            record,
        })
    }
}

/// One record (a line) of a JSON Lines stream.
pub struct LineInput<'a> {
    block: &'a LineBlock,
    record: &'a Record,
}

impl LineInput<'_> {
    pub fn line(&self) -> usize {
        self.record.line
    }

    /// The record's text, or why its line could not be read.
    pub fn text(&self) -> Result<&str, &Diagnostic> {
        match &self.record.text {
            Ok(range) => Ok(&self.block.text[range.clone()]),
            Err(problem) => Err(&**problem),
        }
    }

    /// The name reports give the state: `source:line`.
    pub fn name(&self) -> String {
        // `sanitize` works character by character, so the name made safe once and the
        // line number appended equal the whole name made safe.
        let mut name = String::with_capacity(self.block.safe_source.len() + 12);
        name.push_str(&self.block.safe_source);
        name.push(':');
        name.push_str(decimal(self.record.line, &mut [0; 20]));
        name
    }

    /// [`name`](Self::name) as a JSON string, appended to `out` (for every line of a batch:
    /// no allocation).
    pub fn write_name_json(&self, out: &mut Vec<u8>) {
        out.push(b'"');
        out.extend_from_slice(self.block.json_source.as_bytes());
        out.push(b':');
        out.extend_from_slice(decimal(self.record.line, &mut [0; 20]).as_bytes());
        out.push(b'"');
    }

    /// Parse the record the straightforward way: every error found and worded. A field
    /// named `key_field` is the record's key.
    pub fn load(&self, key_field: &str) -> Result<AccountState, Diagnostic> {
        let text = self.text().map_err(Clone::clone)?;
        // Messages name the stream and the line (`states.jsonl:12: ...`).
        parse_state_json(&self.block.source, self.record.line, text, key_field)
    }

    /// The record's key, read leniently: for the error line of a record that could not be
    /// checked, so that even it can be joined back to its input.
    pub fn key(&self, key_field: &str) -> Option<String> {
        use serde_json::value::RawValue;
        use std::borrow::Cow;
        let text = self.text().ok()?;
        let fields: Vec<(Cow<'_, str>, &RawValue)> =
            serde_json::from_str::<Pairs<'_>>(text).ok()?.0;
        let (_, raw) = fields.iter().find(|(name, _)| name == key_field)?;
        record_key(raw.get(), key_field).ok()
    }
}

/// The `*.toml` entries of a directory, in name order, up to `files` regular files (and
/// links to them) to an input; anything else is an input of its own, reported as not a
/// file.
pub fn state_dir_inputs(
    dir: &Path,
    files: usize,
) -> Result<impl Iterator<Item = StateInput> + Send + use<>, Diagnostic> {
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
    // Only the names are held (about 40 bytes a file); paths are made as the files are
    // handed out, a chunk at a time.
    let mut names: Vec<(std::ffi::OsString, bool)> = entries
        .flatten()
        .filter(|e| {
            Path::new(&e.file_name())
                .extension()
                .is_some_and(|x| x == "toml")
        })
        .map(|e| {
            // The listing gives the type without another system call; only links are
            // followed to see what they point at.
            let regular = match e.file_type() {
                Ok(t) if t.is_file() => true,
                Ok(t) if t.is_symlink() => std::fs::metadata(e.path()).is_ok_and(|m| m.is_file()),
                _ => false,
            };
            (e.file_name(), regular)
        })
        .collect();
    // All in one directory: comparing the names as bytes gives the same order as comparing
    // whole paths, without splitting each path into components on every comparison.
    names.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    names.shrink_to_fit();
    let dir = dir.to_path_buf();
    let mut names = names.into_iter().peekable();
    Ok(std::iter::from_fn(move || {
        let (name, regular) = names.next()?;
        if !regular {
            return Some(StateInput::NotAFile(dir.join(name)));
        }
        let mut paths = vec![dir.join(name)];
        while paths.len() < files
            && let Some((name, _)) = names.next_if(|(_, regular)| *regular)
        {
            paths.push(dir.join(name));
        }
        Some(StateInput::Files(paths))
    }))
}

/// Consecutive state files grouped by the chunk, in order.
pub fn grouped(inputs: impl IntoIterator<Item = StateInput>) -> Vec<StateInput> {
    let mut grouped = Vec::new();
    for input in inputs {
        match (input, grouped.last_mut()) {
            (StateInput::Files(mut paths), Some(StateInput::Files(last)))
                if last.len() + paths.len() <= CHUNK =>
            {
                last.append(&mut paths);
            }
            (input, _) => grouped.push(input),
        }
    }
    grouped
}

/// A JSON Lines stream as blocks of records, read lazily. A blank line, a line over the
/// size limit or not UTF-8 becomes a record that fails.
pub struct JsonLines<R> {
    reader: BufReader<R>,
    source: Arc<str>,
    safe_source: Arc<str>,
    json_source: Arc<str>,
    /// Records per block: more for small output lines, fewer for large ones.
    block_records: usize,
    /// The line being read, kept between lines so reading allocates nothing.
    buf: Vec<u8>,
    /// The size of the last block's text, to allocate the next one at once.
    last_block: usize,
    line: usize,
    done: bool,
    /// Reading ended before the end of the input (a read error, a line without end).
    stopped: bool,
    /// The input's file descriptor, to ask whether more is ready (see `input_fd`).
    fd: Option<i32>,
}

/// JSON Lines are read in pieces this large: fewer reads, and fewer lines that straddle
/// two pieces (those take a slower way).
const READ_BUFFER: usize = 256 * 1024;

impl<R: Read> JsonLines<R> {
    pub fn new(reader: R, source: impl Into<String>) -> Self {
        let source: String = source.into();
        let safe_source = crate::text::sanitize(&source);
        let json = serde_json::to_string(&safe_source).expect("strings serialise");
        JsonLines {
            reader: BufReader::with_capacity(READ_BUFFER, reader),
            json_source: json[1..json.len() - 1].into(),
            safe_source: safe_source.into(),
            source: source.into(),
            block_records: CHUNK,
            buf: Vec::new(),
            last_block: 0,
            line: 0,
            done: false,
            stopped: false,
            fd: None,
        }
    }

    /// The reader reads file descriptor `fd` (a pipe, a terminal, a file): a block then
    /// ends early only when no more input is ready there, not at every boundary of the
    /// reader's buffer. Without it, a block ends whenever what has been read holds no
    /// whole line, which is right for any input and costs bigger batches some speed.
    #[cfg(unix)]
    pub fn input_fd(mut self, fd: std::os::fd::RawFd) -> Self {
        self.fd = Some(fd);
        self
    }

    /// More input can be read now without waiting (or the input has ended).
    fn input_ready(&self) -> bool {
        #[cfg(unix)]
        if let Some(fd) = self.fd {
            let mut poll = libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd, a zero timeout: poll only looks.
            return unsafe { libc::poll(&mut poll, 1, 0) } > 0;
        }
        false
    }

    /// The stream ends here, before its end: what follows is not read.
    fn stop(&mut self) {
        self.done = true;
        self.stopped = true;
    }

    /// At most `records` records per block (at least one).
    pub fn block_records(mut self, records: usize) -> Self {
        self.block_records = records.max(1);
        self
    }

    /// The next record's line: `Ok(true)` when it was read into `self.buf` (without its
    /// line break), `Ok(false)` at the end of the stream, `Err` with the message for a
    /// line that cannot be used.
    fn read_line(&mut self) -> Result<bool, String> {
        self.buf.clear();
        // Room for a line of exactly the limit and its CRLF: only a line whose end was
        // not found within that is cut short.
        let read = (&mut self.reader)
            .take(MAX_FILE_BYTES + 2)
            .read_until(b'\n', &mut self.buf);
        match read {
            Ok(0) => return Ok(false),
            Err(e) => {
                // A read error ends the stream; it is reported as this line's error.
                self.stop();
                return Err(format!("cannot read: {e}"));
            }
            Ok(_) => {}
        }
        let limit = limit_message();
        if self.buf.ends_with(b"\n") {
            self.buf.pop();
            if self.buf.ends_with(b"\r") {
                self.buf.pop();
            }
            if self.buf.len() as u64 > MAX_FILE_BYTES {
                return Err(limit);
            }
        } else if self.buf.len() as u64 > MAX_FILE_BYTES {
            // Skip the rest of the over-long line without holding it in memory, but not
            // forever: a stream without line breaks (`/dev/zero`) ends here.
            let mut skipped = self.buf.len() as u64;
            let mut rest = Vec::new();
            loop {
                rest.clear();
                match (&mut self.reader)
                    .take(64 * 1024)
                    .read_until(b'\n', &mut rest)
                {
                    // The stream ended with this line.
                    Ok(0) => return Err(limit),
                    Err(e) => {
                        self.stop();
                        return Err(format!("{limit}; then cannot read: {e}"));
                    }
                    Ok(n) => skipped += n as u64,
                }
                if rest.ends_with(b"\n") {
                    return Err(limit);
                }
                if skipped > MAX_SKIPPED_BYTES {
                    self.stop();
                    return Err(format!(
                        "{limit} and does not end within {} MiB; stopped reading",
                        MAX_SKIPPED_BYTES >> 20
                    ));
                }
            }
        }
        Ok(true)
    }
}

fn limit_message() -> String {
    format!("line is larger than the {} MiB limit", MAX_FILE_BYTES >> 20)
}

const BLANK_LINE: &str = "blank line; each line must hold one JSON account state";

/// A line's record appended to `text`: its place in `text`, or why it cannot be used. A
/// blank line is one of those: each line in gives one line out, so that a filter's output
/// lines up with its input.
fn take_record(bytes: &[u8], text: &mut String) -> Result<Range<usize>, String> {
    let record = match std::str::from_utf8(bytes) {
        Ok(record) => record,
        Err(e) => return Err(format!("invalid UTF-8 at byte {}", e.valid_up_to() + 1)),
    };
    let record = record_of(record);
    if record.is_empty() {
        return Err(BLANK_LINE.to_owned());
    }
    let start = text.len();
    text.push_str(record);
    Ok(start..text.len())
}

/// A line's record: without a byte-order mark and the whitespace around it (empty for a
/// blank line). Both ways of reading lines use it.
fn record_of(line: &str) -> &str {
    line.trim_start_matches('\u{feff}').trim()
}

impl<R: Read> JsonLines<R> {
    /// Take every whole line already in the reader's buffer that fits the block (in records
    /// and bytes) and is UTF-8, with the records [`take_record`] would make one by one;
    /// `false` if there was none. The lines are copied as they stand (the records are
    /// ranges of them), so the block's byte limit counts blank lines and blanks around
    /// records too. Nothing is read here: an empty buffer is filled, and a read error
    /// reported, by the line-by-line reading.
    fn take_whole_lines(&mut self, text: &mut String, records: &mut Vec<Record>) -> bool {
        let room = self.block_records.saturating_sub(records.len());
        let available = self.reader.buffer();
        let available = &available[..available
            .len()
            .min(MAX_CHUNK_BYTES.saturating_sub(text.len()))];
        // Up to and with the last line break of the first `room` lines.
        let Some(cut) = memchr::memchr_iter(b'\n', available)
            .take(room)
            .last()
            .map(|at| at + 1)
        else {
            return false;
        };
        let lines = match std::str::from_utf8(&available[..cut]) {
            Ok(lines) => lines,
            // The lines before the first one that is not UTF-8 (which is then reported
            // on its own).
            Err(e) => match memchr::memrchr(b'\n', &available[..e.valid_up_to()]) {
                Some(at) => std::str::from_utf8(&available[..=at]).expect("valid up to here"),
                None => return false,
            },
        };
        let start = text.len();
        text.push_str(lines);
        let mut at = 0;
        for end in memchr::memchr_iter(b'\n', lines.as_bytes()) {
            self.line += 1;
            // Line breaks are ASCII, so these are character boundaries.
            let content = &lines[at..end];
            let content = content.strip_suffix('\r').unwrap_or(content);
            let record = record_of(content);
            let offset = start + at + (record.as_ptr() as usize - content.as_ptr() as usize);
            let text = if record.is_empty() {
                Err(Box::new(Diagnostic::at_line(
                    &self.source,
                    self.line,
                    None,
                    BLANK_LINE,
                )))
            } else {
                Ok(offset..offset + record.len())
            };
            records.push(Record {
                line: self.line,
                text,
            });
            at = end + 1;
        }
        let taken = lines.len();
        self.reader.consume(taken);
        true
    }
}

impl<R: Read> Iterator for JsonLines<R> {
    type Item = StateInput;

    fn next(&mut self) -> Option<StateInput> {
        let mut text = String::with_capacity((self.last_block + 1024).min(MAX_CHUNK_BYTES));
        let mut records = Vec::with_capacity(self.block_records.min(4096));
        while !self.done && records.len() < self.block_records && text.len() < MAX_CHUNK_BYTES {
            // A block also ends when what has been read holds no whole line: the records
            // so far are checked and written while more input is awaited, so a line in
            // (from a live stream) is a line out, not a block later, even when the writer
            // has already sent the start of the next line.
            // (An empty buffer is not filled here: filling it could wait for input.)
            if !records.is_empty() && self.reader.buffer().is_empty() && !self.input_ready() {
                break;
            }
            // Most lines lie whole in the reader's buffer, many at a time: those are
            // checked and copied into the block together.
            if self.take_whole_lines(&mut text, &mut records) {
                continue;
            }
            // A line at the end of the buffer, or one that is not UTF-8: looked at alone.
            let in_buffer = match self.reader.fill_buf() {
                Ok(available) => memchr::memchr(b'\n', available).map(|end| {
                    let bytes = &available[..end];
                    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
                    let record = if bytes.len() as u64 > MAX_FILE_BYTES {
                        Err(limit_message())
                    } else {
                        take_record(bytes, &mut text)
                    };
                    (record, end + 1)
                }),
                // Reported by the reading below.
                Err(_) => None,
            };
            // Only part of a line is here: reading the rest could wait for input.
            if in_buffer.is_none() && !records.is_empty() && !self.input_ready() {
                break;
            }
            self.line += 1;
            let line = self.line;
            let record = match in_buffer {
                Some((record, used)) => {
                    self.reader.consume(used);
                    record
                }
                None => match self.read_line() {
                    Ok(false) => {
                        self.done = true;
                        break;
                    }
                    Err(message) => Err(message),
                    Ok(true) => take_record(&self.buf, &mut text),
                },
            };
            records.push(Record {
                line,
                text: record
                    .map_err(|m| Box::new(Diagnostic::at_line(&self.source, line, None, m))),
            });
        }
        // A line near the limit leaves a large buffer behind; do not keep it.
        if self.buf.capacity() > 64 * 1024 {
            self.buf = Vec::new();
        }
        if records.is_empty() {
            return None;
        }
        self.last_block = text.len();
        let idle = !self.done && memchr::memchr(b'\n', self.reader.buffer()).is_none();
        Some(StateInput::Lines(LineBlock {
            idle,
            stopped: self.stopped,
            source: Arc::clone(&self.source),
            safe_source: Arc::clone(&self.safe_source),
            json_source: Arc::clone(&self.json_source),
            text,
            records,
        }))
    }
}

/// Run `work` over `inputs` on `workers` long-lived threads, in chunks that weigh at least
/// `chunk` (each input weighs `weight`, at least 1: here, the states it holds), and hand
/// the results to `write` in input order on the calling thread. `work` is told which
/// worker (0 to `workers - 1`) runs it, for state of its own.
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
    work: impl Fn(usize, &T) -> U + Sync,
    mut write: impl FnMut(U) -> bool,
) where
    T: Send,
    U: Send,
{
    use std::collections::BTreeMap;
    use std::sync::Mutex;
    use std::sync::mpsc::sync_channel;

    let workers = workers.max(1);
    std::thread::scope(|scope| {
        let (job_tx, job_rx) = sync_channel::<(usize, Vec<T>)>(workers);
        let (done_tx, done_rx) = sync_channel::<(usize, Vec<U>)>(workers);
        // Shared by the workers only: when they have all stopped, the feeder's sends fail.
        let job_rx = Arc::new(Mutex::new(job_rx));
        let work = &work;
        for worker in 0..workers {
            let job_rx = Arc::clone(&job_rx);
            let done_tx = done_tx.clone();
            scope.spawn(move || {
                loop {
                    let job = job_rx
                        .lock()
                        .map_err(|_| ())
                        .and_then(|rx| rx.recv().map_err(|_| ()));
                    let Ok((seq, items)) = job else { break };
                    let results = items.iter().map(|item| work(worker, item)).collect();
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
                let mut weighed = 0;
                while weighed < chunk {
                    let Some(item) = inputs.next() else { break };
                    weighed += weight(&item).max(1);
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

/// A JSON object's fields in order, each value as its text (see [`LineInput::key`]).
struct Pairs<'a>(Vec<(std::borrow::Cow<'a, str>, &'a serde_json::value::RawValue)>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Pairs<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PairsVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for PairsVisitor<'a> {
            type Value = Pairs<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Self::Value, M::Error> {
                let mut pairs = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    pairs.push(entry);
                }
                Ok(Pairs(pairs))
            }
        }
        deserializer.deserialize_map(PairsVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// A reader that hands out its pieces one per read, like a live stream.
    struct Trickle(std::collections::VecDeque<Vec<u8>>);

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let Some(piece) = self.0.pop_front() else {
                return Ok(0);
            };
            buf[..piece.len()].copy_from_slice(&piece);
            Ok(piece.len())
        }
    }

    fn records(input: &StateInput) -> usize {
        match input {
            StateInput::Lines(block) => block.lines().count(),
            _ => panic!("JSON Lines give blocks of records"),
        }
    }

    #[test]
    fn a_block_ends_when_the_input_read_so_far_is_used_up() {
        // Lines arriving one read at a time are checked as they come, not once a block
        // of them has arrived.
        let pieces = (0..5).map(|i| format!("{{\"app\":\"a{i}\"}}\n").into_bytes());
        let blocks: Vec<_> = JsonLines::new(Trickle(pieces.collect()), "live")
            .block_records(1024)
            .collect();
        assert_eq!(blocks.iter().map(records).collect::<Vec<_>>(), [1; 5]);
        // Read at once, they share a block.
        let all = "{}\n".repeat(5);
        let blocks: Vec<_> = JsonLines::new(all.as_bytes(), "file")
            .block_records(1024)
            .collect();
        assert_eq!(blocks.iter().map(records).collect::<Vec<_>>(), [5]);
    }

    /// Every record of `blocks`: its line, and its text or error message.
    fn records_of(
        blocks: impl Iterator<Item = StateInput>,
    ) -> Vec<(usize, Result<String, String>)> {
        let mut all = Vec::new();
        for block in blocks {
            let StateInput::Lines(block) = block else {
                panic!("JSON Lines give blocks of records");
            };
            for line in block.lines() {
                let text = line
                    .text()
                    .map(str::to_owned)
                    .map_err(|e| e.message.clone());
                all.push((line.line(), text));
            }
        }
        all
    }

    #[test]
    fn whole_lines_taken_together_read_as_lines_taken_one_by_one() {
        // Lines read many at a time from the buffer, and the same lines arriving a byte
        // per read (each then read on its own): the same records, errors and numbers.
        let mut input = Vec::new();
        for i in 0..300 {
            let line: &[u8] = match i % 10 {
                0 => b"",
                1 => b"   \t ",
                2 => b"\xef\xbb\xbf{\"app\":\"a\"}",
                3 => b"{\"app\":\"b\"}\r",
                4 => b"  {\"app\":\"c\"}\xe3\x80\x80",
                5 => b"{\"app\":\"\xff\"}",
                6 => b"\r",
                _ => b"{\"app\":\"douyin\",\"settings\":{}}",
            };
            input.extend_from_slice(line);
            input.push(b'\n');
        }
        input.extend_from_slice(b"{\"app\":\"last\"}");
        let together = records_of(JsonLines::new(&input[..], "s").block_records(64));
        let bytes = input.iter().map(|&b| vec![b]).collect();
        let one_by_one = records_of(JsonLines::new(Trickle(bytes), "s").block_records(64));
        assert_eq!(together.len(), 301);
        assert_eq!(together, one_by_one);
        assert_eq!(together[3], (4, Ok("{\"app\":\"b\"}".to_owned())));
        assert!(together[5].1.as_ref().is_err_and(|e| e.contains("UTF-8")));
    }

    #[test]
    fn blocks_of_long_records_are_bounded_in_bytes_and_fill_a_chunk_each() {
        // Records of 1.5 MiB: one per block, and each block weighs a whole chunk, so a
        // chunk of the pipeline never holds 64 such records.
        let record = format!("{{\"app\":\"{}\"}}\n", "x".repeat(3 << 19));
        let input = record.repeat(3);
        let blocks: Vec<_> = JsonLines::new(input.as_bytes(), "long").collect();
        assert_eq!(blocks.iter().map(records).collect::<Vec<_>>(), [1, 1, 1]);
        assert!(blocks.iter().all(|b| b.weight() == CHUNK));
        assert_eq!(StateInput::NotAFile(PathBuf::from("x")).weight(), 1);
    }

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
            |_, &i| {
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
