//! An operation: its names (module, method, type prefix, generated types), its facts
//! (limits, RAM action, errors), its idempotency token and the request structs that travel
//! as JSON.

use super::fields::{build_fields, clean, derives_default};
use super::paging::{build_pagination, build_waiter};
use super::*;

/// Collects the errors of one operation file.
pub(super) struct OpContext<'a> {
    pub(super) loaded: &'a Loaded<OperationSpec>,
    pub(super) errors: Vec<SpecError>,
    pub(super) structs: Vec<StructModel>,
    pub(super) enums: Vec<EnumModel>,
    pub(super) type_names: BTreeMap<String, String>,
    /// Whether the fields being built sit inside a request value sent as one JSON string
    /// (`style: json`), where every type is allowed.
    pub(super) in_json: bool,
}

impl OpContext<'_> {
    pub(super) fn error(&mut self, field: &str, needle: Option<&str>, message: impl Into<String>) {
        let line = needle.and_then(|n| find_line(&self.loaded.text, n));
        self.errors.push(
            SpecError::new(&self.loaded.display_path, message)
                .operation(&self.loaded.spec.action)
                .field(field)
                .line(line),
        );
    }

    /// Whether the spec itself says what the field at `path` is, so that it needs no
    /// `not_secret`: the request's `ClientToken` (an idempotency token), and the token and
    /// next token its pagination names (paging cursors).
    pub(super) fn known_not_secret(&self, path: &str) -> bool {
        if path == "request.ClientToken" {
            return true;
        }
        match &self.loaded.spec.pagination {
            Some(PaginationSpec::NextToken { token, next, .. }) => {
                path == format!("request.{token}") || path == format!("response.{next}")
            }
            _ => false,
        }
    }

    /// Claims a type name in the operation's module.
    pub(super) fn claim_type(&mut self, name: &str, path: &str) -> bool {
        let needle = format!(": {name}");
        if !names::is_type_name(name) {
            let message = format!("{name:?} is not a Rust type name (use PascalCase)");
            self.error(path, Some(&needle), message);
            return false;
        }
        if let Some(previous) = self.type_names.insert(name.to_owned(), path.to_owned()) {
            let message = format!("duplicate type name {name}: also used by {previous}");
            self.error(path, Some(&needle), message);
            return false;
        }
        true
    }
}

pub(super) fn build_operation(
    loaded: &Loaded<OperationSpec>,
    portal_code: &str,
    version: &str,
    errors: &mut Vec<SpecError>,
) -> Option<OperationModel> {
    let spec = &loaded.spec;
    let mut cx = OpContext {
        loaded,
        errors: Vec::new(),
        structs: Vec::new(),
        enums: Vec::new(),
        type_names: BTreeMap::new(),
        in_json: false,
    };
    let stem = loaded
        .display_path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if spec.action != stem {
        cx.error(
            "action",
            Some("action:"),
            format!(
                "action {:?} does not match the file name {stem:?}",
                spec.action
            ),
        );
    }
    if let Some(rust_name) = &spec.rust_name {
        if !names::is_snake_name(rust_name) {
            cx.error(
                "rust_name",
                Some("rust_name:"),
                format!("{rust_name:?} is not a snake_case name"),
            );
        }
    }
    if spec.path != "/" {
        cx.error("path", Some("path:"), "RPC operations use the path /");
    }
    if spec.summary.trim().is_empty() {
        cx.error("summary", Some("summary:"), "the summary is empty");
    }
    let method = names::method_ident(&spec.action, spec.rust_name.as_deref());
    let prefix = names::type_name(&method.text);

    let request_name = format!("{prefix}Request");
    let response_name = names::type_ident(
        &spec
            .response
            .name
            .clone()
            .unwrap_or_else(|| format!("{prefix}Response")),
    );
    for reserved in [
        request_name.clone(),
        format!("{prefix}RequestBuilder"),
        format!("{prefix}FluentBuilder"),
        format!("{prefix}Paginator"),
    ] {
        cx.claim_type(&reserved, "the generated request types");
    }
    cx.claim_type(&response_name, "response.name");

    let request_fields = build_fields(
        &mut cx,
        &spec.request,
        "request",
        Side::Request,
        spec.request_body,
    );
    let response_fields = build_fields(
        &mut cx,
        &spec.response.fields,
        "response",
        Side::Response,
        spec.request_body,
    );
    let request = StructModel {
        docs: format!("Parameters of {}.", spec.action),
        name: request_name,
        side: Side::Request,
        fields: request_fields,
        serialize: false,
        derive_default: false,
    };
    let response = StructModel {
        docs: format!("Response of {}.", spec.action),
        name: response_name,
        derive_default: derives_default(&response_fields),
        side: Side::Response,
        fields: response_fields,
        serialize: false,
    };
    // Pagination refers to fields; report it only once the fields themselves are sound.
    let pagination = match &spec.pagination {
        Some(p) if cx.errors.is_empty() => build_pagination(&mut cx, p, &request, &response),
        _ => None,
    };

    let mut facts = Vec::new();
    if let Some(limit) = &spec.rate_limit {
        let per = match limit.per {
            RatePeriod::Second => "second",
            RatePeriod::Minute => "minute",
        };
        facts.push(format!(
            "Rate limit: {} calls per {per} per {}.",
            limit.calls, limit.scope
        ));
    }
    if let Some(action) = &spec.ram_action {
        facts.push(format!("RAM action: `{action}`."));
    }
    if spec.deprecated {
        facts.push("Deprecated by the service: prefer its successor where one exists.".to_owned());
    }
    if spec.auth == Auth::Anonymous {
        facts.push("Sent unsigned: the request carries its own proof of identity.".to_owned());
    }
    if !spec.errors.is_empty() {
        facts.push(format!(
            "Documented errors: {}, each a constant of [`error_code`] to \
             match [`Error::code`](alibabacloud_core::Error::code) against.",
            spec.errors.len()
        ));
    }

    if !cx.errors.is_empty() {
        errors.append(&mut cx.errors);
        return None;
    }
    let waiters = spec
        .waiters
        .iter()
        .filter_map(|w| build_waiter(&mut cx, w, &response))
        .collect();
    if !cx.errors.is_empty() {
        errors.append(&mut cx.errors);
        return None;
    }
    let structs = mark_serialized(cx.structs, &request);
    let mut request = request;
    let client_token = request
        .fields
        .iter_mut()
        .find(|f| f.wire == "ClientToken" && f.ty == RustType::String && !f.required)
        .map(|f| {
            f.docs.push_str(
                "\n\nLeft unset or empty, the runtime fills it with a fresh token, and every \
                 retry of that call sends the same one: the service runs the call at most \
                 once. A failed call's error gives the token it carried \
                 (`Error::client_token`).",
            );
            f.location
        });
    Some(OperationModel {
        action: spec.action.clone(),
        version: version.to_owned(),
        spec_file: loaded.display_path.to_string_lossy().replace('\\', "/"),
        method,
        prefix,
        summary: clean(&spec.summary),
        description: spec.description.as_deref().map(clean),
        portal_url: format!(
            "https://api.aliyun.com/api/{portal_code}/{version}/{}",
            spec.action
        ),
        deprecated: spec.deprecated,
        curated: spec.origin == crate::spec::Origin::Curated,
        client_token,
        facts,
        http_method: spec.method,
        path: spec.path.clone(),
        request_body: spec.request_body,
        read_only: spec.read_only,
        auth: spec.auth,
        request,
        response,
        structs,
        shared: BTreeMap::new(),
        enums: cx.enums,
        pagination,
        waiters,
        rate_limit_per_second: spec
            .rate_limit
            .as_ref()
            .filter(|limit| limit.per == RatePeriod::Second)
            .map(|limit| limit.calls),
        response_shape: crate::shape::fields(&spec.response.fields),
        errors: error_codes(&spec.errors),
    })
}

/// The documented error codes, each with its constant's name (`Order.NotFound` →
/// `ORDER_NOT_FOUND`, `-116` → `CODE_116`); a code whose name another already took is
/// left to its first.
fn error_codes(specs: &[crate::spec::ErrorSpec]) -> Vec<ErrorCodeModel> {
    let mut taken = std::collections::BTreeSet::new();
    let mut codes = Vec::new();
    for spec in specs {
        let words = names::snake(&spec.code).to_ascii_uppercase();
        let name = match words.chars().next() {
            Some(first) if first.is_ascii_alphabetic() => words,
            Some(_) => format!("CODE_{}", words.trim_start_matches('_')),
            None => continue,
        };
        if taken.insert(name.clone()) {
            codes.push(ErrorCodeModel {
                code: spec.code.clone(),
                http_status: spec.http_status,
                const_name: name,
                description: spec.description.clone().or_else(|| spec.message.clone()),
            });
        }
    }
    codes
}

/// Marks the request structs that travel inside a JSON-style parameter.
fn mark_serialized(mut structs: Vec<StructModel>, request: &StructModel) -> Vec<StructModel> {
    fn collect(ty: &RustType, structs: &[StructModel], into: &mut BTreeSet<String>) {
        match ty {
            RustType::List(inner) | RustType::Map(inner) => collect(inner, structs, into),
            RustType::Struct(name) if into.insert(name.clone()) => {
                if let Some(model) = structs.iter().find(|s| &s.name == name) {
                    for field in &model.fields {
                        collect(&field.ty, structs, into);
                    }
                }
            }
            _ => {}
        }
    }
    let mut names = BTreeSet::new();
    for field in request
        .fields
        .iter()
        .filter(|f| f.style == ParamStyle::Json)
    {
        collect(&field.ty, &structs, &mut names);
    }
    for s in &mut structs {
        s.serialize = names.contains(&s.name);
    }
    structs
}
