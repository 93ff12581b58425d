//! Colours and marks. Every theme marks the selection with a symbol as well, so it stays
//! visible without colour (NO_COLOR) and to screen readers.

use crate::audit::Severity;
use crate::config::ThemeName;
use ratatui::style::{Color, Modifier, Style};

#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub text: Style,
    pub title: Style,
    pub dim: Style,
    pub selected: Style,
    pub ok: Style,
    pub waived: Style,
    pub problem: Style,
    pub demo: Style,
    pub gauge: Style,
    pub critical: Style,
    pub high: Style,
    pub medium: Style,
    pub low: Style,
}

impl Theme {
    /// The theme from the config, or no colour at all when NO_COLOR is set.
    pub fn pick(name: ThemeName, no_color: bool) -> Theme {
        match (no_color, name) {
            (true, _) => Theme::plain(),
            (false, ThemeName::Default) => Theme::default_colors(),
            (false, ThemeName::HighContrast) => Theme::high_contrast(),
        }
    }

    /// NO_COLOR: no colours and no reverse video (a bare attribute reset would wipe it);
    /// bold and the `>` mark carry emphasis and selection.
    pub fn plain() -> Theme {
        let none = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        Theme {
            text: none,
            title: bold,
            dim: none,
            selected: bold,
            ok: none,
            waived: none,
            problem: bold,
            demo: bold,
            gauge: none,
            critical: bold,
            high: bold,
            medium: none,
            low: none,
        }
    }

    pub fn default_colors() -> Theme {
        Theme {
            text: Style::new(),
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            dim: Style::new().fg(Color::Gray),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            ok: Style::new().fg(Color::Green),
            waived: Style::new().fg(Color::Blue),
            problem: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            demo: Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            gauge: Style::new().fg(Color::Green),
            critical: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            high: Style::new().fg(Color::Red),
            medium: Style::new().fg(Color::Yellow),
            low: Style::new().fg(Color::Cyan),
        }
    }

    pub fn high_contrast() -> Theme {
        let strong = Style::new().fg(Color::White).add_modifier(Modifier::BOLD);
        Theme {
            text: Style::new().fg(Color::White),
            title: strong,
            dim: Style::new().fg(Color::White),
            selected: Style::new()
                .fg(Color::Black)
                .bg(Color::White)
                .add_modifier(Modifier::BOLD),
            ok: Style::new()
                .fg(Color::LightGreen)
                .add_modifier(Modifier::BOLD),
            waived: Style::new()
                .fg(Color::LightCyan)
                .add_modifier(Modifier::BOLD),
            problem: Style::new()
                .fg(Color::LightYellow)
                .add_modifier(Modifier::BOLD),
            demo: Style::new()
                .fg(Color::Black)
                .bg(Color::LightYellow)
                .add_modifier(Modifier::BOLD),
            gauge: Style::new().fg(Color::LightGreen),
            critical: Style::new()
                .fg(Color::LightRed)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            high: Style::new()
                .fg(Color::LightRed)
                .add_modifier(Modifier::BOLD),
            medium: Style::new()
                .fg(Color::LightYellow)
                .add_modifier(Modifier::BOLD),
            low: Style::new().fg(Color::White).add_modifier(Modifier::BOLD),
        }
    }

    pub fn severity(&self, severity: Severity) -> Style {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
        }
    }
}
