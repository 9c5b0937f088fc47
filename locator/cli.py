"""`flask --app locator ...` commands."""

from __future__ import annotations

import sys
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

from locator import crypto, notify
from locator.directory import bulk, hsds_files, importers, synth
from locator.directory import seed as seed_data
from locator.directory.report import report_lines, write_rejects
from locator.extensions import db
from locator.intake import retention
from locator.models import Base, Program, utcnow
from locator.models.encrypted import reencrypt_all
from locator.models.staff import ROLES
from locator.notify.outbox import deliver
from locator.staff import accounts, audit, sessions
from locator.staff import limits as session_limits
from locator.staff.passwords import PasswordPolicyError
from locator.taxonomy import LEVELS
from locator.wording import counted

seed_cli = AppGroup("seed", help="The demonstration network and taxonomy.")
programs_cli = AppGroup("programs", help="The program directory: synthetic data, imports and exports.")
outbox_cli = AppGroup("outbox", help="Notifications waiting to be delivered.")
keys_cli = AppGroup("keys", help="The keys that encrypt personal fields (LOCATOR_FIELD_KEYS).")
staff_cli = AppGroup("staff", help="Staff accounts.")
intakes_cli = AppGroup("intakes", help="Intake requests.")


def _summary(counts) -> str:
    return ", ".join(f"{counts.get(k, 0)} {k}" for k in ("added", "updated", "unchanged"))


@seed_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has programs.")
def seed_load(if_empty: bool) -> None:
    """Load (or update) the taxonomy and the demonstration programs from seed/."""
    if if_empty and db.session.scalar(select(func.count()).select_from(Program)):
        click.echo("Programs already present; seed not loaded.")
        return
    try:
        result = seed_data.load(db.session)
    except seed_data.SeedError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    for part, counts in result.items():
        click.echo(f"{part}: {_summary(counts)}")


@programs_cli.command("synth")
@click.option("--count", type=click.IntRange(1, 5_000_000), required=True, help="How many programs to add.")
@click.option("--seed", "rng_seed", type=int, default=1, show_default=True, help="Random seed.")
def programs_synth(count: int, rng_seed: int) -> None:
    """Add COUNT synthetic programs (marked as such) over real US ZIP centroids, for benchmarks."""
    seed_data.load_attributes(db.session, seed_data.SEED_DIR / "attributes.yaml")
    synth.synthesize(db.session, count, rng_seed)
    db.session.commit()
    click.echo(f"Added {counted(count, 'synthetic program')}.")


@programs_cli.command("import")
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(importers.FORMATS), required=True)
@click.option("--source", help="Name of the source (default: findtreatment, hsds, or the file's name for csv).")
@click.option("--level", type=click.Choice(tuple(LEVELS)), help="csv: the level of care every row offers.")
@click.option("--rejects", type=click.Path(dir_okay=False, path_type=Path), help="Write rejected lines to this CSV.")
def programs_import(file: Path, fmt: str, source: str | None, level: str | None, rejects: Path | None) -> None:
    """Import (or update) programs from FILE; importing the same file again changes nothing."""
    seed_data.load_attributes(db.session, seed_data.SEED_DIR / "attributes.yaml")
    try:
        parsed = importers.read(file, fmt, source=source, level=level)
    except (importers.FileFormatError, OSError, UnicodeDecodeError) as exc:
        db.session.rollback()
        raise click.ClickException(f"{file}: {exc}") from exc
    with click.progressbar(length=len(parsed.records), label="Importing", file=sys.stderr) as bar:
        counts = bulk.import_records(db.session, parsed.records, utcnow(), progress=bar.update)
    audit.record(db.session, "programs.import", detail=f"{fmt} {file.name}: {_summary(asdict(counts))}")
    db.session.commit()
    for line in report_lines(parsed, counts):
        click.echo(line)
    if rejects is not None:
        write_rejects(rejects, parsed.rejected)
        click.echo(f"Rejected lines written to {rejects}.")


@programs_cli.command("export-hsds")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def programs_export_hsds(directory: Path) -> None:
    """Write every program to DIRECTORY as an Open Referral HSDS 3.1 tabular datapackage."""
    count = hsds_files.export(db.session, directory)
    click.echo(f"Wrote {counted(count, 'program')} to {directory} (datapackage.json and one CSV per table).")


@outbox_cli.command("send")
@click.option("--limit", type=click.IntRange(1, 100_000), default=500, show_default=True)
def outbox_send(limit: int) -> None:
    """Deliver the notifications that are due (run it every minute from cron or a systemd timer)."""
    report = deliver(db.session, notify.transport(), limit=limit)
    click.echo(f"{report.sent} sent, {report.retrying} to retry later, {report.failed} failed for good.")
    if report.failed:
        raise SystemExit(1)


@keys_cli.command("rotate")
def keys_rotate() -> None:
    """Re-encrypt every stored personal field with the first key of LOCATOR_FIELD_KEYS.

    Rotation: put the new key first (LOCATOR_FIELD_KEYS=new,old), restart, run this, then drop the
    old key. It runs in one transaction: a failure leaves everything as it was.
    """
    try:
        changed = reencrypt_all(db.session, Base.metadata, crypto.cipher())
    except crypto.DecryptionError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc}; nothing was changed") from exc
    audit.record(db.session, "keys.rotate", detail=f"{counted(changed, 'value')} re-encrypted")
    db.session.commit()
    click.echo(f"Re-encrypted {counted(changed, 'value')} with the newest key.")


@staff_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--program", "slugs", multiple=True, help="A program they cover (repeat for more).")
@click.option("--name", default="", help="Their name, as colleagues see it.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of asking.")
def staff_create(email: str, role: str, slugs: tuple[str, ...], name: str, password_stdin: bool) -> None:
    """Create a staff account (the first admin, for one)."""
    programs = list(db.session.scalars(select(Program).where(Program.slug.in_(slugs))))
    missing = set(slugs) - {p.slug for p in programs}
    if missing:
        raise click.ClickException(f"no program with slug {', '.join(sorted(missing))}")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create(db.session, email, role, programs, name, password)
    except (accounts.AccountError, PasswordPolicyError) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    audit.record(db.session, "staff.create", "staff_user", user.id, detail=user.role)
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}" + (f" for {', '.join(slugs)}." if slugs else "."))


@staff_cli.command("end-sessions")
def staff_end_sessions() -> None:
    """End the sessions that timed out with no page open, each in the audit trail (run it every minute)."""
    ended = sessions.end_timed_out(db.session, session_limits(), utcnow())
    db.session.commit()
    click.echo(f"Ended {counted(ended, 'session')} that had timed out.")


@intakes_cli.command("purge")
@click.option(
    "--closed-for-days",
    type=click.IntRange(30, 36_500),
    default=6 * 365,
    show_default=True,
    help="Delete requests closed at least this long ago (HIPAA asks for six years of records).",
)
@click.option("--dry-run", is_flag=True, help="Only say how many would be deleted.")
def intakes_purge(closed_for_days: int, dry_run: bool) -> None:
    """Delete closed intake requests (with their history and search tokens) past the retention period."""
    cutoff = utcnow() - timedelta(days=closed_for_days)
    count = retention.purge(db.session, cutoff, dry_run=dry_run)
    if dry_run:
        click.echo(f"{counted(count, 'request')} closed before {cutoff:%Y-%m-%d} would be deleted.")
    else:
        click.echo(f"Deleted {counted(count, 'request')} closed before {cutoff:%Y-%m-%d}.")


def init_app(app: Flask) -> None:
    for group in (seed_cli, programs_cli, outbox_cli, keys_cli, staff_cli, intakes_cli):
        app.cli.add_command(group)
