//! The interactive auditor's state and what each action does to it. No drawing and no
//! terminal here, and no files: saving and exporting are returned as [`Effect`]s for the
//! runner to carry out, so this can be driven and checked in tests without a terminal.

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
    Open,
    Back,
    Quit,
    Help,
    ToggleLang,
    StartFilter,
    Input(char),
    Backspace,
    Walk,
    ToggleMap,
    Rulings,
    Fix,
    Keep,
    Skip,
    StepBack,
    Export,
    Reset,
    Cycle,
    /// A click on row N of the list on screen.
    Select(usize),
    Suspend,
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
    pub rulings_row: usize,
    rulings_return: Screen,
    /// How far the detail text (dashboard detail, walk step, rulings detail) is scrolled;
    /// back to the top whenever what it shows changes.
    pub detail_scroll: u16,
    /// How far it can scroll, as last drawn.
    pub scroll_room: ScrollRoom,
    /// A line for the status bar, and whether it reports a problem.
    pub status: Option<(String, bool)>,
    pub today: Date,
    /// Settings of the open app's profile in display order, grouped by what they expose.
    pub order: Vec<usize>,
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
            detail_scroll: 0,
            scroll_room: ScrollRoom::default(),
            status: None,
            today,
            order: Vec::new(),
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
        let needle = self.filter.to_lowercase();
        self.auditors
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                let app = &a.profile.app;
                needle.is_empty()
                    || app.id.contains(&needle)
                    || app.name.en.to_lowercase().contains(&needle)
                    || app.name.zh.contains(&self.filter)
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The setting index under the dashboard cursor.
    pub fn selected_setting(&self) -> usize {
        self.order.get(self.setting_row).copied().unwrap_or(0)
    }

    /// Open app `index` on its dashboard.
    pub fn open(&mut self, index: usize) {
        self.current = index;
        self.order = display_order(self.profile());
        self.setting_row = 0;
        self.show_map = false;
        self.screen = Screen::Dashboard;
        self.status = self.entries[index]
            .load_error
            .as_ref()
            .map(|e| (format!("{}: {e}", Msg::NotSaving.text(self.lang)), true));
    }

    fn say(&mut self, msg: Msg) {
        self.status = Some((msg.text(self.lang).to_owned(), false));
    }

    fn warn(&mut self, msg: Msg) {
        self.status = Some((msg.text(self.lang).to_owned(), true));
    }

    /// Apply an action; the returned effect is for the runner.
    pub fn update(&mut self, action: Action) -> Effect {
        match action {
            Action::Quit => return Effect::Quit,
            Action::Suspend => return Effect::Suspend,
            _ => {}
        }
        if let Some(overlay) = self.overlay.clone() {
            return self.update_overlay(overlay, action);
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
                self.status = None;
                return Effect::None;
            }
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
            _ => {}
        }
        // Anything else may change what the detail text shows: start it from the top.
        self.detail_scroll = 0;
        match self.screen {
            Screen::Picker => self.update_picker(action),
            Screen::Dashboard => self.update_dashboard(action),
            Screen::Walk => self.update_walk(action),
            Screen::Summary => self.update_summary(action),
            Screen::Rulings => self.update_rulings(action),
        }
    }

    fn update_overlay(&mut self, overlay: Overlay, action: Action) -> Effect {
        match overlay {
            Overlay::Help => {
                self.overlay = None;
                Effect::None
            }
            Overlay::Reason { mut text } => match action {
                Action::Back => {
                    self.overlay = None;
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
                    self.entries[self.current].selection.waivers[setting] = Some(Waiver {
                        setting: id,
                        reason: sanitize(&reason),
                        expires,
                        pos: Default::default(),
                    });
                    self.advance_walk();
                    Effect::Save
                }
                _ => Effect::None,
            },
        }
    }

    fn update_picker(&mut self, action: Action) -> Effect {
        let rows = self.filtered().len();
        match action {
            Action::StartFilter => self.filtering = true,
            Action::Input(c) if self.filtering => {
                self.filter.push(c);
                self.picker_row = 0;
            }
            Action::Backspace if self.filtering => {
                self.filter.pop();
                self.picker_row = 0;
            }
            Action::Back if self.filtering || !self.filter.is_empty() => {
                self.filtering = false;
                self.filter.clear();
                self.picker_row = 0;
            }
            Action::Back => return Effect::Quit,
            Action::Open => {
                self.filtering = false;
                if let Some(&index) = self.filtered().get(self.picker_row) {
                    self.open(index);
                }
            }
            Action::Rulings => self.show_rulings(),
            action => self.picker_row = moved(self.picker_row, rows, action),
        }
        Effect::None
    }

    fn update_dashboard(&mut self, action: Action) -> Effect {
        let setting = self.selected_setting();
        match action {
            Action::Back => {
                self.screen = Screen::Picker;
                self.status = None;
            }
            Action::Walk => self.start_walk(),
            Action::ToggleMap => self.show_map = !self.show_map,
            Action::Rulings => self.show_rulings(),
            // A step with no switch in this version cannot be "changed": noting it moves on
            // and leaves the state (and the score) as they are.
            Action::Fix if self.profile().settings[setting].switch != Switch::InApp => {
                self.say(Msg::NotedNoSwitch);
                self.advance_walk();
            }
            Action::Fix => {
                let recommended = self.profile().settings[setting].recommended;
                let entry = &mut self.entries[self.current];
                entry.selection.chosen[setting] = Some(recommended);
                entry.selection.waivers[setting] = None;
                return Effect::Save;
            }
            Action::Cycle => {
                let options = self.profile().settings[setting].options.len();
                let entry = &mut self.entries[self.current];
                let now = entry
                    .selection
                    .current(self.auditors[self.current].profile, setting);
                entry.selection.chosen[setting] = Some(now.map_or(0, |i| (i + 1) % options));
                return Effect::Save;
            }
            Action::Reset => self.reset(),
            Action::Export => return self.export(),
            action => self.setting_row = moved(self.setting_row, self.order.len(), action),
        }
        Effect::None
    }

    fn update_walk(&mut self, action: Action) -> Effect {
        let Some(&setting) = self.walk.steps.get(self.walk.pos) else {
            self.screen = Screen::Summary;
            return Effect::None;
        };
        match action {
            // A step with no switch in this version cannot be "changed": noting it moves on
            // and leaves the state (and the score) as they are.
            Action::Fix if self.profile().settings[setting].switch != Switch::InApp => {
                self.say(Msg::NotedNoSwitch);
                self.advance_walk();
            }
            Action::Fix => {
                let recommended = self.profile().settings[setting].recommended;
                let entry = &mut self.entries[self.current];
                entry.selection.chosen[setting] = Some(recommended);
                entry.selection.waivers[setting] = None;
                self.advance_walk();
                return Effect::Save;
            }
            Action::Keep => {
                self.overlay = Some(Overlay::Reason {
                    text: String::new(),
                })
            }
            Action::Skip => self.advance_walk(),
            Action::StepBack | Action::Backspace => self.walk.pos = self.walk.pos.saturating_sub(1),
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
            Action::Walk => self.start_walk(),
            Action::Reset => self.reset(),
            _ => {}
        }
        Effect::None
    }

    fn update_rulings(&mut self, action: Action) -> Effect {
        let rows = self.catalog.rulings.len() + self.catalog.laws.len();
        match action {
            Action::Back => self.screen = self.rulings_return,
            action => self.rulings_row = moved(self.rulings_row, rows, action),
        }
        Effect::None
    }

    fn show_rulings(&mut self) {
        self.rulings_return = self.screen;
        self.screen = Screen::Rulings;
    }

    /// The unwaived findings, most severe first, one step each.
    fn start_walk(&mut self) {
        let report = self.report();
        let steps: Vec<usize> = report
            .findings
            .iter()
            .filter(|f| !f.waived())
            .map(|f| f.index)
            .collect();
        let score_before = report.score;
        self.walk = Walk {
            steps,
            pos: 0,
            score_before,
        };
        if self.walk.steps.is_empty() {
            self.say(Msg::NothingExposed);
            self.screen = Screen::Summary;
        } else {
            self.screen = Screen::Walk;
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
        let profile = self.profile();
        self.entries[self.current].selection = Selection::defaults(profile);
        self.walk = Walk::default();
        self.screen = Screen::Dashboard;
        self.say(Msg::ResetDone);
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
