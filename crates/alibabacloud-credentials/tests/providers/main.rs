//! Every provider against loopback fake servers (never the real endpoints), with the
//! environment injected as a map (the process environment is never touched).

mod common;

mod cache;
mod chain;
mod cli_modes;
mod cli_profile;
mod ecs_ram_role;
mod environment;
mod official;
mod oidc;
mod profile_file;
mod ram_role_arn;
mod redaction;
mod uri;
