"""JUnit XML for Django's own test runner, without installing anything.

Used as ``manage.py test --testrunner devops_django_junit.JUnitTestRunner``. It runs the tests
exactly as Django's DiscoverRunner does (same options, same output) and, when the environment
variable DJANGO_JUNIT_XML names a file, also writes a JUnit report there: one <testcase> per
test with its time, the source file and the line where it failed (or where the test is defined).

Standard library only; works with Django 3.2 through 5.x and Python 3.8 onwards. In parallel
mode Django replays each worker's results in this process, so outcomes are exact while the
per-test times are those of the replay; each worker measures coverage itself when the action
asks for it (see devops_worker_coverage).

Paths in the report are relative to DJANGO_JUNIT_ROOT (the repository) when it is set, else to
the folder the tests run in.
"""
import inspect
import os
import re
import sys
import time
import traceback
import unittest
from xml.etree import ElementTree

from django.test.runner import DiscoverRunner, ParallelTestSuite

import devops_worker_coverage

REPORT_ENV = "DJANGO_JUNIT_XML"
ROOT_ENV = "DJANGO_JUNIT_ROOT"
MAX_MESSAGE = 2000


def _relative(path):
    """The path relative to the repository, or None when it lies outside (stdlib, Django)."""
    try:
        rel = os.path.relpath(path, os.environ.get(ROOT_ENV) or os.curdir)
    except ValueError:  # another drive on Windows
        return None
    return None if rel.startswith("..") else rel.replace(os.sep, "/")


def _source_of(test):
    """The file and line where a test method is defined, or (None, None)."""
    method = getattr(test, getattr(test, "_testMethodName", ""), None)
    try:
        func = inspect.unwrap(method)
        return inspect.getsourcefile(func), inspect.getsourcelines(func)[1]
    except (TypeError, OSError):
        try:
            module = sys.modules[type(test).__module__]
            return inspect.getsourcefile(module), None
        except (KeyError, TypeError):
            return None, None


def _failure_location(err, source_file):
    """Where it failed: the deepest traceback frame in the test's own file, or, for errors
    outside any test method (setUpClass, a module that fails to import), in the project."""
    tb = err[2] if err and len(err) > 2 else None
    if tb is None:
        return None, None
    in_test_file = in_project = (None, None)
    for frame, lineno in traceback.walk_tb(tb):
        path = os.path.abspath(frame.f_code.co_filename)
        if source_file is not None and path == os.path.abspath(source_file):
            in_test_file = (path, lineno)
        elif _relative(path) is not None and not _is_library(path):
            in_project = (path, lineno)
    return in_test_file if in_test_file[0] else in_project


def _is_library(path):
    return "site-packages" in path or "dist-packages" in path


class _Record:
    __slots__ = ("test_id", "classname", "name", "file", "line", "time", "outcome", "message", "detail")

    def __init__(self, test):
        self.test_id = test.id()
        classname, _, name = self.test_id.rpartition(".")
        if not hasattr(test, "_testMethodName"):
            # unittest's stand-in for an error outside a test: "setUpClass (app.tests.Case)".
            description = getattr(test, "description", self.test_id)
            match = re.match(r"^(\w+) \((.+)\)$", description)
            classname, name = (match.group(2), match.group(1)) if match else ("", description)
        self.classname = classname
        self.name = name
        source_file, line = _source_of(test)
        self.file = _relative(source_file) if source_file else None
        self.line = line if self.file else None
        self.time = 0.0
        self.outcome = "passed"
        self.message = ""
        self.detail = ""


class JUnitResultMixin:
    """Records every outcome the base result class is told about, with timings."""

    def _junit_record(self, test):
        records = self.__dict__.setdefault("_junit_records", {})
        key = test.id()
        if key not in records:
            records[key] = _Record(test)
        return records[key]

    def startTest(self, test):
        self.__dict__.setdefault("_junit_started", {})[test.id()] = time.perf_counter()
        super().startTest(test)

    def stopTest(self, test):
        super().stopTest(test)
        started = self.__dict__.get("_junit_started", {}).pop(test.id(), None)
        if started is not None:
            self._junit_record(test).time = time.perf_counter() - started

    def _junit_fail(self, test, outcome, err, label=""):
        record = self._junit_record(test)
        exc_type, exc_value = err[0], err[1]
        message = "%s%s: %s" % (label, getattr(exc_type, "__name__", "Error"), exc_value)
        try:
            detail = self._exc_info_to_string(err, test)
        except Exception:  # noqa: BLE001 - a report must never break the run
            detail = message
        if record.outcome in ("failure", "error"):
            # A second failing subtest of the same test: keep the first location, add the rest.
            record.detail += "\n" + label + detail
            return
        record.outcome = outcome
        record.message = message
        record.detail = label + detail
        source = os.path.abspath(record.file) if record.file else None
        path, line = _failure_location(err, source)
        if line is not None and (record.file is None or path == source):
            record.file = _relative(path)
            record.line = line

    def addSuccess(self, test):
        super().addSuccess(test)
        self._junit_record(test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._junit_fail(test, "failure", err)

    def addError(self, test, err):
        super().addError(test, err)
        self._junit_fail(test, "error", err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        record = self._junit_record(test)
        record.outcome = "skipped"
        record.message = str(reason)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._junit_record(test)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        record = self._junit_record(test)
        record.outcome = "failure"
        record.message = "Unexpected success: the test is marked expectedFailure but passed"

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            outcome = "failure" if issubclass(err[0], test.failureException) else "error"
            # Reported on the test itself, as one test with the failing parameters named.
            self._junit_fail(test, outcome, err, label="%s " % subtest._subDescription())

    def junit_records(self):
        return list(self.__dict__.get("_junit_records", {}).values())


def write_report(path, records, elapsed):
    counts = {"failure": 0, "error": 0, "skipped": 0}
    for record in records:
        if record.outcome in counts:
            counts[record.outcome] += 1
    suites = ElementTree.Element("testsuites")
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name="django",
        tests=str(len(records)),
        failures=str(counts["failure"]),
        errors=str(counts["error"]),
        skipped=str(counts["skipped"]),
        time="%.3f" % elapsed,
    )
    for record in records:
        attrs = {"classname": record.classname, "name": record.name, "time": "%.3f" % record.time}
        if record.file:
            attrs["file"] = record.file
        if record.line:
            attrs["line"] = str(record.line)
        case = ElementTree.SubElement(suite, "testcase", attrs)
        if record.outcome in ("failure", "error"):
            node = ElementTree.SubElement(case, record.outcome, message=record.message[:MAX_MESSAGE])
            node.text = record.detail
        elif record.outcome == "skipped":
            ElementTree.SubElement(case, "skipped", message=record.message[:MAX_MESSAGE])
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    ElementTree.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)


_django_init_worker = ParallelTestSuite.init_worker


def _init_worker_with_coverage(*args, **kwargs):
    """Django's worker initializer, after starting coverage in the worker when asked: without
    it, what the tests execute in the workers is never measured. The data is saved when the
    worker process ends (multiprocessing runs its finalizers on a normal exit)."""
    import multiprocessing.util

    cov = devops_worker_coverage.start()
    if cov is not None:
        multiprocessing.util.Finalize(None, devops_worker_coverage.stop, args=(cov,), exitpriority=100)
    return _django_init_worker(*args, **kwargs)


class CoverageParallelTestSuite(ParallelTestSuite):
    init_worker = _init_worker_with_coverage


class JUnitTestRunner(DiscoverRunner):
    """Django's DiscoverRunner that also writes the JUnit report named by DJANGO_JUNIT_XML."""

    parallel_test_suite = CoverageParallelTestSuite

    def get_resultclass(self):
        base = super().get_resultclass() or unittest.TextTestResult
        return type("JUnit" + base.__name__, (JUnitResultMixin, base), {})

    def run_suite(self, suite, **kwargs):
        started = time.perf_counter()
        result = super().run_suite(suite, **kwargs)
        path = os.environ.get(REPORT_ENV)
        if path and hasattr(result, "junit_records"):
            write_report(path, result.junit_records(), time.perf_counter() - started)
        return result
