//! `shiguang print blank-application` / `blank-commitment`: the blank forms
//! for the desk's stack, without the screen. The page is only saved into
//! `exports/` (a script starts no program) and its path printed; the desk's
//! `p` prints every other page.

use super::Failure;
use crate::exports::printed::{self, Printable};
use crate::i18n::Tr;
use crate::platform::open::Launch;
use crate::print::Delivery;
use crate::store::OpenMode;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct PrintArgs {
    /// Which blank form
    #[arg(value_enum)]
    pub what: Blank,
}

/// The forms that need no member: filled by hand at the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Blank {
    /// 会员申请表
    BlankApplication,
    /// 推荐承诺书
    BlankCommitment,
}

pub fn run(db: Option<&Path>, a: &PrintArgs, tr: &Tr) -> Result<(), Failure> {
    let store = super::day::open(db, OpenMode::Inspect, tr)?;
    let what = match a.what {
        Blank::BlankApplication => Printable::BlankApplication,
        Blank::BlankCommitment => Printable::BlankCommitment,
    };
    let now = chrono::Utc::now().timestamp_millis();
    // save only: nothing is started, so nothing is asked of the launcher
    let none = |_: &Launch| Err(std::io::Error::from(std::io::ErrorKind::Unsupported));
    let done = printed::print(&store, tr, what, Delivery::Save, now, &none)
        .map_err(|m| Failure::failed(tr.msg(&m)))?;
    outln!("{}", tr.msg(&done.msg()));
    Ok(())
}
