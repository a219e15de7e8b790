//! The demo's past: the closed days before today, with their stories.

use super::*;

/// Sixty closed days before today (so the stats have a history), and today
/// opened if the morning has come.
pub(super) fn history(
    store: &mut Store,
    staff: [&Session; 2],
    now: Stamp,
) -> Result<(), StoreError> {
    const STORIES: [&str; 6] = [
        "张师傅帮三楼的李奶奶修好了收音机",
        "欧阳娜娜陪王大爷去医院复查,来回三个小时",
        "志愿者给独居老人包了饺子",
        "单田芳老师在驿站讲了一下午评书",
        "两位邻居为积分起了争执,调解后握手言和",
        "新来的大学生志愿者教老人用手机视频",
    ];
    let tz = store.tz();
    let today = local_day(now, tz);
    for back in (1..=60).rev() {
        let day = today - chrono::Duration::days(back);
        let start = crate::domain::time::day_start(day, tz);
        // most mornings a little before nine; now and then late
        let late = back % 13 == 5;
        let open_min = if late {
            9 * 60 + 12
        } else {
            8 * 60 + 30 + back % 25
        };
        let close_min = 18 * 60 + 5 + back % 20;
        store.seed_closed_day(
            staff[(back % 2) as usize],
            day,
            start + open_min * MINUTE_MS,
            late,
            start + close_min * MINUTE_MS,
            STORIES[(back % 6) as usize],
        )?;
    }
    let opened = crate::domain::time::day_start(today, tz) + (8 * 60 + 32) * MINUTE_MS;
    if opened <= now {
        let checks: Vec<crate::domain::day::Checked> = store
            .checklist()?
            .into_iter()
            .map(|c| crate::domain::day::Checked {
                item_id: c.id,
                done: true,
                // one walker is out on loan: a replenish item
                count: c
                    .expected
                    .map(|e| if c.name_en == "walkers" { e - 1 } else { e }),
                expected: c.expected,
            })
            .collect();
        store.open_day(staff[1], &checks, opened)?;
    }
    Ok(())
}
