//! The official metadata, read from either copy into one model: what a product version and
//! its operations state, before any decision about the spec format.

use serde_json::{Map, Value};

/// One product version.
#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    /// The product code (`Ecs`).
    pub code: String,
    /// The API version (`2014-05-26`).
    pub version: String,
    /// The style the metadata gives the product (`RPC`, `ROA`, `V3`, `FC`, `OSS`, ...).
    pub style: String,
    /// The English name, where the copy gives one.
    pub name: Option<String>,
    /// The file it was read from, as the spec's source names it.
    pub source: String,
    /// Regional hosts: region ID and host, as listed.
    pub endpoints: Vec<(String, String)>,
    /// VPC hosts: region ID and host, as aliyun-cli's index lists them.
    pub vpc_endpoints: Vec<(String, String)>,
    /// Named schemas that parameters refer to (`$ref: #/components/schemas/<name>`).
    pub components: Map<String, Value>,
    /// The operations, in the file's order.
    pub operations: Vec<Operation>,
}

impl Product {
    /// The operation named `name`.
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.name == name)
    }
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The action (`DescribeInstances`).
    pub name: String,
    /// The HTTP methods it accepts, lower case, in the metadata's order.
    pub methods: Vec<String>,
    /// The path of a ROA operation.
    pub path: Option<String>,
    /// Whether the metadata marks it deprecated.
    pub deprecated: bool,
    /// The authentication schemes it accepts (`AK`, `Anonymous`, `BearerToken`, ...).
    pub security: Vec<String>,
    /// A one-line summary, where given.
    pub summary: Option<String>,
    /// A description, where given.
    pub description: Option<String>,
    /// `read`, `readAndWrite`, ... where given.
    pub operation_type: Option<String>,
    /// The parameters, in order.
    pub parameters: Vec<Parameter>,
    /// The schema of the success response, where given.
    pub response: Option<Value>,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The wire name.
    pub name: String,
    /// Where it travels: `query`, `formData`, `body`, `path`, `header`, `host`.
    pub location: String,
    /// How it is encoded: `repeatList`, `flat`, `json`, `simple`, `xml`, ...
    pub style: Option<String>,
    /// Its schema (JSON Schema as the metadata writes it: `type`, `format`, `required`,
    /// `enum`, bounds, `items`, `properties`, `additionalProperties`, `$ref`).
    pub schema: Value,
    /// An English description from another copy, where one was given.
    pub description: Option<String>,
}
