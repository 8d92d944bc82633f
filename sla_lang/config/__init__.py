"""The settings of a run: the workspace root, its configuration file
(`.slalint.yaml` or `[tool.slalint]`) checked key by key, and the warnings
said when a configuration makes the check unable to fail."""
