//! Printed pages: a document is data (headings, fields, tables, signature
//! lines) and [`to_html`] turns it into one self-contained HTML page with a
//! print stylesheet for A4 or an 80 mm receipt. No fonts are shipped: the
//! page names the CJK fonts the station PC already has and lets the browser
//! fall back. Opening or sending the page to a printer is the caller's
//! business; this module only makes the text, so it is pure and tested.
//!
//! Layer: beside `domain` (no I/O, no store); the exports and the desk use it.

#[cfg(test)]
mod tests;

/// The paper a document is laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// A form, a report or the notice board.
    A4,
    /// A receipt printer's roll.
    Receipt80,
}

/// One printable document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The page's title, printed as its first heading and the file's title.
    pub title: String,
    pub paper: Paper,
    /// Large type for elderly members (a statement they read themselves).
    pub large_type: bool,
    pub blocks: Vec<Block>,
}

/// The parts a page is made of, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A section heading.
    Heading(String),
    /// A paragraph of running text.
    Paragraph(String),
    /// Label–value pairs, as on a filled form ("姓名：王秀英").
    Fields(Vec<(String, String)>),
    /// A table with a header row; every row has as many cells as headers.
    Table {
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// Space to fill in by hand: a label and how many ruled lines.
    Blank { label: String, lines: u8 },
    /// Signature lines, one per label ("申请人签字", "驿站站长签字"), each
    /// with a date line.
    Signatures(Vec<String>),
}

impl Document {
    pub fn new(title: impl Into<String>, paper: Paper) -> Self {
        Document {
            title: title.into(),
            paper,
            large_type: false,
            blocks: Vec::new(),
        }
    }

    /// Appends a block (builder style).
    pub fn with(mut self, block: Block) -> Self {
        self.blocks.push(block);
        self
    }

    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    /// Every piece of text the page will show, in order: what tests read to
    /// check a document's content without parsing HTML.
    pub fn texts(&self) -> Vec<&str> {
        let mut out = vec![self.title.as_str()];
        for b in &self.blocks {
            match b {
                Block::Heading(t) | Block::Paragraph(t) => out.push(t),
                Block::Fields(pairs) => {
                    for (k, v) in pairs {
                        out.push(k);
                        out.push(v);
                    }
                }
                Block::Table { headers, rows } => {
                    out.extend(headers.iter().map(String::as_str));
                    for r in rows {
                        out.extend(r.iter().map(String::as_str));
                    }
                }
                Block::Blank { label, .. } => out.push(label),
                Block::Signatures(labels) => out.extend(labels.iter().map(String::as_str)),
            }
        }
        out
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Fonts the station PCs have: Windows (Microsoft YaHei, SimSun), macOS
/// (PingFang), Linux (Noto/Source Han, WenQuanYi); the browser falls back
/// to any font with the glyph when none of these is there.
const CJK_FONTS: &str = "\"Microsoft YaHei\", \"SimSun\", \"PingFang SC\", \
\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"WenQuanYi Micro Hei\", sans-serif";

fn stylesheet(paper: Paper, large: bool) -> String {
    let (page, width, base) = match paper {
        Paper::A4 => ("A4", "180mm", if large { 18 } else { 12 }),
        Paper::Receipt80 => ("80mm auto", "72mm", if large { 14 } else { 10 }),
    };
    format!(
        "@page {{ size: {page}; margin: {margin}; }}\n\
         body {{ font-family: {CJK_FONTS}; font-size: {base}pt; line-height: 1.5; \
         max-width: {width}; margin: 0 auto; color: #000; }}\n\
         h1 {{ font-size: 1.6em; text-align: center; margin: 0.2em 0 0.6em; }}\n\
         h2 {{ font-size: 1.2em; border-bottom: 1px solid #000; margin: 1em 0 0.4em; }}\n\
         table {{ width: 100%; border-collapse: collapse; margin: 0.3em 0; }}\n\
         th, td {{ border: 1px solid #000; padding: 0.2em 0.4em; text-align: left; \
         vertical-align: top; }}\n\
         th {{ background: #eee; }}\n\
         dl.fields {{ display: grid; grid-template-columns: max-content 1fr; \
         gap: 0.2em 0.8em; margin: 0.3em 0; }}\n\
         dl.fields dt {{ font-weight: bold; }} dl.fields dd {{ margin: 0; \
         border-bottom: 1px dotted #000; min-height: 1.4em; }}\n\
         .blank .line {{ border-bottom: 1px solid #000; height: 1.8em; }}\n\
         .signatures {{ display: flex; flex-wrap: wrap; gap: 1em 3em; margin-top: 1.5em; }}\n\
         .signatures div {{ min-width: 14em; }}\n\
         .signatures .line {{ display: inline-block; min-width: 8em; \
         border-bottom: 1px solid #000; }}\n\
         tr, dl, .blank, .signatures {{ page-break-inside: avoid; }}\n\
         @media print {{ .no-print {{ display: none; }} }}\n",
        margin = if paper == Paper::A4 { "15mm" } else { "3mm" },
    )
}

/// The whole page: one HTML file with its stylesheet inside, nothing else to
/// carry. Every text is escaped; `sign_date` is the label beside each
/// signature's date line (the caller words it in the desk's language).
pub fn to_html(doc: &Document, sign_date: &str) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&doc.title)));
    out.push_str("<style>\n");
    out.push_str(&stylesheet(doc.paper, doc.large_type));
    out.push_str("</style>\n</head>\n<body>\n");
    out.push_str(&format!("<h1>{}</h1>\n", escape(&doc.title)));
    for block in &doc.blocks {
        block_html(&mut out, block, sign_date);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn block_html(out: &mut String, block: &Block, sign_date: &str) {
    match block {
        Block::Heading(t) => out.push_str(&format!("<h2>{}</h2>\n", escape(t))),
        Block::Paragraph(t) => out.push_str(&format!("<p>{}</p>\n", escape(t))),
        Block::Fields(pairs) => {
            out.push_str("<dl class=\"fields\">\n");
            for (k, v) in pairs {
                out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", escape(k), escape(v)));
            }
            out.push_str("</dl>\n");
        }
        Block::Table { headers, rows } => {
            out.push_str("<table>\n<thead><tr>");
            for h in headers {
                out.push_str(&format!("<th>{}</th>", escape(h)));
            }
            out.push_str("</tr></thead>\n<tbody>\n");
            for r in rows {
                out.push_str("<tr>");
                for c in r {
                    out.push_str(&format!("<td>{}</td>", escape(c)));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody>\n</table>\n");
        }
        Block::Blank { label, lines } => {
            out.push_str(&format!(
                "<div class=\"blank\"><strong>{}</strong>\n",
                escape(label)
            ));
            for _ in 0..(*lines).max(1) {
                out.push_str("<div class=\"line\"></div>\n");
            }
            out.push_str("</div>\n");
        }
        Block::Signatures(labels) => {
            out.push_str("<div class=\"signatures\">\n");
            for l in labels {
                out.push_str(&format!(
                    "<div>{}：<span class=\"line\"></span> {}：<span class=\"line\"></span></div>\n",
                    escape(l),
                    escape(sign_date)
                ));
            }
            out.push_str("</div>\n");
        }
    }
}

/// What printing a page does (the station's setting `print`): open it in
/// the system's program for HTML, send it to the default printer, or only
/// save it in the exports folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Delivery {
    #[default]
    Open,
    Print,
    Save,
}

impl Delivery {
    pub const ALL: [Delivery; 3] = [Delivery::Open, Delivery::Print, Delivery::Save];

    /// As stored in the settings.
    pub fn code(self) -> &'static str {
        match self {
            Delivery::Open => "open",
            Delivery::Print => "print",
            Delivery::Save => "save",
        }
    }

    pub fn parse(s: &str) -> Option<Delivery> {
        Delivery::ALL.into_iter().find(|d| d.code() == s.trim())
    }

    /// The stored setting; anything unknown only saves (never starts a
    /// program the station did not choose).
    pub fn from_setting(s: &str) -> Delivery {
        Delivery::parse(s).unwrap_or(Delivery::Save)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Delivery::Open => crate::k!("print.mode.open"),
            Delivery::Print => crate::k!("print.mode.print"),
            Delivery::Save => crate::k!("print.mode.save"),
        }
    }
}

/// Points in words with their unit, signed when asked: "15 积分".
pub fn points(tr: &crate::i18n::Tr, n: i64) -> String {
    format!("{n} {}", tr.t("unit.points"))
}

/// Minutes as hours and minutes in words: "1 小时 30 分钟".
pub fn duration(tr: &crate::i18n::Tr, minutes: u64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("{m} {}", tr.t("unit.min")),
        (h, 0) => format!("{h} {}", tr.t("print.hours")),
        (h, m) => format!("{h} {} {m} {}", tr.t("print.hours"), tr.t("unit.min")),
    }
}
