"""The stages in order: one sequence for one unit or many, and the report cache."""
