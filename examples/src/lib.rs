//! What every example shares: a client configuration for the real cloud (the default
//! credentials chain: environment, profile, OIDC, ECS RAM role, ...) or, with
//! `--emulator`, for a local emulator started in this process.

use std::time::Duration;

use alibabacloud_core::Config;
use alibabacloud_credentials::DefaultCredentialsChain;
use alibabacloud_emulator::{Emulator, RunningEmulator};

/// Where an example sends its calls.
pub struct Target {
    /// The configuration for the generated clients.
    pub config: Config,
    /// The emulator, when the example runs against one (stopped when dropped).
    pub emulator: Option<RunningEmulator>,
}

impl Target {
    /// The real cloud with the default credentials chain (and `region`, if given), or
    /// with `emulator`, a local emulator whose lifecycles take 100 ms a step.
    pub async fn connect(emulator: bool, region: Option<&str>) -> std::io::Result<Self> {
        let mut config = Config::builder();
        if let Some(region) = region {
            config = config.region(region);
        }
        if !emulator {
            return Ok(Self {
                config: config.credentials(DefaultCredentialsChain::new()).build(),
                emulator: None,
            });
        }
        let emulator = Emulator::builder()
            .lifecycle_step(Duration::from_millis(100))
            .start()
            .await?;
        let config = config
            .endpoint(emulator.endpoint())
            .credentials(emulator.credentials())
            .build();
        Ok(Self {
            config,
            emulator: Some(emulator),
        })
    }

    /// How often a waiter polls: the documented pace against the cloud, quickly against
    /// the emulator.
    pub fn poll_delays(&self) -> Option<(Duration, Duration)> {
        self.emulator
            .as_ref()
            .map(|_| (Duration::from_millis(50), Duration::from_millis(200)))
    }
}
