"""A report of what the tabs show, as Markdown or CSV (File ▸ Export report).

Tabs describe their results as ``ReportSection``s (a few lines and tables of already formatted cells); the
writers here know nothing of the tabs. CSV is "long" (one value per row: section, table, row, column,
value) so that a spreadsheet or pandas reads every table of every tab from one file.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass


@dataclass(frozen=True)
class ReportTable:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ReportSection:
    title: str
    lines: tuple[str, ...] = ()
    tables: tuple[ReportTable, ...] = ()


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(title: str, sections: list[ReportSection] | tuple[ReportSection, ...], preamble=()) -> str:
    out = [f"# {title}", ""]
    for line in preamble:
        out.append(line)
    if preamble:
        out.append("")
    for s in sections:
        out += [f"## {s.title}", ""]
        for line in s.lines:
            out.append(f"- {line}")
        if s.lines:
            out.append("")
        for t in s.tables:
            out += [f"### {t.title}", ""]
            out.append("| " + " | ".join(_md_cell(h) for h in t.headers) + " |")
            out.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(t.headers))) + "|")
            for row in t.rows:
                out.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def to_csv(sections) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["section", "table", "row", "column", "value"])
    for s in sections:
        for t in s.tables:
            for row in t.rows:
                for header, cell in zip(t.headers[1:], row[1:]):
                    w.writerow([s.title, t.title, row[0], header, cell])
    return buf.getvalue()
