"""The shared kernel: the data model, errors and the JSON codec every stage uses."""
