"""Coverage measurement in test worker processes, for the setup-django-test action.

`coverage run` measures the process it starts. The workers of Django's `--parallel` and of
pytest-xdist are other processes, so what the tests execute there is lost unless each worker
measures itself: this starts coverage.py in a worker with the options the action gave
`coverage run` (the project's own coverage config is read as usual), writing a data file of its
own (data_suffix) for `coverage combine`. pytest-cov does the same for its xdist workers.

The action sets DEVOPS_WORKER_COVERAGE to a JSON object of coverage.Coverage() keyword
arguments (e.g. {"source": ["/repo/app"]}); without it nothing happens.
"""
import json
import os

ENV = "DEVOPS_WORKER_COVERAGE"


def start():
    """Starts coverage in this worker, or returns None when the action did not ask for it."""
    spec = os.environ.get(ENV)
    if not spec:
        return None
    import coverage

    cov = coverage.Coverage(data_suffix=True, **json.loads(spec))
    cov.start()
    return cov


def stop(cov):
    cov.stop()
    cov.save()
