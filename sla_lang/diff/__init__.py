"""`slalint diff`: what a change to agreements means for their customers.

compare.py sets two resolved workspaces side by side (pure); load.py reads a
workspace from a directory or from a git ref; report.py prints the entries.
"""
