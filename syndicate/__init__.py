"""syndicate: find bad-actor syndicates on a marketplace."""

__version__ = "0.1.0"
