"""The JavaScript sandbox in which pre-request and test scripts run (QuickJS)."""
