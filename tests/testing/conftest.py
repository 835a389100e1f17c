"""The test kit's own tests: pytester runs the pytest plugin in throw-away test sessions."""

pytest_plugins = ["pytester"]
