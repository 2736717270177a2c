use std::io::IsTerminal;

use clap::Parser;
use orgd::Server;
use orgd::config::{Cli, Command, LogFormat};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cfg = match Cli::parse().command {
        Command::Serve(cfg) => cfg,
        Command::Export(args) => {
            let counts = orgd::offline::export(&args.data_dir, args.output.as_deref())?;
            eprintln!("exported {}", serde_json::to_string(&counts)?);
            return Ok(());
        }
        Command::Simulate(args) => {
            let answer = orgd::simulate::run(&args).await?;
            println!("{}", serde_json::to_string_pretty(&answer)?);
            let allowed = answer["decision"] == "allowed";
            std::process::exit(if allowed { 0 } else { 2 });
        }
        Command::Import(args) => {
            let counts = orgd::offline::import(&args.data_dir, &args.file)?;
            eprintln!("imported {}", serde_json::to_string(&counts)?);
            return Ok(());
        }
    };
    let filter = EnvFilter::try_new(&cfg.log).unwrap_or_else(|_| EnvFilter::new("info"));
    // Log lines gather in a buffer that a background thread writes out (`log_writer`); the
    // guard writes out the rest when main returns.
    let colour = std::io::stdout().is_terminal();
    let (writer, _flush_on_exit) = orgd::log_writer::BufferedLog::new(std::io::stdout());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(colour);
    match cfg.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
    let server = Server::start(&cfg).await?;
    tracing::info!(
        addr = %server.addr,
        storage = match (&cfg.database_url, cfg.in_memory) {
            (Some(_), _) => "postgresql".to_string(),
            (None, true) => "memory".to_string(),
            (None, false) => cfg.data_dir.display().to_string(),
        },
        "orgd listening"
    );
    server.run_until(shutdown_signal()).await?;
    tracing::info!("orgd stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
