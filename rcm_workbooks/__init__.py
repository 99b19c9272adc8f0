"""Follow-up matrix workbooks for the Regional Conference on Migration."""
from .core.version import __version__

__all__ = ["__version__"]
