"""postrun: run Postman collections from Python.

The pipeline is load -> resolve -> send -> script -> report; each stage is a module of its own.
"""

__version__ = "0.1.0"
