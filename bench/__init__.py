"""Benchmarks that run the real code against the simulators and print counts and ratios."""
