"""Expected failures, each with the exit code the CLI returns (DESIGN.md: 1 validation, 2 input)."""


class BuilderError(Exception):
    """An expected failure: the CLI prints the message (no traceback) and exits with `exit_code`."""

    exit_code = 2


class InputError(BuilderError):
    """Bad input or usage: names the file (and line or offset) and the reason."""

    exit_code = 2


class ConfigError(InputError):
    """A malformed file under schemas/: names the file and the key."""


class ValidationFailed(BuilderError):
    """A Great Expectations suite failed; the previous output stays untouched."""

    exit_code = 1
