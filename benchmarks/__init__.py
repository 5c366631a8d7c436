"""Benchmarks for the parser: synthetic reports with ground truth (synth.py) and their score (score_synth.py)."""
