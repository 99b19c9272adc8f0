"""rcm-workbooks: the follow-up matrix workbooks of the Regional Conference on Migration."""

__version__ = "0.1.0"
