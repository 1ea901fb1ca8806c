"""The errors timeline raises on bad input.

Every error says what was wrong and with which input; the CLI and the app catch
`TimelineError` once and show its message as a single line.
"""


class TimelineError(Exception):
    """Base class: a problem with the user's input, shown to them as one line."""


class InputError(TimelineError, ValueError):
    """An input (file, text, date, option) that cannot be read or used."""


class SchemaError(TimelineError, ValueError):
    """A frame or file that does not follow the documented event schema."""


class OverridesError(TimelineError, ValueError):
    """A malformed editorial overrides file; the message names the line."""


class ExportError(TimelineError):
    """An export that cannot be produced (bad size, unwritable path, no browser)."""


class DataError(TimelineError):
    """A data file shipped with timeline (a word list, a rule, a table) that is malformed;
    the message names the file and the entry."""


class StoreError(TimelineError):
    """The database (users, corrections and their history) cannot be opened, or refuses a
    change: an unknown user or correction, a bad role, a name already taken."""
