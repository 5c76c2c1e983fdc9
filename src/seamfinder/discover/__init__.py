"""What to analyse: files, packages, source roots and the units of a repository."""
