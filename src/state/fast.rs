//! The fast way from a JSON account state to a [`Selection`], for batches of millions.
//!
//! [`parse_state_json`](super::parse_state_json) builds an [`AccountState`](super::AccountState)
//! with an owned, sanitised copy of every key and value, then [`bind`](super::AccountState::bind)
//! looks each one up by scanning the profile. That is what a single state needs, and it
//! words every error. Here a well-formed state goes straight from the line to setting
//! indices: strings are borrowed from the line, ids are found in hash maps, nothing is
//! sanitised because nothing but a waiver's reason is kept.
//!
//! It only ever answers for states the straightforward path accepts, with the same
//! selection: anything it does not take as it is (an escape in a string, an unknown app,
//! setting or option, a bad date, a type error) gives `None`, and the caller asks the
//! straightforward path, which decides and words the error. A test compares both paths'
//! output on generated lines.

use super::{Pos, Selection, Waiver};
use crate::date::Date;
use crate::profile::Profile;
use crate::text::sanitize;
use rustc_hash::FxHashMap as HashMap;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// Setting and option ids of the profiles being checked, indexed for lookups. The keys are
/// the profiles' own ids (short, and not chosen by whoever wrote the states), so a fast
/// non-cryptographic hash is safe: a lookup of a hostile string costs one hash and at
/// most a few comparisons.
pub struct FastBinder<'p> {
    apps: HashMap<&'p str, usize>,
    settings: Vec<HashMap<&'p str, usize>>,
    profiles: Vec<&'p Profile>,
}

impl<'p> FastBinder<'p> {
    pub fn new(profiles: impl IntoIterator<Item = &'p Profile>) -> Self {
        let profiles: Vec<&Profile> = profiles.into_iter().collect();
        let mut apps = HashMap::default();
        // The first profile of an app is the one a state is checked against, as when the
        // straightforward path searches the list.
        for (i, p) in profiles.iter().enumerate().rev() {
            apps.insert(p.app.id.as_str(), i);
        }
        let settings = profiles
            .iter()
            .map(|p| {
                let mut ids =
                    HashMap::with_capacity_and_hasher(p.settings.len(), Default::default());
                // A profile's setting ids are unique (validated on load); should two be
                // equal, the first is the one found, as by a scan.
                for (i, s) in p.settings.iter().enumerate().rev() {
                    ids.insert(s.id.as_str(), i);
                }
                ids
            })
            .collect();
        FastBinder {
            apps,
            settings,
            profiles,
        }
    }

    /// The index (into the profiles given to [`new`](Self::new)) of the profile the state
    /// on `line` is for, and the state bound to it; `None` when the straightforward path
    /// must decide.
    pub fn bind(&self, text: &str, line: usize) -> Option<(usize, Selection)> {
        // serde would also read a state from an array, by field order.
        if !text.trim_start().starts_with('{') {
            return None;
        }
        let raw: RawState<'_> = serde_json::from_str(text).ok()?;
        let index = *self.apps.get(raw.app)?;
        let profile = self.profiles[index];
        let ids = &self.settings[index];
        let mut selection = Selection::defaults(profile);
        for (setting, option) in raw.settings.0 {
            let s = *ids.get(setting)?;
            let o = profile.settings[s]
                .options
                .iter()
                .position(|o| o.id == option)?;
            selection.chosen[s] = Some(o);
        }
        for (setting, waiver) in raw.waivers.0 {
            let s = *ids.get(setting)?;
            let reason = sanitize(waiver.reason.trim());
            if reason.trim().is_empty() {
                return None;
            }
            let expires = match waiver.expires {
                None => None,
                Some(text) => Some(Date::parse(text)?),
            };
            selection.waivers[s] = Some(Waiver {
                setting: profile.settings[s].id.clone(),
                reason,
                expires,
                pos: Pos::Line(line),
            });
        }
        Some((index, selection))
    }
}

/// The shape [`parse_state_json`](super::parse_state_json) reads, with borrowed strings (a
/// string with an escape cannot be borrowed, and fails here).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawState<'a> {
    app: &'a str,
    #[serde(default, borrow)]
    settings: Pairs<'a, &'a str>,
    #[serde(default, borrow)]
    waivers: Pairs<'a, RawWaiver<'a>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver<'a> {
    reason: &'a str,
    #[serde(default)]
    expires: Option<&'a str>,
}

/// A JSON object's entries in order, without building a map.
struct Pairs<'a, V>(Vec<(&'a str, V)>);

impl<V> Default for Pairs<'_, V> {
    fn default() -> Self {
        Pairs(Vec::new())
    }
}

impl<'de: 'a, 'a, V: Deserialize<'de>> Deserialize<'de> for Pairs<'a, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PairsVisitor<'a, V>(PhantomData<(&'a (), V)>);
        impl<'de: 'a, 'a, V: Deserialize<'de>> Visitor<'de> for PairsVisitor<'a, V> {
            type Value = Pairs<'a, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(entry) = map.next_entry::<&'de str, V>()? {
                    pairs.push(entry);
                }
                Ok(Pairs(pairs))
            }
        }
        deserializer.deserialize_map(PairsVisitor(PhantomData))
    }
}
