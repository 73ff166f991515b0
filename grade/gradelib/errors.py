"""The two ways a test stops early."""


class Failure(Exception):
    """The test failed; the message says why, for the student."""


class Skip(Exception):
    """The test can not run in this configuration; the message says why."""
