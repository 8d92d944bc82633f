"""Untrusted policy packs and configuration files: refused quickly and clearly,
never run, never a window on files they do not name.

In a pull request the author controls `.slalint.yaml` (or `[tool.slalint]`)
and any pack it names, not only the agreements. tests/test_policy_packs.py
covers hostile packs given with --policy (YAML bombs, Python tags, deep
nesting, 3 MB, deep and long expressions, runaway quantifiers, cache
poisoning); this file covers the rest:

- the same attacks through `.slalint.yaml` and `pyproject.toml`, and through a
  pack that the configuration names;
- expressions, messages and checks that try to reach Python (`__import__`,
  `eval`, `open`, dunder fields, `check: os.system`);
- an audit of what loading actually does (sys.addaudithook in a subprocess):
  no process, no socket, no compiled text from the files, no unpickled class
  outside slalint, no file opened outside the workspace, slalint's cache, its
  package and Python's own;
- secret-shaped files named as packs or configs: their content never reaches
  the output.

Every refusal is asserted by its message and by its time, with a generous
bound (5 s for what takes well under one).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import PROJECT, SPEC_EXAMPLE, in_process, run_cli

SECONDS = 5.0
MARKER = "MARKER_PWNED_7c1e"  # a file the payloads try to create; also a token to look for
SECRET = "ghp_SECRETTOKEN_0123456789"

PACK = """\
pack: house
description: House rules
rules:
  - code: HOUSE001
    name: gold-needs-four-nines
    severity: error
    scope: objective
    where: metric.id == "availability"
    assert: target.value >= 99.99%
    message: "{label_of(agreement)} promises {target.value} availability"
    at: target
"""


def laughs(key: str) -> str:
    """The billion-laughs YAML bomb under `key` (9**9 strings once expanded)."""
    lines = [f'{key}: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"x{i}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
    return "\n".join(lines) + "\n"


@pytest.fixture
def workspace(tmp_path):
    """tmp_path/work: one agreement; tmp_path/cache: slalint's cache for this test."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "payments.sla").write_bytes(SPEC_EXAMPLE.read_bytes())
    return work


def slalint(work: Path, *args: str, fresh_process: bool = False, timeout: float = 60):
    """`slalint ARGS` in `work` with tmp_path/cache as its cache: (the process, seconds). In this
    process, where each run reads the packs, config and caches afresh as a new one would; in a
    fresh process where the test needs a timeout (a read that could block)."""
    environment = {"SLALINT_CACHE_DIR": str(work.parent / "cache")}
    if fresh_process:
        process = run_cli(*args, cwd=work, env=environment, timeout=timeout)
        return process, process.seconds
    started = time.monotonic()
    run = in_process(work, *args, env=environment)
    seconds = time.monotonic() - started
    return subprocess.CompletedProcess(args, run.code, run.out.encode(), run.err.encode()), seconds


def assert_refused(work: Path, process, seconds: float, where: str, message: str) -> None:
    """Exit 2, one line `slalint: PATH:LINE:COL: MESSAGE` (a pack named in a
    config is shown with its full path), quickly, and the payload did not run."""
    stderr = process.stderr.decode("utf-8", "replace")
    assert process.returncode == 2, (process.returncode, stderr, process.stdout[:500])
    shown = stderr.removeprefix("slalint: ").removeprefix(str(work) + os.sep)
    assert stderr.startswith("slalint: ") and shown.startswith(where) and message in stderr, stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert seconds < SECONDS, f"took {seconds:.1f} s"
    assert not list(work.parent.rglob(MARKER)), "a payload ran"


# -- .slalint.yaml ----------------------------------------------------------------------------


def _case(name, text, message):
    return pytest.param(text, message, id=name)


HOSTILE_CONFIGS = [
    _case("billion-laughs", laughs("exclude"), "1:10: YAML anchors (&name) are not allowed here: write the value out"),
    _case("alias", "exclude: *x\n", "1:10: YAML aliases (*name) are not allowed here"),
    _case("merge-key", "select: [SL1]\nignore: {<<: *s}\n", "2:14: YAML aliases (*name) are not allowed here"),
    _case(
        "python-object-apply",
        f'exclude: !!python/object/apply:os.system ["touch {MARKER}"]\n',
        "1:10: YAML tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed here",
    ),
    _case(
        "python-object-new",
        f'select: !!python/object/new:subprocess.Popen [["touch", "{MARKER}"]]\n',
        "1:9: YAML tags (tag:yaml.org,2002:python/object/new:subprocess.Popen) are not allowed here",
    ),
    _case(
        "python-name", "fail-on: !!python/name:os.system\n", "1:10: YAML tags (tag:yaml.org,2002:python/name:os.system)"
    ),
    _case("python-module", "fail-on: !!python/module:os\n", "1:10: YAML tags (tag:yaml.org,2002:python/module:os)"),
    _case(
        "include-tag", "policies: !include ../outside/secret.yaml\n", "1:11: YAML tags (!include) are not allowed here"
    ),
    _case("nested-flow", "exclude: " + "[" * 10_000 + "]" * 10_000 + "\n", "nesting is deeper than 40 levels"),
    _case("nested-block", "exclude:\n" + "- " * 10_000 + "x\n", "nesting is deeper than 40 levels"),
    _case(
        "nested-mapping", "severity: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n", "nesting is deeper than 40 levels"
    ),
    _case("three-megabytes", "exclude:\n" + '  - "x"\n' * 400_000, "1:1: file is larger than 256 KiB"),
    _case("not-utf8", b"exclude: ['caf\xe9']\n", "1:1: file is not valid UTF-8 (offset 14)"),
    _case("nul", b"exclude: []\x00\n", "1:12: invalid YAML: special characters are not allowed"),
]


@pytest.mark.parametrize(("text", "message"), HOSTILE_CONFIGS)
def test_a_hostile_config_is_refused_quickly_and_runs_nothing(workspace, text, message):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    (workspace / ".slalint.yaml").write_bytes(data)
    process, seconds = slalint(workspace, "check", "payments.sla", "--today", "2026-06-01")
    assert_refused(workspace, process, seconds, ".slalint.yaml:", message)


def test_a_hostile_pack_named_by_the_config(workspace):
    (workspace / ".slalint.yaml").write_text("policies: [rules/house.yaml]\n", encoding="utf-8")
    (workspace / "rules").mkdir()
    (workspace / "rules" / "house.yaml").write_text(
        f'pack: !!python/object/apply:os.system ["touch {MARKER}"]\nrules: []\n', encoding="utf-8"
    )
    process, seconds = slalint(workspace, "check", "--today", "2026-06-01")
    assert_refused(workspace, process, seconds, "rules/house.yaml:1:7:", "YAML tags")


def test_a_pack_bomb_named_by_the_config(workspace):
    (workspace / ".slalint.yaml").write_text("policies: [house.yaml]\n", encoding="utf-8")
    (workspace / "house.yaml").write_text("pack: x\nrules: []\n" + laughs("description"), encoding="utf-8")
    process, seconds = slalint(workspace, "check", "--today", "2026-06-01")
    assert_refused(workspace, process, seconds, "house.yaml:3:14:", "YAML anchors (&name) are not allowed here")


# -- pyproject.toml -------------------------------------------------------------------------------


def test_a_pyproject_naming_a_hostile_pack(workspace):
    (workspace / "pyproject.toml").write_text('[tool.slalint]\npolicies = ["house.yaml"]\n', encoding="utf-8")
    (workspace / "house.yaml").write_text(f'pack: !!python/name:os.system "{MARKER}"\nrules: []\n', encoding="utf-8")
    process, seconds = slalint(workspace, "check", "--today", "2026-06-01")
    assert_refused(workspace, process, seconds, "house.yaml:1:7:", "YAML tags")


def test_a_deeply_nested_pyproject_is_a_config_error(workspace):
    (workspace / "pyproject.toml").write_text(
        "[tool.slalint]\nexclude = " + "[" * 5_000 + "]" * 5_000 + "\n", encoding="utf-8"
    )
    process, seconds = slalint(workspace, "check", "--today", "2026-06-01")
    assert_refused(workspace, process, seconds, "pyproject.toml:", "nest")


def test_an_enormous_pyproject_is_refused_quickly(workspace):
    (workspace / "pyproject.toml").write_text(
        '[tool.slalint]\nexclude = ["' + "x" * (3 * 1024 * 1024) + '"]\n', encoding="utf-8"
    )
    process, seconds = slalint(workspace, "check", "--today", "2026-06-01")
    assert_refused(workspace, process, seconds, "pyproject.toml:1:1:", "larger than")


@pytest.mark.parametrize("name", [".slalint.yaml", "pyproject.toml"])
def test_a_config_that_is_a_device_or_a_directory_is_not_read(workspace, name):
    """Only a regular file is a configuration: a link to /dev/zero would otherwise
    read forever, and a directory is not one."""
    if os.path.exists("/dev/zero") and hasattr(os, "symlink"):
        os.symlink("/dev/zero", workspace / name)
        process, seconds = slalint(
            workspace, "check", "payments.sla", "--today", "2026-06-01", fresh_process=True, timeout=30
        )
        assert process.returncode == 0 and seconds < SECONDS, process.stderr.decode()
        os.unlink(workspace / name)
    (workspace / name).mkdir()
    process, seconds = slalint(workspace, "check", "payments.sla", "--today", "2026-06-01")
    assert process.returncode == 0 and seconds < SECONDS, process.stderr.decode()


# -- expressions, messages and checks cannot reach Python ---------------------------------------------

RULE = """\
pack: inject
description: Tries to reach Python from a rule
rules:
  - code: INJ001
    name: inject
    severity: error
    scope: agreement
"""

INJECTIONS = [
    ("import", f'assert: \'__import__("os").system("touch {MARKER}") == 0\'', "8:37: in 'assert': unexpected '('"),
    ("eval", "assert: 'eval(\"1\") == 1'", "8:14: in 'assert': unknown function 'eval'"),
    ("open", "assert: 'open(\"/etc/passwd\") == null'", "8:14: in 'assert': unknown function 'open'"),
    ("exec", "assert: 'exec(\"x\") == null'", "8:14: in 'assert': unknown function 'exec'"),
    ("getattr", "assert: 'getattr(self, \"__class__\") == null'", "unknown function 'getattr'"),
    (
        "dunder-field",
        "assert: 'agreement.__class__ == null'",
        "8:14: in 'assert': 'agreement.__class__' names no field: an agreement has no field '__class__'",
    ),
    (
        "dunder-of-a-string",
        "assert: 'lower(agreement.id).__class__ == null'",
        "in 'assert': '(...)' is a string and has no field '__class__'",
    ),
    ("dunder-workspace", "assert: 'workspace.__dict__ == null'", "a workspace has no field '__dict__'"),
    ("subclasses", "where: 'any(x in workspace.__class__.__subclasses__(): true)'", "in 'where': unexpected '('"),
    (
        "message-globals",
        "message: '{agreement.__init__.__globals__}'",
        "in 'message', placeholder {agreement.__init__.__globals__}: 'agreement.__init__' names no field",
    ),
    ("message-format-spec", "message: '{self!r:>{9999999999}}'", "in 'message'"),
    ("check-os-system", "check: os.system", "8:12: unknown check 'os.system'; known checks: "),
    ("check-import", "check: __import__", "8:12: unknown check '__import__'"),
    ("at-dict", "at: __dict__", "8:9: 'at' must name a field of agreement, and '__dict__' is none"),
    ("severity-when", "severity-when: {warning: '__import__(\"os\")'}", "in 'warning': unknown function '__import__'"),
    ("scope", "scope: __class__", "unknown scope"),
]


@pytest.mark.parametrize(("entry", "message"), [c[1:] for c in INJECTIONS], ids=[c[0] for c in INJECTIONS])
def test_a_rule_cannot_reach_python(workspace, entry, message):
    pack = RULE + f"    {entry}\n"
    if "assert:" not in entry and "check:" not in entry:
        pack += "    assert: 'true'\n"
    if "message:" not in entry:
        pack += "    message: never\n"
    if entry.startswith("scope:"):
        pack = pack.replace("    scope: agreement\n", "")
    (workspace / "inject.yaml").write_text(pack, encoding="utf-8")
    process, seconds = slalint(workspace, "check", "payments.sla", "--policy", "inject.yaml", "--today", "2026-06-01")
    assert_refused(workspace, process, seconds, "inject.yaml:", message)


@pytest.mark.parametrize(
    "entry",
    [
        "assert: '" + "(" * 1990 + "true" + ")" * 1990 + "'",
        "message: '{" + "(" * 1990 + "id" + ")" * 1990 + "}'\n    assert: 'false'",
        "assert: '" + " and ".join(["(true or false)"] * 19) + "'",
    ],
    ids=["parentheses", "placeholder-parentheses", "long-conjunction"],
)
def test_deep_parentheses_and_long_expressions_are_harmless(workspace, entry):
    """Parentheses add no nesting to the compiled expression: 1,990 of them
    (inside the 4,000-character limit) parse, load and run without recursion."""
    pack = RULE + f"    {entry}\n"
    if "message:" not in entry:
        pack += "    message: never\n"
    (workspace / "deep.yaml").write_text(pack, encoding="utf-8")
    process, seconds = slalint(workspace, "check", "payments.sla", "--policy", "deep.yaml", "--select", "INJ")
    stderr = process.stderr.decode()
    assert process.returncode == (1 if "'false'" in entry else 0), stderr
    assert stderr == "" and seconds < SECONDS


def _objectives_workspace(work: Path, count: int, target: str) -> None:
    lines = ["party c { role: customer }", "party p { role: provider }"]
    lines.append('sla big { provider: p  customer: c  version: "1"  effective: 2026-01-01')
    for service in range(count // 10):
        lines.append(f"  service s{service} {{ hours: 24x7")
        lines += [f"    objective o{i} {{ metric: throughput  target: >= {target}  window: 30d }}" for i in range(10)]
        lines.append("  }")
    lines.append("}")
    (work / "big.sla").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_product_that_overflows_is_null_not_a_crash(workspace):
    """150 objectives and a nested product: 10**(50*150*150) overflows decimal."""
    _objectives_workspace(workspace, 150, "1" + "0" * 50)
    pack = RULE + textwrap.indent(
        "assert: 'product(a in objectives_of(self): product(b in objectives_of(self): b.target.value)) > 0'\n"
        "message: never\n",
        "    ",
    )
    (workspace / "product.yaml").write_text(pack, encoding="utf-8")
    process, seconds = slalint(workspace, "check", "big.sla", "--policy", "product.yaml", "--select", "INJ")
    stderr = process.stderr.decode()
    # null > 0 is false, not an error: the rule's finding, once.
    assert (process.returncode, stderr) == (1, "")
    assert process.stdout.decode().count("INJ001 never") == 1, process.stdout.decode()
    assert seconds < SECONDS


def test_the_largest_yaml_file_the_size_limit_admits_loads_in_seconds(tmp_path):
    """Measured on a quarter megabyte and scaled to the limit: loading is linear."""
    from sla_lang.reading.yamlfile import MAX_YAML_SIZE, load_yaml

    rule = """\
  - code: R{0:05d}
    name: rule-{0}
    severity: error
    scope: objective
    assert: 'exists(window) and len(service.objectives) > 0'
    message: "{{label_of(agreement)}} {{id}}"
"""
    text = "pack: many\ndescription: many rules\nrules:\n" + "".join(rule.format(i) for i in range(1_200))  # 256 K
    path = tmp_path / "big.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    load_yaml(str(path))
    seconds = (time.perf_counter() - started) * MAX_YAML_SIZE / len(text)
    assert seconds < SECONDS, f"a {MAX_YAML_SIZE:,}-byte YAML file would take about {seconds:.0f} s"


# -- secret-shaped files do not leak ----------------------------------------------------------------

SECRET_FILES = {
    "token": f"{SECRET}\n",
    "netrc": f"machine github.com login bot password {SECRET}\n",
    "dotenv": f"GITHUB_TOKEN={SECRET}\nOTHER=1\n",
    "ini": f"[default]\naws_secret_access_key = {SECRET}\n",
    "yaml": f"token: {SECRET}\nuser: bot\n",
    "json": json.dumps({"type": "service_account", "private_key": SECRET}),
    "ssh-key": f"-----BEGIN OPENSSH PRIVATE KEY-----\n{SECRET}\n-----END OPENSSH PRIVATE KEY-----\n",
    "environ": f"HOME=/root\x00GITHUB_TOKEN={SECRET}\x00",
}


@pytest.mark.parametrize("shape", sorted(SECRET_FILES))
@pytest.mark.parametrize("as_what", ["policy", "config", "baseline"])
def test_a_secret_named_as_a_pack_config_or_baseline_is_not_shown(workspace, shape, as_what):
    """A pull request can name any path in its config; what slalint says about a
    file that is not a pack, a config or a baseline never quotes its values."""
    secret = workspace.parent / "secret"
    secret.write_bytes(SECRET_FILES[shape].encode())
    if as_what == "policy":
        (workspace / ".slalint.yaml").write_text(f"policies: ['{secret}']\n", encoding="utf-8")
    elif as_what == "baseline":
        (workspace / ".slalint.yaml").write_text(f"baseline: '{secret}'\n", encoding="utf-8")
    else:
        (workspace / "secret.yaml").symlink_to(secret)
    arguments = ["check", "payments.sla", "--today", "2026-06-01", "--format", "json"]
    if as_what == "config":
        arguments += ["--config", "secret.yaml"]
    process, seconds = slalint(workspace, *arguments)
    assert SECRET.encode() not in process.stdout + process.stderr
    # Refused: outside the workspace (policy, baseline), or not a configuration.
    assert process.returncode == 2 and process.stderr.startswith(b"slalint: ") and process.stderr.count(b"\n") == 1
    assert seconds < SECONDS


# -- what loading does, audited ----------------------------------------------------------------------

AUDIT = r"""
import json, os, sys

events = []

def hook(event, args):
    if event in ("open", "os.listdir", "os.scandir"):
        events.append([event, os.fsdecode(args[0]) if isinstance(args[0], (str, bytes, os.PathLike)) else ""])
    elif event == "compile":
        source = args[0]
        if isinstance(source, bytes):
            source = source.decode("utf-8", "replace")
        events.append([event, source if isinstance(source, str) else ""])
    elif event == "pickle.find_class":
        events.append([event, f"{args[0]}.{args[1]}"])
    elif event.startswith(("subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                           "pty.", "socket.", "urllib.", "http.", "ftplib.", "smtplib.", "ctypes.", "webbrowser.")):
        events.append([event, repr(args)[:200]])

out, sys.argv = sys.argv[1], ["slalint", *sys.argv[2:]]
sys.addaudithook(hook)
from sla_lang.__main__ import main

try:
    code = main(sys.argv[1:])
except SystemExit as stop:
    code = stop.code
saved, events = events, []  # what follows is the harness's own writing
with open(out, "w", encoding="utf-8") as handle:
    events = saved
    json.dump({"code": code, "events": events}, handle)
"""

_FORBIDDEN_EVENTS = ("subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "pty.")
_NETWORK_EVENTS = ("socket.", "urllib.", "http.", "ftplib.", "smtplib.", "webbrowser.")


def audited(work: Path, *args: str) -> dict:
    """Run `slalint ARGS` in `work` under an audit hook; the events it saw."""
    harness = work.parent / "harness"  # Python lists the script's directory: keep it apart
    harness.mkdir(exist_ok=True)
    script = harness / "audit.py"
    script.write_text(AUDIT, encoding="utf-8")
    out = harness / "audit.json"
    environment = {k: v for k, v in os.environ.items() if k != "SLALINT_DEBUG"}
    environment["SLALINT_CACHE_DIR"] = str(work.parent / "cache")
    subprocess.run(
        [sys.executable, str(script), str(out), *args],
        cwd=work,
        env=environment,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def _allowed_roots(work: Path) -> list[str]:
    import site
    import sysconfig

    import sla_lang

    roots = [work, work.parent / "cache", work.parent / "harness", Path(sla_lang.__file__).parent]
    roots += [PROJECT / "grammar", PROJECT / "policies"]
    roots += [Path(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages())]
    roots += [Path(p) for p in sysconfig.get_paths().values()]
    return [os.path.realpath(r) for r in roots]


def assert_harmless(audit: dict, work: Path, token: str, named: tuple[Path, ...] = ()) -> None:
    roots = _allowed_roots(work) + [os.path.realpath(p) for p in named]
    for event, detail in audit["events"]:
        assert not event.startswith(_FORBIDDEN_EVENTS), f"started a process: {event} {detail}"
        assert not event.startswith(_NETWORK_EVENTS), f"used the network: {event} {detail}"
        if event == "compile":
            assert token not in detail, f"compiled text from an untrusted file: {detail[:200]}"
        elif event == "pickle.find_class":
            module = detail.rsplit(".", 1)[0]
            assert module.startswith("sla_lang.") or module in ("decimal", "datetime"), f"unpickled {detail}"
        elif event in ("open", "os.listdir", "os.scandir") and detail:
            path = os.path.realpath(os.path.join(str(work), detail))
            assert token not in detail and "bait" not in detail, f"{event} {detail}"
            assert any(path == r or path.startswith(r + os.sep) for r in roots), f"{event} outside: {path}"


def _bait(work: Path) -> None:
    """A file outside the workspace that the hostile files point at."""
    (work.parent / "bait.txt").write_text("bait\n", encoding="utf-8")
    (work.parent / "bait.yaml").write_text("pack: bait\ndescription: bait\nrules: []\n", encoding="utf-8")


def test_loading_a_well_formed_pack_runs_nothing_and_reads_only_what_is_named(workspace):
    """A valid pack full of strings that look like code and paths: it loads, its
    rule runs, and none of its text is compiled, opened or run."""
    _bait(workspace)
    entries = f"""\
        where: 'contains(agreement.file, "../bait.txt") or startswith(id, "{MARKER}") or true'
        assert: 'not contains(lower(title), "__import__(\\"os\\").system(\\"touch {MARKER}\\")")'
        message: "{{label_of(self)}} {MARKER} $(touch {MARKER}) `touch {MARKER}` {{{{../bait.txt}}}}"
        docs: |
          ## What it checks
          !include ../bait.txt and {{{{ open('../bait.yaml') }}}} {MARKER}
        """
    pack = RULE + textwrap.indent(textwrap.dedent(entries), "    ")
    (workspace / "house.yaml").write_text(pack, encoding="utf-8")
    (workspace / ".slalint.yaml").write_text("policies: [house.yaml]\nselect: [INJ]\n", encoding="utf-8")
    for _ in range(2):  # compiled, then from the pack cache (unpickled)
        audit = audited(workspace, "check", "payments.sla", "--today", "2026-06-01")
        assert audit["code"] == 0, audit["code"]
        assert_harmless(audit, workspace, MARKER)
    assert not list(workspace.parent.rglob(MARKER))


@pytest.mark.parametrize(
    ("config", "pack"),
    [
        ("policies: [house.yaml]\n", f'pack: !!python/object/apply:os.system ["touch {MARKER}"]\nrules: []\n'),
        ("policies: [house.yaml]\n", "pack: x\ndescription: !include ../bait.yaml\nrules: []\n"),
        ("policies: [house.yaml]\n", laughs("description") + "pack: x\nrules: []\n"),
        (f'exclude: !!python/object/new:os.system ["touch {MARKER}"]\n', PACK),
        ("policies: !include ../bait.yaml\n", PACK),
        ("policies: [house.yaml]\nbaseline: ../bait.txt\n", PACK.replace("assert:", f"assert: {MARKER} and")),
    ],
    ids=["object-apply", "include", "laughs", "config-object-new", "config-include", "bad-expression"],
)
def test_loading_hostile_files_runs_nothing_and_reads_only_what_is_named(workspace, config, pack):
    _bait(workspace)
    (workspace / ".slalint.yaml").write_text(config, encoding="utf-8")
    (workspace / "house.yaml").write_text(pack, encoding="utf-8")
    audit = audited(workspace, "check", "payments.sla", "--today", "2026-06-01")
    assert audit["code"] == 2
    named = (workspace.parent / "bait.txt",) if "baseline:" in config else ()
    assert_harmless(audit, workspace, MARKER, named)
    assert not list(workspace.parent.rglob(MARKER))


def test_slalint_test_on_a_hostile_pack_runs_nothing(workspace):
    """`slalint test` parses a pack's examples: agreement text, never code."""
    _bait(workspace)
    examples = f"""\
        examples:
          - fail: |
              party c {{ role: customer }}  # __import__("os").system("touch {MARKER}")
              party p {{ role: provider }}
              sla gold "{{{{ open('../bait.txt') }}}}" {{ provider: p  customer: c  version: "1"  effective: 2026-01-01
                service s {{ hours: 24x7  objective availability {{ target: >= 99.9%  window: 30d }} }} }}
        """
    pack = PACK + textwrap.indent(textwrap.dedent(examples), "    ")
    (workspace / "house.yaml").write_text(pack, encoding="utf-8")
    audit = audited(workspace, "test", "house.yaml")
    assert audit["code"] == 0, audit
    assert_harmless(audit, workspace, MARKER)
    assert not list(workspace.parent.rglob(MARKER))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_pack_that_is_a_fifo_does_not_block(workspace):
    os.mkfifo(workspace / "pipe.yaml")
    (workspace / ".slalint.yaml").write_text("policies: [pipe.yaml]\n", encoding="utf-8")
    # A fresh process, so that a read that blocks fails the test after 6 s.
    process, seconds = slalint(
        workspace, "check", "payments.sla", "--today", "2026-06-01", fresh_process=True, timeout=6
    )
    assert process.returncode == 2 and seconds < SECONDS


# -- mutated expressions: compiled or refused, never a crash -----------------------------------------


def _builtin_expressions() -> list[tuple[str, str]]:
    from sla_lang.policy.loader import builtin_pack_paths
    from sla_lang.reading.yamlfile import load_yaml

    found = []
    for path in builtin_pack_paths() + [str(PROJECT / "examples" / "policies" / "acme-house-rules.yaml")]:
        for rule in (load_yaml(path) or {}).get("rules", []):
            found += [(str(rule["scope"]), str(rule[key])) for key in ("where", "assert") if key in rule]
    return found


def _spec_workspace():
    from sla_lang.model.workspace import build_workspace
    from sla_lang.source import SourceFile
    from sla_lang.syntax.parser import AgreementParser

    parsed = AgreementParser().parse(SourceFile("payments.sla", SPEC_EXAMPLE.read_text(encoding="utf-8")))
    return build_workspace(parsed.declarations)


def test_mutated_expressions_are_compiled_or_refused_never_a_crash():
    """The expressions of the built-in packs, with text inserted, deleted,
    cut or repeated: each compiles, or is an ExpressionError (a located policy
    error); what compiles evaluates over the SPEC example without an error
    other than running out of its step budget."""
    import datetime

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from sla_lang.policy.engine import context_for, nodes_of
    from sla_lang.policy.expr import BudgetExceeded, ExpressionError, compile_text, parse_template

    expressions = _builtin_expressions()
    assert len(expressions) > 20
    workspace = _spec_workspace()
    edits = st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 10**6), st.text(min_size=1, max_size=4)), min_size=1, max_size=4
    )
    long_run = os.environ.get("SLALINT_FUZZ_PROFILE") == "long"

    @settings(
        max_examples=int(os.environ.get("SLALINT_FUZZ_EXAMPLES", "20000")) if long_run else 200,
        deadline=None,
        derandomize=not long_run,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.sampled_from(expressions), edits)
    def mutated(scoped, operations):
        scope, text = scoped
        for kind, position, piece in operations:
            at = position % (len(text) + 1)
            if kind == 0:
                text = text[:at] + piece + text[at:]
            elif kind == 1:
                text = text[:at] + text[at + len(piece) :]
            elif kind == 2:
                text = text[:at]
            else:
                text = text[:at] + piece * 50 + text[at:]
        try:
            parse_template("before {" + text + "} after")
        except ExpressionError:
            pass
        try:
            compiled = compile_text(text, scope)
        except ExpressionError:
            return
        started = time.perf_counter()
        for node in nodes_of(workspace, scope):
            ctx = context_for(node, workspace, datetime.date(2026, 6, 1))
            try:
                compiled(ctx)
            except BudgetExceeded:
                pass
        assert time.perf_counter() - started < SECONDS

    mutated()
