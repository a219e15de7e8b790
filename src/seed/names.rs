//! Realistic Chinese names, addresses and numbers for synthetic members.

use rand::Rng;

/// Common surnames, weighted by repetition, plus the ones search must read
/// specially (曾, 单, 解, 仇, 区, 查, 覃, 乐) and compound surnames.
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
    "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴",
    "莫", "孔", "向", "汤", "单", "解", "仇", "区", "查", "乐", "欧阳", "司马", "上官", "诸葛",
];

const GIVEN: &[&str] = &[
    "秀英", "桂英", "秀兰", "玉兰", "桂兰", "建华", "建国", "建军", "国强", "志强", "秀珍", "淑珍",
    "丽华", "海燕", "晓燕", "春梅", "红梅", "小红", "伟", "芳", "娜", "敏", "静", "丽", "强", "磊",
    "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀云", "霞", "平", "刚", "桂芳", "文",
    "华", "金凤", "玉梅", "德明", "德胜", "志华", "振华", "淑芬", "慧敏", "婷婷", "浩然", "子涵",
    "雨轩", "一诺", "梓萱", "思源", "家豪", "宇航", "欣怡", "艳平", "三丰", "树芬", "世锋", "雄信",
    "嘉", "娜娜", "海洋",
];

pub fn name(rng: &mut impl Rng) -> String {
    let s = SURNAMES[rng.random_range(0..SURNAMES.len())];
    let g = GIVEN[rng.random_range(0..GIVEN.len())];
    format!("{s}{g}")
}

pub fn building(rng: &mut impl Rng) -> String {
    format!(
        "{}栋{}单元{}0{}",
        rng.random_range(1..=18),
        rng.random_range(1..=4),
        rng.random_range(1..=18),
        rng.random_range(1..=4)
    )
}

/// A mobile number unique to `n`.
pub fn phone(n: u64) -> String {
    let prefixes = [
        "138", "139", "137", "136", "135", "158", "159", "186", "188", "152",
    ];
    let p = prefixes[(n % prefixes.len() as u64) as usize];
    format!("{p}{:08}", (n * 7_919 + 1_234_567) % 100_000_000)
}

/// A valid 18-character ID number unique to `n` (below ten million).
pub fn id_number(n: u64) -> String {
    let region = 330_100 + (n / 1_000) % 100;
    let days = (n * 7_919 + n / 100_000) % 21_900;
    let birth = chrono::NaiveDate::from_ymd_opt(1940, 1, 1).unwrap_or_default()
        + chrono::Duration::days(days as i64);
    let body = format!("{region}{}{:03}", birth.format("%Y%m%d"), n % 1_000);
    let check = crate::domain::member::id_check_char(&body).unwrap_or('0');
    format!("{body}{check}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_valid_and_distinct() {
        let mut seen = std::collections::HashSet::new();
        for n in 0..20_000 {
            let id = id_number(n);
            assert!(crate::domain::member::parse_id_card(&id).is_ok(), "{id}");
            assert!(seen.insert(id));
        }
        assert!(crate::domain::member::parse_phone("p", &phone(42)).is_ok());
    }
}
