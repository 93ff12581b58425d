//! Untrusted text, made safe once, where it enters the program.
//!
//! Profiles and account states are written by other people. A label holding an ESC
//! sequence could recolour, move the cursor or retitle the terminal of whoever prints the
//! report, and bidirectional overrides could make a label read differently from what it
//! is. Every string loaded from a file passes through [`sanitize`] before it reaches the
//! model, so no output (text, JSON, TUI) can carry such characters. Stripping only the ESC
//! byte would leave fragments like `[0;36m`; we make each control visible instead.

use serde::Serialize;

/// The two languages privaudit speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

/// A text in English and Simplified Chinese.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Localized {
    pub en: String,
    pub zh: String,
}

impl Localized {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Localized {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// `n` in decimal, written into `digits` (what `format!` writes, without its machinery:
/// batches write a number or two for every state).
pub fn decimal(n: usize, digits: &mut [u8; 20]) -> &str {
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&digits[at..]).unwrap_or_default()
}

/// Make every control character and text-direction override in `input` visible.
///
/// - C0 controls and DEL become caret notation (`^[`, `^@`, `^?`), as terminals show them.
/// - C1 controls and bidirectional formatting characters become `<U+XXXX>`.
/// - Non-characters (U+FFFE, U+FFFF and the like, which XML forbids and no text needs)
///   become `<U+XXXX>` too.
/// - Tabs become a space; line breaks too, including the Unicode line and paragraph
///   separators U+2028 and U+2029 (use [`sanitize_multiline`] to keep them as `\n`).
pub fn sanitize(input: &str) -> String {
    sanitize_with(input, false)
}

/// Like [`sanitize`], but keeps `\n` (and turns `\r\n` into `\n`) for paragraphs of text.
pub fn sanitize_multiline(input: &str) -> String {
    sanitize_with(input, true)
}

fn sanitize_with(input: &str, keep_newlines: bool) -> String {
    if !input.chars().any(needs_escape) {
        return input.to_owned();
    }
    let mut out = String::with_capacity(input.len() + 8);
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' => out.push(' '),
            '\r' if keep_newlines && chars.peek() == Some(&'\n') => {}
            '\n' | '\u{2028}' | '\u{2029}' if keep_newlines => out.push('\n'),
            '\n' | '\r' | '\u{2028}' | '\u{2029}' if !keep_newlines => out.push(' '),
            c if (c as u32) < 0x20 => {
                out.push('^');
                out.push(char::from(b'@' + c as u8));
            }
            '\u{7f}' => out.push_str("^?"),
            c if needs_escape(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn needs_escape(c: char) -> bool {
    let code = c as u32;
    code < 0x20
        || code == 0x7f
        || (0x80..=0x9f).contains(&code)
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
        || is_noncharacter(c)
        || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Unicode's 66 non-characters: U+FDD0..U+FDEF, and the last two code points of every
/// plane (U+FFFE, U+FFFF, U+1FFFE, ...).
fn is_noncharacter(c: char) -> bool {
    let code = c as u32;
    (0xfdd0..=0xfdef).contains(&code) || code & 0xfffe == 0xfffe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_passes_unchanged() {
        assert_eq!(sanitize("微信读书 WeChat Read"), "微信读书 WeChat Read");
    }

    #[test]
    fn escape_sequences_become_visible_not_half_stripped() {
        assert_eq!(sanitize("a\u{1b}[31mred"), "a^[[31mred");
        assert_eq!(sanitize("nul\0"), "nul^@");
        assert_eq!(sanitize("del\u{7f}"), "del^?");
        assert_eq!(sanitize("csi\u{9b}2J"), "csi<U+009B>2J");
        assert_eq!(sanitize("rtl\u{202e}txt"), "rtl<U+202E>txt");
    }

    #[test]
    fn newlines_fold_or_stay_as_asked() {
        assert_eq!(sanitize("a\nb\tc"), "a b c");
        assert_eq!(sanitize_multiline("a\r\nb\n\u{7}"), "a\nb\n^G");
    }

    #[test]
    fn noncharacters_and_unicode_line_breaks_get_a_defined_form() {
        assert_eq!(sanitize("a\u{fffe}b\u{ffff}"), "a<U+FFFE>b<U+FFFF>");
        assert_eq!(sanitize("\u{10ffff}\u{fdd0}"), "<U+10FFFF><U+FDD0>");
        assert_eq!(sanitize("a\u{2028}b\u{2029}c"), "a b c");
        assert_eq!(sanitize_multiline("a\u{2028}b"), "a\nb");
        // A family emoji keeps its zero-width joiners, and so every member.
        assert_eq!(sanitize("👨\u{200d}👩\u{200d}👧"), "👨\u{200d}👩\u{200d}👧");
    }

    #[test]
    fn output_never_contains_a_control_character() {
        let all: String = (0u32..0x250).filter_map(char::from_u32).collect();
        let out = sanitize(&all);
        assert!(!out.chars().any(needs_escape), "{out:?}");
    }
}

#[cfg(test)]
mod decimal_tests {
    use super::decimal;

    #[test]
    fn decimal_writes_what_format_writes() {
        for n in [0, 1, 9, 10, 99, 100, 255, 1_000_000, usize::MAX] {
            assert_eq!(decimal(n, &mut [0; 20]), n.to_string());
        }
    }
}
