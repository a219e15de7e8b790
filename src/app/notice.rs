//! The status-bar notice: one line that says what just happened.

use crate::domain::time::Stamp;
use crate::msg::Msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Ok,
    Error,
}

/// A line in the status bar, shown until `until`.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: Msg,
    pub until: Stamp,
}
