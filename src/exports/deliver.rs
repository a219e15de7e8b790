//! A page saved and handed on: written into the exports folder (never over
//! an existing file), then opened with the system's program, sent to the
//! default printer, or left there, as the station's `print` setting says.
//! The program is started through `launch` (the system's in the desk, a
//! recorder in tests) and never waited for.

use crate::i18n::Tr;
use crate::msg;
use crate::msg::Msg;
use crate::output::Saved;
use crate::platform::open::{self, How, Launch, OS};
use crate::print::{Delivery, Document, to_html};
use std::path::Path;

/// What became of a printed page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    /// Saved, as the setting asks.
    Saved(Saved),
    /// Saved and handed to the program that shows it.
    Opened(Saved),
    /// Saved and sent to the default printer.
    Printing(Saved),
    /// Saved, but there is no program to open or print it with.
    NoProgram(Saved),
}

impl Delivered {
    pub fn saved(&self) -> &Saved {
        match self {
            Delivered::Saved(s)
            | Delivered::Opened(s)
            | Delivered::Printing(s)
            | Delivered::NoProgram(s) => s,
        }
    }

    /// The notice the desk shows.
    pub fn msg(&self) -> Msg {
        match self {
            Delivered::Saved(s) => s.msg(),
            Delivered::Opened(s) => msg!("print.opened", path = s.path.display()),
            Delivered::Printing(s) => msg!("print.printing", path = s.path.display()),
            Delivered::NoProgram(s) => msg!("print.no_program", path = s.path.display()),
        }
    }
}

/// Save `doc` as `name` in `dir` and deliver it as `how` says, starting
/// the system's command through `launch`.
pub fn deliver(
    doc: &Document,
    dir: &Path,
    name: &str,
    how: Delivery,
    tr: &Tr,
    launch: &dyn Fn(&Launch) -> std::io::Result<()>,
) -> Result<Delivered, Msg> {
    let html = to_html(doc, tr.t("print.sign_date"));
    let saved = super::write_file(dir, name, &html)?;
    let verb = match how {
        Delivery::Save => return Ok(Delivered::Saved(saved)),
        Delivery::Open => How::Open,
        Delivery::Print => How::Print,
    };
    let command = open::command(OS, verb, &saved.path);
    Ok(match launch(&command) {
        Ok(()) if verb == How::Open => Delivered::Opened(saved),
        Ok(()) => Delivered::Printing(saved),
        Err(_) => Delivered::NoProgram(saved),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::print::{Block, Paper};
    use std::cell::RefCell;

    fn page() -> Document {
        Document::new("会员申请表", Paper::A4).with(Block::Paragraph("王秀英".into()))
    }

    #[test]
    fn save_only_starts_nothing_and_open_starts_the_systems_opener() {
        let dir = tempfile::tempdir().unwrap();
        let tr = Tr::new(Lang::Zh);
        let started = RefCell::new(Vec::new());
        let launch = |l: &Launch| {
            started.borrow_mut().push(l.clone());
            Ok(())
        };
        let d = deliver(&page(), dir.path(), "a.html", Delivery::Save, &tr, &launch).unwrap();
        assert!(matches!(d, Delivered::Saved(_)));
        assert!(started.borrow().is_empty());
        let html = std::fs::read_to_string(&d.saved().path).unwrap();
        assert!(html.contains("王秀英"));

        let d = deliver(&page(), dir.path(), "a.html", Delivery::Open, &tr, &launch).unwrap();
        assert!(matches!(d, Delivered::Opened(_)));
        // never over the first: the second is "a (2).html"
        assert_ne!(d.saved().path, dir.path().join("a.html"));
        let l = started.borrow()[0].clone();
        assert_eq!(l, open::command(OS, How::Open, &d.saved().path));

        let d = deliver(&page(), dir.path(), "b.html", Delivery::Print, &tr, &launch).unwrap();
        assert!(matches!(d, Delivered::Printing(_)));
        assert_eq!(
            started.borrow()[1].program,
            open::command(OS, How::Print, &d.saved().path).program
        );
    }

    #[test]
    fn a_missing_program_is_a_notice_with_the_path_not_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let tr = Tr::new(Lang::Zh);
        let launch = |_: &Launch| Err(std::io::Error::from(std::io::ErrorKind::NotFound));
        let d = deliver(&page(), dir.path(), "c.html", Delivery::Open, &tr, &launch).unwrap();
        assert!(matches!(d, Delivered::NoProgram(_)));
        let text = tr.msg(&d.msg());
        assert!(text.contains("c.html"), "{text}");
        assert!(d.saved().path.exists());
    }
}
