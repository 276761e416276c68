"""Measurements with torch on this machine (the Hardware tab's "Check on this machine").

Outside the model layer on purpose: these modules use torch and transformers, imported inside functions
only, so importing the package stays cheap and never loads torch.
"""
from __future__ import annotations

from .check import CheckOptions, CheckResult, run_check
from .state import CheckCancelled, CheckState

__all__ = ["CheckCancelled", "CheckOptions", "CheckResult", "CheckState", "run_check"]
