//! The guided walk-through, one finding per screen, and the summary at its end.

use super::{
    Hits, block, colon, field, flows_text, grounds, now_and_recommended, one_line, scrolled_text,
    title_line,
};
use crate::audit::explain::{certainty_badge, how_to_change, parens};
use crate::audit::finding_summary;
use crate::i18n::Msg;
use crate::text::Lang;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Gauge;

fn step_of(lang: Lang, n: usize, m: usize) -> String {
    match lang {
        Lang::En => format!("step {n} of {m}"),
        Lang::Zh => format!("第 {n} 步，共 {m} 步"),
    }
}

pub fn render_step(app: &App<'_>, theme: &Theme, frame: &mut Frame<'_>, area: Rect) -> Hits {
    let lang = app.lang;
    let profile = app.profile();
    let walk = &app.walk;
    let Some(&index) = walk.steps.get(walk.pos) else {
        return Hits::default();
    };
    let [title, progress, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    let text = format!(
        "{}{}{}{}{}",
        profile.app.name.get(lang),
        super::dash(lang),
        Msg::Walkthrough.text(lang),
        colon(lang),
        step_of(lang, walk.pos + 1, walk.steps.len())
    );
    one_line(frame, title, title_line(app, text, theme, title.width));
    frame.render_widget(
        Gauge::default()
            .gauge_style(theme.gauge)
            .ratio(walk.pos as f64 / walk.steps.len().max(1) as f64)
            .label(format!("{}/{}", walk.pos, walk.steps.len())),
        progress,
    );
    let setting = &profile.settings[index];
    let report = app.report();
    let finding = report.findings.iter().find(|f| f.index == index);
    let mut lines = vec![Line::styled(setting.label.get(lang), theme.title)];
    if let Some(line) = finding.and_then(|f| super::waiver_line(f, lang, theme)) {
        // Back on a step already kept (or whose waiver ended): say so.
        lines.push(line);
    }
    if let Some(f) = finding {
        let badge = certainty_badge(f, lang)
            .map(|b| parens(b, lang))
            .unwrap_or_default();
        lines.push(Line::styled(
            match lang {
                Lang::En => format!("{}{badge}", f.severity.name(lang).to_uppercase()),
                Lang::Zh => format!("风险：{}{badge}", f.severity.name(lang)),
            },
            theme.severity(f.severity),
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(Msg::WhatIsExposed.text(lang), theme.title));
    lines.extend(now_and_recommended(app, index, theme));
    lines.push(Line::raw(""));
    lines.push(Line::styled(Msg::HowToChange.text(lang), theme.title));
    lines.push(Line::raw(how_to_change(profile, setting, lang)));
    lines.push(Line::raw(""));
    lines.push(Line::styled(Msg::WhyItMatters.text(lang), theme.title));
    if let Some(f) = finding {
        lines.push(Line::raw(finding_summary(profile, f, lang)));
    }
    lines.extend(grounds(app, index, finding, theme));
    let scroll = scrolled_text(
        frame,
        body,
        block(Msg::Walkthrough.text(lang), theme.title),
        &lines,
        app.detail_scroll,
        lang,
        theme,
    );
    Hits {
        scroll: Some(scroll),
        ..Hits::default()
    }
}

pub fn render_summary(app: &App<'_>, theme: &Theme, frame: &mut Frame<'_>, area: Rect) -> Hits {
    let lang = app.lang;
    let profile = app.profile();
    let report = app.report();
    let before = if app.walk.steps.is_empty() {
        report.score
    } else {
        app.walk.score_before
    };
    let mut lines = vec![
        Line::styled(
            format!(
                "{}{}{}",
                profile.app.name.get(lang),
                super::dash(lang),
                Msg::Summary.text(lang)
            ),
            theme.title,
        ),
        Line::raw(""),
        field(
            Msg::Score.text(lang),
            format!(
                "{before}{} → {}{}",
                parens(Msg::Before.text(lang), lang),
                report.score,
                // The confirmed-only figure is of the score after, inside its brackets.
                parens(
                    &match report.score == report.score_confirmed {
                        true => Msg::After.text(lang).to_owned(),
                        false => format!(
                            "{}{}{}{}/100",
                            Msg::After.text(lang),
                            crate::i18n::clause_sep(lang),
                            Msg::ConfirmedOnly.text(lang),
                            report.score_confirmed
                        ),
                    },
                    lang
                ),
            ),
            theme,
        ),
        Line::styled(super::dashboard::score_explained(&report, lang), theme.dim),
        Line::raw(""),
        Line::styled(Msg::StillExposed.text(lang), theme.title),
    ];
    let open: Vec<_> = report.findings.iter().filter(|f| !f.waived()).collect();
    if open.is_empty() {
        lines.push(Line::styled(Msg::NothingExposed.text(lang), theme.ok));
    }
    for f in open {
        let setting = &profile.settings[f.index];
        lines.push(Line::from(vec![
            Span::styled(
                format!("[{}] ", f.severity.name(lang)),
                theme.severity(f.severity),
            ),
            Span::raw(setting.label.get(lang)),
            Span::styled(parens(&flows_text(f.exposes(), lang), lang), theme.dim),
        ]));
    }
    let kept: Vec<_> = report.findings.iter().filter(|f| f.waived()).collect();
    if !kept.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(Msg::MarkWaived.text(lang), theme.title));
        for f in kept {
            let Some(waiver) = &f.waiver else { continue };
            lines.push(Line::styled(
                format!(
                    "{}{}{}{}",
                    profile.settings[f.index].label.get(lang),
                    colon(lang),
                    waiver.reason,
                    parens(&crate::i18n::until(waiver.expires, lang), lang)
                ),
                theme.waived,
            ));
        }
    }
    // Settings whose value nobody knows were not judged: the summary says which.
    if !report.unassessed.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(Msg::NotKnownHeading.text(lang), theme.title));
        for id in &report.unassessed {
            if let Some(setting) = profile.settings.iter().find(|s| s.id == *id) {
                lines.push(Line::styled(setting.label.get(lang).to_owned(), theme.dim));
            }
        }
    }
    let scroll = scrolled_text(
        frame,
        area,
        block(Msg::Summary.text(lang), theme.title),
        &lines,
        app.detail_scroll,
        lang,
        theme,
    );
    Hits {
        scroll: Some(scroll),
        ..Hits::default()
    }
}
