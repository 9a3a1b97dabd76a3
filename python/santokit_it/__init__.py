"""santokit-it's pytest plugin.

santokit-it starts a Santokit stack, then runs pytest with
``-p santokit_it.plugin``. The plugin answers the harness's session fixture
(``compose_env`` unless told otherwise) with a ``StackHarness`` bound to that
stack, and writes one JSON line per test for the runner. Standard library and
pytest only; ``requests`` is used for HTTP when it is installed.
"""

__all__ = ["__version__"]

__version__ = "1"
