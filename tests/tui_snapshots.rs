//! Every screen drawn with ratatui's TestBackend, in English and Chinese, small and large,
//! compared with the snapshots under tests/snapshots/.

mod common;

use privaudit::text::Lang;
use privaudit::tui::app::{Action, App};
use privaudit::tui::theme::Theme;
use privaudit::tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn app(lang: Lang) -> App<'static> {
    common::tui_app(lang, false)
}

fn draw(app: &App<'_>, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            ui::render(app, &Theme::plain(), frame);
        })
        .unwrap();
    terminal
}

/// Snapshot one screen in both languages and both sizes; `setup` brings the app there.
fn snapshot_screen(name: &str, setup: impl Fn(&mut App<'static>)) {
    for lang in [Lang::En, Lang::Zh] {
        for (width, height) in SIZES {
            let mut app = app(lang);
            setup(&mut app);
            let terminal = draw(&app, width, height);
            let lang_id = match lang {
                Lang::En => "en",
                Lang::Zh => "zh",
            };
            insta::assert_snapshot!(
                format!("{name}_{lang_id}_{width}x{height}"),
                terminal.backend()
            );
        }
    }
}

fn actions(app: &mut App<'_>, actions: &[Action]) {
    for &action in actions {
        app.update(action);
    }
}

#[test]
fn picker() {
    snapshot_screen("picker", |_| {});
}

#[test]
fn picker_filtered() {
    snapshot_screen("picker_filtered", |app| {
        actions(
            app,
            &[Action::StartFilter, Action::Input('w'), Action::Input('e')],
        );
    });
}

#[test]
fn dashboard_wechat_read() {
    snapshot_screen("dashboard_wechat_read", |app| app.open(0));
}

#[test]
fn dashboard_douyin_unassessed_setting_selected() {
    snapshot_screen("dashboard_douyin", |app| {
        app.open(1);
        let row = app
            .order
            .iter()
            .position(|&s| app.profile().settings[s].id == "local-feed")
            .unwrap();
        app.update(Action::Select(row));
    });
}

#[test]
fn exposure_map() {
    snapshot_screen("exposure_map_wechat", |app| {
        app.open(3);
        actions(app, &[Action::Fix, Action::ToggleMap]);
    });
}

#[test]
fn walk_step() {
    snapshot_screen("walk_step", |app| {
        app.open(0);
        actions(app, &[Action::Walk, Action::Noted]);
    });
}

#[test]
fn walk_keep_prompt() {
    snapshot_screen("walk_keep_prompt", |app| {
        app.open(2);
        actions(
            app,
            &[
                Action::Walk,
                Action::Keep,
                Action::Input('o'),
                Action::Input('k'),
            ],
        );
    });
}

#[test]
fn summary() {
    snapshot_screen("summary", |app| {
        app.open(0);
        actions(
            app,
            &[
                Action::Walk,
                Action::Noted,
                Action::Noted,
                Action::Skip,
                Action::Back,
            ],
        );
    });
}

#[test]
fn rulings_browser() {
    snapshot_screen("rulings", |app| {
        actions(app, &[Action::Rulings, Action::Down]);
    });
}

#[test]
fn help() {
    snapshot_screen("help", |app| {
        app.open(0);
        app.update(Action::Help);
    });
}

#[test]
fn help_walk() {
    snapshot_screen("help_walk", |app| {
        app.open(0);
        actions(app, &[Action::Walk, Action::Help]);
    });
}

#[test]
fn chooser() {
    snapshot_screen("chooser", |app| {
        app.open(0);
        let row = app
            .order
            .iter()
            .position(|&s| app.profile().settings[s].id == "private-reading")
            .unwrap();
        actions(
            app,
            &[Action::Select(row), Action::Fix, Action::Choose, Action::Up],
        );
    });
}

#[test]
fn dashboard_search() {
    snapshot_screen("dashboard_search", |app| {
        app.open(1);
        actions(
            app,
            &[Action::StartFilter, Action::Input('l'), Action::Input('o')],
        );
    });
}

#[test]
fn demo_marker() {
    let mut app = app(Lang::En);
    app.demo = true;
    app.open(0);
    insta::assert_snapshot!("demo_dashboard_en_80x24", draw(&app, 80, 24).backend());
    // The summary, the rulings browser and every popup carry it too.
    app.lang = Lang::Zh;
    app.update(Action::Walk);
    app.update(Action::Keep);
    insta::assert_snapshot!("demo_keep_prompt_zh_80x24", draw(&app, 80, 24).backend());
    app.update(Action::Back);
    app.update(Action::Back);
    insta::assert_snapshot!("demo_summary_zh_80x24", draw(&app, 80, 24).backend());
    app.update(Action::Back);
    app.update(Action::Rulings);
    insta::assert_snapshot!("demo_rulings_zh_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn too_small_shows_a_notice() {
    for (lang, id) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut app = app(lang);
        app.open(0);
        insta::assert_snapshot!(format!("too_small_{id}"), draw(&app, 40, 10).backend());
    }
    // And nothing panics at any size, down to nothing at all.
    for width in 0..30 {
        for height in 0..20 {
            let mut app = app(Lang::Zh);
            app.open(1);
            draw(&app, width, height);
        }
    }
}

#[test]
fn picker_marks_user_profiles_and_lists_broken_ones_in_full() {
    use privaudit::tui::app::Entry;
    for (lang, id) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut profiles = common::the_rulings_apps();
        let mut mine = profiles[1].clone();
        mine.builtin = false;
        mine.app.id = "mine".into();
        mine.app.family = "mine".into();
        profiles.push(mine);
        let profiles = Box::leak(profiles.into_boxed_slice());
        let entries = profiles.iter().map(Entry::defaults).collect();
        let mut app = App::new(
            privaudit::catalog::builtin(),
            profiles,
            entries,
            lang,
            false,
            privaudit::date::Date::new(2026, 11, 23).unwrap(),
        );
        app.broken = vec![
            format!(
                "/home/u/.config/privaudit/profiles/broken.toml:3:9: {}",
                "unknown field `defualt`, expected one of `id`, `label`, `options`, `default`, `path`, `rulings`, `laws`, `evidence`, `note`, `caveat`, `switch`, `instead`"
            ),
            "/home/u/.config/privaudit/profiles/b2.toml:1:5: unclosed table, expected `]`".into(),
        ];
        let terminal = draw(&app, 80, 24);
        let text = format!("{:?}", terminal.backend());
        assert!(
            text.contains("`instead`"),
            "the whole problem is shown: {text}"
        );
        insta::assert_snapshot!(
            format!("picker_user_profiles_{id}_80x24"),
            terminal.backend()
        );
    }
}
