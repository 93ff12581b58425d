//! Drawing: pure functions of the [`App`] onto a ratatui frame. Nothing here decides what
//! is risky; every verdict shown comes from the engine's report.

mod chooser;
mod dashboard;
pub mod footer;

pub use chooser::rows as chooser_rows;
mod picker;
mod rulings;
mod walk;

use super::app::{App, Overlay, Screen, ScrollRoom};
use super::text;
use super::theme::Theme;
use crate::audit::explain::{
    basis_sentence, certainty_sentence, citations_by_layer, cited_article, evidence_sentence,
    flow_list, layer_name, link_words, related_articles,
};
use crate::audit::{Finding, standing};
use crate::catalog::{Catalog, Ruling};
use crate::i18n::Msg;
use crate::profile::{Flow, Link};
use crate::text::Lang;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// The smallest terminal the layouts fit in.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// What the runner needs to know of the screen drawn: where the clickable list was (so
/// a mouse click can be mapped back to a row) and how far the detail text can scroll.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hits {
    pub list: Rect,
    /// For each screen line of the list, the list row it shows (None for headings).
    pub rows: Vec<Option<usize>>,
    /// The scrollable text on screen, if any.
    pub scroll: Option<ScrollRoom>,
    /// The terminal is too small and the notice saying so is all that is drawn.
    pub too_small: bool,
}

impl Hits {
    /// The list row under a click at (column, row), if any.
    pub fn row_at(&self, column: u16, row: u16) -> Option<usize> {
        let area = self.list;
        if column < area.x
            || column >= area.x + area.width
            || row < area.y
            || row >= area.y + area.height
        {
            return None;
        }
        self.rows.get(usize::from(row - area.y)).copied().flatten()
    }
}

pub fn render(app: &App<'_>, theme: &Theme, frame: &mut Frame<'_>) -> Hits {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(app, theme, frame, area);
        return Hits {
            too_small: true,
            ..Hits::default()
        };
    }
    // A long status (a file problem with its path) gets more lines rather than being cut.
    let status_lines: Vec<Line<'static>> = match &app.status {
        Some((said, problem)) => {
            let style = if *problem { theme.problem } else { theme.ok };
            text::wrap(&Line::styled(said.as_str(), style), usize::from(area.width))
        }
        None => Vec::new(),
    };
    let status_height = status_lines.len().clamp(1, 3) as u16;
    let [body, status, hint] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(status_height),
        Constraint::Length(1),
    ])
    .areas(area);
    let hits = match app.screen {
        Screen::Picker => picker::render(app, theme, frame, body),
        Screen::Dashboard => dashboard::render(app, theme, frame, body),
        Screen::Walk => walk::render_step(app, theme, frame, body),
        Screen::Summary => walk::render_summary(app, theme, frame, body),
        Screen::Rulings => rulings::render(app, theme, frame, body),
    };
    frame.render_widget(Paragraph::new(status_lines), status);
    footer::render(app, theme, frame, hint);
    match &app.overlay {
        Some(Overlay::Help) => help(app, theme, frame, area),
        Some(Overlay::Reason { text }) => prompt(app, theme, frame, area, Msg::ReasonPrompt, text),
        Some(Overlay::Expiry { text, .. }) => {
            prompt(app, theme, frame, area, Msg::ExpiryPrompt, text)
        }
        Some(Overlay::Chooser { setting, row }) => {
            chooser::render(app, theme, frame, area, *setting, *row)
        }
        None => {}
    }
    // Whatever was drawn over half of a wide character, the screen diff must not skip.
    text::mend_wide_characters(frame.buffer_mut());
    hits
}

/// `lines` in a bordered block, wrapped to its width and scrolled down by `scroll` lines
/// (no further than the last line). When not everything fits, the bottom border says
/// which lines are shown and whether there is more above or below.
pub fn scrolled_text(
    frame: &mut Frame<'_>,
    area: Rect,
    block: Block<'_>,
    lines: &[Line<'_>],
    scroll: u16,
    lang: Lang,
    theme: &Theme,
) -> ScrollRoom {
    let inner = block.inner(area);
    let wrapped = text::wrap_all(lines, usize::from(inner.width));
    let total = wrapped.len();
    let page = usize::from(inner.height);
    let max = total.saturating_sub(page);
    let offset = usize::from(scroll).min(max);
    let block = if total > page && page > 0 {
        let first = offset + 1;
        let last = (offset + page).min(total);
        let arrows = match (offset > 0, offset < max) {
            (true, true) => " ↑↓",
            (true, false) => " ↑",
            (false, true) => " ↓",
            (false, false) => "",
        };
        let position = match lang {
            Lang::En => format!(" lines {first}-{last} of {total}{arrows} "),
            Lang::Zh => format!(" 第 {first}-{last} 行，共 {total} 行{arrows} "),
        };
        block.title_bottom(Line::styled(position, theme.dim).right_aligned())
    } else {
        block
    };
    let shown: Vec<Line<'static>> = wrapped.into_iter().skip(offset).take(page).collect();
    frame.render_widget(Paragraph::new(shown).block(block), area);
    ScrollRoom {
        max: u16::try_from(max).unwrap_or(u16::MAX),
        page: u16::try_from(page).unwrap_or(u16::MAX),
    }
}

/// `lines` wrapped to the width of `area` (no border), as many as fit.
pub fn wrapped_text(frame: &mut Frame<'_>, area: Rect, lines: &[Line<'_>]) {
    let wrapped = text::wrap_all(lines, usize::from(area.width));
    frame.render_widget(Paragraph::new(wrapped), area);
}

/// One line cut to the width of `area`, ending with "…" when it does not fit.
pub fn one_line(frame: &mut Frame<'_>, area: Rect, line: Line<'_>) {
    frame.render_widget(
        Paragraph::new(text::truncate(line, usize::from(area.width))),
        area,
    );
}

fn too_small(app: &App<'_>, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let size = match app.lang {
        Lang::En => format!(
            "It needs at least {MIN_WIDTH} columns and {MIN_HEIGHT} rows; it has {} x {}.",
            area.width, area.height
        ),
        Lang::Zh => format!(
            "至少需要 {MIN_WIDTH} 列、{MIN_HEIGHT} 行，当前为 {} 列、{} 行。",
            area.width, area.height
        ),
    };
    let quit = match app.lang {
        Lang::En => "Make the window larger (q still works: back, or quit from the app list).",
        Lang::Zh => "请放大窗口（q 仍可用：返回，或在应用列表中退出）。",
    };
    let lines = vec![
        Line::styled(Msg::TooSmall.text(app.lang), theme.problem),
        Line::raw(size),
        Line::raw(quit),
    ];
    wrapped_text(frame, area, &lines);
}

fn help(app: &App<'_>, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let rows = super::keys::help_rows(app);
    let key_width = rows
        .iter()
        .map(|(k, _)| unicode_width::UnicodeWidthStr::width(k.as_str()))
        .max()
        .unwrap_or(0)
        + 2;
    let lines: Vec<Line<'_>> = rows
        .into_iter()
        .map(|(keys, what)| {
            Line::from(vec![
                Span::styled(format!("{keys:<key_width$}"), theme.title),
                Span::raw(what),
            ])
        })
        .chain([
            Line::raw(""),
            Line::styled(Msg::HelpClose.text(app.lang), theme.dim),
        ])
        .collect();
    popup(
        frame,
        area,
        area.width.saturating_sub(4).min(90),
        Block::default().borders(Borders::ALL).title(popup_title(
            app,
            Msg::HelpTitle.text(app.lang),
            theme,
        )),
        &lines,
        Focus::Top,
    );
}

fn prompt(app: &App<'_>, theme: &Theme, frame: &mut Frame<'_>, area: Rect, msg: Msg, text: &str) {
    let lines = vec![
        Line::styled(msg.text(app.lang), theme.title),
        Line::raw(format!("> {text}_")),
    ];
    popup(
        frame,
        area,
        64,
        Block::default()
            .borders(Borders::ALL)
            .title(popup_title(app, "", theme)),
        &lines,
        Focus::Bottom,
    );
}

/// Which part of a popup's text stays in view when the screen is too short for all of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// The start (help).
    Top,
    /// The end (a prompt: what is being typed).
    Bottom,
    /// Line N of the text before wrapping (the chooser's cursor).
    Line(usize),
}

/// A bordered popup at most `width` wide, centred in `area`, as tall as its wrapped text
/// needs, showing the part `focus` names when the screen is too short (the bottom border
/// then says how many lines are hidden above and below). It clears what it covers; a wide
/// character its edge cuts in half is blanked when the frame is mended.
pub fn popup(
    frame: &mut Frame<'_>,
    area: Rect,
    width: u16,
    block: Block<'_>,
    lines: &[Line<'_>],
    focus: Focus,
) {
    let width = width.min(area.width);
    let inner_width = usize::from(width.saturating_sub(2));
    // Wrapped line by line, to know where line N starts once wrapped.
    let mut wrapped: Vec<Line<'static>> = Vec::new();
    let mut starts = Vec::with_capacity(lines.len());
    for line in lines {
        starts.push(wrapped.len());
        wrapped.extend(text::wrap(line, inner_width));
    }
    let total = wrapped.len();
    let height = (total + 2).min(usize::from(area.height)) as u16;
    let room = usize::from(height.saturating_sub(2));
    let max = total.saturating_sub(room);
    let skip = match focus {
        Focus::Top => 0,
        Focus::Bottom => max,
        Focus::Line(n) => {
            let start = starts.get(n).copied().unwrap_or(0);
            let end = starts.get(n + 1).copied().unwrap_or(total);
            // Scrolled just enough for the whole line to show, from the top.
            end.saturating_sub(room).min(start).min(max)
        }
    };
    let block = if total > room {
        let (above, below) = (skip, total - skip - room);
        let arrows = match (above > 0, below > 0) {
            (true, true) => format!(" ↑{above} ↓{below} "),
            (true, false) => format!(" ↑{above} "),
            (false, _) => format!(" ↓{below} "),
        };
        block.title_bottom(Line::raw(arrows).right_aligned())
    } else {
        block
    };
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(
            wrapped
                .into_iter()
                .skip(skip)
                .take(room)
                .collect::<Vec<_>>(),
        )
        .block(block),
        rect,
    );
}

/// A popup's title, with the DEMO badge in demo mode (a popup may cover the footer's).
fn popup_title<'t>(app: &App<'_>, text: &'t str, theme: &Theme) -> Line<'t> {
    let mut spans = vec![Span::raw(text)];
    if app.demo {
        spans.push(Span::styled(
            format!(" {} ", Msg::DemoBadge.text(app.lang)),
            theme.demo,
        ));
    }
    Line::from(spans)
}

/// A rectangle of at most `width` x `height`, centred in `area`.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// A screen's title, with the DEMO badge in demo mode.
/// At most `width` cells: a long title is cut with "…" before the badge, so the badge
/// always shows.
pub fn title_line(app: &App<'_>, text: String, theme: &Theme, width: u16) -> Line<'static> {
    let badge = app.demo.then(|| format!(" {} ", Msg::Demo.text(app.lang)));
    let room =
        usize::from(width).saturating_sub(badge.as_deref().map_or(0, |b| text::width(b) + 2));
    let mut line = text::truncate(Line::from(Span::styled(text, theme.title)), room);
    if let Some(badge) = badge {
        line.spans.push(Span::raw("  "));
        line.spans.push(Span::styled(badge, theme.demo));
    }
    line
}

/// What setting `index` of the open app sends now (or that its value is unknown), and
/// what the recommended option would send.
pub fn now_and_recommended(app: &App<'_>, index: usize, theme: &Theme) -> Vec<Line<'static>> {
    let lang = app.lang;
    let profile = app.profile();
    let setting = &profile.settings[index];
    let selection = &app.entries[app.current].selection;
    let mut lines = Vec::new();
    match selection.current(profile, index) {
        Some(current) => {
            let option = &setting.options[current];
            let default = if selection.chosen[index].is_none() {
                match lang {
                    Lang::En => format!(" ({})", Msg::DefaultMark.text(lang)),
                    Lang::Zh => format!("（{}）", Msg::DefaultMark.text(lang)),
                }
            } else {
                String::new()
            };
            lines.push(field(
                Msg::Now.text(lang),
                format!("{}{default}", option.label.get(lang)),
                theme,
            ));
            lines.push(sends(&option.flows, lang, theme));
        }
        None => lines.push(Line::styled(Msg::NotAssessed.text(lang), theme.dim)),
    }
    let rec = setting.recommended_option();
    lines.push(field(
        Msg::Recommended.text(lang),
        rec.label.get(lang).to_owned(),
        theme,
    ));
    lines.push(sends(&rec.flows, lang, theme));
    lines
}

/// "  Sends: reading history → friends", under an option (rather than a chain of colons
/// after its label).
fn sends(flows: &[Flow], lang: Lang, theme: &Theme) -> Line<'static> {
    let shown = flow_list(flows, lang);
    let shown = if shown.is_empty() {
        Msg::SendsNothing.text(lang).to_owned()
    } else {
        shown
    };
    Line::from(vec![
        Span::raw("  "),
        Span::styled(
            format!("{}{}", Msg::Sends.text(lang), colon(lang)),
            theme.dim,
        ),
        Span::raw(shown),
    ])
}

/// Why a setting matters beyond the finding itself: the profile's note and caveat, how
/// sure we are of each fact, a ruling card per ruling it cites (with the link's kind), and
/// the related articles in their layers (the finding's, else the profile's own).
pub fn grounds<'a>(
    app: &App<'a>,
    index: usize,
    finding: Option<&Finding<'_>>,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let lang = app.lang;
    let profile = app.profile();
    let setting = &profile.settings[index];
    let mut lines = Vec::new();
    if let Some(note) = &setting.note {
        lines.push(Line::styled(note.get(lang), theme.dim));
    }
    // With a finding, its summary already carries the caveat.
    if let (Some(caveat), None) = (&setting.caveat, finding) {
        lines.push(Line::styled(caveat.get(lang), theme.dim));
    }
    lines.push(Line::raw(""));
    if let Some(f) = finding {
        lines.push(Line::styled(certainty_sentence(f, lang), theme.title));
    }
    lines.push(Line::raw(evidence_sentence(setting, lang)));
    for link in &setting.rulings {
        if let Some(ruling) = app.catalog.ruling(&link.id) {
            lines.push(Line::raw(""));
            lines.extend(ruling_card(ruling, link.link, app.catalog, lang, theme));
        }
    }
    if crate::audit::rulings_persuasive_only(profile, setting) {
        lines.push(Line::styled(
            crate::audit::explain::foreign_rulings_sentence(lang),
            theme.dim,
        ));
    }
    for event in setting.events.iter().filter_map(|id| app.catalog.event(id)) {
        lines.push(Line::raw(""));
        lines.push(Line::raw(crate::audit::explain::event_sentence(
            event, lang,
        )));
    }
    let citations = match finding {
        Some(f) => f.citations().to_vec(),
        None => standing(&setting.laws, setting, profile, app.catalog),
    };
    let groups = citations_by_layer(&citations, app.catalog);
    if !groups.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(related_articles(lang), theme.title));
        for (layer, laws) in groups {
            lines.push(Line::styled(
                format!("{}{}", layer_name(layer, lang), colon(lang)),
                theme.dim,
            ));
            for (law, c) in laws {
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("{}{}", cited_article(law, Some(c), lang), colon(lang)),
                        theme.title,
                    ),
                    Span::raw(law.summary.get(lang).to_owned()),
                ]));
            }
        }
    }
    lines
}

pub use crate::audit::explain::colon;

/// Between a title's parts: " - " in English, a full-width bar in Chinese (微信读书｜总结).
pub fn dash(lang: Lang) -> &'static str {
    match lang {
        Lang::En => " - ",
        Lang::Zh => "｜",
    }
}

/// The finding's waiver, if it has one: kept, with the reason and until when; or that it
/// ended and the finding counts again.
pub fn waiver_line(f: &Finding<'_>, lang: Lang, theme: &Theme) -> Option<Line<'static>> {
    let w = f.waiver.as_ref()?;
    Some(match (f.waiver_expired, w.expires) {
        (true, Some(date)) => Line::styled(
            match lang {
                Lang::En => format!(
                    "Kept until {date}, which has passed: it counts again. Reason given: {}",
                    w.reason
                ),
                Lang::Zh => format!("保留已于 {date} 到期，重新计入。当时的理由：{}", w.reason),
            },
            theme.problem,
        ),
        _ => Line::styled(
            format!(
                "{}{}{}{}",
                Msg::MarkWaived.text(lang),
                colon(lang),
                w.reason,
                crate::audit::explain::parens(&crate::i18n::until(w.expires, lang), lang)
            ),
            theme.waived,
        ),
    })
}

/// "reading history -> friends; activity -> friends", or "shares nothing".
pub fn flows_text(flows: &[Flow], lang: Lang) -> String {
    let shown = flow_list(flows, lang);
    if shown.is_empty() {
        Msg::SharesNothing.text(lang).to_owned()
    } else {
        shown
    }
}

/// "Label: value" with the label styled.
pub fn field<'t>(label: &str, value: impl Into<String>, theme: &Theme) -> Line<'t> {
    let colon = if label.is_ascii() { ": " } else { "：" };
    Line::from(vec![
        Span::styled(format!("{label}{colon}"), theme.title),
        Span::raw(value.into()),
    ])
}

/// The ruling card: how it bears on the setting (direct or by analogy), court, date, case
/// number, nature, what was held, the remedy, and the court's own legal basis.
pub fn ruling_card<'t>(
    ruling: &'t Ruling,
    link: Link,
    catalog: &Catalog,
    lang: Lang,
    theme: &Theme,
) -> Vec<Line<'t>> {
    vec![
        Line::styled(ruling.title.get(lang), theme.title),
        Line::styled(link_words(link, lang), theme.dim),
        field(Msg::Court.text(lang), ruling.court.get(lang), theme),
        field(Msg::Date.text(lang), ruling.date.clone(), theme),
        field(
            Msg::CaseNumber.text(lang),
            ruling.case_number_text(lang),
            theme,
        ),
        Line::raw(ruling.nature.name(lang)),
        field(Msg::Held.text(lang), ruling.held.get(lang), theme),
        field(Msg::Remedy.text(lang), ruling.remedies.get(lang), theme),
        Line::raw(basis_sentence(ruling, catalog, lang)),
    ]
}

/// A bordered block with a title.
pub fn block(title: &str, style: Style) -> Block<'_> {
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, style))
}
