//! Lists the ECS images of a region page by page: `cargo run --example list_images` (with
//! credentials and `ALIBABA_CLOUD_REGION_ID` in the environment or the CLI profile).

use generated_sdk::ecs::{Client, DescribeImagesRequest};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), generated_sdk::Error> {
    let config = generated_sdk::Config::from_env()?;
    let region = config.region().unwrap_or("cn-hangzhou").to_owned();
    let client = Client::new(config);
    let request = DescribeImagesRequest::builder()
        .region_id(region)
        .page_size(100)
        .build()?;
    // One call per page, made as the items are read; `futures::TryStreamExt` works too.
    let mut images = client.describe_images_pages(request).items();
    while let Some(image) = images.next().await {
        let image = image?;
        eprintln!("{}", image.image_id.as_deref().unwrap_or("(no ID)"));
    }
    Ok(())
}
