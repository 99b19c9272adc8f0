"""The commands of a Secretariat that works as a team: the shared registry (`rcm registry check |
copy | get`) and the shared mailbox (`rcm fetch`). Like every command: parse, call one library
function, print, exit."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .cli_kit import Group, db_option, handled, on_wait, workspace_of

_lang_option = click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True,
                            help="Language of the messages.")


def _registry_of(ctx, db):
    """--db or $RCM_DB, which need no workspace; else the workspace's registry."""
    from .registry.db import ENV, locate
    from .registry.store import registry_target

    if db or os.environ.get(ENV, "").strip():
        return locate(Path.cwd(), db)
    return registry_target(workspace_of(ctx))


@click.group("registry", cls=Group)
def registry_group():
    """Check the registry, copy it, get a returned file back.

    Copying moves a registry between SQLite and PostgreSQL, in either direction.
    """


@registry_group.command("check")
@db_option
@_lang_option
@click.pass_context
@handled
def registry_check(ctx, db, lang):
    """Show the registry's schema version and rows per table.

    Nothing is changed, not even an older schema.
    """
    from .registry.copy import check_registry, render_check

    click.echo("\n".join(render_check(check_registry(_registry_of(ctx, db)), lang)))


@registry_group.command("copy")
@click.option("--from", "source", required=True, metavar="PATH|URL", help="The registry to copy.")
@click.option("--to", "target", required=True, metavar="PATH|URL", help="The new (or empty) registry to copy it into.")
@_lang_option
@handled
def registry_copy(source, target, lang):
    """Copy a whole registry into a new or empty one.

    SQLite to PostgreSQL or back; the rows of every table are counted on both sides.
    """
    from .registry.copy import copy_registry, render_copy

    click.echo("\n".join(render_copy(copy_registry(source, target, on_wait=on_wait(lang)), lang)))


@registry_group.command("get")
@click.argument("sha256")
@click.option("--out", type=click.Path(file_okay=False), default=".", show_default=True,
              help="The folder to write the file into.")
@db_option
@_lang_option
@click.pass_context
@handled
def registry_get(ctx, sha256, out, db, lang):
    """Give back a returned file, found by its SHA-256.

    The hash is in the Returns sheet; its first 8 characters or more are enough.
    """
    from .registry.blobs import render_written, write_file
    from .registry.store import Registry

    with Registry.open(_registry_of(ctx, db), create=False, on_wait=on_wait(lang)) as registry:
        click.echo(render_written(*write_file(registry, sha256, Path(out)), lang))


@click.command("fetch", cls=Group.command_class)
@click.option("--imap-host", required=True, help="The shared mailbox's IMAP server, e.g. imap.example.org.")
@click.option("--imap-user", help="The mailbox's login (default: $RCM_IMAP_USER); the password comes from "
                                  "$RCM_IMAP_PASSWORD or a prompt.")
@click.option("--imap-port", type=click.IntRange(1, 65535), help="Default 993 (TLS), or 143 with --starttls.")
@click.option("--starttls", is_flag=True, help="Connect in plain text, then encrypt with STARTTLS (port 143).")
@click.option("--imap-ca", type=click.Path(dir_okay=False, exists=True),
              help="The certificate (PEM) of a private authority that signed the server's (default: $RCM_IMAP_CA).")
@click.option("--folder", "folders", multiple=True, help="Mailbox folder to read (repeatable; default INBOX).")
@click.option("--since", help="Only messages received on or after this date, YYYY-MM-DD.")
@click.option("--inbox", type=click.Path(file_okay=False), help="The inbox (default: the workspace's inbox/).")
@_lang_option
@click.pass_context
@handled
def fetch_command(ctx, imap_host, imap_user, imap_port, starttls, imap_ca, folders, since, inbox, lang):
    """Save the returns in the shared mailbox into inbox/mail/.

    \b
    Read-only: no message is deleted, moved or marked as read.
    Each message with a workbook attached is saved once as an .eml, however often
    fetch runs; then run `rcm consolidate` as usual.
    """
    from .core.files import WordedError
    from .core.periods import parse_date
    from .core.texts import registry_words
    from .mail.fetch import PASSWORD_ENV, fetch, imap_settings, render_fetch

    settings = imap_settings(imap_host, imap_user, imap_port, starttls, imap_ca)
    password = os.environ.get(PASSWORD_ENV)
    if password is None and not sys.stdin.isatty():
        raise WordedError("fetch-no-password", user=settings.user, env=PASSWORD_ENV)
    if password is None:
        password = click.prompt(registry_words("fetch-password", lang, user=settings.user), hide_input=True, err=True)
    folder = Path(inbox) if inbox else workspace_of(ctx).inbox
    report = fetch(folder, settings, password, folders=folders or ("INBOX",), since=parse_date(since, "since"))
    click.echo("\n".join(render_fetch(report, folder, lang)))
