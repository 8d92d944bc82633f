"""The SLOs behind the promises: OpenSLO, Sloth and Pyrra files read
(formats.py) from where the check reads its files (files.py), and each
objective's `slo` resolved to the SLO it names (resolve.py). The rules that
compare them with the objectives are policy/slo_checks.py's."""
