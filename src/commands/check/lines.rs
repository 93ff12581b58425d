//! JSON lines written the fast way: a state bound straight to setting indices, and a line
//! for a selection the worker has seen put together from remembered bytes.

use super::checker::{Checker, Done};
use crate::diag::Diagnostic;
use crate::report::Checked;
use crate::report::json::{self, RestParts};
use crate::state::Bound;
use std::sync::MutexGuard;

/// Profiles with more settings are not memoised: their keys would be long, and states
/// of such profiles rarely repeat.
const MEMO_MAX_SETTINGS: usize = 256;

/// How many bytes of lines a worker's memo holds.
const MEMO_BYTES: usize = 4 * 1024 * 1024;

/// A worker's memo of JSON lines: for a selection (a [`Bound::key`]: the profile and the
/// option of each setting, no waivers), whether it fails the check and its line after the
/// state's name. A report depends on nothing else, so states set alike (most keep most
/// defaults) are checked once per worker; the tests compare the output with the
/// straightforward path's.
#[derive(Default)]
pub(super) struct Memo {
    /// Keys come from the states (which options they set), so they are hashed with the
    /// standard library's keyed hash: whoever wrote the states cannot make them collide.
    pub(super) lines: std::collections::HashMap<Box<[u8]>, MemoLine>,
    bytes: usize,
}

/// A remembered line: whether it fails the check, and what follows the state's name.
pub(super) struct MemoLine {
    fails: bool,
    rest: Rest,
}

/// What follows the state's name: the bytes themselves when they are few, else parts
/// pointing into the profile's [`LineCache`](crate::report::json::LineCache) (a full line
/// is about 11 KB, its parts a few hundred bytes, so every selection of a profile fits).
enum Rest {
    Bytes(Box<[u8]>),
    Parts(RestParts),
}

/// Bytes a memo entry takes besides its key and rest (map slot, box headers).
const ENTRY_OVERHEAD: usize = 96;

/// Rests up to this long are kept as bytes (one copy to write them).
const MAX_REST_BYTES: usize = 2048;

impl Memo {
    /// Remember a line's rest, while there is room (first come, first kept).
    fn keep(&mut self, key: &[u8], fails: bool, rest: Rest) {
        // The map's entry and the boxes' own bookkeeping count too.
        let size = ENTRY_OVERHEAD
            + key.len()
            + match &rest {
                Rest::Bytes(bytes) => bytes.len(),
                Rest::Parts(parts) => parts.size(),
            };
        if self.bytes + size <= MEMO_BYTES {
            self.bytes += size;
            self.lines.insert(key.into(), MemoLine { fails, rest });
        }
    }
}

/// JSON lines of an input (a block of records, a state file) the fast way, into one
/// buffer: a state bound straight to setting indices ([`FastBinder`](crate::state::FastBinder)) whose selection
/// this worker has seen is written from the profile's head, the state's name and the rest
/// of that earlier line ([`Memo`]); any other state is checked and written as usual.
pub(super) struct Lines<'c, 'a> {
    checker: &'c Checker<'a>,
    memo: Option<MutexGuard<'c, Memo>>,
    rendering: bool,
    /// The state just bound by the fast binder.
    pub(super) bound: Bound,
    key: Vec<u8>,
    /// The state file being read.
    pub(super) file: Vec<u8>,
    bytes: Vec<u8>,
    states: usize,
    failed: bool,
    bad_input: bool,
}

impl<'c, 'a> Lines<'c, 'a> {
    pub(super) fn new(checker: &'c Checker<'a>, worker: usize, rendering: bool) -> Self {
        Lines {
            checker,
            memo: checker.memos.get(worker).and_then(|m| m.lock().ok()),
            rendering,
            bound: Bound::default(),
            key: Vec::new(),
            file: Vec::new(),
            bytes: checker.buffer(),
            states: 0,
            failed: false,
            bad_input: false,
        }
    }

    /// The state in `self.bound`, named by `write_name` (a JSON string).
    pub(super) fn write_bound(&mut self, write_name: impl Fn(&mut Vec<u8>)) {
        let checker = self.checker;
        self.states += 1;
        let index = self.bound.profile;
        let profile = checker.auditors[index].profile;
        let cache = &checker.caches[index];
        let head = cache.head(checker.detail);
        let memoable = profile.settings.len() <= MEMO_MAX_SETTINGS
            && self.bound.key(profile.settings.len(), &mut self.key);
        if memoable
            && let Some(memo) = &self.memo
            && let Some(remembered) = memo.lines.get(&self.key[..])
        {
            self.failed |= remembered.fails;
            if self.rendering {
                self.bytes.extend_from_slice(head);
                write_name(&mut self.bytes);
                json::write_key(&mut self.bytes, Some(&self.bound.key));
                match &remembered.rest {
                    Rest::Bytes(bytes) => self.bytes.extend_from_slice(bytes),
                    Rest::Parts(parts) => cache.write_parts(&mut self.bytes, parts, checker.detail),
                }
            }
            return;
        }
        let checked = checker.report(index, &self.bound.selection(profile), None);
        let fails = checker.gate.fails(&checked.report);
        self.failed |= fails;
        let start = self.bytes.len();
        self.bytes.extend_from_slice(head);
        write_name(&mut self.bytes);
        json::write_key(&mut self.bytes, Some(&self.bound.key));
        let rest = self.bytes.len();
        cache.write_rest(&mut self.bytes, &checked, checker.style, checker.detail);
        if memoable && let Some(memo) = &mut self.memo {
            let written = &self.bytes[rest..];
            let kept = if written.len() <= MAX_REST_BYTES {
                Some(Rest::Bytes(written.into()))
            } else {
                cache.rest_parts(&checked, checker.detail).map(Rest::Parts)
            };
            if let Some(kept) = kept {
                memo.keep(&self.key, fails, kept);
            }
        }
        if !self.rendering {
            self.bytes.truncate(start);
        }
    }

    /// A state checked the straightforward way (or that could not be checked: `describe`
    /// gives its name and its record key, if any, for the error line).
    pub(super) fn checked(
        &mut self,
        checked: Result<Checked<'a>, Diagnostic>,
        describe: impl FnOnce() -> (String, Option<String>),
    ) {
        self.states += 1;
        match checked {
            Ok(checked) => {
                self.failed |= self.checker.gate.fails(&checked.report);
                if self.rendering {
                    self.checker.write_line(&mut self.bytes, &checked);
                }
            }
            Err(problem) => {
                self.bad_input = true;
                if !self.checker.errors_in_band {
                    crate::diag::print_error(&problem);
                }
                if self.rendering {
                    let (name, key) = describe();
                    json::write_error_line(&mut self.bytes, &name, key.as_deref(), &problem);
                }
            }
        }
    }

    pub(super) fn done(self) -> Done<'a> {
        Done::Lines {
            bytes: self.bytes,
            states: self.states,
            failed: self.failed,
            bad_input: self.bad_input,
        }
    }
}
