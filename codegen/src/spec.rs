//! The spec format: one JSON file per API operation, transcribed from its reference page.
//!
//! These types are the format's single source of truth: serde reads spec files with them
//! (unknown fields are errors), and `schemars` derives `specs/spec.schema.json` from them, so the
//! schema editors validate against cannot drift from what the generator accepts. The doc comments
//! below become the schema's descriptions. `specs/README.md` explains the format in prose.
//!
//! The serde model checks shape only. Everything that relates one part of a spec to another
//! (a constraint naming a field, an example fitting its type, names that clash once converted to
//! Rust) is checked by validation (`validate.rs`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One API operation, as its reference page describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Alibaba Cloud OpenAPI operation spec")]
pub struct Spec {
    /// Path of the JSON Schema that editors validate this file against.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The product (cloud service) the operation belongs to.
    pub product: Product,
    /// The operation's name, exactly as the page and the `x-acs-action` header spell it.
    pub operation: String,
    /// The API version sent as `x-acs-version`, as Alibaba Cloud writes it (`2014-05-26`,
    /// `ssp_1.0`).
    pub api_version: String,
    /// RPC (parameters in the query string) or ROA (resource path, JSON body).
    pub style: Style,
    /// HTTP method and path.
    pub http: Http,
    /// How the host name is chosen.
    pub endpoint: Endpoint,
    /// Where the spec was transcribed from.
    pub source: Source,
    /// The page's one-paragraph summary of the operation; absent until a page (or metadata that
    /// has one) gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Further prose the page gives about the operation ("Operation description" and the like).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How requests are authenticated: signed with the caller's credentials (`ak`, the default)
    /// or sent without (`anonymous`: the parameters authenticate the call, as an OIDC token
    /// does for STS `AssumeRoleWithOIDC`).
    #[serde(default, skip_serializing_if = "Auth::is_ak")]
    pub auth: Auth,
    /// What the operation does, in the official metadata's words (`operationType`): `get`,
    /// `list` and `read` operations only read, so the client may repeat them when a reply is
    /// lost. Absent: read-only when every RAM authorization row's access level is `get`, `list`
    /// or `read`; otherwise the operation counts as one that changes something.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_type: Option<AccessLevel>,
    /// The RAM authorization table: one row per action (empty where the page has none, "No
    /// authorization for this operation", or no page was imported yet).
    #[serde(default)]
    pub authorization: Vec<RamAction>,
    /// Request parameters and the rules the page states about them.
    pub request: Request,
    /// Response elements and the page's example success response.
    pub response: Response,
    /// The page's error-code table (empty when the page has none of its own).
    pub errors: Vec<ErrorCode>,
    /// How a list operation hands out its results page by page, when it does: which request
    /// parameter asks for the next page, which response elements say there is one and where
    /// the items are. The client offers a stream of pages (and of items) for such operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// The page's change history, newest first.
    #[serde(default)]
    pub change_history: Vec<Change>,
    /// Every decision taken where the page is unclear, so that the generator never guesses.
    #[serde(default)]
    pub notes: Vec<Note>,
}

impl Spec {
    /// Whether the operation only reads: its `operation_type` says so, or, without one, every
    /// RAM authorization row has a read-only access level (an operation without rows counts as
    /// one that changes something).
    pub fn is_read_only(&self) -> bool {
        match self.operation_type {
            Some(kind) => kind.is_read_only(),
            None => {
                !self.authorization.is_empty()
                    && self
                        .authorization
                        .iter()
                        .all(|row| row.access_level.is_read_only())
            }
        }
    }
}

/// How a list operation pages its results. Request parameters are named by their wire name
/// (a top-level parameter, or a field of a JSON body); response elements by the path of wire
/// names from the top of the response, joined with dots (`Images.Image`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "style", rename_all = "snake_case", deny_unknown_fields)]
pub enum Pagination {
    /// Each response carries the token that asks for the next page (`NextToken`, `Marker`);
    /// the last page carries none (or an empty one), or says so with a boolean (`IsTruncated`
    /// false).
    Token {
        /// The request parameter that carries the token (`NextToken`).
        input_token: String,
        /// The response element holding the next page's token (`NextToken`).
        output_token: String,
        /// The request parameter that sets how many items a page holds (`MaxResults`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        page_size: Option<String>,
        /// The response element that says whether more pages follow (`IsTruncated`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        more: Option<String>,
        /// The response list holding one page's items (`Roles.Role`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        items: Option<String>,
    },
    /// Pages are numbered (`PageNumber`, from 1); the listing ends with a page that is empty,
    /// with the page that reaches the total count, or with a page shorter than the page size
    /// the service reports.
    Page {
        /// The request parameter that carries the page number (`PageNumber`).
        page_number: String,
        /// The request parameter that sets how many items a page holds (`PageSize`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        page_size: Option<String>,
        /// The response list holding one page's items (`Images.Image`).
        items: String,
        /// The response element with the number of items in all pages (`TotalCount`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        total_count: Option<String>,
        /// The response element with the number of the page returned (`PageNumber`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        returned_page_number: Option<String>,
        /// The response element with the page size the service applied (`PageSize`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        returned_page_size: Option<String>,
    },
}

/// How an operation's requests are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Auth {
    /// Signed with an AccessKey (ACS3-HMAC-SHA256).
    #[default]
    Ak,
    /// Not signed.
    Anonymous,
}

impl Auth {
    /// Whether this is the default, `ak`.
    pub fn is_ak(&self) -> bool {
        *self == Self::Ak
    }
}

/// The product an operation belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// The product code, as Alibaba Cloud spells it (`BssOpenApi`, `ICE`).
    pub code: String,
    /// The product's display name, where the page gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The Rust module and cargo feature for the product: lower-case ASCII letters, digits, `_`.
    pub module: String,
}

/// The API style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Style {
    /// Remote procedure call: every parameter in the query string, path `/`.
    #[serde(rename = "RPC")]
    Rpc,
    /// Resource-oriented: a resource path, parameters in the path, query, headers or JSON body.
    #[serde(rename = "ROA")]
    Roa,
}

/// HTTP method and path of an operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Http {
    /// The HTTP method.
    pub method: Method,
    /// The request path; `/` for RPC operations.
    pub path: String,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
    /// `PATCH`
    Patch,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
            Self::Patch => "PATCH",
        }
    }
}

/// How the endpoint host is chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum Endpoint {
    /// One host per region: `host` holds `{region}` once, replaced by the region ID.
    Regional {
        /// The host template, e.g. `ice.{region}.aliyuncs.com`.
        host: String,
        /// Regions whose host the template does not give (`ecs-cn-hangzhou.aliyuncs.com`).
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        regions: std::collections::BTreeMap<String, String>,
        /// The VPC endpoint of each region that has one (`ecs-vpc.cn-hangzhou.aliyuncs.com`),
        /// used when the client's network is `Vpc`.
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        vpc: std::collections::BTreeMap<String, String>,
    },
    /// A fixed host per site, whatever the region; the first site is used when the client
    /// configures none (`ConfigBuilder::site`).
    Global {
        /// The sites and their hosts.
        hosts: Vec<SiteHost>,
        /// Regions served by a host of their own (`business.ap-southeast-1.aliyuncs.com`).
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        regions: std::collections::BTreeMap<String, String>,
        /// The VPC endpoint of each region that has one.
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        vpc: std::collections::BTreeMap<String, String>,
    },
}

/// The host of one site of a global endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteHost {
    /// The site's name (`china`, `international`).
    pub site: String,
    /// The host name.
    pub host: String,
}

/// Where a spec was transcribed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The page's file name (`ice-CreateIpcOrder.txt`), as copied from the documentation site;
    /// the pages the tests use are kept in `tests/fixtures/api-pages/`.
    pub page: String,
    /// The page's title line, where it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The page's "last updated" date (`YYYY-MM-DD`), where it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
    /// The page's text layout.
    pub layout: PageLayout,
}

/// The text layouts reference pages come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PageLayout {
    /// "Try it now" and "RAM authorization" sections, one table cell per line, bulleted lists.
    Bulleted,
    /// Machine-translated page whose table cells run together on one line.
    MachineTranslated,
    /// Tables whose cells are delimited by `|`.
    PipeTable,
    /// Not a page: Alibaba's machine-readable API metadata (`cargo xtask import-meta`); `page`
    /// names the metadata file and the operation.
    Metadata,
}

/// One row of the RAM authorization table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RamAction {
    /// The action for the `Action` element of a RAM policy (`bss:ModifyInstance`).
    pub action: String,
    /// The access level.
    pub access_level: AccessLevel,
    /// The resource types the action can be granted on.
    pub resource_types: Vec<ResourceType>,
    /// Condition keys the service defines for the action.
    pub condition_keys: Vec<String>,
    /// Actions the caller must also be allowed to perform.
    pub dependent_actions: Vec<String>,
}

/// A RAM access level; also an operation's type (`operation_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccessLevel {
    /// Creates resources.
    Create,
    /// Reads resources.
    Read,
    /// Lists resources.
    List,
    /// Gets one resource.
    Get,
    /// Updates resources.
    Update,
    /// Deletes resources.
    Delete,
    /// Writes resources.
    Write,
    /// The page states `none` (no access level).
    None,
}

impl AccessLevel {
    /// The level's name as the pages write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Read => "read",
            Self::List => "list",
            Self::Get => "get",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::Write => "write",
            Self::None => "none",
        }
    }

    /// Whether operations of this level only read (`get`, `list`, `read`).
    pub fn is_read_only(self) -> bool {
        matches!(self, Self::Read | Self::List | Self::Get)
    }
}

/// A resource type of a RAM authorization row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceType {
    /// The resource type as the page names it (`All Resources`).
    pub name: String,
    /// Whether the page marks it as required (a leading `*`).
    pub required: bool,
    /// The resource ARN pattern the page gives under it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
}

/// The request side of an operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The top-level parameters, in page order.
    pub parameters: Vec<Field>,
    /// Rules the prose states about the top-level parameters.
    #[serde(default)]
    pub constraints: Vec<Constraint>,
}

/// The response side of an operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// The page's description of the response object, where it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The response elements, in page order.
    #[serde(default)]
    pub fields: Vec<Field>,
    /// Whether the response may hold elements `fields` does not list. Set where the source
    /// describes no response (the official metadata states none for most operations), or may
    /// lag the service (a Darabonba model): the generated type keeps every unlisted element
    /// as JSON in a field `unlisted`, so nothing the server sends is lost and nothing is
    /// invented.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open: bool,
    /// The page's example success response, verbatim, where the source gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// What the body is: a JSON object of `fields` (`object`, the default), another JSON
    /// value described by `value` (`json`: a list, a map, a scalar, any value), text
    /// (`text`), bytes (`binary`), or nothing to read (`none`). The generated response of
    /// the last four has one field, `body`, holding it (none for `none`).
    #[serde(default, skip_serializing_if = "BodyKind::is_object")]
    pub body: BodyKind,
    /// The body's value, for a `json` body: a field without `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Box<Field>>,
}

/// What a response body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BodyKind {
    /// A JSON object whose elements are the response's `fields`.
    #[default]
    Object,
    /// Another JSON value (a list, a map, a scalar, any value), described by `value`.
    Json,
    /// Text, as it is (not JSON).
    Text,
    /// Bytes, as they are.
    Binary,
    /// Nothing to read: whatever the body holds is not kept.
    None,
}

impl BodyKind {
    /// Whether this is the default, a JSON object of fields.
    pub fn is_object(&self) -> bool {
        *self == Self::Object
    }

    /// The kind's name in the format.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Object => "object",
            Self::Json => "json",
            Self::Text => "text",
            Self::Binary => "binary",
            Self::None => "none",
        }
    }
}

/// A parameter, a field of an object, a response element, or the item of an array.
///
/// One shape serves every place a typed value appears; which attributes are allowed depends on
/// where it stands (a response element has no `required`, only a top-level request parameter has
/// a `location`), and validation reports any attribute out of place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The wire name, exactly as on the page. Absent only on an array's `items`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The Rust field name, where the one derived from `name` is not wanted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// The type as the page states it.
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// Whether the page marks the parameter as required. Request side only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// The page's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The page's example value, typed (`12`, not `"12"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// The default value the page states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// Where a top-level request parameter travels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// How a top-level request parameter is encoded; derived from its type when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<Encoding>,
    /// Marks a string parameter that makes retries idempotent (a client token): the client
    /// fills it in when the caller leaves it unset, and reuses it on every retry.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub idempotency_token: bool,
    /// The valid values and their meanings.
    #[serde(rename = "enum", default, skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<EnumValue>>,
    /// The Rust name of the enum type; defaults to the field's name in UpperCamelCase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enum_name: Option<String>,
    /// The Rust name of an object's type; defaults to the field's name in UpperCamelCase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_name: Option<String>,
    /// An object's fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<Field>>,
    /// An array's item, or a map's value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Field>>,
    /// For an object that is one of its own ancestors (a recursive shape): the `type_name` of
    /// the enclosing object whose type it has. It then gives no `fields` of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_ref: Option<String>,
    /// Rules the prose states about an object's fields (request side).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
}

impl Field {
    /// A field of type `ty` named `name` (`None` for an array's item), with nothing else set:
    /// the start of a field built in code (synthetic and test specs), never a page's.
    pub fn new(name: Option<&str>, ty: FieldType) -> Self {
        Self {
            name: name.map(str::to_owned),
            rust_name: None,
            ty,
            required: None,
            description: None,
            example: None,
            default: None,
            location: None,
            encoding: None,
            idempotency_token: false,
            enum_values: None,
            enum_name: None,
            type_name: None,
            fields: None,
            items: None,
            type_ref: None,
            constraints: Vec::new(),
        }
    }
}

impl Spec {
    /// The spec as a file holds it: pretty JSON with a final newline.
    pub fn to_file_text(&self) -> String {
        // Every part of a spec is plain data with string keys, so this cannot fail.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// A type as reference pages state it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// Text.
    String,
    /// A 32-bit signed integer.
    Integer,
    /// A 64-bit signed integer.
    Long,
    /// A 32-bit float.
    Float,
    /// A 64-bit float.
    Double,
    /// `true` or `false`.
    Boolean,
    /// An object with named `fields`.
    Object,
    /// A list of `items`.
    Array,
    /// An object whose keys are free text and whose values are all of one type, `items`
    /// (`additionalProperties` in the metadata).
    Map,
    /// Any JSON value (an untyped value, or an object the page gives no fields for).
    Any,
    /// Bytes: a file or an image, sent as the request body.
    Binary,
}

impl FieldType {
    /// The name the format and the pages use for the type.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Integer => "integer",
            Self::Long => "long",
            Self::Float => "float",
            Self::Double => "double",
            Self::Boolean => "boolean",
            Self::Object => "object",
            Self::Array => "array",
            Self::Map => "map",
            Self::Any => "any",
            Self::Binary => "binary",
        }
    }

    /// Whether values of this type are numbers.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Self::Integer | Self::Long | Self::Float | Self::Double
        )
    }

    /// Whether the type is a single value (not an object, array, map or free JSON value).
    pub fn is_scalar(self) -> bool {
        !matches!(self, Self::Object | Self::Array | Self::Map | Self::Any)
    }

    /// Whether the type holds other values through `items` (an array's items, a map's values).
    pub fn has_items(self) -> bool {
        matches!(self, Self::Array | Self::Map)
    }
}

/// Where a request parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// The query string.
    Query,
    /// The request body: a JSON body's fields (`json_body`), or the whole body (`json`: the
    /// value as JSON; `plain`: a string as it is, or binary bytes).
    Body,
    /// A field of a form body (`application/x-www-form-urlencoded`), written like a query
    /// parameter (`formData` in the metadata).
    Form,
    /// A `{Name}` segment of the path.
    Path,
    /// An HTTP header.
    Header,
    /// The first label of the endpoint's host (`<value>.<host>`).
    Host,
}

/// How a request parameter is put on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// A scalar as its text (in the body: a string as it is, or binary bytes).
    Plain,
    /// An array, object or map flattened into keys: `Name.1.Field`, 1-based, `Name.key`
    /// (`repeatList` and `flat` in the metadata).
    Flat,
    /// One parameter whose value is JSON text (a JSON-string parameter); in the body, the
    /// whole body is the value as JSON.
    Json,
    /// The object is the whole JSON body; its fields become the request's own fields.
    JsonBody,
    /// A list of scalars joined by commas: `Name=a,b,c` (`simple` in the metadata).
    Simple,
}

/// One valid value and its meaning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The value as it travels (string, integer or boolean, matching the field's type).
    pub value: Value,
    /// The Rust variant name, where the one derived from the value is not wanted or cannot be
    /// derived (integers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// The value's meaning, where the source states one (the official metadata mostly lists
    /// bare values).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A rule the page's prose states, as data the generator turns into a check (or documentation).
///
/// `field` names a sibling field by wire name: a constraint on `request` names top-level
/// parameters, a constraint on an object names that object's fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Constraint {
    /// The number must be a whole multiple of `factor`.
    MultipleOf {
        /// The constrained field.
        field: String,
        /// The factor (positive).
        factor: i64,
    },
    /// The number must lie in `min..=max` (either bound may be absent).
    Range {
        /// The constrained field.
        field: String,
        /// The smallest allowed value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        /// The largest allowed value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    /// The text's length in characters must lie in `min..=max`.
    Length {
        /// The constrained field.
        field: String,
        /// The shortest allowed length.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<u64>,
        /// The longest allowed length.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u64>,
    },
    /// A list, when given, must hold `min..=max` items.
    ItemCount {
        /// The constrained field.
        field: String,
        /// The fewest items allowed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<u64>,
        /// The most items allowed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u64>,
    },
    /// The value must be one of `values` (a restriction without meanings, e.g. "only 1").
    AllowedValues {
        /// The constrained field.
        field: String,
        /// The allowed values.
        values: Vec<Value>,
    },
    /// The text may hold ASCII characters only.
    Ascii {
        /// The constrained field.
        field: String,
    },
    /// The text must match a regular expression (Rust `regex` syntax; `^` and `$` anchor it
    /// where the source does).
    Pattern {
        /// The constrained field.
        field: String,
        /// The regular expression.
        pattern: String,
    },
    /// The field must be given when the condition holds.
    RequiredIf {
        /// The field that becomes required.
        field: String,
        /// The condition.
        when: Condition,
    },
    /// When `if` holds, `then` must hold too.
    Implies {
        /// The premise.
        #[serde(rename = "if")]
        premise: Condition,
        /// What the premise demands.
        then: Condition,
    },
    /// A daily usage quota that comes with a value (documentation; the service enforces it).
    DailyQuota {
        /// The field whose value brings the quota.
        field: String,
        /// The value that brings the quota.
        value: Value,
        /// The quotas.
        quotas: Vec<Quota>,
    },
}

impl Constraint {
    /// The field named by the constraint's own `field` key (none for `implies`, whose fields
    /// are in its conditions).
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::MultipleOf { field, .. }
            | Self::Range { field, .. }
            | Self::Length { field, .. }
            | Self::ItemCount { field, .. }
            | Self::AllowedValues { field, .. }
            | Self::Ascii { field }
            | Self::Pattern { field, .. }
            | Self::RequiredIf { field, .. }
            | Self::DailyQuota { field, .. } => Some(field),
            Self::Implies { .. } => None,
        }
    }

    /// Every field the constraint names, its conditions' included.
    pub fn fields(&self) -> Vec<&str> {
        match self {
            Self::Implies { premise, then } => vec![premise.field.as_str(), then.field.as_str()],
            Self::RequiredIf { field, when } => vec![field.as_str(), when.field.as_str()],
            other => other.field().into_iter().collect(),
        }
    }
}

/// A test on one field, used by conditional constraints. Exactly one of `equals`, `one_of` and
/// `present` is given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The tested field.
    pub field: String,
    /// Holds when the field is given and equals this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<Value>,
    /// Holds when the field is given and equals one of these values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<Value>>,
    /// Holds when the field is given (`true`) or absent (`false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub present: Option<bool>,
}

/// An amount per day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quota {
    /// How many per day.
    pub amount: u64,
    /// Of what (`image analyses`, `searches`).
    pub unit: String,
}

/// One row of the error-code table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    /// The HTTP status the error comes with.
    pub http_status: u16,
    /// The error code (the `Code` of the error body).
    pub code: String,
    /// The Rust variant name, where the one derived from the code is not wanted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// The error message.
    pub message: String,
    /// The page's description, absent where the page shows `-`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One row of the page's change history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// When (`YYYY-MM-DD`).
    pub date: String,
    /// The page's summary of the change.
    pub summary: String,
}

/// A decision taken where the page is unclear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// A JSON pointer into this spec to the part the note is about (`""` for the whole spec).
    pub about: String,
    /// The decision and its reason.
    pub text: String,
}
