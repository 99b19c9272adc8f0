"""The `rcm` command: parse, call one library function, render, exit. No work is done here."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli_kit import (EXIT_CANNOT_RUN, EXIT_OK, EXIT_REJECTED, Group, db_option, error_line, format_options,
                      handled, limit_options, on_wait, plan_of, read_limits, workspace_of)
from .cli_kit import fail as _fail
from .cli_kit import workspace_words as _words
from .cli_plan import add_plan_commands, generate_activities
from .cli_team import fetch_command, registry_group
from .core.fields import DEFAULT_ROWS, MAX_ROWS
from .core.version import __version__


def _counted(entry, count: int, **params) -> str:
    return entry[0 if count == 1 else 1].format(count=count, **params)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rcm")
@click.option("--debug", is_flag=True, help="Show the full traceback of an internal error, and what each reader saw where a file failed.")
@click.option("-C", "--workspace", "workspace", type=click.Path(file_okay=False),
              help="The workspace folder (default: the one the current folder is in).")
@click.pass_context
def cli(ctx, debug, workspace):
    """Follow-up matrix workbooks for the Regional Conference on Migration.

    \b
    A round:  rcm generate --period 2025-H1 --due 2025-06-30
              (e-mail outbox/2025-H1/templates/<COUNTRY>/ to the focal points)
              drop what comes back into inbox/, then: rcm consolidate
    """
    ctx.obj = {"workspace": workspace}
    if debug:  # what the library logs (a library's exception where a file failed) goes to stderr
        import logging

        logging.basicConfig(level=logging.DEBUG, format="debug: %(name)s: %(message)s")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
@handled
def init(directory):
    """Make a new workspace DIRECTORY with the default plan.

    The default plan is the Strategic Plan 2019-2022. The lines it prints are in English.
    """
    from .core.texts import say
    from .workspace import init_workspace

    ws = init_workspace(directory)
    click.echo(say("init.ready", root=ws.root))
    click.echo(say("init.plan", path=ws.plan_path))
    click.echo(say("init.focal_points", path=ws.root / "templates" / "focal_points.xlsx"))
    click.echo(say("init.inbox", path=ws.inbox))
    click.echo(say("init.outbox", path=ws.outbox))


@cli.group()
def plan():
    """Check, print, export, import or adopt the plan."""


@plan.command("check")
@click.option("--file", "plan_file", type=click.Path(dir_okay=False), help="A plan file other than the workspace's.")
@click.pass_context
@handled
def plan_check(ctx, plan_file):
    """Validate the plan; list every problem with its line and key.

    Exit 2 if the plan is broken. The lines it prints are in English.
    """
    from .core.plan import load_plan
    from .core.texts import say

    path = Path(plan_file) if plan_file else workspace_of(ctx).plan_path
    p = load_plan(path)
    sizes = {"pillars": len(p.pillars), "themes": sum(len(x.themes) for x in p.pillars),
             "working_groups": len(p.working_groups), "countries": len(p.countries),
             "responsible_parties": len(p.responsible_parties), "statuses": len(p.statuses),
             "deadlines": len(p.deadlines)}
    counts = ", ".join(say(f"n.{k}", n=n) for k, n in sizes.items())
    click.echo(say("plan.ok", path=path, id=p.id, version=p.version, counts=counts))


@plan.command("show")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True)
@click.option("--file", "plan_file", type=click.Path(dir_okay=False), help="A plan file other than the workspace's.")
@click.pass_context
@handled
def plan_show(ctx, fmt, lang, plan_file):
    """Print the plan's codes and labels.

    With --format json: both languages, for scripts.
    """
    from .core.plan import load_plan
    from .core.texts import say

    p = load_plan(Path(plan_file) if plan_file else workspace_of(ctx).plan_path)
    if fmt == "json":
        click.echo(p.to_json())
        return
    click.echo(say("plan.title", lang, title=p.title(lang), id=p.id, version=p.version))
    for pillar in p.pillars:
        click.echo(f"\n{pillar.code}  {pillar.label(lang)}")
        for t in pillar.themes:
            click.echo(f"    {pillar.code}/{t.code:<4} {t.label(lang)}")
    sections = [("working_groups", p.working_groups), ("countries", p.countries),
                ("responsible_parties", p.responsible_parties), ("statuses", p.statuses),
                ("deadlines", p.deadlines)]
    for title, items in sections:
        click.echo(f"\n{say('plan.' + title, lang)}:")
        for item in items:
            extra = f"  [{item.language}]" if hasattr(item, "language") else ""
            click.echo(f"    {item.code:<13} {item.label(lang)}{extra}")


add_plan_commands(plan, handled)


@cli.command()
@click.option("--period", required=True, help="Reporting period: YYYY, YYYY-H1 or YYYY-H2.")
@click.option("--group", "groups", multiple=True, help="Working group code (repeatable); default all.")
@click.option("--country", "countries", multiple=True, help="Country code (repeatable); default all.")
@click.option("--lang", type=click.Choice(["en", "es"]),
              help="Language of every workbook (and of these lines); default each country's own (lines in English).")
@click.option("--due", help="Due date of the returns, YYYY-MM-DD.")
@click.option("--rows", type=click.IntRange(0, MAX_ROWS),
              help=f"Empty input rows per workbook (default {DEFAULT_ROWS}; 3 for --form activities); "
                   "a focal point cannot insert rows.")
@click.option("--form", type=click.Choice(["followup", "activities"]), default="followup", show_default=True,
              help="followup: the follow-up matrix (4.3); activities: the yearly Activity Matrix (3.9), --period YYYY.")
@click.option("--carry-forward", "carry", is_flag=True,
              help="Pre-fill each workbook with its latest activities of earlier periods, from the registry.")
@db_option
@click.option("--force", is_flag=True, help="Overwrite templates of the period that exist already.")
@click.pass_context
@handled
def generate(ctx, period, groups, countries, lang, due, rows, form, carry, db, force):
    """Write one locked workbook per working group and country.

    Into outbox/PERIOD/templates/COUNTRY/. A template that exists already is not overwritten
    without --force (it may have been e-mailed); the missing ones are written.
    """
    if form == "activities":
        return generate_activities(ctx, period, groups, countries, lang, due, rows, carry, force, _refuse_overwrite)
    from .core.periods import parse_date, parse_period
    from .core.texts import say
    from .template.generate import DueBeforePeriod, TemplatesExist
    from .template.generate import generate as run

    ws = workspace_of(ctx)
    period, due_date = parse_period(period), parse_date(due)
    plan_ = ws.load_plan()
    carried: list = []
    registry = None
    prefill = None
    if carry:
        from .registry.carry import carry_forward
        from .registry.store import open_registry

        registry = open_registry(ws, db, create=False, on_wait=on_wait(lang))
        hook = carry_forward(registry, plan_, period)

        def prefill(group, country):
            rows_ = hook(group, country)
            carried.extend(rows_)
            return rows_
    try:
        made = run(ws, plan_, period, groups=list(groups), countries=list(countries), lang=lang,
                   due=due_date, rows=DEFAULT_ROWS if rows is None else rows, prefill=prefill, force=force)
    except TemplatesExist as exc:
        _refuse_overwrite(ws, exc, lang)
    except DueBeforePeriod as exc:
        _fail(_words(lang)["due-before-period"].format(flag="--due", **exc.params))
    finally:
        if registry is not None:
            registry.close()
    folder = ws.templates_dir(period)
    words = lang or "en"
    click.echo(say("generate.wrote", words, n=len(made), period=period, folder=folder))
    replaced = sum(g.replaced for g in made)
    if replaced:
        click.echo(_counted(_words(lang)["templates-replaced"], replaced, flag="--force"))
    if carry:
        click.echo(say("generate.carried", words, n=len(carried)))
    by_country: dict[str, list[str]] = {}
    for g in made:
        by_country.setdefault(f"{g.country} ({g.language})", []).append(g.working_group)
    for country, gs in by_country.items():
        click.echo(f"  {country}: {', '.join(gs)}")


def _refuse_overwrite(ws, exc, lang, shown: int = 3) -> None:
    """Which templates are in the way (the first few, from the workspace), why, and what to do."""
    words, paths = _words(lang), exc.params["paths"]
    click.echo("Error: " + _counted(words["templates-exist"], len(paths), period=exc.params["period"]), err=True)
    for path in paths[:shown]:
        click.echo(f"  {path.relative_to(ws.root).as_posix()}", err=True)
    if len(paths) > shown:
        click.echo("  " + words["templates-exist-more"].format(count=len(paths) - shown), err=True)
    click.echo(_counted(words["templates-exist-why"], len(paths), flag="--force"), err=True)
    sys.exit(EXIT_CANNOT_RUN)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--period", help="Report returns of any other period as errors.")
@format_options
@click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True)
@limit_options
@click.pass_context
@handled
def validate(ctx, paths, period, fmt, as_json, lang, max_unzipped_mb, max_file_mb):
    """List the findings of returned workbooks (files or folders).

    Nothing is consolidated or written.
    """
    from .core.periods import parse_period
    from .core.texts import say
    from .intake.consolidate import validate_paths

    period = parse_period(period) if period is not None else None  # "" is a mistake, not "every period"
    report_ = validate_paths([Path(p) for p in paths], plan_of(ctx), period=period,
                             limits=read_limits(max_unzipped_mb, max_file_mb))
    as_json = as_json or fmt == "json"
    if not report_.files:  # as an empty inbox: nothing was looked at, which is no success
        where = ", ".join(str(Path(p).resolve()) for p in paths)
        click.echo(say("validate.nothing", lang, paths=where), err=as_json)
        if as_json:
            click.echo(report_.to_json(lang))
        sys.exit(EXIT_REJECTED)
    click.echo(report_.to_json(lang) if as_json else report_.to_text(lang, debug=ctx.find_root().params["debug"]))
    sys.exit(report_.exit_code)


@cli.command()
@click.option("--period", help="Consolidate only this period; returns of other periods are reported, not merged.")
@click.option("--inbox", type=click.Path(file_okay=False), help="Folder of returns (default: the workspace's inbox/).")
@click.option("--out", type=click.Path(file_okay=False), help="Output folder (default: the workspace's outbox/).")
@click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True,
              help="Language of the consolidated workbook and of what is printed.")
@format_options
@db_option
@limit_options
@click.pass_context
@handled
def consolidate(ctx, period, inbox, out, lang, fmt, as_json, db, max_unzipped_mb, max_file_mb):
    """Validate the returns in inbox/ and consolidate them.

    The consolidated matrix, summaries and feedback copies go into outbox/PERIOD/.
    """
    from .core.periods import parse_period
    from .round import NothingToConsolidate
    from .round import consolidate as run

    ws = workspace_of(ctx)
    period = parse_period(period) if period is not None else None  # "" is a mistake, not "every period"
    as_json = as_json or fmt == "json"
    try:
        result = run(ws, ws.load_plan(), period=period, inbox=Path(inbox) if inbox else None,
                     out=Path(out) if out else None, lang=lang, limits=read_limits(max_unzipped_mb, max_file_mb),
                     db=db, on_wait=on_wait(lang))
    except NothingToConsolidate as exc:
        _nothing_to_consolidate(exc, lang, as_json)
    click.echo(result.to_json(lang) if as_json else result.to_text(lang, debug=ctx.find_root().params["debug"]))
    sys.exit(result.exit_code)


def _nothing_to_consolidate(exc, lang, as_json) -> None:
    inbox = Path(exc.params["inbox"]).resolve()
    message = _words(lang)["inbox-empty"].format(inbox=inbox)
    if as_json:
        click.echo(json.dumps({"error": exc.problem, "inbox": str(inbox), "message": message, "files_seen": 0,
                               "outputs": []}, ensure_ascii=False, indent=2))
    else:
        click.echo(message)
    sys.exit(EXIT_REJECTED)


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--period", default="2025-H1", show_default=True, help="The first follow-up period.")
@click.option("--rounds", type=click.IntRange(1, 2), default=2, show_default=True,
              help="2: also the next period, with activities carried forward, and the annual report.")
@handled
def demo(directory, period, rounds):
    """Run the whole cycle on synthetic returns, in a new folder.

    The year's Activity Matrix round and the adoption of its most proposed activities, then the
    follow-up rounds that report on them. DIRECTORY defaults to ./rcm-demo-N. The lines it prints
    are in English.
    """
    from .demo.run import run_demo

    result = run_demo(directory, period, rounds=rounds)
    for line in result.lines("en"):
        click.echo(line)
    sys.exit(EXIT_OK)


@cli.command()
@click.option("--ref", help="One activity, by its ref (e.g. GTM-PROT-0007).")
@click.option("--country", help="Only this country's activities (code).")
@click.option("--group", help="Only this working group's activities (code).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True)
@db_option
@click.pass_context
@handled
def history(ctx, ref, country, group, fmt, lang, db):
    """The status of activities across periods, from the registry."""
    from .registry.store import open_registry, render_history
    from .registry.store import history as run

    ws = workspace_of(ctx)
    with open_registry(ws, db, create=False, on_wait=on_wait(lang)) as registry:
        items = run(registry, ref=ref, country=country, group=group)
    if fmt == "json":
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
    else:
        click.echo(render_history(items, ws.load_plan(), lang))


@cli.command()
@click.option("--year", required=True, type=click.IntRange(2000, 2100), help="The year of the report.")
@click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="The .docx to write (default: outbox/report_YEAR_LANG.docx).")
@db_option
@click.pass_context
@handled
def report(ctx, year, lang, out, db):
    """Write the annual report draft (.docx) from the registry.

    The report of the Strategic Plan's section 4.2 a-c, as a Word document.
    """
    from .core.errors import Problem, WorkspaceError
    from .core.texts import say
    from .registry.report import report_data, write_report
    from .registry.store import open_registry

    ws = workspace_of(ctx)
    plan_ = ws.load_plan()
    with open_registry(ws, db, create=False, on_wait=on_wait(lang)) as registry:
        data = report_data(registry, plan_, year)
    if not data.periods:
        raise WorkspaceError(Problem.NO_PERIOD_OF_YEAR, year=year)
    path = write_report(Path(out) if out else ws.outbox / f"report_{year}_{lang}.docx", data, plan_, lang)
    counts = {k: sum(c[k] for c in data.by_group.values()) for k in ("achieved", "in_process", "pending")}
    click.echo(say("report.wrote", lang, path=path))
    click.echo(say("report.counts", lang, year=year, periods=", ".join(data.periods),
                   activities=say("n.activities", lang, n=len(data.activities)), **counts))


@cli.command("mail")
@click.option("--period", required=True, help="Reporting period: YYYY, YYYY-H1 or YYYY-H2.")
@click.option("--kind", required=True, type=click.Choice(["templates", "reminders", "feedback", "receipts"]),
              help="templates: the blank workbooks; reminders: for returns still missing, late or rejected; "
                   "feedback: the annotated copies from the last consolidate; "
                   "receipts: what arrived, to each focal point with a return.")
@click.option("--form", type=click.Choice(["followup", "activities"]),
              help="The round: followup (4.3) or activities (the Activity Matrix, 3.9); default: the form of the "
                   "period's templates, as `rcm generate --form` wrote them.")
@click.option("--lang", type=click.Choice(["en", "es"]),
              help="Language of every message (and of these lines); default each focal point's (lines in English).")
@click.option("--from", "sender", help="Sender, e.g. 'RCM Secretariat <es@example.org>' (default: $RCM_MAIL_FROM).")
@click.option("--send", "do_send", is_flag=True, help="Send the messages by SMTP (default: only write the .eml drafts).")
@click.option("--smtp-host", help="SMTP server (with --send).")
@click.option("--smtp-port", type=click.IntRange(1, 65535), default=587, show_default=True)
@click.option("--starttls/--no-starttls", default=True, show_default=True, help="Encrypt the connection with STARTTLS.")
@click.option("--smtp-user", help="SMTP login; the password comes from $RCM_SMTP_PASSWORD or a prompt.")
@click.option("--yes", is_flag=True, help="With --send: do not ask for confirmation.")
@click.pass_context
@handled
def mail_command(ctx, period, kind, form, lang, sender, do_send, smtp_host, smtp_port, starttls, smtp_user, yes):
    """Write an e-mail (.eml) per focal point, workbooks attached.

    With --send, send them too.

    \b
    The focal points are listed in templates/focal_points.xlsx (or .csv).
    Drafts: outbox/PERIOD/mail/KIND/<COUNTRY>-<name>.eml (open them in Outlook or Thunderbird);
    an Activity Matrix round's: outbox/YEAR/mail/activities/KIND/.
    """
    import os

    from .core.periods import parse_period
    from .core.texts import say
    from .mail.drafts import FROM_ENV, PASSWORD_ENV, SmtpSettings, send, write_drafts

    ws = workspace_of(ctx)
    period = parse_period(period)
    if do_send and not smtp_host:
        _fail(error_line(lang, "cli.send-needs-host", send="--send", host="--smtp-host", user="--smtp-user",
                         sender="--from"))
    sender = sender or os.environ.get(FROM_ENV)
    if do_send and not sender:
        _fail(error_line(lang, "cli.send-needs-sender", send="--send", sender="--from", env=FROM_ENV))
    result = write_drafts(ws, ws.load_plan(), period, kind, lang=lang, sender=sender, form=form)
    words = lang or "en"
    for p in result.focal_points.problems:
        click.echo(say("mail.problem", words, severity=say(f"severity.{p.severity.value}", words),
                       text=p.render(words)), err=True)
        if p.evidence and ctx.find_root().params["debug"]:  # what reading the list raised
            click.echo(f"    debug: {p.evidence}", err=True)
    if result.focal_points.errors:
        _fail(say("mail.list_errors", words, n=len(result.focal_points.errors)))
    for note in result.notes:
        click.echo(say("mail.note", words, text=note.text(words)), err=True)
    for d in result.drafts:
        key = "mail.draft" if d.attachments else "mail.draft_bare"  # a receipt carries no file
        click.echo(say(key, words, n=len(d.attachments), name=d.path.name, to=", ".join(d.recipients),
                       files=", ".join(p.name for p in d.attachments)))
    for p in result.removed:
        click.echo(say("mail.removed", words, name=p.name))
    nothing = ", ".join(f"{fp.name} ({fp.country})" for fp in result.nothing_for)
    click.echo(say("mail.wrote", words, n=len(result.drafts), kind=say(f"mail.kind.{kind}", words), period=period,
                   folder=result.where)
               + (say("mail.nothing_for", words, names=nothing) if nothing else ""))
    if not do_send or not result.drafts:
        if do_send:
            click.echo(say("mail.nothing_to_send", words))
        sys.exit(EXIT_OK)
    if not yes:
        click.confirm(say("mail.confirm", words, n=len(result.drafts), server=f"{smtp_host}:{smtp_port}"), abort=True)
    password = None
    if smtp_user:
        password = os.environ.get(PASSWORD_ENV)
        if password is None:
            password = click.prompt(say("mail.password", words, user=smtp_user), hide_input=True, err=True)
    log = ws.period_dir(period) / "mail" / "sent.log"
    outcomes = send(result.drafts, SmtpSettings(smtp_host, smtp_port, starttls, smtp_user, sender), password, log)
    for o in outcomes:
        status = say("mail.ok" if o.ok else "mail.failed", words)
        click.echo(f"  {status:<6} {o.draft.path.name}: {o.text(words)}")
    failed = sum(1 for o in outcomes if not o.ok)
    click.echo(say("mail.sent", words, ok=len(outcomes) - failed, n=len(outcomes), log=log))
    sys.exit(EXIT_REJECTED if failed else EXIT_OK)


cli.add_command(registry_group)
cli.add_command(fetch_command)


def main():
    cli(prog_name="rcm")
