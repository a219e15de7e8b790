//! PostgreSQL's own refusals (a duplicate key, a row-level security policy,
//! the check on acknowledgements) turned into the alarm they mean
//! ([`Problem`], part of the wire), never shown raw.

pub use crate::wire::problem::Problem;

/// What PostgreSQL said when it refused a row, in the parts that decide
/// which alarm it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// SQLSTATE
    pub code: String,
    pub table: Option<String>,
    pub constraint: Option<String>,
    pub message: String,
    pub detail: Option<String>,
}

impl Refusal {
    /// A refusal of a row — a duplicate key, a row-level security policy,
    /// the check on acknowledgements — as opposed to any other error (a
    /// missing grant says "permission denied" and is not one).
    pub fn of(e: &postgres::Error) -> Option<Refusal> {
        let db = e.as_db_error()?;
        let code = db.code().code();
        let row = matches!(code, "23505" | "23000")
            || (code == "42501" && db.message().contains("row-level security"));
        row.then(|| Refusal {
            code: code.to_string(),
            table: db.table().map(str::to_string),
            constraint: db.constraint().map(str::to_string),
            message: db.message().to_string(),
            detail: db.detail().map(str::to_string),
        })
    }

    /// The alarm it means (`code` is the sending station's code, for the
    /// messages about stations).
    pub fn problem(&self, code: &str) -> Problem {
        let table = self.table.clone().unwrap_or_else(|| "?".into());
        match self.code.as_str() {
            "23505" => match (self.table.as_deref(), self.constraint.as_deref()) {
                (Some("stations"), Some(c)) if c.contains("code") => Problem::CodeTaken {
                    code: code.to_string(),
                },
                (Some("stations"), _) => Problem::UidTaken {
                    code: code.to_string(),
                },
                _ => Problem::Taken {
                    table,
                    id: self
                        .detail
                        .as_deref()
                        .and_then(key_value)
                        .unwrap_or_default(),
                },
            },
            "42501" => Problem::Denied {
                table: self
                    .message
                    .split('"')
                    .nth(1)
                    .map(str::to_string)
                    .unwrap_or(table),
            },
            _ => Problem::Ack {
                detail: self.message.clone(),
            },
        }
    }
}

/// `Key (id)=(T1) already exists.` → `T1`
fn key_value(detail: &str) -> Option<String> {
    let rest = detail.strip_prefix("Key (")?;
    let (_, rest) = rest.split_once(")=(")?;
    let end = rest.rfind(')')?;
    Some(rest[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(
        code: &str,
        table: Option<&str>,
        constraint: Option<&str>,
        message: &str,
        detail: Option<&str>,
    ) -> Refusal {
        Refusal {
            code: code.into(),
            table: table.map(Into::into),
            constraint: constraint.map(Into::into),
            message: message.into(),
            detail: detail.map(Into::into),
        }
    }

    #[test]
    fn a_duplicate_key_is_the_alarm_it_means() {
        let code_taken = refusal(
            "23505",
            Some("stations"),
            Some("stations_code_key"),
            "duplicate key value violates unique constraint \"stations_code_key\"",
            Some("Key (code)=(JS02) already exists."),
        );
        assert_eq!(
            code_taken.problem("JS02"),
            Problem::CodeTaken {
                code: "JS02".into()
            }
        );
        let uid = refusal(
            "23505",
            Some("stations"),
            Some("stations_uid_key"),
            "",
            None,
        );
        assert_eq!(
            uid.problem("JS02"),
            Problem::UidTaken {
                code: "JS02".into()
            }
        );
        let row = refusal(
            "23505",
            Some("transfers"),
            Some("transfers_id_key"),
            "",
            Some("Key (id)=(01J(X)) already exists."),
        );
        assert_eq!(
            row.problem("JS02"),
            Problem::Taken {
                table: "transfers".into(),
                id: "01J(X)".into()
            }
        );
    }

    #[test]
    fn a_policy_or_the_acknowledgement_check_is_an_alarm() {
        let rls = refusal(
            "42501",
            None,
            None,
            "new row violates row-level security policy for table \"records\"",
            None,
        );
        assert_eq!(
            rls.problem("JS02"),
            Problem::Denied {
                table: "records".into()
            }
        );
        let ack = refusal(
            "23000",
            None,
            None,
            "sync_acks: ledger seq 9 with that hash is not here",
            None,
        );
        assert!(matches!(ack.problem("JS02"), Problem::Ack { .. }));
    }
}
