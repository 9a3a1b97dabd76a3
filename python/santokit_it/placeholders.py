"""Stand-ins for harness imports that only the harness's own stack start needs.

Santokit's ``conftest.py`` imports ``testcontainers.compose`` (and, like its
``dsl.py``, ``docker``) at module top to start its compose stack. Under
santokit-it that body never runs: the plugin answers the session fixture
first. So when one of these packages is not installed, an empty module takes
its place so the conftest imports; using anything from it raises a clear
error. Installed packages are never replaced.
"""

import importlib.util
import sys
import types

MESSAGE = (
    "{name} is not installed; under santokit-it the stack comes from santokit-it, "
    "so the harness's own stack start must not run (is the fixture name right? see SANTOKIT_IT_FIXTURE)"
)


class _Unavailable:
    def __init__(self, name):
        self._name = name

    def __call__(self, *args, **kwargs):
        raise RuntimeError(MESSAGE.format(name=self._name))

    def __getattr__(self, attribute):
        raise RuntimeError(MESSAGE.format(name=self._name))


def _placeholder(name, attributes):
    module = types.ModuleType(name, f"santokit-it placeholder for {name} (not installed)")
    module.__santokit_it_placeholder__ = True
    for attribute in attributes:
        setattr(module, attribute, _Unavailable(f"{name}.{attribute}"))
    return module


def _missing(name):
    try:
        return importlib.util.find_spec(name) is None
    except (ImportError, ValueError):
        return True


def install_placeholders():
    """Returns the names of the modules that were replaced by placeholders."""
    installed = []
    if _missing("testcontainers"):
        parent = _placeholder("testcontainers", [])
        parent.__path__ = []
        compose = _placeholder("testcontainers.compose", ["DockerCompose"])
        parent.compose = compose
        sys.modules["testcontainers"] = parent
        sys.modules["testcontainers.compose"] = compose
        installed.append("testcontainers.compose")
    elif _missing("testcontainers.compose"):
        sys.modules["testcontainers.compose"] = _placeholder("testcontainers.compose", ["DockerCompose"])
        installed.append("testcontainers.compose")
    if _missing("docker"):
        sys.modules["docker"] = _placeholder("docker", ["from_env", "DockerClient"])
        installed.append("docker")
    return installed
