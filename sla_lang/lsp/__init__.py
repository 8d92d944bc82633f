"""`slalint lsp`: a language server for agreement files (the `slalint[lsp]` extra).

- live.py: the workspace kept in memory between edits: every file parsed
  once, a changed one parsed again, the workspace resolved and the rules run
  for the open files with the same stages as `check` (lint.py);
- index.py: what is where in a resolved workspace: declarations, the
  references that name them, the block around a position;
- answers.py: hover, definition, references, completion and symbols as plain
  data, without pygls, so that they are tested without a client;
- server.py: the pygls server that turns requests into those answers.

Only server.py imports pygls and lsprotocol.
"""
