"""CLI commands of the later stages: each module lists its Typer command functions in COMMANDS.

A module here parses options, builds the stage's options dataclass, calls one stage
function and prints a summary; it imports nothing heavy at module level.
"""

from tinyweb.commands import act, css, data, evaluate, generate, model

STAGE_MODULES = (css, data, model, generate, evaluate, act)
