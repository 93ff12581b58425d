//! The fixed vocabulary profiles describe data flows with: what data, to which audience.
//!
//! The weights here are the engine's only notion of "how bad": how sensitive a kind of data
//! is and how broad an audience is. They are documented in the README next to the severity
//! rule, so a profile author can predict every verdict.

use crate::text::{Lang, Localized};
use serde::Serialize;

/// A kind of personal data an option can send somewhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataCategory {
    ReadingHistory,
    SocialGraph,
    Contacts,
    PhoneNumber,
    EmailAddress,
    PreciseLocation,
    CoarseLocation,
    ProfileIdentity,
    Activity,
    Content,
    PostHistory,
    Interests,
    Health,
    Financial,
    Biometric,
    MinorData,
}

/// Who receives data. The first six form a ladder from narrowest to broadest; `other-apps`
/// and `operator` stand beside it because they are different channels, not wider circles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    OnlyMe,
    Approved,
    Friends,
    /// People who follow me, approved or not: anyone who chose to, so wider than friends;
    /// narrower than the network of strangers an app suggests me to, who did nothing.
    Followers,
    Network,
    Public,
    OtherApps,
    Operator,
}

/// Where data comes from: the user's account in this app, or another app that hands it over
/// (WeChat's friend list carried into WeChat Read).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    #[default]
    ThisApp,
    OtherApps,
}

impl Source {
    pub const ALL: [Source; 2] = [Source::ThisApp, Source::OtherApps];

    pub fn id(self) -> &'static str {
        match self {
            Source::ThisApp => "this-app",
            Source::OtherApps => "other-apps",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.id() == id)
    }

    /// How far data has travelled before it arrives: data carried in from another app has
    /// crossed between companies' apps, like data sent to `other-apps` (breadth 3).
    pub fn breadth(self) -> u8 {
        match self {
            Source::ThisApp => 0,
            Source::OtherApps => 3,
        }
    }
}

impl DataCategory {
    pub const ALL: [DataCategory; 16] = [
        DataCategory::ReadingHistory,
        DataCategory::SocialGraph,
        DataCategory::Contacts,
        DataCategory::PhoneNumber,
        DataCategory::EmailAddress,
        DataCategory::PreciseLocation,
        DataCategory::CoarseLocation,
        DataCategory::ProfileIdentity,
        DataCategory::Activity,
        DataCategory::Content,
        DataCategory::PostHistory,
        DataCategory::Interests,
        DataCategory::Health,
        DataCategory::Financial,
        DataCategory::Biometric,
        DataCategory::MinorData,
    ];

    pub fn id(self) -> &'static str {
        match self {
            DataCategory::ReadingHistory => "reading-history",
            DataCategory::SocialGraph => "social-graph",
            DataCategory::Contacts => "contacts",
            DataCategory::PhoneNumber => "phone-number",
            DataCategory::EmailAddress => "email-address",
            DataCategory::PreciseLocation => "precise-location",
            DataCategory::CoarseLocation => "coarse-location",
            DataCategory::ProfileIdentity => "profile-identity",
            DataCategory::Activity => "activity",
            DataCategory::Content => "content",
            DataCategory::PostHistory => "post-history",
            DataCategory::Interests => "interests",
            DataCategory::Health => "health",
            DataCategory::Financial => "financial",
            DataCategory::Biometric => "biometric",
            DataCategory::MinorData => "minor-data",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.id() == id)
    }

    /// The id a profile used before `location` was split in two; `validate` names the
    /// two ids that replace it.
    pub const SPLIT_LOCATION: &'static str = "location";

    /// How much harm exposure of this data can do, 1 (least) to 4 (most).
    /// PIPL art. 28's sensitive personal information weighs most: whereabouts (行踪轨迹),
    /// health, financial accounts and transactions, biometrics and anything about a child
    /// under 14. So do contacts, phone numbers and email addresses: numbers and address books
    /// are what Ling v. Douyin turned on, and an email address is matched against other
    /// people's address books the same way. A city or region is personal information (Civil
    /// Code art. 1034) but not a movement trail, so it weighs like activity and posts.
    pub fn sensitivity(self) -> u8 {
        match self {
            DataCategory::PreciseLocation
            | DataCategory::Contacts
            | DataCategory::PhoneNumber
            | DataCategory::EmailAddress
            | DataCategory::Health
            | DataCategory::Financial
            | DataCategory::Biometric
            | DataCategory::MinorData => 4,
            DataCategory::ReadingHistory | DataCategory::SocialGraph | DataCategory::Interests => 3,
            DataCategory::Activity
            | DataCategory::Content
            | DataCategory::PostHistory
            | DataCategory::CoarseLocation => 2,
            DataCategory::ProfileIdentity => 1,
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let (en, zh) = match self {
            DataCategory::ReadingHistory => ("reading history", "阅读记录"),
            DataCategory::SocialGraph => ("social connections", "社交关系"),
            DataCategory::Contacts => ("address book", "通讯录"),
            DataCategory::PhoneNumber => ("phone number", "手机号"),
            DataCategory::EmailAddress => ("email address", "电子邮箱"),
            DataCategory::PreciseLocation => ("precise location", "精确位置和行踪"),
            DataCategory::CoarseLocation => ("city or region", "所在城市或地区"),
            DataCategory::ProfileIdentity => ("nickname and avatar", "昵称和头像"),
            DataCategory::Activity => ("activity", "活动记录"),
            DataCategory::Content => ("posts", "发布内容"),
            DataCategory::PostHistory => ("older posts", "较早的动态"),
            DataCategory::Interests => ("interest profile", "兴趣画像"),
            DataCategory::Health => ("health and fitness data", "健康和运动数据"),
            DataCategory::Financial => ("payments and finances", "支付和财务信息"),
            DataCategory::Biometric => ("face, voice or fingerprint data", "生物识别信息"),
            DataCategory::MinorData => ("a child's information", "未成年人信息"),
        };
        pick(lang, en, zh)
    }

    pub fn describe(self) -> Localized {
        let (en, zh) = match self {
            DataCategory::ReadingHistory => (
                "books on the shelf, recent reads, reading time per book",
                "书架、最近阅读、每本书的阅读时长",
            ),
            DataCategory::SocialGraph => (
                "who your friends are, whom you follow and who follows you",
                "你的好友、你关注的人和关注你的人",
            ),
            DataCategory::Contacts => (
                "the names and numbers in your address book",
                "通讯录中的姓名和号码",
            ),
            DataCategory::PhoneNumber => ("your mobile number", "你的手机号码"),
            DataCategory::EmailAddress => ("your email address", "你的电子邮箱地址"),
            DataCategory::PreciseLocation => (
                "where you are or have been, precisely: positions and movement trails",
                "你所在或去过的确切位置，包括行踪轨迹",
            ),
            DataCategory::CoarseLocation => (
                "the city or region you are in, e.g. for a same-city feed",
                "你所在的城市或地区，例如用于同城推荐",
            ),
            DataCategory::ProfileIdentity => ("nickname and avatar", "昵称和头像"),
            DataCategory::Activity => (
                "online status, likes, views, reading or listening time",
                "在线状态、点赞、浏览、阅读或收听时长",
            ),
            DataCategory::Content => (
                "what you post: videos, posts, notes",
                "你发布的内容：视频、动态、笔记",
            ),
            DataCategory::PostHistory => (
                "posts older than the last few days",
                "最近几天以前发布的动态",
            ),
            DataCategory::Interests => (
                "the interest profile used to personalise feeds and ads",
                "用于个性化推荐和广告的兴趣画像",
            ),
            DataCategory::Health => (
                "workouts, heart rate, body measurements, medical and health records",
                "运动记录、心率、身体数据以及医疗健康记录",
            ),
            DataCategory::Financial => (
                "payments and transfers (who paid whom, when, what for), accounts and balances",
                "支付和转账记录（谁付给谁、何时、用途），以及账户和余额",
            ),
            DataCategory::Biometric => (
                "face scans, voiceprints, fingerprints and similar body data used to recognise you",
                "用于识别你的人脸、声纹、指纹等身体特征数据",
            ),
            DataCategory::MinorData => (
                "any personal information of a child under 14",
                "不满十四周岁未成年人的任何个人信息",
            ),
        };
        Localized::new(en, zh)
    }
}

impl Audience {
    pub const ALL: [Audience; 8] = [
        Audience::OnlyMe,
        Audience::Approved,
        Audience::Friends,
        Audience::Followers,
        Audience::Network,
        Audience::Public,
        Audience::OtherApps,
        Audience::Operator,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Audience::OnlyMe => "only-me",
            Audience::Approved => "approved",
            Audience::Friends => "friends",
            Audience::Followers => "followers",
            Audience::Network => "network",
            Audience::Public => "public",
            Audience::OtherApps => "other-apps",
            Audience::Operator => "operator",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.id() == id)
    }

    /// Position on the narrow-to-broad ladder, or `None` for the side channels.
    pub fn rung(self) -> Option<u8> {
        match self {
            Audience::OnlyMe => Some(0),
            Audience::Approved => Some(1),
            Audience::Friends => Some(2),
            Audience::Followers => Some(3),
            Audience::Network => Some(4),
            Audience::Public => Some(5),
            Audience::OtherApps | Audience::Operator => None,
        }
    }

    /// Does sending data to `self` reach no one that sending it to `other` would not?
    /// On the ladder a narrower audience is covered by a broader one; a side channel is
    /// covered only by itself.
    pub fn covered_by(self, other: Audience) -> bool {
        match (self.rung(), other.rung()) {
            (Some(a), Some(b)) => a <= b,
            _ => self == other,
        }
    }

    /// How far the data travels, 0 (only me) to 4 (anyone). Another company (`other-apps`)
    /// counts like the network of strangers: the data leaves the app for good. Followers
    /// count like that network too: anyone may follow without asking, so the user does not
    /// choose who they are.
    pub fn breadth(self) -> u8 {
        match self {
            Audience::OnlyMe => 0,
            Audience::Approved | Audience::Operator => 1,
            Audience::Friends => 2,
            Audience::Followers | Audience::Network | Audience::OtherApps => 3,
            Audience::Public => 4,
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let (en, zh) = match self {
            Audience::OnlyMe => ("only you", "仅你自己"),
            Audience::Approved => ("people you approve", "经你同意的人"),
            Audience::Friends => ("friends", "好友"),
            Audience::Followers => ("your followers", "关注你的人"),
            Audience::Network => ("people who may know you", "可能认识你的人"),
            Audience::Public => ("anyone", "所有人"),
            Audience::OtherApps => ("other apps and companies", "其他应用和公司"),
            Audience::Operator => ("the app itself", "应用自身"),
        };
        pick(lang, en, zh)
    }
}

impl Audience {
    /// A column heading for the exposure map.
    pub fn short_name(self, lang: Lang) -> &'static str {
        let (en, zh) = match self {
            Audience::OnlyMe => ("you", "自己"),
            Audience::Approved => ("approved", "经同意"),
            Audience::Friends => ("friends", "好友"),
            Audience::Followers => ("followers", "粉丝"),
            Audience::Network => ("network", "可能认识"),
            Audience::Public => ("anyone", "所有人"),
            Audience::OtherApps => ("other apps", "其他应用"),
            Audience::Operator => ("the app", "应用自身"),
        };
        pick(lang, en, zh)
    }
}

fn pick(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for d in DataCategory::ALL {
            assert_eq!(DataCategory::from_id(d.id()), Some(d));
        }
        for a in Audience::ALL {
            assert_eq!(Audience::from_id(a.id()), Some(a));
        }
        assert_eq!(Audience::from_id("everyone"), None);
    }

    #[test]
    fn ladder_covers_narrower_but_side_channels_only_themselves() {
        assert!(Audience::Friends.covered_by(Audience::Public));
        assert!(!Audience::Public.covered_by(Audience::Friends));
        assert!(!Audience::OtherApps.covered_by(Audience::Public));
        assert!(Audience::Operator.covered_by(Audience::Operator));
        assert!(!Audience::Friends.covered_by(Audience::Operator));
    }
}
