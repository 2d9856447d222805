"""``python -m runner``: the ``postrun`` command (runner/launch.py), for when the script is not on PATH."""

from runner.launch import entry

entry()
