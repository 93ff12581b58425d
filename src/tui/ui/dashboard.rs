//! One app: score, counts, the settings grouped by what they expose, the detail of the
//! selected one with its ruling card, and the exposure map.

use super::{
    Hits, block, field, grounds, now_and_recommended, one_line, scrolled_text, title_line,
};
use crate::audit::explain::parens;
use crate::audit::exposure::{self, Exposure};
use crate::audit::{Finding, Report, finding_summary};
use crate::i18n::Msg;
use crate::tui::app::{App, primary_data};
use crate::tui::theme::Theme;
use crate::vocab::DataCategory;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Gauge, Paragraph, Row, Table};

pub fn render(app: &App<'_>, theme: &Theme, frame: &mut Frame<'_>, area: Rect) -> Hits {
    let report = app.report();
    // What the score means and rests on, wrapped: one line on a wide screen, two on 80
    // columns.
    let explained = crate::tui::text::wrap(
        &Line::styled(score_explained(&report, app.lang), theme.dim),
        usize::from(area.width),
    );
    let [header, explanation, body] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(explained.len().min(2) as u16),
        Constraint::Min(1),
    ])
    .areas(area);
    render_header(app, &report, theme, frame, header);
    frame.render_widget(Paragraph::new(explained), explanation);
    if app.show_map {
        render_map(app, &report, theme, frame, body);
        return Hits::default();
    }
    let [list, detail] =
        Layout::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)]).areas(body);
    let mut hits = render_list(app, &report, theme, frame, list);
    if app.selected().is_none() {
        // The search (`/`) matches no setting.
        hits.scroll = Some(scrolled_text(
            frame,
            detail,
            block(Msg::Details.text(app.lang), theme.title),
            &[Line::raw(Msg::NoSettingMatch.text(app.lang))],
            0,
            app.lang,
            theme,
        ));
        return hits;
    }
    hits.scroll = Some(render_detail(app, &report, theme, frame, detail));
    hits
}

pub fn render_header(
    app: &App<'_>,
    report: &Report<'_>,
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    let lang = app.lang;
    let profile = app.profile();
    let [title, gauge, counts] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let text = format!(
        "{} {}{}",
        profile.app.name.get(lang),
        profile.app.version.get(lang),
        parens(&profile.app.id, lang)
    );
    one_line(frame, title, title_line(app, text, theme, title.width));
    frame.render_widget(
        Gauge::default()
            .gauge_style(theme.gauge)
            .percent(u16::from(report.score))
            .label(score_label(report, lang)),
        gauge,
    );
    let s = &report.summary;
    let mut spans = Vec::new();
    for severity in crate::audit::Severity::ALL_DESC {
        spans.push(Span::styled(
            format!("{} {}  ", severity.name(lang), s.count(severity)),
            if s.count(severity) > 0 {
                theme.severity(severity)
            } else {
                theme.dim
            },
        ));
    }
    spans.push(Span::styled(
        format!("{} {}  ", Msg::MarkWaived.text(lang), s.waived),
        theme.waived,
    ));
    spans.push(Span::styled(
        format!("{} {}  ", Msg::MarkUnknown.text(lang), s.unassessed),
        theme.dim,
    ));
    spans.push(Span::styled(
        format!("{} {}", Msg::Unconfirmed.text(lang), s.unconfirmed),
        theme.dim,
    ));
    one_line(frame, counts, Line::from(spans));
}

fn finding_for<'r>(report: &'r Report<'_>, setting: usize) -> Option<&'r Finding<'r>> {
    report.findings.iter().find(|f| f.index == setting)
}

fn render_list(
    app: &App<'_>,
    report: &Report<'_>,
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
) -> Hits {
    let lang = app.lang;
    let profile = app.profile();
    let outer = block(Msg::Settings.text(lang), theme.title);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    // Lines: a heading per group, then its settings.
    let mut lines: Vec<(Line<'_>, Option<usize>)> = Vec::new();
    let mut group: Option<Option<DataCategory>> = None;
    for (row, &setting) in app.order.iter().enumerate() {
        let data = primary_data(profile, setting);
        if group != Some(data) {
            group = Some(data);
            let heading = data.map_or("-", |d| d.name(lang));
            lines.push((Line::styled(heading.to_uppercase(), theme.dim), None));
        }
        let (mark, style) = match finding_for(report, setting) {
            Some(f) if f.waived() => (Msg::MarkWaived.text(lang).to_owned(), theme.waived),
            Some(f) => (f.severity.name(lang).to_owned(), theme.severity(f.severity)),
            None if report
                .unassessed
                .contains(&profile.settings[setting].id.as_str()) =>
            {
                (Msg::MarkUnknown.text(lang).to_owned(), theme.dim)
            }
            None => (Msg::MarkOk.text(lang).to_owned(), theme.ok),
        };
        let selected = row == app.setting_row;
        let marker = if selected { "> " } else { "  " };
        let label_style = if selected { theme.selected } else { theme.text };
        lines.push((
            Line::from(vec![
                Span::styled(marker, label_style),
                Span::styled(format!("[{mark}] "), style),
                Span::styled(profile.settings[setting].label.get(lang), label_style),
            ]),
            Some(row),
        ));
    }
    // Keep the selected row in view.
    let height = usize::from(inner.height);
    let selected_line = lines
        .iter()
        .position(|(_, r)| *r == Some(app.setting_row))
        .unwrap_or(0);
    let offset = selected_line.saturating_sub(height.saturating_sub(1));
    let shown: Vec<_> = lines.into_iter().skip(offset).take(height).collect();
    let rows = shown.iter().map(|(_, r)| *r).collect();
    // A name too long for the list ends with "…"; the detail pane shows it whole.
    let width = usize::from(inner.width);
    frame.render_widget(
        Paragraph::new(
            shown
                .into_iter()
                .map(|(l, _)| crate::tui::text::truncate(l, width))
                .collect::<Vec<_>>(),
        ),
        inner,
    );
    Hits {
        list: inner,
        rows,
        scroll: None,
        ..Hits::default()
    }
}

fn render_detail(
    app: &App<'_>,
    report: &Report<'_>,
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
) -> crate::tui::app::ScrollRoom {
    let lang = app.lang;
    let profile = app.profile();
    let index = app.selected_setting();
    let setting = &profile.settings[index];
    let selection = &app.entries[app.current].selection;
    let mut lines = vec![Line::styled(setting.label.get(lang), theme.title)];
    if setting.switch != crate::profile::Switch::InApp {
        // No switch to point to: what to do instead.
        lines.push(field(
            Msg::HowToChange.text(lang),
            crate::audit::explain::how_to_change(profile, setting, lang),
            theme,
        ));
    } else if !setting.path.get(lang).is_empty() {
        lines.push(field(
            Msg::Where.text(lang),
            setting.path.joined(lang),
            theme,
        ));
    }
    lines.extend(now_and_recommended(app, index, theme));
    lines.push(Line::raw(""));
    lines.push(Line::styled(Msg::WhyItMatters.text(lang), theme.title));
    match finding_for(report, index) {
        Some(f) => {
            lines.push(Line::styled(
                finding_summary(profile, f, lang),
                theme.severity(f.severity),
            ));
            lines.extend(super::waiver_line(f, lang, theme));
        }
        None if selection.current(profile, index).is_some() => {
            lines.push(Line::styled(Msg::AtRecommendation.text(lang), theme.ok));
        }
        None => {}
    }
    lines.extend(grounds(app, index, finding_for(report, index), theme));
    scrolled_text(
        frame,
        area,
        block(Msg::Details.text(lang), theme.title),
        &lines,
        app.detail_scroll,
        lang,
        theme,
    )
}

fn render_map(
    app: &App<'_>,
    report: &Report<'_>,
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    let lang = app.lang;
    let exposure::Map {
        audiences,
        rows: map,
    } = exposure::map(app.profile(), &app.entries[app.current].selection, report);
    let audiences = &audiences[..];
    // The data column as wide as its longest name; the audiences share the rest equally
    // (less the table's one-cell spacing), and a heading too long for its column ends
    // with "…" rather than being cut at either end.
    let data_width = map
        .iter()
        .map(|(d, _)| crate::tui::text::width(d.name(lang)))
        .chain([crate::tui::text::width(Msg::DataColumn.text(lang))])
        .max()
        .unwrap_or(8);
    let inner_width = usize::from(area.width.saturating_sub(2));
    // A profile whose options send nothing beyond "only me" has no audience column.
    let column = inner_width.saturating_sub(data_width + audiences.len()) / audiences.len().max(1);
    let centered = |text: &'static str| {
        Cell::from(crate::tui::text::truncate(Line::from(text), column).centered())
    };
    let header = Row::new(
        std::iter::once(Cell::from(Msg::DataColumn.text(lang)))
            .chain(audiences.iter().map(|a| centered(a.short_name(lang)))),
    )
    .style(theme.title);
    let rows = map.iter().map(|(data, cells)| {
        Row::new(
            std::iter::once(Cell::from(data.name(lang))).chain(cells.iter().map(|cell| {
                let (mark, style) = match cell {
                    Exposure::Stays => ("X", theme.critical),
                    Exposure::Kept => ("K", theme.waived),
                    Exposure::Goes => ("x", theme.medium),
                    Exposure::Unknown => ("?", theme.dim),
                    Exposure::Nothing => (".", theme.dim),
                };
                Cell::from(Line::styled(mark, style).centered())
            })),
        )
    });
    let widths = std::iter::once(Constraint::Length(data_width as u16))
        .chain(audiences.iter().map(|_| Constraint::Length(column as u16)));
    let legend_lines = legend(Msg::MapLegend.text(lang), usize::from(area.width), theme);
    let [table_area, legend] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(legend_lines.len() as u16),
    ])
    .areas(area);
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(block(Msg::ExposureMap.text(lang), theme.title)),
        table_area,
    );
    frame.render_widget(Paragraph::new(legend_lines), legend);
}

/// The legend's items (separated by three spaces in the message) laid out so that an
/// item is broken only when it is wider than a whole line.
fn legend(text: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    const GAP: &str = "   ";
    let mut rows: Vec<String> = Vec::new();
    for item in text.split(GAP).map(str::trim).filter(|i| !i.is_empty()) {
        match rows.last_mut() {
            Some(row)
                if crate::tui::text::width(row) + GAP.len() + crate::tui::text::width(item)
                    <= width =>
            {
                row.push_str(GAP);
                row.push_str(item);
            }
            _ => rows.push(item.to_owned()),
        }
    }
    rows.iter()
        .flat_map(|row| crate::tui::text::wrap(&Line::styled(row.clone(), theme.dim), width))
        .collect()
}

/// "Score 0/100 (11/100 on confirmed facts only)": the second number whenever the first
/// rests on unconfirmed facts.
fn score_label(report: &Report<'_>, lang: crate::text::Lang) -> String {
    format!(
        "{} {}/100{}",
        Msg::Score.text(lang),
        report.score,
        confirmed_score(report, lang)
    )
}

/// What the score means and what it rests on, in a sentence.
pub fn score_explained(report: &Report<'_>, lang: crate::text::Lang) -> String {
    // Every finding the score weighs, kept ones too (the summary's count leaves those out).
    let unconfirmed = report.findings.iter().filter(|f| !f.confirmed()).count();
    crate::i18n::score_explained(
        report.findings.len(),
        unconfirmed,
        report.summary.unassessed,
        lang,
    )
}

/// " (confirmed facts only: 88/100)", or nothing when the two scores agree.
pub fn confirmed_score(report: &Report<'_>, lang: crate::text::Lang) -> String {
    if report.score == report.score_confirmed {
        return String::new();
    }
    let inside = format!(
        "{}{}/100",
        Msg::ConfirmedOnly.text(lang),
        report.score_confirmed
    );
    parens(&inside, lang)
}
