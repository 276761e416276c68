"""The desktop app (PySide6 + pyqtgraph). Nothing here is imported by the model layer or the command line.

Qt is imported through ``llmplanner.gui.qt`` only; torch is never imported on the GUI thread.
"""
