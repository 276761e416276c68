"""The errors the model layer raises for bad input.

Each carries where the problem is (a file, a field) so that the command line can print one line naming
them and the GUI can show the message next to the field the user typed in. Anything else escaping the
model layer is a bug.
"""
from __future__ import annotations


class PlannerError(ValueError):
    """Bad input: the user can fix it. ``field`` and ``source`` say where."""

    def __init__(self, message: str, *, field: str | None = None, source: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.source = source

    def located(self, *, source: str | None = None, field: str | None = None) -> "PlannerError":
        """The same error with a file (or a field) attached, if it had none."""
        if source and not self.source:
            self.source = source
        if field and not self.field:
            self.field = field
        return self

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(str(self.source))
        if self.field:
            where.append(f"field {self.field!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class ArchitectureError(PlannerError):
    """An impossible or unsupported shape."""

    def __init__(self, field: str, message: str, *, source: str | None = None):
        super().__init__(message, field=field, source=source)


class ConfigError(PlannerError):
    """A config.json (or preset) that cannot be read as a model."""


class HeaderError(PlannerError):
    """A safetensors or GGUF file whose header cannot be trusted."""


class UnknownNameError(PlannerError):
    """A preset, format, runtime or GPU name that does not exist; suggests the nearest ones."""

    def __init__(self, kind: str, name: str, choices, *, field: str | None = None):
        import difflib

        choices = list(choices)
        near = difflib.get_close_matches(str(name), choices, n=3, cutoff=0.4)
        if not near:
            low = str(name).lower()
            near = [c for c in choices if low and low in c.lower()][:3]
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        super().__init__(f"unknown {kind} {name!r}{hint}", field=field)
        self.kind = kind
        self.name = name
        self.suggestions = near
