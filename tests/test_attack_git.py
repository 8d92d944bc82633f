"""Attacks through git refs and blobs (docs/security.md, "Git refs and blobs"):
revision expressions that make git search (`HEAD^{/regex}`), huge blobs at
the base ref, one git process per file, and SL205 dodged by renaming a file."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from test_git_base import ADVICE, AGREEMENTS, agreed_repository, change, git, position, slalint

from sla_lang.gitrefs import GitError, check_ref

pytestmark = pytest.mark.usefixtures("fresh_cache")

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
    for args in (["--base", ref],):
        run, seconds = timed(searchable, *[f"{args[0]}={args[1]}"])
        assert (run.code, run.out) == (2, ""), args
        assert run.err == NOT_A_REF.format(ref=ref.replace("\x1b", "\\x1b")), args
        assert seconds < SECONDS, f"{args} took {seconds:.1f} s"


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
    run = slalint(repo, "--base", ref)
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
    path = repo / "agreements" / "renamed.sla"
    text = path.read_text(encoding="utf-8").replace("target: >= 99.95%", "target: >= 99.9%", 1)
    path.write_text(text, encoding="utf-8")
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
