"""Policy packs: loading them, the expression language, and evaluating rules."""
