"""Loading the lab files (grade/lab*.py).

Whatever is wrong with a lab file (a syntax error, an import that fails, a declaration the
grader can not use, no LAB or TITLE, two tests of one name, an after= that names no test)
becomes one LabError whose message names the file and line, shows the line, says what is
wrong and how to fix it: grade.py prints it and exits with status 2, without a traceback.

A test that boots a program or monitor the boot file system does not hold, and expects a
clean END, can not pass: unknown_programs() finds those at load time, for a warning.
"""
import glob
import importlib.util
import inspect
import linecache
import os
import re
import struct
import threading
import traceback

from . import budgets, declare
from .expect import End

_lock = threading.Lock()        # the declarations of one file at a time (self-tests load too)
SECTION = "handouts/grading.md section 6"
BOOTFS_MAGIC = 0x53464246       # "FBFS", handouts/boot.md section 3


class LabError(Exception):
    """A lab file the grader can not use; the message is the whole report."""


def _message(root, path, line, problem, fix):
    where = os.path.relpath(path, root) + (", line %d" % line if line else "")
    out = ["%s: %s" % (where, problem)]
    text = linecache.getline(path, line).rstrip() if line else ""
    if text.strip():
        out.append("    %d | %s" % (line, text))
    out.append("fix: " + fix)
    return "\n".join(out)


def _exports():
    from . import __all__
    return ", ".join(__all__)


def _fix(error, path, root):
    if isinstance(error, declare.DeclarationError):
        return error.fix
    if isinstance(error, ImportError) and (error.name or "").startswith("gradelib"):
        return "import only what gradelib provides: %s (%s)" % (_exports(), SECTION)
    if isinstance(error, NameError):
        name = re.search(r"name '(\w+)' is not defined", str(error))
        return ("define %s in the file, or import it (gradelib provides %s)" % (
            name.group(1) if name else "it", _exports()))
    if isinstance(error, TypeError):
        unknown = re.search(r"unexpected keyword argument '(\w+)'", str(error))
        if unknown:
            options = set()
            for cls in (declare.Test, declare.Boot, declare.Part):
                options |= set(inspect.signature(cls).parameters)
            return "use an option the call takes%s; %s lists them" % (
                declare.nearest(unknown.group(1), options), SECTION)
        return "give the call only the arguments it takes; %s lists them" % SECTION
    return "correct that line; `python3 %s` runs the file on its own" % (
        os.path.relpath(path, root))


def _line(tb, path):
    """The line of path where the error happened: the innermost frame in that file."""
    lines = [f.lineno for f in traceback.extract_tb(tb)
             if os.path.abspath(f.filename) == os.path.abspath(path)]
    return lines[-1] if lines else None


def _declared_at(test, path):
    """The statement of the file at path that declared test: its outermost frame there."""
    lines = [line for name, line in test.callers
             if os.path.abspath(name) == os.path.abspath(path)]
    return lines[-1] if lines else None


def _load_file(path, root):
    """Run one lab file; returns (LAB, TITLE, tests declared)."""
    name = os.path.basename(path)[:-3]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    declare.take_declared()
    try:
        spec.loader.exec_module(module)
    except SyntaxError as e:
        declare.take_declared()
        raise LabError(_message(root, e.filename or path, e.lineno, "syntax error: " + e.msg,
                                "correct the syntax; `python3 -m py_compile %s` checks it"
                                % os.path.relpath(e.filename or path, root)))
    except Exception as e:
        declare.take_declared()
        problem = str(e) if isinstance(e, declare.DeclarationError) else \
            "%s: %s" % (type(e).__name__, e)
        line = _line(e.__traceback__, path)
        raise LabError(_message(root, path, line, problem, _fix(e, path, root)))
    found = declare.take_declared()
    missing = [key for key in ("LAB", "TITLE") if not hasattr(module, key)]
    if missing:
        raise LabError(_message(
            root, path, None, "sets no %s" % " and no ".join(missing),
            "every lab file sets both, at the top: LAB = <lab number> and "
            "TITLE = \"<what the lab is about>\" (%s)" % SECTION))
    if not isinstance(module.LAB, int) or isinstance(module.LAB, bool) or module.LAB < 0:
        raise LabError(_message(root, path, None, "LAB = %r is no lab number" % (module.LAB,),
                                "write the lab's number: LAB = 1"))
    if not isinstance(module.TITLE, str) or not module.TITLE.strip():
        raise LabError(_message(root, path, None, "TITLE = %r is no title" % (module.TITLE,),
                                "write what the lab is about: TITLE = \"The platform\""))
    for t in found:
        t.lab, t.suite = module.LAB, module.TITLE
        t.file, t.line = path, _declared_at(t, path)
        t.where = os.path.relpath(path, root) + (", line %d" % t.line if t.line else "")
    return module.LAB, module.TITLE, found


def load(here, root):
    """Run every here/lab*.py; returns [(number, title)] in order, and their tests.  Raises
    LabError for the first problem found.  Each test's budget comes from here/budgets.txt
    (budgets.py) unless it gives its own."""
    labs = []
    with _lock:
        for path in sorted(glob.glob(os.path.join(here, "lab*.py"))):
            labs.append(_load_file(path, root))
    labs.sort(key=lambda lab: lab[0])
    tests = [t for _, _, found in labs for t in found]
    try:
        declare.check_names(tests)
    except declare.DeclarationError as e:
        raise LabError(_message(root, e.test.file, e.test.line, str(e), e.fix))
    try:
        budgets.apply(tests, os.path.join(here, "budgets.txt"))
    except budgets.TableError as e:
        raise LabError(str(e))
    return [(n, title) for n, title, _ in labs], tests


def bootfs_names(path):
    """The names of the files in a boot file system archive, or None if path is none."""
    try:
        with open(path, "rb") as f:
            data = f.read()
        magic, _, count, _ = struct.unpack_from("<4I", data)
        if magic != BOOTFS_MAGIC:
            return None
        return {data[16 + 64 * i:16 + 64 * i + 56].split(b"\0")[0].decode()
                for i in range(count)}
    except (OSError, struct.error, UnicodeDecodeError, TypeError):
        return None


def known_programs(bootfs, root):
    """(the names of the programs and monitors a test may boot, where they are: "in ..."):
    the boot file system if it is built, else the folders of user/bin, user/test and
    monitors/."""
    names = bootfs_names(bootfs) if bootfs else None
    if names is not None:
        return {n for n in names if "." not in n}, "in " + os.path.relpath(bootfs, root)
    names = set()
    for top in ("user/bin", "user/test", "monitors"):
        folder = os.path.join(root, top)
        if os.path.isdir(folder):
            names |= {n for n in os.listdir(folder) if os.path.isdir(os.path.join(folder, n))}
    return ((names, "among the folders of user/bin, user/test and monitors/") if names
            else (None, None))


def _expects_success(test):
    if test.run:
        return True
    ends = [e for e in test.expect + [e for p in test.parts for e in p.expect]
            if isinstance(e, End)]
    return any(e.status == 0 for e in ends)


def unknown_programs(tests, bootfs, root):
    """Warnings, one a line, for tests that boot a program or monitor the boot file system
    does not hold and expect a clean END (a test that expects a failure may name a missing
    program on purpose)."""
    names, source = known_programs(bootfs, root)
    if not names:
        return []
    out = []
    for t in tests:
        boot = t.boot
        if boot.kernel is not None or not _expects_success(t):
            continue
        wanted = ([("program", boot.program)] if boot.program else []) + \
            [("monitor", m.split(":")[0]) for m in boot.monitors]
        for kind, name in wanted:
            if name not in names:
                out.append("%s: test %s boots %s %r, which is not %s%s, so it can not "
                           "pass; the programs there: %s" % (
                               t.where or t.name, t.name, kind, name, source,
                               declare.nearest(name, names), ", ".join(sorted(names))))
    return out
