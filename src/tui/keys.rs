//! Keys to actions, as data: one table per screen. Key handling ([`action_for_key`]), each
//! screen's footer and the `?` help are all read from these tables, so they cannot
//! disagree.

use super::app::{Action, App, Overlay, Screen};
use crate::profile::Switch;
use crate::text::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

/// One key, as the tables name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Up,
    Down,
    Home,
    End,
    PageUp,
    PageDown,
    Enter,
    Esc,
    Backspace,
}

impl Key {
    /// How the footer and the help write the key.
    pub fn name(self) -> String {
        match self {
            Key::Char(' ') => "Space".to_owned(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Up => "Up".to_owned(),
            Key::Down => "Down".to_owned(),
            Key::Home => "Home".to_owned(),
            Key::End => "End".to_owned(),
            Key::PageUp => "PgUp".to_owned(),
            Key::PageDown => "PgDn".to_owned(),
            Key::Enter => "Enter".to_owned(),
            Key::Esc => "Esc".to_owned(),
            Key::Backspace => "Backspace".to_owned(),
        }
    }

    fn matches(self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match (self, key.code) {
            (Key::Ctrl(c), KeyCode::Char(k)) => ctrl && k.eq_ignore_ascii_case(&c),
            _ if ctrl => false,
            (Key::Char(c), KeyCode::Char(k)) => c == k,
            (Key::Up, KeyCode::Up)
            | (Key::Down, KeyCode::Down)
            | (Key::Home, KeyCode::Home)
            | (Key::End, KeyCode::End)
            | (Key::PageUp, KeyCode::PageUp)
            | (Key::PageDown, KeyCode::PageDown)
            | (Key::Enter, KeyCode::Enter)
            | (Key::Esc, KeyCode::Esc)
            | (Key::Backspace, KeyCode::Backspace) => true,
            _ => false,
        }
    }
}

/// When a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Always,
    Demo,
    NotDemo,
    /// The setting in question (the selected one, or the walk's step) has a switch.
    Switch,
    /// It has none in this version (no switch, or asked once at login).
    NoSwitch,
}

impl When {
    pub fn holds(self, app: &App<'_>) -> bool {
        let switch = || {
            let setting = match app.screen {
                Screen::Walk => app.walk.steps.get(app.walk.pos).copied(),
                _ => app.selected(),
            };
            setting.map(|i| app.profile().settings[i].switch == Switch::InApp)
        };
        match self {
            When::Always => true,
            When::Demo => app.demo,
            When::NotDemo => !app.demo,
            When::Switch => switch() == Some(true),
            When::NoSwitch => switch() == Some(false),
        }
    }
}

/// Words in English and Chinese.
pub type Words = (&'static str, &'static str);

pub fn words(w: Words, lang: Lang) -> &'static str {
    match lang {
        Lang::En => w.0,
        Lang::Zh => w.1,
    }
}

/// A row of a key table.
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    /// The keys and what each asks for (Up and Down share a row, for instance).
    pub keys: &'static [(Key, Action)],
    pub when: When,
    /// The footer's short words, in the order of the table; `None`: help only.
    pub hint: Option<Words>,
    /// What `?` says; `None`: a binding that is neither shown nor listed (a key pressed by
    /// habit where it does not apply, answered with a status line saying why).
    pub help: Option<Words>,
}

impl Binding {
    /// "Up/Down/j/k": every key of the row.
    pub fn key_names(&self) -> String {
        let mut names: Vec<String> = Vec::new();
        for (key, _) in self.keys {
            let name = key.name();
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names.join("/")
    }
}

/// Which table applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Picker,
    Dashboard,
    Walk,
    Summary,
    Rulings,
    /// Typing into a filter or search line.
    Filter,
    /// Typing the reason or expiry of a waiver.
    Prompt,
    Chooser,
    Help,
}

impl Context {
    pub const ALL: [Context; 9] = [
        Context::Picker,
        Context::Dashboard,
        Context::Walk,
        Context::Summary,
        Context::Rulings,
        Context::Filter,
        Context::Prompt,
        Context::Chooser,
        Context::Help,
    ];

    /// Whether printable keys are text here.
    pub fn typing(self) -> bool {
        matches!(self, Context::Filter | Context::Prompt)
    }

    /// The screen's own table.
    pub fn table(self) -> &'static [Binding] {
        match self {
            Context::Picker => PICKER,
            Context::Dashboard => DASHBOARD,
            Context::Walk => WALK,
            Context::Summary => SUMMARY,
            Context::Rulings => RULINGS,
            Context::Filter => FILTER,
            Context::Prompt => PROMPT,
            Context::Chooser => CHOOSER,
            Context::Help => &[],
        }
    }
}

/// The context the app is in now.
pub fn context(app: &App<'_>) -> Context {
    match &app.overlay {
        Some(Overlay::Help) => return Context::Help,
        Some(Overlay::Reason { .. } | Overlay::Expiry { .. }) => return Context::Prompt,
        Some(Overlay::Chooser { .. }) => return Context::Chooser,
        None => {}
    }
    if app.typing() {
        return Context::Filter;
    }
    screen_context(app.screen)
}

pub fn screen_context(screen: Screen) -> Context {
    match screen {
        Screen::Picker => Context::Picker,
        Screen::Dashboard => Context::Dashboard,
        Screen::Walk => Context::Walk,
        Screen::Summary => Context::Summary,
        Screen::Rulings => Context::Rulings,
    }
}

const fn b(keys: &'static [(Key, Action)], hint: Option<Words>, help: Words) -> Binding {
    Binding {
        keys,
        when: When::Always,
        hint,
        help: Some(help),
    }
}

const fn only(when: When, binding: Binding) -> Binding {
    Binding { when, ..binding }
}

const fn hidden(when: When, keys: &'static [(Key, Action)]) -> Binding {
    Binding {
        keys,
        when,
        hint: None,
        help: None,
    }
}

const MOVE: Binding = b(
    &[
        (Key::Up, Action::Up),
        (Key::Down, Action::Down),
        (Key::Char('j'), Action::Down),
        (Key::Char('k'), Action::Up),
    ],
    None,
    ("move", "移动"),
);
const ENDS: Binding = b(
    &[
        (Key::Home, Action::Top),
        (Key::End, Action::Bottom),
        (Key::Char('g'), Action::Top),
        (Key::Char('G'), Action::Bottom),
    ],
    None,
    ("first / last", "第一项 / 最后一项"),
);
const SCROLL: Binding = b(
    &[
        (Key::PageDown, Action::ScrollDown),
        (Key::PageUp, Action::ScrollUp),
    ],
    None,
    ("scroll the details", "滚动详情"),
);
/// Where no list moves (a walk-through step, the summary), Home and End go to the start
/// and the end of the text.
const DETAIL_ENDS: Binding = b(
    &[
        (Key::Home, Action::ScrollTop),
        (Key::End, Action::ScrollBottom),
    ],
    None,
    ("start / end of the text", "文本开头 / 结尾"),
);
/// Where no list moves, the keys that move elsewhere move the text a line at a time.
const LINES: Binding = b(
    &[
        (Key::Down, Action::LineDown),
        (Key::Up, Action::LineUp),
        (Key::Char('j'), Action::LineDown),
        (Key::Char('k'), Action::LineUp),
    ],
    None,
    ("scroll a line", "滚动一行"),
);
const RELOAD: Binding = b(
    &[(Key::Ctrl('r'), Action::Reload)],
    None,
    ("reload the profiles from disk", "从磁盘重新读取应用档案"),
);
const UNDO: Binding = b(
    &[(Key::Char('u'), Action::Undo)],
    Some(("undo", "撤销")),
    (
        "undo the last change (again: the one before)",
        "撤销上一次更改（再按：撤销更早的一次）",
    ),
);
const EXPORT: Binding = only(
    When::NotDemo,
    b(
        &[(Key::Char('e'), Action::Export)],
        Some(("export", "导出")),
        ("export a Markdown checklist", "导出 Markdown 清单"),
    ),
);
/// In a demo `e` writes nothing: not offered, and pressing it says so.
const EXPORT_IN_DEMO: Binding = hidden(When::Demo, &[(Key::Char('e'), Action::Export)]);
const RESET: Binding = only(
    When::Demo,
    b(
        &[(Key::Char('R'), Action::Reset)],
        Some(("reset", "重置")),
        (
            "demo: reset this app to its defaults",
            "演示：将此应用重置为默认",
        ),
    ),
);
const RULINGS_KEY: Binding = b(
    &[(Key::Char('r'), Action::Rulings)],
    Some(("rulings", "案例")),
    ("rulings and articles", "案例与法条"),
);
const RESTART: Binding = b(
    &[(Key::Char('W'), Action::WalkRestart)],
    None,
    (
        "walk through from the start, skipped steps included",
        "从头逐项处理，包括跳过的步骤",
    ),
);

pub const PICKER: &[Binding] = &[
    MOVE,
    ENDS,
    SCROLL,
    // Undo is an app's: here `u` says so.
    hidden(When::Always, &[(Key::Char('u'), Action::Undo)]),
    b(
        &[(Key::Enter, Action::Open)],
        Some(("open", "打开")),
        ("open", "打开"),
    ),
    b(
        &[(Key::Char('/'), Action::StartFilter)],
        Some(("filter", "筛选")),
        ("filter apps as you type", "输入筛选应用"),
    ),
    RULINGS_KEY,
    only(
        When::Demo,
        b(
            &[(Key::Char('R'), Action::Reset)],
            Some(("reset all", "全部重置")),
            (
                "demo: reset every app to its defaults",
                "演示：将所有应用重置为默认",
            ),
        ),
    ),
    RELOAD,
    b(
        &[(Key::Char('q'), Action::Back), (Key::Esc, Action::Back)],
        Some(("quit", "退出")),
        ("clear the filter; quit", "清除筛选；退出"),
    ),
];

pub const DASHBOARD: &[Binding] = &[
    MOVE,
    ENDS,
    SCROLL,
    b(
        &[(Key::Char('w'), Action::Walk)],
        Some(("walk", "逐项引导")),
        (
            "walk through the findings (resumes where you left)",
            "逐项处理发现的问题（从上次离开处继续）",
        ),
    ),
    RESTART,
    b(
        &[(Key::Char('c'), Action::Choose)],
        Some(("choose", "选择")),
        (
            "choose what the selected setting is set to",
            "选择所选设置的取值",
        ),
    ),
    only(
        When::Switch,
        b(
            &[(Key::Char('d'), Action::Fix)],
            Some(("recommended", "采用建议")),
            ("set it to the recommendation", "设为建议的取值"),
        ),
    ),
    hidden(When::NoSwitch, &[(Key::Char('d'), Action::Fix)]),
    UNDO,
    b(
        &[(Key::Char('/'), Action::StartFilter)],
        Some(("search", "搜索")),
        ("search the settings as you type", "输入搜索设置项"),
    ),
    b(
        &[(Key::Char('m'), Action::ToggleMap)],
        Some(("map", "地图")),
        ("exposure map", "暴露地图"),
    ),
    RULINGS_KEY,
    EXPORT,
    EXPORT_IN_DEMO,
    RESET,
    RELOAD,
    b(
        &[(Key::Char('q'), Action::Back), (Key::Esc, Action::Back)],
        Some(("back", "返回")),
        (
            "clear the search; back to the apps",
            "清除搜索；返回应用列表",
        ),
    ),
];

pub const WALK: &[Binding] = &[
    only(
        When::Switch,
        b(
            &[(Key::Char('d'), Action::Fix)],
            Some(("I changed it", "我已修改")),
            (
                "I changed it (the state takes the recommendation)",
                "我已修改（状态记为建议的取值）",
            ),
        ),
    ),
    only(
        When::NoSwitch,
        b(
            &[(Key::Char('n'), Action::Noted)],
            Some(("noted", "知道了")),
            (
                "noted: the account state is unchanged; not offered again until W",
                "知道了：账户状态不变；按 W 重新开始之前不再出现",
            ),
        ),
    ),
    hidden(When::NoSwitch, &[(Key::Char('d'), Action::Fix)]),
    hidden(When::Switch, &[(Key::Char('n'), Action::Noted)]),
    b(
        &[(Key::Char('x'), Action::Keep)],
        Some(("keep it", "保留")),
        (
            "keep the exposure, with a reason (a waiver)",
            "保留这项暴露，并说明理由（豁免）",
        ),
    ),
    b(
        &[(Key::Char('s'), Action::Skip)],
        Some(("skip", "跳过")),
        (
            "skip: not offered again until the walk restarts (W)",
            "跳过：重新开始（W）之前不再出现",
        ),
    ),
    b(
        &[
            (Key::Char('b'), Action::StepBack),
            (Key::Backspace, Action::StepBack),
        ],
        Some(("previous", "上一步")),
        ("previous step", "上一步"),
    ),
    UNDO,
    SCROLL,
    DETAIL_ENDS,
    LINES,
    RESET,
    b(
        &[(Key::Char('q'), Action::Back), (Key::Esc, Action::Back)],
        Some(("stop", "停止")),
        ("stop (w resumes here)", "停止（按 w 从这里继续）"),
    ),
];

pub const SUMMARY: &[Binding] = &[
    b(
        &[(Key::Enter, Action::Open)],
        Some(("back to the app", "返回应用")),
        ("back to the app", "返回应用"),
    ),
    EXPORT,
    EXPORT_IN_DEMO,
    b(
        &[(Key::Char('w'), Action::Walk)],
        Some(("walk on", "继续引导")),
        (
            "walk through what is left (skipped steps stay skipped)",
            "继续处理剩下的问题（跳过的步骤仍跳过）",
        ),
    ),
    RESTART,
    UNDO,
    SCROLL,
    DETAIL_ENDS,
    LINES,
    RESET,
    b(
        &[(Key::Char('q'), Action::Back), (Key::Esc, Action::Back)],
        Some(("back", "返回")),
        ("back to the app", "返回应用"),
    ),
];

pub const RULINGS: &[Binding] = &[
    MOVE,
    ENDS,
    SCROLL,
    hidden(When::Always, &[(Key::Char('u'), Action::Undo)]),
    b(
        &[(Key::Char('/'), Action::StartFilter)],
        Some(("search", "搜索")),
        ("search rulings and articles", "搜索案例与法条"),
    ),
    b(
        &[(Key::Char('q'), Action::Back), (Key::Esc, Action::Back)],
        Some(("back", "返回")),
        ("clear the search; back", "清除搜索；返回"),
    ),
];

pub const FILTER: &[Binding] = &[
    b(
        &[(Key::Enter, Action::Open)],
        Some(("done", "完成")),
        ("keep the filter, back to moving", "保留筛选，返回列表"),
    ),
    b(
        &[(Key::Esc, Action::Back)],
        Some(("clear", "清除")),
        ("clear the filter", "清除筛选"),
    ),
    b(
        &[(Key::Backspace, Action::Backspace)],
        None,
        ("delete a character", "删除一个字符"),
    ),
    b(
        &[(Key::Up, Action::Up), (Key::Down, Action::Down)],
        None,
        ("move", "移动"),
    ),
];

pub const PROMPT: &[Binding] = &[
    b(
        &[(Key::Enter, Action::Open)],
        Some(("confirm", "确认")),
        ("confirm", "确认"),
    ),
    b(
        &[(Key::Esc, Action::Back)],
        Some(("cancel", "取消")),
        ("cancel", "取消"),
    ),
    b(
        &[(Key::Backspace, Action::Backspace)],
        None,
        ("delete a character", "删除一个字符"),
    ),
];

pub const CHOOSER: &[Binding] = &[
    MOVE,
    ENDS,
    b(
        &[(Key::Enter, Action::Open)],
        Some(("pick", "选定")),
        ("pick this value", "选定此取值"),
    ),
    b(
        &[(Key::Esc, Action::Back), (Key::Char('q'), Action::Back)],
        Some(("cancel", "取消")),
        ("cancel", "取消"),
    ),
];

/// Keys every screen (not a prompt or popup) has; `?` is always the footer's last word.
pub const GLOBAL: &[Binding] = &[
    b(
        &[(Key::Char('L'), Action::ToggleLang)],
        Some(("中文", "English")),
        ("English / 中文", "English / 中文"),
    ),
    b(
        &[(Key::Ctrl('l'), Action::Redraw)],
        None,
        ("redraw the screen", "重绘屏幕"),
    ),
    b(
        &[(Key::Ctrl('z'), Action::Suspend)],
        None,
        ("suspend (fg resumes)", "挂起（fg 恢复）"),
    ),
    b(&[(Key::Ctrl('c'), Action::Quit)], None, ("quit", "退出")),
    HELP_KEY,
];

pub const HELP_KEY: Binding = b(
    &[(Key::Char('?'), Action::Help)],
    Some(("help", "帮助")),
    ("this help", "本帮助"),
);

/// Keys that work even while typing or in a popup.
const ALWAYS: &[Binding] = &[
    b(&[(Key::Ctrl('c'), Action::Quit)], None, ("quit", "退出")),
    b(
        &[(Key::Ctrl('z'), Action::Suspend)],
        None,
        ("suspend (fg resumes)", "挂起（fg 恢复）"),
    ),
    b(
        &[(Key::Ctrl('l'), Action::Redraw)],
        None,
        ("redraw the screen", "重绘屏幕"),
    ),
];

/// The bindings in force in `context`, table order, the global ones last.
pub fn bindings(app: &App<'_>, context: Context) -> Vec<&'static Binding> {
    let global: &'static [Binding] = match context {
        Context::Picker
        | Context::Dashboard
        | Context::Walk
        | Context::Summary
        | Context::Rulings => GLOBAL,
        _ => ALWAYS,
    };
    context
        .table()
        .iter()
        .chain(global)
        .filter(|b| b.when.holds(app))
        .collect()
}

/// The action a key press asks for in the current context, if any.
pub fn action_for_key(app: &App<'_>, key: KeyEvent) -> Option<Action> {
    let context = context(app);
    if context == Context::Help {
        // Any key closes the help (and does nothing else), except the ones that work
        // everywhere.
        return ALWAYS
            .iter()
            .flat_map(|b| b.keys)
            .find(|(k, _)| k.matches(&key))
            .map(|&(_, a)| a)
            .or(Some(Action::Back));
    }
    let found = bindings(app, context)
        .into_iter()
        .flat_map(|b| b.keys)
        .find(|(k, _)| k.matches(&key))
        .map(|&(_, a)| a);
    if found.is_some() {
        return found;
    }
    match key.code {
        KeyCode::Char(c)
            if context.typing()
                && typeable(c)
                && !key.modifiers.contains(KeyModifiers::CONTROL) =>
        {
            Some(Action::Input(c))
        }
        _ => None,
    }
}

/// A character a prompt takes: not a control, and nothing the file readers would turn into
/// a visible escape (line separators, bidirectional controls, non-characters), so a
/// reason typed here reads back exactly as it was saved.
fn typeable(c: char) -> bool {
    let mut buf = [0; 4];
    let typed = &*c.encode_utf8(&mut buf);
    !c.is_control() && crate::text::sanitize(typed) == typed
}

/// `(keys, what they do)` for the `?` help of the screen under it.
pub fn help_rows(app: &App<'_>) -> Vec<(String, &'static str)> {
    let context = match &app.overlay {
        Some(Overlay::Help) | None if !app.typing() => screen_context(app.screen),
        _ => context(app),
    };
    bindings(app, context)
        .into_iter()
        .filter_map(|b| b.help.map(|h| (b.key_names(), words(h, app.lang))))
        .collect()
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
