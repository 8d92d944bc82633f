"""Attacks through git refs and blobs (docs/security.md, "Git refs and blobs"):
revision expressions that make git search (`HEAD^{/regex}`), huge blobs at
the base ref, one git process per file, SL205 dodged by renaming a file, and
a pull request that changes the rules it is judged by (--config-from)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from test_git_base import ADVICE, AGREEMENTS, SPEC_TEXT, agreed_repository, change, git, position, slalint
from test_hostile_packs import PACK as HOUSE_PACK  # HOUSE001: every availability target at least 99.99%

from sla_lang.reading.gitrefs import GitError, check_ref

SECONDS = 5.0
REFUSED = "is not a git ref name or object id; slalint does not accept revision expressions"
NOT_A_REF = "slalint: '{ref}' " + REFUSED + " (name a branch, a tag or a commit: origin/main, v1.2, 3f2a9c1)\n"
# git runs this regex over commit messages, and backtracks exponentially on a message of "a"s.
SEARCHING_REF = r"HEAD^{/^((a*)*(a*)*\3\2b|marker)}"


def timed(cwd: Path, *args: str):
    started = time.perf_counter()
    run = slalint(cwd, *args)
    return run, time.perf_counter() - started


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """test_git_base's: the SPEC's agreements, committed and tagged `agreed`."""
    return agreed_repository(tmp_path, monkeypatch)


# ---------------------------------------------------------------- refs: names and ids only


@pytest.fixture
def searchable(repo):
    """The repository, with a commit message that takes git seconds to search with SEARCHING_REF."""
    git(repo, "commit", "-q", "--allow-empty", "-m", "a" * 160)
    return repo


@pytest.mark.parametrize(
    "ref",
    [
        SEARCHING_REF,
        ":/marker",
        "HEAD~1",
        "HEAD^",
        "HEAD^{commit}",
        "agreed@{1}",
        "@{-1}",
        "@",
        "HEAD:agreements/payments.sla",
        "agreed..HEAD",
        "agreed...HEAD",
        "refs/tags/.agreed",
        "agreed.lock",
        "refs//tags/agreed",
        "agreed/",
        "agreed.",
        "a{b}",
        "agr*",
        "agreed?",
        "[agreed]",
        "back\\slash",
        "-x",
        "--output=/tmp/x",
        "main branch",
        "esc\x1bape",
    ],
)
def test_revision_expressions_are_refused_from_every_option(searchable, ref):
    for args in (["--base", ref], ["--config-from", ref]):
        run, seconds = timed(searchable, *[f"{args[0]}={args[1]}"])
        assert (run.code, run.out) == (2, ""), args
        assert run.err == NOT_A_REF.format(ref=ref.replace("\x1b", "\\x1b")), args
        assert seconds < SECONDS, f"{args} took {seconds:.1f} s"


def test_an_empty_ref_is_refused(repo):
    run = slalint(repo, "--config-from=")
    assert (run.code, run.out, run.err) == (2, "", NOT_A_REF.format(ref=""))


def test_a_revision_expression_in_the_base_key_is_a_located_config_error(searchable):
    (searchable / ".slalint.yaml").write_text(f"select: [SL205]\nbase: '{SEARCHING_REF}'\n", encoding="utf-8")
    run, seconds = timed(searchable)
    assert (run.code, run.out) == (2, "")
    assert run.err == f".slalint.yaml:2:7: '{SEARCHING_REF}' {REFUSED}".join(["slalint: ", ""]) + (
        " (name a branch, a tag or a commit: origin/main, v1.2, 3f2a9c1)\n"
    )
    assert seconds < SECONDS, f"took {seconds:.1f} s"


def test_a_long_ref_is_quoted_shortly(repo):
    run = slalint(repo, "--base", "x" * 2000)
    assert run.code == 2 and run.err == NOT_A_REF.format(ref="x" * 40 + "...")


@pytest.mark.parametrize(
    "name",
    [
        "main",
        "origin/main",
        "refs/heads/main",
        "release/2026.1",
        "v1.2.3",
        "user@host",
        "a-b_c+d",
        "3f2a9c1",
        "0123456789abcdef0123456789abcdef01234567",
        "caf\u00e9",
        "a.b",
        "x@",
        "@x",
        "a/b.c/d",
        # refused by git too
        "a..b",
        "a/.b",
        ".a",
        "a.lock",
        "a/b.lock/c",
        "a//b",
        "/a",
        "a/",
        "a.",
        "@",
        "a@{b",
        "a b",
        "a\tb",
        "a~1",
        "a^",
        "a:b",
        "a?",
        "a*",
        "a[b",
        "a\\b",
        "a\x7fb",
    ],
)
def test_the_ref_check_agrees_with_git_check_ref_format(name):
    """check_ref refuses what `git check-ref-format --allow-onelevel` refuses (and
    accepts the rest), without starting git for every ref."""
    git_accepts = (
        subprocess.run(
            ["git", "check-ref-format", "--allow-onelevel", name], capture_output=True, timeout=60
        ).returncode
        == 0
    )
    try:
        check_ref(name)
        accepted = True
    except GitError:
        accepted = False
    assert accepted == git_accepts


@pytest.mark.parametrize("ref", ["agreed", "refs/tags/agreed", "{sha}", "{short}"])
def test_names_and_ids_are_accepted_by_every_option(repo, ref):
    sha = git(repo, "rev-parse", "agreed")
    ref = ref.format(sha=sha, short=sha[:7])
    text = change(repo, ("target: >= 99.95%", "target: >= 99.9%"))
    run = slalint(repo, "--base", ref, "--config-from", ref)
    assert run.findings == [("agreements/payments.sla", *position(text, "target: >= 99.9%"), "SL205")]


# ---------------------------------------------------------------- blobs: sizes first, one cat-file


def test_a_base_blob_over_max_file_size_is_never_read(repo):
    """A blob of 12 MiB at the base: its size is asked first, and it is skipped
    (its agreements count as new: no SL205), not read, decoded and parsed."""
    filler = "".join(f'party filler{n} "Filler" {{ role: team }}\n' for n in range(400_000))  # 12 MiB
    change(repo, ("sla payments_gold", filler + "sla payments_gold"))
    git(repo, "tag", "huge")
    change(repo, (filler, ""), ("target: >= 99.95%", "target: >= 99.9%"))
    run, seconds = timed(repo, "--base", "huge")
    assert (run.code, run.findings, run.err) == (0, [], "")
    assert seconds < SECONDS, f"took {seconds:.1f} s"


def test_max_file_size_from_the_config_applies_to_base_blobs(repo):
    size = len((repo / "agreements" / "payments.sla").read_bytes())
    (repo / ".slalint.yaml").write_text(f"select: [SL205]\nmax-file-size: {size}\n", encoding="utf-8")
    change(repo, ("target: >= 99.95%", "target: >= 99.9%"))
    assert [f[3] for f in slalint(repo, "--base", "agreed").findings] == ["SL205"]  # within the limit: read
    change(repo, ("target: >= 99.9%", "target: >= 99.95%"))
    change(repo, ("  reporting: 1mo\n", "# a comment that makes the file longer than the limit\n"))
    git(repo, "tag", "longer")
    change(
        repo, ("# a comment that makes the file longer than the limit\n", ""), ("target: >= 99.95%", "target: >= 99.9%")
    )
    assert slalint(repo, "--base", "longer").findings == []  # one byte over it at the ref: not read


def test_every_base_blob_is_read_by_one_git_process(repo, monkeypatch):
    """200 files at the base: four git commands (top, commit, listing, one cat-file), not one per file."""
    for n in range(200):
        (repo / "agreements" / f"copy{n}.sla").write_text(
            AGREEMENTS[: AGREEMENTS.index("ola db_ola")].replace("payments_gold", f"payments_{n}"), encoding="utf-8"
        )
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "200 more SLAs")
    git(repo, "tag", "many")
    change(repo, ("target: >= 99.95%", "target: >= 99.9%"))
    commands = []
    real_run = subprocess.run

    def counting_run(arguments, *args, **kwargs):
        if arguments[0] == "git":
            commands.append([a for a in arguments[1:] if not a.startswith("--")][:1])
        return real_run(arguments, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counting_run)
    run = slalint(repo, "--base", "many")
    assert [f[3] for f in run.findings] == ["SL205"]
    assert commands == [["rev-parse"], ["rev-parse"], ["ls-tree"], ["cat-file"]]


# ---------------------------------------------------------------- SL205 by id, whatever the file's name


def test_renaming_the_file_does_not_hide_a_changed_objective(repo):
    git(repo, "mv", "agreements/payments.sla", "agreements/renamed.sla")
    text = change_file(repo / "agreements" / "renamed.sla", ("target: >= 99.95%", "target: >= 99.9%"))
    git(repo, "commit", "-q", "-am", "rename, and lower the target")
    run = slalint(repo, "--base", "agreed")
    assert run.findings == [("agreements/renamed.sla", *position(text, "target: >= 99.9%"), "SL205")]
    assert run.messages == [
        "objective 'availability' of SLA 'payments_gold' changed since agreed (target >= 99.95% -> >= 99.9%), " + ADVICE
    ]
    assert run.code == 1


def test_moving_the_sla_to_another_directory_and_naming_only_it(repo):
    (repo / "elsewhere").mkdir()
    text = AGREEMENTS.replace("target: >= 99.95%", "target: >= 99.9%", 1)
    (repo / "elsewhere" / "gold.sla").write_text(text, encoding="utf-8")
    git(repo, "rm", "-q", "agreements/payments.sla")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "moved")
    run = slalint(repo, "elsewhere/gold.sla", "--base", "agreed")
    assert run.findings == [("elsewhere/gold.sla", *position(text, "target: >= 99.9%"), "SL205")]


def test_without_a_configuration_the_whole_work_tree_at_the_ref_is_read(repo):
    (repo / ".slalint.yaml").unlink()
    git(repo, "mv", "agreements/payments.sla", "moved.sla")
    text = change_file(repo / "moved.sla", ("target: >= 99.95%", "target: >= 99.9%"))
    git(repo, "commit", "-q", "-am", "moved, no config")
    run = slalint(repo, "moved.sla", "parties.sla", "--base", "agreed", "--select", "SL205")
    assert run.findings == [("moved.sla", *position(text, "target: >= 99.9%"), "SL205")]


def change_file(path: Path, *replacements: tuple[str, str]) -> str:
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


# ---------------------------------------------------------------- --config-from: the base's rules


@pytest.fixture
def base(tmp_path, monkeypatch) -> Path:
    """Branch `main` holds the agreements (SL405, SL402: an OLA weaker than its
    SLA), a configuration and a house pack (HOUSE001 at the SLA's 99.95%);
    the work tree is a pull request's branch off it."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    git(root, "symbolic-ref", "HEAD", "refs/heads/main")
    git(root, "config", "user.name", "Test User")
    git(root, "config", "user.email", "test@example.com")
    git(root, "config", "commit.gpgsign", "false")
    text = SPEC_TEXT.replace("target: >= 99.99%  window: 30d", "target: >= 99.9%  window: 30d")
    (root / "payments.sla").write_text(text, encoding="utf-8")
    (root / "house.yaml").write_text(HOUSE_PACK, encoding="utf-8")
    (root / ".slalint.yaml").write_text("policies: [house.yaml]\n", encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "the agreements and the house rules")
    git(root, "checkout", "-q", "-b", "pull-request")
    return root


def base_findings(root: Path, house: bool = True) -> list[tuple[str, int, int, str]]:
    """SL405 and SL402 (the OLA's 99.9% holds up no 99.95%), and HOUSE001 at both targets."""
    text = (root / "payments.sla").read_text(encoding="utf-8")
    findings = [
        ("payments.sla", *position(text, "objective availability", 1), "SL405"),
        ("payments.sla", *position(text, "target: >= 99.95%"), "HOUSE001"),
        ("payments.sla", *position(text, "objective availability", 2), "SL402"),
        ("payments.sla", *position(text, "target: >= 99.9%  window: 30d"), "HOUSE001"),
    ]
    return [finding for finding in findings if house or finding[3] != "HOUSE001"]


def pull_request(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "the pull request")


def test_the_base_configuration_applies(base):
    run = slalint(base, "--config-from", "main")
    assert (run.code, run.findings, run.err) == (1, base_findings(base), "")


@pytest.mark.parametrize(
    "config",
    [
        "fail-on: never\n",
        "exit-zero: true\n",
        "ignore: [SL]\npolicies: []\n",
        "select: [SL9]\n",
        "severity: {SL4: info, HOUSE: info}\npolicies: [house.yaml]\n",
        "exclude: ['*.sla']\n",
        "per-file-ignores: {'*.sla': [SL, HOUSE]}\npolicies: [house.yaml]\n",
        "policies: [house.yaml, extra.yaml]\n",
        "baseline: everything.json\npolicies: [house.yaml]\n",
        "policies: [house.yaml]\n{not: yaml\n",
    ],
)
def test_the_pull_requests_configuration_is_ignored(base, config):
    extra = HOUSE_PACK.replace("house", "extra").replace("HOUSE001", "EXTRA001").replace("gold-needs", "x-needs")
    slalint(base, "--write-baseline", "everything.json")
    pull_request(base, {".slalint.yaml": config, "extra.yaml": extra})
    without = slalint(base)
    assert without.code != 1 or without.findings != base_findings(base)  # it would change the verdict
    run = slalint(base, "--config-from", "main")
    assert (run.code, run.findings, run.err) == (1, base_findings(base), "")


def test_a_pack_named_by_the_base_configuration_is_read_from_the_base(base):
    pull_request(base, {"house.yaml": HOUSE_PACK.replace(">= 99.99%", ">= 90%")})
    assert [f[3] for f in slalint(base).findings] == ["SL405", "SL402"]
    run = slalint(base, "--config-from", "main")
    assert (run.code, run.findings) == (1, base_findings(base))


def test_a_pack_directory_is_listed_at_the_base(base):
    git(base, "checkout", "-q", "main")
    (base / "packs").mkdir()
    (base / "house.yaml").rename(base / "packs" / "house.yaml")
    (base / ".slalint.yaml").write_text("policies: [packs]\n", encoding="utf-8")
    git(base, "add", "-A")
    git(base, "commit", "-q", "-m", "packs in a directory")
    git(base, "checkout", "-q", "pull-request")
    git(base, "merge", "-q", "main")
    extra = HOUSE_PACK.replace("house", "extra").replace("HOUSE001", "EXTRA001").replace("gold-needs", "x-needs")
    pull_request(base, {"packs/house.yaml": "pack: house\nrules: []\n", "packs/extra.yaml": extra})
    run = slalint(base, "--config-from", "main")
    assert (run.code, run.findings) == (1, base_findings(base))


def test_a_baseline_named_by_the_base_configuration_is_read_from_the_base(base):
    git(base, "checkout", "-q", "main")
    slalint(base, "--write-baseline", "baseline.json", "--select", "SL9")  # records nothing
    (base / ".slalint.yaml").write_text("policies: [house.yaml]\nbaseline: baseline.json\n", encoding="utf-8")
    git(base, "add", ".")
    git(base, "commit", "-q", "-m", "an empty baseline")
    git(base, "checkout", "-q", "pull-request")
    git(base, "merge", "-q", "main")
    slalint(base, "--write-baseline", "baseline.json")  # the pull request records every finding
    pull_request(base, {})
    assert slalint(base).findings == []
    run = slalint(base, "--config-from", "main")
    assert (run.code, run.findings, run.err) == (1, base_findings(base), "")


def test_a_base_without_configuration_means_the_defaults(base):
    git(base, "checkout", "-q", "main")
    git(base, "rm", "-q", ".slalint.yaml")
    git(base, "commit", "-q", "-m", "no configuration")
    git(base, "checkout", "-q", "pull-request")
    git(base, "merge", "-q", "main")
    pull_request(base, {".slalint.yaml": "ignore: [SL]\n"})
    run = slalint(base, "--config-from", "main")
    assert (run.code, run.findings) == (1, base_findings(base, house=False))


def test_a_pyproject_at_the_base(base):
    git(base, "checkout", "-q", "main")
    git(base, "mv", ".slalint.yaml", "elsewhere.yaml")
    (base / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.slalint]\npolicies = ["house.yaml"]\n')
    git(base, "add", ".")
    git(base, "commit", "-q", "-m", "pyproject")
    git(base, "checkout", "-q", "pull-request")
    git(base, "merge", "-q", "main")
    pull_request(base, {"pyproject.toml": '[project]\nname = "x"\n\n[tool.slalint]\nfail-on = "never"\n'})
    run = slalint(base, "--config-from", "main")
    assert (run.code, run.findings) == (1, base_findings(base))


def test_the_root_is_the_top_of_the_work_tree(base):
    (base / "sub").mkdir()
    pull_request(base, {"sub/.slalint.yaml": "fail-on: never\n"})
    run = slalint(base / "sub", "--config-from", "main")
    assert (run.code, [f[3] for f in run.findings]) == (1, ["SL405", "HOUSE001", "SL402", "HOUSE001"])


def test_with_root_the_roots_configuration_at_the_ref(base):
    git(base, "checkout", "-q", "main")
    (base / "team").mkdir()
    (base / "team" / ".slalint.yaml").write_text("policies: [../house.yaml]\nignore: [SL4]\n", encoding="utf-8")
    (base / "team" / "payments.sla").write_text((base / "payments.sla").read_text(encoding="utf-8"))
    git(base, "add", ".")
    git(base, "commit", "-q", "-m", "a team directory")
    git(base, "checkout", "-q", "pull-request")
    git(base, "merge", "-q", "main")
    pull_request(base, {"team/.slalint.yaml": "fail-on: never\n"})
    run = slalint(base, "--config-from", "main", "--root", "team")
    assert (run.code, [f[3] for f in run.findings]) == (1, ["HOUSE001", "HOUSE001"])


@pytest.mark.parametrize(
    "files, message",
    [
        (
            {".slalint.yaml": "policies: [house.yaml]\nfail_on: warning\n"},
            "main:.slalint.yaml:2:1: unknown key 'fail_on'; did you mean 'fail-on'?",
        ),
        (
            {"house.yaml": HOUSE_PACK.replace("severity: error", "severity: fatal")},
            "main:house.yaml:6:15: severity must be error, warning or info, not 'fatal'",
        ),
        (
            {".slalint.yaml": "policies: [missing.yaml]\n"},
            "main:missing.yaml:1:1: cannot read policy pack: no such file at main",
        ),
        (
            {".slalint.yaml": "policies: [../outside.yaml]\n"},
            "main:../outside.yaml:1:1: cannot read policy pack: no such file at main",
        ),
        (
            {".slalint.yaml": 'policies: ["a\\0b\\ec.yaml"]\n'},
            "main:.slalint.yaml:1:12: 'a\\x00b\\x1bc.yaml' is not a path: it holds a NUL byte",
        ),
        (
            {"house.yaml": "pack: big\nrules: []\n" + "# " + "x" * 300_000 + "\n"},
            "main:house.yaml:1:1: policy pack is larger than 256 KiB (300,023 bytes)",
        ),
    ],
)
def test_errors_in_the_base_configuration_name_the_ref(base, files, message):
    git(base, "checkout", "-q", "main")
    pull_request(base, files)
    git(base, "checkout", "-q", "pull-request")
    run, seconds = timed(base, "--config-from", "main")
    assert (run.code, run.out) == (2, "")
    assert run.err == f"slalint: {message}\n"
    assert seconds < SECONDS


def test_a_pack_path_with_a_nul_byte_is_a_config_error(base):
    (base / ".slalint.yaml").write_text('policies: ["a\\0b.yaml"]\n', encoding="utf-8")
    run = slalint(base)
    assert (run.code, run.err) == (
        2,
        "slalint: .slalint.yaml:1:12: 'a\\x00b.yaml' is not a path: it holds a NUL byte\n",
    )


def test_a_pack_that_is_a_link_at_the_base_is_not_followed(base):
    git(base, "checkout", "-q", "main")
    (base / "house.yaml").unlink()
    (base / "house.yaml").symlink_to("/etc/passwd")
    git(base, "add", ".")
    git(base, "commit", "-q", "-m", "a link")
    git(base, "checkout", "-q", "pull-request")
    run = slalint(base, "--config-from", "main")
    assert (run.code, run.err) == (2, "slalint: main:house.yaml:1:1: policy pack is not a regular file\n")


def test_config_from_with_config_is_a_usage_error(base):
    run = slalint(base, "--config-from", "main", "--config", ".slalint.yaml")
    assert run.code == 2
    assert "Error: --config and --config-from cannot be used together" in run.err


def test_config_from_a_ref_that_does_not_exist(base):
    run = slalint(base, "--config-from", "origin/main")
    assert (run.code, run.err) == (
        2,
        "slalint: git ref 'origin/main' does not exist (fetch it first, e.g. git fetch origin main)\n",
    )


def test_config_from_outside_a_repository(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "payments.sla").write_text(SPEC_TEXT, encoding="utf-8")
    run = slalint(tmp_path, "--config-from", "main")
    assert (run.code, run.err) == (
        2,
        "slalint: --config-from needs a git repository, and the current directory is not inside one\n",
    )
