//! Text as a terminal shows it: made safe for the terminal's width table, broken into
//! lines by the Unicode line-breaking algorithm (UAX #14, from `unicode-linebreak`), cut
//! short with "…", and a frame checked so that no wide character is half covered.
//!
//! Every paragraph and list row the auditor draws goes through [`wrap`] or [`truncate`],
//! so the layout never relies on ratatui's own word wrapping, which breaks only at spaces:
//! a Chinese sentence has none, and would be cut wherever the width ran out.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use std::borrow::Cow;
use unicode_linebreak::{BreakOpportunity, linebreaks};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// What ends a line cut short.
pub const ELLIPSIS: &str = "…";

/// Text as the terminal will show it. Profile text has already been made safe where it
/// was read (controls, bidirectional overrides, line separators and non-characters are
/// visible escapes, see [`crate::text::sanitize`]); what is left here are characters that
/// are harmless in a file or JSON but whose width terminals do not agree on, so that a
/// layout computed with one width table lands differently on screen:
///
/// - zero-width joiners and non-joiners, word joiners, zero-width spaces and byte-order
///   marks are removed: a family emoji (man, ZWJ, woman, ZWJ, girl) is two cells wide by
///   the table but six in most terminals; without the joiners it is three emoji, six
///   cells by both counts, and no member is lost;
/// - variation selectors are removed, so an emoji is shown in its default presentation,
///   whose width both sides agree on;
/// - tabs become a space.
///
/// Text that did not come through a file (a message with a path in it) is made safe here
/// the same way as profile text: a control or non-character becomes a visible escape
/// (`^[`, `<U+FFFE>`); newlines and line separators stay line breaks.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    let safe = crate::text::sanitize_multiline(text);
    if safe == text
        && !text
            .chars()
            .any(|c| unstable_width(c) || newly_wide(c).is_some())
    {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        safe.chars()
            .filter(|&c| !unstable_width(c))
            .map(|c| newly_wide(c).unwrap_or(c))
            .collect(),
    )
}

/// Characters Unicode 16 made wide that terminals still draw one cell wide (tmux 3.3,
/// VTE): the width table and the terminal disagree, and the screen keeps stale cells. The
/// trigram ☰ is how help pages draw an app's menu button (TikTok's "Profile > ☰"); the
/// one-cell ≡ (as Douyin's profile writes it) shows the same button.
fn newly_wide(c: char) -> Option<char> {
    matches!(c, '\u{2630}'..='\u{2637}').then_some('≡')
}

fn unstable_width(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200d}'
            | '\u{2060}'
            | '\u{feff}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{e0100}'..='\u{e01ef}'
    )
}

/// Cells of text already made terminal-safe (what ratatui's own diff measures with).
fn cells(text: &str) -> usize {
    text.width()
}

/// Display width of `text` in terminal cells, as [`for_terminal`] will show it (a joined
/// emoji counts as its members). Anything that lines text up in columns measures with this.
pub fn width(text: &str) -> usize {
    for_terminal(text).width()
}

/// `line` in at most `max` cells: whole as it is if it fits, else cut at a character
/// boundary (never inside a character made of several code points) and ended with "…".
pub fn truncate(line: Line<'_>, max: usize) -> Line<'static> {
    let mut out = Line::default().style(line.style);
    out.alignment = line.alignment;
    let spans: Vec<(String, ratatui::style::Style)> = line
        .spans
        .iter()
        .map(|s| (for_terminal(&s.content).into_owned(), s.style))
        .collect();
    let total: usize = spans.iter().map(|(t, _)| cells(t)).sum();
    if total <= max {
        out.spans = spans
            .into_iter()
            .map(|(t, style)| Span::styled(t, style))
            .collect();
        return out;
    }
    let mut room = max.saturating_sub(cells(ELLIPSIS));
    let mut last_style = line.style;
    for (text, style) in spans {
        if room == 0 {
            break;
        }
        let mut kept = String::new();
        for g in text.graphemes(true) {
            let w = cells(g);
            if w > room {
                room = 0;
                break;
            }
            room -= w;
            kept.push_str(g);
        }
        last_style = style;
        if !kept.is_empty() {
            out.spans.push(Span::styled(kept, style));
        }
    }
    if max >= cells(ELLIPSIS) {
        out.spans.push(Span::styled(ELLIPSIS, last_style));
    }
    out
}

/// `line` broken into lines of at most `max` cells. Breaks fall where the Unicode
/// line-breaking algorithm allows them (between Chinese characters, after spaces; never
/// before closing punctuation such as ，。；、）), except inside a run of Latin letters and
/// digits and from the end of such a run into the Chinese after it ("3.6.1 版",
/// "6600 元", "微信/QQ 第三方" stay together). A word wider than the line is cut between characters. Spaces at a
/// break are dropped; each span keeps its style.
pub fn wrap(line: &Line<'_>, max: usize) -> Vec<Line<'static>> {
    let max = max.max(1);
    let mut text = String::new();
    // (end byte in `text`, style) per span.
    let mut styles = Vec::with_capacity(line.spans.len());
    for span in &line.spans {
        text.push_str(&for_terminal(&span.content));
        styles.push((text.len(), span.style));
    }
    // A line indented with spaces keeps its indent on every line it wraps to (a hanging
    // indent), unless the indent would take half the width.
    let indent = text.len() - text.trim_start_matches(' ').len();
    // (Only for a single paragraph: after a line break the next one has its own.)
    let indent = if indent > 0 && indent * 2 < max && indent < text.len() && !text.contains('\n') {
        indent
    } else {
        0
    };
    let ranges: Vec<(usize, usize)> = line_ranges(&text[indent..], max - indent)
        .into_iter()
        .map(|(start, end)| (start + indent, end + indent))
        .collect();
    ranges
        .into_iter()
        .map(|(start, end)| {
            let mut out = Line::default().style(line.style);
            out.alignment = line.alignment;
            if indent > 0 {
                out.spans.push(Span::raw(" ".repeat(indent)));
            }
            let mut from = start;
            for &(span_end, style) in &styles {
                if span_end <= from {
                    continue;
                }
                let to = span_end.min(end);
                if to > from {
                    out.spans
                        .push(Span::styled(text[from..to].to_owned(), style));
                }
                from = to;
                if from >= end {
                    break;
                }
            }
            out
        })
        .collect()
}

/// Several lines wrapped to `max` cells, in order.
pub fn wrap_all(lines: &[Line<'_>], max: usize) -> Vec<Line<'static>> {
    lines.iter().flat_map(|l| wrap(l, max)).collect()
}

/// Byte ranges of `text`, one per output line.
fn line_ranges(text: &str, max: usize) -> Vec<(usize, usize)> {
    if text.is_empty() {
        return vec![(0, 0)];
    }
    let mut lines = Vec::new();
    // The line being filled: where it starts, where its last whole segment ends (without
    // trailing spaces), and its width so far (with them).
    let mut start = 0;
    let mut end = 0;
    let mut used = 0;
    let mut segment_start = 0;
    for (at, kind) in breaks(text) {
        let segment = &text[segment_start..at];
        let content = segment.trim_end_matches([' ', '\n', '\r', '\u{2028}', '\u{2029}']);
        let content_width = cells(content);
        let trailing = cells(&segment[content.len()..]);
        if used > 0 && used + content_width > max {
            // Does not fit: the line ends before this segment.
            lines.push((start, end));
            start = segment_start;
            used = 0;
        }
        if content_width > max {
            // Wider than a whole line: cut between characters.
            let mut piece_start = segment_start;
            let mut piece_width = 0;
            for (i, g) in content.grapheme_indices(true) {
                let w = cells(g);
                let at = segment_start + i;
                if piece_width > 0 && piece_width + w > max {
                    lines.push((piece_start, at));
                    piece_start = at;
                    piece_width = 0;
                }
                piece_width += w;
            }
            start = piece_start;
            end = segment_start + content.len();
            used = piece_width + trailing;
        } else {
            end = segment_start + content.len();
            used += content_width + trailing;
        }
        segment_start = at;
        if kind == BreakOpportunity::Mandatory {
            lines.push((start, end));
            start = at;
            end = at;
            used = 0;
        }
    }
    lines
}

/// Where lines may end: UAX #14's opportunities, less those inside Latin-and-digit runs
/// and between such a run and Chinese text (with or without one space between them). The
/// last opportunity (the end of the text) is always kept.
fn breaks(text: &str) -> impl Iterator<Item = (usize, BreakOpportunity)> + '_ {
    linebreaks(text).filter(move |&(at, kind)| {
        if kind == BreakOpportunity::Mandatory || at == text.len() {
            // A mandatory break at the very end is the end of the text; keep it (it
            // closes the last line) but not as an empty extra line.
            return true;
        }
        let before = text[..at].trim_end_matches(' ');
        let spaces = at - before.len();
        let (Some(prev), Some(next)) = (before.chars().next_back(), text[at..].chars().next())
        else {
            return true;
        };
        let latin = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '_' | '-');
        // Inside a Latin run ("3.6.1", "https://…"), and from the end of one into the
        // Chinese that follows it, directly or across one space ("3.6.1 版", "6600 元",
        // "QQ 第三方"). Before a number ("于 2019 年") a line may still break, or a date
        // written with spaces would become one long unbreakable unit.
        let joined = match spaces {
            0 => latin(prev) && (latin(next) || wide(next)),
            1 => latin(prev) && wide(next),
            _ => false,
        };
        !joined
    })
}

/// A character of East Asian text (two cells wide).
fn wide(c: char) -> bool {
    unicode_width::UnicodeWidthChar::width(c) == Some(2) && !is_punctuation(c)
}

fn is_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{ff01}'..='\u{ff0f}' | '\u{ff1a}'..='\u{ff20}' | '\u{ff3b}'..='\u{ff40}' | '\u{ff5b}'..='\u{ff65}')
}

/// Make `buffer` well formed for ratatui's screen diff, which assumes that the cell after a
/// two-cell character is blank: where something was drawn over half of a wide character
/// (a popup's edge, a border, a column of a table), the half left behind becomes a blank.
/// Without this, a popup's left border drawn over the right half of "仅" is skipped when
/// the screen is updated, and stays missing until a full redraw.
pub fn mend_wide_characters(buffer: &mut Buffer) {
    let area: Rect = buffer.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let w = cells(buffer[(x, y)].symbol());
            if w > 1 {
                let fits = x + (w as u16) <= area.right();
                let covered = (1..w as u16).any(|i| {
                    x + i < area.right()
                        && !buffer[(x + i, y)].symbol().is_empty()
                        && buffer[(x + i, y)].symbol() != " "
                });
                if !fits || covered {
                    buffer[(x, y)].set_symbol(" ");
                    x += 1;
                    continue;
                }
                x += w as u16;
            } else {
                x += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Style;

    fn plain(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    fn wrapped(text: &str, max: usize) -> Vec<String> {
        plain(&wrap(&Line::raw(text.to_owned()), max))
    }

    #[test]
    fn a_menu_trigram_is_drawn_as_the_one_cell_menu_sign() {
        // Unicode 16 made ☰ wide; terminals draw it one cell wide.
        assert_eq!(
            for_terminal("Profile > ☰ > Settings"),
            "Profile > ≡ > Settings"
        );
        assert_eq!(width("☰"), 1);
        assert!(matches!(
            for_terminal("Profile > Settings"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn chinese_breaks_between_characters_and_never_before_closing_punctuation() {
        let lines = wrapped(
            "当前为“对使用微信读书的微信好友可见”（应用默认），好友可以看到。",
            10,
        );
        for line in &lines {
            assert!(width(line) <= 10, "{line:?} is wider than 10: {lines:?}");
            let first = line.chars().next().unwrap();
            assert!(
                !"，。；、）：”！？".contains(first),
                "{line:?} starts with closing punctuation: {lines:?}"
            );
        }
        assert_eq!(
            lines.concat(),
            "当前为“对使用微信读书的微信好友可见”（应用默认），好友可以看到。"
        );
    }

    #[test]
    fn numbers_and_latin_runs_stay_with_the_chinese_they_belong_to() {
        for (text, together) in [
            ("该版本为微信读书 3.6.1 版，此后设置有所变化", "3.6.1 版"),
            (
                "抖音把通过微信/QQ 第三方登录取得的昵称和头像用于好友推荐",
                "/QQ 第",
            ),
            ("法院判令赔偿原告损失共计 6600 元并赔礼道歉", "6600 元"),
            ("该版本为微信读书3.6.1版此后设置有所变化", "3.6.1版"),
        ] {
            for max in 12..=30 {
                let lines = wrapped(text, max);
                assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
                assert!(
                    lines.iter().any(|l| l.contains(together)),
                    "{together:?} was split at width {max}: {lines:?}"
                );
            }
        }
    }

    #[test]
    fn a_date_written_with_spaces_still_breaks_before_its_numbers() {
        let text = "字节跳动表示将申请复议。本案于 2019 年 6 月 24 日首次开庭，另一次一审开庭原定于 2023 年 8 月 16 日";
        let lines = wrapped(text, 48);
        // Before the fix, "于 2019 年 6 月 24 日首" was one unit and the first line ended
        // after "本案", 20 cells short.
        for l in &lines[..lines.len() - 1] {
            assert!(width(l) >= 42, "a line ends early: {lines:?}");
        }
    }

    #[test]
    fn an_indented_line_keeps_its_indent_when_it_wraps() {
        assert_eq!(
            wrapped("  数据流向：阅读记录 → 好友；活动记录 → 好友", 16),
            [
                "  数据流向：阅读",
                "  记录 → 好友；",
                "  活动记录 → 好",
                "  友"
            ]
        );
    }

    #[test]
    fn english_breaks_at_spaces_and_drops_them() {
        assert_eq!(
            wrapped("who receives which data by default", 12),
            ["who receives", "which data", "by default"]
        );
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut_between_characters() {
        let word = "字".repeat(10_000);
        let lines = wrapped(&word, 9);
        assert!(lines.iter().all(|l| width(l) <= 9));
        assert_eq!(lines.concat(), word);
        let latin = "x".repeat(25);
        assert_eq!(
            wrapped(&latin, 10),
            ["x".repeat(10), "x".repeat(10), "x".repeat(5)]
        );
    }

    #[test]
    fn joined_emoji_keep_every_member_and_combining_marks_stay_on_their_letter() {
        let family = "👨\u{200d}👩\u{200d}👧\u{200d}👦";
        assert_eq!(for_terminal(family), "👨👩👧👦");
        // What was typed rather than read from a file is made safe here too.
        assert_eq!(for_terminal("a\u{1b}b\u{fffe}\tc"), "a^[b<U+FFFE> c");
        let lines = wrapped(&format!("{family}{family}"), 4);
        assert_eq!(lines, ["👨👩", "👧👦", "👨👩", "👧👦"]);
        let accented = "e\u{301}".repeat(5);
        let lines = wrapped(&accented, 2);
        assert!(lines.iter().all(|l| l.starts_with('e')), "{lines:?}");
    }

    #[test]
    fn styles_follow_their_text_across_lines() {
        let line = Line::from(vec![
            Span::styled("位置：", Style::new().bold()),
            Span::raw("设置 > 隐私 > 读书排行榜"),
        ]);
        let lines = wrap(&line, 8);
        assert_eq!(lines[0].spans[0].content, "位置：");
        assert_eq!(lines[0].spans[0].style, Style::new().bold());
        assert!(
            lines
                .iter()
                .skip(1)
                .all(|l| l.spans.iter().all(|s| s.style == Style::new()))
        );
    }

    #[test]
    fn newlines_end_lines_and_empty_lines_stay() {
        let text = Line::from(Span::raw("a\n\nb"));
        assert_eq!(plain(&wrap(&text, 10)), ["a", "", "b"]);
        assert_eq!(wrapped("", 10), [""]);
    }

    #[test]
    fn truncation_ends_with_an_ellipsis_within_the_width() {
        let line = Line::from(vec![Span::raw("> "), Span::raw("向微信好友展示读书时长")]);
        let cut = truncate(line.clone(), 13);
        assert_eq!(cut.to_string(), "> 向微信好友…");
        assert_eq!(cut.width(), 13);
        // A wide character that would not fit whole is left out, and a cell stays blank.
        assert_eq!(truncate(line.clone(), 12).to_string(), "> 向微信好…");
        assert_eq!(truncate(line, 40).to_string(), "> 向微信好友展示读书时长");
    }

    #[test]
    fn half_covered_wide_characters_become_blanks() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 6, 1));
        buffer.set_string(0, 0, "仅仅仅", Style::new());
        // A popup's border drawn over the second half of the middle character.
        buffer[(3, 0)].set_symbol("│");
        mend_wide_characters(&mut buffer);
        let row: Vec<&str> = (0..6).map(|x| buffer[(x, 0)].symbol()).collect();
        assert_eq!(row, ["仅", " ", " ", "│", "仅", " "]);
    }
}
