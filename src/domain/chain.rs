//! Hash chains for the ledger and the audit log.
//!
//! Each row's hash covers a canonical encoding of its fields and the previous
//! row's hash, so editing, removing or reordering any stored row breaks every
//! hash after it. The encoding is length-prefixed, so no choice of field
//! contents can make two different rows encode the same.

/// The hash before the first row of a chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One field of a row, as it goes into the hash.
pub enum Field<'a> {
    Text(&'a str),
    Int(i64),
    Null,
}

impl<'a> From<&'a str> for Field<'a> {
    fn from(s: &'a str) -> Self {
        Field::Text(s)
    }
}

impl<'a> From<&'a String> for Field<'a> {
    fn from(s: &'a String) -> Self {
        Field::Text(s)
    }
}

impl From<i64> for Field<'_> {
    fn from(v: i64) -> Self {
        Field::Int(v)
    }
}

impl<'a, T: Into<Field<'a>>> From<Option<T>> for Field<'a> {
    fn from(v: Option<T>) -> Self {
        v.map(Into::into).unwrap_or(Field::Null)
    }
}

/// blake3 over `domain ‖ prev ‖ fields…`, each part tagged and length-prefixed.
/// `domain` keeps a ledger row from ever hashing like an audit row.
pub fn row_hash(domain: &str, prev: &str, fields: &[Field<'_>]) -> String {
    let mut h = blake3::Hasher::new();
    put_text(&mut h, domain);
    put_text(&mut h, prev);
    for f in fields {
        match f {
            Field::Text(s) => put_text(&mut h, s),
            Field::Int(v) => {
                h.update(b"i");
                h.update(&v.to_le_bytes());
            }
            Field::Null => {
                h.update(b"n");
            }
        }
    }
    h.finalize().to_hex().to_string()
}

fn put_text(h: &mut blake3::Hasher, s: &str) {
    h.update(b"t");
    h.update(&(s.len() as u64).to_le_bytes());
    h.update(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_between_fields_matter() {
        let a = row_hash("x", GENESIS, &[Field::Text("ab"), Field::Text("c")]);
        let b = row_hash("x", GENESIS, &[Field::Text("a"), Field::Text("bc")]);
        assert_ne!(a, b);
    }

    #[test]
    fn null_differs_from_empty_and_zero() {
        let n = row_hash("x", GENESIS, &[Field::Null]);
        let e = row_hash("x", GENESIS, &[Field::Text("")]);
        let z = row_hash("x", GENESIS, &[Field::Int(0)]);
        assert_ne!(n, e);
        assert_ne!(n, z);
        assert_ne!(e, z);
    }

    #[test]
    fn prev_and_domain_are_covered() {
        let a = row_hash("ledger", GENESIS, &[Field::Int(1)]);
        assert_ne!(a, row_hash("audit", GENESIS, &[Field::Int(1)]));
        assert_ne!(a, row_hash("ledger", &a, &[Field::Int(1)]));
        assert_eq!(a.len(), 64);
    }
}
