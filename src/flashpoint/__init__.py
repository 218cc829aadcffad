"""flashpoint: conflict news in, evidence-backed ACLED-style events out."""

__version__ = "0.1.0"

__all__ = ["__version__"]
