"""What a pull request's configuration can try (SPEC §4.6, §12), run for real.

A pull request controls `.slalint.yaml` (or `[tool.slalint]`), the packs it
names and the agreements. These tests run the attacks an adversarial probe
found, each in a temporary directory with its own cache, and assert the
outcome exactly:

- writing files: `output` in a configuration once wrote anywhere, and so ran
  code (a report named like a pickle into the pack cache; a `.pth` file into
  site-packages); and a cache entry that slalint did not write is never
  unpickled, whoever put it there;
- reading secrets: a configuration, pack or baseline reached through a link
  (or a path) leading out of the workspace is refused before it is read, and
  no message quotes more than 40 characters of a file;
- switching the gate off: SL0xx codes cannot be named in ignore, severity or
  per-file-ignores, and each setting that makes the check unable to fail is
  said on stderr;
- size and time: a 256 KiB flow-list configuration, the parse cache, the
  baseline.
"""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import SPEC_EXAMPLE, run_cli

from sla_lang.reading.paths import KEY_FILE, user_cache

SECONDS = 5.0
BROKEN = 'sla broken "Broken" {\n  provider: it_org\n  customer acme\n}\n'  # SL001 at 3:12
SECRET = "token:ghp_THISISASECRETTHATMUSTNEVERBEPRINTED0123456789abcdefghij:::"
needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")
posix_only = pytest.mark.skipif(not hasattr(os, "getuid"), reason="file modes and owners")


class Run(NamedTuple):
    code: int
    out: str
    err: str
    seconds: float


def slalint(cwd: Path, *args: str) -> Run:
    """slalint in a fresh process, in `cwd`, with the cache beside it (cwd/../cache)."""
    process = run_cli(*args, cwd=cwd, env={"SLALINT_CACHE_DIR": str(cwd.parent / "cache")}, timeout=60)
    return Run(process.returncode, process.stdout.decode(), process.stderr.decode(), process.seconds)


@pytest.fixture
def ws(tmp_path) -> Path:
    """tmp_path/ws, a workspace with the SPEC's example; tmp_path/cache is its cache."""
    work = tmp_path / "ws"
    work.mkdir()
    (work / "payments.sla").write_bytes(SPEC_EXAMPLE.read_bytes())
    return work


def cache_of(ws: Path) -> Path:
    return ws.parent / "cache"


def check(ws: Path, *args: str) -> Run:
    return slalint(ws, "check", "--today", "2026-06-01", *args)


def files_under(directory: Path) -> set[str]:
    return {str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file()} if directory.exists() else set()


def config(ws: Path, text: str) -> None:
    (ws / ".slalint.yaml").write_text(text, encoding="utf-8")


# -- writing files, and running code through them -----------------------------------------------------


def test_the_report_named_like_a_pickle_into_the_pack_cache_is_neither_written_nor_run(tmp_path, ws):
    """The probe's exploit: `output:` aimed at the compiled-pack cache entry of a
    built-in pack, and an agreement whose file name is an old-style pickle that
    calls os.system, so that the concise report is that pickle; the next check,
    in another repository, loaded it."""
    from sla_lang.policy.loader import _cache_key, builtin_pack_paths

    cache = cache_of(ws)
    digest = _cache_key(Path(builtin_pack_paths()[0]).read_bytes())
    target = cache / "packs" / f"{digest}.pickle"
    (ws / "cos\nsystem\n(S'touch PWNED'\ntR.sla").write_text('sla x "X" {}\n', encoding="utf-8")
    config(ws, f"format: concise\noutput: '{target}'\n")

    attack = slalint(ws, "check")
    assert (attack.code, attack.out) == (2, "")
    assert attack.err == (
        "slalint: .slalint.yaml:2:1: 'output' cannot be set in a configuration file: only the command line "
        "chooses where slalint writes (use --output FILE)\n"
    )
    assert files_under(cache) <= {KEY_FILE}, "nothing written into the cache"

    other = tmp_path / "other"
    other.mkdir()
    (other / "payments.sla").write_bytes(SPEC_EXAMPLE.read_bytes())
    victim = slalint(other, "check", "--today", "2026-06-01")
    assert (victim.code, victim.err) == (0, "")
    assert not (other / "PWNED").exists() and not (ws / "PWNED").exists() and not list(tmp_path.rglob("PWNED"))


def test_the_report_sent_into_site_packages_as_a_pth_file_is_neither_written_nor_run(tmp_path, ws):
    """The variant: a concise report whose first line starts `import`, written as
    a .pth file into a site directory, which Python executes at start-up."""
    site = tmp_path / "site-packages"
    site.mkdir()
    (ws / "import os; os.system('touch PWNED') #.sla").write_text('sla x "X" {}\n', encoding="utf-8")
    config(ws, f"format: concise\noutput: '{site / 'slalint.pth'}'\n")

    attack = check(ws)
    assert (attack.code, attack.out) == (2, "")
    assert attack.err.startswith("slalint: .slalint.yaml:2:1: 'output' cannot be set in a configuration file")
    assert os.listdir(site) == []
    subprocess.run([sys.executable, "-c", "import site, sys; site.addsitedir(sys.argv[1])", str(site)], cwd=tmp_path)
    assert not list(tmp_path.rglob("PWNED"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("output: report.sarif\n", "1:1: 'output' cannot be set in a configuration file"),
        ("write-baseline: known.json\n", "1:1: 'write-baseline' cannot be set in a configuration file"),
        ("fail-on: error\n\nwrite-baseline: x\n", "3:1: 'write-baseline' cannot be set"),
    ],
)
def test_only_the_command_line_chooses_where_slalint_writes(ws, text, message):
    config(ws, text)
    run = check(ws)
    assert run.code == 2 and run.err.startswith(f"slalint: .slalint.yaml:{message}"), run.err
    assert "(use --output FILE)" in run.err or "(use --write-baseline FILE)" in run.err
    assert sorted(os.listdir(ws)) == [".slalint.yaml", "payments.sla"]


def test_output_in_pyproject_is_refused_too(ws):
    (ws / "pyproject.toml").write_text('[tool.slalint]\noutput = "/tmp/x"\n', encoding="utf-8")
    run = check(ws)
    assert run.code == 2
    assert run.err.startswith("slalint: pyproject.toml:2:1: 'output' cannot be set in a configuration file")


# -- the caches: nothing unpickled that slalint did not write ---------------------------------------------


class Payload:
    """Unpickling this runs `touch` on the marker: the shape of every pickle exploit."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch '{self.marker}'",))


def cache_entries(cache: Path) -> list[Path]:
    """Every entry of every cache: compiled packs, parsed files, results, parser tables."""
    entries = [p for p in cache.rglob("*") if p.is_file() and p.name != KEY_FILE]
    assert {p.suffix for p in entries} == {".pickle", ".tables"}
    return entries


@pytest.mark.parametrize("forgery", ["no-mac", "wrong-mac", "another-key"])
def test_a_forged_cache_entry_is_ignored_and_rewritten(tmp_path, ws, forgery):
    """Every entry of every cache replaced by a valid pickle that runs a command,
    without a MAC, with a wrong one, or with the right one under another key."""
    cache = cache_of(ws)
    (ws / "broken.sla").write_text(BROKEN, encoding="utf-8")
    first = check(ws)
    assert first.code == 1 and "SL001" in first.out
    marker = tmp_path / "PWNED"
    payload = pickle.dumps(Payload(marker))
    stranger = user_cache(str(tmp_path / "another-cache"))
    entries = cache_entries(cache)
    assert len(entries) >= 10  # packs, two parsed files, a result, the tables
    for entry in entries:
        if forgery == "no-mac":
            entry.write_bytes(payload)
        elif forgery == "wrong-mac":
            entry.write_bytes(bytes(32) + payload)
        else:  # the MAC of the same name and bytes, under someone else's key
            name = os.path.relpath(entry, cache)
            stranger.write(os.path.join(stranger.directory, name), payload)
            entry.write_bytes((Path(stranger.directory) / name).read_bytes())

    again = check(ws)
    assert not marker.exists(), "a forged entry was unpickled"
    assert (again.code, again.out, again.err) == (first.code, first.out, first.err)
    ours = user_cache(str(cache))
    for entry in entries:  # rewritten, and authenticated by our key
        stored = ours.read(str(entry))
        assert stored is not None and stored != payload


@posix_only
@pytest.mark.parametrize("damage", ["group-readable", "world-writable", "a-symlink", "short", "another-owner"])
def test_a_key_file_that_is_not_ours_alone_means_no_cache(tmp_path, ws, damage):
    cache = cache_of(ws)
    cache.mkdir(mode=0o700)
    key = cache / KEY_FILE
    key.write_bytes(os.urandom(32))
    key.chmod(0o600)
    if damage == "group-readable":
        key.chmod(0o640)
    elif damage == "world-writable":
        key.chmod(0o602)
    elif damage == "a-symlink":
        real = tmp_path / "elsewhere-key"
        key.rename(real)
        key.symlink_to(real)
    elif damage == "short":
        key.write_bytes(b"0" * 16)
    else:
        if os.getuid() != 0:
            pytest.skip("only root can give a file away")
        os.chown(key, 65534, -1)
    # A forged entry where the pack cache would look: not read either.
    from sla_lang.policy.loader import _cache_key, builtin_pack_paths

    marker = tmp_path / "PWNED"
    (cache / "packs").mkdir(mode=0o700)
    for pack in builtin_pack_paths():
        (cache / "packs" / f"{_cache_key(Path(pack).read_bytes())}.pickle").write_bytes(pickle.dumps(Payload(marker)))
    before = files_under(cache)
    run = check(ws)
    assert (run.code, run.err) == (0, "")
    assert not marker.exists()
    assert files_under(cache) == before, "the cache was not written"


@posix_only
def test_the_key_is_made_once_with_mode_0600(ws):
    check(ws)
    key = cache_of(ws) / KEY_FILE
    first = key.read_bytes()
    assert len(first) == 32 and stat.S_IMODE(key.stat().st_mode) == 0o600
    check(ws)
    assert key.read_bytes() == first
    assert not [p for p in cache_of(ws).iterdir() if p.name.startswith(".key-")], "no temporary key left"


def test_the_mac_is_keyed_blake2b_over_name_and_bytes(tmp_path):
    """Known-answer: the MAC is BLAKE2b-256 keyed with the key file, personalised,
    over the entry's name relative to the cache, a NUL, and the bytes."""
    import hashlib

    cache = user_cache(str(tmp_path / "cache"))
    path = cache.path("packs", "x.pickle")
    assert cache.write(path, b"data")
    key = (tmp_path / "cache" / KEY_FILE).read_bytes()
    mac = hashlib.blake2b(b"packs/x.pickle\0data", key=key, digest_size=32, person=b"slalint-cache").digest()
    assert Path(path).read_bytes() == mac + b"data"
    assert cache.read(path) == b"data"
    Path(path).write_bytes(mac + b"date")
    assert cache.read(path) is None
    os.rename(path, cache.path("packs", "y.pickle"))  # a valid entry under another name is not valid
    assert cache.read(cache.path("packs", "y.pickle")) is None


def test_a_report_to_a_pipe_or_device_is_written_to_it_not_renamed_over_it(tmp_path, ws):
    """--output /dev/stdout, or a FIFO: renaming a temporary file over it would
    replace the device (as root, /dev/null itself)."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs")
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    run = check(ws, "--format", "json", "--output", str(fifo))
    reader.join(10)
    assert run.code == 0 and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and b'"findings": []' in received[0]


# -- reading outside the workspace ----------------------------------------------------------------------


@pytest.fixture
def secret(tmp_path) -> Path:
    """A secret-shaped file outside the workspace: its first line is a long YAML key."""
    path = tmp_path / "outside" / "secret"
    path.parent.mkdir()
    path.write_text(f"{SECRET}\nsecond: line\n", encoding="utf-8")
    return path


def assert_not_quoted(run: Run) -> None:
    assert SECRET[:20] not in run.out + run.err and "THISISASECRET" not in run.out + run.err


@needs_symlinks
def test_a_config_that_links_out_of_the_workspace_is_not_read(ws, secret):
    (ws / ".slalint.yaml").symlink_to(secret)
    run = check(ws)
    assert run.code == 2 and run.out == ""
    assert run.err == (
        "slalint: .slalint.yaml:1:1: .slalint.yaml is a symbolic link that leads outside the workspace; slalint "
        "does not read it (a pull request could otherwise make it quote any file the job can read): make it a "
        "file, or pass the configuration with --config\n"
    )
    assert_not_quoted(run)
    assert run.seconds < SECONDS


@needs_symlinks
def test_a_config_linked_inside_the_workspace_is_read(ws):
    (ws / "settings").mkdir()
    (ws / "settings" / "slalint.yaml").write_text("fail-on: info\n", encoding="utf-8")
    (ws / ".slalint.yaml").symlink_to("settings/slalint.yaml")
    (ws / "broken.sla").write_text(BROKEN, encoding="utf-8")
    run = check(ws, "--format", "concise")
    assert run.code == 1 and "broken.sla:3:12: SL001" in run.out


@needs_symlinks
@pytest.mark.parametrize("how", ["path", "link-in-the-workspace", "dot-dot"])
@pytest.mark.parametrize("key", ["policies", "baseline"])
def test_a_pack_or_baseline_outside_the_workspace_is_not_read(ws, secret, how, key):
    if how == "path":
        named = str(secret)
    elif how == "dot-dot":
        named = "../outside/secret"
    else:
        (ws / "house.yaml").symlink_to(secret)
        named = "house.yaml"
    written = f"{key}: ['{named}']\n" if key == "policies" else f"{key}: '{named}'\n"
    config(ws, "fail-on: warning\n" + written)
    run = check(ws)
    column = len(key) + 4 if key == "policies" else len(key) + 3
    quoted = repr(named) if len(named) <= 40 else repr(named[:40] + "…")
    option = "--policy" if key == "policies" else "--baseline"
    assert run.code == 2 and run.out == ""
    assert run.err == (
        f"slalint: .slalint.yaml:2:{column}: {quoted} leads outside the workspace; a configuration may name only "
        "files inside it (a pull request could otherwise make slalint read any file the job can read): move it "
        f"into the workspace, or name it with {option} on the command line\n"
    )
    assert_not_quoted(run)


def test_a_pack_outside_the_workspace_named_on_the_command_line_is_the_users_choice(tmp_path, ws):
    pack = tmp_path / "outside" / "house.yaml"
    pack.parent.mkdir()
    pack.write_text(
        "pack: house\nrules:\n  - code: HOUSE001\n    name: no-gold\n    severity: error\n    scope: agreement\n"
        "    assert: 'false'\n    message: never\n",
        encoding="utf-8",
    )
    run = check(ws, "--policy", str(pack), "--format", "concise", "--select", "HOUSE")
    assert run.code == 1 and "HOUSE001" in run.out, run.err


def test_an_explicit_config_may_name_packs_beside_it(tmp_path, ws):
    """--config is the user's choice: the directory it is in is trusted as the workspace is."""
    settings = tmp_path / "ci"
    settings.mkdir()
    (settings / "house.yaml").write_text(
        "pack: house\nrules:\n  - code: HOUSE001\n    name: no-gold\n    severity: error\n    scope: agreement\n"
        "    assert: 'false'\n    message: never\n",
        encoding="utf-8",
    )
    (settings / "slalint.yaml").write_text("policies: [house.yaml]\nselect: [HOUSE]\n", encoding="utf-8")
    run = check(ws, "--config", str(settings / "slalint.yaml"), "--root", ".", "--format", "concise")
    assert run.code == 1 and "HOUSE001" in run.out, run.err


@needs_symlinks
@pytest.mark.parametrize("target", ["a-secret-with-a-slalint-table", "/dev/zero"])
def test_a_pyproject_that_links_out_of_the_workspace_is_not_opened(tmp_path, ws, target):
    """Not even to see whether it has a [tool.slalint] table: it is no configuration."""
    if target == "/dev/zero" and not os.path.exists(target):
        pytest.skip("no /dev/zero")
    if target != "/dev/zero":
        target = tmp_path / "outside.toml"
        target.write_text(f'[tool.slalint]\n"{SECRET}" = 1\n', encoding="utf-8")
    (ws / "pyproject.toml").symlink_to(target)
    run = check(ws, "--format", "concise")
    assert (run.code, run.out, run.err) == (0, "", "")  # no configuration here: the defaults
    assert run.seconds < SECONDS


def test_a_file_given_as_the_config_is_quoted_40_characters_at_most(ws, secret):
    """--config may name any file (the user's choice), but what slalint says about
    one that is not a configuration quotes at most 40 characters of it."""
    run = check(ws, "--config", str(secret))
    assert run.code == 2
    assert run.err == (
        f"slalint: {os.path.relpath(secret, ws)}:1:1: unknown key '{SECRET[:40]}…'; valid keys: exclude, select, "
        "ignore, severity, fail-on, policies, per-file-ignores, today, max-file-size, format, baseline, base, "
        "exit-zero, quiet, statistics, no-color, cache, inline-suppressions, diff-ignore\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"fail-on: '{SECRET}'\n", f"1:10: 'fail-on' must be one of error, warning, info, never, not '{SECRET[:40]}…'"),
        (f"exclude: [['{SECRET}']]\n", f"1:11: 'exclude' must be a list of glob patterns; ['{SECRET[:38]}…"),
        (f"severity: {{'{SECRET}': info}}\n", f"1:12: unknown rule code '{SECRET.upper()[:40]}…'"),
        (f"a: 1\n'{SECRET}': 1\n'{SECRET}': 2\n", "3:1: duplicate key: "),
    ],
)
def test_messages_quote_at_most_40_characters_of_a_value(ws, text, message):
    config(ws, text)
    run = check(ws)
    assert run.code == 2 and run.err.startswith(f"slalint: .slalint.yaml:{message}"), run.err
    assert SECRET[:41] not in run.err and SECRET.upper()[:41] not in run.err


# -- switching the gate off ----------------------------------------------------------------------------


def make_policy_errors(ws: Path) -> None:
    """A promise of 100%: three policy errors (SL402 twice, SL405) and a warning, no language finding."""
    text = SPEC_EXAMPLE.read_text(encoding="utf-8").replace(">= 99.95%", ">= 100%")
    (ws / "payments.sla").write_text(text, encoding="utf-8")
    assert check(ws).code == 1


def language_rule_error(name: str, line: int, column: int, does: str) -> str:
    return (
        f"slalint: .slalint.yaml:{line}:{column}: '{name}' names language rules (SL0xx), which a configuration "
        f"cannot {does}: they say that an agreement cannot be read as written; fix the agreement instead\n"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ignore: [SL001]\n", language_rule_error("SL001", 1, 10, "ignore")),
        ("ignore: [SL5, sl0]\n", language_rule_error("SL0", 1, 15, "ignore")),
        ("ignore:\n  - SL00\n", language_rule_error("SL00", 2, 5, "ignore")),
        ("severity: {SL007: info}\n", language_rule_error("SL007", 1, 12, "re-grade")),
        ("severity:\n  SL0: warning\n", language_rule_error("SL0", 2, 3, "re-grade")),
        ("per-file-ignores:\n  '**': [SL2, SL008]\n", language_rule_error("SL008", 2, 15, "ignore")),
    ],
)
def test_a_config_cannot_name_language_rules_to_lower_them(ws, text, expected):
    config(ws, text)
    run = check(ws)
    assert (run.code, run.out, run.err) == (2, "", expected)


def test_language_rules_in_pyproject_are_refused_too(ws):
    (ws / "pyproject.toml").write_text('[tool.slalint]\nignore = ["SL1", "SL001"]\n', encoding="utf-8")
    run = check(ws)
    assert run.code == 2
    assert run.err.startswith("slalint: pyproject.toml:2:18: 'SL001' names language rules (SL0xx)")


@pytest.mark.parametrize(
    "text",
    ["severity: {S: info}\n", "ignore: [S]\n", "select: [SL5]\n", "per-file-ignores: {'**': [SL]}\n"],
)
def test_broader_prefixes_leave_the_language_rules_at_their_severity(ws, text):
    """The probe's `severity: {S: info}` once made a syntax error an info, and the gate green."""
    (ws / "broken.sla").write_text(BROKEN, encoding="utf-8")
    config(ws, text)
    run = check(ws, "--format", "concise", "broken.sla")
    assert run.code == 1
    assert "broken.sla:3:12: SL001 [error]" in run.out


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("exit-zero: true\n", ".slalint.yaml sets exit-zero: true, so this check cannot fail"),
        ("fail-on: never\n", ".slalint.yaml sets fail-on: never, so this check cannot fail"),
        ("exclude: ['**']\n", ".slalint.yaml excludes every file to check (1 file), so this check cannot fail"),
        ("exclude: ['*.sla']\n", ".slalint.yaml excludes every file to check (1 file), so this check cannot fail"),
        *(
            (
                text,
                ".slalint.yaml switches off every rule but the language rules (SL0xx), so this check can fail "
                "only on an agreement slalint cannot read",
            )
            for text in ("ignore: [SL, S]\n", "select: []\n", "select: [SL0]\n", "per-file-ignores: {'*': [S]}\n")
        ),
    ],
)
def test_a_config_that_switches_the_gate_off_says_so_in_one_line(ws, text, warning):
    make_policy_errors(ws)
    config(ws, text)
    run = check(ws)
    assert run.code == 0
    assert run.err == f"slalint: warning: {warning}\n"
    assert run.seconds < SECONDS


def test_the_same_from_the_command_line_is_the_users_choice_and_not_repeated(ws):
    make_policy_errors(ws)
    for args in (["--exit-zero"], ["--fail-on", "never"], ["--select", "SL0"]):
        run = check(ws, *args)
        assert (run.code, run.err) == (0, ""), args
    config(ws, "fail-on: never\n")
    assert check(ws, "--fail-on", "error").err == "", "the command line's value replaced the config's"


def test_a_baseline_that_hides_every_failing_finding_is_said(ws):
    make_policy_errors(ws)
    assert check(ws, "--write-baseline", "known.json").code == 0
    config(ws, "baseline: known.json\n")
    run = check(ws)
    assert run.code == 0 and run.out.startswith("All checks passed")
    assert run.err.startswith("slalint: warning: .slalint.yaml names a baseline that hides all 3 findings at or ")
    assert run.err.endswith(
        "above fail-on: error, so this check passes only because of it (review changes to the baseline like "
        "changes to the rules)\n"
    )
    assert check(ws, "--baseline", "known.json").err == "", "--baseline on the command line is the user's choice"


# -- size and time ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "exclude: [" + ", ".join(["a"] * 87_000) + "]\n",  # 256 KiB: took 10.4 s
        "exclude: [" + ", ".join(["[" * 30 + "a" + "]" * 30] * 4_000) + "]\n",  # took 25 s
        "exclude:\n" + "  - a\n" * 43_000,
        "severity: {" + ", ".join(f"SL{i}: info" for i in range(20_000)) + "}\n",
    ],
    ids=["flow-list", "nested-flow-lists", "block-list", "flow-mapping"],
)
def test_a_quarter_megabyte_of_tiny_values_is_refused_in_well_under_a_second(ws, text):
    config(ws, text[: 256 * 1024 - 64])
    run = check(ws)
    assert run.code == 2
    assert "more than 5,000 values, lists and mappings: far more than a configuration needs" in run.err
    assert run.err.startswith("slalint: .slalint.yaml:") and run.err.count("\n") == 1
    assert run.seconds < SECONDS


def test_a_config_just_within_the_value_limit_loads_quickly(ws):
    from sla_lang.config.load import read_config_file

    config(ws, "per-file-ignores:\n" + "".join(f"  'g{i}/**': [SL1, SL2]\n" for i in range(800)))
    started = time.perf_counter()
    settings = read_config_file(str(ws / ".slalint.yaml"))
    assert len(settings.per_file_ignores) == 800
    assert time.perf_counter() - started < SECONDS


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("max-file-size: 1000\n", 1, ""),  # payments.sla is larger: SL008
        ("max-file-size: 5242880\n", 0, ""),
        (
            "max-file-size: 5242881\n",
            2,
            "slalint: .slalint.yaml:1:16: 'max-file-size' can only lower the limit of 5,242,880 bytes in a "
            "configuration file; to raise it, pass --max-file-size on the command line\n",
        ),
    ],
)
def test_a_config_may_lower_max_file_size_but_not_raise_it(ws, text, code, message):
    config(ws, text)
    run = check(ws)
    assert (run.code, run.err) == (code, message)


def test_the_command_line_may_raise_max_file_size(ws):
    big = ws / "big.sla"
    big.write_bytes(SPEC_EXAMPLE.read_bytes() + b"#" * (5 * 1024 * 1024) + b"\n")
    assert "SL008" in check(ws, "--format", "concise").out
    run = check(ws, "--format", "concise", "--max-file-size", str(6 * 1024 * 1024))
    # big.sla is read now: its declarations are those of payments.sla, so each is SL006 there.
    assert "SL008" not in run.out and run.code == 1, run.err
    assert run.out.startswith(
        "payments.sla:5:7: SL006 [error] duplicate id 'acme': already declared as party 'acme' at big.sla:5"
    )
    assert check(ws, "--max-file-size", "0").code == 2


def memory_of_reading(baseline: Path) -> tuple[str | None, float, float]:
    """(warning, peak of Python's allocations in MB, seconds) of reading `baseline`."""
    import tracemalloc

    from sla_lang.filtering.baseline import read_baseline

    started = time.perf_counter()
    read_baseline(str(baseline))
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        _, warning = read_baseline(str(baseline))
        peak = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    return warning, peak, seconds


@pytest.mark.parametrize(
    ("body", "words", "times"),
    [
        ("[]," * (5_000_000) + "[]", "not a slalint baseline: expected ] at offset 28", 2.5),  # json.loads: 400 MB
        ('"ab",' * (3_000_000) + '"ab"', "not a slalint baseline: expected ] at offset 28", 2.5),
        ('{"fingerprint": "abc"},' * 650_000 + '{"fingerprint": "abc"}', None, 2.5),
        (",".join(f'{{"fingerprint": "{i:x}"}}' for i in range(600_000)), None, 8),  # the worst: all different
    ],
    ids=["empty-lists", "short-strings", "minimal-findings", "distinct-findings"],
)
def test_reading_a_baseline_near_the_limit_takes_little_memory(tmp_path, body, words, times):
    """Its bytes and its text (15 MB each), and the fingerprints kept: json.loads
    took up to 25 times the size (426 MB for 16 MiB of `[],`, 1.6 GB for 64 MiB)."""
    baseline = tmp_path / "known.json"
    baseline.write_text('{"version": 2, "findings": [' + body + "]}", encoding="utf-8")
    size = baseline.stat().st_size / 1e6
    assert size < 16 * 1024 * 1024 / 1e6
    warning, megabytes, seconds = memory_of_reading(baseline)
    assert (words in warning) if words else warning is None, warning
    assert megabytes < times * size, f"{megabytes:.0f} MB for {size:.0f} MB"
    assert seconds < SECONDS


def test_a_baseline_over_16_mib_is_ignored_unread(tmp_path):
    baseline = tmp_path / "known.json"
    with open(baseline, "wb") as handle:
        handle.truncate(16 * 1024 * 1024 + 1)
    warning, megabytes, _ = memory_of_reading(baseline)
    assert "over the 16,777,216-byte limit" in warning and megabytes < 1


def test_the_parse_cache_trims_a_full_shard_oldest_first(tmp_path, ws, monkeypatch):
    """A run that writes into a shard first trims it to its share of the bound."""
    import sla_lang.many_files.cache as cache_module
    from sla_lang.lint import LintRequest, lint
    from sla_lang.source import read_source

    monkeypatch.setenv("SLALINT_CACHE_DIR", str(cache_of(ws)))
    monkeypatch.chdir(ws)
    parse_cache = cache_module.ParseCache()
    shard = Path(parse_cache._entry("payments.sla", read_source("payments.sla").text)).parent
    shard.mkdir(parents=True)
    old = time.time() - 86_400
    for number in range(cache_module.MAX_SHARD_ENTRIES + 100):
        stale = shard / f"{number:04d}.pickle"
        stale.write_bytes(b"x")
        os.utime(stale, (old + number, old + number))
    (shard / "big.pickle").write_bytes(b"x" * cache_module.MAX_SHARD_BYTES)
    os.utime(shard / "big.pickle", (old - 1, old - 1))  # the oldest of all

    started = time.perf_counter()
    lint(LintRequest(["payments.sla"]))
    assert time.perf_counter() - started < SECONDS
    left = sorted(p.name for p in shard.iterdir())
    assert len(left) == cache_module.MAX_SHARD_ENTRIES
    assert "big.pickle" not in left and "0000.pickle" not in left and "0100.pickle" not in left
    assert "0101.pickle" in left and "0611.pickle" in left  # the newest of the old ones, and ours:
    assert Path(parse_cache._entry("payments.sla", read_source("payments.sla").text)).name in left


def test_a_new_parse_cache_generation_removes_all_but_the_last_one_used(tmp_path, ws, monkeypatch):
    from sla_lang.many_files.cache import _generation

    parsed = cache_of(ws) / "parsed"
    for age, name in ((3, "oldest"), (2, "older"), (1, "last-used")):
        (parsed / name / "ab").mkdir(parents=True)
        (parsed / name / "ab" / "entry.pickle").write_bytes(b"x")
        then = time.time() - age * 3600
        os.utime(parsed / name, (then, then))
    check(ws)
    assert sorted(os.listdir(parsed)) == sorted(["last-used", _generation()])
