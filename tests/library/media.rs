//! Profiles of this group: see tests/library.rs.
//!
//! Media and reading apps offered outside China: TikTok (a new adult account, and accounts
//! aged 13–15 under the defaults announced on 2021-01-13), Spotify and Goodreads. Each test
//! checks what the dossier (§3F, §7A, §7B, §7F) says about them as the engine sees it: which
//! settings expose data at the defaults and how sure that is, which cannot be judged because
//! no default is known, and how the two TikTok profiles differ.

use super::{choosing, findings_at_defaults, profile, today};
use crate::common::{Env, json};
use privaudit::audit::Auditor;
use privaudit::audit::drift::{ChangeKind, Direction, profile_drift};
use privaudit::catalog;
use privaudit::evidence::Evidence;
use privaudit::profile::{LabelKind, Link, Market, Profile, Switch};
use privaudit::state::Selection;
use privaudit::vocab::{Audience, DataCategory};
use std::collections::BTreeSet;

const GROUP: [&str; 4] = ["tiktok", "tiktok-under-16", "spotify", "goodreads"];

/// Proper nouns that may stay in Latin letters in Chinese text.
const LATIN_NAMES: [&str; 5] = ["TikTok", "Facebook", "Spotify", "Goodreads", "privaudit"];

fn triples(expected: &[(&str, &str, &str)]) -> BTreeSet<(String, String, String)> {
    expected
        .iter()
        .map(|(s, sev, cert)| (s.to_string(), sev.to_string(), cert.to_string()))
        .collect()
}

fn ids(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn unassessed_at_defaults(profile: &Profile) -> BTreeSet<String> {
    let auditor = Auditor::new(profile, catalog::builtin());
    let report = auditor.audit(&Selection::defaults(profile), today());
    report.unassessed.iter().map(|s| s.to_string()).collect()
}

/// The finding a setting gives under a selection: (severity, certainty, by default).
fn finding_of(
    profile: &Profile,
    selection: &Selection,
    setting: &str,
) -> Option<(String, Evidence, bool)> {
    let auditor = Auditor::new(profile, catalog::builtin());
    let report = auditor.audit(selection, today());
    report
        .findings
        .iter()
        .find(|f| f.setting == setting)
        .map(|f| (f.severity.id().to_owned(), f.certainty(), f.by_default))
}

fn setting<'p>(profile: &'p Profile, id: &str) -> &'p privaudit::profile::Setting {
    profile
        .setting(id)
        .unwrap_or_else(|| panic!("{}: no setting `{id}`", profile.app.id))
}

#[test]
fn the_group_is_offered_outside_china_and_links_rulings_only_by_analogy() {
    for id in GROUP {
        let p = profile(id);
        assert_eq!(p.app.market, Some(Market::OutsideChina), "{id}");
        // The app note says plainly that the Chinese rulings are analogies there.
        let note = p.app.note.as_ref().expect("an app note");
        assert!(note.en.contains("analog"), "{id}: {}", note.en);
        assert!(note.zh.contains("类比"), "{id}: {}", note.zh);
        let auditor = Auditor::new(&p, catalog::builtin());
        for (s, setting) in p.settings.iter().enumerate() {
            for ruling in &setting.rulings {
                assert_eq!(ruling.link, Link::Analogy, "{id}/{}", setting.id);
            }
            // No option, by default or chosen, is raised as if a court had ruled on it.
            for o in 0..setting.options.len() {
                for by_default in [true, false] {
                    if let Some(judged) = auditor.judged(s, o, by_default) {
                        assert!(!judged.raised_by_ruling, "{id}/{}", setting.id);
                    }
                }
            }
        }
    }
}

#[test]
fn the_groups_chinese_text_is_chinese_with_full_width_punctuation() {
    for id in GROUP {
        let p = profile(id);
        let mut texts = vec![
            ("name", p.app.name.zh.clone()),
            ("vendor", p.app.vendor.zh.clone()),
            ("version", p.app.version.zh.clone()),
        ];
        texts.extend(p.app.note.iter().map(|n| ("app note", n.zh.clone())));
        for s in &p.settings {
            texts.push(("label", s.label.zh.clone()));
            texts.push(("path", s.path.zh.join(" ")));
            for t in [&s.note, &s.caveat, &s.instead, &s.evidence.default_note]
                .into_iter()
                .flatten()
            {
                texts.push(("note", t.zh.clone()));
            }
            for o in &s.options {
                texts.push(("option", o.label.zh.clone()));
            }
        }
        for (what, text) in texts {
            let latin: Vec<&str> = text
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| !w.is_empty() && !LATIN_NAMES.contains(w))
                .collect();
            assert!(latin.is_empty(), "{id} {what}: {latin:?} in {text}");
            for half in [',', ';', ':', '(', ')', '!', '?'] {
                assert!(!text.contains(half), "{id} {what}: `{half}` in {text}");
            }
            assert!(!text.contains(". "), "{id} {what}: `. ` in {text}");
        }
    }
}

#[test]
fn tiktok_adult_defaults_expose_with_the_certainty_of_each_facts_tag() {
    let p = profile("tiktok");
    assert_eq!(p.app.family, "tiktok");
    let findings: BTreeSet<_> = findings_at_defaults(&p).into_iter().collect();
    assert_eq!(
        findings,
        triples(&[
            // Public by default: TikTok's own newsroom [V].
            ("private-account", "high", "verified"),
            // On by default [S]; the fourth group's vendor text was cut off, so its effect is [S].
            (
                "suggest-account-to-mutual-connections",
                "medium",
                "secondary"
            ),
            // Only makeuseof names the links group as on by default [1S]: not raised.
            (
                "suggest-account-to-people-via-links",
                "low",
                "single-source"
            ),
            // Everyone by default [1S]: not raised for it.
            ("following-list", "high", "single-source"),
            // On for public adults [1S]; the English label "Downloads" is [U].
            ("downloads", "medium", "unverified"),
        ])
    );
    // No default in the dossier for two groups; Liked videos' sources conflict.
    assert_eq!(
        unassessed_at_defaults(&p),
        ids(&[
            "suggest-account-to-contacts",
            "suggest-account-to-facebook-friends",
            "liked-videos",
        ])
    );
}

#[test]
fn tiktok_facts_carry_their_own_tags() {
    let p = profile("tiktok");
    let private = setting(&p, "private-account");
    assert_eq!(private.evidence.default, Some(Evidence::Verified));
    assert_eq!(private.default_option().unwrap().id, "off");

    // Contact and Facebook sync are opt-in on TikTok's own page [V]; their English label [1S].
    for id in ["sync-contacts", "sync-facebook-friends"] {
        let s = setting(&p, id);
        assert_eq!(s.default_option().unwrap().id, "off", "{id}");
        assert_eq!(s.evidence.default, Some(Evidence::Verified), "{id}");
        assert_eq!(s.evidence.label, Evidence::SingleSource, "{id}");
        assert_eq!(s.evidence.flows, Evidence::Verified, "{id}");
    }
    // Facebook friends arrive from another company's app.
    let facebook = setting(&p, "sync-facebook-friends");
    let on = &facebook.options[facebook.option_index("on").unwrap()];
    assert!(on.flows.iter().any(|f| f.data == DataCategory::SocialGraph
        && f.from == privaudit::vocab::Source::OtherApps
        && f.to == Audience::Operator));

    // Activity status off rests on one weak source, and says so.
    let status = setting(&p, "activity-status");
    assert_eq!(status.evidence.default, Some(Evidence::SingleSource));
    assert!(status.evidence.default_note.is_some());
    assert_eq!(status.evidence.label, Evidence::Verified);

    // The sub-groups: vendor-verified effects for the first three, not for the links group.
    for id in [
        "suggest-account-to-contacts",
        "suggest-account-to-facebook-friends",
        "suggest-account-to-mutual-connections",
    ] {
        assert_eq!(setting(&p, id).evidence.flows, Evidence::Verified, "{id}");
        assert_eq!(setting(&p, id).evidence.label, Evidence::Secondary, "{id}");
    }
    let links = setting(&p, "suggest-account-to-people-via-links");
    assert_eq!(links.evidence.flows, Evidence::Secondary);
    assert_eq!(links.evidence.default, Some(Evidence::SingleSource));
    assert!(links.evidence.default_note.is_some());
    // "Public by default for adults" is tacklebullying.ie's [1S], not TikTok's own word.
    let private_note = private.note.as_ref().unwrap();
    assert!(private_note.en.contains("tacklebullying.ie"));
    // Pre-ticked choices are not consent: that is recital 32, cited beside art. 7.
    for note in [
        p.app.note.as_ref().unwrap(),
        setting(&p, "suggest-account-to-mutual-connections")
            .note
            .as_ref()
            .unwrap(),
        profile("spotify").app.note.as_ref().unwrap(),
    ] {
        assert!(note.en.contains("recital 32"), "{}", note.en);
        assert!(note.zh.contains("鉴于条款第32条"), "{}", note.zh);
    }

    let downloads = setting(&p, "downloads");
    assert_eq!(downloads.evidence.label, Evidence::Unverified);
    assert_eq!(downloads.evidence.default, Some(Evidence::SingleSource));
    assert!(downloads.evidence.default_note.is_some());

    // Turning activity status on is the user's choice: a finding, but not by default.
    let on = choosing(&p, "activity-status", "on");
    let (_, certainty, by_default) = finding_of(&p, &on, "activity-status").unwrap();
    assert!(!by_default);
    assert_eq!(certainty, Evidence::Verified);
}

#[test]
fn tiktok_under_16_is_a_version_of_tiktok_whose_defaults_differ_where_2021_said() {
    let young = profile("tiktok-under-16");
    let adult = profile("tiktok");
    assert_eq!(young.app.family, "tiktok");
    assert_eq!(young.app.family, adult.app.family);
    assert_eq!(
        young.app.version_date.map(|d| d.to_string()).as_deref(),
        Some("2021-01-13")
    );

    // Private, not suggested, no downloads: nothing exposed, nothing unknown.
    assert!(findings_at_defaults(&young).is_empty());
    assert!(unassessed_at_defaults(&young).is_empty());
    for s in &young.settings {
        assert_eq!(s.evidence.default, Some(Evidence::Secondary), "{}", s.id);
        assert!(adult.setting(&s.id).is_some(), "{} is not in tiktok", s.id);
        // 2021 announced the setting as a whole off [S]; its group names are today's
        // labels (§7A), not known for the 2021 app.
        if s.id.starts_with("suggest-account-to-") {
            assert_eq!(s.evidence.label, Evidence::Unverified, "{}", s.id);
        }
    }
    // Users under 16 cannot turn downloads on: there is no switch to take.
    let downloads = setting(&young, "downloads");
    assert_eq!(downloads.switch, Switch::None);
    assert_eq!(downloads.label_kind, LabelKind::Descriptive);
    assert_eq!(downloads.default_option().unwrap().id, "off");

    let drift = profile_drift(&young, &adult);
    let moved = |kind: ChangeKind, direction: Direction| -> BTreeSet<String> {
        drift
            .iter()
            .filter(|c| c.change == kind && c.direction == direction)
            .map(|c| c.setting.clone())
            .collect()
    };
    assert_eq!(
        moved(ChangeKind::Changed, Direction::TowardExposure),
        ids(&[
            "private-account",
            "suggest-account-to-mutual-connections",
            "suggest-account-to-people-via-links",
            "downloads",
        ])
    );
    // Off for 13–15, unknown for adults: not a move toward exposure.
    assert_eq!(
        moved(ChangeKind::DefaultNowUnknown, Direction::Neutral),
        ids(&[
            "suggest-account-to-contacts",
            "suggest-account-to-facebook-friends"
        ])
    );
}

#[test]
fn tiktok_under_16_does_not_call_a_14_or_15_year_olds_data_a_childs() {
    let young = profile("tiktok-under-16");
    // PIPL art. 28 (and privaudit's `minor-data`) covers children under 14: only the
    // 13-year-olds of this age group, so no flow claims it for all of them.
    for s in &young.settings {
        for o in &s.options {
            for f in &o.flows {
                assert_ne!(f.data, DataCategory::MinorData, "{}/{}", s.id, o.id);
            }
        }
    }
    let note = young.app.note.as_ref().unwrap();
    assert!(note.en.contains("under 14") && note.en.contains("14- and 15-year-olds"));
    assert!(note.zh.contains("不满十四周岁") && note.zh.contains("14 岁和 15 岁"));
    let private = setting(&young, "private-account");
    assert!(private.laws.iter().any(|l| l == "pipl-28"));
    assert!(private.note.as_ref().unwrap().en.contains("13-year-old"));
}

#[test]
fn diff_shows_the_tiktok_defaults_that_differ_for_13_to_15_year_olds() {
    let env = Env::new();
    let (code, report) =
        json(
            env.cmd()
                .args(["diff", "tiktok-under-16", "tiktok", "--format", "json"]),
        );
    assert_eq!(code, 1, "adult defaults move toward exposure: {report}");
    let private = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["setting"] == "private-account")
        .expect("private-account changed");
    assert_eq!(private["old"], "on");
    assert_eq!(private["new"], "off");
    assert_eq!(private["direction"], "toward-exposure");
    // Two different apps are still refused.
    let refused = env
        .cmd()
        .args(["diff", "tiktok", "spotify"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
}

#[test]
fn spotify_defaults_show_listening_and_playlists_and_top_artists_stay_unassessed() {
    let p = profile("spotify");
    let findings: BTreeSet<_> = findings_at_defaults(&p).into_iter().collect();
    assert_eq!(
        findings,
        triples(&[
            // On by default per a Spotify staff article [V].
            ("publish-my-activity", "high", "verified"),
            // Public by default [S].
            ("new-playlists-public", "high", "secondary"),
            // A version-dependent toggle, on by default [1S]: not raised for it.
            ("recently-played-artists", "medium", "single-source"),
        ])
    );
    assert_eq!(unassessed_at_defaults(&p), ids(&["show-top-artists"]));
    // Followers need no approval: they are not the approved audience.
    let publish = setting(&p, "publish-my-activity");
    let on = publish.default_option().unwrap();
    assert_eq!(on.flows.len(), 1);
    assert_eq!(on.flows[0].data, DataCategory::Activity);
    assert_eq!(on.flows[0].to, Audience::Followers);
}

#[test]
fn spotify_private_session_lapses_so_neither_option_changes_what_is_exposed() {
    let p = profile("spotify");
    let session = setting(&p, "private-session");
    assert_eq!(session.evidence.default, Some(Evidence::Verified));
    assert!(session.options.iter().all(|o| o.flows.is_empty()));
    assert!(session.caveat.is_some());
    for option in ["on", "off"] {
        let selection = choosing(&p, "private-session", option);
        assert_eq!(finding_of(&p, &selection, "private-session"), None);
        // A session that ends by itself does not stop the lasting default.
        assert!(finding_of(&p, &selection, "publish-my-activity").is_some());
    }
}

#[test]
fn goodreads_profile_visibility_is_judged_only_once_a_state_says_what_it_is() {
    let p = profile("goodreads");
    assert!(findings_at_defaults(&p).is_empty());
    assert_eq!(
        unassessed_at_defaults(&p),
        ids(&["who-can-view-my-profile"])
    );
    let visibility = setting(&p, "who-can-view-my-profile");
    assert_eq!(visibility.default, None);
    assert_eq!(visibility.evidence.label, Evidence::Verified);
    assert_eq!(visibility.evidence.flows, Evidence::SingleSource);

    let anyone = finding_of(
        &p,
        &choosing(&p, "who-can-view-my-profile", "anyone"),
        "who-can-view-my-profile",
    );
    let members = finding_of(
        &p,
        &choosing(&p, "who-can-view-my-profile", "goodreads-members"),
        "who-can-view-my-profile",
    );
    // The three levels are single-source, so is any finding; a chosen value is not a default.
    assert_eq!(
        anyone,
        Some(("high".to_owned(), Evidence::SingleSource, false))
    );
    assert_eq!(members, anyone);
    let friends = choosing(&p, "who-can-view-my-profile", "just-my-friends");
    assert_eq!(finding_of(&p, &friends, "who-can-view-my-profile"), None);

    // What no setting hides: reviews on book pages, and author profiles.
    let caveat = visibility.caveat.as_ref().unwrap();
    assert!(caveat.en.contains("reviews stay public") && caveat.en.contains("Author profiles"));
    assert!(caveat.zh.contains("书评") && caveat.zh.contains("作者主页"));
}
