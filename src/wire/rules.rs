//! The checks a batch goes through at headquarters, as pure functions: the
//! chains continue from headquarters' head, every row's hash matches its
//! contents, a row already there is the same row, a changing row (member,
//! request, dispute) never changes what is set once.

pub use super::problem::Problem;
use crate::domain::chain::GENESIS;
use crate::domain::time::Stamp;
use crate::wire::bundle::{ChainedAudit, ChainedTransfer, DisputeRow, Link, MemberRow, RequestRow};

/// The ledger or the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Chain {
    Ledger,
    Audit,
}

impl Chain {
    pub fn as_str(self) -> &'static str {
        match self {
            Chain::Ledger => "ledger",
            Chain::Audit => "audit",
        }
    }
}

/// The end of a chain: the last sequence number and its hash (0 and the
/// genesis hash before the first row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

impl Head {
    pub fn genesis() -> Head {
        Head {
            seq: 0,
            hash: GENESIS.to_string(),
        }
    }

    /// The first 12 characters of the hash, for people.
    pub fn short(&self) -> &str {
        &self.hash[..self.hash.len().min(12)]
    }
}

/// One position of a chain in a batch: a row with its contents, or (in a
/// bundle) only its hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos<'a> {
    pub seq: i64,
    pub prev: &'a str,
    pub hash: &'a str,
    pub content: bool,
}

/// Transfers in sequence order, each once; the same sequence number twice
/// with different contents is a conflict.
pub fn normalize_transfers(rows: &mut Vec<ChainedTransfer>) -> Result<(), Problem> {
    rows.sort_by_key(|r| r.seq);
    dedup_by_seq(rows, |r| r.seq, |r| r.row.id.clone(), "transfers")
}

/// Audit rows in sequence order, each once.
pub fn normalize_audit(rows: &mut Vec<ChainedAudit>) -> Result<(), Problem> {
    rows.sort_by_key(|r| r.seq);
    dedup_by_seq(rows, |r| r.seq, |r| r.row.uid.clone(), "audit")
}

fn dedup_by_seq<T: PartialEq>(
    rows: &mut Vec<T>,
    seq: impl Fn(&T) -> i64,
    id: impl Fn(&T) -> String,
    table: &'static str,
) -> Result<(), Problem> {
    for w in rows.windows(2) {
        if seq(&w[0]) == seq(&w[1]) && w[0] != w[1] {
            return Err(Problem::Conflict {
                table,
                id: id(&w[1]),
                field: format!("row at seq {} (twice in the batch)", seq(&w[1])),
            });
        }
    }
    rows.dedup();
    Ok(())
}

/// Every row's hash is the hash of its contents after its `prev_hash`.
pub fn check_hashes(transfers: &[ChainedTransfer], audit: &[ChainedAudit]) -> Result<(), Problem> {
    if let Some(t) = transfers
        .iter()
        .find(|t| t.row.hash(&t.prev_hash) != t.hash)
    {
        return Err(Problem::BadHash {
            chain: Chain::Ledger,
            seq: t.seq,
        });
    }
    if let Some(a) = audit.iter().find(|a| a.row.hash(&a.prev_hash) != a.hash) {
        return Err(Problem::BadHash {
            chain: Chain::Audit,
            seq: a.seq,
        });
    }
    Ok(())
}

/// The positions of one chain in a batch (rows and links), by sequence.
pub fn positions<'a>(
    chain: Chain,
    rows: impl Iterator<Item = (i64, &'a str, &'a str)>,
    links: &'a [Link],
) -> Vec<Pos<'a>> {
    let mut v: Vec<Pos<'a>> = rows
        .map(|(seq, prev, hash)| Pos {
            seq,
            prev,
            hash,
            content: true,
        })
        .collect();
    for l in links.iter().filter(|l| l.chain == chain.as_str()) {
        if !v.iter().any(|p| p.seq == l.seq) {
            v.push(Pos {
                seq: l.seq,
                prev: &l.prev_hash,
                hash: &l.hash,
                content: false,
            });
        }
    }
    v.sort_by_key(|p| p.seq);
    v
}

/// What a batch does to one chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainPlan {
    /// Positions headquarters has already: compare them with its rows.
    pub known: Vec<i64>,
    /// Positions headquarters has, named by a bundle's link (hashes only).
    pub known_links: Vec<i64>,
    /// Positions after the head, to insert, in order.
    pub new: Vec<i64>,
    /// The head after the batch.
    pub head: Head,
}

/// Check that the batch's positions of `chain` continue headquarters'
/// `head` without a gap or a fork: positions up to the head are known
/// (to be compared), the rest must follow it one by one, each linked to
/// the one before, each with its row (a bundle's link alone cannot be
/// stored). `positions` are sorted and unique.
pub fn plan_chain(chain: Chain, head: &Head, positions: &[Pos<'_>]) -> Result<ChainPlan, Problem> {
    let mut plan = ChainPlan {
        known: Vec::new(),
        known_links: Vec::new(),
        new: Vec::new(),
        head: head.clone(),
    };
    let mut before: Option<(i64, &str)> = None;
    for p in positions {
        if let Some((seq, hash)) = before
            && p.seq == seq + 1
            && p.prev != hash
        {
            return Err(Problem::Fork { chain, seq: p.seq });
        }
        before = Some((p.seq, p.hash));
        if p.seq <= head.seq {
            if p.seq == head.seq && p.hash != head.hash {
                return Err(Problem::Fork { chain, seq: p.seq });
            }
            if p.content {
                plan.known.push(p.seq);
            } else {
                plan.known_links.push(p.seq);
            }
            continue;
        }
        if p.seq != plan.head.seq + 1 {
            return Err(Problem::Gap {
                chain,
                head: plan.head.seq,
                next: p.seq,
            });
        }
        if p.prev != plan.head.hash {
            return Err(Problem::Fork { chain, seq: p.seq });
        }
        if !p.content {
            // the bundle knows this row only by its hashes
            return Err(Problem::Gap {
                chain,
                head: plan.head.seq,
                next: p.seq,
            });
        }
        plan.new.push(p.seq);
        plan.head = Head {
            seq: p.seq,
            hash: p.hash.to_string(),
        };
    }
    Ok(plan)
}

/// A row that changes at the station and is kept at headquarters as
/// versions, one per `updated_at`.
pub trait Versioned: PartialEq {
    const TABLE: &'static str;
    fn uid(&self) -> &str;
    fn updated_at(&self) -> Stamp;
    /// The first field that `newer` may not have changed from `self`
    /// (what is fixed, or set once and kept), if any.
    fn changed_fixed(&self, newer: &Self) -> Option<&'static str>;
}

/// Set once, then kept: the older value, when there is one, stays.
fn kept<T: PartialEq>(older: &Option<T>, newer: &Option<T>) -> bool {
    older.is_none() || older == newer
}

impl Versioned for MemberRow {
    const TABLE: &'static str = "members";
    fn uid(&self) -> &str {
        &self.uid
    }
    fn updated_at(&self) -> Stamp {
        self.updated_at
    }
    fn changed_fixed(&self, n: &Self) -> Option<&'static str> {
        if self.submitted_at != n.submitted_at {
            Some("submitted_at")
        } else if !kept(&self.number, &n.number) {
            Some("number")
        } else if !kept(&self.decided_at, &n.decided_at) {
            Some("decided_at")
        } else {
            None
        }
    }
}

impl Versioned for RequestRow {
    const TABLE: &'static str = "requests";
    fn uid(&self) -> &str {
        &self.uid
    }
    fn updated_at(&self) -> Stamp {
        self.updated_at
    }
    fn changed_fixed(&self, n: &Self) -> Option<&'static str> {
        if self.created_at != n.created_at {
            Some("created_at")
        } else if self.requester != n.requester {
            Some("requester")
        } else if self.urgent != n.urgent {
            Some("urgent")
        } else if !kept(&self.responded_at, &n.responded_at) {
            Some("responded_at")
        } else if !kept(&self.matched_at, &n.matched_at) {
            Some("matched_at")
        } else {
            None
        }
    }
}

impl Versioned for DisputeRow {
    const TABLE: &'static str = "disputes";
    fn uid(&self) -> &str {
        &self.uid
    }
    fn updated_at(&self) -> Stamp {
        self.updated_at
    }
    fn changed_fixed(&self, n: &Self) -> Option<&'static str> {
        if self.opened_at != n.opened_at {
            Some("opened_at")
        } else if self.kind != n.kind {
            Some("kind")
        } else if self.party_a != n.party_a
            || self.party_b != n.party_b
            || !kept(&self.merchant_ref, &n.merchant_ref)
        {
            Some("parties")
        } else if !kept(&self.decided_at, &n.decided_at) {
            Some("decided_at")
        } else {
            None
        }
    }
}

/// Whether a version is new at headquarters: `false` when the very same
/// version is there; a conflict when a version of the same time differs,
/// or when it changes what an earlier or later version fixed.
pub fn version_is_new<T: Versioned>(incoming: &T, existing: &[T]) -> Result<bool, Problem> {
    let conflict = |field: &str| Problem::Conflict {
        table: T::TABLE,
        id: incoming.uid().to_string(),
        field: field.to_string(),
    };
    for e in existing {
        if e.updated_at() == incoming.updated_at() {
            if e == incoming {
                return Ok(false);
            }
            return Err(conflict("content at the same updated_at"));
        }
    }
    for e in existing {
        let (older, newer) = if e.updated_at() < incoming.updated_at() {
            (e, incoming)
        } else {
            (incoming, e)
        };
        if let Some(field) = older.changed_fixed(newer) {
            return Err(conflict(field));
        }
    }
    Ok(true)
}

/// The window of `updated_at` a sync batch reads changing rows from,
/// `(lo, hi]`: from headquarters' mark (the latest audit time it has) to
/// the latest audit time in the batch — widened back to the batch's
/// earliest audit time, so that a change written while the station's clock
/// stood behind the mark still travels with its own audit row. Every
/// change at the station is written with an audit row of the same time.
pub fn change_window(mark: Option<Stamp>, audit_at: impl Iterator<Item = Stamp>) -> (Stamp, Stamp) {
    let (mut min, mut max) = (None::<Stamp>, None::<Stamp>);
    for at in audit_at {
        min = Some(min.map_or(at, |m| m.min(at)));
        max = Some(max.map_or(at, |m| m.max(at)));
    }
    let lo = match (mark, min) {
        (None, _) => Stamp::MIN,
        (Some(m), Some(first)) => m.min(first - 1),
        (Some(m), None) => m,
    };
    let hi = match (mark, max) {
        (Some(m), Some(last)) => m.max(last),
        (Some(m), None) => m,
        (None, Some(last)) => last,
        (None, None) => Stamp::MIN,
    };
    (lo, hi)
}

/// The station's settings as its audit log says they stood: each
/// `settings.set` row (key, new value) applied in order over the defaults,
/// read back the way the station reads its settings table.
pub fn settings_from_changes(
    changes: impl Iterator<Item = (String, serde_json::Value)>,
) -> crate::domain::station::Settings {
    let mut map = serde_json::Map::new();
    for (k, v) in changes {
        map.insert(k, v);
    }
    serde_json::from_value(serde_json::Value::Object(map)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(seq: i64, prev: &'static str, hash: &'static str) -> Pos<'static> {
        Pos {
            seq,
            prev,
            hash,
            content: true,
        }
    }

    fn head(seq: i64, hash: &str) -> Head {
        Head {
            seq,
            hash: hash.into(),
        }
    }

    #[test]
    fn a_chain_continues_from_the_head() {
        let p = [pos(3, "b", "c"), pos(4, "c", "d")];
        let plan = plan_chain(Chain::Ledger, &head(2, "b"), &p).unwrap();
        assert_eq!(plan.new, vec![3, 4]);
        assert!(plan.known.is_empty());
        assert_eq!(plan.head, head(4, "d"));
    }

    #[test]
    fn rows_up_to_the_head_are_known_and_compared() {
        let p = [pos(1, GENESIS_S, "a"), pos(2, "a", "b"), pos(3, "b", "c")];
        let plan = plan_chain(Chain::Audit, &head(2, "b"), &p).unwrap();
        assert_eq!(plan.known, vec![1, 2]);
        assert_eq!(plan.new, vec![3]);
        // the same batch again: everything known, nothing new
        let plan = plan_chain(Chain::Audit, &head(3, "c"), &p).unwrap();
        assert_eq!(plan.known, vec![1, 2, 3]);
        assert!(plan.new.is_empty());
    }

    const GENESIS_S: &str = "0";

    #[test]
    fn gaps_and_forks_are_refused() {
        let gap = plan_chain(Chain::Ledger, &head(2, "b"), &[pos(4, "c", "d")]);
        assert_eq!(
            gap,
            Err(Problem::Gap {
                chain: Chain::Ledger,
                head: 2,
                next: 4
            })
        );
        let fork = plan_chain(Chain::Ledger, &head(2, "b"), &[pos(3, "x", "c")]);
        assert_eq!(
            fork,
            Err(Problem::Fork {
                chain: Chain::Ledger,
                seq: 3
            })
        );
        // the head itself with another hash
        let fork = plan_chain(Chain::Ledger, &head(2, "b"), &[pos(2, "a", "z")]);
        assert!(matches!(fork, Err(Problem::Fork { seq: 2, .. })));
        // a break inside the batch
        let inner = plan_chain(
            Chain::Ledger,
            &head(0, "g"),
            &[pos(1, "g", "a"), pos(2, "q", "b")],
        );
        assert!(matches!(inner, Err(Problem::Fork { seq: 2, .. })));
        // a bundle's link cannot stand in for a row headquarters lacks
        let link = Pos {
            content: false,
            ..pos(3, "b", "c")
        };
        assert!(matches!(
            plan_chain(Chain::Ledger, &head(2, "b"), &[link]),
            Err(Problem::Gap { next: 3, .. })
        ));
        // …but may name one it has
        let link = Pos {
            content: false,
            ..pos(2, "a", "b")
        };
        let plan = plan_chain(Chain::Ledger, &head(2, "b"), &[link, pos(3, "b", "c")]).unwrap();
        assert!(plan.known.is_empty());
        assert_eq!(plan.known_links, vec![2]);
        assert_eq!(plan.new, vec![3]);
    }

    fn request(updated_at: Stamp, state: &str, responded: Option<Stamp>) -> RequestRow {
        RequestRow {
            uid: "R1".into(),
            requester: "M1".into(),
            type_code: "chat".into(),
            urgent: false,
            state: state.into(),
            helper: None,
            created_at: 100,
            responded_at: responded,
            matched_at: None,
            closed_at: None,
            updated_at,
        }
    }

    #[test]
    fn versions_may_move_on_but_not_rewrite_what_was_fixed() {
        let v1 = request(100, "new", None);
        let v2 = request(200, "responded", Some(200));
        assert_eq!(version_is_new(&v1, &[]), Ok(true));
        assert_eq!(version_is_new(&v2, std::slice::from_ref(&v1)), Ok(true));
        assert_eq!(version_is_new(&v2, &[v1.clone(), v2.clone()]), Ok(false));
        // an older version arriving late (a bundle after the sync) is fine
        assert_eq!(version_is_new(&v1, std::slice::from_ref(&v2)), Ok(true));
        // the same time, other content
        let forged = request(200, "done", Some(200));
        assert!(matches!(
            version_is_new(&forged, std::slice::from_ref(&v2)),
            Err(Problem::Conflict { .. })
        ));
        // the response time rewritten by a later version
        let v3 = request(300, "matched", Some(250));
        assert_eq!(
            version_is_new(&v3, &[v1, v2]),
            Err(Problem::Conflict {
                table: "requests",
                id: "R1".into(),
                field: "responded_at".into()
            })
        );
        let moved = RequestRow {
            created_at: 99,
            ..request(400, "new", None)
        };
        assert!(matches!(
            version_is_new(&moved, &[request(100, "new", None)]),
            Err(Problem::Conflict { field, .. }) if field == "created_at"
        ));
    }

    #[test]
    fn the_change_window_follows_the_audit_times() {
        // first sync: everything up to the batch's last audit time
        assert_eq!(change_window(None, [5, 9].into_iter()), (Stamp::MIN, 9));
        // later: from the mark
        assert_eq!(change_window(Some(9), [12, 15].into_iter()), (9, 15));
        // a clock set back: the window opens back to the batch's first row
        assert_eq!(change_window(Some(20), [12, 25].into_iter()), (11, 25));
        // no audit rows: an empty window
        assert_eq!(change_window(Some(20), std::iter::empty()), (20, 20));
    }

    #[test]
    fn settings_follow_their_audited_changes() {
        let s = settings_from_changes(
            [
                ("respond_minutes".to_string(), serde_json::json!(30)),
                ("respond_minutes".to_string(), serde_json::json!(45)),
            ]
            .into_iter(),
        );
        assert_eq!(s.respond_minutes, 45);
        assert_eq!(s.urgent_respond_minutes, 5);
    }
}
