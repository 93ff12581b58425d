//! The rulings browser: every ruling and article, and which settings cite it.

use super::{Hits, block, field, scrolled_text};
use crate::audit::explain::{related_articles, ruling_articles, standing_words};
use crate::i18n::Msg;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(app: &App<'_>, theme: &Theme, frame: &mut Frame<'_>, area: Rect) -> Hits {
    let lang = app.lang;
    let catalog = app.catalog;
    let [list, detail] =
        Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)]).areas(area);
    let all: Vec<String> = catalog
        .rulings
        .iter()
        .map(|r| r.title.get(lang).to_owned())
        .chain(catalog.laws.iter().map(|l| l.short_citation(lang)))
        .collect();
    // Only what the search (`/`) finds; rows count in that list.
    let titles: Vec<&String> = app.rulings_visible().into_iter().map(|i| &all[i]).collect();
    let outer = block(Msg::Rulings.text(lang), theme.title);
    let inner = outer.inner(list);
    frame.render_widget(outer, list);
    let height = usize::from(inner.height);
    let offset = app.rulings_row.saturating_sub(height.saturating_sub(1));
    let mut rows = Vec::new();
    let lines: Vec<Line<'_>> = titles
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(row, title)| {
            rows.push(Some(row));
            let selected = row == app.rulings_row;
            let style = if selected { theme.selected } else { theme.text };
            crate::tui::text::truncate(
                Line::styled(
                    format!("{}{title}", if selected { "> " } else { "  " }),
                    style,
                ),
                usize::from(inner.width),
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);

    let Some(row) = app.ruling_item() else {
        let scroll = scrolled_text(
            frame,
            detail,
            block(Msg::Details.text(lang), theme.title),
            &[Line::raw(Msg::NoRulingMatch.text(lang))],
            0,
            lang,
            theme,
        );
        return Hits {
            list: inner,
            rows,
            scroll: Some(scroll),
            ..Hits::default()
        };
    };
    let mut text: Vec<Line<'_>> = Vec::new();
    let cites: Box<dyn Fn(&crate::profile::Setting) -> bool> =
        if let Some(r) = catalog.rulings.get(row) {
            let ev = &r.evidence;
            // How sure each fact is, in brackets after it: " [secondary]", "（多个二手来源）".
            let tag = |e: crate::evidence::Evidence| match lang {
                crate::text::Lang::En => format!(" [{}]", e.name(lang)),
                crate::text::Lang::Zh => format!("（{}）", e.name(lang)),
            };
            text.push(Line::styled(r.title.get(lang), theme.title));
            text.push(field(
                Msg::Court.text(lang),
                format!("{}{}", r.court.get(lang), tag(ev.court)),
                theme,
            ));
            text.push(field(
                Msg::Date.text(lang),
                format!("{}{}", r.date, tag(ev.date)),
                theme,
            ));
            text.push(field(
                Msg::CaseNumber.text(lang),
                format!("{}{}", r.case_number_text(lang), tag(ev.case_number)),
                theme,
            ));
            text.push(Line::raw(r.nature.name(lang)));
            text.push(Line::raw(""));
            text.push(Line::raw(r.feature.get(lang)));
            text.push(Line::raw(""));
            text.push(field(
                Msg::Held.text(lang),
                format!("{}{}", r.held.get(lang), tag(ev.held)),
                theme,
            ));
            text.push(field(Msg::NotHeld.text(lang), r.not_held.get(lang), theme));
            text.push(field(
                Msg::Remedy.text(lang),
                format!("{}{}", r.remedies.get(lang), tag(ev.remedies)),
                theme,
            ));
            text.push(Line::raw(format!(
                "{}{}",
                r.appeal.get(lang),
                tag(ev.appeal)
            )));
            text.push(Line::raw(""));
            text.push(Line::styled(related_articles(lang), theme.title));
            text.extend(ruling_articles(r, catalog, lang).into_iter().map(Line::raw));
            let id = r.id.clone();
            Box::new(move |s| s.cites_ruling(&id))
        } else if let Some(law) = catalog.laws.get(row - catalog.rulings.len()) {
            text.push(Line::styled(law.citation(lang), theme.title));
            let standing = standing_words(law, None, lang);
            if !standing.is_empty() {
                text.push(Line::raw(standing));
            }
            text.push(Line::raw(""));
            text.push(Line::raw(law.summary.get(lang)));
            let id = law.id.clone();
            Box::new(move |s| s.laws.contains(&id))
        } else {
            Box::new(|_| false)
        };
    let citing: Vec<String> = app
        .auditors
        .iter()
        .flat_map(|a| {
            a.profile
                .settings
                .iter()
                .filter(|s| cites(s))
                .map(|s| format!("{} / {}", a.profile.app.name.get(lang), s.label.get(lang)))
                .collect::<Vec<_>>()
        })
        .collect();
    if !citing.is_empty() {
        text.push(Line::raw(""));
        text.push(Line::from(Span::styled(
            Msg::CitedBy.text(lang),
            theme.title,
        )));
        text.extend(citing.into_iter().map(|c| Line::raw(format!("- {c}"))));
    }
    let scroll = scrolled_text(
        frame,
        detail,
        block(Msg::Details.text(lang), theme.title),
        &text,
        app.detail_scroll,
        lang,
        theme,
    );
    Hits {
        list: inner,
        rows,
        scroll: Some(scroll),
        ..Hits::default()
    }
}
