use super::*;
use proptest::prelude::*;

fn sample() -> Document {
    Document::new("纠纷处理单", Paper::A4)
        .with(Block::Heading("当事人".into()))
        .with(Block::Fields(vec![("姓名".into(), "王秀英".into())]))
        .with(Block::Table {
            headers: vec!["日期".into(), "积分".into()],
            rows: vec![vec!["2026-12-04".into(), "60".into()]],
        })
        .with(Block::Blank {
            label: "处理意见".into(),
            lines: 3,
        })
        .with(Block::Signatures(vec!["驿站站长签字".into()]))
}

#[test]
fn a4_page_has_its_title_every_text_and_the_cjk_fonts() {
    let html = to_html(&sample(), "日期");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<title>纠纷处理单</title>"));
    assert!(html.contains("size: A4"));
    assert!(html.contains("Microsoft YaHei"));
    for t in sample().texts() {
        assert!(html.contains(t), "{t} missing");
    }
    assert_eq!(html.matches("class=\"line\"></div>").count(), 3);
    assert!(html.contains("驿站站长签字：<span class=\"line\"></span> 日期："));
}

#[test]
fn receipt_and_large_type_change_the_page_not_the_content() {
    let mut d = sample();
    d.paper = Paper::Receipt80;
    d.large_type = true;
    let html = to_html(&d, "日期");
    assert!(html.contains("size: 80mm auto"));
    assert!(html.contains("font-size: 14pt"));
    assert!(!html.contains("size: A4"));
}

proptest! {
    #[test]
    fn no_text_can_break_out_of_the_markup(s in ".*") {
        let d = Document::new(s.clone(), Paper::A4)
            .with(Block::Paragraph(s.clone()))
            .with(Block::Fields(vec![(s.clone(), s.clone())]));
        let html = to_html(&d, &s);
        let body = html.split("<body>").nth(1).unwrap();
        let escaped = escape(&s);
        prop_assert!(!escaped.contains('<') && !escaped.contains('>'));
        prop_assert!(body.contains(&escaped));
        // Every tag in the body is one this module wrote.
        let tags = body.matches('<').count();
        let expected = to_html(&Document::new("x", Paper::A4)
            .with(Block::Paragraph("x".into()))
            .with(Block::Fields(vec![("x".into(), "x".into())])), "x")
            .split("<body>").nth(1).unwrap().matches('<').count();
        prop_assert_eq!(tags, expected);
    }
}
