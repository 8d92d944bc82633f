"""SL205 (changed-without-reapproval) with `--base REF`, in real git repositories.

The repository holds the SPEC §2.4 agreements, split over two files (the
parties in one, the SLA and its supporters in another). The first commit is
the agreed state; each test changes the SLA, commits, and checks against the
first commit."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import SPEC_EXAMPLE, check_in_process

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SPEC_TEXT = SPEC_EXAMPLE.read_text(encoding="utf-8")
PARTIES = "".join(line + "\n" for line in SPEC_TEXT.splitlines() if line.startswith("party "))
AGREEMENTS = SPEC_TEXT[SPEC_TEXT.index("sla payments_gold") :]
ADVICE = "but the signature of 'acme' is unchanged: have the customer re-approve it (new date and version)"


class Run(NamedTuple):
    code: int
    out: str
    err: str

    @property
    def findings(self) -> list[tuple[str, int, int, str]]:
        found = []
        for line in self.out.splitlines():
            path, number, column, rest = line.split(":", 3)
            found.append((path, int(number), int(column), rest.split()[0]))
        return found

    @property
    def messages(self) -> list[str]:
        return [line.split("] ", 1)[1] for line in self.out.splitlines()]


def slalint(cwd: Path, *args: str) -> Run:
    return Run(*check_in_process(cwd, "--format", "concise", "--today", "2026-06-01", *args))


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.strip()


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    return agreed_repository(tmp_path, monkeypatch)


def agreed_repository(tmp_path: Path, monkeypatch) -> Path:
    """A repository whose first commit (tagged `agreed`) holds the agreed agreements."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # never find an enclosing repository
    root = tmp_path / "repo"
    (root / "agreements").mkdir(parents=True)
    git(root, "init", "-q")
    git(root, "config", "user.name", "Test User")
    git(root, "config", "user.email", "test@example.com")
    git(root, "config", "commit.gpgsign", "false")
    (root / ".slalint.yaml").write_text("select: [SL205]\n", encoding="utf-8")
    (root / "parties.sla").write_text(PARTIES, encoding="utf-8")
    (root / "agreements" / "payments.sla").write_text(AGREEMENTS, encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "The agreed SLA")
    git(root, "tag", "agreed")
    return root


def change(repo: Path, *replacements: tuple[str, str], commit: bool = True) -> str:
    """Apply text replacements to agreements/payments.sla (and commit them); returns the new text."""
    path = repo / "agreements" / "payments.sla"
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    if commit:
        git(repo, "commit", "-q", "-am", "change the SLA")
    return text


def position(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the `occurrence`-th `needle` in `text`."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def test_unchanged_agreements_are_clean(repo):
    run = slalint(repo, "--base", "agreed")
    assert run.findings == [] and run.code == 0


def test_without_base_the_rule_is_silent(repo):
    change(repo, ("target: >= 99.95%", "target: >= 99.9%"))
    assert slalint(repo).findings == []


# ---------------------------------------------------------------- changed while the signature is unchanged


def test_a_target_changed(repo):
    text = change(repo, ("target: >= 99.95%", "target: >= 99.9%"))
    run = slalint(repo, "--base", "agreed")
    assert run.findings == [("agreements/payments.sla", *position(text, "target: >= 99.9%"), "SL205")]
    assert run.messages == [
        "objective 'availability' of SLA 'payments_gold' changed since agreed (target >= 99.95% -> >= 99.9%), " + ADVICE
    ]
    assert run.code == 1


def test_a_window_changed(repo):
    text = change(repo, ("window: 1mo", "window: 1q"))
    run = slalint(repo, "--base", "agreed")
    assert run.findings == [("agreements/payments.sla", *position(text, "window: 1q"), "SL205")]
    assert "(window 1mo -> 1q)" in run.messages[0]


def test_a_metric_changed(repo):
    text = change(repo, ("metric: response_time", "metric: resolution_time"))
    run = slalint(repo, "--base", "agreed")
    assert run.findings == [("agreements/payments.sla", *position(text, "metric: resolution_time"), "SL205")]
    assert "(metric response_time -> resolution_time)" in run.messages[0]


def test_several_fields_changed_point_at_the_first(repo):
    text = change(
        repo,
        (
            "target: <= 300ms\n      window: 30d\n      percentile: 99",
            "target: <= 250ms\n      window: 7d\n      percentile: 99",
        ),
    )
    run = slalint(repo, "--base", "agreed")
    assert run.findings == [("agreements/payments.sla", *position(text, "target: <= 250ms"), "SL205")]
    assert "(target <= 300ms -> <= 250ms; window 30d -> 7d)" in run.messages[0]


def test_an_objective_added(repo):
    added = '    objective error_rate { target: <= 0.1%  window: 30d  measurement: "5xx share" }\n'
    text = change(repo, ("    objective p1_response {", added + "    objective p1_response {"))
    run = slalint(repo, "--base", "agreed")
    assert run.findings == [("agreements/payments.sla", *position(text, "objective error_rate"), "SL205")]
    assert run.messages == [
        "objective 'error_rate' of service 'payments_api' was added to SLA 'payments_gold' since agreed, " + ADVICE
    ]


def test_a_service_added(repo):
    service = (
        "  service refunds {\n    hours: 24x7\n    objective availability { target: >= 99.9%  window: 30d }\n  }\n"
    )
    text = change(repo, ("  responsibilities customer {", service + "\n  responsibilities customer {"))
    run = slalint(repo, "--base", "agreed")
    assert run.findings == [("agreements/payments.sla", *position(text, "objective availability", 2), "SL205")]


def test_only_the_provider_signed_again(repo):
    change(
        repo,
        ("target: >= 99.95%", "target: >= 99.9%"),
        ('signature it_org { by: "John Roe"  date: 2025-12-14', 'signature it_org { by: "John Roe"  date: 2026-05-01'),
    )
    assert [f[3] for f in slalint(repo, "--base", "agreed").findings] == ["SL205"]


def test_uncommitted_changes_against_head(repo):
    """The pre-commit case: the working tree against HEAD."""
    text = change(repo, ("target: <= 15min", "target: <= 10min"), commit=False)
    run = slalint(repo, "agreements/payments.sla", "--base", "HEAD")
    assert run.findings == [("agreements/payments.sla", *position(text, "target: <= 10min"), "SL205")]


@pytest.mark.parametrize("ref", ["agreed", "refs/tags/agreed", "main-at-agreement", "{sha}", "{short}"])
def test_refs(repo, ref):
    git(repo, "branch", "main-at-agreement", "agreed")
    sha = git(repo, "rev-parse", "agreed")
    change(repo, ("target: >= 99.95%", "target: >= 99.9%"))
    run = slalint(repo, "--base", ref.format(sha=sha, short=sha[:10]))
    assert [f[3] for f in run.findings] == ["SL205"]


def test_from_a_subdirectory(repo):
    text = change(repo, ("target: >= 99.95%", "target: >= 99.9%"))
    run = slalint(repo / "agreements", "payments.sla", "--base", "agreed")
    assert run.findings == [("payments.sla", *position(text, "target: >= 99.9%"), "SL205")]


def test_base_in_the_configuration(repo):
    (repo / ".slalint.yaml").write_text("select: [SL205]\nbase: agreed\n", encoding="utf-8")
    change(repo, ("target: >= 99.95%", "target: >= 99.9%"))
    assert [f[3] for f in slalint(repo).findings] == ["SL205"]


# ---------------------------------------------------------------- no SL205


def test_the_customer_signed_again(repo):
    change(
        repo,
        ("target: >= 99.95%", "target: >= 99.9%"),
        ('version: "2.1"', 'version: "2.2"'),
        ('date: 2025-12-15  version: "2.1"', 'date: 2026-05-20  version: "2.2"'),
    )
    assert slalint(repo, "--base", "agreed").findings == []


@pytest.mark.parametrize(
    "signature",
    [
        'signature acme { by: "Jane Doe"  title: "CIO"  date: 2026-05-20  version: "2.1" }',
        'signature acme { by: "Jane Doe"  title: "CIO"  date: 2025-12-15  version: "2.2" }',
        'signature acme { by: "Mary Major"  title: "CIO"  date: 2025-12-15  version: "2.1" }',
    ],
)
def test_any_change_to_the_customer_signature_counts_as_reapproval(repo, signature):
    old = 'signature acme { by: "Jane Doe"  title: "CIO"  date: 2025-12-15  version: "2.1" }'
    change(repo, ("target: >= 99.95%", "target: >= 99.9%"), (old, signature))
    assert slalint(repo, "--base", "agreed").findings == []


def test_signed_for_the_first_time_since_the_ref(repo):
    unsigned = 'signature acme { by: "Jane Doe"  title: "CIO"  date: 2025-12-15  version: "2.1" }'
    change(repo, (unsigned, ""))
    git(repo, "tag", "unsigned")
    change(repo, ("target: >= 99.95%", "target: >= 99.9%"), ("  approval {\n", "  approval {\n    " + unsigned))
    assert slalint(repo, "--base", "unsigned").findings == []


def test_no_customer_signature_at_all_is_sl201_not_sl205(repo):
    signature = 'signature acme { by: "Jane Doe"  title: "CIO"  date: 2025-12-15  version: "2.1" }'
    change(repo, ("target: >= 99.95%", "target: >= 99.9%"), (signature, ""))
    assert slalint(repo, "--base", "agreed").findings == []


@pytest.mark.parametrize(
    "old, new",
    [
        ('measurement: "Synthetic probe every 60 s from three regions"', 'measurement: "Synthetic probe, 30 s"'),
        ("target: >= 99.95%", "target:   >=   99.95%"),  # the same target, spelt differently
        ("  service payments_api", "  # the API\n\n  service payments_api"),  # lines shift
        ("agreed: 2025-12-10", "agreed: 2025-12-11"),
    ],
)
def test_changes_that_are_not_to_target_window_or_metric(repo, old, new):
    change(repo, (old, new))
    assert slalint(repo, "--base", "agreed").findings == []


@pytest.mark.parametrize("status", ["draft", "retired"])
def test_an_sla_that_is_not_active(repo, status):
    change(repo, ('  version: "2.1"', f'  version: "2.1"\n  status: {status}'))
    git(repo, "tag", "not-active")
    change(repo, ("target: >= 99.95%", "target: >= 99.9%"))
    assert slalint(repo, "--base", "not-active").findings == []


def test_an_ola_or_contract_changed(repo):
    change(repo, ("target: >= 99.99%  window: 30d", "target: >= 99.999%  window: 30d"))
    change(repo, ("target: >= 99.99%  window: 1mo", "target: >= 99.95%  window: 1mo"))
    assert slalint(repo, "--base", "agreed").findings == []


def test_an_sla_that_did_not_exist_at_the_ref(repo):
    (repo / "agreements" / "new.sla").write_text(
        AGREEMENTS[: AGREEMENTS.index("ola db_ola")].replace("payments_gold", "payments_silver"), encoding="utf-8"
    )
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "a new SLA")
    assert slalint(repo, "--base", "agreed").findings == []


# ---------------------------------------------------------------- errors (exit 2)


def test_not_in_a_git_repository(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "payments.sla").write_text(SPEC_TEXT, encoding="utf-8")
    run = slalint(plain, "--base", "main")
    assert run.code == 2 and run.out == ""
    assert run.err == "slalint: --base needs a git repository, and the current directory is not inside one\n"


def test_a_ref_that_does_not_exist(repo):
    run = slalint(repo, "--base", "origin/main")
    assert run.code == 2 and run.out == ""
    assert run.err == "slalint: git ref 'origin/main' does not exist (fetch it first, e.g. git fetch origin main)\n"


@pytest.mark.parametrize("ref", ["--output=/tmp/x", "-x", "main branch"])
def test_a_ref_that_is_not_a_ref(repo, ref):
    run = slalint(repo, f"--base={ref}")
    assert run.code == 2
    assert run.err == (
        f"slalint: '{ref}' is not a git ref name or object id; slalint does not accept revision expressions "
        "(name a branch, a tag or a commit: origin/main, v1.2, 3f2a9c1)\n"
    )


def test_git_is_not_installed(repo, monkeypatch):
    monkeypatch.setenv("PATH", str(repo))  # nowhere with a git in it
    run = slalint(repo, "--base", "agreed")
    assert run.code == 2
    assert run.err == "slalint: --base needs git, and git is not installed\n"
