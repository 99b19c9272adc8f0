"""The plan's YAML read into a node tree, or where and why it cannot be: a syntax error, or an
alias (*name) that would make the plan's walk grow with every level of nesting."""
from __future__ import annotations

import yaml

# libyaml's parser, where PyYAML was built with it: a plan of 250 countries composes ~10x faster.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str, name: str):
    """(node, None), or (None, where): `where` names the file, line and column and the catalog
    word (core/cli_words.py) that says what is wrong."""
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.YAMLError:
        node = None
    try:
        if node is None:  # again, for the pure-Python parser's more telling message ("found '\t'")
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        # The parser's own text ("expected the node content...") means nothing to whoever edits the plan.
        mark = getattr(exc, "problem_mark", None)
        at = getattr(exc, "position", 0)  # a character the reader refused has no mark, only a position
        line, column = ((mark.line + 1, mark.column + 1) if mark
                        else (text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)))
        return None, {"name": name, "line": line, "column": column, "word": "plan.yaml_syntax"}
    repeated = _alias(node)
    if repeated is not None:
        mark = repeated.start_mark
        return None, {"name": name, "line": mark.line + 1, "column": mark.column + 1, "word": "plan.yaml_alias"}
    return node, None


def _alias(root):
    """The first node met twice (a YAML alias, *name, of an &name anchor), or None."""
    seen, todo = set(), [root] if root is not None else []
    while todo:
        node = todo.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            todo.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
    return None
