//! Why headquarters refuses a batch: each refusal is an alarm, recorded at
//! headquarters and told to the station in its language. The alarms are part
//! of the wire between a station and headquarters; PostgreSQL's own refusals
//! are turned into them in `crate::hq::problem`.

use super::rules::Chain;
use crate::msg;
use crate::msg::Msg;

/// Why a batch is refused. Nothing of it is applied; the alarm is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A row headquarters has, by this id, with other content.
    Conflict {
        table: &'static str,
        id: String,
        field: String,
    },
    /// The batch's rows of a chain do not start right after headquarters' head.
    Gap { chain: Chain, head: i64, next: i64 },
    /// The chain at `seq` does not continue the one headquarters has.
    Fork { chain: Chain, seq: i64 },
    /// A row's hash does not match its contents (changed after it was written).
    BadHash { chain: Chain, seq: i64 },
    /// The station has less of a chain than headquarters (restored from an
    /// older backup?): `station` is its last sequence number.
    Behind { chain: Chain, station: i64, hq: i64 },
    /// The station's uid or code clashes with another station's.
    Station { detail: String },
    /// A day summary whose chain heads are not the ones headquarters has.
    Summary { day: String, version: u32 },
    /// A bundle that fails its own check.
    Bundle { detail: String },
    /// Headquarters has not assigned this code to the role that syncs (it
    /// may be another role's: the role cannot see which).
    NotAssigned { code: String, role: String },
    /// The code is registered to a station of another role.
    CodeTaken { code: String },
    /// The station (its uid) is registered under a code this role may not use.
    UidTaken { code: String },
    /// A row whose global id headquarters has as a row this role cannot see.
    Taken { table: String, id: String },
    /// The station is not registered at headquarters (a bundle of a
    /// station that never synced).
    Unregistered { code: String },
    /// The station was registered before stations had keys.
    NoKey { code: String },
    /// A bundle without a signature.
    Unsigned,
    /// Signed with another key than the one registered for the station.
    Key {
        code: String,
        registered: String,
        got: String,
    },
    /// Row-level security refused a row: another station's.
    Denied { table: String },
    /// Headquarters' check refused an acknowledgement (its heads are not
    /// there, or it goes back).
    Ack { detail: String },
}

/// The first 12 characters of a key or hash, for people.
fn short(s: &str) -> &str {
    &s[..s.len().min(12)]
}

impl Problem {
    /// A short word for the alarm table.
    pub fn kind(&self) -> &'static str {
        match self {
            Problem::Conflict { .. } | Problem::Taken { .. } => "conflict",
            Problem::Gap { .. } => "gap",
            Problem::Fork { .. } => "fork",
            Problem::BadHash { .. } => "hash",
            Problem::Behind { .. } => "behind",
            Problem::Station { .. } | Problem::CodeTaken { .. } | Problem::UidTaken { .. } => {
                "station"
            }
            Problem::Summary { .. } => "summary",
            Problem::Bundle { .. } => "bundle",
            Problem::NotAssigned { .. } | Problem::Denied { .. } => "access",
            Problem::Unregistered { .. } | Problem::NoKey { .. } => "unregistered",
            Problem::Unsigned => "unsigned",
            Problem::Key { .. } => "key",
            Problem::Ack { .. } => "ack",
        }
    }

    pub fn msg(&self) -> Msg {
        match self {
            Problem::Conflict { table, id, field } => {
                msg!("hq.problem.conflict", table = table, id = id, field = field)
            }
            Problem::Gap { chain, head, next } => msg!(
                "hq.problem.gap",
                chain = chain.as_str(),
                head = head,
                next = next
            ),
            Problem::Fork { chain, seq } => {
                msg!("hq.problem.fork", chain = chain.as_str(), seq = seq)
            }
            Problem::BadHash { chain, seq } => {
                msg!("hq.problem.hash", chain = chain.as_str(), seq = seq)
            }
            Problem::Behind { chain, station, hq } => msg!(
                "hq.problem.behind",
                chain = chain.as_str(),
                station = station,
                hq = hq
            ),
            Problem::Station { detail } => msg!("hq.problem.station", detail = detail),
            Problem::Summary { day, version } => {
                msg!("hq.problem.summary", day = day, version = version)
            }
            Problem::Bundle { detail } => msg!("hq.problem.bundle", detail = detail),
            Problem::NotAssigned { code, role } => {
                msg!("hq.problem.not_assigned", code = code, role = role)
            }
            Problem::CodeTaken { code } => msg!("hq.problem.code_taken", code = code),
            Problem::UidTaken { code } => msg!("hq.problem.uid_taken", code = code),
            Problem::Taken { table, id } => msg!("hq.problem.taken", table = table, id = id),
            Problem::Unregistered { code } => msg!("hq.problem.unregistered", code = code),
            Problem::NoKey { code } => msg!("hq.problem.no_key", code = code),
            Problem::Unsigned => msg!("hq.problem.unsigned"),
            Problem::Key {
                code,
                registered,
                got,
            } => msg!(
                "hq.problem.key",
                code = code,
                registered = short(registered),
                got = short(got)
            ),
            Problem::Denied { table } => msg!("hq.problem.denied", table = table),
            Problem::Ack { detail } => msg!("hq.problem.ack", detail = detail),
        }
    }
}

impl std::fmt::Display for Problem {
    /// The alarm's text as stored at headquarters (English, for the log).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Conflict { table, id, field } => write!(
                f,
                "{table} {id}: headquarters has this row with a different {field}"
            ),
            Problem::Gap { chain, head, next } => write!(
                f,
                "{} chain: headquarters' head is seq {head}, the batch continues at seq {next}",
                chain.as_str()
            ),
            Problem::Fork { chain, seq } => write!(
                f,
                "{} chain seq {seq}: does not continue headquarters' chain (fork)",
                chain.as_str()
            ),
            Problem::BadHash { chain, seq } => write!(
                f,
                "{} chain seq {seq}: the hash does not match the row's contents",
                chain.as_str()
            ),
            Problem::Behind { chain, station, hq } => write!(
                f,
                "{} chain: the station ends at seq {station}, headquarters has up to seq {hq}",
                chain.as_str()
            ),
            Problem::Station { detail } => write!(f, "station: {detail}"),
            Problem::Summary { day, version } => write!(
                f,
                "day summary {day} v{version}: its chain heads are not headquarters' rows"
            ),
            Problem::Bundle { detail } => write!(f, "bundle: {detail}"),
            Problem::NotAssigned { code, role } => write!(
                f,
                "station code {code} is not assigned to the role {role} (another role's, or not assigned)"
            ),
            Problem::CodeTaken { code } => {
                write!(f, "station code {code} is registered to another role")
            }
            Problem::UidTaken { code } => write!(
                f,
                "the station sending as {code} is registered under a code of another role"
            ),
            Problem::Taken { table, id } => write!(
                f,
                "{table} {id}: the id is taken by a row of another station"
            ),
            Problem::Unregistered { code } => {
                write!(f, "station {code} is not registered at headquarters")
            }
            Problem::NoKey { code } => {
                write!(f, "station {code} has no signing key at headquarters")
            }
            Problem::Unsigned => write!(f, "the bundle is not signed"),
            Problem::Key {
                code,
                registered,
                got,
            } => write!(
                f,
                "station {code} signs with key {got}, headquarters has {registered} registered"
            ),
            Problem::Denied { table } => write!(
                f,
                "{table}: row-level security refused a row of a station this role may not write"
            ),
            Problem::Ack { detail } => write!(f, "acknowledgement refused: {detail}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alarm_has_its_message_in_both_languages() {
        let all = [
            Problem::NotAssigned {
                code: "JS02".into(),
                role: "r".into(),
            },
            Problem::CodeTaken {
                code: "JS02".into(),
            },
            Problem::UidTaken {
                code: "JS02".into(),
            },
            Problem::Taken {
                table: "records".into(),
                id: "x".into(),
            },
            Problem::Unregistered {
                code: "JS02".into(),
            },
            Problem::NoKey {
                code: "JS02".into(),
            },
            Problem::Unsigned,
            Problem::Key {
                code: "JS02".into(),
                registered: "a".repeat(64),
                got: "b".repeat(64),
            },
            Problem::Denied {
                table: "records".into(),
            },
            Problem::Ack { detail: "x".into() },
        ];
        for p in all {
            for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Zh] {
                let text = crate::i18n::Tr::new(lang).msg(&p.msg());
                assert!(!text.contains("hq.problem"), "{lang:?}: {text}");
                assert!(!text.contains('{'), "{lang:?}: {text}");
            }
        }
    }
}
