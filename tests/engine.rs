//! The audit engine on every built-in profile and on a profile written only for the
//! tests, through the library API (no process, no terminal).

use privaudit::audit::{Auditor, Finding, Layer, Report, Severity};
use privaudit::catalog;
use privaudit::date::Date;
use privaudit::evidence::Evidence;
use privaudit::profile::{Link, Profile, RulingLink, parse_profile};
use privaudit::registry::builtin_profiles;
use privaudit::source::{SourceText, read_text_file};
use privaudit::state::{Selection, parse_state_toml};
use privaudit::vocab::{Audience, Source};
use std::path::Path;

fn today() -> Date {
    Date::new(2026, 11, 23).unwrap()
}

// Profiles and auditors are leaked so reports can borrow them freely: each test process
// makes a handful.
fn builtin(id: &str) -> &'static Profile {
    let profile = builtin_profiles(catalog::builtin())
        .expect("built-in profiles are valid")
        .into_iter()
        .find(|p| p.app.id == id)
        .unwrap_or_else(|| panic!("no built-in profile {id}"));
    Box::leak(Box::new(profile))
}

fn fixture_profile(name: &str) -> &'static Profile {
    let path = Path::new("tests/fixtures").join(name);
    let source = read_text_file(&path).unwrap();
    let profile =
        parse_profile(&source, catalog::builtin(), name, false).unwrap_or_else(|p| panic!("{p:?}"));
    Box::leak(Box::new(profile))
}

fn auditor(profile: &'static Profile) -> &'static Auditor<'static> {
    Box::leak(Box::new(Auditor::new(profile, catalog::builtin())))
}

fn defaults_report(profile: &'static Profile) -> Report<'static> {
    auditor(profile).audit(&Selection::defaults(profile), today())
}

fn with_state(profile: &'static Profile, toml: &str) -> Report<'static> {
    let state = parse_state_toml(&SourceText::from_string("state.toml", toml)).unwrap();
    let selection = state.bind(profile).unwrap();
    auditor(profile).audit(&selection, today())
}

fn finding<'a>(report: &'a Report<'static>, setting: &str) -> &'a Finding<'static> {
    report
        .findings
        .iter()
        .find(|f| f.setting == setting)
        .unwrap_or_else(|| panic!("no finding for {setting}: {:?}", report.findings))
}

#[test]
fn every_builtin_profile_loads_and_cites_only_known_ids() {
    let catalog = catalog::builtin();
    let profiles = builtin_profiles(catalog).unwrap();
    let ids: Vec<_> = profiles.iter().map(|p| p.app.id.as_str()).collect();
    // Every file under profiles/ is built in, in app-id order.
    for id in ["douyin", "duoshan", "wechat", "wechat-read"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert!(ids.is_sorted(), "{ids:?}");
    for profile in &profiles {
        for setting in &profile.settings {
            for ruling in &setting.rulings {
                assert!(catalog.ruling(&ruling.id).is_some(), "{ruling:?}");
            }
            assert!(!setting.label.en.is_empty() && !setting.label.zh.is_empty());
        }
    }
}

#[test]
fn wechat_read_defaults_reproduce_the_huang_findings() {
    let report = defaults_report(builtin("wechat-read"));
    for setting in [
        "wechat-friend-import",
        "auto-follow-friends",
        "reading-info-to-friends",
    ] {
        let f = finding(&report, setting);
        assert_eq!(
            f.rulings,
            [RulingLink {
                id: "huang-v-tencent-2020".to_owned(),
                link: Link::Direct
            }],
            "{setting}"
        );
        assert!(f.by_default, "{setting}");
        // Secondary-sourced default (raise) and a court ruling on this very feature
        // (raise): critical, and confirmed.
        assert_eq!(f.severity, Severity::Critical, "{setting}");
        assert!(f.judged.raised_by_default && f.judged.raised_by_ruling);
        assert!(f.confirmed() && !f.unconfirmed_default(), "{setting}");
    }
    // The leaderboard default comes from one recent source: not raised, not confirmed.
    let leaderboard = finding(&report, "reading-time-leaderboard");
    assert_eq!(leaderboard.severity, leaderboard.judged.base);
    assert!(leaderboard.unconfirmed_default());
    assert_eq!(leaderboard.rulings[0].link, Link::Analogy);
    // The friend list flows *into* WeChat Read from WeChat, to the app itself.
    let import = finding(&report, "wechat-friend-import");
    assert_eq!(import.exposes()[0].from, Source::OtherApps);
    assert_eq!(import.exposes()[0].to, Audience::Operator);
    // Auto-follow stays inside WeChat Read: no provision to another processor.
    let follow = finding(&report, "auto-follow-friends");
    assert!(!follow.laws().contains(&"pipl-23".to_owned()));
    assert!(!follow.laws().contains(&"civil-code-1038".to_owned()));
    // Showing reading to friends is not making it public.
    let reading = finding(&report, "reading-info-to-friends");
    assert!(!reading.laws().contains(&"pipl-25".to_owned()));
    // Carrying the friend list to another app rests on the separate-consent rule.
    assert!(
        finding(&report, "wechat-friend-import")
            .laws()
            .contains(&"pipl-23".to_owned())
    );
    assert_eq!(report.score, 0);
}

#[test]
fn douyin_recommend_me_is_a_direct_ling_finding_resting_on_an_unverified_default() {
    let report = defaults_report(builtin("douyin"));
    let f = finding(&report, "recommend-me-to-people-who-may-know-me");
    // nickname/avatar (1) x network (3) = low; the direct Ling link raises it once; the
    // default is seen only in imitation apps, so it raises nothing.
    assert_eq!(f.severity, Severity::Medium);
    assert!(f.judged.raised_by_ruling && !f.judged.raised_by_default);
    assert!(f.unconfirmed_default() && !f.confirmed());
    assert_eq!(f.certainty(), Evidence::Unverified);
    assert_eq!(f.rulings[0].id, "ling-v-douyin-2020");
    assert_eq!(f.rulings[0].link, Link::Direct);
    // The app offers the account to number holders; it does not show the number.
    assert_eq!(
        f.data().iter().map(|d| d.id()).collect::<Vec<_>>(),
        ["profile-identity"]
    );
    assert_eq!(f.broadest_audience().id(), "network");
    // No Douyin default is critical: every exposing default but one is unverified.
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.severity < Severity::Critical)
    );
    assert!(report.score_confirmed > report.score);
    assert_eq!(
        report.summary.unconfirmed,
        report.findings.iter().filter(|f| !f.confirmed()).count()
    );
    // The shared-links setting cites no ruling.
    let links = finding(&report, "find-me-via-shared-links");
    assert!(links.rulings.is_empty());
    // Settings whose default the dossier does not give are not guessed.
    assert_eq!(
        report.unassessed,
        [
            "third-party-content-sync",
            "authorisation-management",
            "local-feed"
        ]
    );
}

#[test]
fn carried_over_nickname_and_avatar_cite_the_tianjin_injunction() {
    let report = defaults_report(builtin("duoshan"));
    let f = finding(&report, "wechat-qq-identity-carry-over");
    assert_eq!(f.rulings[0].id, "tencent-v-bytedance-2019");
    assert_eq!(f.rulings[0].link, Link::Direct);
    assert_eq!(
        f.data().iter().map(|d| d.id()).collect::<Vec<_>>(),
        ["profile-identity"]
    );
    assert_eq!(f.exposes()[0].from, Source::OtherApps);
    // Laws in force from 2021 are later than the 2019 order and the 2019 app.
    let pipl23 = f.citations().iter().find(|c| c.law == "pipl-23").unwrap();
    assert!(pipl23.later_than_ruling && pipl23.later_than_version);
    assert_eq!(pipl23.layer, Layer::CurrentLaw);
    let gdpr = f.citations().iter().find(|c| c.law == "gdpr-25").unwrap();
    assert_eq!(gdpr.layer, Layer::EuComparison);
    assert!(!gdpr.later_than_ruling);

    let douyin = builtin("douyin");
    let report = with_state(
        douyin,
        "app = \"douyin\"\n[settings]\nthird-party-content-sync = \"on\"\n",
    );
    let f = finding(&report, "third-party-content-sync");
    assert_eq!(f.rulings[0].id, "tencent-v-bytedance-2019");
    assert_eq!(f.rulings[0].link, Link::Analogy);
    assert!(!f.by_default);
}

#[test]
fn every_setting_at_its_recommendation_scores_100() {
    for profile in builtin_profiles(catalog::builtin()).unwrap() {
        let mut selection = Selection::defaults(&profile);
        for (i, setting) in profile.settings.iter().enumerate() {
            selection.chosen[i] = Some(setting.recommended);
        }
        let auditor = Auditor::new(&profile, catalog::builtin());
        let report = auditor.audit(&selection, today());
        assert!(
            report.findings.is_empty(),
            "{}: {:?}",
            profile.app.id,
            report.findings
        );
        assert_eq!(report.score, 100, "{}", profile.app.id);
        assert!(report.unassessed.is_empty());
    }
}

#[test]
fn a_profile_the_engine_has_never_seen_is_judged_by_the_rules() {
    let profile = fixture_profile("fitness-tracker.toml");
    // Recommendation not declared: the least exposing option is taken.
    assert_eq!(
        profile
            .setting("activity-visibility")
            .unwrap()
            .recommended_option()
            .id,
        "only-you"
    );

    let report = defaults_report(profile);
    let f = finding(&report, "activity-visibility");
    // precise location (4) x public (4) = 16 -> high, raised to critical because it is
    // the default and the default is confirmed (secondary).
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(
        f.laws(),
        [
            "pipl-14", "pipl-25", "pipl-28", "pipl-29", "gdpr-7", "gdpr-25"
        ]
    );
    assert!(f.rulings.is_empty());
    // No default known: not judged. Recommended equals default: no finding.
    assert_eq!(report.unassessed, ["partner-sharing"]);
    assert!(report.findings.iter().all(|f| f.setting != "kudos"));
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.score, 0);

    let report = with_state(
        profile,
        "app = \"fitness-tracker\"\n[settings]\nactivity-visibility = \"followers\"\npartner-sharing = \"on\"\n",
    );
    // Chosen by the user, not by default: location (4) x friends (2) = 8 -> medium.
    assert_eq!(
        finding(&report, "activity-visibility").severity,
        Severity::Medium
    );
    // nickname (1) x other apps (3) = 3 -> low; the rule adds PIPL 23 and Civil Code 1038.
    let partner = finding(&report, "partner-sharing");
    assert_eq!(partner.severity, Severity::Low);
    assert_eq!(partner.laws(), ["civil-code-1038", "pipl-23"]);
    // exposed 3 + 1 of possible 10 + 1 + 0 -> floor(100 * 7 / 11) = 63 (partner-sharing has
    // no known default, so by default it could never be raised above low).
    assert_eq!(report.score, 63);
    assert_eq!((report.summary.medium, report.summary.low), (1, 1));
}

#[test]
fn exposure_by_default_weighs_more_than_the_same_exposure_chosen() {
    let profile = builtin("douyin");
    let by_default = defaults_report(profile);
    let chosen = with_state(
        profile,
        "app = \"douyin\"\n[settings]\nonline-status = \"on\"\npersonalised-recommendation = \"on\"\n",
    );
    // An unverified default raises nothing: the same severity either way.
    let (a, b) = (
        finding(&by_default, "online-status"),
        finding(&chosen, "online-status"),
    );
    assert!(a.by_default && !b.by_default && a.unconfirmed_default());
    assert_eq!(a.severity, b.severity);
    // A secondary-sourced default does raise it.
    let a = finding(&by_default, "personalised-recommendation");
    let b = finding(&chosen, "personalised-recommendation");
    assert!(a.by_default && !b.by_default);
    assert!(
        a.severity > b.severity,
        "{:?} vs {:?}",
        a.severity,
        b.severity
    );
    // The rule adds GDPR art. 7 (a default is not consent) only for exposure by default.
    assert!(a.laws().contains(&"gdpr-7".to_owned()) && !b.laws().contains(&"gdpr-7".to_owned()));
}

#[test]
fn waivers_count_until_they_expire() {
    let profile = builtin("wechat-read");
    let text = std::fs::read_to_string("tests/fixtures/waived-wechat-read.toml").unwrap();
    let report = with_state(profile, &text);
    let f = finding(&report, "reading-time-leaderboard");
    assert!(f.waived());
    assert_eq!(report.worst_unwaived(), None);
    assert_eq!(report.summary.waived, 1);
    // Waived exposure is still exposure: the score says so.
    assert!(report.score < 100);

    let text = std::fs::read_to_string("tests/fixtures/expired-waiver-wechat-read.toml").unwrap();
    let report = with_state(profile, &text);
    let f = finding(&report, "reading-time-leaderboard");
    assert!(!f.waived() && f.waiver_expired);
    // activity (2) x friends (2) = low; its single-source default raises nothing.
    assert_eq!(report.worst_unwaived(), Some(Severity::Low));
}

#[test]
fn states_for_other_apps_or_unknown_options_are_refused_with_positions() {
    let profile = builtin("wechat-read");
    for (file, line, col, needle) in [
        ("other-app-state.toml", 1, 7, "state is for app `douyin`"),
        (
            "unknown-option-state.toml",
            4,
            27,
            "has no option `friends-of-friends`",
        ),
        (
            "unknown-setting-state.toml",
            3,
            1,
            "has no setting `dark-mode`",
        ),
    ] {
        let source = read_text_file(&Path::new("tests/fixtures").join(file)).unwrap();
        let err = parse_state_toml(&source)
            .unwrap()
            .bind(profile)
            .unwrap_err();
        assert_eq!(
            (err.line, err.column),
            (Some(line), Some(col)),
            "{file}: {err}"
        );
        assert!(err.message.contains(needle), "{file}: {err}");
    }
}

#[test]
fn validation_collects_every_problem_with_its_position() {
    let source = read_text_file(Path::new("tests/fixtures/bad-ids.toml")).unwrap();
    let problems = parse_profile(&source, catalog::builtin(), "bad-ids.toml", false).unwrap_err();
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(text.len(), 12, "{text:#?}");
    let expect = [
        "bad-ids.toml:3:8: app name has no Chinese (zh) text",
        "bad-ids.toml:10:11: default `maybe` of setting `dup` is not one of its options (on, on)",
        "bad-ids.toml:11:15: recommended option `nope` of setting `dup` is not one of its options (on, on)",
        "bad-ids.toml:12:12: unknown ruling id `smith-v-jones-2021`",
        "bad-ids.toml:13:9: unknown law id `pipl-99`",
        "bad-ids.toml:14:12: setting `dup` states a default without saying how sure it is",
        "bad-ids.toml:14:22: unknown evidence level `certain`",
        "bad-ids.toml:19:20: unknown data category `dna`",
        "bad-ids.toml:19:33: unknown audience `everyone`",
        "bad-ids.toml:22:6: duplicate option id `on` in setting `dup`",
        "bad-ids.toml:23:9: label of option `on` has no Chinese (zh) text",
        "bad-ids.toml:26:6: duplicate setting id `dup`",
    ];
    for line in expect {
        let line = format!("tests/fixtures/{line}");
        assert!(
            text.iter().any(|t| t.starts_with(&line)),
            "missing {line:?} in {text:#?}"
        );
    }
}

/// Douyin as if it were offered only outside China, or without saying where.
fn douyin_in(market: Option<privaudit::profile::Market>) -> &'static Profile {
    let mut profile = builtin("douyin").clone();
    profile.app.market = market;
    // A Chinese court ruled on Douyin; for an app offered elsewhere the link can only be
    // an analogy (the loader refuses `direct` there).
    for setting in &mut profile.settings {
        for link in &mut setting.rulings {
            link.link = Link::Analogy;
        }
    }
    Box::leak(Box::new(profile))
}

#[test]
fn chinese_law_is_an_analogy_for_an_app_offered_outside_china() {
    use privaudit::audit::finding_message;
    use privaudit::profile::Market;
    use privaudit::text::Lang;
    let home = defaults_report(builtin("douyin"));
    let abroad = defaults_report(douyin_in(Some(Market::OutsideChina)));
    let layers = |r: &Report<'_>| -> Vec<Layer> {
        r.findings
            .iter()
            .flat_map(|f| f.citations().iter().map(|c| c.layer))
            .collect()
    };
    assert!(layers(&home).contains(&Layer::CurrentLaw));
    assert!(!layers(&home).contains(&Layer::CnAnalogy));
    assert!(layers(&abroad).contains(&Layer::CnAnalogy));
    assert!(
        !layers(&abroad).contains(&Layer::CurrentLaw),
        "{:?}",
        layers(&abroad)
    );
    // The GDPR stays a comparison either way.
    assert!(layers(&abroad).contains(&Layer::EuComparison));
    let finding = abroad
        .findings
        .iter()
        .find(|f| f.setting == "recommend-me-to-people-who-may-know-me")
        .unwrap();
    let profile = douyin_in(Some(Market::OutsideChina));
    let en = finding_message(profile, finding, catalog::builtin(), Lang::En);
    assert!(
        en.contains("do not bind an app offered outside China"),
        "{en}"
    );
    assert!(en.contains("Chinese law, by analogy"), "{en}");
    let zh = finding_message(profile, finding, catalog::builtin(), Lang::Zh);
    assert!(zh.contains("没有约束力"), "{zh}");
    assert!(!zh.contains("Chinese"), "{zh}");
    // Personalised recommendation: PIPL 24 is the Chinese rule, not the user's right there.
    let personalised = abroad
        .findings
        .iter()
        .find(|f| f.setting == "personalised-recommendation")
        .unwrap();
    let en = finding_message(profile, personalised, catalog::builtin(), Lang::En);
    assert!(en.contains("they do not bind this app"), "{en}");
    assert!(!en.contains("give you the right"), "{en}");
}

#[test]
fn a_profile_that_does_not_say_where_the_app_is_offered_says_so_where_it_cites_chinese_law() {
    use privaudit::audit::finding_message;
    use privaudit::text::Lang;
    let profile = douyin_in(None);
    let report = defaults_report(profile);
    let finding = &report.findings[0];
    let en = finding_message(profile, finding, catalog::builtin(), Lang::En);
    assert!(
        en.contains("does not say whether the app is offered in mainland China"),
        "{en}"
    );
    let home = defaults_report(builtin("douyin"));
    let en = finding_message(
        builtin("douyin"),
        &home.findings[0],
        catalog::builtin(),
        Lang::En,
    );
    assert!(!en.contains("does not say whether"), "{en}");
}

#[test]
fn an_article_of_another_jurisdiction_from_a_user_catalog_is_never_shown_as_chinese_law() {
    use privaudit::audit::{citation, explain::standing_words};
    use privaudit::profile::Market;
    use privaudit::text::Lang;
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "tests/fixtures/catalogs/example-co.toml",
        dir.path().join("example-co.toml"),
    )
    .unwrap();
    let merged = catalog::load_in(&[dir.path().to_path_buf()]);
    let policy = merged.catalog.law("example-policy-4").expect("loaded");
    for market in [Some(Market::China), Some(Market::OutsideChina), None] {
        let c = citation(policy, &[], None, market);
        assert_eq!(c.layer, Layer::OtherRules, "{market:?}");
    }
    let c = citation(policy, &[], None, Some(Market::China));
    let words = standing_words(policy, Some(&c), Lang::En);
    assert!(words.contains("Example Co. internal policy"), "{words}");
    assert!(!words.contains("GDPR"), "{words}");
    let words = standing_words(policy, Some(&c), Lang::Zh);
    assert!(words.contains("示例公司内部政策"), "{words}");
}
