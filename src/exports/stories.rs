//! The year's trust stories (年度信任故事集): the story wall's day stories,
//! the thank-you letters and the year's medals, as one document.

use crate::domain::time;
use crate::i18n::Tr;
use crate::print::{Block, Document, Paper};
use crate::store::medals::YearStories;

/// The collection as an A4 page: the day stories, the letters, the medals,
/// each section saying so when it is empty.
pub fn story_document(
    stories: &YearStories,
    tr: &Tr,
    station: &str,
    tz: chrono_tz::Tz,
) -> Document {
    let mut doc = Document::new(
        format!("{} {}", tr.t("stories.title"), stories.year),
        Paper::A4,
    );
    doc.push(Block::Paragraph(station.to_string()));
    let none = || Block::Paragraph(tr.t("stories.none").to_string());
    doc.push(Block::Heading(tr.t("stories.days").to_string()));
    if stories.days.is_empty() {
        doc.push(none());
    }
    for (day, story) in &stories.days {
        doc.push(Block::Paragraph(format!(
            "{} {}",
            day.format("%m-%d"),
            story.trim()
        )));
    }
    doc.push(Block::Heading(tr.t("stories.letters").to_string()));
    if stories.letters.is_empty() {
        doc.push(none());
    }
    for (at, who, text) in &stories.letters {
        doc.push(Block::Paragraph(format!(
            "{} {}",
            time::fmt_local(*at, tz, "%m-%d"),
            tr.f("stories.letter", &[("who", who), ("text", &text.trim())])
        )));
    }
    doc.push(Block::Heading(tr.t("stories.medals").to_string()));
    if stories.medals.is_empty() {
        doc.push(none());
    } else {
        doc.push(Block::Table {
            headers: vec![
                tr.t("stories.col_period").to_string(),
                tr.t("stories.col_medal").to_string(),
                tr.t("stories.col_holder").to_string(),
                tr.t("stories.col_reason").to_string(),
            ],
            rows: stories
                .medals
                .iter()
                .map(|m| {
                    vec![
                        m.period.clone(),
                        tr.t(m.kind.label_key()).to_string(),
                        m.holder.name.clone(),
                        m.reason.clone(),
                    ]
                })
                .collect(),
        });
    }
    doc
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
        let doc = story_document(&s, &Tr::new(Lang::Zh), "时光驿站", tz);
        let zh = doc.texts().join("\n");
        assert!(zh.starts_with("年度信任故事集 2026"), "{zh}");
        assert!(zh.contains("11-21 王阿姨教孩子包饺子"), "{zh}");
        assert!(
            zh.contains("李建国") && zh.contains("谢谢您修好了水管"),
            "{zh}"
        );
        assert!(
            zh.contains("2026-10\n月度暖心邻居\n李建国\n服务 6 次,全部五星"),
            "{zh}"
        );
        assert!(
            !zh.contains("JS01-0003") && !zh.contains("warm_neighbour"),
            "{zh}"
        );
        let empty = story_document(
            &YearStories {
                year: 2026,
                ..YearStories::default()
            },
            &Tr::new(Lang::En),
            "x",
            tz,
        )
        .texts()
        .join("\n");
        assert_eq!(empty.matches("Nothing yet").count(), 3, "{empty}");
    }
}
