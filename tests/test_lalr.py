"""slalint's own LALR runtime (sla_lang/syntax/lalr.py) against Lark's.

Both run the tables Lark builds from grammar/agreement.lark with the same
transformer; for every input here (the examples, the fixtures, the malformed
cases, and thousands of truncations and edits of real agreements) they must
build the same declarations, comments and findings, and fail with the same
error: same token or character, position, expected and accepted terminals,
history and parser stack.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from test_malformed import CASES

from sla_lang.reading.paths import user_cache
from sla_lang.syntax import lalr
from sla_lang.syntax.build import ModelBuilder, NestingTooDeep
from sla_lang.syntax.parser import load_lark

ROOT = Path(__file__).resolve().parent.parent
EDITS = ("", "{", "}", ":", '"', '"""', "[", "]", ",", ".", ";", "@", "\n", "# c\n", "party", "99.9%", "24x7")


def _corpus() -> list[str]:
    texts = []
    for path in sorted([*ROOT.glob("examples/*.sla"), *ROOT.glob("tests/fixtures/**/*.sla")]):
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, OSError):
            continue
    texts += [case.content for case in CASES if isinstance(case.content, str) and len(case.content) < 20_000]
    return texts


def _edits(text: str, step: int) -> list[str]:
    """Truncations and one-place edits every `step` characters."""
    variants = []
    for index, offset in enumerate(range(0, len(text), step)):
        variants.append(text[:offset])
        edit = EDITS[index % len(EDITS)]
        variants.append(text[:offset] + edit + text[offset + 1 :])
    return variants


def _token(token) -> tuple | None:
    if token is None:
        return None
    fields = ("start_pos", "line", "column", "end_line", "end_column", "end_pos")
    return (token.type, str(token), *(getattr(token, name) for name in fields))


def _dump(value, path: frozenset = frozenset()) -> object:
    """A value's content, whatever its identity (model nodes compare by
    identity, and equal strings need not be the same object). A link back
    to a node being dumped (a service to its agreement) is named, not followed."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return _token(value) if hasattr(value, "type") else str(value)  # a token of either parser, or text
    if id(value) in path:
        return ("back to", type(value).__name__)
    path = path | {id(value)}
    if isinstance(value, (list, tuple)):
        return [_dump(item, path) for item in value]
    if isinstance(value, dict):
        return sorted((_dump(key, path), _dump(item, path)) for key, item in value.items())
    if hasattr(value, "data") and hasattr(value, "children"):  # a tree of either parser
        return ("tree", str(value.data), _dump(value.children, path))
    slots = [name for klass in type(value).__mro__ for name in getattr(klass, "__slots__", ())]
    fields = {name: getattr(value, name) for name in slots if hasattr(value, name)}
    fields.update(getattr(value, "__dict__", {}))
    if not fields:
        return repr(value)
    return (type(value).__name__, sorted((name, _dump(item, path)) for name, item in fields.items()))


def _error(error) -> tuple | None:
    if error is None:
        return None
    if isinstance(error, NestingTooDeep):
        return ("nesting", _token(error.token), _dump(error.finding))
    kind = type(error).__name__
    history = [_token(token) for token in error.token_history or []]
    stack = _dump(error.state.value_stack)
    if kind == "UnexpectedToken":
        return (kind, _token(error.token), sorted(error.expected), sorted(error.accepts), history, stack)
    assert kind == "UnexpectedCharacters", kind
    where = (error.line, error.column, error.pos_in_stream, error.char)
    return (kind, where, sorted(error.allowed), history, stack)


def _outcome(parse, builder: ModelBuilder, text: str) -> tuple:
    builder.reset("t.sla")
    error = None
    try:
        parse(text)
    except Exception as exc:  # noqa: BLE001 - compared, not handled
        error = exc
    return _dump((builder.declarations, builder.comments, builder.findings)), _error(error)


@pytest.fixture(scope="module")
def parsers():
    lark_builder, own_builder = ModelBuilder(), ModelBuilder()
    lark_parser = load_lark(lark_builder)
    own_parser = lalr.Parser(lalr.load_tables(), own_builder, own_builder.lexer_callbacks())
    return (lambda text: _outcome(lark_parser.parse, lark_builder, text)), (
        lambda text: _outcome(own_parser.parse, own_builder, text)
    )


def test_the_runtime_agrees_with_lark_on_every_input(parsers):
    with_lark, with_own = parsers
    corpus = _corpus()
    assert len(corpus) > 60
    compared = failures = 0
    for text in corpus:
        for variant in [text, *_edits(text, max(3, len(text) // 40))]:
            expected = with_lark(variant)
            assert with_own(variant) == expected, variant
            compared += 1
            failures += expected[1] is not None
    # The comparison covered both sides: inputs that parse and inputs that fail.
    assert compared > 5_000 and 1_000 < failures < compared


def test_tables_are_plain_data_so_loading_them_imports_no_lark():
    tables = lalr.load_tables()

    class NoLark(pickle.Unpickler):
        def find_class(self, module, name):
            raise AssertionError(f"the tables refer to {module}.{name}")

    assert NoLark(__import__("io").BytesIO(pickle.dumps(tables))).load() == tables


def test_damaged_tables_in_the_cache_are_built_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SLALINT_CACHE_DIR", str(tmp_path))
    text = (ROOT / "examples" / "mistakes.sla").read_text(encoding="utf-8")

    def findings_with(tables) -> list:
        builder = ModelBuilder()
        builder.reset("mistakes.sla")
        lalr.Parser(tables, builder, builder.lexer_callbacks()).parse(text)
        return _dump(builder.findings)

    expected = findings_with(lalr.load_tables())
    assert expected
    (cached,) = tmp_path.glob("agreement-*.tables")
    for damage in (b"\x80\x05not a pickle", b"", pickle.dumps({"format": -1}), pickle.dumps(["a list"])):
        cached.write_bytes(damage)
        # Lark numbers its states afresh each time, so the tables differ; what they parse does not.
        assert findings_with(lalr.load_tables()) == expected
        stored = user_cache().read(str(cached))  # written back whole, and authenticated
        assert pickle.loads(stored)["format"] == lalr.FORMAT


# -- a Lark whose internals moved -------------------------------------------------------


@pytest.fixture
def lark_internals_moved(tmp_path, monkeypatch):
    """No tables in the cache, no parser in this process yet, and an export
    that fails as a newer Lark would make it fail (an attribute gone)."""
    monkeypatch.setenv("SLALINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr("sla_lang.many_files.parse._parser", None)

    def moved(lark, start):
        return lark._parse_tree_builder_renamed_in_a_later_version

    monkeypatch.setattr(lalr, "_export", moved)
    (tmp_path / "a.sla").write_text("party acme { role: customer }\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)


UNSUPPORTED = f"slalint: this Lark version ({__import__('lark').__version__}) is not supported; install lark==1.3.*\n"


@pytest.mark.parametrize("command", [["check", "a.sla"], ["check", "--no-cache", "a.sla"], ["test"]])
def test_an_unsupported_lark_is_one_line_and_exit_2(lark_internals_moved, capsys, command):
    from sla_lang.__main__ import main

    assert main(command) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", UNSUPPORTED)


def test_the_tested_lark_is_the_one_pyproject_pins():
    import lark

    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"lark>={lalr.TESTED_LARK},<' in pyproject
    assert lark.__version__.startswith(lalr.TESTED_LARK + ".")
