"""The errors that stop a command: a code and its data, never a sentence.

The command line words each code (core/texts.py, ERRORS, in English and Spanish) and names its
own flags; the library does not know how it is called, so it never names a flag or a command.
"""
from __future__ import annotations

from enum import Enum


class Problem(str, Enum):
    # the workspace and its folders (the words of the first three: core.texts.WORKSPACE)
    NOT_A_WORKSPACE = "not-a-workspace"  # start, searched (nor in any folder above start)
    TEMPLATES_EXIST = "templates-exist"  # period, paths
    INBOX_EMPTY = "inbox-empty"  # inbox
    ALREADY_A_WORKSPACE = "already-a-workspace"  # path
    NOT_A_FOLDER = "not-a-folder"  # path
    DEMO_FOLDER_NOT_EMPTY = "demo-folder-not-empty"  # path
    NOT_FOUND = "not-found"  # paths
    NO_INBOX = "no-inbox"  # path
    OUTPUT_PARENT_MISSING = "output-parent-missing"  # path, parent
    OUTPUT_NOT_CREATED = "output-not-created"  # path, detail
    OUTPUT_READ_ONLY = "output-read-only"  # path
    CONSOLIDATION_RUNNING = "consolidation-running"  # folder, seconds
    # what was asked for
    NOT_A_PERIOD = "not-a-period"  # text
    NOT_A_YEAR = "not-a-year"  # period, year (the Activity Matrix is yearly)
    NOT_A_DATE = "not-a-date"  # text, field (the option's name, e.g. due)
    DUE_BEFORE_PERIOD = "due-before-period"  # due, period, start (its words: core.texts.WORKSPACE)
    UNKNOWN_GROUP = "unknown-group"  # codes, valid
    UNKNOWN_COUNTRY = "unknown-country"  # codes, valid
    ROWS_OUT_OF_RANGE = "rows-out-of-range"  # low, high
    UNKNOWN_MAIL_KIND = "unknown-mail-kind"  # kind, kinds
    UNKNOWN_MAIL_FORM = "unknown-mail-form"  # form, forms
    MAIL_FORM_AMBIGUOUS = "mail-form-ambiguous"  # period, forms (templates of both were generated)
    NO_TEMPLATES = "no-templates"  # period, folder
    NO_FOCAL_POINT_LIST = "no-focal-point-list"  # path
    NO_PERIOD_OF_YEAR = "no-period-of-year"  # year
    # (the registry's own errors are WordedError, below: core.registry_words)
    # writing workbooks (detail: what XlsxWriter or the XML said)
    TEMPLATE_NOT_WRITTEN = "template-not-written"  # detail
    WORKBOOK_NOT_WRITTEN = "workbook-not-written"  # detail

    def __str__(self) -> str:
        return self.value


class RcmError(Exception):
    """A problem with the command's input that stops it (exit 2): `problem` says which, `params`
    hold what the message needs (paths, values, limits)."""

    def __init__(self, problem: Problem, **params):
        problem = Problem(problem)  # a sentence where a code belongs fails here, where it is raised
        super().__init__(problem, params)
        self.problem = problem
        self.params = params

    def __str__(self) -> str:  # for logs and tracebacks: the code and its data
        data = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.problem.value}: {data}" if data else self.problem.value

    def __reduce__(self):  # keeps the code and data across a pickle (a worker process), whatever
        return _rebuild, (type(self), self.problem, self.params)  # the subclass's own __init__ takes


def _rebuild(cls, problem, params):
    error = Exception.__new__(cls)
    RcmError.__init__(error, problem, **params)
    return error


class WorkspaceError(RcmError):
    """The workspace, its folders, the registry or the command's values stop the command."""


class WordedError(WorkspaceError):
    """The registry's and the mailbox's errors: a key of core.texts.REGISTRY and its data. Their
    words name the options they are about, as the command line's lines do."""

    def __init__(self, key: str, **params):
        from .registry_words import REGISTRY

        if key not in REGISTRY["en"]:
            raise ValueError(f"no words for {key!r} in core.registry_words.REGISTRY")
        Exception.__init__(self, key, params)
        self.problem, self.key, self.params = None, key, params

    def render(self, lang: str = "en") -> str:
        from .registry_words import registry_words

        return registry_words(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.render("en")

    def __reduce__(self):
        return _rebuild_worded, (self.key, self.params)


def _rebuild_worded(key, params):
    return WordedError(key, **params)
