//! What the generated code states about each operation: where it is served, how its
//! parameters travel, its documented errors and example response. The runtime's encoding,
//! signing, client and mock server read these records, so no operation carries code of its own
//! for any of them.

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{ErrorCodeInfo, Validate};

/// The API style of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Style {
    /// Remote procedure call: parameters in the query string, path `/`.
    Rpc,
    /// Resource-oriented: a resource path; parameters in the path, query, headers or JSON body.
    Roa,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Location {
    /// The query string.
    Query,
    /// The body: a field of the JSON body (`JsonBody`), or the whole body (`Json`: the value
    /// as JSON; `Plain`: text or bytes as they are).
    Body,
    /// A field of a form body (`application/x-www-form-urlencoded`).
    Form,
    /// A `{Name}` segment of the path.
    Path,
    /// An HTTP header named after the parameter.
    Header,
    /// The first label of the endpoint's host (`<value>.<host>`).
    Host,
}

/// How a parameter's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// A scalar as its text (also a string parameter that holds JSON text: sent as given).
    Plain,
    /// An array or object flattened into 1-based keys: `Name.1.Field=value`.
    Flat,
    /// An array or object sent as one parameter holding its JSON text.
    Json,
    /// A field of the JSON body, under its wire name.
    JsonBody,
    /// A list of scalars joined by commas (`a,b,c`).
    Simple,
    /// Bytes sent as the body as they are.
    Binary,
}

/// How an operation's endpoint host is chosen when the configuration does not override it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EndpointRule {
    /// One host per region: `{region}` in the template is replaced by the region ID.
    Regional {
        /// The host template (`ice.{region}.aliyuncs.com`).
        host: &'static str,
        /// Regions whose host the template does not give, and their hosts.
        regions: &'static [(&'static str, &'static str)],
        /// The VPC endpoints, by region.
        vpc: &'static [(&'static str, &'static str)],
    },
    /// A fixed host per site, whatever the region; the first site is used when the
    /// configuration names none ([`ConfigBuilder::site`](super::ConfigBuilder::site)).
    Global {
        /// The sites and their hosts.
        hosts: &'static [SiteHost],
        /// Regions served by a host of their own, and their hosts.
        regions: &'static [(&'static str, &'static str)],
        /// The VPC endpoints, by region.
        vpc: &'static [(&'static str, &'static str)],
    },
}

/// Every operation an SDK crate compiles in.
pub type Operations = &'static [&'static OperationSpec];

/// The host of one site of a global endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SiteHost {
    /// The site (`china`, `international`).
    pub site: &'static str,
    /// The host name.
    pub host: &'static str,
}

/// One top-level request parameter (the fields of a JSON body are listed one by one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParamSpec {
    /// The wire name.
    pub name: &'static str,
    /// Where it travels.
    pub location: Location,
    /// How its value is written.
    pub encoding: Encoding,
}

impl ParamSpec {
    /// A parameter at `location`, written with `encoding`.
    pub const fn new(name: &'static str, location: Location, encoding: Encoding) -> Self {
        Self {
            name,
            location,
            encoding,
        }
    }

    /// A scalar query parameter.
    pub const fn query(name: &'static str) -> Self {
        Self::new(name, Location::Query, Encoding::Plain)
    }

    /// An array or object query parameter, flattened (`Name.1.Field`).
    pub const fn query_flat(name: &'static str) -> Self {
        Self::new(name, Location::Query, Encoding::Flat)
    }

    /// An array or object query parameter sent as JSON text.
    pub const fn query_json(name: &'static str) -> Self {
        Self::new(name, Location::Query, Encoding::Json)
    }

    /// A field of the JSON body.
    pub const fn body(name: &'static str) -> Self {
        Self::new(name, Location::Body, Encoding::JsonBody)
    }
}

/// Everything the runtime needs to know about one operation, generated from its spec (and
/// built by the generated code of every SDK crate, so its fields are all public).
#[derive(Clone, Copy)]
pub struct OperationSpec {
    /// The product code (`BssOpenApi`).
    pub product: &'static str,
    /// The action (`CreateInstance`), sent as `x-acs-action`.
    pub action: &'static str,
    /// The API version (`2017-12-14`), sent as `x-acs-version`.
    pub version: &'static str,
    /// RPC or ROA.
    pub style: Style,
    /// The HTTP method.
    pub method: &'static str,
    /// The path, with `{Name}` segments for path parameters.
    pub path: &'static str,
    /// How the endpoint is chosen.
    pub endpoint: EndpointRule,
    /// Every top-level parameter, in the page's order.
    pub params: &'static [ParamSpec],
    /// The wire name of the idempotency token parameter (`ClientToken`), if the operation has
    /// one: the client fills it in when it is unset and reuses it on every retry.
    pub idempotency_token: Option<&'static str>,
    /// Whether the operation only reads (its spec's operation type, or its RAM access levels).
    pub read_only: bool,
    /// Whether requests are sent unsigned: the parameters authenticate the call (an OIDC token
    /// for STS `AssumeRoleWithOIDC`).
    pub anonymous: bool,
    /// A boolean response field that reports failure in a 200 response (`Success`).
    pub success_field: Option<&'static str>,
    /// The page's error-code table.
    pub errors: &'static [ErrorCodeInfo],
    /// The page's example success response (JSON text), where the spec has one.
    pub example_response: Option<&'static str>,
    /// What a success body is.
    pub response_body: ResponseBody,
    /// Decodes a request as a server receives it, checks it as `validate()` does, and
    /// confirms that encoding it again gives what was received.
    #[cfg(feature = "mock")]
    pub check: fn(&super::flat::Received<'_>) -> Result<(), Vec<String>>,
}

impl OperationSpec {
    /// The parameter named `name`.
    pub fn param(&self, name: &str) -> Option<&'static ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }

    /// Whether sending the request again cannot act twice: the operation only reads, or it
    /// carries an idempotency token (every attempt sends the same one). The client repeats
    /// other operations only when the request certainly was not processed.
    pub fn is_idempotent(&self) -> bool {
        self.read_only || self.idempotency_token.is_some()
    }

    /// The documented error-code row for `code`.
    pub fn error(&self, code: &str) -> Option<&'static ErrorCodeInfo> {
        self.errors.iter().find(|e| e.code == code)
    }
}

impl fmt::Debug for OperationSpec {
    // The example response and tables are long; the name says which operation this is.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationSpec")
            .field("product", &self.product)
            .field("action", &self.action)
            .field("version", &self.version)
            .field("style", &self.style)
            .field("method", &self.method)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// A request type of an operation: implemented by every generated `<Operation>Request`.
pub trait Operation: Serialize + Validate + fmt::Debug + Clone + Send + Sync + 'static {
    /// The operation's response type.
    type Response: DeserializeOwned + fmt::Debug + Send + 'static;
    /// The operation's typed error codes.
    type ErrorCode: KnownErrorCode;
    /// What the runtime needs to know about the operation.
    const SPEC: &'static OperationSpec;
}

/// An operation's generated `ErrorCode` enum: its documented codes, with unknown ones kept.
pub trait KnownErrorCode: fmt::Debug + fmt::Display + Clone + Send + Sync + 'static {
    /// The operation the codes belong to.
    const SPEC: &'static OperationSpec;
    /// The typed code for a `Code` received from the service.
    fn from_code(code: &str) -> Self;
    /// The code as the service sends it.
    fn code(&self) -> &str;
    /// The page's table row for this code, if the page documents it.
    fn info(&self) -> Option<&'static ErrorCodeInfo>;
}

/// What an operation's success body is, and so how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseBody {
    /// A JSON object: each element is a field of the response.
    Object,
    /// Another JSON value (a list, a map, any value): the response's `body` field.
    Json,
    /// Text, as it is: the response's `body` field.
    Text,
    /// Bytes, as they are: the response's `body` field.
    Binary,
    /// Nothing is read: the response has no fields.
    None,
}
