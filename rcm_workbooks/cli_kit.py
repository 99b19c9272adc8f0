"""The click pieces `rcm`'s commands are made of: a help listing that shows each command's first
sentence whole, the workspace and plan a command works on, the options of the commands that
read returns, the registry's option and waiting message, and the words of the library's errors
with the options they are about."""
from __future__ import annotations

import functools
import inspect
import sys

import click

EXIT_OK, EXIT_REJECTED, EXIT_CANNOT_RUN = 0, 1, 2


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(EXIT_CANNOT_RUN)


def workspace_words(lang: str | None) -> dict:
    from .core.texts import WORKSPACE

    return WORKSPACE.get(lang or "en", WORKSPACE["en"])


def handled(fn):
    """Turn the library's expected errors into one line and exit 2; hide tracebacks unless --debug.
    The line is in the command's --lang, where it has one."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from .core.errors import RcmError, WordedError
        from .core.files import NotAWorkspace
        from .core.plan import PlanError

        lang = kwargs.get("lang")
        try:
            return fn(*args, **kwargs)
        except NotAWorkspace as exc:
            if exc.params["lost_plan"] is not None:
                from .core.plan import DEFAULT_PLAN
                from .core.texts import say

                fail(say("plan.missing", lang or "en", root=exc.params["lost_plan"], default=DEFAULT_PLAN))
            key = "not-in-a-workspace" if exc.params["searched"] else "not-a-workspace"
            fail(workspace_words(lang)[key].format(flag="-C", **exc.params))
        except PlanError as exc:
            if exc.syntax:  # the one problem there is, in --lang
                from .core.texts import say

                fail(say(exc.syntax.get("word", "plan.yaml_syntax"), lang or "en", **exc.syntax))
            click.echo(f"Error: {error_line(lang, 'cli.plan-invalid')}", err=True)
            for p in exc.problems:
                click.echo(f"  {p}", err=True)
            sys.exit(EXIT_CANNOT_RUN)
        except WordedError as exc:
            fail(exc.render(lang or "en"))
        except RcmError as exc:
            fail(problem_line(exc, lang))
        except BrokenPipeError:  # output piped into `head` and closed: the work itself is done
            sys.stderr.close()
            sys.exit(EXIT_OK)
        except OSError as exc:
            name = f" {exc.filename}" if getattr(exc, "filename", None) else ""
            fail(error_line(lang, "cli.cannot-use", name=name, detail=exc.strerror or exc))
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # the user never sees a traceback unless asked
            if click.get_current_context().find_root().params.get("debug"):
                raise
            fail(error_line(lang, "cli.internal-error", detail=f"{type(exc).__name__}: {exc}", flag="--debug"))

    return wrapper


class _WholeFirstSentence:
    def get_short_help_str(self, limit: int = 45) -> str:
        """The first sentence, whole: click would cut it with "..." to the terminal's width; the
        listing wraps it instead (the sentences are written to fit in 80 columns)."""
        words = inspect.cleandoc(self.short_help or self.help or "").split("\n\n")[0].split()
        words = words[1:] if words[:1] == ["\b"] else words
        end = next((i + 1 for i, w in enumerate(words) if w.endswith(".")), len(words))
        return " ".join(words[:end])


class _Command(_WholeFirstSentence, click.Command):
    pass


class Group(_WholeFirstSentence, click.Group):
    command_class = _Command
    group_class = type  # sub-groups (plan) are made like this one


def read_limits(max_unzipped_mb, max_file_mb):
    from .intake.reader import ReadLimits

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


def workspace_of(ctx):
    """The workspace named with -C, else the one the current folder is in."""
    from .core.files import open_workspace

    return open_workspace(ctx.obj["workspace"])


def plan_of(ctx):
    """The workspace's plan; outside a workspace, the default plan (validate works anywhere)."""
    from .core.files import WorkspaceError
    from .core.plan import load_plan

    try:
        return workspace_of(ctx).load_plan()
    except WorkspaceError:
        return load_plan()


def format_options(fn):
    """--format json and --json: both spellings on every command that prints a report."""
    fn = click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text (as --format json).")(fn)
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                        help="text, or json: one JSON object.")(fn)


db_option = click.option(
    "--db", metavar="PATH|URL",
    help="The registry: a file, or a postgresql:// URL (password from PGPASSWORD or ~/.pgpass). "
         "Default: $RCM_DB, else `registry:` in templates/settings.yaml, else registry.sqlite in the workspace.")


def on_wait(lang):
    """What a command says when another rcm writing to the same registry makes it wait."""
    from .core.texts import registry_words
    from .registry.db import WAIT_SECONDS

    def say(where: str) -> None:
        click.echo(registry_words("registry-waiting", lang or "en", where=where, seconds=f"{WAIT_SECONDS:.0f}"),
                   err=True)

    return say


def error_line(lang: str | None, key: str, **params) -> str:
    """A line of core.texts.ERRORS, in the command's --lang (English when it has none)."""
    from .core.texts import ERRORS

    return ERRORS[lang if lang in ("en", "es") else "en"][key].format(**params)


# The option a library error is about: the library does not know how it was called.
FLAGS = {"output-parent-missing": "--out", "output-read-only": "--out", "rows-out-of-range": "--rows", "unknown-mail-kind": "--kind",
         "not-a-year": "--period", "unknown-mail-form": "--form", "mail-form-ambiguous": "--form"}


def problem_line(exc, lang: str | None) -> str:
    """The one line for a library error (core.errors): its code's message, its data, our flag."""
    params = {k: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v for k, v in exc.params.items()}
    field = params.pop("field", None)  # a value given by an option named after it (parse_date)
    flag = f"--{field.replace('_', '-')}" if field else FLAGS.get(exc.problem.value, "")
    return error_line(lang, exc.problem.value, flag=flag, **params)
