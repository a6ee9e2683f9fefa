//! SHA-256 as Pinterest wants it (lower-case hex of the UTF-8 bytes), and recognition of
//! values that are already digests.

use sha2::{Digest as _, Sha256};

/// Lower-case hex SHA-256 of the UTF-8 bytes of `text`.
pub fn sha256_hex(text: &str) -> String {
    to_hex(&Sha256::digest(text.as_bytes()))
}

/// Lower-case hex MD5 of `text`. Pinterest never wants MD5; the hash checker uses it to
/// recognize a setup that sends MD5 by mistake.
pub fn md5_hex(text: &str) -> String {
    to_hex(&md5::Md5::digest(text.as_bytes()))
}

/// Lower-case hex SHA-1 of `text`, for the same reason as [`md5_hex`].
pub fn sha1_hex(text: &str) -> String {
    to_hex(&sha1::Sha1::digest(text.as_bytes()))
}

fn to_hex(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    hex
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// What a string looks like, as far as digests go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigestShape {
    /// 64 hex characters: a SHA-256 (any case).
    Sha256,

    /// 32 hex characters: probably MD5.
    Md5,

    /// 40 hex characters: probably SHA-1.
    Sha1,

    /// Anything else.
    NotADigest,
}

/// Classifies `text` (already trimmed) by length and alphabet.
pub fn digest_shape(text: &str) -> DigestShape {
    if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return DigestShape::NotADigest;
    }
    match text.len() {
        64 => DigestShape::Sha256,
        32 => DigestShape::Md5,
        40 => DigestShape::Sha1,
        _ => DigestShape::NotADigest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_like_sha256sum() {
        // printf '%s' 'test.user@example.com' | sha256sum
        assert_eq!(
            sha256_hex("test.user@example.com"),
            "a97d7a4513204a9cc7cb2f11d72d41a59b18d1ba633d22e58d53c625518f5203"
        );
        // printf '' | sha256sum
        assert_eq!(
            sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // printf '%s' 'test.user@example.com' | md5sum ; … | sha1sum
        assert_eq!(
            md5_hex("test.user@example.com"),
            "a775546e5a4e4ac660cd78a61cd90bb3"
        );
        assert_eq!(
            sha1_hex("test.user@example.com"),
            "841944417d25cce59d02caab620e3b5e94ee0ca1"
        );
    }

    #[test]
    fn recognizes_digest_shapes() {
        assert_eq!(digest_shape(&"A".repeat(64)), DigestShape::Sha256);
        assert_eq!(digest_shape(&"a".repeat(32)), DigestShape::Md5);
        assert_eq!(digest_shape(&"0".repeat(40)), DigestShape::Sha1);
        assert_eq!(digest_shape(&"g".repeat(64)), DigestShape::NotADigest);
        assert_eq!(digest_shape("abc"), DigestShape::NotADigest);
    }
}
