"""The two ways a subcommand refuses its input; `analytics.cli.main` turns them into exit statuses."""


class UsageError(Exception):
    """A bad argument the user must fix: exit status 2."""


class RejectedInput(Exception):
    """Input the user must fix (a file, a county, a batch): exit status 1."""
