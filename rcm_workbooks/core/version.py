"""The version every generated file and registry record names."""
__version__ = "0.1.0"
