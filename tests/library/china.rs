//! Profiles of this group: see tests/library.rs.
//!
//! Apps offered in mainland China: WeChat Read (3.3.0, the version in Huang v. Tencent, and
//! later builds), Douyin (a recent build, and early 2019 as the courts saw it), Duoshan,
//! WeChat, QQ and Toutiao. Each test checks what the dossier (§1, §3A–3E, §7H–7J) says about
//! them as the engine sees it: which settings expose data at the defaults and how sure that
//! is, which cannot be judged because no default is known, where a court ruled on the very
//! feature, and what changed between versions of one app.

use super::{choosing, findings_at_defaults, profile, today};
use privaudit::audit::Auditor;
use privaudit::audit::drift::{ChangeKind, Direction, profile_drift};
use privaudit::catalog;
use privaudit::evidence::Evidence;
use privaudit::profile::{LabelKind, Link, Market, Profile, Setting, Switch};
use privaudit::state::Selection;
use privaudit::vocab::Audience;
use std::collections::BTreeSet;

const GROUP: [&str; 8] = [
    "wechat-read",
    "wechat-read-recent",
    "douyin",
    "douyin-2019",
    "duoshan",
    "wechat",
    "qq",
    "toutiao",
];

/// Proper nouns and codes that may stay in Latin letters in Chinese text.
const LATIN_IN_CHINESE: [&str; 4] = ["QQ", "IP", "Windows", "privaudit"];

fn triples(expected: &[(&str, &str, &str)]) -> BTreeSet<(String, String, String)> {
    expected
        .iter()
        .map(|(s, sev, cert)| (s.to_string(), sev.to_string(), cert.to_string()))
        .collect()
}

fn found(profile: &Profile) -> BTreeSet<(String, String, String)> {
    findings_at_defaults(profile).into_iter().collect()
}

fn ids(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn unassessed_at_defaults(profile: &Profile) -> BTreeSet<String> {
    let auditor = Auditor::new(profile, catalog::builtin());
    let report = auditor.audit(&Selection::defaults(profile), today());
    report.unassessed.iter().map(|s| s.to_string()).collect()
}

fn setting<'p>(profile: &'p Profile, id: &str) -> &'p Setting {
    profile
        .setting(id)
        .unwrap_or_else(|| panic!("{}: no setting `{id}`", profile.app.id))
}

/// The finding a setting gives when the user has chosen `option`: (severity, certainty).
fn finding_when_chosen(profile: &Profile, id: &str, option: &str) -> Option<(String, Evidence)> {
    let selection = choosing(profile, id, option);
    let auditor = Auditor::new(profile, catalog::builtin());
    let report = auditor.audit(&selection, today());
    report
        .findings
        .iter()
        .find(|f| f.setting == id)
        .map(|f| (f.severity.id().to_owned(), f.certainty()))
}

/// (profile, setting) pairs linked `direct` to a ruling.
fn direct_links(profile: &Profile) -> BTreeSet<String> {
    profile
        .settings
        .iter()
        .filter(|s| s.rulings.iter().any(|r| r.link == Link::Direct))
        .map(|s| s.id.clone())
        .collect()
}

fn chinese_texts(profile: &Profile) -> Vec<String> {
    let mut texts = vec![profile.app.name.zh.clone(), profile.app.version.zh.clone()];
    texts.extend(profile.app.note.iter().map(|n| n.zh.clone()));
    for s in &profile.settings {
        texts.push(s.label.zh.clone());
        texts.extend(s.path.zh.iter().cloned());
        for text in [&s.note, &s.caveat, &s.instead, &s.evidence.default_note]
            .into_iter()
            .flatten()
        {
            texts.push(text.zh.clone());
        }
        texts.extend(s.options.iter().map(|o| o.label.zh.clone()));
    }
    texts
}

#[test]
fn the_group_is_offered_in_china_and_its_chinese_reads_as_chinese() {
    for id in GROUP {
        let p = profile(id);
        assert_eq!(p.app.market, Some(Market::China), "{id}");
        for text in chinese_texts(&p) {
            assert!(
                !text.contains(". ") && !text.contains(", ") && !text.contains("; "),
                "{id}: half-width punctuation in Chinese: {text}"
            );
            let mut rest = text.clone();
            for name in LATIN_IN_CHINESE {
                rest = rest.replace(name, "");
            }
            assert!(
                !rest.chars().any(|c| c.is_ascii_alphabetic()),
                "{id}: Latin letters left in Chinese text: {text}"
            );
        }
    }
}

#[test]
fn a_court_ruled_directly_only_on_the_features_before_it() {
    let expected: [(&str, &[&str]); 8] = [
        (
            "wechat-read",
            &[
                "wechat-friend-import",
                "auto-follow-friends",
                "reading-info-to-friends",
            ],
        ),
        // The court ruled on 3.3.0: later builds cite it by analogy only.
        ("wechat-read-recent", &[]),
        ("douyin", &["recommend-me-to-people-who-may-know-me"]),
        (
            "douyin-2019",
            &[
                "matched-through-others-address-books",
                "wechat-qq-identity-in-friend-recommendations",
            ],
        ),
        (
            "duoshan",
            &["wechat-qq-identity-carry-over", "douyin-login-pass-through"],
        ),
        ("wechat", &[]),
        ("qq", &[]),
        ("toutiao", &[]),
    ];
    for (id, direct) in expected {
        assert_eq!(direct_links(&profile(id)), ids(direct), "{id}");
    }
    // The Liu v. ByteDance (Toutiao) case was heard, but its outcome is unknown: it is not a
    // ruling in the catalog, and no setting may cite it as one.
    let catalog = catalog::builtin();
    assert!(
        catalog
            .rulings
            .iter()
            .all(|r| !r.id.contains("liu") && !r.id.contains("toutiao")),
        "the Liu case has no known outcome and is no ruling"
    );
    assert!(
        profile("toutiao")
            .settings
            .iter()
            .all(|s| s.rulings.is_empty())
    );
}

#[test]
fn qq_rests_on_one_source_and_judges_only_the_default_a_page_reported() {
    let qq = profile("qq");
    // SEO pages that copy each other are one source: nothing about QQ is confirmed.
    for s in &qq.settings {
        assert_eq!(s.evidence.label, Evidence::SingleSource, "{}", s.id);
        // The pages say nothing of the data the friend rule lets through: assumed.
        let flows = if s.id == "ways-to-add-me-as-friend" {
            Evidence::Unverified
        } else {
            Evidence::SingleSource
        };
        assert_eq!(s.evidence.flows, flows, "{}", s.id);
        assert_eq!(s.evidence.path, Some(Evidence::SingleSource), "{}", s.id);
        assert_eq!(s.label_kind, LabelKind::OnScreen, "{}", s.id);
        assert!(
            s.rulings.iter().all(|r| r.link == Link::Analogy),
            "{}",
            s.id
        );
    }
    assert_eq!(
        found(&qq),
        triples(&[("ways-to-add-me-as-friend", "medium", "unverified")])
    );
    let add = setting(&qq, "ways-to-add-me-as-friend");
    assert_eq!(add.evidence.default, Some(Evidence::Unverified));
    assert!(add.evidence.default_note.is_some());
    // Unknown (matching, recommending) or conflicting (Qzone) defaults are left out.
    assert_eq!(
        unassessed_at_defaults(&qq),
        ids(&[
            "address-book-matching",
            "recommend-me-to-phone-contacts",
            "qzone-access"
        ])
    );
    // Ling v. Douyin is the analogy for matching through address books; its holding is an
    // infringement of personal-information rights, not a bare "unlawful".
    let matching = setting(&qq, "address-book-matching").note.as_ref().unwrap();
    assert!(
        matching
            .en
            .contains("infringed his personal-information rights")
    );
    assert!(matching.zh.contains("侵害其个人信息权益") && !matching.zh.contains("违法"));
    // Ling v. Douyin is the analogy for matching through address books.
    for id in ["address-book-matching", "recommend-me-to-phone-contacts"] {
        assert!(setting(&qq, id).cites_ruling("ling-v-douyin-2020"), "{id}");
    }
    // Qzone: friends-only is the recommendation; wider audiences are findings.
    assert_eq!(finding_when_chosen(&qq, "qzone-access", "qq-friends"), None);
    assert_eq!(finding_when_chosen(&qq, "qzone-access", "only-me"), None);
    assert_eq!(
        finding_when_chosen(&qq, "qzone-access", "public"),
        Some(("medium".into(), Evidence::SingleSource))
    );
    assert!(finding_when_chosen(&qq, "qzone-access", "answer-question").is_some());
    // QQ International's desktop screen is another edition: named, not modelled.
    let note = qq.app.note.as_ref().unwrap();
    assert!(note.en.contains("QQ International") && note.zh.contains("QQ国际版"));
    assert!(
        qq.settings
            .iter()
            .all(|s| !s.label.en.contains("Visibility"))
    );
}

#[test]
fn toutiao_has_only_its_personalisation_switch_and_no_default() {
    let toutiao = profile("toutiao");
    assert_eq!(toutiao.settings.len(), 1);
    assert!(findings_at_defaults(&toutiao).is_empty());
    assert_eq!(
        unassessed_at_defaults(&toutiao),
        ids(&["personalised-recommendation"])
    );
    let switch = setting(&toutiao, "personalised-recommendation");
    assert_eq!(switch.evidence.path, Some(Evidence::Secondary));
    assert_eq!(switch.path.zh.last().unwrap(), "个性化推荐设置");
    // Stated on: the interest profile reaches the app, a finding as sure as the flows.
    let judged = finding_when_chosen(&toutiao, "personalised-recommendation", "on");
    assert_eq!(judged, Some(("low".into(), Evidence::Secondary)));
    assert_eq!(
        finding_when_chosen(&toutiao, "personalised-recommendation", "off"),
        None
    );
    // Art. 17 of the algorithm rules asks for a non-personalised option *or* an off switch.
    let why = switch.note.as_ref().unwrap();
    assert!(
        why.en
            .contains("either an option not based on your personal characteristics or")
    );
    assert!(why.zh.contains("不针对个人特征的选项，或者"));
    // The Liu case is mentioned as heard, with its outcome unknown.
    let note = toutiao.app.note.as_ref().unwrap();
    assert!(note.en.contains("2019-06-20") && note.en.contains("outcome was not found"));
    assert!(note.zh.contains("2019 年 6 月 20 日") && note.zh.contains("未查到审理结果"));
}

#[test]
fn wechat_read_later_builds_dropped_the_automatic_follows_and_know_little_else() {
    let old = profile("wechat-read");
    let new = profile("wechat-read-recent");
    assert_eq!(old.app.family, "wechat-read");
    assert_eq!(new.app.family, "wechat-read");

    // 3.3.0: the three features the court condemned are critical at the defaults.
    assert_eq!(
        found(&old),
        triples(&[
            ("wechat-friend-import", "critical", "secondary"),
            ("auto-follow-friends", "critical", "secondary"),
            ("reading-info-to-friends", "critical", "secondary"),
            ("private-reading", "medium", "unverified"),
            ("reading-time-leaderboard", "low", "single-source"),
        ])
    );
    // Later builds: automatic follows reported gone; the import and what friends see are
    // unknown, so they are asked for rather than assumed.
    assert_eq!(
        found(&new),
        triples(&[
            ("private-reading", "medium", "unverified"),
            ("reading-time-leaderboard", "low", "single-source"),
        ])
    );
    assert_eq!(
        unassessed_at_defaults(&new),
        ids(&["wechat-friend-import", "reading-info-to-friends"])
    );
    let follows = setting(&new, "auto-follow-friends");
    assert_eq!(follows.default_option().unwrap().id, "off");
    assert_eq!(follows.evidence.default, Some(Evidence::SingleSource));
    assert_eq!(follows.switch, Switch::None);
    // Nothing shows the friend import still exists after 3.3.0: its label is unconfirmed,
    // and the court's ruling on 3.3.0 is cited for it by analogy.
    let import = setting(&new, "wechat-friend-import");
    assert_eq!(import.evidence.label, Evidence::Unverified);
    for s in &new.settings {
        assert!(
            s.rulings.iter().all(|r| r.link == Link::Analogy),
            "{}",
            s.id
        );
    }
    // The leaderboard source (findmover/wxread README) is undated: never called recent.
    let board = setting(&new, "reading-time-leaderboard")
        .note
        .as_ref()
        .unwrap();
    assert!(!board.en.contains("recent") && !board.zh.contains("近期"));
    // The friend-visibility switch of current builds is not confirmed.
    let visibility = setting(&new, "reading-info-to-friends");
    assert_eq!(visibility.label_kind, LabelKind::Descriptive);
    assert_eq!(visibility.evidence.label, Evidence::Unverified);
    assert_eq!(visibility.evidence.flows, Evidence::Unverified);
    // No leaderboard opt-out is confirmed either way: the recent profile does not claim
    // there is none, and says so.
    let leaderboard = setting(&new, "reading-time-leaderboard");
    assert_eq!(leaderboard.switch, Switch::InApp);
    assert!(
        leaderboard
            .caveat
            .as_ref()
            .unwrap()
            .en
            .contains("No opt-out is confirmed")
    );

    let drift = profile_drift(&old, &new);
    // In the new profile's order; the leaderboard and private reading did not change.
    let summary: Vec<(&str, ChangeKind, Direction)> = drift
        .iter()
        .map(|c| (c.setting.as_str(), c.change, c.direction))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "wechat-friend-import",
                ChangeKind::DefaultNowUnknown,
                Direction::Neutral
            ),
            (
                "auto-follow-friends",
                ChangeKind::Changed,
                Direction::AwayFromExposure
            ),
            (
                "reading-info-to-friends",
                ChangeKind::DefaultNowUnknown,
                Direction::Neutral
            ),
        ]
    );
    let follows_change = drift
        .iter()
        .find(|c| c.setting == "auto-follow-friends")
        .unwrap();
    assert_eq!(
        (follows_change.old.as_deref(), follows_change.new.as_deref()),
        (Some("on"), Some("off"))
    );
    assert!(
        follows_change
            .no_longer_exposed
            .iter()
            .any(|f| f.to == Audience::Friends)
    );
}

#[test]
fn douyin_in_early_2019_is_what_the_courts_saw_and_nothing_more() {
    let old = profile("douyin-2019");
    let recent = profile("douyin");
    assert_eq!(old.app.family, "douyin");
    assert_eq!(recent.app.family, "douyin");
    assert_eq!(old.app.version_date.unwrap().year, 2019);

    // Both behaviours are confirmed by two or more reports and a court ruled on each, so
    // each is raised twice from its base: high, and confirmed.
    assert_eq!(
        found(&old),
        triples(&[
            ("matched-through-others-address-books", "high", "secondary"),
            (
                "wechat-qq-identity-in-friend-recommendations",
                "high",
                "secondary"
            ),
        ])
    );
    for s in &old.settings {
        // No on-screen label of 2019 is known.
        assert_eq!(s.label_kind, LabelKind::Descriptive, "{}", s.id);
        assert!(s.path.en.is_empty(), "{}: no menu path is known", s.id);
    }
    // Matching began before registration, when there was no account to set.
    let matched = setting(&old, "matched-through-others-address-books");
    assert_eq!(matched.switch, Switch::None);
    assert!(matched.cites_ruling("ling-v-douyin-2020"));
    // A user could replace the WeChat/QQ nickname and avatar (Douyin asked them to).
    let identity = setting(&old, "wechat-qq-identity-in-friend-recommendations");
    assert_eq!(identity.switch, Switch::InApp);
    assert!(identity.cites_ruling("tencent-v-bytedance-2019"));
    // Linked directly because the order concerned this very feature (§1A order (i)), but it
    // was interim: the note says it decided nothing on the merits or on consent.
    let order = identity.note.as_ref().unwrap();
    assert!(order.en.contains("interim conduct-preservation order"));
    assert!(order.zh.contains("诉中行为保全裁定"));
    // Deletion of Ling's data rests on one report, its wording unconfirmed (§1C).
    let deletion = matched.instead.as_ref().unwrap();
    assert!(deletion.en.contains("one report says"));
    assert!(deletion.zh.contains("判令抖音删除凌某某") && !deletion.zh.contains("删除了"));
    assert!(
        matched
            .note
            .as_ref()
            .unwrap()
            .en
            .contains("personal-information rights")
    );
    assert!(
        identity.options[identity.default.unwrap()]
            .flows
            .iter()
            .any(|f| f.from == privaudit::vocab::Source::OtherApps)
    );

    // Today's switches are not assumed to have existed in 2019 (the personalisation switch
    // "shipped by March 2022" says nothing of earlier builds), so none is carried back.
    for s in &recent.settings {
        assert!(
            old.setting(&s.id).is_none(),
            "{} carried back to 2019",
            s.id
        );
    }
    let drift = profile_drift(&old, &recent);
    let removed: BTreeSet<String> = drift
        .iter()
        .filter(|c| c.change == ChangeKind::Removed)
        .map(|c| c.setting.clone())
        .collect();
    assert_eq!(
        removed,
        ids(&[
            "matched-through-others-address-books",
            "wechat-qq-identity-in-friend-recommendations"
        ])
    );
}

#[test]
fn the_four_first_profiles_keep_their_findings() {
    // Writing out sources and the flows' evidence changed no fact: the same findings, as
    // sure as before.
    assert_eq!(
        found(&profile("duoshan")),
        triples(&[
            ("wechat-qq-identity-carry-over", "high", "secondary"),
            ("douyin-login-pass-through", "high", "secondary"),
            ("douyin-friends-import", "high", "secondary"),
        ])
    );
    let douyin = findings_at_defaults(&profile("douyin"));
    let count = |severity: &str| douyin.iter().filter(|f| f.1 == severity).count();
    assert_eq!((count("high"), count("medium"), count("low")), (2, 4, 3));
    assert_eq!(
        unassessed_at_defaults(&profile("douyin")),
        ids(&[
            "third-party-content-sync",
            "authorisation-management",
            "local-feed"
        ])
    );
    let wechat = findings_at_defaults(&profile("wechat"));
    assert_eq!(wechat.len(), 9);
    assert!(
        wechat
            .iter()
            .filter(|f| f.2 == "secondary")
            .map(|f| f.0.as_str())
            .eq(["personalised-ads"])
    );
    for id in ["wechat-read", "douyin", "duoshan", "wechat"] {
        for s in &profile(id).settings {
            // Where the dossier gives no other level, the flows are as sure as the label.
            assert_eq!(s.evidence.flows, s.evidence.label, "{id}/{}", s.id);
        }
    }
}
