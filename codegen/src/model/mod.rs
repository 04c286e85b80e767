//! Stage 2: the annotated model. Every Rust name, type and doc text is decided here, and
//! every semantic check of the specs happens here, so rendering only prints.
//!
//! This module holds the model's types and the checks of a product version (`build`);
//! what each part decides lives in its own module: `operation` (an operation: its
//! names, facts, idempotency token and the structs sent as JSON), `fields` (every field:
//! Rust name and type, optionality, reader, docs, enums, and which request shapes the wire
//! carries) and `paging` (paginators, waiters and the response paths they follow).

mod fields;
mod operation;
mod paging;

use operation::build_operation;

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
    /// Documented error codes, in spec order.
    pub errors: Vec<ErrorCodeModel>,
}

/// One documented error code of an operation: a constant in its `error_code` module.
#[derive(Clone, Debug)]
pub struct ErrorCodeModel {
    /// The code as the service sends it (`NotFoundOrder`).
    pub code: String,
    pub http_status: u16,
    /// The constant's name (`NOT_FOUND_ORDER`).
    pub const_name: String,
    /// What it means, in the spec's words.
    pub description: Option<String>,
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
    /// `wire::decimal`: an exact decimal from a number or text, digits kept.
    Decimal,
    /// `wire::decimal_required`.
    DecimalRequired,
}

/// The Rust type of a field, before `Option` is applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RustType {
    String,
    I32,
    I64,
    Bool,
    F64,
    /// An exact decimal (`wire::Decimal`): money.
    Decimal,
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
    for (region, over) in &spec.endpoints.overrides {
        if over.note.trim().is_empty() || over.host.trim().is_empty() {
            errors.push(
                SpecError::new(
                    file,
                    "an endpoint override needs a host and a note saying why it differs \
                     from the published map",
                )
                .field(format!("endpoints.overrides.{region}")),
            );
        }
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
            regional_endpoints: {
                let mut map = spec.endpoints.regional.clone();
                for (region, over) in &spec.endpoints.overrides {
                    map.insert(region.clone(), over.host.clone());
                }
                map.into_iter().collect()
            },
            endpoint_rule: spec.endpoints.rule.clone(),
            vpc_endpoint_rule: spec.endpoints.vpc_rule.clone(),
        },
        operations,
        types: Vec::new(),
        type_enums: Vec::new(),
    })
}
