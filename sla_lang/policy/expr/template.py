"""Messages with `{expression}` placeholders: "Gold SLA '{agreement.id}' promises {target.value}"."""

from __future__ import annotations

from ..cost import pay_for
from ..model_view import format_value
from .parse import ExpressionError
from .runtime import Context


class Template:
    """A message with its placeholders compiled."""

    def __init__(self, text: str, parts: list) -> None:
        self.text = text
        self.parts = parts  # str or Compiled

    def render(self, ctx: Context) -> str:
        return render_template(self.parts, ctx)


def parse_template(template: str) -> list:
    """Split "Gold SLA '{agreement.id}' ..." into literal text and expression
    texts, with `{{` and `}}` for literal braces. Returns [(is_expr, text, offset)]."""
    parts: list = []
    literal: list[str] = []
    i = 0
    while i < len(template):
        char = template[i]
        if char == "{" and template.startswith("{{", i):
            literal.append("{")
            i += 2
        elif char == "}" and template.startswith("}}", i):
            literal.append("}")
            i += 2
        elif char == "{":
            end = template.find("}", i)
            if end == -1:
                raise ExpressionError("a '{' in the message is never closed (write {{ for a literal brace)", i + 1)
            if literal:
                parts.append((False, "".join(literal), 0))
                literal = []
            parts.append((True, template[i + 1 : end], i + 1))
            i = end + 1
        elif char == "}":
            raise ExpressionError("a '}' in the message has no '{' (write }} for a literal brace)", i + 1)
        else:
            literal.append(char)
            i += 1
    if literal:
        parts.append((False, "".join(literal), 0))
    return parts


def render_template(parts: list, ctx: Context) -> str:
    return pay_for(ctx, "".join(format_value(part(ctx)) if callable(part) else part for part in parts))
