"""The click pieces `rcm`'s commands are made of: a help listing that shows each command's first
sentence whole, the library's errors turned into one line and an exit code (`handled`), the
workspace and plan a command works on, the options of the commands that read returns, and the
registry's option and waiting message."""
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
    """Turn the library's expected errors into one line and exit 2; hide tracebacks unless --debug."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from .core.files import NotAWorkspace, WorkspaceError
        from .core.plan import PlanError
        from .template.build import TemplateError

        try:
            return fn(*args, **kwargs)
        except NotAWorkspace as exc:
            key = "not-in-a-workspace" if exc.params["searched"] else "not-a-workspace"
            fail(workspace_words(kwargs.get("lang"))[key].format(flag="-C", **exc.params))
        except PlanError as exc:
            click.echo("Error: the plan is not valid:", err=True)
            for p in exc.problems:
                click.echo(f"  {p}", err=True)
            sys.exit(EXIT_CANNOT_RUN)
        except (WorkspaceError, TemplateError) as exc:
            fail(exc.render(kwargs.get("lang") or "en") if hasattr(exc, "render") else str(exc))
        except BrokenPipeError:  # output piped into `head` and closed: the work itself is done
            sys.stderr.close()
            sys.exit(EXIT_OK)
        except OSError as exc:
            name = f" {exc.filename}" if getattr(exc, "filename", None) else ""
            fail(f"cannot use{name}: {exc.strerror or exc}. Check that the folder exists and is writable.")
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # the user never sees a traceback unless asked
            if click.get_current_context().find_root().params.get("debug"):
                raise
            fail(f"internal error ({type(exc).__name__}: {exc}). Run again with --debug for details.")

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
