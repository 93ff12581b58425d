//! A profile's setting and option ids laid out for the fast binder's lookups.
//!
//! A state names a few settings and options by id; looking each up in the profile itself
//! reads a setting's struct, its id's heap block and each option's, scattered over memory
//! and mostly out of cache by the time the next state comes. Here all of a profile's ids
//! lie in one string, with their places and lengths in two small arrays, and ids are
//! compared inline: a state's lookups touch a few cache lines.

use crate::profile::Profile;
use rustc_hash::FxHashMap;

/// Profiles with at most this many settings are searched by a scan, which passes over
/// every setting whose id has another length without reading it; larger ones by hash.
const MAX_SCANNED: usize = 32;

/// Where an id (or a setting's options) lies: start and length.
#[derive(Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
}

impl Span {
    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// One setting: its id in the text, and its options' spans in `options`.
struct SettingIds {
    id: Span,
    options: Span,
}

/// The ids of one profile (see the module's text).
pub(super) struct ProfileIds<'p> {
    text: String,
    settings: Vec<SettingIds>,
    options: Vec<Span>,
    /// Every id (the app's too) is plain JSON and TOML string content: no quote, backslash
    /// or control character (DEL included). Profiles loaded from files always are (ids are kebab-case).
    plain: bool,
    /// Setting ids, for profiles too large to scan. The keys are the profile's own ids
    /// (not chosen by whoever wrote the states), so a fast unkeyed hash is safe.
    by_id: Option<FxHashMap<&'p str, usize>>,
}

impl<'p> ProfileIds<'p> {
    /// `None` if the ids do not fit 32-bit offsets (a profile is far smaller).
    pub(super) fn new(profile: &'p Profile) -> Option<Self> {
        let mut text = String::new();
        let mut options = Vec::new();
        let span = |text: &mut String, id: &str| -> Option<Span> {
            let start = u32::try_from(text.len()).ok()?;
            text.push_str(id);
            let len = u32::try_from(id.len()).ok()?;
            start.checked_add(len)?;
            Some(Span { start, len })
        };
        let mut settings = Vec::with_capacity(profile.settings.len());
        for setting in &profile.settings {
            let id = span(&mut text, &setting.id)?;
            let first = u32::try_from(options.len()).ok()?;
            for option in &setting.options {
                options.push(span(&mut text, &option.id)?);
            }
            let count = u32::try_from(setting.options.len()).ok()?;
            settings.push(SettingIds {
                id,
                options: Span {
                    start: first,
                    len: count,
                },
            });
        }
        let by_id = (profile.settings.len() > MAX_SCANNED).then(|| {
            let mut ids =
                FxHashMap::with_capacity_and_hasher(profile.settings.len(), Default::default());
            // A profile's setting ids are unique (validated on load); should two be
            // equal, the first is the one found, as by a scan.
            for (i, s) in profile.settings.iter().enumerate().rev() {
                ids.insert(s.id.as_str(), i);
            }
            ids
        });
        let plain = !(profile.app.id.bytes().chain(text.bytes()))
            .any(|b| b < 0x20 || b == 0x7f || b == b'"' || b == b'\\');
        Some(ProfileIds {
            plain,
            text,
            settings,
            options,
            by_id,
        })
    }

    /// Every id is plain JSON string content (see the field).
    pub(super) fn plain(&self) -> bool {
        self.plain
    }

    fn id(&self, span: Span) -> &[u8] {
        &self.text.as_bytes()[span.range()]
    }

    /// The id of setting `index`, if there is one.
    pub(super) fn setting_id(&self, index: usize) -> Option<&[u8]> {
        self.settings.get(index).map(|s| self.id(s.id))
    }

    /// The ids of setting `setting`'s options, in order.
    pub(super) fn option_ids(&self, setting: usize) -> impl Iterator<Item = &[u8]> {
        let spans = &self.options[self.settings[setting].options.range()];
        spans.iter().map(|&o| self.id(o))
    }

    /// The index of the setting `id`, trying `guess` first: exported states usually list
    /// settings in the profile's order, so the one after the last is a good guess.
    #[inline]
    pub(super) fn setting(&self, id: &str, guess: usize) -> Option<usize> {
        let id = id.as_bytes();
        if let Some(guessed) = self.settings.get(guess)
            && same(self.id(guessed.id), id)
        {
            return Some(guess);
        }
        match &self.by_id {
            Some(by_id) => by_id.get(std::str::from_utf8(id).ok()?).copied(),
            None => self
                .settings
                .iter()
                .position(|s| s.id.len as usize == id.len() && same(self.id(s.id), id)),
        }
    }

    /// The index of option `id` of setting `setting`.
    #[inline]
    pub(super) fn option(&self, setting: usize, id: &str) -> Option<usize> {
        let id = id.as_bytes();
        let spans = &self.options[self.settings[setting].options.range()];
        spans
            .iter()
            .position(|&o| o.len as usize == id.len() && same(self.id(o), id))
    }
}

/// `a == b`, inline: ids are short, and a call to the C library's comparison for each
/// costs more than comparing them here a word at a time.
#[inline]
pub(super) fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| u64::from_ne_bytes(s[at..at + 8].try_into().expect("8 bytes"));
    if n >= 8 {
        // Whole words, the last one overlapping the one before when `n` is not a multiple.
        let mut at = 0;
        while at + 8 < n {
            if word(a, at) != word(b, at) {
                return false;
            }
            at += 8;
        }
        return word(a, n - 8) == word(b, n - 8);
    }
    let half = |s: &[u8], at: usize| u32::from_ne_bytes(s[at..at + 4].try_into().expect("4 bytes"));
    if n >= 4 {
        return half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4);
    }
    (0..n).all(|i| a[i] == b[i])
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn same_is_equality_at_every_length() {
        // Every length up to 40, differing at each place in turn, including the bytes
        // only an overlapping word reads.
        for n in 0..=40usize {
            let a: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(same(&a, &a.clone()), "{n}");
            for at in 0..n {
                let mut b = a.clone();
                b[at] ^= 0x20;
                assert!(!same(&a, &b), "length {n}, differing at {at}");
            }
            let mut longer = a.clone();
            longer.push(b'x');
            assert!(!same(&a, &longer) && !same(&longer, &a), "{n}");
        }
    }
}
