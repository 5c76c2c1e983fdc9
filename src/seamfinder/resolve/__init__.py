"""Whole-project resolution: components, the data-access graph, dependencies."""
