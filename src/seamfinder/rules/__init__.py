"""Rule definitions (one module per code group) and the registry that evaluates them."""
