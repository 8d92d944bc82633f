"""slalint: a policy-as-code validator for service agreements."""

__version__ = "0.1.0"
