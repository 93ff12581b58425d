//! The interactive auditor's own words, in English and Simplified Chinese. Profile texts
//! carry their own two languages; these are the labels around them.

use crate::text::Lang;

macro_rules! messages {
    ($($name:ident => $en:expr, $zh:expr;)*) => {
        /// A UI string.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($name),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];

            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$name, Lang::En) => $en, (Msg::$name, Lang::Zh) => $zh,)*
                }
            }
        }
    };
}

messages! {
    PickerTitle => "Pick an app", "选择应用";
    Filter => "Filter", "筛选";
    Exposed => "exposed", "项暴露";
    Unreadable => "state unreadable", "状态文件无法读取";
    NoMatch => "No app matches the filter.", "没有符合筛选条件的应用。";
    NoRulingMatch => "No ruling or article matches the search (Esc clears it).", "没有符合搜索条件的裁判或法条（按 Esc 清除搜索）。";
    Score => "Score", "得分";
    ConfirmedOnly => "confirmed facts only: ", "只计已证实事实：";
    Unconfirmed => "unconfirmed", "未证实";
    Settings => "Settings", "设置项";
    Details => "Details", "详情";
    Now => "Now", "当前";
    Recommended => "Recommended", "建议";
    Where => "Where", "位置";
    WhyItMatters => "Why it matters", "为何重要";
    Court => "Court", "法院";
    Date => "Date", "日期";
    CaseNumber => "Case number", "案号";
    Held => "Held", "认定";
    Remedy => "Remedy", "裁判结果";
    NotHeld => "Not found or not decided", "未认定或未裁决的事项";
    Evidence => "How sure", "可信度";
    MarkExposed => "exposed", "暴露";
    MarkOk => "ok", "未见问题";
    MarkWaived => "kept", "保留";
    MarkUnknown => "unknown", "未知";
    SharesNothing => "shares nothing", "不共享任何信息";
    DefaultMark => "app default", "应用默认";
    Demo => "DEMO - nothing is saved - R resets", "演示模式：不保存，按 R 重置";
    ExposureMap => "Exposure map: who can see what", "暴露地图：谁能看到什么";
    MapLegend => "Now -> after the recommendations:   X exposed now, still after   K exposed now, kept by you (waived)   x exposed now, gone after   ? the value is unknown   . nothing", "当前 → 按建议修改后：   X 现在暴露，修改后仍暴露   K 现在暴露，你已选择保留   x 现在暴露，修改后消除   ? 取值未知   . 无";
    DataColumn => "Data", "数据";
    Walkthrough => "Walk-through", "逐项引导";
    NotedNoSwitch => "Noted: this version has no switch for it, so your state is unchanged; not offered again until W", "已知悉：该版本没有这个开关，账户状态保持不变；按 W 重新开始之前不再出现";
    WhatIsExposed => "What is exposed", "暴露了什么";
    HowToChange => "Where to change it", "在哪里修改";
    Summary => "Summary", "总结";
    StillExposed => "Still exposed", "仍然暴露";
    NothingExposed => "Nothing is exposed beyond the recommendations.", "没有超出建议范围的信息暴露。";
    Rulings => "Rulings and articles", "案例与法条";
    CitedBy => "Cited by", "引用此项的设置";
    HelpTitle => "Keys", "按键";
    HelpClose => "Press any key to close", "按任意键关闭";
    TooSmall => "Terminal too small", "终端窗口太小";
    ReasonPrompt => "Why keep it? Enter confirms, Esc cancels", "为什么保留？Enter 确认，Esc 取消";
    ExpiryPrompt => "Keep until? YYYY-MM-DD, or Enter for no end date", "保留到何时？按“年-月-日”填写，如 2027-06-30；直接按 Enter 表示不设期限";
    BadDate => "Not a date: use YYYY-MM-DD", "日期格式不对：请按“年-月-日”填写，如 2027-06-30";
    PastDate => "That date has passed, and a waiver that has ended no longer applies: enter a later date, or nothing for no end date", "这个日期已经过去，到期的保留不再生效：请填写今后的日期，或直接按 Enter 表示不设期限";
    KeptNow => "Kept", "已保留";
    UndoInAnApp => "Open an app to undo its changes", "撤销需在应用中进行：请先打开应用";
    NotInThisVersion => "This version has no switch for it: it can only be what the app does by default", "该版本没有这个开关：只能是应用默认的做法";
    NotInThisVersionMark => " (not possible in this version)", "（该版本无此选项）";
    ReloadFailed => "Profiles not reloaded, the previous ones stay", "未能重新读取应用档案，仍使用原来的档案";
    UnsavedDropped => "changes not yet saved no longer fit the edited profile and were dropped", "尚未保存的更改与修改后的应用档案不再相符，已舍弃";
    NotSavedMark => " (not saved: the saved state could not be read)", "（未保存：已保存的状态文件无法读取）";
    ResetUndone => "Undid the reset: every setting is back as it was", "已撤销重置：所有设置已恢复原样";
    NotKnownHeading => "Not judged: their value is not known (back in the app, c says what yours is)", "未评估：取值未知（返回应用后按 c 注明你的设置）";
    HasSwitchWalk => "This one can be changed in the app: d once you have changed it, s to skip, x to keep it", "这一项可以在应用中修改：改好后按 d，或按 s 跳过、按 x 保留";
    Sends => "Sends", "数据流向";
    SendsNothing => "nothing", "无";
    KeepCancelled => "Not kept: nothing changed", "未保留，没有任何更改";
    EmptyReason => "A reason is needed to keep it", "保留需要填写理由";
    Saved => "Saved", "已保存";
    SaveFailed => "Could not save", "保存失败";
    OverrodeOtherWindow => "; also changed in another privaudit window, your choice here replaced it: ", "；以下设置在另一个 privaudit 窗口中也被更改，已以此处的选择为准：";
    NotSaving => "The saved state could not be read, so it is left untouched and nothing is saved", "已保存的状态文件无法读取，因此保持原样，本次不会保存";
    DemoNoWrite => "Demo mode: nothing is written", "演示模式：不写入任何文件";
    ExportedTo => "Checklist written", "清单已写入";
    ResetDone => "Reset to the app's defaults", "已重置为应用默认设置";
    StepsDone => "End of the walk-through (skipped steps stay skipped; W starts again)", "逐项引导已结束（跳过的步骤仍保持跳过；按 W 重新开始）";
    Before => "before", "之前";
    After => "after", "之后";
    NotAssessed => "Not assessed: the default is not known. Press c to say what yours is set to.", "未评估：默认值未知。按 c 注明你的设置。";
    AtRecommendation => "At the recommendation: nothing beyond what is needed is shared.", "已符合建议：没有超出必要范围的共享。";
    // Added for issue 8 by the keys/state work (kept together, at the end).
    NoSwitchDashboard => "This version has no switch for it, so it cannot be set to the recommendation; w shows what to do instead", "该版本没有这个开关，无法设为建议的取值；按 w 查看可以怎么做";
    NoSwitchWalk => "This version has no switch for it: n noted, s skip, x keep it", "该版本没有这个开关：按 n 表示知道了，按 s 跳过，按 x 保留";
    AlreadyRecommended => "Already at the recommendation: nothing changed", "已是建议的取值，未作更改";
    Changed => "Changed", "已更改";
    Undid => "Undid", "已撤销";
    NothingToUndo => "Nothing to undo for this app", "此应用没有可撤销的更改";
    NotSet => "not set (the app's default)", "未设置（沿用应用默认）";
    NotSetChoice => "not set (the app's default)", "不设置（沿用应用默认）";
    ResetAllDone => "Every app reset to its defaults", "所有应用已重置为默认设置";
    DemoBadge => "DEMO", "演示";
    Search => "Search", "搜索";
    MemoryIgnored => "The remembered interface state could not be read; the file is left as it is and nothing is remembered this session", "界面记忆文件无法读取，已保持原样；本次不记住界面设置";
    UserProfileMark => "yours", "自定义";
    OtherVersion => "same app", "同一应用";
    BrokenProfiles => "Profiles that could not be read (left out)", "无法读取的应用档案（已略过）";
    ProfilesReloaded => "Profiles read again from disk", "已从磁盘重新读取应用档案";
    NoSettingMatch => "No setting matches the search (Esc clears it).", "没有符合搜索条件的设置项（按 Esc 清除搜索）。";
}

/// In the status line when user profiles were left out.
pub fn broken_profiles_note(n: usize, lang: Lang) -> String {
    match (lang, n) {
        (Lang::En, 1) => {
            "1 user profile could not be read and is left out: see the list below".to_owned()
        }
        (Lang::En, n) => {
            format!("{n} user profiles could not be read and are left out: see the list below")
        }
        (Lang::Zh, n) => format!("有 {n} 个用户档案无法读取，已略过，详见下方列表"),
    }
}

/// In the status line when user profiles take the place of built-in ones.
pub fn replaced_profiles_note(apps: &[String], lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "your own profile replaces the built-in one: {}",
            apps.join(", ")
        ),
        Lang::Zh => format!("你的自定义档案替换了同名内置档案：{}", apps.join("、")),
    }
}

/// In the status line when user catalog files were left out (a problem), or replace
/// built-in entries: each note, and whether it tells of a problem.
pub fn catalog_note(left_out: usize, replaced: &[String], lang: Lang) -> Vec<(String, bool)> {
    let mut notes = Vec::new();
    if left_out > 0 {
        let note = match (lang, left_out) {
            (Lang::En, 1) => {
                "1 catalog file of yours could not be read and is left out: see the list below"
                    .to_owned()
            }
            (Lang::En, n) => format!(
                "{n} catalog files of yours could not be read and are left out: see the list below"
            ),
            (Lang::Zh, n) => format!("有 {n} 个自定义条目文件无法读取，已略过，详见下方列表"),
        };
        notes.push((note, true));
    }
    if !replaced.is_empty() {
        let note = match lang {
            Lang::En => format!(
                "your catalog replaces built-in entries: {}",
                replaced.join(", ")
            ),
            Lang::Zh => format!("你的自定义条目替换了内置条目：{}", replaced.join("、")),
        };
        notes.push((note, false));
    }
    notes
}

/// After a catalog file's problem in the list of what could not be read.
pub fn catalog_file_left_out(lang: Lang) -> &'static str {
    match lang {
        Lang::En => " (catalog file left out)",
        Lang::Zh => "（自定义条目文件，已略过）",
    }
}

/// A file error in the reader's language: the system's own words in English; in Chinese,
/// the common cases said in Chinese and any other by its error number, so no English is
/// left in a Chinese screen.
pub fn io_error(e: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind as K;
    if lang == Lang::En {
        return e.to_string();
    }
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return "符号链接形成了循环".to_owned();
    }
    let words = match e.kind() {
        K::NotFound => "找不到该文件或目录",
        K::PermissionDenied => "没有权限",
        K::AlreadyExists => "文件已存在",
        K::IsADirectory => "这是一个目录，而不是文件",
        K::NotADirectory => "路径中有一部分不是目录",
        K::ReadOnlyFilesystem => "文件系统是只读的",
        K::StorageFull => "磁盘空间已满",
        K::QuotaExceeded => "超出磁盘配额",
        K::InvalidFilename => "文件名无效",
        K::FileTooLarge => "文件太大",
        K::ResourceBusy => "文件正被占用",
        K::Interrupted => "操作被中断",
        _ => {
            return match e.raw_os_error() {
                Some(code) => format!("系统错误（错误码 {code}）"),
                None => "读写文件时出错".to_owned(),
            };
        }
    };
    words.to_owned()
}

/// What the score means, and how many of the findings it weighs rest on facts not yet
/// confirmed.
pub fn score_explained(
    findings: usize,
    unconfirmed: usize,
    unassessed: usize,
    lang: Lang,
) -> String {
    let means = match lang {
        Lang::En => {
            "100 means nothing is shared beyond the recommendations; each finding lowers it by its severity, kept ones too."
        }
        Lang::Zh => "100 分表示没有超出建议的共享；每项发现按严重程度扣分，保留的也扣。",
    };
    // With no finding there is nothing for facts to be confirmed under.
    let rests = match (lang, findings, unconfirmed) {
        (_, 0, _) => String::new(),
        (Lang::En, _, 0) => " All rest on confirmed facts.".to_owned(),
        (Lang::En, _, 1) => " 1 rests on facts not yet confirmed.".to_owned(),
        (Lang::En, _, n) => format!(" {n} rest on facts not yet confirmed."),
        (Lang::Zh, _, 0) => "全部依据已证实的事实。".to_owned(),
        (Lang::Zh, _, n) => format!("其中 {n} 项依据尚未证实的事实。"),
    };
    // A setting whose default is unknown weighs nothing either way: a high score with
    // such settings is not a clean bill.
    let unjudged = match (lang, unassessed) {
        (_, 0) => String::new(),
        (Lang::En, 1) => {
            " 1 setting could not be judged (default unknown) and is not in the score.".to_owned()
        }
        (Lang::En, n) => {
            format!(" {n} settings could not be judged (default unknown) and are not in the score.")
        }
        (Lang::Zh, n) => format!("另有 {n} 项设置因默认值未知而无法评估，未计入得分。"),
    };
    format!("{means}{rests}{unjudged}")
}

/// Between two clauses of one message: "; " or "；".
pub fn clause_sep(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "; ",
        Lang::Zh => "；",
    }
}

/// "until 2027-01-01", or that a waiver has no end date.
pub fn until(expires: Option<crate::date::Date>, lang: Lang) -> String {
    match (expires, lang) {
        (Some(date), Lang::En) => format!("until {date}"),
        (Some(date), Lang::Zh) => format!("有效期至 {date}"),
        (None, Lang::En) => "no end date".to_owned(),
        (None, Lang::Zh) => "未设期限".to_owned(),
    }
}

/// `q` in the picker with changes that could not be saved.
pub fn unsaved_on_quit(n: usize, lang: Lang) -> String {
    match (lang, n) {
        (Lang::En, 1) => {
            "1 app has changes that could not be saved; q again quits and drops them".to_owned()
        }
        (Lang::En, n) => {
            format!("{n} apps have changes that could not be saved; q again quits and drops them")
        }
        (Lang::Zh, n) => format!("有 {n} 个应用的更改未能保存；再按一次 q 将退出并放弃这些更改"),
    }
}

/// Starting a walk when every open finding was skipped: "3 skipped steps are left: W
/// starts over with them".
pub fn only_skipped_left(n: usize, lang: Lang) -> String {
    match (lang, n) {
        (Lang::En, 1) => "Only 1 skipped step is left: W starts over with it".to_owned(),
        (Lang::En, n) => format!("Only {n} skipped steps are left: W starts over with them"),
        (Lang::Zh, n) => format!("只剩 {n} 个跳过或已知悉的步骤：按 W 从头开始，包括这些步骤"),
    }
}

/// After a save: how many settings another auditor had saved meanwhile were kept.
pub fn merged_note(kept: usize, lang: Lang) -> String {
    match (lang, kept) {
        (Lang::En, 1) => "; kept 1 setting changed in another privaudit window".to_owned(),
        (Lang::En, n) => format!("; kept {n} settings changed in another privaudit window"),
        (Lang::Zh, n) => format!("；保留了另一个 privaudit 窗口中更改的 {n} 项设置"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages() {
        for msg in Msg::ALL {
            assert!(
                !msg.text(Lang::En).is_empty() && !msg.text(Lang::Zh).is_empty(),
                "{msg:?}"
            );
        }
    }
}
