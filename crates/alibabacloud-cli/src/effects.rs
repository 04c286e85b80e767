//! Where to look for a write's effect: the read actions of the same product version that
//! deal with what the write changes, for the message of a write that may have run.

use alibabacloud_core::catalog::{FieldShape, OperationInfo, ProductInfo, ShapeKind};

/// How many read actions a message suggests, at most.
const MAX_SUGGESTIONS: usize = 3;

/// The read actions of `product` most likely to show whether `write` took effect, best
/// first: those whose names share the most words with what the write acts on
/// (`UploadUserCertificate` → `ListUserCertificateOrder`, `GetUserCertificateDetail`),
/// list and describe actions before others. A write whose response names an order
/// (`OrderId`) also suggests the product's order listings.
pub fn reads_showing(product: &ProductInfo, write: &OperationInfo) -> Vec<&'static str> {
    let object = object_words(write.operation.action);
    let places_order = names_an_order(write.response);
    let mut scored: Vec<(usize, u8, &'static str)> = product
        .operations
        .iter()
        .filter(|op| op.operation.read_only)
        .filter_map(|op| {
            let action = op.operation.action;
            let words = object_words(action);
            let mut score = words.iter().filter(|w| object.contains(w)).count();
            // An order is the service's own record of a paid write: look there first.
            if places_order && words.iter().any(|w| w == "order") {
                score += 2;
            }
            (score > 0).then(|| (score, verb_rank(action), action))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(b.2)));
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, _, action)| action)
        .collect()
}

/// Whether a response (at any depth) has an `OrderId`-like field.
fn names_an_order(fields: &[FieldShape]) -> bool {
    fields.iter().any(|field| {
        field.name.ends_with("OrderId")
            || match field.kind {
                ShapeKind::Object(inner) => names_an_order(inner),
                _ => false,
            }
    })
}

/// Listing actions first: they show a new resource without knowing its ID.
fn verb_rank(action: &str) -> u8 {
    match words(action).first().map(String::as_str) {
        Some("list" | "query") => 0,
        Some("describe") => 1,
        Some("get") => 2,
        _ => 3,
    }
}

/// The words of an action after its verb, lower case and singular:
/// `UploadUserCertificate` → `user`, `certificate`.
fn object_words(action: &str) -> Vec<String> {
    let mut words = words(action);
    if !words.is_empty() {
        words.remove(0);
    }
    words
        .into_iter()
        .map(|word| match word.strip_suffix('s') {
            Some(stem) if stem.len() > 2 && !word.ends_with("ss") => stem.to_owned(),
            _ => word,
        })
        .filter(|word| !matches!(word.as_str(), "list" | "detail" | "info" | "by" | "for"))
        .collect()
}

/// `UploadUserCertificate` → `upload`, `user`, `certificate`; an acronym stays one word
/// (`CreateCSR` → `create`, `csr`).
fn words(action: &str) -> Vec<String> {
    let chars: Vec<char> = action.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (index, c) in chars.iter().enumerate() {
        let next_lower = chars.get(index + 1).is_some_and(|n| n.is_lowercase());
        let previous_lower = index > 0 && chars[index - 1].is_lowercase();
        if c.is_uppercase() && !current.is_empty() && (previous_lower || next_lower) {
            words.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(code: &str, version: &str) -> &'static ProductInfo {
        alibabacloud_catalog::products(code)
            .find(|p| p.service.version == version)
            .unwrap()
    }

    #[test]
    fn words_split_camel_case_and_acronyms() {
        assert_eq!(
            words("UploadUserCertificate"),
            ["upload", "user", "certificate"]
        );
        assert_eq!(words("CreateCSRRequest"), ["create", "csr", "request"]);
        assert_eq!(
            object_words("DeleteUserCertificates"),
            ["user", "certificate"]
        );
    }

    #[test]
    fn a_certificate_upload_points_at_the_certificate_listings() {
        let cas = product("cas", "2020-04-07");
        let upload = cas.operation("UploadUserCertificate").unwrap();
        let reads = reads_showing(cas, upload);
        assert!(
            !reads.is_empty() && reads.len() <= MAX_SUGGESTIONS,
            "{reads:?}"
        );
        assert!(
            reads[..2].iter().all(|a| a.contains("UserCertificate")),
            "the closest names first: {reads:?}"
        );
        for action in &reads {
            assert!(cas.operation(action).unwrap().operation.read_only);
        }
    }

    #[test]
    fn an_order_points_at_the_order_listings() {
        let bss = product("bssopenapi", "2017-12-14");
        let create = bss.operation("CreateInstance").unwrap();
        let reads = reads_showing(bss, create);
        assert!(reads.iter().any(|a| a.contains("Order")), "{reads:?}");
    }
}
