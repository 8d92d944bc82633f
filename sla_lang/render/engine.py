"""The templates: Jinja2 in its sandbox, from the package or a directory the
command line names. A template is code someone else may have written (a pull
request controls the repository), so it runs sandboxed, reads only files
inside its directory, and every string it prints is escaped for its format:
HTML by autoescaping, Markdown by `markdown_escape` on every `{{ }}`."""

from __future__ import annotations

import os
import re

TEMPLATE_NAMES = {"markdown": "agreement.md.j2", "html": "agreement.html.j2"}
SHIPPED = os.path.join(os.path.dirname(__file__), "templates")
MAX_TEMPLATE_SIZE = 1 << 20  # bytes: a template is a page of markup, not data


_TEMPLATE_SUFFIXES = (".j2", ".jinja", ".html", ".md", ".css", ".txt")


class TemplateProblem(Exception):
    """A template that cannot be read or run: the message names the file and line."""


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_LINE_START = re.compile(r"^(\s*)(?:([-+=])|(\d{1,9})([.)]))(?=\s|$)")


def markdown_escape(value) -> str:
    """Any value as Markdown text that means only itself: every character
    Markdown could read as markup is escaped, `&` is an entity, and a line
    break is a space (a string never starts a block of its own)."""
    if value is None:
        return ""
    text = " ".join(str(value).split()) if "\n" in str(value) or "\r" in str(value) else str(value)
    text = text.replace("&", "&amp;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(_escaped_marker, text)


def _escaped_marker(match) -> str:
    """`- x` -> `\\- x`, `1. x` -> `1\\. x`: what would start a list, a heading or a rule."""
    if match[2]:
        return f"{match[1]}\\{match[2]}"
    return f"{match[1]}{match[3]}\\{match[4]}"


def _confined_loader(directory: str):
    """A loader of the files directly or deeply inside `directory`: no `..`, no
    link that leads out, no file over MAX_TEMPLATE_SIZE."""
    import jinja2

    root = os.path.realpath(directory)

    class ConfinedLoader(jinja2.BaseLoader):
        def get_source(self, environment, template):
            parts = jinja2.loaders.split_template_path(template)  # refuses `..`
            path = os.path.join(root, *parts)
            real = os.path.realpath(path)
            if os.path.commonpath([real, root]) != root:
                raise TemplateProblem(f"{template}: the template leads outside {directory}; slalint does not read it")
            if not os.path.isfile(real):
                raise jinja2.TemplateNotFound(template)
            if os.path.getsize(real) > MAX_TEMPLATE_SIZE:
                raise TemplateProblem(f"{path}: the template is larger than {MAX_TEMPLATE_SIZE:,} bytes")
            with open(real, encoding="utf-8", errors="replace") as handle:
                source = handle.read()
            mtime = os.path.getmtime(real)
            return source, path, lambda: os.path.getmtime(real) == mtime

    return ConfinedLoader()


def environment(format: str, templates: str | None):
    """The sandboxed environment of a format: the user's directory first, the
    shipped templates for whatever it does not hold."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    loaders = [_confined_loader(templates)] if templates else []
    loaders.append(_confined_loader(SHIPPED))
    if format == "html":
        env = SandboxedEnvironment(
            loader=jinja2.ChoiceLoader(loaders), autoescape=True, undefined=jinja2.StrictUndefined
        )
    else:
        env = SandboxedEnvironment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=False,
            finalize=markdown_escape,
            undefined=jinja2.StrictUndefined,
        )
    env.filters["md"] = markdown_escape
    return env


class Renderer:
    """Renders documents (document.document) with the template of a format."""

    def __init__(self, format: str, templates: str | None = None) -> None:
        import jinja2

        if templates is not None and not os.path.isdir(templates):
            raise TemplateProblem(f"{templates}: no such directory (--templates names a directory of templates)")
        self.env = environment(format, templates)
        name = TEMPLATE_NAMES[format]
        try:
            self.template = self.env.get_template(name)
        except TemplateProblem:
            raise
        except jinja2.TemplateSyntaxError as error:
            raise TemplateProblem(f"{error.filename or error.name}:{error.lineno}: {error.message}") from None
        except jinja2.TemplateError as error:
            raise TemplateProblem(f"{name}: {error}") from None

    def render(self, document: dict) -> str:
        import jinja2

        try:
            return self.template.render(doc=document)
        except TemplateProblem:
            raise
        except jinja2.TemplateSyntaxError as error:
            raise TemplateProblem(f"{error.filename or error.name}:{error.lineno}: {error.message}") from None
        except jinja2.TemplateNotFound as error:
            raise TemplateProblem(
                f"{_where(error)}: no template '{error.name}': a template includes only files inside its directory"
            ) from None
        except jinja2.TemplateError as error:
            raise TemplateProblem(f"{_where(error)}: the template was stopped: {error}") from None
        except (TypeError, ValueError, ArithmeticError, RecursionError) as error:
            raise TemplateProblem(f"{_where(error)}: the template failed: {type(error).__name__}: {error}") from None


def _where(error: BaseException) -> str:
    """`DIR/agreement.md.j2:12`: the template line a running error came from (Jinja2
    rewrites the traceback so that a template's frames carry its file and line)."""
    traceback = error.__traceback__
    where = "template"
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith(_TEMPLATE_SUFFIXES):
            where = f"{filename}:{traceback.tb_lineno}"
        traceback = traceback.tb_next
    return where
