//! Calls BssOpenApi `CreateInstance` with credentials and region from the environment
//! (`ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALIBABA_CLOUD_REGION_ID`).
//! This really places an order: run it only when you mean to.

use generated_sdk::bssopenapi::create_instance::SubscriptionType;
use generated_sdk::bssopenapi::{Client, CreateInstanceRequest};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), generated_sdk::Error> {
    let client = Client::new(generated_sdk::Config::from_env()?);
    let request = CreateInstanceRequest::builder()
        .product_code("rds")
        .subscription_type(SubscriptionType::PayAsYouGo)
        .build()?; // the page's rules, checked before anything is sent
    let response = client.create_instance(request).await?;
    eprintln!("order: {:?}", response.data.and_then(|d| d.order_id));
    Ok(())
}
