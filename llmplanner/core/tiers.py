"""The hardware tier of a machine: ``cpu-only``, ``8-12GB``, ``16-24GB`` or ``40GB+``.

The rule, applied to the machine's *usable accelerator memory* (see ``usable_accelerator_memory``):

=========  ==========================================
tier       usable accelerator memory
=========  ==========================================
cpu-only   below 8 GB (no accelerator, or a 4/6 GB card)
8-12GB     8 GB up to, not including, 16 GB
16-24GB    16 GB up to, not including, 40 GB
40GB+      40 GB and more
=========  ==========================================

Memory between the named ranges (a 14 GB, a 32 GB or a 36 GB machine) goes to the tier below: the names are
what a user can count on, never more.

How bytes are compared. The tier names are the figures vendors print (GB as in "RTX 4090 24 GB"), and the
lower bounds are taken in decimal gigabytes: a tier starting at N GB needs at least N × 10^9 bytes. Graphics
memory is built in binary sizes, so a card sold as "N GB" carries N GiB = N × 1.0737 × 10^9 bytes, and the
7.4 % between the two is what keeps every real card in its named tier even after the driver, ECC and the
CUDA runtime have taken their share of the reported figure:

- NVIDIA's 8 GB cards show 8192 MiB in ``nvidia-smi`` (8.59 × 10^9 B) and about 7.8 GiB (8.4 × 10^9 B) as
  torch's ``total_memory``: 8-12GB either way.
- The Tesla T4, sold as 16 GB, reports 15360 MiB with ECC on (NVIDIA T4 datasheet; ``nvidia-smi``):
  16.1 × 10^9 B, so 16-24GB, as its box says. Rounding GiB would have put it at "15" and a tier too low.
- The RTX 3060 12 GB (12288 MiB, 12.9 × 10^9 B) stays 8-12GB; the RTX 4090 24 GB (24564 MiB) and RTX 5090
  32 GB stay 16-24GB; A100 40 GB, RTX 6000 Ada 48 GB, H100 80 GB are 40GB+; a 6 GB card (6.4 × 10^9 B) is
  below 8 × 10^9 and therefore cpu-only.

The exact byte figure always travels with the tier (``TierDecision``), so nothing is hidden by the rounding
of a name.
"""
from __future__ import annotations

from dataclasses import dataclass

GB = 10**9
GIB = 1 << 30

TIERS = ("cpu-only", "8-12GB", "16-24GB", "40GB+")
"""From the smallest to the largest."""

TIER_FLOORS = {"cpu-only": 0, "8-12GB": 8 * GB, "16-24GB": 16 * GB, "40GB+": 40 * GB}
"""The least usable accelerator memory, in bytes, each tier requires."""


def tier_for_bytes(usable_bytes: int) -> str:
    """The tier for an amount of usable accelerator memory in bytes (0 for none)."""
    if isinstance(usable_bytes, bool) or not isinstance(usable_bytes, int) or usable_bytes < 0:
        raise ValueError(f"usable accelerator memory must be a non-negative whole number of bytes, "
                         f"got {usable_bytes!r}")
    chosen = TIERS[0]
    for name in TIERS:
        if usable_bytes >= TIER_FLOORS[name]:
            chosen = name
    return chosen


@dataclass(frozen=True)
class TierDecision:
    """The tier with the figures it was decided on and the rule, for display beside it."""

    tier: str
    usable_bytes: int
    """The figure the tier was decided on (see ``basis``)."""
    largest_device_bytes: int
    """Usable memory of the largest single accelerator (what a runtime without splitting can use)."""
    largest_device_tier: str
    basis: str
    """One sentence: which devices were counted and how."""
    rule: str = ("below 8 GB: cpu-only; 8 GB to under 16 GB: 8-12GB; 16 GB to under 40 GB: 16-24GB; "
                 "40 GB and more: 40GB+ (decimal GB, so a card sold as N GB, which has N GiB, is never "
                 "put below its name; memory between ranges goes to the tier below)")

    def as_dict(self) -> dict:
        return {"tier": self.tier, "usable_bytes": self.usable_bytes,
                "largest_device_bytes": self.largest_device_bytes,
                "largest_device_tier": self.largest_device_tier, "basis": self.basis, "rule": self.rule}
