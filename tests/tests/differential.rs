//! The same response read by Alibaba's official Python SDK and by the generated type.
//!
//! Each fixture in `tests/fixtures/responses/` holds a response document and what the
//! official Python SDK's model keeps of it (`from_map(document).to_map()`, recorded by the
//! fixture folder's `record.py`). The generated response type reads the same bytes through
//! the runtime (`parse_response`) and is written back as JSON (`serde-full`); the elements
//! each keeps, and their values, must be equal.
//!
//! Where the two differ by design, the comparison says so in one place ([`canonical`]):
//! - the Python models do not convert types (`"TotalCount": "12"` stays text); the generated
//!   types read numbers and booleans from text and text from numbers, so scalars are compared
//!   by their text;
//! - `null`, empty lists and empty objects mean "nothing there" on both sides (the Python
//!   models turn an absent list of objects into `[]` and a `null` element into `{}`; the
//!   generated types leave an absent list unset and skip `null` elements of a typed list);
//! - a body that is not a JSON object (a list, text, bytes, nothing) is the generated
//!   response's `body` field, and Python's recorded `body`;
//! - elements the model does not describe: the Python model drops them, the generated type
//!   keeps those at the top of the response in `unlisted`. Each such element must be kept
//!   exactly as sent, and is then set aside.

use std::collections::BTreeSet;

use generated_sdk::runtime::{Operation, ResponseFields, parse_response};
use serde_json::{Map, Value};

/// Reads `body` as operation `R`'s response, written back as JSON, and the wire names of the
/// elements its type describes.
fn read<R>(name: &str, body: &[u8]) -> (Value, BTreeSet<&'static str>)
where
    R: Operation,
    R::Response: serde::Serialize + ResponseFields,
{
    let response =
        parse_response::<R>(200, body).unwrap_or_else(|e| panic!("{name}: not read: {e}"));
    // Written as text (a `Value` would widen an `f32` to the f64 nearest it).
    let value = serde_json::from_str(&serde_json::to_string(&response).unwrap()).unwrap();
    let fields = <R::Response as ResponseFields>::FIELDS
        .iter()
        .copied()
        .collect();
    (value, fields)
}

/// The response type of each fixture.
macro_rules! operations {
    ($($name:literal => $ty:ty,)*) => {
        fn read_named(name: &str, body: &[u8]) -> Option<(Value, BTreeSet<&'static str>)> {
            match name {
                $($name => Some(read::<$ty>(name, body)),)*
                _ => None,
            }
        }
        const OPERATIONS: &[&str] = &[$($name),*];
    };
}

operations! {
    "alb-DescribeCapacityReservation" => generated_sdk::alb::DescribeCapacityReservationRequest,
    "alb-GetLoadBalancerAttribute" => generated_sdk::alb::GetLoadBalancerAttributeRequest,
    "alb-ListAcls" => generated_sdk::alb::ListAclsRequest,
    "alidns-DescribeDomainRecords" => generated_sdk::alidns::DescribeDomainRecordsRequest,
    "alidns-DescribeDomains" => generated_sdk::alidns::DescribeDomainsRequest,
    "arms-ListEnvironmentKubeResources" => generated_sdk::arms::ListEnvironmentKubeResourcesRequest,
    "cs-CancelTask" => generated_sdk::cs::CancelTaskRequest,
    "cs-DescribeClusterAttachScripts" => generated_sdk::cs::DescribeClusterAttachScriptsRequest,
    "cs-DescribeClusterLogs" => generated_sdk::cs::DescribeClusterLogsRequest,
    "cs-DescribeClusterNodePoolDetail" => generated_sdk::cs::DescribeClusterNodePoolDetailRequest,
    "cs-DescribeClusters" => generated_sdk::cs::DescribeClustersRequest,
    "cs-DescribeKubernetesVersionMetadata" => generated_sdk::cs::DescribeKubernetesVersionMetadataRequest,
    "cs-DescribeClustersV1" => generated_sdk::cs::DescribeClustersV1Request,
    "cs-DescribeTaskInfo" => generated_sdk::cs::DescribeTaskInfoRequest,
    "cs-DescribeUserClusterNamespaces" => generated_sdk::cs::DescribeUserClusterNamespacesRequest,
    "cs-DescribeUserQuota" => generated_sdk::cs::DescribeUserQuotaRequest,
    "cs-GetClusterCheck" => generated_sdk::cs::GetClusterCheckRequest,
    "cs-ModifyClusterTags" => generated_sdk::cs::ModifyClusterTagsRequest,
    "ecs-DescribeImages" => generated_sdk::ecs::DescribeImagesRequest,
    "ecs-DescribeInstanceTypes" => generated_sdk::ecs::DescribeInstanceTypesRequest,
    "ecs-DescribeInstances" => generated_sdk::ecs::DescribeInstancesRequest,
    "ecs-DescribeRegions" => generated_sdk::ecs::DescribeRegionsRequest,
    "fc-InvokeFunction" => generated_sdk::fc::InvokeFunctionRequest,
    "kms-DescribeKey" => generated_sdk::kms::DescribeKeyRequest,
    "kms-GetSecretValue" => generated_sdk::kms::GetSecretValueRequest,
    "kms-ListKeys" => generated_sdk::kms::ListKeysRequest,
    "ram-GetRole" => generated_sdk::ram::GetRoleRequest,
    "ram-ListPoliciesForUser" => generated_sdk::ram::ListPoliciesForUserRequest,
    "ram-ListRoles" => generated_sdk::ram::ListRolesRequest,
    "rds-DescribeComputeBurstConfig" => generated_sdk::rds::DescribeComputeBurstConfigRequest,
    "rds-DescribeDBInstanceAttribute" => generated_sdk::rds::DescribeDBInstanceAttributeRequest,
    "rds-DescribeDBInstances" => generated_sdk::rds::DescribeDBInstancesRequest,
    "rds-DescribeDatabases" => generated_sdk::rds::DescribeDatabasesRequest,
    "rds-DescribePrice" => generated_sdk::rds::DescribePriceRequest,
    "resourcemanager-GetAccount" => generated_sdk::resourcemanager::GetAccountRequest,
    "resourcemanager-ListResourceGroups" => generated_sdk::resourcemanager::ListResourceGroupsRequest,
    "slb-DescribeLoadBalancerAttribute" => generated_sdk::slb::DescribeLoadBalancerAttributeRequest,
    "slb-DescribeLoadBalancers" => generated_sdk::slb::DescribeLoadBalancersRequest,
    "sts-AssumeRole" => generated_sdk::sts::AssumeRoleRequest,
    "sts-GetCallerIdentity" => generated_sdk::sts::GetCallerIdentityRequest,
    "vpc-DescribeVSwitches" => generated_sdk::vpc::DescribeVSwitchesRequest,
    "vpc-DescribeVpcs" => generated_sdk::vpc::DescribeVpcsRequest,
    "vpc-ListBusinessAccessPoints" => generated_sdk::vpc::ListBusinessAccessPointsRequest,
}

/// Fixtures of operations this SDK does not generate: SLS signs through its own gateway, and
/// StarOps is newer than the ApiDocs metadata specs start from. Kept, to compare once they
/// are.
const UNSUPPORTED: &[&str] = &["sls-", "starops-"];

/// A value as the comparison sees it: scalars by their text, "nothing there" removed.
fn canonical(v: &Value) -> Option<Value> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(Value::String(b.to_string())),
        Value::Number(n) => Some(Value::String(match n.as_f64() {
            // `8` and `8.0` are the same number; integers keep every digit.
            Some(x) if !n.is_i64() && !n.is_u64() && x.fract() == 0.0 && x.abs() < 9.0e15 => {
                format!("{}", x as i64)
            }
            _ => n.to_string(),
        })),
        // A number sent as text (`"2504.0"`) is read as a number: compare it as one.
        Value::String(s) => match s.parse::<f64>() {
            Ok(x) if s.contains('.') && x.is_finite() => {
                canonical(&serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number))
            }
            _ => Some(Value::String(s.clone())),
        },
        Value::Array(items) => {
            let kept: Vec<Value> = items.iter().filter_map(canonical).collect();
            (!kept.is_empty()).then_some(Value::Array(kept))
        }
        Value::Object(map) => {
            let kept: Map<String, Value> = map
                .iter()
                .filter_map(|(k, v)| canonical(v).map(|v| (k.clone(), v)))
                .collect();
            (!kept.is_empty()).then_some(Value::Object(kept))
        }
    }
}

/// The first place two canonical values differ, as a path and both sides.
fn first_difference(path: &str, ours: &Value, theirs: &Value) -> Option<String> {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            keys.into_iter().find_map(|k| {
                let at = format!("{path}.{k}");
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => first_difference(&at, x, y),
                    (x, y) => Some(format!("{at}: ours {x:?}, Python's {y:?}")),
                }
            })
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(&format!("{path}[{i}]"), x, y)),
        _ if ours == theirs => None,
        _ => Some(format!("{path}: ours {ours}, Python's {theirs}")),
    }
}

#[test]
fn generated_types_keep_what_the_official_python_sdk_keeps() {
    let dir = tests::fixtures().join("responses");
    let mut seen = Vec::new();
    let mut products = BTreeSet::new();
    let mut kinds = BTreeSet::from(["json".to_owned()]);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let fixture: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let kind = fixture["body_type"].as_str().unwrap_or_default().to_owned();
        let document = &fixture["document"];
        // The bytes as the server sent them: JSON, text as it is, bytes from base64.
        let body: Vec<u8> = match kind.as_str() {
            "json" | "array" => serde_json::to_vec(document).unwrap(),
            "binary" => base64::Engine::decode(
                &base64::engine::general_purpose::STANDARD,
                fixture["document_base64"].as_str().unwrap(),
            )
            .unwrap(),
            _ => document.as_str().unwrap_or_default().as_bytes().to_vec(),
        };
        let Some((mut ours, fields)) = read_named(&name, &body) else {
            // Operations of a product this SDK does not sign (SLS's own gateway).
            assert!(
                UNSUPPORTED.iter().any(|p| name.starts_with(p)),
                "{name}: no response type is mapped to this fixture"
            );
            continue;
        };
        if kind != "json" {
            // The body is the response's one field, `body` (nothing for `none`); Python's
            // `python` is that body (bytes as base64, as `Binary` writes them).
            let ours = ours.get("body").cloned().unwrap_or(Value::Null);
            let ours = canonical(&ours).unwrap_or_default();
            let theirs = canonical(&fixture["python"]).unwrap_or_default();
            if let Some(diff) = first_difference("body", &ours, &theirs) {
                panic!("{name}: {diff}");
            }
            kinds.insert(kind);
            products.insert(name.split('-').next().unwrap_or_default().to_owned());
            seen.push(name);
            continue;
        }
        // Elements the model does not describe: kept as sent, then set aside.
        if let (Some(ours), Some(sent)) = (ours.as_object_mut(), document.as_object()) {
            for (key, value) in sent {
                if !fields.contains(key.as_str()) {
                    assert_eq!(ours.get(key), Some(value), "{name}: unlisted `{key}`");
                    ours.remove(key);
                }
            }
        }
        let ours = canonical(&ours).unwrap_or_default();
        let theirs = canonical(&fixture["python"]).unwrap_or_default();
        if let Some(diff) = first_difference("", &ours, &theirs) {
            panic!("{name}: {diff}");
        }
        products.insert(name.split('-').next().unwrap_or_default().to_owned());
        seen.push(name);
    }
    seen.sort();
    let mut mapped = OPERATIONS.to_vec();
    mapped.sort_unstable();
    assert_eq!(seen, mapped, "every mapped fixture is read");
    assert_eq!(
        kinds,
        BTreeSet::from(["array", "binary", "json", "none", "string"].map(String::from))
    );
    assert!(
        seen.len() >= 30 && products.len() >= 10,
        "{} operations in {} products",
        seen.len(),
        products.len()
    );
}

#[test]
fn the_comparison_tells_values_apart() {
    // Scalars compare by their text, and "nothing there" is nothing on both sides ...
    let a = serde_json::json!({"N": 12, "F": 8.0, "B": false, "L": [], "O": {"x": null}});
    let b = serde_json::json!({"N": "12", "F": 8, "B": "false"});
    assert_eq!(canonical(&a), canonical(&b));
    // ... but a different value, a missing element or an extra one is a difference.
    let c = serde_json::json!({"N": 13, "F": 8, "B": "false"});
    assert!(first_difference("", &canonical(&a).unwrap(), &canonical(&c).unwrap()).is_some());
    let d = serde_json::json!({"N": 12, "F": 8, "B": false, "X": 1});
    assert!(first_difference("", &canonical(&a).unwrap(), &canonical(&d).unwrap()).is_some());
    // Integers above 2^53 keep every digit.
    let big = serde_json::json!(9_007_199_254_740_993_i64);
    assert_ne!(
        canonical(&big),
        canonical(&serde_json::json!(9_007_199_254_740_992_i64))
    );
}
