//! The fast way from an account state (a JSON record or a TOML file) to a [`Selection`],
//! for batches of millions.
//!
//! [`parse_state_json`](super::parse_state_json) and
//! [`parse_state_toml`](super::parse_state_toml) build an
//! [`AccountState`](super::AccountState) with an owned, sanitised copy of every key and
//! value, then [`bind`](super::AccountState::bind) looks each one up by scanning the
//! profile. That is what a single state needs, and it words every error. Here a
//! well-formed state goes straight from the text to setting indices: the common shape of a
//! state is read by a small scanner ([`scan`]), anything else by serde_json or toml with
//! borrowed strings; ids are looked up in a compact table of each profile's ids
//! ([`ids`]); nothing is sanitised because nothing but a waiver's reason is kept.
//!
//! It only ever answers for states the straightforward path accepts, with the same
//! selection: anything it does not take as it is (an escape in a string, an unknown app,
//! setting or option, a bad date, a type error) gives `None`, and the caller asks the
//! straightforward path, which decides and words the error. A test compares both paths'
//! output on generated lines.

use super::parse::toml_date;
use super::{Pos, Selection, Waiver};
use crate::date::Date;
use crate::profile::Profile;
use crate::text::sanitize;
use rustc_hash::FxHashMap as HashMap;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;
use toml::de::DeTable;

mod ids;
mod scan;
use ids::ProfileIds;

/// Setting and option ids of the profiles being checked, laid out for lookups (apps in a
/// hash map; settings by a scan of a small profile's ids or a hash map of a large one's).
/// The keys are the profiles' own ids (short, and not chosen by whoever wrote the states),
/// so a fast non-cryptographic hash is safe: a lookup of a hostile string costs at most
/// one hash or scan and a few comparisons.
pub struct FastBinder<'p> {
    /// The field of a JSON record that holds its key (see
    /// [`DEFAULT_KEY_FIELD`](super::DEFAULT_KEY_FIELD)).
    key_field: String,
    apps: HashMap<&'p str, usize>,
    /// Records of the common shape are read by [`scan_into`](Self::scan_into): not when
    /// the key field is named like one of that shape's fields.
    scan: bool,
    /// Per profile, its ids laid out for lookups (`None` only for a profile too large for
    /// them, whose states then take the straightforward path).
    ids: Vec<Option<ProfileIds<'p>>>,
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
        let ids = profiles.iter().map(|p| ProfileIds::new(p)).collect();
        FastBinder {
            key_field: super::DEFAULT_KEY_FIELD.to_owned(),
            apps,
            scan: true,
            ids,
            profiles,
        }
    }

    /// Records carry their key in the field `field` instead of the default.
    pub fn with_key_field(mut self, field: &str) -> Self {
        field.clone_into(&mut self.key_field);
        // Defence in depth: `--key` already refuses the state's own field names, which
        // the parsers read as those fields before the key.
        self.scan = !matches!(field, "app" | "settings" | "waivers");
        self
    }

    /// The index (into the profiles given to [`new`](Self::new)) of the profile the state
    /// on `line` is for, and the state bound to it; `None` when the straightforward path
    /// must decide.
    pub fn bind(&self, text: &str, line: usize) -> Option<(usize, Selection, Option<String>)> {
        let mut bound = Bound::default();
        self.bind_into(text, line, &mut bound).then(|| {
            let selection = bound.selection(self.profiles[bound.profile]);
            (bound.profile, selection, bound.record_key())
        })
    }

    /// [`bind`](Self::bind) into `bound`, which is reused from state to state; `false`
    /// when the straightforward path must decide.
    pub fn bind_into(&self, text: &str, line: usize, bound: &mut Bound) -> bool {
        // serde would also read a state from an array, by field order.
        if !text.trim_start().starts_with('{') {
            return false;
        }
        // Most records have the common shape, read without serde; then, usually `app`
        // comes first, and each setting is looked up as it is read; otherwise the entries
        // are collected first.
        if self.scan && self.scan_into(text, bound) {
            return true;
        }
        let mut reader = serde_json::Deserializer::from_str(text);
        let direct = StateSeed {
            binder: self,
            bound: &mut *bound,
            line,
        };
        if direct.deserialize(&mut reader).is_ok() && reader.end().is_ok() {
            return true;
        }
        self.bind_collected(text, line, bound)
    }

    /// [`bind_into`](Self::bind_into) by way of all entries collected first.
    fn bind_collected(&self, text: &str, line: usize, bound: &mut Bound) -> bool {
        bound.clear();
        let Ok(raw) = serde_json::from_str::<RawState<'_>>(text) else {
            return false;
        };
        let Some(&index) = self.apps.get(raw.app) else {
            return false;
        };
        let profile = self.profiles[index];
        let Some(ids) = self.ids(index) else {
            return false;
        };
        bound.profile = index;
        for (setting, option) in raw.settings.0 {
            let Some(found) = self.option(index, setting, option) else {
                return false;
            };
            bound.choices.push(found);
        }
        for (setting, waiver) in raw.waivers.0 {
            let Some(s) = ids.setting(setting, usize::MAX) else {
                return false;
            };
            let Some(waiver) = waiver.bind(profile, s, Pos::Line(line)) else {
                return false;
            };
            bound.waivers.push((s, waiver));
        }
        true
    }

    /// [`bind_into`](Self::bind_into) for a TOML account state (the text of a state file):
    /// the document tree is walked and each id looked up, with no copy of any key or value.
    pub fn bind_toml_into(&self, text: &str, bound: &mut Bound) -> bool {
        // Most state files have the common shape, read without the document parser.
        if self.scan_toml_into(text, bound) {
            return true;
        }
        bound.clear();
        let Ok(document) = DeTable::parse(text) else {
            return false;
        };
        let mut app = None;
        let mut settings = Vec::new();
        let mut waivers = Vec::new();
        for (key, value) in document.get_ref() {
            let value = value.get_ref();
            match key.get_ref().as_ref() {
                "app" => match value.as_str() {
                    Some(id) => app = Some(id),
                    None => return false,
                },
                "settings" => match value.as_table() {
                    Some(table) => settings.push(table),
                    None => return false,
                },
                "waivers" => match value.as_table() {
                    Some(table) => waivers.push(table),
                    None => return false,
                },
                _ => return false,
            }
        }
        let Some(&index) = app.and_then(|id| self.apps.get(id)) else {
            return false;
        };
        bound.profile = index;
        for (setting, option) in settings.into_iter().flatten() {
            let Some(option) = option.get_ref().as_str() else {
                return false;
            };
            let Some(found) = self.option(index, setting.get_ref(), option) else {
                return false;
            };
            bound.choices.push(found);
        }
        let profile = self.profiles[index];
        for (setting, fields) in waivers.into_iter().flatten() {
            let found = self
                .ids(index)
                .and_then(|ids| ids.setting(setting.get_ref(), usize::MAX));
            let Some(s) = found else {
                return false;
            };
            let Some(fields) = fields.get_ref().as_table() else {
                return false;
            };
            let (mut reason, mut expires) = (None, None);
            for (key, value) in fields {
                let value = value.get_ref();
                match key.get_ref().as_ref() {
                    "reason" => match value.as_str() {
                        Some(text) => reason = Some(text),
                        None => return false,
                    },
                    "expires" => match toml_date(value) {
                        Some(date) => expires = Some(date),
                        None => return false,
                    },
                    _ => return false,
                }
            }
            let pos = Pos::Offset(setting.span().start);
            let bound_waiver = reason.and_then(|r| waiver(profile, s, r, expires, pos));
            let Some(bound_waiver) = bound_waiver else {
                return false;
            };
            bound.waivers.push((s, bound_waiver));
        }
        true
    }

    /// The ids of profile `index`, if they could be laid out.
    fn ids(&self, index: usize) -> Option<&ProfileIds<'p>> {
        self.ids.get(index)?.as_ref()
    }

    /// The index of `option` of setting `setting` of profile `index`.
    fn option(&self, index: usize, setting: &str, option: &str) -> Option<(usize, usize)> {
        self.option_guessing(index, setting, option, usize::MAX)
    }

    /// [`option`](Self::option), trying setting `guess` before the hash map: exported
    /// states usually list settings in the profile's order, so the setting after the last
    /// one is a good guess and costs one comparison.
    fn option_guessing(
        &self,
        index: usize,
        setting: &str,
        option: &str,
        guess: usize,
    ) -> Option<(usize, usize)> {
        let ids = self.ids(index)?;
        let s = ids.setting(setting, guess)?;
        let o = ids.option(s, option)?;
        Some((s, o))
    }
}

/// Reads a state straight into a [`Bound`], looking each setting up as it comes; fails
/// (and the caller collects the entries instead) if `app` does not come first, and on
/// anything the straightforward path would refuse or word: an unknown app, setting or
/// option, a duplicate or unknown field, a bad waiver.
struct StateSeed<'b, 'p> {
    binder: &'b FastBinder<'p>,
    bound: &'b mut Bound,
    line: usize,
}

fn refuse<E: de::Error>() -> E {
    E::custom("left to the straightforward path")
}

impl<'de> DeserializeSeed<'de> for StateSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for StateSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an account state")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let StateSeed {
            binder,
            bound,
            line,
        } = self;
        bound.clear();
        let (mut app, mut settings, mut waivers, mut key) = (None, false, false, false);
        while let Some(field) = map.next_key::<&'de str>()? {
            match field {
                "app" if app.is_none() => {
                    let id = map.next_value::<&'de str>()?;
                    let index = *binder.apps.get(id).ok_or_else(refuse::<M::Error>)?;
                    bound.profile = index;
                    app = Some(index);
                }
                "settings" if !settings => {
                    settings = true;
                    let index = app.ok_or_else(refuse::<M::Error>)?;
                    map.next_value_seed(SettingsSeed {
                        binder,
                        index,
                        choices: &mut bound.choices,
                    })?;
                }
                "waivers" if !waivers => {
                    waivers = true;
                    let index = app.ok_or_else(refuse::<M::Error>)?;
                    map.next_value_seed(WaiversSeed {
                        binder,
                        index,
                        line,
                        waivers: &mut bound.waivers,
                    })?;
                }
                // The state's own fields are never its key (a second `app` is an error).
                field
                    if field == binder.key_field
                        && !key
                        && !matches!(field, "app" | "settings" | "waivers") =>
                {
                    key = true;
                    let raw = map.next_value::<&'de serde_json::value::RawValue>()?;
                    let raw = raw.get();
                    if !super::parse::is_record_key(raw) {
                        return Err(refuse());
                    }
                    bound.key.extend_from_slice(raw.as_bytes());
                }
                _ => return Err(refuse()),
            }
        }
        app.map(|_| ()).ok_or_else(refuse)
    }
}

/// A state bound by [`FastBinder::bind_into`]: the profile, and the options and waivers by
/// setting index, in the order they came (a later one for the same setting wins).
#[derive(Default)]
pub struct Bound {
    pub profile: usize,
    pub choices: Vec<(usize, usize)>,
    pub waivers: Vec<(usize, Waiver)>,
    /// The record's key as its JSON text; empty when it has none.
    pub key: Vec<u8>,
}

impl Bound {
    fn clear(&mut self) {
        self.choices.clear();
        self.waivers.clear();
        self.key.clear();
    }

    /// The record's key, as [`AccountState::key`](super::AccountState::key) holds it.
    pub fn record_key(&self) -> Option<String> {
        (!self.key.is_empty()).then(|| String::from_utf8_lossy(&self.key).into_owned())
    }

    pub fn selection(&self, profile: &Profile) -> Selection {
        let mut selection = Selection::defaults(profile);
        for &(setting, option) in &self.choices {
            selection.chosen[setting] = Some(option);
        }
        for (setting, waiver) in &self.waivers {
            selection.waivers[*setting] = Some(waiver.clone());
        }
        selection
    }

    /// The selection's number (see the checker's selection codes): the sum of `strides[s]`
    /// times one more than the option chosen for each setting `s`. `None` when the state
    /// has waivers, or names a setting twice (it is then remembered by [`key`](Self::key),
    /// in which the later one wins), or a setting has no stride.
    pub fn code(&self, strides: &[u64]) -> Option<u64> {
        if !self.waivers.is_empty() {
            return None;
        }
        let (mut code, mut seen) = (0u64, 0u64);
        for &(setting, option) in &self.choices {
            let bit = 1u64.checked_shl(u32::try_from(setting).ok()?)?;
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            let digit = u64::try_from(option + 1).ok()?;
            code = code.checked_add(digit.checked_mul(*strides.get(setting)?)?)?;
        }
        Some(code)
    }

    /// What the state's report depends on, besides its profile, as bytes (`key` is
    /// replaced): the option chosen for each of the profile's `settings` settings, or none.
    /// `false` when the state has waivers (its report then depends on them and on the
    /// date) or an option index does not fit a byte.
    pub fn key(&self, settings: usize, key: &mut Vec<u8>) -> bool {
        key.clear();
        if !self.waivers.is_empty() {
            return false;
        }
        key.extend_from_slice(&(self.profile as u64).to_le_bytes());
        key.resize(8 + settings, 0);
        for &(setting, option) in &self.choices {
            let Ok(option) = u8::try_from(option + 1) else {
                return false;
            };
            key[8 + setting] = option;
        }
        true
    }
}

/// The `settings` of a state whose app is known, looked up as they are read.
struct SettingsSeed<'b, 'p> {
    binder: &'b FastBinder<'p>,
    index: usize,
    choices: &'b mut Vec<(usize, usize)>,
}

impl<'de> DeserializeSeed<'de> for SettingsSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for SettingsSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("settings")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let mut guess = 0;
        while let Some((setting, option)) = map.next_entry::<&'de str, &'de str>()? {
            let found = self
                .binder
                .option_guessing(self.index, setting, option, guess);
            let found = found.ok_or_else(refuse::<M::Error>)?;
            guess = found.0 + 1;
            self.choices.push(found);
        }
        Ok(())
    }
}

/// The `waivers` of a state whose app is known, looked up as they are read.
struct WaiversSeed<'b, 'p> {
    binder: &'b FastBinder<'p>,
    index: usize,
    line: usize,
    waivers: &'b mut Vec<(usize, Waiver)>,
}

impl<'de> DeserializeSeed<'de> for WaiversSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for WaiversSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("waivers")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let profile = self.binder.profiles[self.index];
        let ids = self.binder.ids(self.index).ok_or_else(refuse::<M::Error>)?;
        while let Some((setting, raw)) = map.next_entry::<&'de str, RawWaiver<'de>>()? {
            let s = ids.setting(setting, usize::MAX);
            let s = s.ok_or_else(refuse::<M::Error>)?;
            let waiver = raw.bind(profile, s, Pos::Line(self.line));
            self.waivers
                .push((s, waiver.ok_or_else(refuse::<M::Error>)?));
        }
        Ok(())
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

impl RawWaiver<'_> {
    /// The waiver of setting `setting`, if the straightforward path would take it as it is.
    fn bind(&self, profile: &Profile, setting: usize, pos: Pos) -> Option<Waiver> {
        let expires = match self.expires {
            None => None,
            Some(text) => Some(Date::parse(text)?),
        };
        waiver(profile, setting, self.reason, expires, pos)
    }
}

/// The waiver of setting `setting`, as the straightforward path makes it (the reason
/// trimmed and made safe), if it would take it: the reason must say something.
fn waiver(
    profile: &Profile,
    setting: usize,
    reason: &str,
    expires: Option<Date>,
    pos: Pos,
) -> Option<Waiver> {
    let reason = sanitize(reason.trim());
    if reason.trim().is_empty() {
        return None;
    }
    Some(Waiver {
        setting: profile.settings[setting].id.clone(),
        reason,
        expires,
        pos,
    })
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
