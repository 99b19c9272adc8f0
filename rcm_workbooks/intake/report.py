"""One report of what became of every file: its verdict and reason, its findings, the counts and
the exit code. `rcm validate` and `rcm consolidate` print it as text (English or Spanish) or as
JSON; the registry records its counts. The JSON's keys and the exit codes are a contract: scripts
of the Secretariat read them (tests/test_cli_contract.py)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..core.findings import Finding, Severity, count_by_severity
from ..core.periods import period_sort_key
from ..core.texts import say
from ..core.verdicts import Verdict
from .validate import Return

EXIT_OK, EXIT_REJECTED = 0, 1


@dataclass
class Report:
    files: list[Return]
    periods: dict = field(default_factory=dict)  # period -> consolidate.PeriodResult: the merged frames
    outputs: list[Path] = field(default_factory=list)  # what the round wrote (round.consolidate)
    consolidated: bool = True  # False: a validation, which merges nothing and writes nothing
    proposals: dict = field(default_factory=dict)  # period -> proposals.ProposalResult: Activity Matrix rounds

    @classmethod
    def of_validation(cls, files: list[Return]) -> Report:
        return cls(files, consolidated=False)

    # --- counts ----------------------------------------------------------------------------

    def count(self, verdict: Verdict) -> int:
        return sum(1 for r in self.files if r.verdict == verdict)

    @property
    def findings(self) -> list[Finding]:
        """Every finding of this round's files: a file set aside as an earlier round's was
        reported in its own round, and counts here only as set aside."""
        return [f for r in self.files if not r.earlier_round for f in r.all_findings()]

    @property
    def rows_accepted(self) -> int:
        if self.consolidated:
            return (sum(len(p.matrix) for p in self.periods.values())
                    + sum(len(p.proposals) for p in self.proposals.values()))
        return sum(rows_accepted(r) for r in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(rows_rejected(r) for r in self.files)

    @property
    def exit_code(self) -> int:
        if self.count(Verdict.REJECTED):
            return EXIT_REJECTED
        if self.consolidated:
            return EXIT_REJECTED if self.rows_rejected else EXIT_OK
        # A validation judges each file on its own: a bad row counts even in a superseded file.
        return EXIT_REJECTED if any(not row.accepted for r in self.files for row in r.rows) else EXIT_OK

    # --- JSON ------------------------------------------------------------------------------

    def summary(self) -> dict:
        """The counts of a consolidation, its periods, outputs and files (`rcm consolidate --json`)."""
        return {
            "files_seen": len(self.files),
            "files_accepted": self.count(Verdict.ACCEPTED),
            "files_rejected": self.count(Verdict.REJECTED),
            "files_superseded": self.count(Verdict.SUPERSEDED),
            "files_ignored": self.count(Verdict.IGNORED),
            "rows_accepted": self.rows_accepted,
            "rows_rejected": self.rows_rejected,
            "findings": count_by_severity(self.findings),
            "periods": sorted(set(self.periods) | set(self.proposals), key=period_sort_key),
            "outputs": [str(p) for p in self.outputs],
            "files": [file_entry(r) for r in self.files],
        }

    def to_dict(self, lang: str = "en") -> dict:
        """A consolidation: its summary. A validation: every file with its findings (messages in
        `lang`), and the findings by severity. Reasons stay in English: scripts compare them."""
        if self.consolidated:
            return self.summary()
        return {"files": [dict(file_entry(r), findings=[f.to_dict(lang) for f in r.all_findings()])
                          for r in self.files],
                "findings": count_by_severity(self.findings)}

    def to_json(self, lang: str = "en") -> str:
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=2)

    # --- text ------------------------------------------------------------------------------

    def to_text(self, lang: str = "en", debug: bool = False) -> str:
        """The report as a person reads it; with `debug`, under each finding what the reader saw
        (a library's exception), which no reason carries."""
        lines = self._file_lines(lang, debug)
        if not self.consolidated:
            return "\n".join([*lines, self._validation_line(lang)])
        lines += ["", self._consolidation_line(lang)]
        if not self.periods and not self.proposals:
            lines.append(say("consolidate.nothing_written", lang))
        lines += self._empty_period_lines(lang)
        lines += [say("consolidate.wrote", lang, path=p) for p in self.outputs]
        return "\n".join(lines + self._next_lines(lang))

    def _empty_period_lines(self, lang: str) -> list[str]:
        """A round asked for a period no return is of: say so, and that its workbook is empty."""
        key = "consolidate.none_of_period_written" if self.outputs else "consolidate.none_of_period"
        held = {r.period for r in self.files if r.verdict in (Verdict.ACCEPTED, Verdict.SUPERSEDED)}
        return [say(key, lang, period=p) for p in sorted(self.periods, key=period_sort_key)
                if p not in held and p not in self.proposals]

    def _next_lines(self, lang: str) -> list[str]:
        """What the Secretariat does next: send the feedback copies written (the focal points' own
        corrections; what it must act on itself is said with each file above), and the receipts."""
        lines = []
        for period in sorted(self.periods, key=period_sort_key):
            copies = [p for p in getattr(self.periods[period], "outputs", []) if p.parent.parent.name == "feedback"]
            if copies:
                lines.append(say("consolidate.next_feedback", lang, n=len(copies), folder=copies[0].parent.parent,
                                 period=period))
            if any(r.period == period and r.verdict in (Verdict.ACCEPTED, Verdict.REJECTED) for r in self.files):
                lines.append(say("consolidate.next_receipts", lang, period=period))
        return lines

    def _file_lines(self, lang: str, debug: bool = False) -> list[str]:
        verdicts = {v: say(f"verdict.{v.value}", lang) for v in Verdict}
        severities = {s: say(f"severity.{s.value}", lang) for s in Severity}
        wide, wide_severity = max(map(len, verdicts.values())), max(map(len, severities.values()))
        lines = []
        earlier = [r for r in self.files if r.earlier_round]
        # A round's returns of other periods: one line too, or their cell errors drown the round's own.
        others = [r for r in self.files if self.consolidated and of_other_period(r)]
        apart = {id(r) for r in others}
        for r in self.files:
            if r.earlier_round or id(r) in apart:
                continue  # counted in one line below
            who = f" [{r.country} {r.working_group} {r.period}]" if r.identified else ""
            label = verdicts.get(r.verdict, "")
            lines.append(f"{label:<{wide}} {r.name}{who}: {r.reason_in(lang)}")
            for f in r.all_findings():
                # A validation prints every note it counts; a round keeps to what needs acting on.
                if f.severity is not Severity.INFO or r.verdict == Verdict.IGNORED or not self.consolidated:
                    text = f.render(lang)[len(f.file) + 2:] if f.file else f.render(lang)
                    lines.append(f"    {severities[f.severity]:<{wide_severity}} {f.code:<22} {text}")
                    if debug and f.evidence:
                        lines.append(f"    {'':<{wide_severity}} debug: {f.evidence}")
        if earlier:
            periods = ", ".join(sorted({r.period for r in earlier}, key=period_sort_key))
            lines.append(say("consolidate.set_aside", lang, n=len(earlier), periods=periods))
        if others:
            lines.append(_other_period_line(others, lang))
        return lines

    def _consolidation_line(self, lang: str) -> str:
        counted = {v.value: say(f"n.files_{v.value}", lang, n=self.count(v)) for v in Verdict}
        return say("consolidate.summary", lang, files=say("n.files", lang, n=len(self.files)), **counted,
                   rows_merged=say("n.rows_merged", lang, n=self.rows_accepted),
                   rows_rejected=say("n.rows_rejected", lang, n=self.rows_rejected))

    def _validation_line(self, lang: str) -> str:
        counts = count_by_severity(self.findings)
        return say("validate.summary", lang, files=say("n.files", lang, n=len(self.files)),
                   errors=say("n.errors", lang, n=counts["error"]),
                   warnings=say("n.warnings", lang, n=counts["warning"]),
                   notes=say("n.notes", lang, n=counts["info"]))


def of_other_period(r: Return) -> bool:
    """Rejected only for being of another period than the one asked (its cells may be wrong too)."""
    return r.verdict == Verdict.REJECTED and {f.code for f in r.file_errors} == {"meta-other-period"}


def _other_period_line(others: list[Return], lang: str) -> str:
    counts: dict[str, int] = {}
    for r in others:
        counts[r.period] = counts.get(r.period, 0) + 1
    order = sorted(counts, key=lambda p: (-counts[p], period_sort_key(p)))  # the likeliest first
    asked = next(f.params.get("expected", "") for f in others[0].file_errors)
    if len(order) == 1:
        return say("consolidate.other_period", lang, n=len(others), periods=order[0], period=asked, first=order[0])
    periods = ", ".join(f"{p}: {counts[p]}" for p in order)
    return say("consolidate.other_periods", lang, n=len(others), periods=periods, period=asked, first=order[0])


def rows_accepted(r: Return) -> int:
    return sum(1 for x in r.rows if x.accepted) if r.verdict == Verdict.ACCEPTED else 0


def rows_rejected(r: Return) -> int:
    """Rows that went to Rejected rows for a fault: bad rows of an accepted return, every row of a
    rejected one. A superseded return's rows are listed there too, but they are not faults."""
    if r.verdict == Verdict.ACCEPTED:
        return sum(1 for x in r.rows if not x.accepted)
    return len(r.rows) if r.verdict == Verdict.REJECTED else 0


def file_entry(r: Return) -> dict:
    """One file in the JSON; `reason` in English."""
    return {
        "path": r.name, "verdict": r.verdict, "reason": r.reason, "country": r.country,
        "working_group": r.working_group, "period": r.period,
        "rows_accepted": rows_accepted(r),
        "rows_rejected": rows_rejected(r),
        "sha256": r.sha256,
        # what a reader saw where it failed (a library's exception), for whoever debugs; never a reason
        "detail": next((f.evidence for f in r.file_errors if f.evidence), ""),
        "sender": r.sender, "sent_at": r.sent_at.isoformat(sep=" ") if r.sent_at else None,
    }
