//! `jeugdflow serve`: the strategy studio, a local web app on the library
//! (`jeugdflow::studio`). Here only the options, the refusal of a non-loopback address
//! without a token (exit code 2), and the line `studio: http://HOST:PORT/` on stdout.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use jeugdflow::studio::{self, Config};

use super::common::InvalidInput;

/// The options of `serve`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folder of scenario files the studio lists, reads and saves strategies into.
    #[arg(long, default_value = "scenarios")]
    pub scenarios: PathBuf,
    /// Folder the studio writes results into (one folder per run or comparison).
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Address to listen on. Anything but loopback (127.0.0.1, ::1) needs --token.
    #[arg(long, default_value = "127.0.0.1")]
    pub listen: String,
    /// Port to listen on; 0 picks a free port.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Secret every request must carry: header `Authorization: Bearer T`, or `?token=T`
    /// once in the browser (then kept in a cookie).
    #[arg(long)]
    pub token: Option<String>,
}

/// Checks the options, starts the studio, prints where it listens, serves until Ctrl-C.
pub fn exec(args: &Args) -> Result<ExitCode> {
    let ip: IpAddr = match args.listen.as_str() {
        "localhost" => IpAddr::V4(Ipv4Addr::LOCALHOST),
        s => s.parse().map_err(|_| {
            InvalidInput(format!(
                "--listen {s}: not an IP address (e.g. 127.0.0.1, ::1 or 0.0.0.0)"
            ))
        })?,
    };
    if let Some(t) = &args.token
        && (t.len() < 8 || t.chars().any(|c| !c.is_ascii_graphic() || c == ';'))
    {
        return Err(InvalidInput(
            "--token: use at least 8 printable characters without spaces or ';'".into(),
        )
        .into());
    }
    if !ip.is_loopback() && args.token.is_none() {
        return Err(InvalidInput(format!(
            "--listen {ip} would open the studio to other machines; give --token too \
             (or listen on 127.0.0.1)"
        ))
        .into());
    }
    if !args.scenarios.is_dir() {
        return Err(InvalidInput(format!(
            "--scenarios {}: no such folder",
            args.scenarios.display()
        ))
        .into());
    }
    jeugdflow::report::output::refuse_linked_folders(&args.out)
        .map_err(|e| InvalidInput(format!("--out: {e}")))?;
    std::fs::create_dir_all(&args.out).map_err(|e| {
        InvalidInput(format!(
            "--out {}: cannot create it: {e}",
            args.out.display()
        ))
    })?;
    let mut config = Config::new(args.scenarios.clone(), args.out.clone());
    config.token = args.token.clone();
    let addr = SocketAddr::new(ip, args.port);
    studio::serve(
        config,
        addr,
        |local| {
            let host = match local.ip() {
                IpAddr::V6(v6) => format!("[{v6}]"),
                v4 => v4.to_string(),
            };
            println!("studio: http://{host}:{}/", local.port());
            let _ = std::io::stdout().flush();
            eprintln!("Ctrl-C stops the studio");
        },
        studio::ctrl_c,
    )?;
    eprintln!("studio stopped");
    Ok(ExitCode::SUCCESS)
}
