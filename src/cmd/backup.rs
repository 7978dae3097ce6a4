//! `kioku backup` and `kioku restore`.

use super::Context;
use crate::cli::{BackupArgs, RestoreArgs};
use crate::human::thousands;
use crate::store::{self, BackupKind, Store, SCHEMA_VERSION};
use anyhow::{bail, Result};
use std::process::ExitCode;

pub fn backup(args: BackupArgs, ctx: &Context) -> Result<ExitCode> {
    if args.list {
        list(ctx);
        return Ok(ExitCode::SUCCESS);
    }
    if !ctx.db.is_file() {
        bail!(
            "there is no database at {} to back up yet",
            ctx.db.display()
        );
    }
    let store = Store::open(&ctx.db, ctx.now)?;
    let path = match args.file {
        Some(file) => {
            // Checked again, atomically, when the copy is put in place.
            if file.symlink_metadata().is_ok() {
                bail!("{} already exists; name a new file", file.display());
            }
            store.backup_to(&file)?;
            file
        }
        None => store.backup(ctx.now, "")?,
    };
    let reviews = store::verify(&path)?;
    println!(
        "backed up {} reviews to {} (integrity checked)",
        thousands(reviews as usize),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The backups, oldest first; those kept outside the daily rotation say why.
fn list(ctx: &Context) {
    let found = store::list_backups(&ctx.db);
    if found.is_empty() {
        println!("no backups yet in {}", store::backup_dir(&ctx.db).display());
    }
    for path in found {
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let why = match BackupKind::of(&path) {
            Some(BackupKind::BeforeRestore) => "  kept: the database a restore replaced".into(),
            Some(BackupKind::BeforeMigration(v)) => {
                format!("  kept: the database before its upgrade to schema version {v}")
            }
            Some(BackupKind::Damaged) => {
                "  kept: the raw bytes of a damaged database a restore replaced".into()
            }
            Some(BackupKind::Other(_)) => "  kept".into(),
            Some(BackupKind::Daily) | None => String::new(),
        };
        println!("{}  {:.1} MB{why}", path.display(), size as f64 / 1e6);
    }
}

pub fn restore(args: RestoreArgs, ctx: &Context) -> Result<ExitCode> {
    let done = store::restore(&args.file, &ctx.db, ctx.now, || {
        eprintln!(
            "kioku: another kioku has {} open; waiting a few seconds for it to close",
            ctx.db.display()
        )
    })?;
    println!(
        "restored {} ({} reviews, integrity checked) as {}",
        args.file.display(),
        thousands(done.reviews as usize),
        ctx.db.display()
    );
    if done.version < SCHEMA_VERSION {
        println!(
            "it has schema version {}; the next command upgrades it to {SCHEMA_VERSION}, keeping a copy first",
            done.version
        );
    }
    // Its states are rebuilt from its log now, not at the next command.
    if done.version == SCHEMA_VERSION {
        ctx.open_store()?;
    }
    match done.kept {
        Some(store::Kept {
            path,
            damaged: None,
        }) => println!("the database it replaced is kept as {}", path.display()),
        Some(store::Kept {
            path,
            damaged: Some(why),
        }) => println!(
            "the database it replaced could not be read ({}); its bytes are kept as {}",
            crate::text::clean_line(&why),
            path.display()
        ),
        None => {}
    }
    Ok(ExitCode::SUCCESS)
}
