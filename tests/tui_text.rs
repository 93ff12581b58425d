//! Text as drawn on every screen (ratatui's TestBackend): Chinese lines never start with
//! closing punctuation, names cut short end with "…", the details stop scrolling at their
//! end and say where they are.

mod common;

use privaudit::text::Lang;
use privaudit::tui::app::{Action, App};
use privaudit::tui::theme::Theme;
use privaudit::tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn draw(app: &mut App<'_>, width: u16, height: u16) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut hits = ui::Hits::default();
    terminal
        .draw(|frame| hits = ui::render(app, &Theme::plain(), frame))
        .unwrap();
    app.scroll_room = hits.scroll.unwrap_or_default();
    rows(terminal.backend())
}

/// The screen as text, one string per row, wide characters once.
fn rows(backend: &TestBackend) -> Vec<String> {
    let buffer = backend.buffer();
    (0..buffer.area.height)
        .map(|y| {
            let mut row = String::new();
            let mut x = 0;
            while x < buffer.area.width {
                let symbol = buffer[(x, y)].symbol();
                row.push_str(symbol);
                x += unicode_width::UnicodeWidthStr::width(symbol).max(1) as u16;
            }
            row
        })
        .collect()
}

/// Every screen an app shows, reached by actions from the picker.
fn screens() -> Vec<(&'static str, Vec<Action>)> {
    let mut out = vec![
        ("picker", vec![]),
        ("rulings", vec![Action::Rulings]),
        ("rulings last", vec![Action::Rulings, Action::Bottom]),
    ];
    for app in 0..4 {
        let open: Vec<Action> = std::iter::repeat_n(Action::Down, app)
            .chain([Action::Open])
            .collect();
        let with = |more: &[Action]| open.iter().chain(more).copied().collect::<Vec<_>>();
        out.push(("dashboard", with(&[])));
        out.push(("dashboard last", with(&[Action::Bottom])));
        out.push(("map", with(&[Action::ToggleMap])));
        out.push(("walk", with(&[Action::Walk])));
        out.push(("walk 2", with(&[Action::Walk, Action::Skip])));
        out.push(("summary", with(&[Action::Walk, Action::Back])));
    }
    out
}

const CLOSING: &str = "，。；：、）》」』”’！？";

#[test]
fn chinese_lines_never_start_with_closing_punctuation() {
    for (width, height) in [(80, 24), (100, 30), (200, 60)] {
        for (name, actions) in screens() {
            let mut app = common::tui_app(Lang::Zh, false);
            for &a in &actions {
                app.update(a);
            }
            let screen = draw(&mut app, width, height);
            for (y, row) in screen.iter().enumerate() {
                // Inside a box, text starts after the left border "│".
                for cell in row.split('│') {
                    let first = cell.chars().next();
                    assert!(
                        !first.is_some_and(|c| CLOSING.contains(c)),
                        "{name} at {width}x{height}, row {y} starts with closing punctuation:\n{}",
                        screen.join("\n")
                    );
                }
            }
        }
    }
}

#[test]
fn a_name_cut_short_ends_with_an_ellipsis_and_shows_whole_in_the_details() {
    let mut app = common::tui_app(Lang::Zh, false);
    app.update(Action::Open);
    let screen = draw(&mut app, 80, 24);
    let label = app.profile().settings[app.selected_setting()]
        .label
        .zh
        .clone();
    let row = screen
        .iter()
        .find(|r| r.contains("> [严重]"))
        .expect("the selected row");
    let in_list = row.split('│').nth(1).unwrap();
    assert!(
        in_list.trim_end().ends_with('…'),
        "a long name is cut with …: {in_list:?}"
    );
    assert!(!in_list.contains(&label));
    let details: String = screen
        .iter()
        .map(|r| r.split('│').nth(3).unwrap_or("").trim_end())
        .collect();
    assert!(
        details.contains(&label),
        "the details show the whole name {label:?}:\n{}",
        screen.join("\n")
    );
}

#[test]
fn page_down_stops_at_the_end_and_page_up_comes_straight_back() {
    for lang in [Lang::En, Lang::Zh] {
        let mut app = common::tui_app(lang, false);
        app.update(Action::Open);
        draw(&mut app, 80, 24);
        let room = app.scroll_room;
        assert!(room.max > 0, "the details of WeChat Read do not fit 80x24");
        let mut last = draw(&mut app, 80, 24);
        for _ in 0..100 {
            app.update(Action::ScrollDown);
            last = draw(&mut app, 80, 24);
        }
        assert_eq!(app.detail_scroll, room.max, "no scrolling past the end");
        let bottom = last.iter().rev().find(|r| r.contains('└')).unwrap();
        assert!(
            bottom.contains('↑') && !bottom.contains('↓'),
            "the bottom border says there is more above only: {bottom}"
        );
        app.update(Action::ScrollUp);
        assert_eq!(
            app.detail_scroll,
            room.max - (room.page - 1).min(room.max),
            "one PageUp moves one page back from the end"
        );
        let top = draw(&mut app, 80, 24);
        let bottom = top.iter().rev().find(|r| r.contains('└')).unwrap();
        let position = match lang {
            Lang::En => "lines ",
            Lang::Zh => "行，共",
        };
        assert!(bottom.contains(position), "{bottom}");
    }
}

#[test]
fn no_wrapped_text_runs_past_its_box_on_any_screen() {
    for lang in [Lang::En, Lang::Zh] {
        for (width, height) in [(60, 16), (80, 24), (200, 60)] {
            for (name, actions) in screens() {
                let mut app = common::tui_app(lang, false);
                for &a in &actions {
                    app.update(a);
                }
                let screen = draw(&mut app, width, height);
                for (y, row) in screen.iter().enumerate() {
                    let cells = unicode_width::UnicodeWidthStr::width(row.as_str());
                    assert_eq!(
                        cells,
                        usize::from(width),
                        "{name} {lang:?} at {width}x{height}: row {y} is {cells} cells:\n{}",
                        screen.join("\n")
                    );
                }
            }
        }
    }
}

/// Duoshan's profile with `extra` more options on its first setting.
fn many_options(extra: usize) -> privaudit::profile::Profile {
    let text = std::fs::read_to_string("profiles/duoshan.toml").unwrap();
    let marker = "[[settings.options]]\nid = \"off\"";
    let at = text.find(marker).unwrap();
    let end = at + text[at..].find("\n\n").unwrap();
    let mut options = String::new();
    for i in 0..extra {
        options.push_str(&format!(
            "\n\n[[settings.options]]\nid = \"o{i}\"\nlabel = {{ en = \"Option {i}\", zh = \"选项 {i}\" }}\nflows = []"
        ));
    }
    let text = format!("{}{options}{}", &text[..end], &text[end..]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.toml");
    std::fs::write(&path, text).unwrap();
    privaudit::registry::load_profile_file(&path, privaudit::catalog::builtin()).unwrap()
}

#[test]
fn the_chooser_keeps_its_cursor_in_view_on_a_short_screen() {
    let profiles = Box::leak(vec![many_options(60)].into_boxed_slice());
    let entries = profiles
        .iter()
        .map(privaudit::tui::app::Entry::defaults)
        .collect();
    let today = privaudit::date::Date::new(2026, 11, 23).unwrap();
    let mut app = App::new(
        privaudit::catalog::builtin(),
        profiles,
        entries,
        Lang::En,
        false,
        today,
    );
    app.open(0);
    let row = app
        .order
        .iter()
        .position(|&s| app.profile().settings[s].options.len() > 60)
        .unwrap();
    app.update(Action::Select(row));
    app.update(Action::Choose);
    // The cursor starts on "not set", the first row: it is on screen, and so is the top.
    let screen = draw(&mut app, 80, 24);
    assert!(
        screen.iter().any(|r| r.contains("> (*) not set")),
        "{}",
        screen.join("\n")
    );
    assert!(
        screen.iter().any(|r| r.contains('↓')),
        "{}",
        screen.join("\n")
    );
    // Forty rows down, the cursor is still in view, on the option it names.
    for _ in 0..40 {
        app.update(Action::Down);
    }
    let screen = draw(&mut app, 80, 24);
    let cursor = screen
        .iter()
        .find(|r| r.contains("> ( )"))
        .unwrap_or_else(|| panic!("no cursor:\n{}", screen.join("\n")));
    assert!(cursor.contains("Option 37"), "{cursor}");
    assert!(
        screen.iter().any(|r| r.contains('↑')),
        "{}",
        screen.join("\n")
    );
}

#[test]
fn a_screen_too_small_says_what_it_needs_in_both_languages() {
    for (lang, needs) in [
        (Lang::En, "at least 60 columns"),
        (Lang::Zh, "至少需要 60 列"),
    ] {
        let mut app = common::tui_app(lang, false);
        app.update(Action::Open);
        let screen = draw(&mut app, 50, 12);
        assert!(screen.concat().contains(needs), "{}", screen.join("\n"));
    }
}
