//! Apply for a DV certificate of a domain, show the DNS record that proves control of it,
//! wait until the certificate is issued, and save it with its key.
//!
//! ```sh
//! cargo run -p sdk-examples --bin apply_dv -- --domain www.example.com --email me@example.com --out ./certs
//! cargo run -p sdk-examples --bin apply_dv -- --emulator --domain www.example.com --out /tmp/certs
//! ```

use std::path::PathBuf;

use alibabacloud_cas_20200407 as cas;
use clap::Parser;
use sdk_examples::Target;

/// Applies for a DV certificate and saves it once issued.
#[derive(Parser)]
struct Args {
    /// The domain to certify.
    #[arg(long)]
    domain: String,
    /// The contact's email.
    #[arg(long, default_value = "admin@example.com")]
    email: String,
    /// The contact's name.
    #[arg(long, default_value = "Admin")]
    username: String,
    /// The contact's phone.
    #[arg(long, default_value = "13800000000")]
    phone: String,
    /// Where to write `<domain>.pem` and `<domain>.key`.
    #[arg(long, default_value = ".")]
    out: PathBuf,
    /// Call a local emulator instead of the cloud.
    #[arg(long)]
    emulator: bool,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let target = Target::connect(args.emulator, None).await?;
    let client = cas::Client::new(&target.config)?;

    let order = client
        .create_certificate_request()
        .domain(&args.domain)
        .email(&args.email)
        .username(&args.username)
        .phone(&args.phone)
        .validate_type("DNS")
        .send()
        .await?
        .order_id
        .ok_or("the application answered no OrderId")?;
    let state = client
        .describe_certificate_state()
        .order_id(order)
        .send()
        .await?;
    println!(
        "order {order}: prove control of {} with this DNS record:",
        args.domain
    );
    println!(
        "  {} {}.{} {}",
        state.record_type.map(|t| t.to_string()).unwrap_or_default(),
        state.record_domain.unwrap_or_default(),
        args.domain,
        state.record_value.unwrap_or_default()
    );

    let mut wait = client.wait_until_certificate_issued().order_id(order);
    if let Some((min, max)) = target.poll_delays() {
        wait = wait.poll_delays(min, max);
    }
    let issued = wait.send().await?;
    let certificate = issued
        .certificate
        .ok_or("the issued order has no certificate")?;
    std::fs::create_dir_all(&args.out)?;
    let cert_path = args.out.join(format!("{}.pem", args.domain));
    std::fs::write(&cert_path, certificate)?;
    println!("issued: certificate written to {}", cert_path.display());
    if let Some(key) = issued.private_key {
        let key_path = args.out.join(format!("{}.key", args.domain));
        write_private(&key_path, &key)?;
        println!("        private key written to {}", key_path.display());
    }
    Ok(())
}

/// Writes a private key readable by its owner only (on Unix).
fn write_private(path: &std::path::Path, key: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(key.as_bytes())
}
