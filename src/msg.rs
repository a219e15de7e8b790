//! Messages as data: a catalog key plus named arguments.
//!
//! Domain rules and the store refuse things by returning a [`Refusal`]; the UI
//! turns its [`Msg`] into words in the staff member's language. Keeping the
//! words out of the rules keeps the rules pure and both languages complete.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// Arguments the station keeps in both languages (a service type's
    /// name, a checklist item's): `(name, zh, en)`. The store names both;
    /// the UI picks the one of its language.
    pub names: Vec<(&'static str, String, String)>,
}

impl Msg {
    pub const fn new(key: &'static str) -> Self {
        Msg {
            key,
            args: Vec::new(),
            names: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// An argument given in both languages; the words are chosen where
    /// the message is put in words.
    pub fn names(mut self, name: &'static str, zh: &str, en: &str) -> Self {
        self.names.push((name, zh.to_string(), en.to_string()));
        self
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.key)?;
        for (k, v) in &self.args {
            write!(f, " {k}={v}")?;
        }
        for (k, zh, en) in &self.names {
            write!(f, " {k}={zh}/{en}")?;
        }
        Ok(())
    }
}

/// Why something was refused, and which form field is to blame (if one is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub field: Option<&'static str>,
    pub msg: Msg,
}

impl Refusal {
    pub fn at(field: &'static str, msg: Msg) -> Self {
        Refusal {
            field: Some(field),
            msg,
        }
    }

    pub fn general(msg: Msg) -> Self {
        Refusal { field: None, msg }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field {
            Some(field) => write!(f, "{field}: {}", self.msg),
            None => write!(f, "{}", self.msg),
        }
    }
}

impl std::error::Error for Refusal {}

/// `msg!("key")` or `msg!("key", name = value, ...)`.
#[macro_export]
macro_rules! msg {
    ($key:literal) => { $crate::msg::Msg::new($key) };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::msg::Msg::new($key)$(.arg(stringify!($name), $value))+
    };
}
