//! The year's trust stories (年度信任故事集): the story wall's day stories,
//! the thank-you letters and the year's medals, as one document.

use super::{exports_dir, station_line, tz, write_file};
use crate::domain::time::{self, Stamp};
use crate::i18n::Tr;
use crate::msg::Msg;
use crate::output::Saved;
use crate::store::Store;
use crate::store::medals::YearStories;

/// The collection as text (tested apart from the file it is written to).
pub fn story_text(
    stories: &YearStories,
    tr: &Tr,
    station: &str,
    tz: chrono_tz::Tz,
    now: Stamp,
) -> String {
    let mut out = format!(
        "# {} {}\n\n{station}\n\n## {}\n\n",
        tr.t("stories.title"),
        stories.year,
        tr.t("stories.days")
    );
    if stories.days.is_empty() {
        out.push_str(&format!("{}\n", tr.t("stories.none")));
    }
    for (day, story) in &stories.days {
        out.push_str(&format!("- {} {}\n", day.format("%m-%d"), story.trim()));
    }
    out.push_str(&format!("\n## {}\n\n", tr.t("stories.letters")));
    if stories.letters.is_empty() {
        out.push_str(&format!("{}\n", tr.t("stories.none")));
    }
    for (at, who, text) in &stories.letters {
        out.push_str(&format!(
            "- {} {}\n",
            time::fmt_local(*at, tz, "%m-%d"),
            tr.f("stories.letter", &[("who", who), ("text", &text.trim())])
        ));
    }
    out.push_str(&format!("\n## {}\n\n", tr.t("stories.medals")));
    if stories.medals.is_empty() {
        out.push_str(&format!("{}\n", tr.t("stories.none")));
    }
    for m in &stories.medals {
        out.push_str(&format!(
            "- {} {} {}:{}\n",
            m.period,
            tr.t(m.kind.label_key()),
            m.holder.name,
            m.reason
        ));
    }
    out.push_str(&format!(
        "\n{} {}\n",
        tr.t("export.printed"),
        time::fmt_local(now, tz, "%Y-%m-%d %H:%M")
    ));
    out
}

/// Write the collection of `year` into `exports/`.
pub fn story_collection(store: &Store, tr: &Tr, year: i32, now: Stamp) -> Result<Saved, Msg> {
    let stories = store.year_stories(year).map_err(|e| e.msg())?;
    let text = story_text(&stories, tr, &station_line(store, tr), tz(store), now);
    write_file(&exports_dir(store), &format!("stories-{year}.md"), &text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::medal::MedalKind;
    use crate::i18n::Lang;
    use crate::store::medals::{Holder, MedalRow};
    use chrono::NaiveDate;

    #[test]
    fn the_collection_names_people_and_says_each_story_once() {
        let tz = chrono_tz::Asia::Shanghai;
        let s = YearStories {
            year: 2026,
            days: vec![(
                NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
                "王阿姨教孩子包饺子".into(),
            )],
            letters: vec![(
                crate::harness::T0,
                "李建国".into(),
                "谢谢您修好了水管".into(),
            )],
            medals: vec![MedalRow {
                id: 1,
                kind: MedalKind::WarmNeighbour,
                period: "2026-10".into(),
                holder: Holder {
                    id: 3,
                    code: "JS01-0003".into(),
                    name: "李建国".into(),
                },
                reason: "服务 6 次,全部五星".into(),
                awarded_at: crate::harness::T0,
                awarded_by: "001".into(),
            }],
        };
        let zh = story_text(&s, &Tr::new(Lang::Zh), "时光驿站", tz, crate::harness::T0);
        assert!(zh.starts_with("# 年度信任故事集 2026"), "{zh}");
        assert!(zh.contains("- 11-21 王阿姨教孩子包饺子"), "{zh}");
        assert!(
            zh.contains("李建国") && zh.contains("谢谢您修好了水管"),
            "{zh}"
        );
        assert!(
            zh.contains("2026-10 月度暖心邻居 李建国:服务 6 次,全部五星"),
            "{zh}"
        );
        assert!(
            !zh.contains("JS01-0003") && !zh.contains("warm_neighbour"),
            "{zh}"
        );
        let empty = story_text(
            &YearStories {
                year: 2026,
                ..YearStories::default()
            },
            &Tr::new(Lang::En),
            "x",
            tz,
            0,
        );
        assert_eq!(empty.matches("Nothing yet").count(), 3, "{empty}");
    }
}
