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
/// or a list too long to hold at once). Small fields are gathered in a
/// block on the stack and given to blake3 a block at a time: hashing a
/// million rows of twenty short columns is then mostly hashing, not calls.
pub struct Hasher {
    h: blake3::Hasher,
    buf: [u8; BLOCK],
    len: usize,
}

const BLOCK: usize = 1024;

impl Hasher {
    pub fn new(domain: &str) -> Hasher {
        let mut h = Hasher {
            h: blake3::Hasher::new(),
            buf: [0; BLOCK],
            len: 0,
        };
        h.text(domain);
        h
    }

    /// Start again with `domain` (a loop over rows).
    pub fn reset(&mut self, domain: &str) {
        self.h.reset();
        self.len = 0;
        self.text(domain);
    }

    fn flush(&mut self) {
        self.h.update(&self.buf[..self.len]);
        self.len = 0;
    }

    fn put(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() > BLOCK {
            self.flush();
        }
        if bytes.len() > BLOCK {
            self.h.update(bytes);
        } else {
            self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
        }
    }

    fn tagged(&mut self, tag: u8, bytes: &[u8]) {
        self.put(&[tag]);
        self.put(&(bytes.len() as u64).to_le_bytes());
        self.put(bytes);
    }

    pub fn text(&mut self, s: &str) {
        self.tagged(b't', s.as_bytes());
    }

    pub fn field(&mut self, f: &Field<'_>) {
        match f {
            Field::Text(s) => self.text(s),
            Field::Int(v) => {
                self.put(b"i");
                self.put(&v.to_le_bytes());
            }
            Field::Null => self.put(b"n"),
            Field::Bytes(b) => self.tagged(b'b', b),
        }
    }

    pub fn bytes(&mut self) -> [u8; 32] {
        self.flush();
        *self.h.finalize().as_bytes()
    }

    pub fn hex(&mut self) -> String {
        self.flush();
        self.h.finalize().to_hex().to_string()
    }

    /// Whether the hash is `hex` (a check in a loop: no string is made).
    pub fn matches_hex(&mut self, hex: &str) -> bool {
        self.flush();
        self.h.finalize().to_hex().as_str() == hex
    }
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

    /// Gathering fields in blocks changes nothing: the hash is blake3 over
    /// the plain encoding, whatever the sizes.
    #[test]
    fn blocks_do_not_change_the_hash() {
        let long = "长".repeat(700);
        let mut h = Hasher::new("d");
        let mut plain = Vec::new();
        let enc = |v: &mut Vec<u8>, tag: u8, b: &[u8]| {
            v.push(tag);
            v.extend_from_slice(&(b.len() as u64).to_le_bytes());
            v.extend_from_slice(b);
        };
        enc(&mut plain, b't', b"d");
        for i in 0..300 {
            h.field(&Field::Int(i));
            plain.push(b'i');
            plain.extend_from_slice(&i.to_le_bytes());
            h.text(&long[..(i as usize % 7) * 3]);
            enc(&mut plain, b't', &long.as_bytes()[..(i as usize % 7) * 3]);
        }
        h.text(&long);
        enc(&mut plain, b't', long.as_bytes());
        assert_eq!(h.bytes(), *blake3::hash(&plain).as_bytes());
    }

    #[test]
    fn prev_and_domain_are_covered() {
        let a = row_hash("ledger", GENESIS, &[Field::Int(1)]);
        assert_ne!(a, row_hash("audit", GENESIS, &[Field::Int(1)]));
        assert_ne!(a, row_hash("ledger", &a, &[Field::Int(1)]));
        assert_eq!(a.len(), 64);
    }
}
