"""A pytest plugin for the setup-django-test action, loaded with ``-p devops_pytest``.

- In a pytest-xdist worker, it starts coverage when the action asks for it (see
  devops_worker_coverage): it is imported before conftest files and Django's settings, so the
  worker measures everything it runs.
- In the main process, it writes pytest's rootdir to the file named by DEVOPS_PYTEST_ROOTDIR:
  the JUnit report's ``file`` attributes are relative to it, and the action makes them relative
  to the repository.
"""
import os

import devops_worker_coverage

_worker_coverage = devops_worker_coverage.start() if os.environ.get("PYTEST_XDIST_WORKER") else None


def pytest_configure(config):
    path = os.environ.get("DEVOPS_PYTEST_ROOTDIR")
    if path and not os.environ.get("PYTEST_XDIST_WORKER"):
        with open(path, "w", encoding="utf-8") as out:
            out.write(str(getattr(config, "rootpath", None) or config.rootdir))


def pytest_unconfigure(config):
    global _worker_coverage
    if _worker_coverage is not None:
        devops_worker_coverage.stop(_worker_coverage)
        _worker_coverage = None
