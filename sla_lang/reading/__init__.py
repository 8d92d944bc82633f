"""Reading the workspace: finding the `.sla` files, untrusted YAML with
positions, files at a git ref, and the places slalint keeps its own files.
Reading one agreement file safely is `sla_lang/source.py`, beside the
positions every finding carries."""
