//! The interactive auditor's state and what each action does to it. No drawing and no
//! terminal here, and no files: saving and exporting are returned as [`Effect`]s for the
//! runner to carry out, so this can be driven and checked in tests without a terminal.

use crate::audit::explain::colon;
use crate::audit::{Auditor, Report};
use crate::catalog::Catalog;
use crate::date::Date;
use crate::i18n::Msg;
use crate::profile::{Profile, Switch};
use crate::state::{Selection, Waiver};
use crate::text::{Lang, sanitize};
use crate::vocab::DataCategory;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Picker,
    Dashboard,
    Walk,
    Summary,
    Rulings,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    Help,
    /// Typing the reason for keeping a finding.
    Reason {
        text: String,
    },
    /// Typing the optional expiry of that waiver.
    Expiry {
        reason: String,
        text: String,
    },
    /// Choosing the value of setting `setting`: row 0 is "not set (the app's default)",
    /// row `n` the setting's option `n - 1`.
    Chooser {
        setting: usize,
        row: usize,
    },
}

/// What a key, click or signal asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    /// Scroll the detail text (PageDown / PageUp).
    ScrollDown,
    ScrollUp,
    /// The start and the end of the detail text (Home / End where no list moves).
    ScrollTop,
    ScrollBottom,
    /// One line down / up in the detail text (j/k where no list moves).
    LineDown,
    LineUp,
    Open,
    Back,
    Quit,
    Help,
    ToggleLang,
    /// Start typing into the screen's filter (picker) or search (dashboard, rulings).
    StartFilter,
    Input(char),
    Backspace,
    /// Walk through the findings, resuming where the last walk was left.
    Walk,
    /// Walk through from the first finding again, skipped ones included.
    WalkRestart,
    ToggleMap,
    Rulings,
    Fix,
    /// A step that cannot be taken in the app: seen, nothing recorded, next step.
    Noted,
    Keep,
    Skip,
    StepBack,
    Export,
    Reset,
    /// Open the chooser for the selected setting.
    Choose,
    Undo,
    /// A click on row N of the list on screen.
    Select(usize),
    Suspend,
    /// Draw the whole screen again (Ctrl-L).
    Redraw,
    /// Read the profiles from disk again.
    Reload,
}

/// Work for the runner: the parts of an action that touch the world.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    None,
    /// Save the open app's selection to its state file.
    Save,
    /// Write the Markdown checklist of the open app.
    Export,
    Suspend,
    Quit,
    /// Clear the terminal and draw everything again.
    Redraw,
    /// Read the profiles again and carry on with them.
    Reload,
}

/// One app as the auditor holds it: its account state and where that is kept.
#[derive(Clone, Debug)]
pub struct Entry {
    pub selection: Selection,
    /// The state as this auditor last read or wrote it: what a save merges against, so
    /// that changes another auditor saved meanwhile are kept.
    pub saved: Selection,
    /// Where changes are saved; `None` in demo mode.
    pub state_path: Option<PathBuf>,
    /// Why the saved state could not be used; while set, nothing is saved for this app.
    pub load_error: Option<String>,
}

impl Entry {
    /// A new account at the app's defaults, kept nowhere (demo mode, tests).
    pub fn defaults(profile: &Profile) -> Entry {
        Entry {
            selection: Selection::defaults(profile),
            saved: Selection::defaults(profile),
            state_path: None,
            load_error: None,
        }
    }
}

/// How far the detail text on screen can scroll, as last drawn: so PageDown stops at its
/// end and moves a page at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScrollRoom {
    /// The largest offset that still fills the view (0 when everything fits).
    pub max: u16,
    /// Lines the view shows at once.
    pub page: u16,
}

impl Default for ScrollRoom {
    /// Before anything is drawn (and in tests that draw nothing), nothing limits scrolling.
    fn default() -> Self {
        ScrollRoom {
            max: u16::MAX,
            page: 6,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Walk {
    /// Setting indices, most severe first, fixed when the walk starts.
    pub steps: Vec<usize>,
    pub pos: usize,
    pub score_before: u8,
    /// The app the walk is of; `None` before the first walk.
    pub app: Option<usize>,
}

/// What one setting holds: its chosen option and its waiver.
pub type Value = (Option<usize>, Option<Waiver>);

/// One change to a setting, for undo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub setting: usize,
    pub before: Value,
    pub after: Value,
    /// Part of one step with the change below it on the stack (a demo's reset): one `u`
    /// takes both back.
    pub with_previous: bool,
}

pub struct App<'a> {
    pub catalog: &'a Catalog,
    pub auditors: Vec<Auditor<'a>>,
    pub entries: Vec<Entry>,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub lang: Lang,
    pub demo: bool,
    pub filter: String,
    pub filtering: bool,
    /// Row in the filtered picker list.
    pub picker_row: usize,
    /// The open app (profile index).
    pub current: usize,
    /// Row in the dashboard's settings list (display order).
    pub setting_row: usize,
    pub show_map: bool,
    pub walk: Walk,
    /// Row in the (searched) rulings list.
    pub rulings_row: usize,
    rulings_return: Screen,
    /// The dashboard's search (its settings) and the rulings browser's (rulings and
    /// articles); `searching` while typing into either.
    pub search: String,
    pub rulings_search: String,
    pub searching: bool,
    /// How far the detail text (dashboard detail, walk step, rulings detail) is scrolled;
    /// back to the top whenever what it shows changes.
    pub detail_scroll: u16,
    /// How far it can scroll, as last drawn.
    pub scroll_room: ScrollRoom,
    /// A line for the status bar, and whether it reports a problem.
    pub status: Option<(String, bool)>,
    /// Whether the status was set by the action being handled (a save adds to it).
    pub said: bool,
    /// `q` in the picker warned that changes are not saved; the next `q` quits.
    pub quit_warned: bool,
    pub today: Date,
    /// Settings of the open app's profile in display order, grouped by what they expose
    /// (only those matching the dashboard's search).
    pub order: Vec<usize>,
    /// Changes to each app's selection, latest last: what `u` takes back.
    pub undo: Vec<Vec<Change>>,
    /// What the auditor remembers between sessions: last app, language, skipped steps.
    pub memory: super::memory::Memory,
    /// User profiles that could not be read, each problem in full.
    pub broken: Vec<String>,
}

impl<'a> App<'a> {
    pub fn new(
        catalog: &'a Catalog,
        profiles: &'a [Profile],
        entries: Vec<Entry>,
        lang: Lang,
        demo: bool,
        today: Date,
    ) -> Self {
        App {
            catalog,
            auditors: profiles.iter().map(|p| Auditor::new(p, catalog)).collect(),
            undo: vec![Vec::new(); entries.len()],
            entries,
            screen: Screen::Picker,
            overlay: None,
            lang,
            demo,
            filter: String::new(),
            filtering: false,
            picker_row: 0,
            current: 0,
            setting_row: 0,
            show_map: false,
            walk: Walk::default(),
            rulings_row: 0,
            rulings_return: Screen::Picker,
            search: String::new(),
            rulings_search: String::new(),
            searching: false,
            detail_scroll: 0,
            scroll_room: ScrollRoom::default(),
            status: None,
            said: false,
            quit_warned: false,
            today,
            order: Vec::new(),
            memory: Default::default(),
            broken: Vec::new(),
        }
    }

    pub fn profile(&self) -> &'a Profile {
        self.auditors[self.current].profile
    }

    /// The open app's report, from its current selection.
    pub fn report(&self) -> Report<'_> {
        self.report_of(self.current)
    }

    pub fn report_of(&self, index: usize) -> Report<'_> {
        self.auditors[index].audit(&self.entries[index].selection, self.today)
    }

    /// Profile indices that match the picker's filter (names in both languages, or id).
    pub fn filtered(&self) -> Vec<usize> {
        let mut rows: Vec<usize> = self
            .auditors
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                let app = &a.profile.app;
                matches(&self.filter, &app.name.en, &app.name.zh, &app.id)
            })
            .map(|(i, _)| i)
            .collect();
        // Versions of one app stay together, the app's own profile (whose id is the
        // family's) first, wherever the others come from (a user's profile of an older
        // version is listed under the built-in one).
        // Each family's first place, found once (this runs on every frame).
        let mut first_of_family: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::new();
        for (i, a) in self.auditors.iter().enumerate() {
            first_of_family
                .entry(a.profile.app.family.as_str())
                .or_insert(i);
        }
        rows.sort_by_key(|&i| {
            let app = &self.auditors[i].profile.app;
            (
                first_of_family[app.family.as_str()],
                app.id != app.family,
                i,
            )
        });
        rows
    }

    /// Is the picker row `row` (of [`App::filtered`]'s `rows`) another version of the app
    /// on the row above it?
    pub fn continues_family(&self, rows: &[usize], row: usize) -> bool {
        row > 0
            && self.auditors[rows[row - 1]].profile.app.family
                == self.auditors[rows[row]].profile.app.family
    }

    /// Whether printable keys are text for a filter or search line now.
    pub fn typing(&self) -> bool {
        match self.screen {
            Screen::Picker => self.filtering,
            Screen::Dashboard | Screen::Rulings => self.searching,
            _ => false,
        }
    }

    /// The setting index under the dashboard cursor (the first setting when the search
    /// matches none: see [`App::selected`]).
    pub fn selected_setting(&self) -> usize {
        self.selected().unwrap_or(0)
    }

    /// The setting under the dashboard cursor, if the search leaves any.
    pub fn selected(&self) -> Option<usize> {
        self.order.get(self.setting_row).copied()
    }

    /// The rulings browser's items (rulings, then articles) that match its search.
    pub fn rulings_visible(&self) -> Vec<usize> {
        let catalog = self.catalog;
        let needle = &self.rulings_search;
        let rulings = catalog.rulings.iter().map(|r| {
            matches(needle, r.title.get(Lang::En), r.title.get(Lang::Zh), &r.id)
                || matches(
                    needle,
                    &r.case_number_text(Lang::En),
                    &r.case_number_text(Lang::Zh),
                    "",
                )
        });
        let laws = catalog
            .laws
            .iter()
            .map(|l| matches(needle, &l.citation(Lang::En), &l.citation(Lang::Zh), &l.id));
        rulings
            .chain(laws)
            .enumerate()
            .filter(|(_, hit)| *hit)
            .map(|(i, _)| i)
            .collect()
    }

    /// The item (index into rulings then articles) under the rulings cursor.
    pub fn ruling_item(&self) -> Option<usize> {
        self.rulings_visible().get(self.rulings_row).copied()
    }

    /// Open app `index` on its dashboard.
    pub fn open(&mut self, index: usize) {
        self.current = index;
        self.search.clear();
        self.searching = false;
        self.order = display_order(self.profile());
        self.setting_row = 0;
        self.show_map = false;
        self.screen = Screen::Dashboard;
        self.memory.last_app = Some(self.profile().app.id.clone());
        self.status = None;
        if let Some(e) = self.entries[index].load_error.clone() {
            let text = format!("{}{}{e}", Msg::NotSaving.text(self.lang), colon(self.lang));
            self.tell(text, true);
        }
    }

    /// Whether row `row` of the chooser (0: not set; then the options) can be picked for
    /// `setting`: always, except that a setting with no switch in this version (built in)
    /// can only be what its profile says it does, when that is known.
    pub fn choosable(&self, setting: usize, row: usize) -> bool {
        let s = &self.profile().settings[setting];
        match (s.switch, s.default, row.checked_sub(1)) {
            (Switch::None, Some(default), Some(option)) => option == default,
            _ => true,
        }
    }

    /// Apps whose changes are not on disk (their last save failed, or their saved state
    /// could not be read and is left alone); never in a demo.
    pub fn unsaved(&self) -> usize {
        if self.demo {
            return 0;
        }
        self.entries
            .iter()
            .filter(|e| e.selection != e.saved)
            .count()
    }

    fn say(&mut self, msg: Msg) {
        self.tell(msg.text(self.lang).to_owned(), false);
    }

    fn warn(&mut self, msg: Msg) {
        self.tell(msg.text(self.lang).to_owned(), true);
    }

    fn tell(&mut self, text: String, problem: bool) {
        self.status = Some((text, problem));
        self.said = true;
    }

    /// Apply an action; the returned effect is for the runner.
    pub fn update(&mut self, action: Action) -> Effect {
        self.said = false;
        if action != Action::Back {
            self.quit_warned = false;
        }
        match action {
            Action::Quit => return Effect::Quit,
            Action::Suspend => return Effect::Suspend,
            Action::Redraw => return Effect::Redraw,
            _ => {}
        }
        if let Some(overlay) = self.overlay.clone() {
            return self.update_overlay(overlay, action);
        }
        if self.typing() {
            return self.update_typing(action);
        }
        match action {
            Action::Help => {
                self.overlay = Some(Overlay::Help);
                return Effect::None;
            }
            Action::ToggleLang => {
                self.lang = match self.lang {
                    Lang::En => Lang::Zh,
                    Lang::Zh => Lang::En,
                };
                self.memory.lang = Some(self.lang.into());
                self.status = None;
                return Effect::None;
            }
            Action::Reload => return Effect::Reload,
            Action::Undo => return self.undo(),
            _ => {}
        }
        match action {
            // A page less one line, so the last line read stays in view; never past the
            // end, so PageUp comes straight back.
            Action::ScrollDown => {
                let step = self.scroll_room.page.saturating_sub(1).max(1);
                self.detail_scroll = self
                    .detail_scroll
                    .saturating_add(step)
                    .min(self.scroll_room.max);
                return Effect::None;
            }
            Action::ScrollUp => {
                let step = self.scroll_room.page.saturating_sub(1).max(1);
                self.detail_scroll = self
                    .detail_scroll
                    .min(self.scroll_room.max)
                    .saturating_sub(step);
                return Effect::None;
            }
            Action::ScrollTop => {
                self.detail_scroll = 0;
                return Effect::None;
            }
            Action::ScrollBottom => {
                self.detail_scroll = self.scroll_room.max;
                return Effect::None;
            }
            // j/k where no list moves (a walk step, the summary): a line at a time.
            Action::LineDown => {
                self.detail_scroll = self
                    .detail_scroll
                    .saturating_add(1)
                    .min(self.scroll_room.max);
                return Effect::None;
            }
            Action::LineUp => {
                self.detail_scroll = self
                    .detail_scroll
                    .min(self.scroll_room.max)
                    .saturating_sub(1);
                return Effect::None;
            }
            _ => {}
        }
        // Anything else may change what the detail text shows: start it from the top.
        self.detail_scroll = 0;
        let effect = match self.screen {
            Screen::Picker => self.update_picker(action),
            Screen::Dashboard => self.update_dashboard(action),
            Screen::Walk => self.update_walk(action),
            Screen::Summary => self.update_summary(action),
            Screen::Rulings => self.update_rulings(action),
        };
        // A status line speaks of the action that set it: moving on (another row, a
        // skipped step) without a word of its own clears it, so it never describes a
        // setting no longer on screen.
        if !self.said {
            self.status = None;
        }
        effect
    }

    /// Typing into the picker's filter or a search: the list narrows as you type; Enter
    /// keeps the filter and goes back to moving; Esc clears it.
    fn update_typing(&mut self, action: Action) -> Effect {
        self.detail_scroll = 0;
        let screen = self.screen;
        let text = match screen {
            Screen::Picker => &mut self.filter,
            Screen::Dashboard => &mut self.search,
            _ => &mut self.rulings_search,
        };
        match action {
            Action::Input(c) => text.push(c),
            Action::Backspace => {
                text.pop();
            }
            Action::Back => text.clear(),
            Action::Open => {}
            action @ (Action::Up | Action::Down) => {
                match screen {
                    Screen::Picker => {
                        self.picker_row = moved(self.picker_row, self.filtered().len(), action)
                    }
                    Screen::Dashboard => {
                        self.setting_row = moved(self.setting_row, self.order.len(), action)
                    }
                    _ => {
                        let rows = self.rulings_visible().len();
                        self.rulings_row = moved(self.rulings_row, rows, action)
                    }
                }
                return Effect::None;
            }
            _ => return Effect::None,
        }
        if matches!(action, Action::Open | Action::Back) {
            self.filtering = false;
            self.searching = false;
        }
        if action == Action::Open && screen == Screen::Picker {
            // Enter in the picker's filter opens the app under the cursor, as before.
            if let Some(&index) = self.filtered().get(self.picker_row) {
                self.open(index);
            }
            return Effect::None;
        }
        self.refilter(screen);
        Effect::None
    }

    /// After the filter of `screen` changed: the list it narrows, from its first row.
    fn refilter(&mut self, screen: Screen) {
        match screen {
            Screen::Picker => self.picker_row = 0,
            Screen::Dashboard => {
                let keep = self.selected();
                let profile = self.profile();
                let search = &self.search;
                self.order = display_order(profile)
                    .into_iter()
                    .filter(|&i| {
                        let s = &profile.settings[i];
                        matches(search, &s.label.en, &s.label.zh, &s.id)
                    })
                    .collect();
                // The setting that was selected stays selected while it still matches.
                self.setting_row = keep
                    .and_then(|k| self.order.iter().position(|&i| i == k))
                    .unwrap_or(0);
            }
            _ => self.rulings_row = 0,
        }
    }

    fn update_overlay(&mut self, overlay: Overlay, action: Action) -> Effect {
        match overlay {
            Overlay::Help => {
                self.overlay = None;
                Effect::None
            }
            Overlay::Chooser { setting, row } => {
                let rows = self.profile().settings[setting].options.len() + 1;
                match action {
                    Action::Back => self.overlay = None,
                    // Without a switch in this version, an option other than the built-in
                    // behaviour cannot be what the account is set to: the chooser is not a
                    // back door to "I changed it".
                    Action::Open if !self.choosable(setting, row) => {
                        self.warn(Msg::NotInThisVersion);
                    }
                    Action::Open => {
                        self.overlay = None;
                        let waiver = self.entries[self.current].selection.waivers[setting].clone();
                        return self.change(setting, (row.checked_sub(1), waiver));
                    }
                    action => {
                        self.overlay = Some(Overlay::Chooser {
                            setting,
                            row: moved(row, rows, action),
                        })
                    }
                }
                Effect::None
            }
            Overlay::Reason { mut text } => match action {
                Action::Back => {
                    self.overlay = None;
                    self.say(Msg::KeepCancelled);
                    Effect::None
                }
                Action::Input(c) => {
                    text.push(c);
                    self.overlay = Some(Overlay::Reason { text });
                    Effect::None
                }
                Action::Backspace => {
                    text.pop();
                    self.overlay = Some(Overlay::Reason { text });
                    Effect::None
                }
                Action::Open if text.trim().is_empty() => {
                    self.warn(Msg::EmptyReason);
                    Effect::None
                }
                Action::Open => {
                    self.overlay = Some(Overlay::Expiry {
                        reason: text.trim().to_owned(),
                        text: String::new(),
                    });
                    Effect::None
                }
                _ => Effect::None,
            },
            Overlay::Expiry { reason, mut text } => match action {
                Action::Back => {
                    self.overlay = None;
                    self.say(Msg::KeepCancelled);
                    Effect::None
                }
                Action::Input(c) => {
                    text.push(c);
                    self.overlay = Some(Overlay::Expiry { reason, text });
                    Effect::None
                }
                Action::Backspace => {
                    text.pop();
                    self.overlay = Some(Overlay::Expiry { reason, text });
                    Effect::None
                }
                Action::Open => {
                    let expires = if text.trim().is_empty() {
                        None
                    } else {
                        match Date::parse(text.trim()) {
                            // A waiver counts up to and including its last day; one that
                            // ended already would be saved and then silently not apply.
                            Some(date) if date < self.today => {
                                self.warn(Msg::PastDate);
                                self.overlay = Some(Overlay::Expiry { reason, text });
                                return Effect::None;
                            }
                            Some(date) => Some(date),
                            None => {
                                self.warn(Msg::BadDate);
                                self.overlay = Some(Overlay::Expiry { reason, text });
                                return Effect::None;
                            }
                        }
                    };
                    self.overlay = None;
                    let setting = self.walk.steps[self.walk.pos];
                    let id = self.profile().settings[setting].id.clone();
                    let chosen = self.entries[self.current].selection.chosen[setting];
                    let waiver = Waiver {
                        setting: id,
                        reason: sanitize(&reason),
                        expires,
                        pos: Default::default(),
                    };
                    self.unskip(setting);
                    let effect = self.change(setting, (chosen, Some(waiver)));
                    self.advance_walk();
                    effect
                }
                _ => Effect::None,
            },
        }
    }

    fn update_picker(&mut self, action: Action) -> Effect {
        let rows = self.filtered().len();
        match action {
            Action::StartFilter => self.filtering = true,
            Action::Back if !self.filter.is_empty() => {
                self.filter.clear();
                self.picker_row = 0;
            }
            Action::Back => {
                // Changes whose save failed would be lost: say so once, and quit on a
                // second q.
                let unsaved = self.unsaved();
                if unsaved > 0 && !self.quit_warned {
                    self.quit_warned = true;
                    self.tell(crate::i18n::unsaved_on_quit(unsaved, self.lang), true);
                    return Effect::None;
                }
                return Effect::Quit;
            }
            Action::Open => {
                if let Some(&index) = self.filtered().get(self.picker_row) {
                    self.open(index);
                }
            }
            Action::Rulings => self.show_rulings(),
            Action::Reset => self.reset_all(),
            action => self.picker_row = moved(self.picker_row, rows, action),
        }
        Effect::None
    }

    fn update_dashboard(&mut self, action: Action) -> Effect {
        match action {
            Action::StartFilter => {
                self.searching = true;
                self.show_map = false;
                return Effect::None;
            }
            Action::Back if !self.search.is_empty() => {
                self.search.clear();
                self.refilter(Screen::Dashboard);
                return Effect::None;
            }
            // The map replaces the details: Esc closes it first, as it would a popup.
            Action::Back if self.show_map => {
                self.show_map = false;
                return Effect::None;
            }
            Action::Back => {
                self.screen = Screen::Picker;
                self.status = None;
                return Effect::None;
            }
            Action::Walk => self.resume_walk(),
            Action::WalkRestart => self.restart_walk(),
            Action::ToggleMap => self.show_map = !self.show_map,
            Action::Rulings => self.show_rulings(),
            Action::Reset => self.reset(),
            Action::Export => return self.export(),
            _ => {}
        }
        let Some(setting) = self.selected() else {
            return Effect::None;
        };
        match action {
            // A setting with no switch in this version cannot be set to the
            // recommendation: say so, change nothing.
            Action::Fix if self.profile().settings[setting].switch != Switch::InApp => {
                self.warn(Msg::NoSwitchDashboard);
            }
            Action::Fix => {
                let recommended = self.profile().settings[setting].recommended;
                if self.value(setting) == (Some(recommended), None) {
                    self.say(Msg::AlreadyRecommended);
                    return Effect::None;
                }
                return self.change(setting, (Some(recommended), None));
            }
            Action::Choose => {
                let row = self.entries[self.current].selection.chosen[setting].map_or(0, |i| i + 1);
                self.overlay = Some(Overlay::Chooser { setting, row });
            }
            action => self.setting_row = moved(self.setting_row, self.order.len(), action),
        }
        Effect::None
    }

    fn update_walk(&mut self, action: Action) -> Effect {
        let Some(&setting) = self.walk.steps.get(self.walk.pos) else {
            self.screen = Screen::Summary;
            return Effect::None;
        };
        let switch = self.profile().settings[setting].switch == Switch::InApp;
        match action {
            // A step with no switch in this version cannot be "changed": `n` notes it (and
            // records nothing), `d` by habit says so.
            Action::Fix if !switch => self.warn(Msg::NoSwitchWalk),
            Action::Noted if !switch => {
                self.skip(setting);
                self.advance_walk();
                // After the "all done" of the last step, if any.
                if self.screen == Screen::Walk {
                    self.say(Msg::NotedNoSwitch);
                }
            }
            // And `n` by habit on a step that can be changed says what the keys are.
            Action::Noted => self.warn(Msg::HasSwitchWalk),
            Action::Fix => {
                let recommended = self.profile().settings[setting].recommended;
                self.unskip(setting);
                let effect = self.change(setting, (Some(recommended), None));
                self.advance_walk();
                return effect;
            }
            Action::Keep => {
                self.overlay = Some(Overlay::Reason {
                    text: String::new(),
                })
            }
            Action::Skip => {
                self.skip(setting);
                self.advance_walk();
            }
            Action::StepBack => self.walk.pos = self.walk.pos.saturating_sub(1),
            Action::Back => self.screen = Screen::Summary,
            Action::Reset => self.reset(),
            _ => {}
        }
        Effect::None
    }

    fn update_summary(&mut self, action: Action) -> Effect {
        match action {
            Action::Export => return self.export(),
            Action::Open | Action::Back => self.screen = Screen::Dashboard,
            Action::Walk => self.resume_walk(),
            Action::WalkRestart => self.restart_walk(),
            Action::Reset => self.reset(),
            _ => {}
        }
        Effect::None
    }

    fn update_rulings(&mut self, action: Action) -> Effect {
        let rows = self.rulings_visible().len();
        match action {
            Action::StartFilter => self.searching = true,
            Action::Back if !self.rulings_search.is_empty() => {
                self.rulings_search.clear();
                self.rulings_row = 0;
            }
            Action::Back => self.screen = self.rulings_return,
            action => self.rulings_row = moved(self.rulings_row, rows, action),
        }
        Effect::None
    }

    fn show_rulings(&mut self) {
        self.rulings_return = self.screen;
        self.screen = Screen::Rulings;
    }

    /// What setting `setting` of the open app holds now.
    pub fn value(&self, setting: usize) -> Value {
        let selection = &self.entries[self.current].selection;
        (
            selection.chosen[setting],
            selection.waivers[setting].clone(),
        )
    }

    /// Set a setting of the open app, remember how to take it back, and say what changed.
    fn change(&mut self, setting: usize, after: Value) -> Effect {
        let before = self.value(setting);
        if before == after {
            return Effect::None;
        }
        let mut text = match &after {
            (chosen, Some(waiver)) if *chosen == before.0 => self.keep_words(setting, waiver),
            _ => self.change_words(Msg::Changed, setting, &before, &after),
        };
        if !self.demo && self.entries[self.current].load_error.is_some() {
            // Its saved state could not be read and is left alone: say this is not saved.
            text.push_str(Msg::NotSavedMark.text(self.lang));
        }
        self.set(setting, after.clone());
        self.undo[self.current].push(Change {
            setting,
            before,
            after,
            with_previous: false,
        });
        self.tell(text, false);
        self.save_effect()
    }

    /// A change is saved at once; a demo saves nothing.
    fn save_effect(&self) -> Effect {
        if self.demo {
            Effect::None
        } else {
            Effect::Save
        }
    }

    fn set(&mut self, setting: usize, (chosen, waiver): Value) {
        let selection = &mut self.entries[self.current].selection;
        selection.chosen[setting] = chosen;
        selection.waivers[setting] = waiver;
    }

    /// Take back the open app's last change; said in the status line, and saved like any
    /// other change.
    fn undo(&mut self) -> Effect {
        if self.screen == Screen::Picker || self.screen == Screen::Rulings {
            // Undo belongs to an app: say where it works rather than nothing.
            self.say(Msg::UndoInAnApp);
            return Effect::None;
        }
        let Some(change) = self.undo[self.current].pop() else {
            self.say(Msg::NothingToUndo);
            return Effect::None;
        };
        if change.with_previous {
            // A reset: every setting it changed comes back at once.
            let mut change = change;
            loop {
                self.set(change.setting, change.before);
                if !change.with_previous {
                    break;
                }
                match self.undo[self.current].pop() {
                    Some(next) => change = next,
                    None => break,
                }
            }
            self.say(Msg::ResetUndone);
            return self.save_effect();
        }
        let now = self.value(change.setting);
        let text = self.change_words(Msg::Undid, change.setting, &now, &change.before);
        self.set(change.setting, change.before);
        // In a walk, back to the step that was undone.
        if matches!(self.screen, Screen::Walk | Screen::Summary)
            && self.walk.app == Some(self.current)
            && let Some(pos) = self.walk.steps.iter().position(|&s| s == change.setting)
        {
            self.walk.pos = pos;
            self.screen = Screen::Walk;
        }
        self.tell(text, false);
        self.save_effect()
    }

    /// "Changed: Private reading: not set (the app's default) -> on".
    fn change_words(&self, what: Msg, setting: usize, from: &Value, to: &Value) -> String {
        let lang = self.lang;
        let label = self.profile().settings[setting].label.get(lang);
        let (from, to) = (
            self.value_words(setting, from),
            self.value_words(setting, to),
        );
        match lang {
            Lang::En => format!("{}: {label}: {from} -> {to}", what.text(lang)),
            Lang::Zh => format!("{}“{label}”：{from} → {to}", what.text(lang)),
        }
    }

    /// "Kept: Leaderboard (reason: ...; until 2027-06-30)".
    fn keep_words(&self, setting: usize, waiver: &Waiver) -> String {
        let lang = self.lang;
        let label = self.profile().settings[setting].label.get(lang);
        let until = crate::i18n::until(waiver.expires, lang);
        match lang {
            Lang::En => format!(
                "{}: {label} (reason: {}; {until})",
                Msg::KeptNow.text(lang),
                waiver.reason
            ),
            Lang::Zh => format!(
                "{}“{label}”（理由：{}；{until}）",
                Msg::KeptNow.text(lang),
                waiver.reason
            ),
        }
    }

    /// A setting's value in words: the option, or "not set", and "kept" with a waiver.
    pub fn value_words(&self, setting: usize, (chosen, waiver): &Value) -> String {
        let lang = self.lang;
        let mut words = match chosen {
            Some(i) => self.profile().settings[setting].options[*i]
                .label
                .get(lang)
                .to_owned(),
            None => Msg::NotSet.text(lang).to_owned(),
        };
        if waiver.is_some() {
            words.push_str(match lang {
                Lang::En => " (kept)",
                Lang::Zh => "（保留）",
            });
        }
        words
    }

    /// `w`: back to the step the walk of this app was left at; a walk that ended (or of
    /// another app) starts again from the open findings, leaving out the skipped ones.
    fn resume_walk(&mut self) {
        if self.walk.app == Some(self.current) && self.walk.pos < self.walk.steps.len() {
            // Steps still ahead that were settled meanwhile (fixed on the dashboard, kept)
            // are no longer offered; those already passed keep their numbers.
            let open: Vec<usize> = self
                .report()
                .findings
                .iter()
                .filter(|f| !f.waived())
                .map(|f| f.index)
                .collect();
            let pos = self.walk.pos;
            let mut steps = self.walk.steps[..pos].to_vec();
            steps.extend(
                self.walk.steps[pos..]
                    .iter()
                    .filter(|s| open.contains(s))
                    .copied(),
            );
            self.walk.steps = steps;
            if self.walk.pos < self.walk.steps.len() {
                self.screen = Screen::Walk;
                return;
            }
        }
        self.start_walk(false);
    }

    /// `W`: the skipped steps come back; the walk starts from the first finding.
    fn restart_walk(&mut self) {
        let id = self.profile().app.id.clone();
        self.memory.skipped.remove(&id);
        self.start_walk(true);
    }

    /// The unwaived findings, most severe first, one step each, without the steps skipped
    /// (until [`Action::WalkRestart`]).
    fn start_walk(&mut self, fresh: bool) {
        let report = self.report();
        let skipped = self.memory.skipped.get(&self.profile().app.id);
        let is_skipped =
            |f: &crate::audit::Finding<'_>| skipped.is_some_and(|s| s.contains(f.setting));
        let open: Vec<_> = report.findings.iter().filter(|f| !f.waived()).collect();
        let steps: Vec<usize> = open
            .iter()
            .filter(|f| !is_skipped(f))
            .map(|f| f.index)
            .collect();
        let left_out = open.len() - steps.len();
        // The score before counts from the first walk of this app in this session.
        let score_before = if !fresh && self.walk.app == Some(self.current) {
            self.walk.score_before
        } else {
            report.score
        };
        self.walk = Walk {
            steps,
            pos: 0,
            score_before,
            app: Some(self.current),
        };
        if !self.walk.steps.is_empty() {
            self.screen = Screen::Walk;
        } else if left_out > 0 {
            let text = crate::i18n::only_skipped_left(left_out, self.lang);
            self.tell(text, false);
            self.screen = Screen::Summary;
        } else {
            self.say(Msg::NothingExposed);
            self.screen = Screen::Summary;
        }
    }

    fn skip(&mut self, setting: usize) {
        let app = self.profile().app.id.clone();
        let id = self.profile().settings[setting].id.clone();
        self.memory.skipped.entry(app).or_default().insert(id);
    }

    fn unskip(&mut self, setting: usize) {
        let app = &self.profile().app.id;
        let id = &self.profile().settings[setting].id;
        if let Some(skipped) = self.memory.skipped.get_mut(app) {
            skipped.remove(id);
            if skipped.is_empty() {
                self.memory.skipped.remove(app);
            }
        }
    }

    fn advance_walk(&mut self) {
        self.walk.pos += 1;
        if self.walk.pos >= self.walk.steps.len() {
            self.say(Msg::StepsDone);
            self.screen = Screen::Summary;
        }
    }

    /// Demo mode only: back to the app's defaults, to show it all again.
    fn reset(&mut self) {
        if !self.demo {
            return;
        }
        self.reset_app(self.current);
        self.screen = Screen::Dashboard;
        self.say(Msg::ResetDone);
    }

    /// Demo mode only, from the picker: every app back to its defaults.
    fn reset_all(&mut self) {
        if !self.demo {
            return;
        }
        for index in 0..self.entries.len() {
            self.reset_app(index);
        }
        self.say(Msg::ResetAllDone);
    }

    fn reset_app(&mut self, index: usize) {
        let profile = self.auditors[index].profile;
        let defaults = Selection::defaults(profile);
        // Undoable as one step: each setting the reset changes, chained to the one before.
        let selection = &self.entries[index].selection;
        let mut first = true;
        for setting in 0..profile.settings.len() {
            let before = (
                selection.chosen[setting],
                selection.waivers[setting].clone(),
            );
            let after = (defaults.chosen[setting], defaults.waivers[setting].clone());
            if before != after {
                self.undo[index].push(Change {
                    setting,
                    before,
                    after,
                    with_previous: !first,
                });
                first = false;
            }
        }
        self.entries[index].selection = defaults;
        self.memory.skipped.remove(&profile.app.id);
        if self.walk.app == Some(index) {
            self.walk = Walk::default();
        }
    }

    fn export(&mut self) -> Effect {
        if self.demo {
            self.warn(Msg::DemoNoWrite);
            Effect::None
        } else {
            Effect::Export
        }
    }
}

/// Whether a filter matches an item: empty matches all; else the English words (any
/// case), the Chinese words or the id contain it.
pub fn matches(needle: &str, en: &str, zh: &str, id: &str) -> bool {
    let lower = needle.to_lowercase();
    needle.is_empty()
        || en.to_lowercase().contains(&lower)
        || zh.contains(needle)
        || id.to_lowercase().contains(&lower)
}

/// Move a cursor in a list of `rows`.
fn moved(row: usize, rows: usize, action: Action) -> usize {
    let last = rows.saturating_sub(1);
    match action {
        Action::Up => row.saturating_sub(1),
        Action::Down => (row + 1).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        Action::Select(n) => n.min(last),
        _ => row,
    }
}

/// The most sensitive kind of data a setting can send anywhere: what the dashboard groups
/// settings by. `None` for a setting none of whose options sends anything.
pub fn primary_data(profile: &Profile, setting: usize) -> Option<DataCategory> {
    profile.settings[setting]
        .options
        .iter()
        .flat_map(|o| &o.flows)
        .filter(|f| f.to.rung() != Some(0))
        .map(|f| f.data)
        .max_by_key(|d| (d.sensitivity(), std::cmp::Reverse(*d)))
}

/// Settings grouped by their primary data (most sensitive group first), profile order
/// within a group.
pub fn display_order(profile: &Profile) -> Vec<usize> {
    let mut order: Vec<usize> = (0..profile.settings.len()).collect();
    order.sort_by_key(|&i| {
        let data = primary_data(profile, i);
        (std::cmp::Reverse(data.map(|d| d.sensitivity())), data, i)
    });
    order
}
