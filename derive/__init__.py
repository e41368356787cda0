"""derive: check the derivations of technical articles step by step with SymPy."""

__version__ = "0.1.0"
