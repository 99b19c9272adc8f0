"""The consolidated workbook of a period: Matrix, Summary, [Progress,] Returns, Findings, Rejected rows.

Each sheet has its module (matrix, summary, progress, returns, findings_sheet, rejected), written
with what outputs.sheets provides; this one assembles them. The Progress sheet is added after
Summary when consolidate has set `result.progress` from the registry.

Built in memory with XlsxWriter and written atomically. Any warning XlsxWriter emits while
building is turned into an error (see outputs.sheets for the return codes).
"""
from __future__ import annotations

import datetime as dt
import io
import warnings
from pathlib import Path

from ..core.files import Problem, write_atomic
from ..core.plan import Plan
from ..core.texts import period_words
from .findings_sheet import write_findings
from .matrix import write_matrix
from .rejected import write_rejected
from .returns import write_returns
from .sheets import STREAMED, Labels, WorkbookOutputError, words
from .summary import write_summary


def build_workbook(result, plan: Plan, lang: str = "en") -> bytes:
    """The consolidated workbook of one period, as bytes."""
    import xlsxwriter

    from ..template.build import source_time

    lang = "es" if lang == "es" else "en"
    w = words(lang)
    labels = Labels(plan, lang)
    buf = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                       "strings_to_numbers": False, "strings_to_urls": False,
                                       "default_date_format": "yyyy-mm-dd hh:mm"})
        created = source_time() or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        wb.set_properties({
            "title": w["doc_title"].format(period=period_words(result.period, lang)),
            "subject": w["doc_subject"].format(in_period=period_words(result.period, lang, article=True)),
            "author": plan.organization(lang) or plan.title(lang),
            "company": plan.organization(lang),
            "created": created,
            "comments": f"{plan.id} {plan.version} {result.period}",
        })
        write_matrix(wb, result, plan, lang, labels)
        write_summary(wb, result, plan, lang, labels)
        if getattr(result, "progress", None) is not None:  # (frame, counts) from the registry
            from .progress import write_progress_sheet

            frame, counts = result.progress
            write_progress_sheet(wb, w["sheet_progress"], frame, counts, plan, lang, stream=True)
        write_returns(wb, result, plan, lang, labels)
        write_findings(wb, result, lang)
        write_rejected(wb, result, lang, labels)
        wb.close()
    problems = [str(x.message) for x in caught if "xlsxwriter" in (x.filename or "").replace("\\", "/").lower()]
    if problems:
        raise WorkbookOutputError(Problem.WORKBOOK_NOT_WRITTEN, detail=f"XlsxWriter warned: {problems[0]}")
    return splice_rows(wb, buf.getvalue())


def splice_rows(wb, data: bytes) -> bytes:
    """The written file with the rows sheets.write_table left out written into their sheets."""
    from .sheetxml import splice

    sheets = {}
    number = 0
    for ws in wb.worksheets():
        if ws.is_chartsheet:
            continue
        number += 1  # XlsxWriter's packager names worksheets sheet1.xml, ... in this order
        spec = getattr(ws, STREAMED, None)
        if spec is not None:
            sheets[f"xl/worksheets/sheet{number}.xml"] = spec
            setattr(ws, STREAMED, None)
    if not sheets:
        return data
    try:
        return splice(data, sheets)
    except (ValueError, TypeError) as exc:
        raise WorkbookOutputError(Problem.WORKBOOK_NOT_WRITTEN, detail=str(exc)) from None


def write_workbook(path: Path, result, plan: Plan, lang: str = "en") -> Path:
    """Write `consolidated_<period>.xlsx` atomically; a failure leaves the previous file intact."""
    path = Path(path)
    write_atomic(path, build_workbook(result, plan, lang))
    return path
