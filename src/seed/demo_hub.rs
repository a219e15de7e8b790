//! The demo's hub: the coming week's regular activities, a 代际互助日
//! five days ago where phone teaching earned points and history stories
//! were public good, and one planned for next week with its plan filled.

use crate::domain::activity::{Kind, Plan};
use crate::domain::staff::Session;
use crate::domain::time::{self, DAY_MS, HOUR_MS, Stamp};
use crate::store::{Store, StoreError};
use chrono::NaiveTime;

fn hm(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default()
}

fn plan(kind: Kind, title: &str, day: chrono::NaiveDate, points_per_hour: u32) -> Plan {
    Plan {
        kind,
        title: title.into(),
        day,
        from: hm(9),
        to: hm(11),
        place: "驿站活动室".into(),
        aim: "代际互助，学生与老人互相帮助".into(),
        leads: "王秀英、李建国".into(),
        materials: "手机支架、投影仪、茶点".into(),
        cost_fen: 8650,
        merchants: vec![],
        points_per_hour,
    }
}

/// `teachers` earn points teaching phones, `elders` tell stories.
pub fn build(
    store: &mut Store,
    master: &Session,
    now: Stamp,
    teachers: [i64; 2],
    elders: [i64; 2],
) -> Result<(), StoreError> {
    let tz = store.tz();
    let past_day = time::local_day(now - 5 * DAY_MS, tz);
    let planned_at = now - 6 * DAY_MS;
    let phones = plan(Kind::Intergen, "教老人用智能手机", past_day, 10);
    let phones = store.plan_activity(master, &phones, planned_at)?;
    let stories = plan(Kind::Intergen, "老人讲历史故事", past_day, 0);
    let stories = store.plan_activity(master, &stories, planned_at)?;
    for m in teachers {
        store.sign_up(master, phones.id, m, planned_at + HOUR_MS)?;
        store.attend(master, phones.id, m, 120, phones.ends_at)?;
    }
    for m in elders {
        store.attend(master, stories.id, m, 90, stories.ends_at)?;
    }
    let today = time::local_day(now, tz);
    store.plan_regular(master, today, 7, now)?;
    let mut week = plan(
        Kind::MerchantWeek,
        "商家联动周·体验日",
        today + chrono::Days::new(8),
        0,
    );
    week.aim = "会员用积分兑换体验服务，为商家引流".into();
    week.merchants = vec!["老王理发店".into(), "康民大药房".into(), "便民超市".into()];
    store.plan_activity(master, &week, now)?;
    Ok(())
}
