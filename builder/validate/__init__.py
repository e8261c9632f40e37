"""Validation: Great Expectations suites plus named, registered derived checks (entry point: `stage`)."""
