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
    field: Value,
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
        let mut made = match roll {
            0..=3 => {
                let values = self.enum_values();
                let meanings: Vec<Value> = values
                    .iter()
                    .map(|v| json!({"value": v, "description": format!("The {v} value.")}))
                    .collect();
                Made {
                    field: json!({"type": "string", "example": values[0], "enum": meanings}),
                    example: json!(values[0]),
                }
            }
            4..=6 => Made {
                field: json!({"type": "integer", "example": 10}),
                example: json!(10),
            },
            7 => Made {
                field: json!({"type": "long", "example": 1_700_000_000_000_i64}),
                example: json!(1_700_000_000_000_i64),
            },
            8..=9 => Made {
                field: json!({"type": "boolean", "example": true}),
                example: json!(true),
            },
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
                Made {
                    field: json!({
                        "type": "array",
                        "items": {"type": "object", "type_name": type_name, "description": description, "fields": fields}
                    }),
                    example: json!([Value::Object(example)]),
                }
            }
            _ => Made {
                field: json!({"type": "string", "example": "example-value"}),
                example: json!("example-value"),
            },
        };
        made.field["name"] = json!(name);
        made.field["description"] = json!(description);
        if request {
            made.field["required"] = json!(self.rng.chance(4));
        }
        made
    }
}

/// The spec of synthetic operation number `index`.
fn operation(index: usize) -> (String, Value) {
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
    let mut enum_param: Option<(String, String)> = None;
    let mut optional_scalar: Option<String> = None;
    for _ in 0..count {
        let name = b.fresh_name();
        let made = b.field(&name, true, 0);
        let mut field = made.field;
        match field["type"].as_str() {
            Some("integer") if b.rng.chance(2) => {
                constraints.push(json!({"kind": "range", "field": name, "min": 1, "max": 100}));
            }
            Some("string") if field.get("enum").is_none() && b.rng.chance(5) => {
                constraints.push(json!({"kind": "length", "field": name, "max": 128}));
            }
            Some("array") => {
                constraints.push(json!({"kind": "item_count", "field": name, "min": 1, "max": 20}));
            }
            _ => {}
        }
        if let Some(first) = field.get("enum").and_then(|e| e[0]["value"].as_str()) {
            if enum_param.is_none() && field["required"] == json!(false) {
                enum_param = Some((name.clone(), first.to_owned()));
            }
        } else if field["required"] == json!(false)
            && matches!(field["type"].as_str(), Some("string" | "integer"))
        {
            optional_scalar = Some(name.clone());
        }
        if !roa {
            field["location"] = json!("query");
            if field["type"] == json!("array") {
                field["encoding"] = json!("flat");
            }
        }
        params.push(field);
    }
    if let (Some((enum_name, value)), Some(target)) = (enum_param, optional_scalar)
        && b.rng.chance(3)
    {
        constraints.push(json!({
            "kind": "required_if", "field": target, "when": {"field": enum_name, "equals": value}
        }));
    }
    let mut top = Vec::new();
    let mut top_constraints = Vec::new();
    if b.rng.chance(3) {
        // The idempotency token is a query parameter in both styles.
        top.push(json!({
            "name": "ClientToken", "type": "string", "required": false, "location": "query",
            "description": DESCRIPTIONS[5], "example": "123e4567-e89b-12d3-a456-426655440000",
            "idempotency_token": true
        }));
        top_constraints.push(json!({"kind": "ascii", "field": "ClientToken"}));
    }
    let request = if roa {
        top.push(json!({
            "name": "body", "type": "object", "required": false, "location": "body",
            "encoding": "json_body", "description": "The request body.", "fields": params,
            "constraints": constraints
        }));
        json!({"parameters": top, "constraints": top_constraints})
    } else {
        params.extend(top);
        constraints.extend(top_constraints);
        json!({"parameters": params, "constraints": constraints})
    };

    let mut fields = vec![
        json!({"name": "RequestId", "type": "string", "description": "The ID of the request.", "example": "0F1A2B3C-4D5E"}),
    ];
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
        errors.push(json!({"http_status": status, "code": code, "message": message}));
    }

    let http = if roa {
        json!({"method": "POST", "path": format!("/api/v1/{}s/{}", noun.to_ascii_lowercase(), verb.to_ascii_lowercase())})
    } else {
        json!({"method": "POST", "path": "/"})
    };
    let spec = json!({
        "product": {"code": format!("Synth{product:04}"), "module": module},
        "operation": op,
        "api_version": "2024-01-01",
        "style": if roa { "ROA" } else { "RPC" },
        "http": http,
        "endpoint": {"rule": "regional", "host": format!("{module}.{{region}}.aliyuncs.com")},
        "source": {"page": format!("synthetic-{}.txt", b.index), "layout": "pipe_table"},
        "summary": format!("{verb}s a {}.", noun.to_ascii_lowercase()),
        "authorization": [{
            "action": format!("{module}:{op}"), "access_level": "create",
            "resource_types": [{"name": "All Resources", "required": true}],
            "condition_keys": [], "dependent_actions": []
        }],
        "request": request,
        "response": {"fields": fields, "example": Value::Object(example)},
        "errors": errors,
        "notes": []
    });
    (format!("specs/{module}/{op}.json"), spec)
}

/// The first `n` synthetic operations as spec files (paths `specs/<module>/<Operation>.json`).
pub fn catalogue(n: usize) -> Vec<SpecFile> {
    (0..n)
        .map(|i| {
            let (path, spec) = operation(i);
            // A JSON value always serializes.
            let mut text = serde_json::to_string_pretty(&spec).unwrap_or_default();
            text.push('\n');
            SpecFile::new(path, text)
        })
        .collect()
}
