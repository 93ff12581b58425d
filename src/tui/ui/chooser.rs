//! The chooser (`c` on the dashboard): every option of the selected setting with what it
//! sends, and first "not set (the app's default)"; the current choice marked `(*)`, the
//! cursor `>`.

use super::{Focus, colon, flows_text, popup};
use crate::i18n::Msg;
use crate::text::Lang;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

/// The chooser's rows as text: (is it the current choice, the words).
pub fn rows(app: &App<'_>, setting: usize) -> Vec<(bool, String)> {
    let lang = app.lang;
    let profile = app.profile();
    let s = &profile.settings[setting];
    let chosen = app.entries[app.current].selection.chosen[setting];
    let default = s
        .default
        .map(|d| {
            let label = s.options[d].label.get(lang);
            match lang {
                Lang::En => format!(": {label}"),
                Lang::Zh => format!("：{label}"),
            }
        })
        .unwrap_or_default();
    let mut rows = vec![(
        chosen.is_none(),
        format!("{}{default}", Msg::NotSetChoice.text(lang)),
    )];
    for (i, option) in s.options.iter().enumerate() {
        rows.push((
            chosen == Some(i),
            format!(
                "{}{}{}",
                option.label.get(lang),
                colon(lang),
                flows_text(&option.flows, lang)
            ),
        ));
    }
    rows
}

pub fn render(
    app: &App<'_>,
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
    setting: usize,
    row: usize,
) {
    let lang = app.lang;
    let label = app.profile().settings[setting].label.get(lang);
    let mut lines = Vec::new();
    for (i, (current, text)) in rows(app, setting).into_iter().enumerate() {
        let cursor = if i == row { "> " } else { "  " };
        let mark = if current { "(*) " } else { "( ) " };
        let style = if i == row { theme.selected } else { theme.text };
        let mut spans = vec![Span::styled(format!("{cursor}{mark}{text}"), style)];
        if !app.choosable(setting, i) {
            spans.push(Span::styled(
                Msg::NotInThisVersionMark.text(lang),
                theme.dim,
            ));
        }
        lines.push(Line::from(spans));
    }
    let width = area.width.saturating_sub(8).clamp(20, 90);
    // A long setting name ends with "…" in the border (the details show it whole); the
    // DEMO badge after it always shows.
    let badge = app.demo.then(|| format!(" {} ", Msg::DemoBadge.text(lang)));
    let room = usize::from(width.saturating_sub(2))
        .saturating_sub(badge.as_deref().map_or(0, crate::tui::text::width));
    let mut title =
        crate::tui::text::truncate(Line::styled(format!(" {label} "), theme.title), room);
    if let Some(badge) = badge {
        title.spans.push(Span::styled(badge, theme.demo));
    }
    popup(
        frame,
        area,
        width,
        Block::default().borders(Borders::ALL).title(title),
        &lines,
        Focus::Line(row),
    );
}
