//! `generated-sdk` used the way a user uses it: through its public API only, with values a user
//! would write rather than the specs.

use generated_sdk::aiworkspace::CreateProductOrdersRequest;
use generated_sdk::aiworkspace::create_product_orders::{
    InstanceProperty, PricingCycle, Product, ProductCode,
};
use generated_sdk::bssopenapi::create_instance::ErrorCode;
use generated_sdk::bssopenapi::{CreateInstanceRequest, CreateInstanceResponse};

#[test]
fn buy_dataworks_pay_as_you_go() {
    let request = CreateProductOrdersRequest::builder()
        .auto_pay(true)
        .products([Product::builder()
            .product_code(ProductCode::DataWorksShare)
            .pricing_cycle(PricingCycle::Month)
            .duration(1)
            .instance_properties([InstanceProperty::builder()
                .code("region")
                .value("cn-shanghai")
                .build()])
            .build()])
        .build()
        .expect("a valid order");
    let body = serde_json::to_value(&request).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "AutoPay": true,
            "Products": [{
                "ProductCode": "DataWorks_share",
                "PricingCycle": "Month",
                "Duration": 1,
                "InstanceProperties": [{"Code": "region", "Value": "cn-shanghai"}]
            }]
        })
    );
}

#[test]
fn a_request_read_from_json_is_checked_like_a_built_one() {
    let request: CreateInstanceRequest = serde_json::from_str(
        r#"{"ProductCode":"oss","SubscriptionType":"Subscription","Period":6}"#,
    )
    .unwrap();
    let err = request.validate().unwrap_err();
    let lines: Vec<String> = err
        .violations()
        .iter()
        .map(|v| format!("{} -> {}", v.field, v.rule))
        .collect();
    assert_eq!(lines, ["Period -> must be a multiple of 12, got 6"]);
}

#[test]
fn reading_a_response_and_an_error_code() {
    let response: CreateInstanceResponse = serde_json::from_str(
        r#"{"Code":"INSUFFICIENT.AVAILABLE.QUOTA","Success":false,"RequestId":"r-1","NewField":{"x":1}}"#,
    )
    .unwrap();
    assert_eq!(response.success, Some(false));
    let code = ErrorCode::from_code(response.code.as_deref().unwrap_or_default());
    match code {
        ErrorCode::InsufficientAvailableQuota => {
            assert_eq!(
                code.message(),
                Some("The account balance is negative. Add funds to the account and try again.")
            );
        }
        other => panic!("unexpected {other}"),
    }
}

/// The README's code is the compiled examples', word for word.
#[test]
fn the_readme_shows_the_compiled_examples() {
    let root = tests::root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    for name in ["create_instance", "list_images"] {
        let example =
            std::fs::read_to_string(root.join(format!("generated-sdk/examples/{name}.rs")))
                .unwrap();
        let code = &example[example.find("use generated_sdk").unwrap()..];
        assert!(
            readme.contains(&format!("```rust\n{code}```")),
            "README.md must show generated-sdk/examples/{name}.rs from its first `use` on"
        );
    }
}
