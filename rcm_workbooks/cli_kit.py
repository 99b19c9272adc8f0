"""The click pieces `rcm`'s commands are made of: a help listing that shows each command's first
sentence whole, the workspace and plan a command works on, the options of the commands that
read returns, and the words of the library's errors with the options they are about."""
from __future__ import annotations

import inspect

import click


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


def error_line(lang: str | None, key: str, **params) -> str:
    """A line of core.texts.ERRORS, in the command's --lang (English when it has none)."""
    from .core.texts import ERRORS

    return ERRORS[lang if lang in ("en", "es") else "en"][key].format(**params)


# The option a library error is about: the library does not know how it was called.
FLAGS = {"output-parent-missing": "--out", "output-read-only": "--out", "no-registry": "--db",
         "registry-unusable": "--db", "rows-out-of-range": "--rows", "unknown-mail-kind": "--kind"}


def problem_line(exc, lang: str | None) -> str:
    """The one line for a library error (core.errors): its code's message, its data, our flag."""
    params = {k: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v for k, v in exc.params.items()}
    field = params.pop("field", None)  # a value given by an option named after it (parse_date)
    flag = f"--{field.replace('_', '-')}" if field else FLAGS.get(exc.problem.value, "")
    return error_line(lang, exc.problem.value, flag=flag, **params)
