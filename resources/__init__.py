"""Data files shipped inside the wheel (presets, hardware catalogue, format tables, icons, translations).

Read them with ``llmplanner.core.resources``, never by path: they live in a wheel, a frozen bundle or a
source checkout.
"""
