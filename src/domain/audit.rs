//! One audit row and its place in the hash chain: what the station's log,
//! a day bundle and headquarters all hash the same way, so it sits below
//! the store and the wire formats.

use crate::domain::chain::{self, Field};
use crate::domain::time::Stamp;
use serde::{Deserialize, Serialize};

const DOMAIN: &str = "audit/v1";

/// An audit row as stored (without its chain links).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub uid: String,
    pub at: Stamp,
    pub staff_id: Option<i64>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub detail: String,
}

impl AuditRow {
    /// The row's hash given the previous row's.
    pub fn hash(&self, prev: &str) -> String {
        let mut h = chain::Hasher::new(DOMAIN);
        self.borrowed().feed(&mut h, prev);
        h.hex()
    }

    /// The row borrowed, as [`RowRef`] hashes it.
    pub fn borrowed(&self) -> RowRef<'_> {
        RowRef {
            uid: &self.uid,
            at: self.at,
            staff_id: self.staff_id,
            action: &self.action,
            entity: &self.entity,
            entity_id: self.entity_id.as_deref(),
            detail: &self.detail,
        }
    }
}

/// An audit row's fields borrowed from where they lie (a row of a query):
/// `verify` hashes two million of them, with no string made for any.
#[derive(Debug, Clone, Copy)]
pub struct RowRef<'a> {
    pub uid: &'a str,
    pub at: Stamp,
    pub staff_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<&'a str>,
    pub detail: &'a str,
}

impl RowRef<'_> {
    fn feed(&self, h: &mut chain::Hasher, prev: &str) {
        h.text(prev);
        for f in [
            Field::Text(self.uid),
            Field::Int(self.at),
            self.staff_id.into(),
            Field::Text(self.action),
            Field::Text(self.entity),
            self.entity_id.into(),
            Field::Text(self.detail),
        ] {
            h.field(&f);
        }
    }

    /// Whether the row, linked to `prev`, hashes to `stored` (hex); `h` is
    /// reused from row to row.
    pub fn hashes_to(&self, h: &mut chain::Hasher, prev: &str, stored: &str) -> bool {
        h.reset(DOMAIN);
        self.feed(h, prev);
        h.matches_hex(stored)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::chain::GENESIS;

    fn row() -> AuditRow {
        AuditRow {
            uid: "u1".into(),
            at: 1_700_000_000,
            staff_id: Some(1),
            action: "member.add".into(),
            entity: "member".into(),
            entity_id: Some("7".into()),
            detail: "{}".into(),
        }
    }

    #[test]
    fn the_hash_depends_on_every_field_and_the_link() {
        let base = row().hash(GENESIS);
        assert_eq!(base, row().hash(GENESIS), "the same row hashes the same");
        assert_ne!(
            base,
            row().hash("other"),
            "the link to the previous row counts"
        );
        let changed: Vec<AuditRow> = vec![
            AuditRow {
                uid: "u2".into(),
                ..row()
            },
            AuditRow {
                at: 1_700_000_001,
                ..row()
            },
            AuditRow {
                staff_id: None,
                ..row()
            },
            AuditRow {
                action: "member.edit".into(),
                ..row()
            },
            AuditRow {
                entity: "request".into(),
                ..row()
            },
            AuditRow {
                entity_id: None,
                ..row()
            },
            AuditRow {
                detail: "{\"a\":1}".into(),
                ..row()
            },
        ];
        for other in changed {
            assert_ne!(base, other.hash(GENESIS), "{other:?}");
        }
    }

    #[test]
    fn a_borrowed_row_hashes_as_the_row_does() {
        let mut h = chain::Hasher::new("anything");
        for r in [
            row(),
            AuditRow {
                staff_id: None,
                entity_id: None,
                ..row()
            },
        ] {
            let want = r.hash(GENESIS);
            assert_eq!(
                want,
                chain::row_hash(
                    DOMAIN,
                    GENESIS,
                    &[
                        Field::Text(&r.uid),
                        Field::Int(r.at),
                        r.staff_id.into(),
                        Field::Text(&r.action),
                        Field::Text(&r.entity),
                        r.entity_id.as_deref().into(),
                        Field::Text(&r.detail),
                    ],
                ),
                "the encoding is the chain's"
            );
            assert!(r.borrowed().hashes_to(&mut h, GENESIS, &want));
            assert!(!r.borrowed().hashes_to(&mut h, "other", &want));
        }
    }

    #[test]
    fn an_absent_entity_id_differs_from_an_empty_one() {
        let none = AuditRow {
            entity_id: None,
            ..row()
        };
        let empty = AuditRow {
            entity_id: Some(String::new()),
            ..row()
        };
        assert_ne!(none.hash(GENESIS), empty.hash(GENESIS));
    }
}
