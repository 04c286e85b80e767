//! RFC 3986 percent-encoding and the query/form strings built from it.
//!
//! Alibaba Cloud signs with one encoding rule (`enc`): take the UTF-8 bytes, keep the RFC 3986
//! unreserved characters `A-Z a-z 0-9 - _ . ~`, and write every other byte as `%` followed by two
//! **uppercase** hex digits. A space becomes `%20` (never `+`), `*` becomes `%2A`, `~` is kept.
//! The one exception is the form body ([`form_body`]), which writes a space as `+` like the SDK.
//!
//! Sorting is always by the raw (unencoded) key, bytewise, so `Tag.10` sorts before `Tag.2`
//! (`'1'` < `'2'`) and `A-Z` < `_` < `a-z`. Sorts are stable: pairs sharing a key keep their
//! relative order. Empty values are kept (`Key=`).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Every byte except the RFC 3986 unreserved set (`A-Z a-z 0-9 - _ . ~`) is percent-encoded.
pub const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes `s` with the RFC 3986 rule used by Alibaba Cloud signatures.
///
/// ```
/// use alibabacloud_core::signing::encode::percent_encode;
/// assert_eq!(percent_encode("a b*c~/"), "a%20b%2Ac~%2F");
/// ```
pub fn percent_encode(s: &str) -> String {
    utf8_percent_encode(s, RFC3986).to_string()
}

/// Returns references to `pairs` sorted bytewise by raw key (stable for duplicate keys).
fn sorted(pairs: &[(String, String)]) -> Vec<&(String, String)> {
    let mut refs: Vec<&(String, String)> = pairs.iter().collect();
    refs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    refs
}

/// Joins `enc(key)=enc(value)` pairs with `&`, in the order given.
fn join<'a>(pairs: impl IntoIterator<Item = &'a (String, String)>) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.extend(utf8_percent_encode(k, RFC3986));
        out.push('=');
        out.extend(utf8_percent_encode(v, RFC3986));
    }
    out
}

/// The canonical query string: pairs sorted bytewise by raw key (stable), then
/// `enc(key)=enc(value)` joined with `&`. Empty values are kept as `key=`; no pairs → `""`.
///
/// This is the V1 canonicalized query string and the V3 `CanonicalQueryString`.
pub fn canonical_query_string(pairs: &[(String, String)]) -> String {
    join(sorted(pairs))
}

/// The query string for the request URL: pairs in the order given (wire order), encoded with
/// the same RFC 3986 rule (`%20` for space). The server decodes `%20` and `+` alike, so this is
/// equivalent to the official SDK's `quote_plus` output.
pub fn query_string(pairs: &[(String, String)]) -> String {
    join(pairs)
}

/// An `application/x-www-form-urlencoded` body: pairs sorted bytewise by key (stable), RFC 3986
/// encoded, joined with `&`, except that a space is written `+`, as the official SDK's form
/// encoder (Python `urlencode`, i.e. `quote_plus`) writes it. V3 hashes these exact bytes, so
/// they must equal what the SDK would send; a literal `+` is still `%2B`.
///
/// ```
/// use alibabacloud_core::signing::encode::form_body;
/// let pairs = [("b".to_owned(), "x y+*~".to_owned()), ("a".to_owned(), "1".to_owned())];
/// assert_eq!(form_body(&pairs), "a=1&b=x+y%2B%2A~");
/// ```
pub fn form_body(pairs: &[(String, String)]) -> String {
    // In RFC 3986 output every `%` starts an escape, so `%20` occurs only where a space was.
    join(sorted(pairs)).replace("%20", "+")
}

/// Splits a query string or a form body (`a=1&b=x+y%2Fz`) into decoded pairs, as a server
/// reads them: `+` is a space, `%XX` escapes are decoded (bytes that are not UTF-8 become
/// U+FFFD), empty pieces are skipped and a key without `=` has the value `""`. The inverse
/// of [`query_string`] and [`form_body`].
///
/// ```
/// use alibabacloud_core::signing::encode::parse_pairs;
/// let pairs = parse_pairs("a=1&b=x+y%2Bz&&c");
/// assert_eq!(pairs, [("a".into(), "1".into()), ("b".into(), "x y+z".into()), ("c".into(), String::new())]);
/// ```
pub fn parse_pairs(text: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let spaced = s.replace('+', " ");
        percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
    };
    text.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            (decode(k), decode(v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn space_is_percent_20() {
        assert_eq!(percent_encode(" a  b "), "%20a%20%20b%20");
    }

    #[test]
    fn tilde_kept_unreserved_kept() {
        assert_eq!(percent_encode("~"), "~");
        assert_eq!(
            percent_encode("AZaz09-_.~"),
            "AZaz09-_.~",
            "unreserved characters must pass through"
        );
    }

    #[test]
    fn star_and_reserved_encoded() {
        assert_eq!(percent_encode("*"), "%2A");
        assert_eq!(
            percent_encode("~*'()!+=&/:;%"),
            "~%2A%27%28%29%21%2B%3D%26%2F%3A%3B%25"
        );
    }

    #[test]
    fn uppercase_hex() {
        assert_eq!(percent_encode("\u{1f}\u{7f}?"), "%1F%7F%3F");
        assert_eq!(percent_encode("é"), "%C3%A9");
    }

    #[test]
    fn utf8_multibyte() {
        // 3-byte (CJK) and 4-byte (emoji) sequences are encoded byte by byte.
        assert_eq!(percent_encode("证书"), "%E8%AF%81%E4%B9%A6");
        assert_eq!(percent_encode("😀"), "%F0%9F%98%80");
    }

    #[test]
    fn tag_10_sorts_before_tag_2() {
        let pairs = p(&[("Tag.2.Key", "b"), ("Tag.10.Key", "a"), ("Tag.1.Key", "c")]);
        assert_eq!(
            canonical_query_string(&pairs),
            "Tag.1.Key=c&Tag.10.Key=a&Tag.2.Key=b"
        );
        assert_eq!(form_body(&pairs), "Tag.1.Key=c&Tag.10.Key=a&Tag.2.Key=b");
    }

    #[test]
    fn form_body_writes_space_as_plus() {
        let pairs = p(&[("K y", "a b%20c+d")]);
        assert_eq!(form_body(&pairs), "K+y=a+b%2520c%2Bd");
        assert_eq!(canonical_query_string(&pairs), "K%20y=a%20b%2520c%2Bd");
    }

    #[test]
    fn bytewise_case_sensitive_sort() {
        let pairs = p(&[
            ("b", "1"),
            ("B", "2"),
            ("a", "3"),
            ("A", "4"),
            ("_u", "5"),
            ("a.b", "6"),
            ("a1", "7"),
        ]);
        assert_eq!(
            canonical_query_string(&pairs),
            "A=4&B=2&_u=5&a=3&a.b=6&a1=7&b=1"
        );
    }

    #[test]
    fn sort_is_stable_for_duplicate_keys() {
        let pairs = p(&[("K", "2"), ("A", "x"), ("K", "1")]);
        assert_eq!(canonical_query_string(&pairs), "A=x&K=2&K=1");
    }

    #[test]
    fn empty_value_kept() {
        let pairs = p(&[("Keyword", ""), ("A", "1")]);
        assert_eq!(canonical_query_string(&pairs), "A=1&Keyword=");
        assert_eq!(query_string(&pairs), "Keyword=&A=1");
        assert_eq!(canonical_query_string(&[]), "");
    }

    #[test]
    fn query_string_keeps_wire_order() {
        let pairs = p(&[("Z", "a b"), ("A", "c/d")]);
        assert_eq!(query_string(&pairs), "Z=a%20b&A=c%2Fd");
    }

    #[test]
    fn parsing_undoes_both_encodings() {
        let pairs = p(&[("K y", "a b%20c+d"), ("证书", "*~/"), ("Empty", "")]);
        assert_eq!(
            parse_pairs(&form_body(&pairs)),
            sorted(&pairs).into_iter().cloned().collect::<Vec<_>>()
        );
        assert_eq!(parse_pairs(&query_string(&pairs)), pairs);
        assert_eq!(parse_pairs("a=%FF"), p(&[("a", "\u{fffd}")]));
    }

    #[test]
    fn keys_are_encoded_too() {
        let pairs = p(&[("a b", "c")]);
        assert_eq!(canonical_query_string(&pairs), "a%20b=c");
    }
}
