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
    /// Raw bytes (a content hash kept as a blob).
    Bytes(&'a [u8]),
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
    let mut h = Hasher::new(domain);
    h.text(prev);
    for f in fields {
        h.field(f);
    }
    h.hex()
}

/// The same encoding, fed one field at a time (a row read column by column,
/// or a list too long to hold at once).
pub struct Hasher(blake3::Hasher);

impl Hasher {
    pub fn new(domain: &str) -> Hasher {
        let mut h = Hasher(blake3::Hasher::new());
        h.text(domain);
        h
    }

    pub fn text(&mut self, s: &str) {
        put_text(&mut self.0, s);
    }

    pub fn field(&mut self, f: &Field<'_>) {
        let h = &mut self.0;
        match f {
            Field::Text(s) => put_text(h, s),
            Field::Int(v) => {
                h.update(b"i");
                h.update(&v.to_le_bytes());
            }
            Field::Null => {
                h.update(b"n");
            }
            Field::Bytes(b) => {
                h.update(b"b");
                h.update(&(b.len() as u64).to_le_bytes());
                h.update(b);
            }
        }
    }

    pub fn bytes(&self) -> [u8; 32] {
        *self.0.finalize().as_bytes()
    }

    pub fn hex(&self) -> String {
        self.0.finalize().to_hex().to_string()
    }
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
    fn bytes_differ_from_the_same_text() {
        let b = row_hash("x", GENESIS, &[Field::Bytes(b"ab")]);
        assert_ne!(b, row_hash("x", GENESIS, &[Field::Text("ab")]));
        let mut h = Hasher::new("x");
        h.text(GENESIS);
        h.field(&Field::Bytes(b"ab"));
        assert_eq!(h.hex(), b);
    }

    #[test]
    fn prev_and_domain_are_covered() {
        let a = row_hash("ledger", GENESIS, &[Field::Int(1)]);
        assert_ne!(a, row_hash("audit", GENESIS, &[Field::Int(1)]));
        assert_ne!(a, row_hash("ledger", &a, &[Field::Int(1)]));
        assert_eq!(a.len(), 64);
    }
}
