//! The profile picker: each app in both languages, its version, and how many settings
//! expose data now.

use super::{Hits, block, dash, title_line};
use crate::i18n::Msg;
use crate::tui::app::App;
use crate::tui::text::width;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(app: &App<'_>, theme: &Theme, frame: &mut Frame<'_>, area: Rect) -> Hits {
    let lang = app.lang;
    let [filter_area, list_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let filter = if app.filtering || !app.filter.is_empty() {
        let cursor = if app.filtering { "_" } else { "" };
        format!(
            "{}{}{}{cursor}",
            Msg::Filter.text(lang),
            super::colon(lang),
            app.filter
        )
    } else {
        String::new()
    };
    let mut title = title_line(
        app,
        format!("privaudit{}{}", dash(lang), Msg::PickerTitle.text(lang)),
        theme,
        filter_area.width,
    );
    if !filter.is_empty() {
        title.spans.push(Span::raw("  "));
        title.spans.push(Span::raw(filter));
    }
    super::one_line(frame, filter_area, title);

    // User profiles that could not be read: each problem in full, wrapped, below the list
    // (at most half the screen; the status line says how many).
    // PageDown scrolls the list of broken profiles, the only long text here.
    let mut scroll = None;
    let list_area = if app.broken.is_empty() {
        list_area
    } else {
        let text: Vec<Line<'_>> = app
            .broken
            .iter()
            .map(|problem| Line::styled(format!("- {problem}"), theme.problem))
            .collect();
        let inner_width = usize::from(list_area.width.saturating_sub(2)).max(1);
        let needed = crate::tui::text::wrap_all(&text, inner_width).len() + 2;
        let height = (needed as u16).min(list_area.height / 2);
        let [list, broken] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(height)]).areas(list_area);
        scroll = Some(super::scrolled_text(
            frame,
            broken,
            block(Msg::BrokenProfiles.text(lang), theme.problem),
            &text,
            app.detail_scroll,
            lang,
            theme,
        ));
        list
    };
    let rows = app.filtered();
    let inner = block("", theme.title).inner(list_area);
    frame.render_widget(block(Msg::PickerTitle.text(lang), theme.title), list_area);
    if rows.is_empty() {
        frame.render_widget(Paragraph::new(Msg::NoMatch.text(lang)), inner);
        return Hits {
            scroll,
            ..Hits::default()
        };
    }
    let height = usize::from(inner.height);
    let offset = app.picker_row.saturating_sub(height.saturating_sub(1));
    let name_width = rows
        .iter()
        .map(|&i| {
            width(&app.auditors[i].profile.app.name.en)
                + width(&app.auditors[i].profile.app.name.zh)
                + 3
        })
        .max()
        .unwrap_or(0)
        // One very long name must not push every app's count off the screen: names get
        // at most half the row; versions what is left beside the count ("12 exposed") and
        // the "[yours]" mark, at least a quarter, cut with "…".
        .min(usize::from(inner.width) / 2);
    let count_width = width(&format!("99 {}", Msg::Exposed.text(lang)));
    let mark_width = if rows.iter().any(|&i| !app.auditors[i].profile.builtin) {
        width(&format!("  [{}]", Msg::UserProfileMark.text(lang)))
    } else {
        0
    };
    // Marker, name, two spaces, the version, two spaces, the count, the mark.
    let beside_version = 2 + name_width + 2 + 2 + count_width + mark_width;
    let version_width = rows
        .iter()
        .map(|&i| width(app.auditors[i].profile.app.version.get(lang)))
        .max()
        .unwrap_or(0)
        .min(
            usize::from(inner.width)
                .saturating_sub(beside_version)
                .max(usize::from(inner.width) / 4),
        );
    let fit = |text: String, room: usize| {
        let cut = crate::tui::text::truncate(Line::raw(text), room).to_string();
        let pad = " ".repeat(room.saturating_sub(width(&cut)));
        format!("{cut}{pad}")
    };
    let mut lines = Vec::new();
    let mut hit_rows = Vec::new();
    for (row, &index) in rows.iter().enumerate().skip(offset).take(height) {
        let profile = app.auditors[index].profile;
        let entry = &app.entries[index];
        // The reader's language first; another version of the app above is drawn as a
        // branch under it, so versions read as one app.
        let name = if app.continues_family(&rows, row) {
            let last = !(row + 1 < rows.len() && app.continues_family(&rows, row + 1));
            format!(
                "  {} {}",
                if last { "└" } else { "├" },
                Msg::OtherVersion.text(lang)
            )
        } else {
            match lang {
                crate::text::Lang::En => {
                    format!("{} / {}", profile.app.name.en, profile.app.name.zh)
                }
                crate::text::Lang::Zh => {
                    format!("{} / {}", profile.app.name.zh, profile.app.name.en)
                }
            }
        };
        let report = app.report_of(index);
        let open = report.findings.iter().filter(|f| !f.waived()).count();
        let selected = row == app.picker_row;
        let marker = if selected { "> " } else { "  " };
        let base = if selected { theme.selected } else { theme.text };
        let mut spans = vec![
            Span::styled(format!("{marker}{}  ", fit(name, name_width)), base),
            Span::styled(
                format!(
                    "{}  ",
                    fit(profile.app.version.get(lang).to_owned(), version_width)
                ),
                theme.dim,
            ),
            Span::styled(
                format!("{open} {}", Msg::Exposed.text(lang)),
                if open > 0 { theme.problem } else { theme.ok },
            ),
        ];
        if !profile.builtin {
            // A profile of the user's own (from the config directory or the command line).
            spans.push(Span::styled(
                format!("  [{}]", Msg::UserProfileMark.text(lang)),
                theme.title,
            ));
        }
        if entry.load_error.is_some() {
            spans.push(Span::styled(
                format!(
                    "  {}",
                    crate::audit::explain::parens(Msg::Unreadable.text(lang), lang).trim_start()
                ),
                theme.problem,
            ));
        }
        lines.push(crate::tui::text::truncate(
            Line::from(spans),
            usize::from(inner.width),
        ));
        hit_rows.push(Some(row));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    Hits {
        list: inner,
        rows: hit_rows,
        scroll,
        ..Hits::default()
    }
}
