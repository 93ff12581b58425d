//! The common shape of an account state, read without a general parser.
//!
//! Nearly every record of a large batch is `{"app":"…","settings":{"…":"…",…}}` (perhaps
//! with a key), and nearly every state file `app = "…"`, then `[settings]` and
//! `setting = "option"` lines: plain strings, no waivers. These read that shape straight
//! into a [`Bound`], where serde_json's deserializer and toml's document parser pay for
//! their generality (with them, a million compact JSON lines took 10% more CPU, and
//! 100,000 state files 22% more). Anything else (an escape, another field or table, a
//! fractional key, a trailing comma, a comment after a value, text after the object) is
//! refused, and the caller goes on to the parser as before, so this only has to be right
//! about what it accepts: exactly the text the parser reads into the same state. The
//! tests check that on every one-byte change of sample states.

use super::ids::same;
use super::{Bound, FastBinder, ProfileIds};

/// JSON's whitespace (RFC 8259), which serde_json skips between tokens.
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

struct Cursor<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Cursor<'t> {
    fn skip_space(&mut self) {
        let bytes = self.text.as_bytes();
        while bytes.get(self.at).is_some_and(|&b| is_space(b)) {
            self.at += 1;
        }
    }

    /// The next token is `byte`: step over it.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        if self.text.as_bytes().get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// The next token is a string without escapes: its content. The content may hold
    /// control characters, which JSON forbids; callers only accept strings equal to a
    /// profile's ids or a field's name, which hold none.
    fn string(&mut self) -> Option<&'t str> {
        if !self.eat(b'"') {
            return None;
        }
        let start = self.at;
        // Byte by byte: ids are short, and for short strings a plain loop beats memchr's
        // set-up.
        let bytes = &self.text.as_bytes()[start..];
        let end = start + bytes.iter().position(|&b| b == b'"' || b == b'\\')?;
        if self.text.as_bytes()[end] != b'"' {
            return None;
        }
        self.at = end + 1;
        // Both ends are at ASCII quotes, so on character boundaries.
        self.text.get(start..end)
    }

    /// The next token is the string `content`, which holds no quote or backslash: step
    /// over it. (Such a string's text is the content between two quotes, so comparing
    /// bytes is enough: no scan for its end.)
    fn quoted(&mut self, content: &[u8]) -> bool {
        self.skip_space();
        let rest = &self.text.as_bytes()[self.at..];
        let n = content.len();
        let found = rest.len() > n + 1
            && rest[0] == b'"'
            && rest[n + 1] == b'"'
            && same(&rest[1..=n], content);
        if found {
            self.at += n + 2;
        }
        found
    }

    /// The next token is a record key of the simplest kinds, a string without escapes or
    /// control characters or an integer (`-?(0|[1-9][0-9]*)` not followed by a fraction or
    /// exponent): its JSON text, stepped over. Other keys are left to the parser.
    fn record_key(&mut self) -> Option<&'t str> {
        self.skip_space();
        let start = self.at;
        let bytes = &self.text.as_bytes()[start..];
        let len = match bytes.first()? {
            b'"' => {
                let end = 1 + bytes[1..]
                    .iter()
                    .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
                if bytes[end] != b'"' {
                    return None;
                }
                end + 1
            }
            b'-' | b'0'..=b'9' => {
                let sign = usize::from(bytes[0] == b'-');
                let digits = bytes[sign..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let after = bytes.get(sign + digits).copied();
                let leading_zero = digits > 1 && bytes[sign] == b'0';
                if digits == 0 || leading_zero || matches!(after, Some(b'.' | b'e' | b'E')) {
                    return None;
                }
                sign + digits
            }
            _ => return None,
        };
        self.at += len;
        // Both ends are ASCII, so on character boundaries.
        self.text.get(start..start + len)
    }

    /// Only whitespace is left.
    fn at_end(&mut self) -> bool {
        self.skip_space();
        self.at == self.text.len()
    }
}

impl ProfileIds<'_> {
    /// The setting whose id is the string at `cursor` (stepped over), looked for among a
    /// few settings from `first` on; `None` (the cursor unmoved) if none of them.
    fn quoted_setting(&self, cursor: &mut Cursor<'_>, first: usize) -> Option<usize> {
        const TRIED: usize = 8;
        (first..)
            .take(TRIED)
            .find(|&s| self.setting_id(s).is_some_and(|id| cursor.quoted(id)))
    }
}

impl FastBinder<'_> {
    /// Read `text` into `bound` if it has the common shape (see the module's text) and
    /// names the app, settings and options of a profile being checked; `false` otherwise,
    /// with `bound` left to be cleared by whoever reads it next.
    pub(super) fn scan_into(&self, text: &str, bound: &mut Bound) -> bool {
        bound.clear();
        let mut cursor = Cursor { text, at: 0 };
        if !cursor.eat(b'{') || !cursor.quoted(b"app") || !cursor.eat(b':') {
            return false;
        }
        let Some(&index) = cursor.string().and_then(|app| self.apps.get(app)) else {
            return false;
        };
        // Ids are compared with the text as it stands, which needs them plain.
        let Some(ids) = self.ids(index).filter(|ids| ids.plain()) else {
            return false;
        };
        bound.profile = index;
        // Then `settings` and the record's key, each at most once, in either order.
        let (mut settings, mut key) = (false, false);
        loop {
            if cursor.eat(b'}') {
                return cursor.at_end();
            }
            if !cursor.eat(b',') {
                return false;
            }
            if !settings && cursor.quoted(b"settings") {
                settings = true;
                if !cursor.eat(b':') || !scan_settings(&mut cursor, ids, bound) {
                    return false;
                }
            } else if !key && self.key_field_plain() && cursor.quoted(self.key_field.as_bytes()) {
                key = true;
                let Some(raw) = cursor.eat(b':').then(|| cursor.record_key()).flatten() else {
                    return false;
                };
                bound.key.extend_from_slice(raw.as_bytes());
            } else {
                return false;
            }
        }
    }

    /// The key field's name is plain JSON string content, so it can be compared with the
    /// text as it stands.
    fn key_field_plain(&self) -> bool {
        !self
            .key_field
            .bytes()
            .any(|b| b < 0x20 || b == b'"' || b == b'\\')
    }
}

/// The object of a `settings` field, each entry looked up as it is read.
fn scan_settings(cursor: &mut Cursor<'_>, ids: &ProfileIds<'_>, bound: &mut Bound) -> bool {
    if !cursor.eat(b'{') {
        return false;
    }
    if cursor.eat(b'}') {
        return true;
    }
    let mut guess = 0;
    loop {
        // Exported states list settings in the profile's order, so the settings from the
        // one after the last are compared with the text first (most fail on where the
        // closing quote should be).
        let s = match ids.quoted_setting(cursor, guess) {
            Some(s) => s,
            None => {
                let found = cursor.string().and_then(|id| ids.setting(id, usize::MAX));
                let Some(s) = found else {
                    return false;
                };
                s
            }
        };
        if !cursor.eat(b':') {
            return false;
        }
        // Any string but one of the setting's options is left to the parser.
        let Some(o) = ids.option_ids(s).position(|id| cursor.quoted(id)) else {
            return false;
        };
        guess = s + 1;
        bound.choices.push((s, o));
        if cursor.eat(b'}') {
            return true;
        }
        if !cursor.eat(b',') {
            return false;
        }
    }
}

/// TOML's whitespace within a line.
fn is_blank(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t')
}

/// `bytes` without TOML's blanks at the start.
fn trim_blanks_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&b| !is_blank(b))
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// A TOML comment's text (after `#`) is allowed: no control character but tab.
fn is_comment(text: &[u8]) -> bool {
    text.iter().all(|&b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

/// `key = "value"` with a bare key and a string without escapes, then only blanks.
fn key_value(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let key_end = line
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))?;
    let (key, rest) = line.split_at(key_end);
    let rest = trim_blanks_start(rest);
    let rest = trim_blanks_start(rest.strip_prefix(b"=")?);
    let rest = rest.strip_prefix(b"\"")?;
    let end = rest.iter().position(|&b| b == b'"' || b == b'\\')?;
    if rest[end] != b'"' || !rest[end + 1..].iter().all(|&b| is_blank(b)) || key.is_empty() {
        return None;
    }
    Some((key, &rest[..end]))
}

impl FastBinder<'_> {
    /// Read a state file's `text` (without its byte-order mark) into `bound` if it has the
    /// common shape: blank and comment lines, `app = "…"`, then at most one `[settings]`
    /// table of `setting = "option"` lines, each key once. `false` otherwise.
    pub(super) fn scan_toml_into(&self, text: &str, bound: &mut Bound) -> bool {
        bound.clear();
        let (mut app, mut in_settings, mut seen, mut guess) = (None, false, 0u64, 0);
        for line in text.as_bytes().split_inclusive(|&b| b == b'\n') {
            // TOML ends lines with LF or CRLF; any other carriage return is an error.
            let line = match line.strip_suffix(b"\n") {
                Some(line) => line.strip_suffix(b"\r").unwrap_or(line),
                None => line,
            };
            if line.contains(&b'\r') {
                return false;
            }
            let line = trim_blanks_start(line);
            let line = line
                .iter()
                .rposition(|&b| !is_blank(b))
                .map_or(&line[..0], |end| &line[..=end]);
            if line.is_empty() {
                continue;
            }
            if let Some(comment) = line.strip_prefix(b"#") {
                if !is_comment(comment) {
                    return false;
                }
                continue;
            }
            if line == b"[settings]" {
                // Once, and after the app (which would otherwise be a setting).
                if in_settings || app.is_none() {
                    return false;
                }
                in_settings = true;
                continue;
            }
            let Some((key, value)) = key_value(line) else {
                return false;
            };
            // Keys and values are ASCII here or compared with plain ids, so these are
            // the strings toml would read.
            let (Ok(key), Ok(value)) = (std::str::from_utf8(key), std::str::from_utf8(value))
            else {
                return false;
            };
            if !in_settings {
                if key != "app" || app.is_some() {
                    return false;
                }
                let Some(&index) = self.apps.get(value) else {
                    return false;
                };
                // Settings are told apart by a 64-bit mask: larger profiles are parsed.
                let Some(ids) = self
                    .ids(index)
                    .filter(|ids| ids.plain() && self.profiles[index].settings.len() <= 64)
                else {
                    return false;
                };
                bound.profile = index;
                app = Some(ids);
                continue;
            }
            let Some(ids) = app else {
                return false;
            };
            let Some(s) = ids.setting(key, guess) else {
                return false;
            };
            let Some(o) = ids.option(s, value) else {
                return false;
            };
            // A key given twice is an error in TOML.
            let bit = 1u64 << s;
            if seen & bit != 0 {
                return false;
            }
            seen |= bit;
            guess = s + 1;
            bound.choices.push((s, o));
        }
        app.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;
    use crate::source::SourceText;
    use crate::state::{AccountState, DEFAULT_KEY_FIELD, parse_state_json, parse_state_toml};

    /// Records of the common shape and near it, for the built-in Douyin and WeChat Read.
    const SAMPLES: &[&str] = &[
        r#"{"app":"douyin","settings":{"private-account":"on","local-feed":"off"}}"#,
        r#" { "app" : "wechat-read" , "settings" : { "auto-follow-friends" : "off" } } "#,
        "{\"app\":\"douyin\",\n\t\"settings\":{}}\r",
        r#"{"app":"douyin"}"#,
        r#"{"app":"douyin","settings":{"local-feed":"on","local-feed":"off"}}"#,
        r#"{"app":"douyin","settings":{"local-feed":"on"},"id":7}"#,
        r#"{"app":"douyin","id":"row-12","settings":{"local-feed":"on"}}"#,
        r#"{"app":"wechat-read","settings":{},"id":-30}"#,
        r#"{"app":"douyin","id":"\u00e9"}"#,
    ];

    /// Every text one byte away from a sample: each byte left out, each of a set of
    /// bytes put before each byte, and each byte replaced by each of them.
    fn near(sample: &str) -> Vec<String> {
        const BYTES: &[u8] = b"{}[]\":, \t\n\r\\01.eE+a-ux=#\x01\x0b\x0c\x7f";
        let bytes = sample.as_bytes();
        let mut texts = Vec::new();
        for at in 0..=bytes.len() {
            if at < bytes.len() {
                texts.push([&bytes[..at], &bytes[at + 1..]].concat());
            }
            for &b in BYTES {
                texts.push([&bytes[..at], &[b], &bytes[at..]].concat());
                if at < bytes.len() {
                    texts.push([&bytes[..at], &[b], &bytes[at + 1..]].concat());
                }
            }
        }
        texts
            .into_iter()
            .filter_map(|t| String::from_utf8(t).ok())
            .collect()
    }

    /// How many of the texts near `samples` (and the samples) `scan` takes, and of how
    /// many; every one it takes is read alike by `parse` and the straightforward binding:
    /// the same app, selection and record key.
    fn scanned_alike(
        samples: &[&str],
        scan: impl Fn(&FastBinder<'_>, &str, &mut Bound) -> bool,
        parse: impl Fn(&str) -> Result<AccountState, Diagnostic>,
    ) -> (usize, usize) {
        let catalog = crate::catalog::builtin();
        let profiles = crate::registry::builtin_profiles(catalog).expect("built-in profiles");
        let binder = FastBinder::new(&profiles);
        let (mut taken, mut tried) = (0, 0);
        let mut bound = Bound::default();
        for sample in samples {
            for text in near(sample).iter().map(String::as_str).chain([*sample]) {
                tried += 1;
                if !scan(&binder, text, &mut bound) {
                    continue;
                }
                taken += 1;
                let state = parse(text)
                    .unwrap_or_else(|e| panic!("scanned {text:?}, which the parser refuses: {e}"));
                let profile = &profiles[bound.profile];
                assert_eq!(profile.app.id, state.app, "{text:?}");
                let selection = state
                    .bind(profile)
                    .unwrap_or_else(|e| panic!("scanned {text:?}, which binding refuses: {e}"));
                assert_eq!(bound.selection(profile), selection, "{text:?}");
                assert_eq!(bound.record_key(), state.key, "{text:?}");
                assert!(bound.waivers.is_empty());
            }
        }
        (taken, tried)
    }

    #[test]
    fn what_the_scan_accepts_the_straightforward_path_reads_alike() {
        let (taken, tried) = scanned_alike(
            SAMPLES,
            |b, t, bound| b.scan_into(t, bound),
            |text| parse_state_json("t", 1, text, DEFAULT_KEY_FIELD),
        );
        // The samples themselves but the one with an escape, and a good share of their
        // neighbours (whitespace added, an option changed) are read; most are refused.
        assert!(
            taken > 5 && taken < tried / 2,
            "{taken} of {tried} texts scanned"
        );
    }

    #[test]
    fn the_scan_refuses_what_it_does_not_read_itself() {
        let catalog = crate::catalog::builtin();
        let profiles = crate::registry::builtin_profiles(catalog).expect("built-in profiles");
        let binder = FastBinder::new(&profiles);
        let mut bound = Bound::default();
        for text in [
            r#"{"app":"douyin","settings":{"local-feed":"on",}}"#,
            r#"{"app":"douyin",}"#,
            r#"{"app":"dou\u0079in"}"#,
            r#"{"settings":{},"app":"douyin"}"#,
            r#"{"app":"douyin","waivers":{}}"#,
            r#"{"app":"douyin","settings":{"local-feed":"on"}} x"#,
            r#"{"app":"douyin","settings":{"local-feed":"maybe"}}"#,
            r#"{"app":"douyin","settings":{"local-feed":"on"},"settings":{}}"#,
            r#"{"app":"douyin","settings":{"local-feed":true}}"#,
            "{\"app\":\"douyin\",\u{a0}\"settings\":{}}",
            r#"["douyin"]"#,
            r#"{"app":"douyin","id":1.5}"#,
            r#"{"app":"douyin","id":01}"#,
            r#"{"app":"douyin","id":1e3}"#,
            r#"{"app":"douyin","id":-}"#,
            "{\"app\":\"douyin\",\"id\":\"a\tb\"}",
            r#"{"app":"douyin","id":1,"id":2}"#,
            r#"{"app":"douyin","id":null}"#,
            r#"{"app":"douyin","id":"x\"y"}"#,
        ] {
            assert!(!binder.scan_into(text, &mut bound), "{text}");
        }
        // A key field named like a state's own fields turns the scan off (the parsers read
        // `{"app":"douyin","waivers":7}` as waivers, and refuse it).
        for field in ["app", "settings", "waivers"] {
            let keyed = FastBinder::new(&profiles).with_key_field(field);
            assert!(!keyed.scan, "{field}");
            let text = format!(r#"{{"app":"douyin","{field}":7}}"#);
            let parsed = parse_state_json("t", 1, &text, field).is_ok();
            assert_eq!(keyed.bind_into(&text, 1, &mut bound), parsed, "{text}");
        }
        assert!(FastBinder::new(&profiles).with_key_field("row").scan);
    }

    /// State files of the common shape and near it.
    const TOML_SAMPLES: &[&str] = &[
        "# privaudit account state\napp = \"douyin\"\n\n[settings]\nprivate-account = \"on\"\nlocal-feed = \"off\"\n",
        "app=\"wechat-read\"\r\n[settings]\r\n\tauto-follow-friends\t=  \"off\"  \r\n",
        "app = \"douyin\"",
        "app = \"douyin\"\n[settings]\nlocal-feed = \"on\"\nlocal-feed = \"off\"\n",
        "app = \"douyin\"\n[settings]\nlocal-feed = \"on\" # kept\n",
    ];

    #[test]
    fn what_the_toml_scan_accepts_the_straightforward_path_reads_alike() {
        let (taken, tried) = scanned_alike(
            TOML_SAMPLES,
            |b, t, bound| b.scan_toml_into(t, bound),
            |text| parse_state_toml(&SourceText::from_string("t.toml", text)),
        );
        assert!(
            taken > 10 && taken < tried / 2,
            "{taken} of {tried} texts scanned"
        );
    }

    #[test]
    fn the_toml_scan_refuses_what_it_does_not_read_itself() {
        let catalog = crate::catalog::builtin();
        let profiles = crate::registry::builtin_profiles(catalog).expect("built-in profiles");
        let binder = FastBinder::new(&profiles);
        let mut bound = Bound::default();
        for text in [
            "[settings]\nlocal-feed = \"on\"\napp = \"douyin\"\n",
            "app = \"douyin\"\n[settings]\nlocal-feed = \"on\"\nlocal-feed = \"on\"\n",
            "app = \"douyin\"\n[settings]\n[settings]\n",
            "app = \"douyin\"\n[waivers.local-feed]\nreason = \"x\"\n",
            "app = \"douyin\"\rapp = \"x\"\n",
            "app = 'douyin'\n",
            "app = \"dou\\u0079in\"\n",
            "app = \"douyin\" # here\n",
            "# \u{1}\napp = \"douyin\"\n",
            "\"app\" = \"douyin\"\n",
        ] {
            assert!(!binder.scan_toml_into(text, &mut bound), "{text:?}");
        }
    }
}
