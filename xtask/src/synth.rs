//! A deterministic synthetic catalogue: `n` operation specs with the shapes the real pages
//! have, for benchmarks and compile-cost measurements. Pure: the same `n` gives the same bytes.
//!
//! Proportions, taken from the kinds of pages in `specs/` and the wider Alibaba Cloud catalogue:
//! 20 operations per product; 1 in 5 operations ROA (JSON body), the rest RPC; 3 to 12
//! parameters, of which about 1 in 5 is an enum (2 to 6 values), 1 in 6 an integer (often with
//! a range), 1 in 10 a boolean, 1 in 10 an array of objects (2 to 4 fields, sometimes one more
//! level of nesting); a `ClientToken` on 1 operation in 3; conditional requirements and length
//! limits here and there; 2 to 9 response elements, with a list of objects on half of them;
//! 0 to 7 documented error codes.

use codegen::SpecFile;
use codegen::spec::{
    AccessLevel, BodyKind, Condition, Constraint, Encoding, Endpoint, EnumValue, ErrorCode, Field,
    FieldType, Http, Location, Method, PageLayout, Product, RamAction, Request, ResourceType,
    Response, Source, Spec, Style,
};
use serde_json::{Value, json};

/// Operations per synthetic product.
pub const OPS_PER_PRODUCT: usize = 20;

/// SplitMix64: a tiny, well-mixed, seedable generator, so the catalogue is reproducible
/// without a dependency.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        // `n` is small; the modulo bias is irrelevant for test data.
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const VERBS: &[&str] = &[
    "Create", "Describe", "Modify", "Delete", "List", "Update", "Attach", "Detach", "Enable",
    "Disable", "Query", "Renew",
];
const NOUNS: &[&str] = &[
    "Instance",
    "Disk",
    "Order",
    "Cluster",
    "Bucket",
    "Policy",
    "Rule",
    "Snapshot",
    "Network",
    "Gateway",
    "Certificate",
    "Domain",
    "Endpoint",
    "Quota",
];
const PARAM_WORDS: &[&str] = &[
    "RegionId",
    "InstanceId",
    "Name",
    "Description",
    "ZoneId",
    "VpcId",
    "VSwitchId",
    "ResourceGroupId",
    "ChargeType",
    "Status",
    "Period",
    "PageSize",
    "PageNumber",
    "Bandwidth",
    "Capacity",
    "Category",
    "Engine",
    "Version",
    "Spec",
    "Owner",
    "Tag",
    "Filter",
    "Mode",
    "Protocol",
    "Port",
    "Priority",
    "Weight",
    "Duration",
    "AutoRenew",
    "DryRun",
];
const ENUM_VALUES: &[&str] = &[
    "Enabled",
    "Disabled",
    "Pending",
    "Running",
    "Stopped",
    "Available",
    "PrePaid",
    "PostPaid",
    "Standard",
    "Premium",
    "Basic",
    "TCP",
    "UDP",
    "HTTP",
    "HTTPS",
];
const ERROR_CODES: &[(u16, &str, &str)] = &[
    (400, "InvalidParameter", "A parameter is invalid."),
    (400, "MissingParameter", "A required parameter is missing."),
    (
        400,
        "InvalidRegionId.NotFound",
        "The region does not exist.",
    ),
    (403, "Forbidden.RAM", "The caller is not authorized."),
    (
        403,
        "OperationDenied",
        "The operation is not allowed in the current state.",
    ),
    (
        404,
        "InvalidInstanceId.NotFound",
        "The instance does not exist.",
    ),
    (
        409,
        "IncorrectStatus",
        "The resource is in a status that does not allow this.",
    ),
    (400, "QuotaExceeded", "The quota is exceeded."),
    (
        500,
        "InternalError",
        "The request processing has failed due to some unknown error.",
    ),
    (503, "ServiceUnavailable", "The service is unavailable."),
];
const DESCRIPTIONS: &[&str] = &[
    "The ID of the region. You can call DescribeRegions to query the most recent region list.",
    "The name of the resource. The name must be 2 to 128 characters in length and can contain letters, digits, periods (.), underscores (_), and hyphens (-).",
    "Specifies whether to perform only a dry run, without performing the actual request.",
    "The number of entries per page. Valid values: 1 to 100. Default value: 10.",
    "The billing method of the resource.",
    "The client token that is used to ensure the idempotence of the request. You can use the client to generate the value, but you must make sure that it is unique among different requests.",
    "The status of the resource.",
];

/// A field and, for the response side, an example value that fits it.
struct Made {
    field: Field,
    example: Value,
}

struct OpBuilder<'a> {
    rng: &'a mut Rng,
    index: usize,
    types: usize,
    names: usize,
}

impl OpBuilder<'_> {
    /// A field name no other field of the operation has (enum types are named after fields,
    /// so names must be unique across the whole operation, not only among siblings).
    fn fresh_name(&mut self) -> String {
        self.names += 1;
        format!("{}{}", self.rng.pick(PARAM_WORDS), self.names)
    }

    fn description(&mut self) -> String {
        self.rng.pick(DESCRIPTIONS).to_owned()
    }

    fn enum_values(&mut self) -> Vec<&'static str> {
        let count = 2 + self.rng.below(5);
        let start = self.rng.below(ENUM_VALUES.len());
        (0..count)
            .map(|k| ENUM_VALUES[(start + k) % ENUM_VALUES.len()])
            .collect()
    }

    fn type_name(&mut self, base: &str) -> String {
        self.types += 1;
        format!("{base}Item{}", self.types)
    }

    /// A scalar or structured field named `name`; `request` adds `required`.
    fn field(&mut self, name: &str, request: bool, depth: usize) -> Made {
        let roll = self.rng.below(20);
        let description = self.description();
        let scalar = |ty: FieldType, example: Value| Made {
            field: Field {
                example: Some(example.clone()),
                ..Field::new(Some(name), ty)
            },
            example,
        };
        let mut made = match roll {
            0..=3 => {
                let values = self.enum_values();
                let meanings = values
                    .iter()
                    .map(|v| EnumValue {
                        value: json!(v),
                        rust_name: None,
                        description: Some(format!("The {v} value.")),
                    })
                    .collect();
                let mut made = scalar(FieldType::String, json!(values[0]));
                made.field.enum_values = Some(meanings);
                made
            }
            4..=6 => scalar(FieldType::Integer, json!(10)),
            7 => scalar(FieldType::Long, json!(1_700_000_000_000_i64)),
            8..=9 => scalar(FieldType::Boolean, json!(true)),
            10..=11 if depth < 2 => {
                let count = 2 + self.rng.below(3);
                let type_name = self.type_name(name);
                let mut fields = Vec::new();
                let mut example = serde_json::Map::new();
                for _ in 0..count {
                    let child = self.fresh_name();
                    let made = self.field(&child, request, depth + 1);
                    fields.push(made.field);
                    example.insert(child, made.example);
                }
                let item = Field {
                    type_name: Some(type_name),
                    description: Some(description.clone()),
                    fields: Some(fields),
                    ..Field::new(None, FieldType::Object)
                };
                Made {
                    field: Field {
                        items: Some(Box::new(item)),
                        ..Field::new(Some(name), FieldType::Array)
                    },
                    example: json!([Value::Object(example)]),
                }
            }
            _ => scalar(FieldType::String, json!("example-value")),
        };
        made.field.description = Some(description);
        if request {
            made.field.required = Some(self.rng.chance(4));
        }
        made
    }
}

fn rule(kind: &str, field: &str) -> Constraint {
    match kind {
        "range" => Constraint::Range {
            field: field.to_owned(),
            min: Some(1.0),
            max: Some(100.0),
        },
        "length" => Constraint::Length {
            field: field.to_owned(),
            min: None,
            max: Some(128),
        },
        "item_count" => Constraint::ItemCount {
            field: field.to_owned(),
            min: Some(1),
            max: Some(20),
        },
        _ => Constraint::Ascii {
            field: field.to_owned(),
        },
    }
}

/// The spec of synthetic operation number `index`.
fn operation(index: usize) -> (String, Spec) {
    let mut rng = Rng(0x5EED ^ (index as u64).wrapping_mul(0x1000_0000_01B3));
    let product = index / OPS_PER_PRODUCT;
    let module = format!("synth{product:04}");
    let verb = rng.pick(VERBS);
    let noun = rng.pick(NOUNS);
    let op = format!("{verb}{noun}{index}");
    let roa = rng.chance(5);
    let mut b = OpBuilder {
        rng: &mut rng,
        index,
        types: 0,
        names: 0,
    };

    let count = 3 + b.rng.below(10);
    let mut params = Vec::new();
    let mut constraints = Vec::new();
    let mut enum_param: Option<(String, Value)> = None;
    let mut optional_scalar: Option<String> = None;
    for _ in 0..count {
        let name = b.fresh_name();
        let mut field = b.field(&name, true, 0).field;
        match field.ty {
            FieldType::Integer if b.rng.chance(2) => constraints.push(rule("range", &name)),
            FieldType::String if field.enum_values.is_none() && b.rng.chance(5) => {
                constraints.push(rule("length", &name));
            }
            FieldType::Array => constraints.push(rule("item_count", &name)),
            _ => {}
        }
        let optional = field.required == Some(false);
        if let Some(first) = field.enum_values.as_ref().and_then(|e| e.first()) {
            if enum_param.is_none() && optional {
                enum_param = Some((name.clone(), first.value.clone()));
            }
        } else if optional && matches!(field.ty, FieldType::String | FieldType::Integer) {
            optional_scalar = Some(name.clone());
        }
        if !roa {
            field.location = Some(Location::Query);
            if field.ty == FieldType::Array {
                field.encoding = Some(Encoding::Flat);
            }
        }
        params.push(field);
    }
    if let (Some((enum_name, value)), Some(target)) = (enum_param, optional_scalar)
        && b.rng.chance(3)
    {
        constraints.push(Constraint::RequiredIf {
            field: target,
            when: Condition {
                field: enum_name,
                equals: Some(value),
                one_of: None,
                present: None,
            },
        });
    }
    let mut top = Vec::new();
    let mut top_constraints = Vec::new();
    if b.rng.chance(3) {
        // The idempotency token is a query parameter in both styles.
        top.push(Field {
            required: Some(false),
            location: Some(Location::Query),
            description: Some(DESCRIPTIONS[5].to_owned()),
            example: Some(json!("123e4567-e89b-12d3-a456-426655440000")),
            idempotency_token: true,
            ..Field::new(Some("ClientToken"), FieldType::String)
        });
        top_constraints.push(rule("ascii", "ClientToken"));
    }
    let request = if roa {
        top.push(Field {
            required: Some(false),
            location: Some(Location::Body),
            encoding: Some(Encoding::JsonBody),
            description: Some("The request body.".to_owned()),
            fields: Some(params),
            constraints,
            ..Field::new(Some("body"), FieldType::Object)
        });
        Request {
            parameters: top,
            constraints: top_constraints,
        }
    } else {
        params.extend(top);
        constraints.extend(top_constraints);
        Request {
            parameters: params,
            constraints,
        }
    };

    let mut fields = vec![Field {
        description: Some("The ID of the request.".to_owned()),
        example: Some(json!("0F1A2B3C-4D5E")),
        ..Field::new(Some("RequestId"), FieldType::String)
    }];
    let mut example = serde_json::Map::new();
    example.insert("RequestId".to_owned(), json!("0F1A2B3C-4D5E"));
    for _ in 0..(1 + b.rng.below(8)) {
        let name = b.fresh_name();
        let made = b.field(&name, false, 0);
        fields.push(made.field);
        example.insert(name, made.example);
    }

    let mut errors = Vec::new();
    let start = b.rng.below(ERROR_CODES.len());
    for k in 0..b.rng.below(8) {
        let (status, code, message) = ERROR_CODES[(start + k) % ERROR_CODES.len()];
        errors.push(ErrorCode {
            http_status: status,
            code: code.to_owned(),
            rust_name: None,
            message: message.to_owned(),
            description: None,
        });
    }

    let path = if roa {
        format!(
            "/api/v1/{}s/{}",
            noun.to_ascii_lowercase(),
            verb.to_ascii_lowercase()
        )
    } else {
        "/".to_owned()
    };
    let spec = Spec {
        schema: None,
        product: Product {
            code: format!("Synth{product:04}"),
            name: None,
            module: module.clone(),
        },
        operation: op.clone(),
        api_version: "2024-01-01".to_owned(),
        style: if roa { Style::Roa } else { Style::Rpc },
        http: Http {
            method: Method::Post,
            path,
        },
        endpoint: Endpoint::Regional {
            host: format!("{module}.{{region}}.aliyuncs.com"),
            regions: Default::default(),
            vpc: Default::default(),
        },
        source: Source {
            page: format!("synthetic-{}.txt", b.index),
            title: None,
            last_updated: None,
            layout: PageLayout::PipeTable,
        },
        summary: Some(format!("{verb}s a {}.", noun.to_ascii_lowercase())),
        description: None,
        auth: Default::default(),
        operation_type: None,
        authorization: vec![RamAction {
            action: format!("{module}:{op}"),
            access_level: AccessLevel::Create,
            resource_types: vec![ResourceType {
                name: "All Resources".to_owned(),
                required: true,
                arn: None,
            }],
            condition_keys: Vec::new(),
            dependent_actions: Vec::new(),
        }],
        request,
        response: Response {
            description: None,
            fields,
            open: false,
            example: Some(Value::Object(example)),
            body: BodyKind::Object,
            value: None,
        },
        errors,
        pagination: None,
        change_history: Vec::new(),
        notes: Vec::new(),
    };
    (format!("specs/{module}/{op}.json"), spec)
}

/// The first `n` synthetic operations as spec files (paths `specs/<module>/<Operation>.json`).
pub fn catalogue(n: usize) -> Vec<SpecFile> {
    (0..n)
        .map(|i| {
            let (path, spec) = operation(i);
            SpecFile::new(path, spec.to_file_text())
        })
        .collect()
}
