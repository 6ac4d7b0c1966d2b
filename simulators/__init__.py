"""Runnable fakes of the SMS services, faithful to the specs, for tests, benchmarks and the demo."""
