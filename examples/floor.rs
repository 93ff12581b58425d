//! The floors that benches/speed.py compares privaudit against: the least any checker must
//! do with the same input, using the general parsers (toml, serde_json), on every core.
//! (privaudit reads the common shape of a state with its own scanners and leaves the rest
//! to these parsers.)
//!
//! - `floor profile FILE`: read one TOML file, parse it and print it as JSON.
//! - `floor states DIR`: read every `*.toml` in DIR (name order) and parse each (one open
//!   and read per file, toml's borrowed document tree), printing only a count.
//! - `floor lines FILE`: read a JSON Lines file of account states and parse each line with
//!   serde_json into a typed state with borrowed strings, printing only a count (the parse
//!   floor).
//! - `floor lines-emit FILE BYTES`: the same, and write one line of BYTES bytes per state
//!   (its app id, then the rest copied from a line kept in memory), in input order (the
//!   parse-and-emit floor). BYTES is the mean length of privaudit's output line, so both
//!   copy and write the same amount.

use serde::Deserialize;
use std::io::{Read, Write};
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize| args.get(i).map(String::as_str);
    match (arg(1), arg(2), arg(3)) {
        (Some("profile"), Some(file), None) => {
            let text = std::fs::read_to_string(file).expect("readable file");
            let value: toml::Value = toml::from_str(&text).expect("valid TOML");
            println!("{}", serde_json::to_string(&value).expect("serialisable"));
        }
        (Some("states"), Some(dir), None) => states(dir),
        (Some("lines"), Some(file), None) => {
            let parsed = lines(file, None);
            println!("{parsed}");
        }
        (Some("lines-emit"), Some(file), Some(bytes)) => {
            lines(file, Some(bytes.parse().expect("a byte count")));
        }
        _ => {
            eprintln!(
                "usage: floor profile FILE | floor states DIR | floor lines FILE \
                 | floor lines-emit FILE BYTES"
            );
            std::process::exit(2);
        }
    }
}

fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn states(dir: &str) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable directory")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    // One directory: the whole paths compare as bytes (comparing them component by
    // component, as `sort` does, is slower and gives the same order).
    files.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    // Workers take the next 64 files as they finish (a fixed half each would leave one
    // core idle when the other half is slower).
    let next = std::sync::atomic::AtomicUsize::new(0);
    let parsed: usize = std::thread::scope(|scope| {
        (0..workers())
            .map(|_| {
                scope.spawn(|| {
                    // One open, reads to the end into a reused buffer, one close; the
                    // parser's borrowed tree (what privaudit walks).
                    let mut bytes = Vec::new();
                    let mut parsed = 0;
                    loop {
                        let start = next.fetch_add(64, std::sync::atomic::Ordering::Relaxed);
                        let Some(part) = files.get(start..(start + 64).min(files.len())) else {
                            break parsed;
                        };
                        for p in part {
                            bytes.clear();
                            let file = std::fs::File::open(p).expect("readable file");
                            // Through `take`: `File::read_to_end` would stat the file
                            // and ask its position first, to size the buffer.
                            file.take(u64::MAX)
                                .read_to_end(&mut bytes)
                                .expect("readable file");
                            let text = std::str::from_utf8(&bytes).expect("UTF-8");
                            parsed += usize::from(toml::de::DeTable::parse(text).is_ok());
                        }
                    }
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .sum()
    });
    println!("{parsed}");
}

/// An account state as privaudit reads it, with every string borrowed from the line.
#[derive(Deserialize)]
#[allow(dead_code)]
struct State<'a> {
    app: &'a str,
    #[serde(default, borrow)]
    settings: Pairs<'a, &'a str>,
    #[serde(default, borrow)]
    waivers: Pairs<'a, Waiver<'a>>,
}

/// An object's entries in order, without building a map (the least a checker can keep).
#[allow(dead_code)]
struct Pairs<'a, V>(Vec<(&'a str, V)>);

impl<V> Default for Pairs<'_, V> {
    fn default() -> Self {
        Pairs(Vec::new())
    }
}

impl<'de: 'a, 'a, V: Deserialize<'de>> Deserialize<'de> for Pairs<'a, V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PairsVisitor<'a, V>(std::marker::PhantomData<(&'a (), V)>);
        impl<'de: 'a, 'a, V: Deserialize<'de>> serde::de::Visitor<'de> for PairsVisitor<'a, V> {
            type Value = Pairs<'a, V>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Self::Value, M::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(entry) = map.next_entry::<&'de str, V>()? {
                    pairs.push(entry);
                }
                Ok(Pairs(pairs))
            }
        }
        deserializer.deserialize_map(PairsVisitor(std::marker::PhantomData))
    }
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Waiver<'a> {
    reason: &'a str,
    expires: Option<&'a str>,
}

/// Read FILE in blocks of whole lines; workers parse each block's lines (and render the
/// output lines into one buffer per block); blocks are written in input order. A block
/// holds at most 1 MiB of input and, when emitting, about 1 MiB of output, so buffers stay
/// in cache and memory stays flat.
fn lines(file: &str, emit: Option<usize>) -> usize {
    use std::sync::mpsc::sync_channel;
    use std::sync::{Arc, Mutex};
    const BLOCK: usize = 1 << 20;
    let max_lines = emit.map_or(usize::MAX, |bytes| (BLOCK / bytes.max(1)).clamp(16, 4096));
    // A line of BYTES bytes to copy from (a line break at its end).
    let mut template = vec![b' '; emit.unwrap_or(1).max(1)];
    *template.last_mut().expect("at least one byte") = b'\n';
    let template = &template;
    let mut input = std::fs::File::open(file).expect("readable file");
    let workers = workers();
    std::thread::scope(|scope| {
        let (job_tx, job_rx) = sync_channel::<(usize, Vec<u8>)>(workers);
        let (done_tx, done_rx) = sync_channel::<(usize, usize, Vec<u8>)>(workers);
        let job_rx = Arc::new(Mutex::new(job_rx));
        // Output buffers go back to the workers once written: fresh ones would cost a page
        // fault per 4 KiB written.
        let pool: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
        for _ in 0..workers {
            let job_rx = Arc::clone(&job_rx);
            let done_tx = done_tx.clone();
            let pool = Arc::clone(&pool);
            scope.spawn(move || {
                loop {
                    let job = job_rx.lock().expect("no panic").recv();
                    let Ok((seq, block)) = job else { break };
                    let mut out = pool.lock().expect("no panic").pop().unwrap_or_default();
                    let mut parsed = 0;
                    for line in block.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                        let text = std::str::from_utf8(line).expect("UTF-8");
                        if let Ok(state) = serde_json::from_str::<State<'_>>(text) {
                            parsed += 1;
                            if emit.is_some() {
                                // The app id, then the rest of the line copied from memory,
                                // as any program writing real content must.
                                let app = state.app.as_bytes();
                                out.extend_from_slice(app);
                                out.extend_from_slice(
                                    &template[app.len().min(template.len() - 1)..],
                                );
                            }
                        }
                    }
                    if done_tx.send((seq, parsed, out)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        scope.spawn(move || {
            let mut carry = Vec::new();
            let mut seq = 0;
            loop {
                let mut block = std::mem::take(&mut carry);
                let start = block.len();
                block.resize(start + BLOCK, 0);
                let n = input.read(&mut block[start..]).expect("readable file");
                block.truncate(start + n);
                if n == 0 {
                    if !block.is_empty() {
                        let _ = job_tx.send((seq, block));
                    }
                    break;
                }
                // Whole lines only: the tail after the last line break waits for the next read.
                let Some(end) = block.iter().rposition(|&b| b == b'\n') else {
                    carry = block;
                    continue;
                };
                carry = block.split_off(end + 1);
                // At most `max_lines` lines per block.
                let mut rest = &block[..];
                while !rest.is_empty() {
                    let cut = rest
                        .iter()
                        .enumerate()
                        .filter(|(_, b)| **b == b'\n')
                        .nth(max_lines - 1)
                        .map_or(rest.len(), |(i, _)| i + 1);
                    if job_tx.send((seq, rest[..cut].to_vec())).is_err() {
                        return;
                    }
                    seq += 1;
                    rest = &rest[cut..];
                }
            }
        });
        let mut stdout = std::io::stdout().lock();
        let mut waiting = std::collections::BTreeMap::new();
        let (mut next, mut parsed) = (0, 0);
        for (seq, count, out) in done_rx.iter() {
            waiting.insert(seq, (count, out));
            while let Some((count, out)) = waiting.remove(&next) {
                next += 1;
                parsed += count;
                stdout.write_all(&out).expect("writable stdout");
                let mut out = out;
                out.clear();
                pool.lock().expect("no panic").push(out);
            }
        }
        parsed
    })
}
