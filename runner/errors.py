"""Errors that carry the file and the place in it, so the CLI can print them without a traceback."""

from __future__ import annotations


class PostrunError(Exception):
    """Base of every error postrun reports to the user as a message rather than a traceback."""


class InputError(PostrunError):
    """Input that cannot be used: names the file and a JSON pointer or line/column within it."""

    def __init__(self, file: str, message: str, where: str = "") -> None:
        self.file = file
        self.where = where
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        return f"{self.file}: {place}{self.message}"


class InvalidCollection(InputError):
    """A collection that parsed as JSON but does not follow the collection format, one line per problem."""

    def __init__(self, file: str, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__(file, f"{len(problems)} problem(s) in the collection")

    def __str__(self) -> str:
        return "\n".join(f"{self.file}: {ptr or '/'}: {msg}" for ptr, msg in self.problems)


class UsageError(PostrunError):
    """Options that contradict each other or name things that do not exist (exit code 2)."""
