"""Layer sets as typed in the Architecture tab, and the report writers behind File ▸ Export."""
import csv
import io

import pytest

from llmplanner.core.errors import PlannerError
from llmplanner.core.layer_sets import format_layer_set, parse_layer_set
from llmplanner.core.report import ReportSection, ReportTable, to_csv, to_markdown


@pytest.mark.parametrize("text, layers", [
    ("0-6:2, 9", (0, 2, 4, 6, 9)),
    ("3", (3,)),
    ("1-3; 2-4", (1, 2, 3, 4)),
    ("", ()),
    (" 0 - 40 : 2 ", tuple(range(0, 41, 2))),
])
def test_layer_sets_parse(text, layers):
    assert parse_layer_set(text, 42) == layers


@pytest.mark.parametrize("text, message", [
    ("0-50", "layer 50 does not exist"), ("5-2", "backwards"), ("a", "not a layer"), ("0-4:0", "at least 1"),
])
def test_bad_layer_sets_say_why(text, message):
    with pytest.raises(PlannerError, match=message):
        parse_layer_set(text, 42, field="attention.sliding_layers")


@pytest.mark.parametrize("layers", [(0, 2, 4, 6, 9), (0, 1, 2, 3), (5,), (0, 2), tuple(range(1, 61, 3)), ()])
def test_layer_sets_format_back_to_the_same_set(layers):
    assert parse_layer_set(format_layer_set(layers), 100) == layers


def _sections():
    t = ReportTable("Breakdown", ("Component", "Parameters"), (("Attention", "1,342,177,280"), ("MLP | dense", "5")))
    return [ReportSection("Architecture", ("Total: 8", "Active: 8"), (t,))]


def test_markdown_has_headings_lines_and_escaped_tables():
    md = to_markdown("Llama plan", _sections(), ["- Model: Llama"])
    assert md.startswith("# Llama plan\n")
    assert "## Architecture" in md and "- Total: 8" in md and "### Breakdown" in md
    assert "| MLP \\| dense | 5 |" in md


def test_csv_is_one_value_per_row():
    rows = list(csv.reader(io.StringIO(to_csv(_sections()))))
    assert rows[0] == ["section", "table", "row", "column", "value"]
    assert ["Architecture", "Breakdown", "Attention", "Parameters", "1,342,177,280"] in rows
    assert len(rows) == 3
