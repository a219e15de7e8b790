use super::*;

fn entry(id: i64, number: &str, name: &str, phone: &str, building: &str) -> SearchEntry {
    SearchEntry {
        member_id: id,
        number: number.into(),
        name: name.into(),
        phone_tail: phone.into(),
        building: building.into(),
        status: MemberStatus::Approved,
        level: Level::Ordinary,
    }
}

fn index() -> SearchIndex {
    SearchIndex::build(vec![
        entry(1, "JS01-0001", "张三丰", "5678", "3栋2单元"),
        entry(2, "JS01-0002", "曾艳平", "1234", "5栋1单元"),
        entry(3, "JS01-0003", "赵淑芬", "4321", "1栋1单元"),
        entry(4, "JS01-0004", "张三丰华", "1111", "2栋3单元"),
        entry(5, "JS01-0005", "周世锋", "2222", "9栋1单元"),
        entry(6, "JS01-0006", "欧阳娜娜", "3333", "6栋2单元"),
        entry(7, "JS01-0012", "李四", "0001", "7栋1单元"),
    ])
}

fn names(ix: &SearchIndex, q: &str) -> Vec<String> {
    ix.query(q, 10)
        .iter()
        .map(|h| ix.entry(h.index).name.clone())
        .collect()
}

#[test]
fn zsf_ranks_zhang_sanfeng_first() {
    let n = names(&index(), "zsf");
    assert_eq!(n[0], "张三丰", "{n:?}");
    assert!(n.contains(&"赵淑芬".to_string()));
    assert!(n.contains(&"张三丰华".to_string()));
}

#[test]
fn full_pinyin_finds_the_name() {
    assert_eq!(names(&index(), "zhangsanfeng")[0], "张三丰");
    assert_eq!(names(&index(), "zhangsan")[0], "张三丰");
}

#[test]
fn surname_readings_find_zeng_both_ways() {
    assert_eq!(names(&index(), "zyp")[0], "曾艳平");
    assert_eq!(names(&index(), "cyp")[0], "曾艳平");
    assert_eq!(names(&index(), "zengyanping")[0], "曾艳平");
}

#[test]
fn compound_surname() {
    assert_eq!(names(&index(), "oynn")[0], "欧阳娜娜");
    assert_eq!(names(&index(), "ouyang")[0], "欧阳娜娜");
}

#[test]
fn chinese_and_number_and_phone_and_building() {
    assert_eq!(names(&index(), "三丰")[0], "张三丰");
    assert_eq!(names(&index(), "JS01-0002")[0], "曾艳平");
    assert_eq!(names(&index(), "0003")[0], "赵淑芬");
    assert_eq!(names(&index(), "5678")[0], "张三丰");
    assert_eq!(names(&index(), "6栋")[0], "欧阳娜娜");
    let ix = index();
    let h = &ix.query("1234", 1)[0];
    assert_eq!(h.field, MatchField::Phone);
}

#[test]
fn number_beats_phone_for_its_own_digits() {
    // "0001" is both member 1's number tail and 李四's phone
    let ix = index();
    let hits = ix.query("0001", 5);
    let found: Vec<_> = hits
        .iter()
        .map(|h| ix.entry(h.index).name.as_str())
        .collect();
    assert!(
        found.contains(&"张三丰") && found.contains(&"李四"),
        "{found:?}"
    );
}

#[test]
fn fuzzy_typos_still_find() {
    assert!(names(&index(), "zhsanf").contains(&"张三丰".to_string()));
}

#[test]
fn highlight_positions_point_at_name_characters() {
    let ix = index();
    let h = &ix.query("zs", 1)[0];
    assert_eq!(h.field, MatchField::Name);
    assert_eq!(h.positions, vec![0, 1]);
    let h = &ix.query("三丰", 1)[0];
    assert_eq!(h.positions, vec![1, 2]);
}

#[test]
fn updates_are_seen() {
    let mut ix = index();
    ix.upsert(entry(99, "", "单田芳", "", "8栋"));
    assert_eq!(names(&ix, "stf")[0], "单田芳");
    assert_eq!(names(&ix, "dtf")[0], "单田芳");
    ix.upsert(entry(99, "JS01-0099", "单田芳", "9999", "8栋"));
    assert_eq!(ix.len(), 8);
    assert_eq!(names(&ix, "JS01-0099")[0], "单田芳");
}

#[test]
fn empty_and_odd_queries() {
    let ix = index();
    assert!(ix.query("", 10).is_empty());
    assert!(ix.query("   ", 10).is_empty());
    assert!(ix.query("😀", 10).is_empty());
    let _ = ix.query("-", 10);
}
