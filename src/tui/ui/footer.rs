//! The footer: the keys of the screen (or popup) in front, read from the same table as
//! the key handling and the help, as many as fit, always ending with "? help". In demo
//! mode it starts with the DEMO badge, so every screen says it is a demo.

use super::colon;
use crate::i18n::Msg;
use crate::tui::app::{App, Screen};
use crate::tui::keys::{self, Context, HELP_KEY, words};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

const GAP: &str = "  ";

/// What the footer shows, in order: (text, is it the demo badge).
pub fn parts(app: &App<'_>, width: u16) -> Vec<(String, bool)> {
    let lang = app.lang;
    let width = usize::from(width);
    let context = keys::context(app);
    let mut head = Vec::new();
    if app.demo {
        head.push((format!(" {} ", Msg::DemoBadge.text(lang)), true));
    }
    let search = match app.screen {
        Screen::Dashboard => Some(&app.search),
        Screen::Rulings => Some(&app.rulings_search),
        _ => None,
    };
    if let Some(text) = search
        && app.overlay.is_none()
        && (app.searching || !text.is_empty())
    {
        let cursor = if app.searching { "_" } else { "" };
        head.push((
            format!("{}{}{text}{cursor}", Msg::Search.text(lang), colon(lang)),
            false,
        ));
    }
    // The help is offered on every screen (not in a popup, nor while typing, where `?` is
    // text).
    let tail = matches!(
        context,
        Context::Picker | Context::Dashboard | Context::Walk | Context::Summary | Context::Rulings
    )
    .then(|| item(&HELP_KEY, lang))
    .flatten();
    let mut used: usize = head
        .iter()
        .map(|(t, _)| t.width() + GAP.len())
        .sum::<usize>()
        + tail.as_ref().map_or(0, |t| t.width());
    let mut middle = Vec::new();
    for binding in keys::bindings(app, context) {
        if binding.keys == HELP_KEY.keys {
            continue;
        }
        let Some(text) = item(binding, lang) else {
            continue;
        };
        let need = text.width() + GAP.len();
        if used + need > width {
            break;
        }
        used += need;
        middle.push((text, false));
    }
    head.into_iter()
        .chain(middle)
        .chain(tail.map(|t| (t, false)))
        .collect()
}

/// "w walk": the first key of the row and its footer words.
fn item(binding: &keys::Binding, lang: crate::text::Lang) -> Option<String> {
    let hint = binding.hint?;
    let key = binding.keys.first()?.0.name();
    Some(format!("{key} {}", words(hint, lang)))
}

/// The footer as one line of text (for tests).
pub fn text(app: &App<'_>, width: u16) -> String {
    parts(app, width)
        .into_iter()
        .map(|(t, _)| t)
        .collect::<Vec<_>>()
        .join(GAP)
}

pub fn render(app: &App<'_>, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let mut spans = Vec::new();
    for (i, (text, badge)) in parts(app, area.width).into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(GAP, theme.dim));
        }
        spans.push(Span::styled(
            text,
            if badge { theme.demo } else { theme.dim },
        ));
    }
    // Through the terminal-safe cut: what is typed into a search shows as drawn.
    super::one_line(frame, area, Line::from(spans));
}
