"""What consolidate writes for a period: the consolidated workbook, the CSV and feedback copies."""
from __future__ import annotations

from pathlib import Path

from ..plan import Plan


def write_period(folder: Path, result, plan: Plan, lang: str = "en") -> list[Path]:
    """Write every output of one period into `folder`, each atomically; return their paths."""
    from .csv import write_csv
    from .feedback import write_feedback_folder
    from .workbook import write_workbook

    folder.mkdir(parents=True, exist_ok=True)
    paths = [
        write_workbook(folder / f"consolidated_{result.period}.xlsx", result, plan, lang),
        write_csv(folder / f"consolidated_{result.period}.csv", result.matrix),
    ]
    paths.extend(write_feedback_folder(folder / "feedback", result, plan))
    return paths
