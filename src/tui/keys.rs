//! Keys to actions. The help screen is generated from the same table people read.

use super::app::{Action, App, Overlay, Screen};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

/// (keys, what they do in English, in Chinese): shown by `?`.
pub const HELP: &[(&str, &str, &str)] = &[
    ("Up/Down j/k", "move", "移动"),
    ("Home/End g/G", "first / last", "第一项 / 最后一项"),
    ("PgDn/PgUp", "scroll the details", "滚动详情"),
    ("Enter", "open", "打开"),
    (
        "q Esc",
        "back; quit from the app list",
        "返回；在应用列表中退出",
    ),
    ("/", "filter apps as you type", "输入筛选应用"),
    ("w", "walk through the findings", "逐项处理发现的问题"),
    (
        "d",
        "I changed it (take the recommendation)",
        "我已修改（采用建议）",
    ),
    ("k", "keep it, with a reason", "保留，并说明理由"),
    ("s", "skip for now", "暂时跳过"),
    ("b Backspace", "previous step", "上一步"),
    (
        "c",
        "change the selected setting's value",
        "切换所选设置的取值",
    ),
    ("m", "exposure map", "暴露地图"),
    ("r", "rulings and articles", "裁判与法条"),
    ("e", "export a Markdown checklist", "导出 Markdown 清单"),
    ("R", "demo: reset to defaults", "演示：重置为默认"),
    ("L", "English / 中文", "English / 中文"),
    ("?", "this help", "本帮助"),
    ("Ctrl-Z", "suspend (fg resumes)", "挂起（fg 恢复）"),
    ("Ctrl-C", "quit", "退出"),
];

/// The action a key press asks for on the current screen, if any.
pub fn action_for_key(app: &App<'_>, key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('c') if ctrl => return Some(Action::Quit),
        KeyCode::Char('z') if ctrl => return Some(Action::Suspend),
        _ if ctrl => return None,
        _ => {}
    }
    // Typing into a prompt or the filter takes every printable key.
    let typing = matches!(
        app.overlay,
        Some(Overlay::Reason { .. } | Overlay::Expiry { .. })
    ) || (app.screen == Screen::Picker && app.filtering);
    if typing {
        return match key.code {
            KeyCode::Char(c) if !c.is_control() => Some(Action::Input(c)),
            KeyCode::Backspace => Some(Action::Backspace),
            KeyCode::Enter => Some(Action::Open),
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Up => Some(Action::Up),
            KeyCode::Down => Some(Action::Down),
            _ => None,
        };
    }
    if app.overlay == Some(Overlay::Help) {
        return Some(Action::Back);
    }
    Some(match key.code {
        KeyCode::Up | KeyCode::Char('k') if app.screen != Screen::Walk => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::Up => Action::Up,
        KeyCode::Home | KeyCode::Char('g') => Action::Top,
        KeyCode::PageDown => Action::ScrollDown,
        KeyCode::PageUp => Action::ScrollUp,
        KeyCode::End | KeyCode::Char('G') => Action::Bottom,
        KeyCode::Enter => Action::Open,
        KeyCode::Esc | KeyCode::Char('q') => Action::Back,
        KeyCode::Backspace => Action::Backspace,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('L') => Action::ToggleLang,
        KeyCode::Char('/') => Action::StartFilter,
        KeyCode::Char('w') => Action::Walk,
        KeyCode::Char('m') => Action::ToggleMap,
        KeyCode::Char('r') => Action::Rulings,
        KeyCode::Char('d') => Action::Fix,
        KeyCode::Char('k') => Action::Keep,
        KeyCode::Char('s') => Action::Skip,
        KeyCode::Char('b') => Action::StepBack,
        KeyCode::Char('e') => Action::Export,
        KeyCode::Char('R') => Action::Reset,
        KeyCode::Char('c') | KeyCode::Char(' ') => Action::Cycle,
        _ => return None,
    })
}

/// The action a mouse event asks for: a click selects a row, the wheel moves.
pub fn action_for_mouse(hits: &super::ui::Hits, mouse: MouseEvent) -> Option<Action> {
    match mouse.kind {
        MouseEventKind::Down(_) => hits.row_at(mouse.column, mouse.row).map(Action::Select),
        MouseEventKind::ScrollUp => Some(Action::Up),
        MouseEventKind::ScrollDown => Some(Action::Down),
        _ => None,
    }
}
