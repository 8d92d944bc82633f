"""From text to typed nodes: the Lark parser and the inline model builder."""
