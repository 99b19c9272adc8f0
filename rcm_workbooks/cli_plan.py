"""The commands of the plan in Excel (`rcm plan export | import | adopt`) and the Activity Matrix
round of `rcm generate --form activities`: parse, call one library function, print, exit.

cli.py adds them to its `plan` group (`add_plan_commands`) with its own error handling, so that
nothing here imports the command line's main module.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli_kit import EXIT_CANNOT_RUN, db_option, fail, workspace_of


def _problems(exc, path, lang: str, as_json: bool) -> None:
    """Every problem of a workbook the plan cannot take, in the reader's language; exit 2."""
    from .core.texts import say

    if as_json:
        click.echo(json.dumps({"changed": False, "problems": [p.to_dict(lang) for p in exc.problems]},
                              ensure_ascii=False, indent=2))
    else:
        click.echo(say("plan.problems", lang, n=len(exc.problems), path=path), err=True)
        for p in exc.problems:
            click.echo(f"  {p.render(lang)}", err=True)
    sys.exit(EXIT_CANNOT_RUN)


def _in_use(ws, db):
    from .planbook.in_use import codes_in_use

    return codes_in_use(ws, ws.load_plan(), db)


def add_plan_commands(plan, handled) -> None:
    """Add export, import and adopt to the `plan` group; `handled` is cli.py's error handling."""
    lang_option = click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True,
                               help="Language of the lines and of the problems.")
    json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")

    @plan.command("export")
    @click.argument("file", type=click.Path(dir_okay=False))
    @lang_option
    @click.pass_context
    @handled
    def plan_export(ctx, file, lang):
        """Write the plan as a workbook FILE.xlsx to edit in Excel.

        Every part of the plan on its own sheet, headings in English and Spanish; codes locked,
        names editable, blank rows at the bottom for new entries. Then: rcm plan import FILE.xlsx
        """
        from .core.files import write_atomic
        from .core.texts import say
        from .planbook.write import export_plan

        p = workspace_of(ctx).load_plan()
        write_atomic(Path(file), export_plan(p))
        click.echo(say("plan.exported", lang, path=file, id=p.id, version=p.version))

    @plan.command("import")
    @click.argument("file", type=click.Path(dir_okay=False))
    @lang_option
    @json_option
    @db_option
    @click.pass_context
    @handled
    def plan_import(ctx, file, lang, as_json, db):
        """Check a plan workbook and make it the plan.

        Every problem is listed with its sheet and cell, and nothing changes (exit 2). When there
        is none, templates/plan.yaml is replaced, its version raised and the previous file kept in
        templates/backups/. A code that workbooks or the registry already carry can be retired,
        not removed or renamed.
        """
        from .planbook.sheets import PlanWorkbookError
        from .planbook.write import apply_plan_workbook

        ws = workspace_of(ctx)
        try:
            applied = apply_plan_workbook(ws.plan_path, Path(file), _in_use(ws, db))
        except PlanWorkbookError as exc:
            _problems(exc, file, lang, as_json)
        _told(applied, lang, as_json, [])

    @plan.command("adopt")
    @click.argument("file", type=click.Path(dir_okay=False))
    @lang_option
    @json_option
    @db_option
    @click.pass_context
    @handled
    def plan_adopt(ctx, file, lang, as_json, db):
        """Make the proposals marked in FILE the groups' priority activities.

        FILE is the activities_<period>.xlsx of an Activity Matrix round, with x in its Adopt column
        (at most 3 a working group). A group with marked proposals gets exactly those, each with a
        stable ref; the others keep theirs. Nothing changes if any mark has a problem (exit 2).
        """
        from .planbook.adopt import adopt
        from .planbook.sheets import PlanWorkbookError

        ws = workspace_of(ctx)
        try:
            adopted = adopt(ws.plan_path, Path(file), _in_use(ws, db))
        except PlanWorkbookError as exc:
            _problems(exc, file, lang, as_json)
        lines = [(g, ", ".join(f"{a.ref} {a.activity(lang)[:50]}" for a in acts)) for g, acts in adopted.groups.items()]
        _told(adopted, lang, as_json, lines)


def _told(done, lang: str, as_json: bool, groups: list[tuple[str, str]]) -> None:
    from .core.texts import say

    adopt = bool(groups)
    if as_json:
        out = {"changed": done.changed, "version": done.plan.version,
               "backup": str(done.backup) if done.backup else None, "problems": []}
        if adopt:
            out["groups"] = {g: [a.to_dict() for a in acts] for g, acts in done.groups.items()}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not done.changed:
        click.echo(say("plan.adopt_unchanged" if adopt else "plan.unchanged", lang))
        return
    if adopt:
        n = sum(len(acts) for acts in done.groups.values())
        click.echo(say("plan.adopted", lang, n=n, version=done.plan.version, backup=done.backup))
        for group, activities in groups:
            click.echo(say("plan.adopted_group", lang, group=group, activities=activities))
        click.echo(say("plan.adopt_next", lang))
    else:
        click.echo(say("plan.imported", lang, version=done.plan.version, backup=done.backup))


def generate_activities(ctx, period, groups, countries, lang, due, rows, carry, force, refuse_overwrite):
    """`rcm generate --form activities`: one Activity Matrix per working group and country."""
    from .core.periods import parse_date, parse_period
    from .core.texts import say
    from .template.activities import DEFAULT_PROPOSALS
    from .template.activities import generate_activities as run
    from .template.generate import DueBeforePeriod, TemplatesExist

    words = lang or "en"
    if carry:
        fail(say("generate.carry_activities", words, flag="--carry-forward"))
    ws = workspace_of(ctx)
    period, due_date = parse_period(period), parse_date(due)
    rows = DEFAULT_PROPOSALS if rows is None else rows
    try:
        made = run(ws, ws.load_plan(), period, groups=list(groups), countries=list(countries), lang=lang,
                   due=due_date, rows=rows, force=force)
    except TemplatesExist as exc:
        refuse_overwrite(ws, exc, lang)
    except DueBeforePeriod as exc:
        from .core.texts import WORKSPACE

        fail(WORKSPACE[words]["due-before-period"].format(flag="--due", **exc.params))
    click.echo(say("generate.wrote", words, n=len(made), period=period, folder=ws.templates_dir(period)))
    pre = sum(len([k for k in g.meta if k.startswith("ref.")]) for g in made)
    click.echo(say("generate.activities", words, n=pre, rows=rows))
    by_country: dict[str, list[str]] = {}
    for g in made:
        by_country.setdefault(f"{g.country} ({g.language})", []).append(g.working_group)
    for country, gs in by_country.items():
        click.echo(f"  {country}: {', '.join(gs)}")

