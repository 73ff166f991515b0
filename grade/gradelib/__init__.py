"""The Fluke grader's library.  Lab files (grade/lab*.py) take the declaration API from
here with `from gradelib import *`; see declare.py for how a test is declared and
context.py for what a @check function can do."""
import os
import sys

# The emulator command lines (tools/emulator.py) and the image tool it uses live in tools/.
_TOOLS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "tools")
if _TOOLS not in sys.path:
    sys.path.insert(0, _TOOLS)

from .declare import DEFAULT_BUDGET, Boot, Part, check, test  # noqa: E402
from .errors import Failure, Skip  # noqa: E402
from .expect import (Console, ConsoleNumber, Deadlock, End, NoConsole, Passed,  # noqa: E402
                     Record)

__all__ = ["Boot", "Console", "ConsoleNumber", "DEFAULT_BUDGET", "Deadlock", "End", "Failure", "NoConsole",
           "Part", "Passed", "Record", "Skip", "check", "test"]
