//! The pages' examples against the generated types, and every kind of rule with a failing and
//! a passing case.

use generated_sdk::aiworkspace::create_product_orders::{PricingCycle, Product, ProductCode};
use generated_sdk::aiworkspace::{CreateProductOrdersRequest, CreateProductOrdersResponse};
use generated_sdk::bssopenapi::create_instance::{
    self, ModuleParameter, RenewalStatus, SubscriptionType,
};
use generated_sdk::bssopenapi::{CreateInstanceRequest, CreateInstanceResponse};
use generated_sdk::ice::create_ipc_order::Capability;
use generated_sdk::ice::{CreateIpcOrderRequest, CreateIpcOrderResponse};
use generated_sdk::runtime::Rule;
use generated_sdk::vpcipam::{OpenVpcIpamServiceRequest, OpenVpcIpamServiceResponse};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tests::real_catalog;

fn spec(operation: &str) -> codegen::spec::Spec {
    loaded(operation).spec
}

fn loaded(operation: &str) -> codegen::LoadedSpec {
    real_catalog()
        .specs()
        .iter()
        .find(|s| s.spec.operation == operation)
        .unwrap()
        .clone()
}

/// The page's example response reads into the response type and writes back to equal JSON.
fn round_trip<T: DeserializeOwned + Serialize>(operation: &str) {
    let example = spec(operation)
        .response
        .example
        .expect("the page gives an example");
    let parsed: T = serde_json::from_value(example.clone()).unwrap();
    assert_eq!(
        serde_json::to_value(&parsed).unwrap(),
        example,
        "{operation}"
    );
}

#[test]
fn example_responses_round_trip() {
    round_trip::<CreateInstanceResponse>("CreateInstance");
    round_trip::<CreateIpcOrderResponse>("CreateIpcOrder");
    round_trip::<CreateProductOrdersResponse>("CreateProductOrders");
    round_trip::<OpenVpcIpamServiceResponse>("OpenVpcIpamService");
}

#[test]
fn example_response_values_are_typed() {
    let r: CreateInstanceResponse =
        serde_json::from_value(spec("CreateInstance").response.example.unwrap()).unwrap();
    assert_eq!(r.success, Some(true));
    assert_eq!(r.data.unwrap().order_id.as_deref(), Some("20240xxxx21"));
    let r: CreateProductOrdersResponse =
        serde_json::from_value(spec("CreateProductOrders").response.example.unwrap()).unwrap();
    assert_eq!(r.product_ids, Some(vec![String::new()]));
}

/// A request made of the page's example values validates, and writes back to the same JSON.
fn example_request<T: DeserializeOwned + Serialize>(
    operation: &str,
    validate: impl Fn(&T) -> Result<(), generated_sdk::ValidationErrors>,
) {
    let json = loaded(operation).model.example_request;
    let request: T = serde_json::from_value(json.clone()).unwrap();
    if let Err(e) = validate(&request) {
        panic!("{operation}: the example request must validate: {e}");
    }
    assert_eq!(serde_json::to_value(&request).unwrap(), json);
}

#[test]
fn example_requests_validate() {
    example_request::<CreateInstanceRequest>("CreateInstance", |r| r.validate());
    example_request::<CreateIpcOrderRequest>("CreateIpcOrder", |r| r.validate());
    example_request::<CreateProductOrdersRequest>("CreateProductOrders", |r| r.validate());
    example_request::<OpenVpcIpamServiceRequest>("OpenVpcIpamService", |r| r.validate());
    example_request::<generated_sdk::ram::ListRolesRequest>("ListRoles", |r| r.validate());
}

/// The BssOpenApi page's examples disagree (`PricingCycle` 2 only applies to DDoS product
/// types, `ProductType` is `rds`): the example request leaves `PricingCycle` out.
#[test]
fn the_example_request_leaves_out_what_breaks_a_rule() {
    let json = loaded("CreateInstance").model.example_request;
    assert!(json.get("PricingCycle").is_none());
    assert_eq!(
        json["Parameter"],
        json!([{"Value": "disk", "Code": "InstanceType"}])
    );
}

fn bss() -> generated_sdk::bssopenapi::CreateInstanceRequestBuilder {
    CreateInstanceRequest::builder()
        .product_code("rds")
        .subscription_type(SubscriptionType::PayAsYouGo)
}

fn violations(err: &generated_sdk::ValidationErrors) -> Vec<String> {
    err.violations().iter().map(ToString::to_string).collect()
}

#[test]
fn required_fields() {
    let err = CreateInstanceRequest::builder().build().unwrap_err();
    assert_eq!(
        violations(&err),
        ["ProductCode: is required", "SubscriptionType: is required"]
    );
    assert!(bss().build().is_ok());
}

#[test]
fn multiple_of() {
    let err = bss().period(13).build().unwrap_err();
    assert_eq!(
        violations(&err),
        ["Period: must be a multiple of 12, got 13"]
    );
    assert!(bss().period(24).build().is_ok());
}

#[test]
fn required_if() {
    let err = bss()
        .subscription_type(SubscriptionType::Subscription)
        .build()
        .unwrap_err();
    assert_eq!(
        violations(&err),
        ["Period: is required when SubscriptionType is Subscription"]
    );
    let err = bss()
        .renewal_status(RenewalStatus::AutoRenewal)
        .build()
        .unwrap_err();
    assert_eq!(
        violations(&err),
        ["RenewPeriod: is required when RenewalStatus is AutoRenewal"]
    );
    assert!(
        bss()
            .renewal_status(RenewalStatus::AutoRenewal)
            .renew_period(12)
            .build()
            .is_ok()
    );
    assert!(
        bss()
            .subscription_type(SubscriptionType::Subscription)
            .period(12)
            .build()
            .is_ok()
    );
}

#[test]
fn item_count_and_nested_required_fields() {
    let module = || {
        ModuleParameter::builder()
            .code("InstanceType")
            .value("disk")
            .build()
    };
    let err = bss().parameter([]).build().unwrap_err();
    assert_eq!(
        violations(&err),
        ["Parameter: must hold from 1 to 100 items, got 0"]
    );
    let err = bss()
        .parameter((0..101).map(|_| module()))
        .build()
        .unwrap_err();
    assert_eq!(
        violations(&err),
        ["Parameter: must hold from 1 to 100 items, got 101"]
    );
    let err = bss()
        .parameter([module(), ModuleParameter::builder().value("x").build()])
        .build()
        .unwrap_err();
    assert_eq!(violations(&err), ["Parameter.2.Code: is required"]);
    assert!(bss().parameter((0..100).map(|_| module())).build().is_ok());
}

#[test]
fn implies_with_a_plain_string_field() {
    let err = bss()
        .pricing_cycle(create_instance::PricingCycle::Month)
        .product_type("rds")
        .build()
        .unwrap_err();
    assert!(
        violations(&err)[0].starts_with("ProductType: must be one of ddos_originpre_public_cn, "),
        "{err}"
    );
    assert!(
        bss()
            .pricing_cycle(create_instance::PricingCycle::Month)
            .product_type("ddoscoo")
            .build()
            .is_ok()
    );
}

fn product() -> generated_sdk::aiworkspace::create_product_orders::ProductBuilder {
    Product::builder()
        .product_code(ProductCode::DataWorksShare)
        .pricing_cycle(PricingCycle::Month)
        .duration(1)
}

#[test]
fn implies_and_allowed_values_inside_list_items() {
    let bad = Product::builder()
        .product_code(ProductCode::DataWorksShare)
        .pricing_cycle(PricingCycle::Hour)
        .duration(2)
        .build();
    let err = CreateProductOrdersRequest::builder()
        .products([product().build(), bad])
        .build()
        .unwrap_err();
    assert_eq!(
        violations(&err),
        [
            "Products.2.ProductCode: must be one of OSS_share, MaxCompute_share when PricingCycle is Hour",
            "Products.2.Duration: must be 1, got 2",
        ]
    );
    assert!(matches!(
        err.violations()[1].rule,
        Rule::AllowedValues { .. }
    ));
    assert!(
        CreateProductOrdersRequest::builder()
            .products([product().build()])
            .build()
            .is_ok()
    );
}

#[test]
fn ascii_only() {
    let err = OpenVpcIpamServiceRequest::builder()
        .region_id("cn-hangzhou")
        .client_token("令牌")
        .build()
        .unwrap_err();
    assert_eq!(
        violations(&err),
        ["ClientToken: may hold ASCII characters only, found '令'"]
    );
}

#[test]
fn unlisted_enum_values_are_kept_in_responses_and_rejected_in_requests() {
    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(rename = "Capability")]
        capability: Capability,
    }
    let probe: Probe =
        serde_json::from_value(json!({"Capability": "understand-everything"})).unwrap();
    assert!(
        matches!(&probe.capability, Capability::Unknown(v) if v.as_str() == "understand-everything"),
        "{:?}",
        probe.capability
    );
    assert_eq!(probe.capability.to_string(), "understand-everything");

    // A documented value always reads as its variant: the unknown payload cannot be made by
    // hand, so `Unknown("understand")` cannot exist beside `Understand`.
    let probe: Probe = serde_json::from_value(json!({"Capability": "understand"})).unwrap();
    assert_eq!(probe.capability, Capability::Understand);

    let request: CreateIpcOrderRequest =
        serde_json::from_value(json!({"Capability": "understand-everything"})).unwrap();
    let err = request.validate().unwrap_err();
    assert_eq!(
        violations(&err),
        [
            "Capability: \"understand-everything\" is not a valid Capability; valid values: understand, understand-reid, search, understand-search, understand-reid-search"
        ]
    );
}

#[test]
fn enums_parse_display_and_serialize_as_the_wire_value() {
    let c: Capability = "understand-reid".parse().unwrap();
    assert_eq!(c, Capability::UnderstandReid);
    assert_eq!(c.as_str(), "understand-reid");
    assert_eq!(serde_json::to_value(&c).unwrap(), json!("understand-reid"));
    let err = "Understand".parse::<Capability>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "\"Understand\" is not a valid Capability; valid values: understand, understand-reid, search, understand-search, understand-reid-search"
    );
}

#[test]
fn integer_enums_travel_as_numbers() {
    use create_instance::PricingCycle;
    assert_eq!(serde_json::to_value(PricingCycle::Year).unwrap(), json!(1));
    assert_eq!(
        serde_json::from_value::<PricingCycle>(json!(3)).unwrap(),
        PricingCycle::Day
    );
    assert!(matches!(
        serde_json::from_value::<PricingCycle>(json!(9)).unwrap(),
        PricingCycle::Unknown(n) if n.get() == 9
    ));
    assert_eq!("2".parse::<PricingCycle>().unwrap(), PricingCycle::Month);
    assert!("9".parse::<PricingCycle>().is_err());
    assert_eq!(PricingCycle::Month.to_string(), "2");
}

#[test]
fn error_code_tables_match_the_pages() {
    use generated_sdk::bssopenapi::create_instance::{ERROR_CODES, ErrorCode};
    let table: Vec<Value> = spec("CreateInstance")
        .errors
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect();
    assert_eq!(ERROR_CODES.len(), table.len());
    for (row, page) in ERROR_CODES.iter().zip(&table) {
        assert_eq!(json!(row.http_status), page["http_status"]);
        assert_eq!(json!(row.code), page["code"]);
        assert_eq!(json!(row.message), page["message"]);
        assert_eq!(
            row.description.map(Value::from).unwrap_or(Value::Null),
            page.get("description").cloned().unwrap_or(Value::Null)
        );
    }
    let quota = ErrorCode::from_code("INSUFFICIENT.AVAILABLE.QUOTA");
    assert_eq!(quota, ErrorCode::InsufficientAvailableQuota);
    assert_eq!(quota.http_status(), Some(200));
    assert_eq!(
        quota.description(),
        Some("Your account balance drops below 0. Top up your account and try again.")
    );
    assert_eq!(ErrorCode::from_code("400"), ErrorCode::Code400);
    let unknown = ErrorCode::from_code("Throttling.User");
    assert!(matches!(&unknown, ErrorCode::Unknown(c) if c.as_str() == "Throttling.User"));
    assert_eq!(unknown.code(), "Throttling.User");
    assert_eq!(unknown.info(), None);

    use generated_sdk::vpcipam::open_vpc_ipam_service as ipam;
    assert_eq!(ipam::ERROR_CODES.len(), 6);
    assert_eq!(
        ipam::ErrorCode::from_code("Forbidden.RAM"),
        ipam::ErrorCode::ForbiddenRam
    );
    // Pages without a table of their own still keep every code.
    use generated_sdk::ice::create_ipc_order as ice;
    assert!(ice::ERROR_CODES.is_empty());
    assert_eq!(ice::ErrorCode::from_code("Forbidden").code(), "Forbidden");
}

#[test]
fn ram_authorization_as_data() {
    let row = &generated_sdk::bssopenapi::create_instance::AUTHORIZATION[0];
    assert_eq!(row.action, "bss:ModifyInstance");
    assert_eq!(row.access_level, "create");
    assert_eq!(
        row.condition_keys,
        ["bssapi:ProductCode", "bssapi:ProductType"]
    );
    assert_eq!(row.resource_types[0].name, "All Resources");
    assert!(row.resource_types[0].required);
    assert_eq!(
        generated_sdk::vpcipam::open_vpc_ipam_service::AUTHORIZATION[0].resource_types[0].arn,
        None
    );
}
