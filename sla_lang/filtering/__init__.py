"""From every finding of the rules to those the user asked for: which rules
run and how severe they are (selection.py, globs.py), inline suppressions
(suppress.py), the baseline (baseline.py), and the stage that applies them
(stage.py)."""
