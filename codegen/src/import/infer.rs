//! What the importer infers rather than reads: whether a call only reads, a summary from
//! the action's name, which fields are secrets, and how an operation pages.

use heck::ToSnakeCase;

use super::meta::Api;
use crate::spec::{FieldSpec, OperationSpec, PaginationSpec, TypeName};

/// First words of actions that only read (the metadata README's table).
const READ_VERBS: &[&str] = &[
    "Describe", "Get", "Query", "Check", "Inquiry", "List", "Encrypt", "Decrypt", "Sign", "Verify",
];

/// Whether the operation only reads. `operationType` decides; without it, the tag, then
/// the action's first word. Anything unknown is a write: a write retried by mistake can
/// run twice, a read that is not retried only fails sooner.
pub fn read_only(action: &str, api: &Api) -> bool {
    match api.operation_type.as_deref() {
        Some("read") => return true,
        Some(_) => return false,
        None => {}
    }
    let tag = api
        .system_tags
        .as_ref()
        .and_then(|t| t.operation_type.as_deref());
    match tag {
        Some("get" | "list" | "read") => return true,
        Some(_) => return false,
        None => {}
    }
    READ_VERBS.iter().any(|verb| first_word(action) == *verb)
}

fn first_word(action: &str) -> &str {
    let end = action
        .char_indices()
        .skip(1)
        .find(|(_, c)| c.is_ascii_uppercase())
        .map_or(action.len(), |(i, _)| i);
    &action[..end]
}

/// A one-line summary made from the action's name, in our words: `ListCsr` → "Lists CSRs
/// (certificate signing requests).". People refine it in the spec; the importer keeps
/// what they write.
pub fn summary(action: &str) -> String {
    let verb = first_word(action);
    let rest = &action[verb.len()..];
    let object = words(rest);
    let phrase = match verb {
        "Describe" | "Get" | "Query" => format!("Reads {object}"),
        "List" => format!("Lists {object}"),
        "Check" => format!("Checks {object}"),
        "Inquiry" => format!("Asks the price of {object}"),
        "Create" => format!("Creates {object}"),
        "Upload" => format!("Uploads {object}"),
        "Apply" => format!("Applies for {object}"),
        "Add" => format!("Adds {object}"),
        "Update" | "Modify" | "Set" | "Change" | "Convert" => format!("Changes {object}"),
        "Delete" | "Remove" => format!("Deletes {object}"),
        "Cancel" => format!("Cancels {object}"),
        "Revoke" => format!("Revokes {object}"),
        "Renew" => format!("Renews {object}"),
        "Refund" => format!("Refunds {object}"),
        "Release" | "Relieve" => format!("Releases {object}"),
        "Pay" => format!("Pays {object}"),
        "Tag" => format!("Tags {object}"),
        "Untag" => format!("Removes tags from {object}"),
        "Move" => format!("Moves {object}"),
        "Submit" => format!("Submits {object}"),
        "Subscribe" => format!("Subscribes to {object}"),
        "Unsubscribe" => format!("Unsubscribes from {object}"),
        "Upgrade" => format!("Upgrades {object}"),
        "Allocate" => format!("Allocates {object}"),
        "Confirm" => format!("Confirms {object}"),
        "Batch" => format!("In one call, {}", words(rest).to_lowercase()),
        "Encrypt" => format!("Encrypts {object}"),
        "Decrypt" => format!("Decrypts {object}"),
        "Sign" => format!("Signs {object}"),
        "Verify" => format!("Verifies {object}"),
        "Share" => format!("Shares {object}"),
        "Save" => format!("Saves {object}"),
        "Sync" => format!("Synchronizes {object}"),
        "Enable" => format!("Enables {object}"),
        "Disable" => format!("Disables {object}"),
        "Open" => format!("Opens {object}"),
        "Close" => format!("Closes {object}"),
        "Merge" => format!("Merges {object}"),
        "Transfer" => format!("Transfers {object}"),
        "Import" => format!("Imports {object}"),
        "Export" => format!("Exports {object}"),
        "Start" => format!("Starts {object}"),
        _ => format!("Calls `{action}`"),
    };
    format!("{}.", phrase.trim_end())
}

/// `UserCertificateOrder` → `the user certificate order`; acronyms keep their case.
fn words(camel: &str) -> String {
    let snake = camel.to_snake_case();
    let words: Vec<String> = snake
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|word| match word {
            "csr" | "dv" | "ov" | "ev" | "pca" | "ssl" | "ram" | "oss" | "ecs" | "cdn" | "dcdn"
            | "waf" | "slb" | "clb" | "alb" | "nlb" | "id" | "sp" | "dp" | "ri" => {
                word.to_uppercase()
            }
            other => other.to_owned(),
        })
        .collect();
    if words.is_empty() {
        return "it".to_owned();
    }
    format!("the {}", words.join(" "))
}

/// Marks secrets `sensitive: true`, and says in `not_secret` why a field that looks like a
/// secret is not one, by the rule of [`secrecy`], at every depth.
pub fn mark_sensitive(spec: &mut OperationSpec, read_only: bool) {
    mark_in(&mut spec.request, read_only);
    mark_in(&mut spec.response.fields, read_only);
}

fn mark_in(fields: &mut [FieldSpec], read_only: bool) {
    let names: Vec<String> = fields.iter().filter_map(|f| f.name.clone()).collect();
    let siblings: Vec<&str> = names.iter().map(String::as_str).collect();
    for field in fields.iter_mut() {
        mark_field(field, &siblings, read_only);
    }
}

fn mark_field(field: &mut FieldSpec, siblings: &[&str], read_only: bool) {
    if field.ty == TypeName::String {
        let name = field.name.as_deref().unwrap_or_default();
        let example = match &field.example {
            Some(crate::spec::Scalar::String(text)) => text.as_str(),
            _ => "",
        };
        match secrecy(name, example, siblings, read_only) {
            Secrecy::Secret => field.sensitive = true,
            Secrecy::NotSecret(reason) => field.not_secret = Some(reason.to_owned()),
            Secrecy::Plain => {}
        }
    }
    if let Some(nested) = &mut field.fields {
        mark_in(nested, read_only);
    }
    for inner in [&mut field.items, &mut field.values].into_iter().flatten() {
        // A list item or map value has no name of its own: its fields are what count.
        if inner.ty != TypeName::String {
            mark_field(inner, &[], read_only);
        }
    }
}

/// What the secrets rule says of one text field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Secrecy {
    /// A secret: `sensitive: true`, redacted from `Debug`, logs and errors.
    Secret,
    /// Looks like key material but is not, for this reason (`not_secret` in the spec).
    NotSecret(&'static str),
    /// Does not look like key material.
    Plain,
}

/// Whether a field's name or example looks like key material: `Key`, a name ending in
/// `PrivateKey` (not the `ExistPrivateKey`/`HasPrivateKey` flags) or `Token`, holding
/// `Secret`, `Password` or `Passwd`, or an example with a PEM private key.
pub fn looks_like_key_material(name: &str, example: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name == "Key"
        || (lower.ends_with("privatekey")
            && !lower.starts_with("exist")
            && !lower.starts_with("has"))
        || lower.ends_with("token")
        || lower.contains("secret")
        || lower.contains("password")
        || lower.contains("passwd")
        || lower == "pwd"
        || example.contains("PRIVATE KEY")
}

/// The secrets rule: a field that looks like key material
/// ([`looks_like_key_material`]) is a secret, unless it is one of the kinds known not to
/// be: the idempotency token `ClientToken`; a read's paging cursor (`NextToken`, and
/// `Token` of a read); a tag's `Key` (beside a `Value`); `SecretId`, the ID of another
/// cloud's access key (its secret travels as `SecretKey`). `Token` of a write is a secret
/// (a payment or confirmation token).
pub fn secrecy(name: &str, example: &str, siblings: &[&str], read_only: bool) -> Secrecy {
    if !looks_like_key_material(name, example) {
        return Secrecy::Plain;
    }
    if example.contains("PRIVATE KEY") {
        return Secrecy::Secret;
    }
    match name {
        "ClientToken" => Secrecy::NotSecret("an idempotency token, made fresh for each call"),
        "NextToken" | "NextPageToken" | "LastToken" | "Marker" => {
            Secrecy::NotSecret("a paging cursor")
        }
        "Token" if read_only => Secrecy::NotSecret("a paging cursor"),
        "Key" if siblings.contains(&"Value") => Secrecy::NotSecret("a tag key"),
        "SecretId" => Secrecy::NotSecret(
            "the ID of another cloud's access key; its secret travels as SecretKey",
        ),
        _ => Secrecy::Secret,
    }
}

/// Request names of the paging styles that occur.
const PAGE_PARAMS: &[&str] = &["CurrentPage", "PageNum", "PageNumber"];
const SIZE_PARAMS: &[&str] = &["ShowSize", "PageSize", "MaxResults"];
const TOKEN_PARAMS: &[&str] = &["NextToken", "NextPageToken", "Token", "LastToken", "Marker"];
const TOTAL_FIELDS: &[&str] = &[
    "TotalCount",
    "Total",
    "TotalNum",
    "TotalCounts",
    "TotalSize",
];

/// What the pagination inference found.
pub enum Paging {
    /// A paginator, with a reason when the inference is unsure.
    Paged(PaginationSpec, Option<String>),
    /// The request has paging parameters, but no paginator could be inferred: why.
    Unsupported(String),
    /// Not a paged operation.
    None,
}

/// The pagination of a spec, inferred from its parameter and response names.
pub fn paging(spec: &OperationSpec) -> Paging {
    if let Some((pagination, unsure)) = pagination(spec) {
        return Paging::Paged(pagination, unsure);
    }
    let names: Vec<&str> = spec
        .request
        .iter()
        .filter_map(|f| f.name.as_deref())
        .collect();
    let paging_names: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| PAGE_PARAMS.contains(n) || TOKEN_PARAMS.contains(n) || *n == "StartIndex")
        .filter(|n| *n != "Token" || names.iter().any(|m| SIZE_PARAMS.contains(m)))
        .collect();
    if paging_names.is_empty() {
        return Paging::None;
    }
    Paging::Unsupported(format!(
        "takes {} but the response has no total or next token beside a list",
        paging_names.join(", ")
    ))
}

/// The pagination of a spec, inferred from its parameter and response names; with a reason
/// when the inference is unsure.
fn pagination(spec: &OperationSpec) -> Option<(PaginationSpec, Option<String>)> {
    let request: Vec<(&str, TypeName)> = spec
        .request
        .iter()
        .filter_map(|f| Some((f.name.as_deref()?, f.ty)))
        .collect();
    let has = |names: &[&str], ty: &[TypeName]| {
        names
            .iter()
            .find(|n| request.iter().any(|(r, t)| r == *n && ty.contains(t)))
            .map(|n| (*n).to_owned())
    };
    let mut leaves = Vec::new();
    collect_leaves(&spec.response.fields, "", &mut leaves);
    let ints = [TypeName::Int32, TypeName::Int64];

    if let Some(token) = has(TOKEN_PARAMS, &[TypeName::String]) {
        let next = leaves
            .iter()
            .filter(|l| l.ty == TypeName::String && TOKEN_PARAMS.contains(&l.name.as_str()))
            .min_by_key(|l| l.depth())?;
        let (items, unsure) = pick_items(&leaves, next.parent())?;
        let pagination = PaginationSpec::NextToken {
            token,
            page_size: has(SIZE_PARAMS, &ints),
            next: next.path.clone(),
            items,
            note: None,
        };
        return Some((pagination, unsure));
    }
    let total = leaves
        .iter()
        .filter(|l| ints.contains(&l.ty) && TOTAL_FIELDS.contains(&l.name.as_str()))
        .min_by_key(|l| l.depth());
    if let (Some(page), Some(page_size)) = (has(PAGE_PARAMS, &ints), has(SIZE_PARAMS, &ints)) {
        let total = total?;
        let (items, unsure) = pick_items(&leaves, total.parent())?;
        let pagination = PaginationSpec::PageNumber {
            page,
            page_size,
            total: total.path.clone(),
            items,
            note: None,
        };
        return Some((pagination, unsure));
    }
    if let Some(start) = has(&["StartIndex"], &ints) {
        let total = total?;
        let (items, unsure) = pick_items(&leaves, total.parent())?;
        let pagination = PaginationSpec::StartIndex {
            start,
            total: total.path.clone(),
            items,
            note: None,
        };
        return Some((pagination, unsure));
    }
    None
}

/// A response field reachable through objects only (lists stop the walk).
struct Leaf {
    name: String,
    path: String,
    ty: TypeName,
    /// For lists: whether the items are objects.
    object_items: bool,
}

impl Leaf {
    fn depth(&self) -> usize {
        self.path.matches('.').count()
    }

    fn parent(&self) -> &str {
        self.path.rsplit_once('.').map_or("", |(p, _)| p)
    }
}

fn collect_leaves(fields: &[FieldSpec], prefix: &str, out: &mut Vec<Leaf>) {
    for field in fields {
        let Some(name) = field.name.as_deref() else {
            continue;
        };
        let path = if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}.{name}")
        };
        let object_items = field
            .items
            .as_ref()
            .is_some_and(|i| i.ty == TypeName::Object);
        if field.ty == TypeName::Object {
            if let Some(nested) = &field.fields {
                collect_leaves(nested, &path, out);
            }
        }
        out.push(Leaf {
            name: name.to_owned(),
            path,
            ty: field.ty,
            object_items,
        });
    }
}

/// The item list beside `parent` (the object holding the total or token): its only list
/// of objects; unsure when there are several lists or the list is elsewhere.
fn pick_items(leaves: &[Leaf], parent: &str) -> Option<(String, Option<String>)> {
    let lists: Vec<&Leaf> = leaves.iter().filter(|l| l.ty == TypeName::List).collect();
    let beside: Vec<&&Leaf> = lists.iter().filter(|l| l.parent() == parent).collect();
    let objects: Vec<&&&Leaf> = beside.iter().filter(|l| l.object_items).collect();
    match (objects.as_slice(), beside.as_slice()) {
        ([only], _) => Some((only.path.clone(), None)),
        ([], [only]) => Some((only.path.clone(), None)),
        ([first, ..], _) => Some((
            first.path.clone(),
            Some(format!(
                "{} lists of objects beside the total; took {}",
                objects.len(),
                first.path
            )),
        )),
        ([], []) => {
            // A list elsewhere in the response: take the shallowest one.
            let other = lists.iter().min_by_key(|l| l.depth())?;
            Some((
                other.path.clone(),
                Some(format!("no list beside the total; took {}", other.path)),
            ))
        }
        ([], [first, ..]) => Some((
            first.path.clone(),
            Some(format!(
                "several lists beside the total; took {}",
                first.path
            )),
        )),
    }
}

/// The last words of money fields: an amount, price, cost, discount, balance, credit,
/// refund, coupon, tax, cash, fee, sum or charge (`PretaxAmount`, `UnitPrice`,
/// `RoundDownDiscount`, `DeductedByCoupons`, `ShouldPaySum`, `MonthlyServiceCharge`).
const MONEY_WORDS: &[&str] = &[
    "amount", "price", "cost", "discount", "balance", "credit", "refund", "coupon", "coupons",
    "tax", "cash", "fee", "sum", "charge",
];

/// Whether a field named `wire` holds money, by the rule `specs/README.md` states (a
/// number or numeric text so named becomes `decimal`): its last word is a money word
/// (`PretaxAmount`), or a money word followed by `Local` (`PretaxAmountLocal`, the amount
/// in the local currency), or it is an amount deducted by a means of payment
/// (`DeductedByPrepaidCard`, `CurrentAmortizationDeductedByPrepaidCard`).
/// Names that end in another word are not money, whatever they start with: `CostUnit`,
/// `CouponId`, `PriceType`, `DiscountRate`, `CreditLimitStatus`.
pub fn is_money(wire: &str) -> bool {
    let words: Vec<String> = wire
        .to_snake_case()
        .split('_')
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect();
    let is_money_word =
        |word: Option<&String>| word.is_some_and(|w| MONEY_WORDS.contains(&w.as_str()));
    match words.as_slice() {
        [.., last] if is_money_word(Some(last)) => true,
        [.., money, last] if last == "local" => is_money_word(Some(money)),
        _ => words
            .windows(2)
            .any(|pair| pair[0] == "deducted" && pair[1] == "by"),
    }
}

/// Whether an example reads as an amount (`12.30`, `-1`, `1,000.00`): money documented as
/// text with such an example is `decimal`; one whose example is a sentence or a code stays
/// text.
pub fn is_amount(example: &str) -> bool {
    let example = example.trim();
    let digits = example.strip_prefix('-').unwrap_or(example);
    !digits.is_empty()
        && digits.chars().any(|c| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && digits.matches('.').count() <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_made_from_the_action_name() {
        assert_eq!(summary("ListCsr"), "Lists the CSR.");
        assert_eq!(
            summary("DeleteUserCertificate"),
            "Deletes the user certificate."
        );
        assert_eq!(summary("Frobnicate"), "Calls `Frobnicate`.");
    }

    #[test]
    fn secrets_follow_the_written_rule() {
        let secret =
            |name: &str, siblings: &[&str], read_only: bool| secrecy(name, "", siblings, read_only);
        for (name, siblings, read_only) in [
            ("PrivateKey", &[][..], true),
            ("SignPrivateKey", &[], false),
            ("EncryptPrivateKey", &[], false),
            ("SecretKey", &[], false),
            ("Key", &["Cert"][..], false),
            ("Key", &["CsrId"][..], false),
            ("Token", &[], false),
            ("SecurityToken", &[], true),
            ("OIDCToken", &[], true),
            ("Password", &[], false),
        ] {
            assert_eq!(secret(name, siblings, read_only), Secrecy::Secret, "{name}");
        }
        for (name, siblings, read_only) in [
            ("ClientToken", &[][..], false),
            ("NextToken", &[], true),
            ("Token", &[], true),
            ("Key", &["Value"][..], false),
            ("SecretId", &[], true),
        ] {
            assert!(
                matches!(secret(name, siblings, read_only), Secrecy::NotSecret(_)),
                "{name}"
            );
        }
        assert_eq!(secret("ExistPrivateKey", &[], true), Secrecy::Plain);
        assert_eq!(secret("KeyAlgorithm", &[], true), Secrecy::Plain);
        assert_eq!(
            secrecy("EncryptedData", "-----BEGIN PRIVATE KEY-----", &[], true),
            Secrecy::Secret
        );
    }

    #[test]
    fn money_is_known_by_its_last_word() {
        for name in [
            "PretaxAmount",
            "PretaxAmountLocal",
            "UnitPrice",
            "RoundDownDiscount",
            "DeductedByCoupons",
            "DeductedByPrepaidCard",
            "CurrentAmortizationDeductedByPrepaidCard",
            "ShouldPaySum",
            "MonthlyServiceCharge",
            "Tax",
            "AvailableCashAmount",
            "OrderTotalFee",
        ] {
            assert!(is_money(name), "{name}");
        }
        for name in [
            "CostUnit",
            "CostUnitCode",
            "CouponId",
            "PriceType",
            "DiscountRate",
            "CreditLimitStatus",
            "CoveragePercentage",
            "DeductQuantity",
            "TaxationLicense",
            "ListPriceUnit",
            "Currency",
        ] {
            assert!(!is_money(name), "{name}");
        }
        assert!(is_amount("1,000.00") && is_amount("-0.5") && is_amount("12"));
        assert!(!is_amount("CNY") && !is_amount("1.2.3") && !is_amount("") && !is_amount("."));
    }
}
