"""oscebot: answers questions about the OSCE's work against trafficking in human beings."""

__version__ = "0.1.0"
