"""The test run's own set-up that its speed depends on (tests/conftest.py)."""

import os
import subprocess
import sys


def test_the_processes_tests_start_keep_their_bytecode():
    """Whatever PYTHONDONTWRITEBYTECODE says, a process a test starts writes the modules it compiles
    to a cache (pytest_configure's PYTHONPYCACHEPREFIX), so the next one does not compile them again."""
    probe = "import sys; print(sys.dont_write_bytecode, sys.pycache_prefix or '')"
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                           env=dict(os.environ)).stdout.split()
    assert shown[0] == "False", shown
    if len(shown) > 1:   # the cache kept apart from the trees
        assert os.path.isdir(shown[1])
