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

/// Profiles whose selections number at most this many are memoised in a table indexed by
/// the selection's number (see [`SelectionCodes`]): no hashing at all.
const MAX_TABLE_CODES: u64 = 1 << 14;

/// How a profile's selections are numbered: each setting is a digit of a mixed-radix
/// number (0 for left unset, 1 + the option chosen), so every selection without waivers
/// has its own number below `count`. For profiles whose selections fit in 64 bits.
pub(super) struct SelectionCodes {
    strides: Box<[u64]>,
    count: u64,
}

impl SelectionCodes {
    /// The numbering of `profile`'s selections, if they fit in 64 bits.
    pub(super) fn of(profile: &crate::profile::Profile) -> Option<SelectionCodes> {
        // A state's settings are told apart by a 64-bit mask (see `Bound::code`).
        if profile.settings.len() > 64 {
            return None;
        }
        let mut count: u64 = 1;
        let mut strides = Vec::with_capacity(profile.settings.len());
        for setting in &profile.settings {
            strides.push(count);
            let radix = u64::try_from(setting.options.len() + 1).ok()?;
            count = count.checked_mul(radix)?;
        }
        Some(SelectionCodes {
            strides: strides.into(),
            count,
        })
    }

    /// Few enough selections for a table with a place for each.
    fn tabled(&self) -> Option<usize> {
        (self.count <= MAX_TABLE_CODES).then_some(self.count as usize)
    }
}

/// Where a state's line is remembered, if anywhere.
#[derive(Clone, Copy)]
enum Slot {
    /// By its selection's number (see [`SelectionCodes`]).
    Code(u64),
    /// By its [`Bound::key`](crate::state::Bound::key), held in `Lines::key`.
    Key,
    /// Not remembered: it has waivers, or its profile is too large.
    None,
}

/// A worker's memo of JSON lines: for a selection (the profile and the option of each
/// setting, no waivers), whether it fails the check and its line after the state's name.
/// A report depends on nothing else, so states set alike (most keep most defaults) are
/// checked once per worker; the tests compare the output with the straightforward path's.
#[derive(Default)]
pub(super) struct Memo {
    /// The lines of selections with a number (see [`SelectionCodes`]).
    coded: Vec<MemoLine>,
    /// By profile, for profiles with few selections: the place in `coded` of each
    /// selection's line, or [`NOT_KEPT`]; empty until the profile's first state.
    tables: Vec<Vec<u32>>,
    /// For other numbered selections: the place in `coded` by profile and number. The
    /// numbers come from the states (which options they set), so they are hashed with the
    /// standard library's keyed hash: whoever wrote the states cannot make them collide.
    by_code: std::collections::HashMap<(usize, u64), u32>,
    /// Lines of selections of profiles too large to number, by
    /// [`Bound::key`](crate::state::Bound::key) (keyed hash too).
    keyed: std::collections::HashMap<Box<[u8]>, MemoLine>,
    bytes: usize,
}

/// A selection whose line is not in a table.
const NOT_KEPT: u32 = u32::MAX;

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
    /// How many lines are remembered.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.coded.len() + self.keyed.len()
    }

    fn get(&self, profile: usize, slot: Slot, key: &[u8]) -> Option<&MemoLine> {
        match slot {
            Slot::Code(code) => {
                let at = match self.tables.get(profile).filter(|t| !t.is_empty()) {
                    Some(table) => *table.get(usize::try_from(code).ok()?)?,
                    None => *self.by_code.get(&(profile, code))?,
                };
                self.coded.get(at as usize)
            }
            Slot::Key => self.keyed.get(key),
            Slot::None => None,
        }
    }

    /// Remember a line's rest, while there is room (first come, first kept).
    fn keep(
        &mut self,
        profile: usize,
        codes: Option<&SelectionCodes>,
        slot: Slot,
        key: &[u8],
        line: MemoLine,
    ) {
        // The map's entry and the boxes' own bookkeeping count too.
        let size = ENTRY_OVERHEAD
            + match &line.rest {
                Rest::Bytes(bytes) => bytes.len(),
                Rest::Parts(parts) => parts.size(),
            };
        match slot {
            Slot::Code(code) => {
                let Ok(at) = u32::try_from(self.coded.len()) else {
                    return;
                };
                match codes.and_then(SelectionCodes::tabled) {
                    Some(count) => {
                        if self.tables.len() <= profile {
                            self.tables.resize_with(profile + 1, Vec::new);
                        }
                        // The profile's table is made with its first line, and counts too.
                        let new_table = self.tables[profile].is_empty();
                        let table_bytes = if new_table {
                            count * size_of::<u32>()
                        } else {
                            0
                        };
                        if self.bytes + size + table_bytes > MEMO_BYTES {
                            return;
                        }
                        let table = &mut self.tables[profile];
                        if new_table {
                            *table = vec![NOT_KEPT; count];
                        }
                        let Some(place) = usize::try_from(code).ok().and_then(|c| table.get_mut(c))
                        else {
                            return;
                        };
                        *place = at;
                        self.bytes += size + table_bytes;
                    }
                    None => {
                        if self.bytes + size > MEMO_BYTES {
                            return;
                        }
                        self.by_code.insert((profile, code), at);
                        self.bytes += size;
                    }
                }
                self.coded.push(line);
            }
            Slot::Key => {
                if self.bytes + size + key.len() <= MEMO_BYTES {
                    self.bytes += size + key.len();
                    self.keyed.insert(key.into(), line);
                }
            }
            Slot::None => {}
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
        let codes = checker.codes[index].as_ref();
        let slot = match codes.and_then(|c| self.bound.code(&c.strides)) {
            Some(code) => Slot::Code(code),
            None if profile.settings.len() <= MEMO_MAX_SETTINGS
                && self.bound.key(profile.settings.len(), &mut self.key) =>
            {
                Slot::Key
            }
            None => Slot::None,
        };
        if let Some(memo) = &self.memo
            && let Some(remembered) = memo.get(index, slot, &self.key)
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
        if !matches!(slot, Slot::None)
            && let Some(memo) = &mut self.memo
        {
            let written = &self.bytes[rest..];
            let kept = if written.len() <= MAX_REST_BYTES {
                Some(Rest::Bytes(written.into()))
            } else {
                cache.rest_parts(&checked, checker.detail).map(Rest::Parts)
            };
            if let Some(rest) = kept {
                memo.keep(index, codes, slot, &self.key, MemoLine { fails, rest });
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
