"""The `rcm` command: parse, call one library function, render, exit. No work is done here."""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from . import __version__

EXIT_OK, EXIT_REJECTED, EXIT_CANNOT_RUN = 0, 1, 2


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(EXIT_CANNOT_RUN)


def handled(fn):
    """Turn the library's expected errors into one line and exit 2; hide tracebacks unless --debug."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from .plan import PlanError
        from .template import TemplateError
        from .workspace import WorkspaceError

        try:
            return fn(*args, **kwargs)
        except PlanError as exc:
            click.echo("Error: the plan is not valid:", err=True)
            for p in exc.problems:
                click.echo(f"  {p}", err=True)
            sys.exit(EXIT_CANNOT_RUN)
        except (WorkspaceError, TemplateError) as exc:
            _fail(str(exc))
        except BrokenPipeError:  # output piped into `head` and closed: the work itself is done
            sys.stderr.close()
            sys.exit(EXIT_OK)
        except OSError as exc:
            name = f" {exc.filename}" if getattr(exc, "filename", None) else ""
            _fail(f"cannot use{name}: {exc.strerror or exc}. Check that the folder exists and is writable.")
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # the user never sees a traceback unless asked
            if click.get_current_context().find_root().params.get("debug"):
                raise
            _fail(f"internal error ({type(exc).__name__}: {exc}). Run again with --debug for details.")

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rcm")
@click.option("--debug", is_flag=True, help="Show the full traceback of an internal error.")
@click.option("-C", "--workspace", "workspace", default=".", show_default=True,
              type=click.Path(file_okay=False), help="The workspace folder to work in.")
@click.pass_context
def cli(ctx, debug, workspace):
    """Follow-up matrix workbooks for the Regional Conference on Migration.

    \b
    A round:  rcm generate --period 2025-H1 --due 2025-06-30
              (e-mail outbox/2025-H1/templates/<COUNTRY>/ to the focal points)
              drop what comes back into inbox/, then: rcm consolidate
    """
    ctx.obj = {"workspace": workspace}


def _workspace(ctx):
    from .workspace import open_workspace

    return open_workspace(ctx.obj["workspace"])


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
@handled
def init(directory):
    """Make a new workspace DIRECTORY with the default plan (Strategic Plan 2019-2022)."""
    from .workspace import init_workspace

    ws = init_workspace(directory)
    click.echo(f"Workspace ready: {ws.root}")
    click.echo(f"  plan:   {ws.plan_path}")
    click.echo(f"  inbox:  {ws.inbox}   (drop returned workbooks here)")
    click.echo(f"  outbox: {ws.outbox}  (templates and consolidated outputs appear here)")


@cli.group()
def plan():
    """Check or print the plan (templates/plan.yaml)."""


@plan.command("check")
@click.option("--file", "plan_file", type=click.Path(dir_okay=False), help="A plan file other than the workspace's.")
@click.pass_context
@handled
def plan_check(ctx, plan_file):
    """Validate the plan; exit 2 with every problem (file, line, key) if it is broken."""
    from .plan import load_plan

    path = Path(plan_file) if plan_file else _workspace(ctx).plan_path
    p = load_plan(path)
    themes = sum(len(x.themes) for x in p.pillars)
    click.echo(f"{path}: OK — plan {p.id} version {p.version}: {len(p.pillars)} pillars, {themes} themes, "
               f"{len(p.working_groups)} working groups, {len(p.countries)} countries, "
               f"{len(p.responsible_parties)} responsible parties, {len(p.statuses)} statuses, "
               f"{len(p.deadlines)} deadlines.")


@plan.command("show")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True)
@click.option("--file", "plan_file", type=click.Path(dir_okay=False), help="A plan file other than the workspace's.")
@click.pass_context
@handled
def plan_show(ctx, fmt, lang, plan_file):
    """Print the plan: codes and labels (JSON: both languages, for scripts)."""
    from .plan import load_plan

    p = load_plan(Path(plan_file) if plan_file else _workspace(ctx).plan_path)
    if fmt == "json":
        click.echo(p.to_json())
        return
    click.echo(f"{p.title(lang)} ({p.id}, version {p.version})")
    for pillar in p.pillars:
        click.echo(f"\n{pillar.code}  {pillar.label(lang)}")
        for t in pillar.themes:
            click.echo(f"    {pillar.code}/{t.code:<4} {t.label(lang)}")
    sections = [("Working groups", p.working_groups), ("Countries", p.countries),
                ("Responsible parties", p.responsible_parties), ("Statuses", p.statuses),
                ("Deadlines", p.deadlines)]
    for title, items in sections:
        click.echo(f"\n{title}:")
        for item in items:
            extra = f"  [{item.language}]" if hasattr(item, "language") else ""
            click.echo(f"    {item.code:<13} {item.label(lang)}{extra}")


@cli.command()
@click.option("--period", required=True, help="Reporting period: YYYY, YYYY-H1 or YYYY-H2.")
@click.option("--group", "groups", multiple=True, help="Working group code (repeatable); default all.")
@click.option("--country", "countries", multiple=True, help="Country code (repeatable); default all.")
@click.option("--lang", type=click.Choice(["en", "es"]), help="Language of every workbook; default each country's own.")
@click.option("--due", help="Due date of the returns, YYYY-MM-DD.")
@click.option("--rows", type=click.IntRange(0, 10_000), default=30, show_default=True,
              help="Empty input rows per workbook.")
@click.pass_context
@handled
def generate(ctx, period, groups, countries, lang, due, rows):
    """Write one locked workbook per working group x country into outbox/PERIOD/templates/."""
    from .generate import generate as run
    from .workspace import parse_date, parse_period

    ws = _workspace(ctx)
    period, due_date = parse_period(period), parse_date(due)
    made = run(ws, ws.load_plan(), period, groups=list(groups), countries=list(countries), lang=lang,
               due=due_date, rows=rows)
    folder = ws.templates_dir(period)
    click.echo(f"Wrote {len(made)} workbooks for {period} into {folder}")
    by_country: dict[str, list[str]] = {}
    for g in made:
        by_country.setdefault(f"{g.country} ({g.language})", []).append(g.working_group)
    for country, gs in by_country.items():
        click.echo(f"  {country}: {', '.join(gs)}")


def _plan_for(ctx):
    """The workspace's plan; outside a workspace, the default plan (validate works anywhere)."""
    from .plan import load_plan
    from .workspace import WorkspaceError

    try:
        return _workspace(ctx).load_plan()
    except WorkspaceError:
        return load_plan()


def _limits(max_unzipped_mb, max_file_mb):
    from .reader import ReadLimits

    return ReadLimits(max_file_mb=max_file_mb, max_unzipped_mb=max_unzipped_mb)


_limit_options = [
    click.option("--max-unzipped-mb", type=click.FloatRange(1), default=256, show_default=True,
                 help="Refuse a workbook that would unpack to more than this."),
    click.option("--max-file-mb", type=click.FloatRange(1), default=100, show_default=True,
                 help="Refuse a file larger than this on disk."),
]


def limit_options(fn):
    for option in reversed(_limit_options):
        fn = option(fn)
    return fn


def _render_returns(returns, lang):
    from .findings import Severity

    for r in returns:
        who = f" [{r.country} {r.working_group} {r.period}]" if r.identified else ""
        click.echo(f"{r.verdict.upper():<10} {r.name}{who}: {r.reason}")
        for f in r.all_findings():
            if f.severity is not Severity.INFO or r.verdict == "ignored":
                click.echo(f"    {f.severity.value:<7} {f.code:<22} {f.render(lang)[len(f.file) + 2:] if f.file else f.render(lang)}")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--period", help="Report returns of any other period as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True)
@limit_options
@click.pass_context
@handled
def validate(ctx, paths, period, fmt, lang, max_unzipped_mb, max_file_mb):
    """The findings for returned workbooks (files or folders), without consolidating anything."""
    from .consolidate import file_entry, validate_paths
    from .findings import count_by_severity
    from .workspace import parse_period

    period = parse_period(period) if period else None
    returns = validate_paths([Path(p) for p in paths], _plan_for(ctx), period=period,
                             limits=_limits(max_unzipped_mb, max_file_mb))
    findings = [f for r in returns for f in r.all_findings()]
    if fmt == "json":
        click.echo(json.dumps({
            "files": [dict(file_entry(r), findings=[f.to_dict(lang) for f in r.all_findings()]) for r in returns],
            "findings": count_by_severity(findings)}, ensure_ascii=False, indent=2))
    else:
        _render_returns(returns, lang)
        counts = count_by_severity(findings)
        click.echo(f"{len(returns)} files: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes.")
    bad = any(r.verdict == "rejected" or any(not row.accepted for row in r.rows) for r in returns)
    sys.exit(EXIT_REJECTED if bad else EXIT_OK)


@cli.command()
@click.option("--period", help="Consolidate only this period; returns of other periods are reported, not merged.")
@click.option("--inbox", type=click.Path(file_okay=False), help="Folder of returns (default: the workspace's inbox/).")
@click.option("--out", type=click.Path(file_okay=False), help="Output folder (default: the workspace's outbox/).")
@click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True,
              help="Language of the consolidated workbook.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@limit_options
@click.pass_context
@handled
def consolidate(ctx, period, inbox, out, lang, as_json, max_unzipped_mb, max_file_mb):
    """Validate every return in inbox/ and write the consolidated matrix, summaries and feedback."""
    from .consolidate import consolidate as run
    from .workspace import parse_period

    ws = _workspace(ctx)
    period = parse_period(period) if period else None
    result = run(ws, ws.load_plan(), period=period, inbox=Path(inbox) if inbox else None,
                 out=Path(out) if out else None, lang=lang, limits=_limits(max_unzipped_mb, max_file_mb))
    summary = result.summary(lang)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        _render_returns(result.files, lang)
        click.echo("")
        click.echo(f"{summary['files_seen']} files: {summary['files_accepted']} accepted, "
                   f"{summary['files_rejected']} rejected, {summary['files_superseded']} superseded, "
                   f"{summary['files_ignored']} ignored; {summary['rows_accepted']} rows merged, "
                   f"{summary['rows_rejected']} rows rejected.")
        if not result.periods:
            click.echo("No return could be identified, and no round was generated here: nothing was written.")
        for path in result.outputs:
            click.echo(f"  wrote {path}")
    sys.exit(result.exit_code)


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--period", default="2025-H1", show_default=True)
@handled
def demo(directory, period):
    """Run a whole round on synthetic returns in a new folder (default ./rcm-demo-N)."""
    from .demo import run_demo

    result = run_demo(directory, period)
    for line in result.lines:
        click.echo(line)
    sys.exit(EXIT_OK)


def main():
    cli(prog_name="rcm")
