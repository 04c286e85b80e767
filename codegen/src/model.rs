//! Stage 2: the annotated model. Every Rust name, type and doc text is decided here, and
//! every semantic check of the specs happens here, so rendering only prints.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::SpecError;
use crate::load::{Loaded, LoadedService, find_line};
use crate::names::{self, Ident};
use crate::spec::{
    Auth, EnumValueSpec, FieldSpec, Location, Method, OperationSpec, PaginationSpec, ParamStyle,
    RatePeriod, RequestBody, ServiceSpec, Signature, TypeName, WaiterSpec,
};

/// One generated crate.
#[derive(Debug)]
pub struct CrateModel {
    /// Package name, e.g. `alibabacloud-cas-20200407`.
    pub package: String,
    /// Directory of its specs, relative to the workspace root (`specs/cas/2020-04-07`).
    pub spec_dir: String,
    pub service: ServiceModel,
    pub operations: Vec<OperationModel>,
    /// Structs of the same shape used in several places, in the crate's `types` module.
    pub types: Vec<StructModel>,
    /// Enums of the same values used in several places, in the `types` module.
    pub type_enums: Vec<EnumModel>,
}

impl CrateModel {
    /// The struct an operation's field names: its own, or the shared one it re-exports.
    pub fn struct_of<'a>(&'a self, op: &'a OperationModel, name: &str) -> Option<&'a StructModel> {
        match op.shared.get(name) {
            None => op.structs.iter().find(|s| s.name == name),
            Some(crate::shared::Home::Types) => self.types.iter().find(|s| s.name == name),
            Some(crate::shared::Home::Operation(method)) => self
                .operations
                .iter()
                .find(|other| &other.method.text == method)?
                .structs
                .iter()
                .find(|s| s.name == name),
        }
    }

    /// The enum an operation's field names: its own, or the shared one it re-exports.
    pub fn enum_of<'a>(&'a self, op: &'a OperationModel, name: &str) -> Option<&'a EnumModel> {
        match op.shared.get(name) {
            None => op.enums.iter().find(|e| e.name == name),
            Some(crate::shared::Home::Types) => self.type_enums.iter().find(|e| e.name == name),
            Some(crate::shared::Home::Operation(method)) => self
                .operations
                .iter()
                .find(|other| &other.method.text == method)?
                .enums
                .iter()
                .find(|e| e.name == name),
        }
    }
}

#[derive(Debug)]
pub struct ServiceModel {
    pub product: String,
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub signature: Signature,
    /// Product code on the OpenAPI portal, for links.
    pub portal_code: String,
    pub global_endpoint: Option<String>,
    pub regional_endpoints: Vec<(String, String)>,
    pub endpoint_rule: Option<String>,
    pub vpc_endpoint_rule: Option<String>,
}

#[derive(Debug)]
pub struct OperationModel {
    pub action: String,
    /// API version.
    pub version: String,
    /// `specs/cas/2020-04-07/ListUserCertificateOrder.yaml`
    pub spec_file: String,
    /// Module and client method name.
    pub method: Ident,
    /// Type-name prefix, e.g. `ListUserCertificateOrder`.
    pub prefix: String,
    pub summary: String,
    pub description: Option<String>,
    /// The operation's page on Alibaba Cloud's OpenAPI portal.
    pub portal_url: String,
    pub deprecated: bool,
    /// Written by hand (its type names win when types are shared).
    pub curated: bool,
    /// Where the optional text parameter `ClientToken` travels, if the operation takes
    /// one: the runtime fills it once per call, which makes the call safe to retry.
    pub client_token: Option<Location>,
    /// Extra doc lines: limits, RAM action, errors.
    pub facts: Vec<String>,
    pub http_method: Method,
    pub path: String,
    pub request_body: RequestBody,
    pub read_only: bool,
    pub auth: Auth,
    pub request: StructModel,
    pub response: StructModel,
    /// Nested structs, in the order first met.
    pub structs: Vec<StructModel>,
    pub enums: Vec<EnumModel>,
    /// The shared types this operation uses that are defined elsewhere (the crate's
    /// `types` module or another operation's), by name: its module re-exports each under
    /// that same name.
    pub shared: BTreeMap<String, crate::shared::Home>,
    pub pagination: Option<PaginationModel>,
    pub waiters: Vec<WaiterModel>,
    /// Documented calls per second, when the limit is per second.
    pub rate_limit_per_second: Option<u32>,
    /// The response's wire shape, for the catalog.
    pub response_shape: Vec<crate::shape::ShapeField>,
    /// Documented error codes and their HTTP status.
    pub errors: Vec<(String, u16)>,
}

impl OperationModel {
    pub fn request_name(&self) -> String {
        format!("{}Request", self.prefix)
    }
    pub fn builder_name(&self) -> String {
        format!("{}RequestBuilder", self.prefix)
    }
    pub fn fluent_name(&self) -> String {
        format!("{}FluentBuilder", self.prefix)
    }
    pub fn paginator_name(&self) -> String {
        format!("{}Paginator", self.prefix)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Request,
    Response,
}

#[derive(Debug)]
pub struct StructModel {
    pub name: String,
    pub docs: String,
    pub side: Side,
    pub fields: Vec<FieldModel>,
    /// Request structs inside a JSON-style parameter: they derive `Serialize`.
    pub serialize: bool,
    /// Response structs: every field has a default (so the struct derives `Default`).
    pub derive_default: bool,
}

impl StructModel {
    pub fn has_sensitive(&self) -> bool {
        self.fields.iter().any(|f| f.sensitive)
    }
}

#[derive(Debug)]
pub struct FieldModel {
    pub wire: String,
    pub ident: Ident,
    pub ty: RustType,
    pub required: bool,
    pub docs: String,
    pub sensitive: bool,
    pub location: Location,
    pub style: ParamStyle,
    /// Held as `Option<T>`: not required (collections are never optional), and always
    /// inside request objects, whose fields are set one by one.
    pub optional: bool,
    /// The `#[serde(rename)]` a response field needs: its wire name, when serde's
    /// `PascalCase` of the Rust name differs from it.
    pub serde_rename: Option<String>,
    /// How a response field is read from JSON.
    pub reader: Reader,
    /// The spec's example value, as text (empty when none).
    pub example: String,
}

/// How a response field is read (the `wire` helpers of core).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// serde's own reading (required structs and enums, JSON values, request fields).
    Plain,
    /// `wire::list`: an array, a wrapped array, or nothing (empty).
    List,
    /// `wire::object_list`: as `List`, each item an object only.
    ObjectList,
    /// `wire::map`: a map, empty when absent.
    Map,
    /// `wire::object`: an optional object, never an array read by position.
    Object,
    /// `wire::enum_field`: an optional enum value.
    Enum,
    /// `wire::lenient_text`: text, or a number or boolean kept as text.
    Text,
    /// `wire::lenient_text_required`.
    TextRequired,
    /// `wire::lenient`: a number or boolean, or its text.
    Lenient,
    /// `wire::lenient_required`.
    LenientRequired,
}

/// The Rust type of a field, before `Option` is applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RustType {
    String,
    I32,
    I64,
    Bool,
    F64,
    /// Any JSON value.
    Any,
    EpochMillis,
    EpochSeconds,
    List(Box<RustType>),
    Map(Box<RustType>),
    Struct(String),
    Enum(String),
}

impl RustType {
    /// Numbers and booleans, which the wire may send as text.
    pub fn is_lenient_scalar(&self) -> bool {
        matches!(
            self,
            RustType::I32
                | RustType::I64
                | RustType::Bool
                | RustType::F64
                | RustType::EpochMillis
                | RustType::EpochSeconds
        )
    }

    /// Whether the type has a total equality (`Eq`, `Hash`): not for floats and JSON.
    pub fn has_eq(&self, structs: &dyn Fn(&str) -> bool) -> bool {
        match self {
            RustType::F64 | RustType::Any => false,
            RustType::List(inner) | RustType::Map(inner) => inner.has_eq(structs),
            RustType::Struct(name) => structs(name),
            _ => true,
        }
    }
}

/// A generated waiter: poll the operation until `path` holds a success or failure value.
#[derive(Debug)]
pub struct WaiterModel {
    /// `wait_until_<name>`.
    pub method: Ident,
    /// The `WaitRule` static: `<NAME>_RULE`.
    pub rule: String,
    pub name: String,
    /// Steps from the response to the matched field.
    pub path: Vec<PathStep>,
    pub path_wire: String,
    pub success: Vec<String>,
    pub failure: Vec<String>,
    pub min_delay_seconds: u64,
    pub max_delay_seconds: u64,
    pub max_wait_seconds: u64,
}

impl OperationModel {
    /// The type of this operation's waiting builder.
    pub fn waiter_name(&self) -> String {
        format!("{}Waiter", self.prefix)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct EnumModel {
    pub name: String,
    pub docs: String,
    pub variants: Vec<VariantModel>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct VariantModel {
    pub name: String,
    pub value: String,
    pub docs: Option<String>,
}

#[derive(Debug)]
pub struct PaginationModel {
    /// How the operation pages.
    pub paging: Paging,
    /// Wire names: the cursor parameter (page, offset or token), the page-size parameter
    /// and the item list's path.
    pub cursor_wire: String,
    pub page_size_wire: Option<String>,
    pub items_wire: String,
    /// Steps from the response to the item list.
    pub items: Vec<PathStep>,
    pub item_type: RustType,
}

/// How an operation pages: each kind carries exactly the facts it needs.
#[derive(Debug)]
pub enum Paging {
    /// Numbered pages or offsets, up to a total the response reports.
    Counted {
        counter: Counter,
        /// The total number of items.
        total: ResponsePath,
        /// The page number the response echoes back, if it carries one.
        echo: Option<ResponsePath>,
    },
    /// A token field of the request, filled from the response's next token.
    Token {
        token: Ident,
        required: bool,
        /// The next page's token.
        next: ResponsePath,
    },
}

/// The request field a counted paginator moves.
#[derive(Debug)]
pub enum Counter {
    /// 1-based page number field of the request.
    PageNumber {
        page: Ident,
        required: bool,
        page_type: RustType,
        size: Ident,
        size_required: bool,
        size_type: RustType,
    },
    /// Offset field of the request.
    StartIndex {
        start: Ident,
        start_type: RustType,
        required: bool,
    },
}

/// A field of the response: its dotted wire path and the steps to it.
#[derive(Debug, Clone)]
pub struct ResponsePath {
    pub wire: String,
    pub steps: Vec<PathStep>,
}

#[derive(Debug, Clone)]
pub struct PathStep {
    pub ident: Ident,
    pub required: bool,
    pub ty: RustType,
}

/// Builds the model of every crate, collecting every error.
pub fn build(services: &[LoadedService]) -> Result<Vec<CrateModel>, Vec<SpecError>> {
    let mut errors = Vec::new();
    let mut crates = Vec::new();
    let mut packages = BTreeSet::new();
    for loaded in services {
        if !packages.insert(loaded.service.spec.crate_name.clone()) {
            errors.push(
                SpecError::new(&loaded.service.display_path, "duplicate crate name")
                    .field("crate")
                    .line(find_line(&loaded.service.text, "crate:")),
            );
        }
        if let Some(model) = build_crate(loaded, &mut errors) {
            crates.push(model);
        }
    }
    if errors.is_empty() {
        Ok(crates)
    } else {
        Err(errors)
    }
}

fn build_crate(loaded: &LoadedService, errors: &mut Vec<SpecError>) -> Option<CrateModel> {
    let file = &loaded.service.display_path;
    let spec: &ServiceSpec = &loaded.service.spec;
    let before = errors.len();
    let dir = file.parent().unwrap_or(Path::new(""));
    let dir_version = dir.file_name().and_then(|s| s.to_str()).unwrap_or_default();
    if spec.version != dir_version {
        errors.push(
            SpecError::new(
                file,
                format!(
                    "version {:?} does not match its directory {dir_version:?}",
                    spec.version
                ),
            )
            .field("version")
            .line(find_line(&loaded.service.text, "version:")),
        );
    }
    let expected_crate = format!(
        "alibabacloud-{}-{}",
        spec.product,
        spec.version.replace('-', "")
    );
    if spec.crate_name != expected_crate {
        errors.push(
            SpecError::new(
                file,
                format!("crate must be named {expected_crate:?}, like the official packages"),
            )
            .field("crate")
            .line(find_line(&loaded.service.text, "crate:")),
        );
    }
    if spec.endpoints.global.is_none()
        && spec.endpoints.rule.is_none()
        && spec.endpoints.regional.is_empty()
    {
        errors.push(
            SpecError::new(file, "no endpoint at all: give global, regional or rule")
                .field("endpoints"),
        );
    }
    for (field, rule) in [
        ("endpoints.rule", &spec.endpoints.rule),
        ("endpoints.vpc_rule", &spec.endpoints.vpc_rule),
    ] {
        if rule.as_ref().is_some_and(|rule| !rule.contains("{region}")) {
            errors
                .push(SpecError::new(file, "an endpoint rule must contain {region}").field(field));
        }
    }

    let mut operations = Vec::new();
    let mut methods = BTreeMap::new();
    for op in &loaded.operations {
        let portal = spec.portal_code.as_deref().unwrap_or(&spec.product);
        let Some(model) = build_operation(op, portal, &spec.version, errors) else {
            continue;
        };
        if let Some(other) = methods.insert(model.method.text.clone(), model.action.clone()) {
            errors.push(
                SpecError::new(
                    &op.display_path,
                    format!("method name {} is also used by {other}", model.method.text),
                )
                .operation(&model.action),
            );
        }
        operations.push(model);
    }
    operations.sort_by(|a, b| a.method.cmp(&b.method));
    if errors.len() > before {
        return None;
    }
    Some(CrateModel {
        package: spec.crate_name.clone(),
        spec_dir: dir.to_string_lossy().replace('\\', "/"),
        service: ServiceModel {
            product: spec.product.clone(),
            title: spec.title.clone(),
            version: spec.version.clone(),
            description: spec.description.clone(),
            portal_code: spec
                .portal_code
                .clone()
                .unwrap_or_else(|| spec.product.clone()),
            signature: spec.signature,
            global_endpoint: spec.endpoints.global.clone(),
            regional_endpoints: spec.endpoints.regional.clone().into_iter().collect(),
            endpoint_rule: spec.endpoints.rule.clone(),
            vpc_endpoint_rule: spec.endpoints.vpc_rule.clone(),
        },
        operations,
        types: Vec::new(),
        type_enums: Vec::new(),
    })
}

/// Collects the errors of one operation file.
struct OpContext<'a> {
    loaded: &'a Loaded<OperationSpec>,
    errors: Vec<SpecError>,
    structs: Vec<StructModel>,
    enums: Vec<EnumModel>,
    type_names: BTreeMap<String, String>,
    /// Whether the fields being built sit inside a request value sent as one JSON string
    /// (`style: json`), where every type is allowed.
    in_json: bool,
}

impl OpContext<'_> {
    fn error(&mut self, field: &str, needle: Option<&str>, message: impl Into<String>) {
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
    fn known_not_secret(&self, path: &str) -> bool {
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
    fn claim_type(&mut self, name: &str, path: &str) -> bool {
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

fn build_operation(
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
        let codes: Vec<String> = spec
            .errors
            .iter()
            .map(|e| match &e.message {
                Some(message) => format!("`{}` (HTTP {}): {message}", e.code, e.http_status),
                None => format!("`{}` (HTTP {})", e.code, e.http_status),
            })
            .collect();
        facts.push(format!("Documented errors: {}.", codes.join("; ")));
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
        errors: spec
            .errors
            .iter()
            .map(|e| (e.code.clone(), e.http_status))
            .collect(),
    })
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

/// Whether a response struct can derive `Default`: every required field's type has one.
fn derives_default(fields: &[FieldModel]) -> bool {
    fields.iter().all(|field| {
        !field.required
            || matches!(
                field.ty,
                RustType::String
                    | RustType::I32
                    | RustType::I64
                    | RustType::Bool
                    | RustType::F64
                    | RustType::Any
                    | RustType::List(_)
                    | RustType::Map(_)
            )
    })
}

fn clean(text: &str) -> String {
    text.trim().to_owned()
}

fn build_fields(
    cx: &mut OpContext<'_>,
    specs: &[FieldSpec],
    path: &str,
    side: Side,
    body: RequestBody,
) -> Vec<FieldModel> {
    let mut fields = Vec::new();
    let mut wires = BTreeSet::new();
    let mut idents = BTreeSet::new();
    for field in specs {
        let Some(wire) = field.name.clone() else {
            cx.error(path, None, "a field has no name");
            continue;
        };
        let field_path = format!("{path}.{wire}");
        let needle = format!("name: {wire}");
        if !names::is_wire_name(&wire) {
            cx.error(
                &field_path,
                Some(&needle),
                "a wire name is ASCII letters, digits, `_` and `-` only, and not empty",
            );
            continue;
        }
        if !wires.insert(wire.clone()) {
            cx.error(
                &field_path,
                Some(&needle),
                format!("duplicate field name {wire}"),
            );
            continue;
        }
        if let Some(rust_name) = &field.rust_name {
            if !names::is_snake_name(rust_name) {
                cx.error(
                    &field_path,
                    Some(&needle),
                    format!("rust_name {rust_name:?} is not a snake_case name"),
                );
            }
        }
        let ident = names::field_ident(&wire, field.rust_name.as_deref(), side == Side::Request);
        if ident.text.is_empty() {
            cx.error(
                &field_path,
                Some(&needle),
                format!("{wire:?} gives no Rust name; set rust_name"),
            );
            continue;
        }
        if !idents.insert(ident.text.clone()) {
            cx.error(
                &field_path,
                Some(&needle),
                format!(
                    "two fields map to the Rust name {}; set rust_name",
                    ident.text
                ),
            );
            continue;
        }
        let location = match (side, field.location) {
            (Side::Response, Some(_)) => {
                cx.error(
                    &field_path,
                    Some(&needle),
                    "`in` is for request parameters only",
                );
                Location::Query
            }
            (Side::Request, Some(Location::Body)) if body == RequestBody::None => {
                cx.error(
                    &field_path,
                    Some(&needle),
                    "`in: body` needs request_body form or json",
                );
                Location::Body
            }
            (_, location) => location.unwrap_or(Location::Query),
        };
        let example = crate::shape::example_text(field.example.as_ref());
        if field.ty == TypeName::String
            && crate::import::infer::looks_like_key_material(&wire, &example)
            && !cx.known_not_secret(&field_path)
        {
            match (field.sensitive, &field.not_secret) {
                (false, None) => cx.error(
                    &field_path,
                    Some(&needle),
                    format!(
                        "{wire} looks like key material: mark it `sensitive: true`, or say why \
                         it is not a secret with `not_secret: <reason>`"
                    ),
                ),
                (true, Some(_)) => cx.error(
                    &field_path,
                    Some(&needle),
                    "a field is either `sensitive` or `not_secret`, not both",
                ),
                _ => {}
            }
        }
        if side == Side::Response && field.style.is_some() {
            cx.error(
                &field_path,
                Some(&needle),
                "style is for request parameters only",
            );
        }
        let outer_json = cx.in_json;
        cx.in_json = outer_json || field.style == Some(ParamStyle::Json);
        let ty = build_type(cx, field, &wire, &field_path, side);
        cx.in_json = outer_json;
        let Some(ty) = ty else {
            continue;
        };
        if side == Side::Request && !outer_json {
            check_request_type(
                cx,
                &ty,
                &field_path,
                field.style.unwrap_or(ParamStyle::RepeatList),
            );
        }
        let collection = matches!(ty, RustType::List(_) | RustType::Map(_));
        let nested = path != "request" && path != "response";
        let optional = !collection && (!field.required || (side == Side::Request && nested));
        let serde_rename = (names::serde_pascal(&ident.text) != wire).then(|| wire.clone());
        let reader = match (&ty, side, field.required) {
            (_, Side::Request, _) => Reader::Plain,
            (RustType::List(inner), ..) if matches!(**inner, RustType::Struct(_)) => {
                Reader::ObjectList
            }
            (RustType::List(_), ..) => Reader::List,
            (RustType::Map(_), ..) => Reader::Map,
            (RustType::String, _, true) => Reader::TextRequired,
            (RustType::String, _, false) => Reader::Text,
            (ty, _, true) if ty.is_lenient_scalar() => Reader::LenientRequired,
            (ty, _, false) if ty.is_lenient_scalar() => Reader::Lenient,
            (RustType::Struct(_), _, false) => Reader::Object,
            (RustType::Enum(_), _, false) => Reader::Enum,
            _ => Reader::Plain,
        };
        fields.push(FieldModel {
            docs: field_docs(field),
            wire,
            ident,
            ty,
            required: field.required,
            sensitive: field.sensitive,
            location,
            style: field.style.unwrap_or(ParamStyle::RepeatList),
            optional,
            serde_rename,
            reader,
            example: crate::shape::example_text(field.example.as_ref()),
        });
    }
    fields
}

/// The one request shape the wire cannot carry: a delimited style (`simple`,
/// `spaceDelimited`, `pipeDelimited`) joins scalars, so it takes a list of scalars (or a
/// scalar, which it leaves as it is). Every other shape flattens ([`ParamStyle::RepeatList`],
/// `flat`) or travels as one JSON string (`json`).
fn check_request_type(cx: &mut OpContext<'_>, ty: &RustType, path: &str, style: ParamStyle) {
    let delimited = matches!(
        style,
        ParamStyle::Simple | ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited
    );
    let scalar = |ty: &RustType| {
        !matches!(
            ty,
            RustType::List(_) | RustType::Map(_) | RustType::Struct(_) | RustType::Any
        )
    };
    let joinable = match ty {
        RustType::List(inner) => scalar(inner),
        other => scalar(other),
    };
    if delimited && !joinable {
        cx.error(
            path,
            None,
            format!(
                "style {} joins scalars into one parameter: it takes a list of scalars",
                style_name(style)
            ),
        );
    }
}

/// The spec's spelling of a style.
pub fn style_name(style: ParamStyle) -> &'static str {
    match style {
        ParamStyle::RepeatList => "repeatList",
        ParamStyle::Flat => "flat",
        ParamStyle::Json => "json",
        ParamStyle::Simple => "simple",
        ParamStyle::SpaceDelimited => "spaceDelimited",
        ParamStyle::PipeDelimited => "pipeDelimited",
    }
}

fn field_docs(field: &FieldSpec) -> String {
    let mut docs = field.description.as_deref().map(clean).unwrap_or_default();
    // Fact-only docs (imported fields) read as one line: "`Name`, required. Example: `x`."
    if docs.is_empty() {
        // Imported fields have no prose: state the facts instead.
        if let Some(wire) = &field.name {
            let required = if field.required { ", required" } else { "" };
            docs = format!("`{wire}`{required}.");
        }
    }
    let hint = match field.ty {
        TypeName::Date => Some("A calendar date, `YYYY-MM-DD`."),
        TypeName::Datetime => Some("An ISO 8601 UTC time, `YYYY-MM-DDTHH:MM:SSZ`."),
        TypeName::Decimal => Some("A decimal amount, kept as text so no precision is lost."),
        TypeName::EpochMillis => Some("Milliseconds since the Unix epoch."),
        TypeName::EpochSeconds => Some("Seconds since the Unix epoch."),
        TypeName::Any => Some("Any JSON value."),
        _ => None,
    };
    let example = Some(crate::shape::example_text(field.example.as_ref()))
        .filter(|example| !example.is_empty());
    let mut extra = Vec::new();
    if let Some(hint) = hint {
        extra.push(hint.to_owned());
    }
    if let Some(values) = field
        .enum_values
        .as_ref()
        .filter(|_| field.ty != TypeName::String)
    {
        let values: Vec<String> = values.iter().map(|v| format!("`{}`", v.value)).collect();
        extra.push(format!("Valid values: {}.", values.join(", ")));
    }
    if let Some(example) = example.filter(|e| !e.is_empty() && !field.sensitive) {
        // One line: examples of PEM blocks or JSON would otherwise break the doc text.
        let example = example.split_whitespace().collect::<Vec<_>>().join(" ");
        extra.push(format!("Example: `{}`.", example.replace('`', "'")));
    }
    if !extra.is_empty() {
        // The facts close the field's doc text, on its last line.
        if !docs.is_empty() {
            docs.push(' ');
        }
        docs.push_str(&extra.join(" "));
    }
    docs
}

fn build_type(
    cx: &mut OpContext<'_>,
    field: &FieldSpec,
    wire: &str,
    path: &str,
    side: Side,
) -> Option<RustType> {
    let needle = format!("name: {wire}");
    let misplaced = |cx: &mut OpContext<'_>, key: &str, present: bool| {
        if present {
            cx.error(
                path,
                Some(&needle),
                format!("`{key}` does not apply to type {:?}", field.ty),
            );
        }
    };
    misplaced(
        cx,
        "items",
        field.items.is_some() && field.ty != TypeName::List,
    );
    misplaced(
        cx,
        "wrapper",
        field.wrapper.is_some() && field.ty != TypeName::List,
    );
    misplaced(
        cx,
        "fields",
        field.fields.is_some() && field.ty != TypeName::Object,
    );
    misplaced(
        cx,
        "struct",
        field.struct_name.is_some() && field.ty != TypeName::Object,
    );
    misplaced(
        cx,
        "values",
        field.values.is_some() && field.ty != TypeName::Map,
    );
    let is_enum = field.enum_values.is_some();
    // Numbers may list their valid values too; they stay numbers and the values are
    // documented.
    misplaced(
        cx,
        "enum",
        is_enum
            && !matches!(
                field.ty,
                TypeName::String | TypeName::Int32 | TypeName::Int64
            ),
    );
    if matches!(field.ty, TypeName::Int32 | TypeName::Int64) {
        let values = field.enum_values.as_deref().unwrap_or_default();
        if let Some(bad) = values.iter().find(|v| v.value.parse::<i64>().is_err()) {
            cx.error(
                path,
                Some(&needle),
                format!(
                    "`enum` values of an integer must be integers, not {:?}",
                    bad.value
                ),
            );
        }
    }
    misplaced(
        cx,
        "enum_name",
        field.enum_name.is_some() && field.ty != TypeName::String,
    );

    Some(match field.ty {
        TypeName::String if is_enum => {
            let values = field.enum_values.as_deref().unwrap_or_default();
            let name = type_name_of(cx, field.enum_name.as_deref(), wire, path)?;
            build_enum(cx, &name, values, wire, path)?;
            RustType::Enum(name)
        }
        TypeName::String | TypeName::Date | TypeName::Datetime | TypeName::Decimal => {
            RustType::String
        }
        TypeName::Int32 => RustType::I32,
        TypeName::Int64 => RustType::I64,
        TypeName::Bool => RustType::Bool,
        TypeName::Number => RustType::F64,
        TypeName::Any => RustType::Any,
        TypeName::EpochMillis => RustType::EpochMillis,
        TypeName::EpochSeconds => RustType::EpochSeconds,
        TypeName::List => {
            let Some(items) = &field.items else {
                cx.error(path, Some(&needle), "a list needs `items`");
                return None;
            };
            if items.name.is_some() {
                cx.error(
                    &format!("{path}[]"),
                    Some(&needle),
                    "list items have no `name`",
                );
            }
            let inner = build_type(cx, items, wire, &format!("{path}[]"), side)?;
            RustType::List(Box::new(inner))
        }
        TypeName::Map => {
            let Some(values) = &field.values else {
                cx.error(path, Some(&needle), "a map needs `values`");
                return None;
            };
            let inner = build_type(cx, values, wire, &format!("{path}{{}}"), side)?;
            RustType::Map(Box::new(inner))
        }
        TypeName::Object => {
            let Some(specs) = &field.fields else {
                cx.error(path, Some(&needle), "an object needs `fields`");
                return None;
            };
            let name = type_name_of(cx, field.struct_name.as_deref(), wire, path)?;
            // A second object of the same name is the same type when its shape agrees.
            let again = cx.structs.iter().any(|s| s.name == name);
            if !again && !cx.claim_type(&name, path) {
                return None;
            }
            let body = cx.loaded.spec.request_body;
            let fields = build_fields(cx, specs, path, side, body);
            let docs = match &field.description {
                Some(description) if field.name.is_some() || path.ends_with("[]") => {
                    clean(description)
                }
                _ if path.ends_with("[]") => format!("One item of `{wire}`."),
                _ => format!("The `{wire}` object."),
            };
            let model = StructModel {
                name: name.clone(),
                docs,
                derive_default: derives_default(&fields),
                side,
                fields,
                serialize: false,
            };
            if again {
                let first = cx.structs.iter().find(|s| s.name == name)?;
                if !same_shape(first, &model) {
                    cx.error(
                        path,
                        Some(&needle),
                        format!(
                            "type {name} is defined twice with different fields; set `struct` \
                             on one of them"
                        ),
                    );
                    return None;
                }
            } else {
                cx.structs.push(model);
            }
            RustType::Struct(name)
        }
    })
}

/// The Rust name of the struct or enum of field `wire`: the spec's name or the one derived
/// from the wire name, escaped ([`names::type_ident`]).
fn type_name_of(
    cx: &mut OpContext<'_>,
    spec_name: Option<&str>,
    wire: &str,
    path: &str,
) -> Option<String> {
    let name = spec_name.map_or_else(|| names::type_name(wire), str::to_owned);
    if name.is_empty() {
        let needle = format!("name: {wire}");
        cx.error(
            path,
            Some(&needle),
            format!("{wire:?} gives no Rust type name; name it with `struct` or `enum_name`"),
        );
        return None;
    }
    Some(names::type_ident(&name))
}

/// Whether two structs of one operation hold the same fields: same wire and Rust names,
/// types (nested types named alike are one type), flags and location. Docs do not count.
fn same_shape(a: &StructModel, b: &StructModel) -> bool {
    a.side == b.side
        && a.fields.len() == b.fields.len()
        && a.fields.iter().zip(&b.fields).all(|(x, y)| {
            x.wire == y.wire
                && x.ident == y.ident
                && x.ty == y.ty
                && x.required == y.required
                && x.sensitive == y.sensitive
                && x.location == y.location
                && x.style == y.style
                && x.optional == y.optional
        })
}

fn build_enum(
    cx: &mut OpContext<'_>,
    name: &str,
    values: &[EnumValueSpec],
    wire: &str,
    path: &str,
) -> Option<()> {
    let needle = format!("name: {wire}");
    if values.is_empty() {
        cx.error(path, Some(&needle), "an enum needs at least one value");
        return None;
    }
    let mut variants = Vec::new();
    let mut seen_values = BTreeSet::new();
    let mut seen_names = BTreeSet::new();
    for value in values {
        if let Some(rust_name) = &value.rust_name {
            if !names::is_type_name(rust_name) {
                cx.error(
                    path,
                    Some(&needle),
                    format!("enum rust_name {rust_name:?} is not a PascalCase name"),
                );
                return None;
            }
        }
        let variant = value
            .rust_name
            .clone()
            .or_else(|| names::variant_name(&value.value));
        let Some(variant) = variant else {
            cx.error(
                path,
                Some(&needle),
                format!("enum value {:?} gives no Rust variant name", value.value),
            );
            return None;
        };
        if !seen_values.insert(value.value.clone()) {
            cx.error(
                path,
                Some(&needle),
                format!("duplicate enum value {:?}", value.value),
            );
            return None;
        }
        if !seen_names.insert(variant.clone()) {
            cx.error(
                path,
                Some(&needle),
                format!("enum values map to the same variant {variant}"),
            );
            return None;
        }
        variants.push(VariantModel {
            name: variant,
            value: value.value.clone(),
            docs: value.description.as_deref().map(clean),
        });
    }
    let model = EnumModel {
        name: name.to_owned(),
        docs: format!("Values of `{wire}` in {}.", cx.loaded.spec.action),
        variants,
    };
    // The same enum may serve several fields of one operation when its values agree.
    if let Some(existing) = cx.enums.iter().find(|e| e.name == name) {
        if existing.variants == model.variants {
            return Some(());
        }
        cx.error(
            path,
            Some(&needle),
            format!("enum {name} is defined twice with different values; set enum_name"),
        );
        return None;
    }
    if !cx.claim_type(name, path) {
        return None;
    }
    cx.enums.push(model);
    Some(())
}

fn build_pagination(
    cx: &mut OpContext<'_>,
    spec: &PaginationSpec,
    request: &StructModel,
    response: &StructModel,
) -> Option<PaginationModel> {
    let (counter, cursor_wire, page_size_wire, total, items) = match spec {
        PaginationSpec::NextToken {
            token,
            page_size,
            next,
            items,
            ..
        } => {
            return build_token_pagination(
                cx,
                token,
                page_size.as_deref(),
                next,
                items,
                request,
                response,
            );
        }
        PaginationSpec::PageNumber {
            page,
            page_size,
            total,
            items,
            ..
        } => {
            let page_field = request_int(cx, request, page, "pagination.page")?;
            let size_field = request_int(cx, request, page_size, "pagination.page_size")?;
            let counter = Counter::PageNumber {
                page: page_field.ident.clone(),
                required: page_field.required,
                page_type: page_field.ty.clone(),
                size: size_field.ident.clone(),
                size_required: size_field.required,
                size_type: size_field.ty.clone(),
            };
            (counter, page, Some(page_size.clone()), total, items)
        }
        PaginationSpec::StartIndex {
            start,
            total,
            items,
            ..
        } => {
            let start_field = request_int(cx, request, start, "pagination.start")?;
            let counter = Counter::StartIndex {
                start: start_field.ident.clone(),
                start_type: start_field.ty.clone(),
                required: start_field.required,
            };
            (counter, start, None, total, items)
        }
    };
    let resolved = resolve_path(&cx.structs, response, total);
    let total_path = resolved
        .map_err(|message| cx.error("pagination.total", Some("total:"), message))
        .ok()?;
    if !matches!(
        total_path.last().map(|s| &s.ty),
        Some(RustType::I32 | RustType::I64)
    ) {
        cx.error(
            "pagination.total",
            Some("total:"),
            format!("{total} is not an integer field of the response"),
        );
        return None;
    }
    let (items_path, item_type) = build_items(cx, response, items)?;
    let echo = match &counter {
        Counter::PageNumber { .. } => page_echo(cx, response, total, cursor_wire),
        Counter::StartIndex { .. } => None,
    };
    Some(PaginationModel {
        paging: Paging::Counted {
            counter,
            total: ResponsePath {
                wire: total.clone(),
                steps: total_path,
            },
            echo,
        },
        cursor_wire: cursor_wire.clone(),
        page_size_wire,
        items_wire: items.clone(),
        items: items_path,
        item_type,
    })
}

/// The page number a response echoes back: an integer field beside the total named like
/// the page parameter (or `PageNumber`, `CurrentPage`, `PageNum`).
fn page_echo(
    cx: &OpContext<'_>,
    response: &StructModel,
    total: &str,
    page: &str,
) -> Option<ResponsePath> {
    let parent = total.rsplit_once('.').map(|(parent, _)| parent);
    [page, "PageNumber", "CurrentPage", "PageNum"]
        .into_iter()
        .find_map(|name| {
            let wire = match parent {
                Some(parent) => format!("{parent}.{name}"),
                None => name.to_owned(),
            };
            let steps = resolve_path(&cx.structs, response, &wire).ok()?;
            matches!(
                steps.last().map(|s| &s.ty),
                Some(RustType::I32 | RustType::I64)
            )
            .then_some(ResponsePath { wire, steps })
        })
}

/// The item list of a paginated response and its item type.
fn build_items(
    cx: &mut OpContext<'_>,
    response: &StructModel,
    items: &str,
) -> Option<(Vec<PathStep>, RustType)> {
    let items_path = resolve_path(&cx.structs, response, items)
        .map_err(|message| cx.error("pagination.items", Some("items:"), message))
        .ok()?;
    let Some(RustType::List(item_type)) = items_path.last().map(|s| s.ty.clone()) else {
        cx.error(
            "pagination.items",
            Some("items:"),
            format!("{items} is not a list field of the response"),
        );
        return None;
    };
    Some((items_path, *item_type))
}

fn build_token_pagination(
    cx: &mut OpContext<'_>,
    token: &str,
    page_size: Option<&str>,
    next: &str,
    items: &str,
    request: &StructModel,
    response: &StructModel,
) -> Option<PaginationModel> {
    let Some(token_field) = request.fields.iter().find(|f| f.wire == token) else {
        cx.error(
            "pagination.token",
            Some(&format!(": {token}")),
            format!("request parameter {token} does not exist"),
        );
        return None;
    };
    if token_field.ty != RustType::String {
        cx.error(
            "pagination.token",
            Some(&format!(": {token}")),
            format!("request parameter {token} is not a string"),
        );
        return None;
    }
    if let Some(size) = page_size {
        request_int(cx, request, size, "pagination.page_size")?;
    }
    let next_path = resolve_path(&cx.structs, response, next)
        .map_err(|message| cx.error("pagination.next", Some("next:"), message))
        .ok()?;
    if next_path.last().map(|s| &s.ty) != Some(&RustType::String) {
        cx.error(
            "pagination.next",
            Some("next:"),
            format!("{next} is not a string field of the response"),
        );
        return None;
    }
    let (items_path, item_type) = build_items(cx, response, items)?;
    Some(PaginationModel {
        paging: Paging::Token {
            token: token_field.ident.clone(),
            required: token_field.required,
            next: ResponsePath {
                wire: next.to_owned(),
                steps: next_path,
            },
        },
        cursor_wire: token.to_owned(),
        page_size_wire: page_size.map(str::to_owned),
        items_wire: items.to_owned(),
        items: items_path,
        item_type,
    })
}

fn build_waiter(
    cx: &mut OpContext<'_>,
    spec: &WaiterSpec,
    response: &StructModel,
) -> Option<WaiterModel> {
    let field = format!("waiters.{}", spec.name);
    let needle = format!("name: {}", spec.name);
    if !names::is_snake_name(&spec.name) {
        cx.error(&field, Some(&needle), "a waiter name must be snake_case");
        return None;
    }
    if spec.success.is_empty() {
        cx.error(
            &field,
            Some(&needle),
            "a waiter needs at least one success value",
        );
        return None;
    }
    let path = resolve_path(&cx.structs, response, &spec.path)
        .map_err(|message| cx.error(&field, Some(&needle), message))
        .ok()?;
    let matchable = matches!(
        path.last().map(|s| &s.ty),
        Some(RustType::String | RustType::Enum(_) | RustType::I32 | RustType::I64)
    );
    if !matchable {
        cx.error(
            &field,
            Some(&needle),
            format!("{} is not a text, enum or integer field", spec.path),
        );
        return None;
    }
    if path[..path.len() - 1]
        .iter()
        .any(|s| !matches!(s.ty, RustType::Struct(_)))
    {
        cx.error(
            &field,
            Some(&needle),
            format!(
                "{} goes through a list or map; a waiter matches one value",
                spec.path
            ),
        );
        return None;
    }
    let min = spec.min_delay_seconds.unwrap_or(5);
    let max = spec.max_delay_seconds.unwrap_or(60);
    let limit = spec.max_wait_seconds.unwrap_or(900);
    if min == 0 || max < min || limit < min {
        cx.error(
            &field,
            Some(&needle),
            "delays must satisfy 0 < min_delay_seconds <= max_delay_seconds and min <= max_wait_seconds",
        );
        return None;
    }
    Some(WaiterModel {
        method: names::waiter_ident(&spec.name),
        rule: format!("{}_RULE", spec.name.to_uppercase()),
        name: spec.name.clone(),
        path,
        path_wire: spec.path.clone(),
        success: spec.success.clone(),
        failure: spec.failure.clone(),
        min_delay_seconds: min,
        max_delay_seconds: max,
        max_wait_seconds: limit,
    })
}

fn request_int<'a>(
    cx: &mut OpContext<'_>,
    request: &'a StructModel,
    wire: &str,
    path: &str,
) -> Option<&'a FieldModel> {
    match request.fields.iter().find(|f| f.wire == wire) {
        Some(field) if matches!(field.ty, RustType::I32 | RustType::I64) => Some(field),
        Some(_) => {
            cx.error(
                path,
                Some(&format!(": {wire}")),
                format!("request parameter {wire} is not an integer"),
            );
            None
        }
        None => {
            cx.error(
                path,
                Some(&format!(": {wire}")),
                format!("request parameter {wire} does not exist"),
            );
            None
        }
    }
}

/// Resolves a dotted wire path (`Data.TotalCount`) through the response structs.
fn resolve_path(
    structs: &[StructModel],
    response: &StructModel,
    dotted: &str,
) -> Result<Vec<PathStep>, String> {
    let mut steps = Vec::new();
    let mut fields = &response.fields;
    let segments: Vec<&str> = dotted.split('.').collect();
    for (index, segment) in segments.iter().enumerate() {
        let field = fields
            .iter()
            .find(|f| f.wire == *segment)
            .ok_or_else(|| format!("response field {dotted} does not exist (no {segment})"))?;
        steps.push(PathStep {
            ident: field.ident.clone(),
            required: field.required,
            ty: field.ty.clone(),
        });
        if index + 1 < segments.len() {
            let nested = match &field.ty {
                RustType::Struct(name) => structs.iter().find(|s| &s.name == name),
                _ => None,
            };
            fields = &nested
                .ok_or_else(|| format!("{segment} in {dotted} is not an object"))?
                .fields;
        }
    }
    Ok(steps)
}
